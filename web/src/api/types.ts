// The shapes of the API v1 bodies (the contract for the wallet and the console). Amounts are
// integer fen; times are RFC 3339 UTC strings; ids are strings.

export type Tier = 'IV' | 'III' | 'II' | 'I';
export const TIERS: readonly Tier[] = ['IV', 'III', 'II', 'I'];

export type Channel =
  | 'social'
  | 'search_ad'
  | 'email'
  | 'offline_event'
  | 'campus'
  | 'outreach'
  | 'organic';
export const CHANNELS: readonly Channel[] = [
  'social',
  'search_ad',
  'email',
  'offline_event',
  'campus',
  'outreach',
  'organic',
];

export interface Limits {
  balance_cap: number;
  per_payment: number;
  per_day: number;
  per_year: number;
  spent_today: number;
  spent_this_year: number;
  currency: string;
}

export interface Customer {
  id: string;
  phone: string;
  tier: Tier;
  real_name_masked: string | null;
  resident_id_masked: string | null;
  channel: Channel;
  registered_at: string;
  limits: Limits;
}

export interface SessionAnswer {
  token: string;
  expires_at: string;
  customer: Customer;
}

export interface OtpAnswer {
  expires_in_seconds: number;
  resend_after_seconds: number;
}

export type OtpPurpose =
  | 'register'
  | 'login'
  | 'reset_password'
  | 'reset_pin'
  | 'payment'
  | 'close_account';

export interface Balance {
  balance: number;
  available: number;
  pending_in: number;
  pending_out: number;
  currency: string;
}

export interface Card {
  id: string;
  bank: string;
  bank_en: string;
  masked: string;
  first6: string;
  last4: string;
  bound_at: string;
}

export type MoneyStatus = 'completed' | 'failed' | 'processing';

export interface CardMovement {
  id: string;
  type: 'top_up' | 'withdrawal';
  amount: number;
  currency: string;
  status: MoneyStatus;
  card: Card;
  created_at: string;
}

export interface TransferAnswer {
  id: string;
  type: 'p2p_out';
  amount: number;
  currency: string;
  status: MoneyStatus;
  counterparty: { phone_masked: string; name_masked: string | null };
  memo: string | null;
  created_at: string;
}

export type HistoryType =
  | 'top_up'
  | 'withdrawal'
  | 'p2p_in'
  | 'p2p_out'
  | 'payment'
  | 'refund'
  | 'cashback'
  | 'referral'
  | 'lottery'
  | 'red_packet'
  | 'other';
/** The types the history filter offers ("other" is shown but not offered as a filter). */
export const HISTORY_TYPES: readonly HistoryType[] = [
  'top_up',
  'withdrawal',
  'p2p_in',
  'p2p_out',
  'payment',
  'refund',
];

export interface HistoryEntry {
  id: string;
  type: HistoryType;
  direction: 'in' | 'out';
  amount: number;
  currency: string;
  status: MoneyStatus;
  counterparty: { kind: 'customer' | 'card' | 'merchant' | 'other'; display: string };
  memo: string | null;
  created_at: string;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  next_cursor: string | null;
}

// Staff console.

export type StaffRole =
  | 'admin'
  | 'marketing'
  | 'risk'
  | 'outreach_manager'
  | 'outreach_agent'
  | 'support'
  | 'auditor';
export const STAFF_ROLES: readonly StaffRole[] = [
  'admin',
  'marketing',
  'risk',
  'outreach_manager',
  'outreach_agent',
  'support',
  'auditor',
];

export interface Staff {
  id: string;
  username: string;
  display_name: string;
  roles: StaffRole[];
}

export interface StaffSessionAnswer {
  token: string;
  expires_at: string;
  staff: Staff;
}

export interface CustomerSummary {
  id: string;
  phone_masked: string;
  real_name_masked: string | null;
  tier: Tier;
  channel: Channel;
  registered_at: string;
}

export interface CustomerSearchPage {
  customers: CustomerSummary[];
  next_cursor: string | null;
}

export interface CustomerDetail {
  customer: CustomerSummary & { resident_id_masked: string | null };
  cards: Card[];
  balance: Balance;
  /** Fen that refunds brought after the account closed, not yet paid out by support. */
  refunds_owed: number;
  recent: HistoryEntry[];
}

/** POST /staff/customers/{id}/refund-payouts: support paid a former customer through the bank. */
export interface RefundPayout {
  id: string;
  customer_id: string;
  amount: number;
  currency: 'CNY';
  reference: string;
  still_owed: number;
  created_at: string;
}

export interface SmsMessage {
  phone: string;
  text: string;
  sent_at: string;
}

export interface LedgerVerification {
  status: 'ok' | 'mismatch';
  checked_at: string;
  journal_seq: number;
  projected_seq: number;
  accounts: number;
  transfers: number;
  invariants_ok: boolean;
  read_models_ok: boolean;
  problems: string[];
}

// Merchants and payments.

export type MerchantStatus = 'pending_review' | 'active' | 'suspended';
export const MERCHANT_STATUSES: readonly MerchantStatus[] = ['pending_review', 'active', 'suspended'];

/** The merchant categories the server knows (src/merchant/merchant_category.cc). */
export const MERCHANT_CATEGORIES = [
  'catering',
  'supermarket',
  'convenience',
  'transport',
  'utilities',
  'education',
  'health',
  'entertainment',
  'online_retail',
  'fuel',
  'travel_hotel',
  'telecom',
  'government_fees',
  'charity',
  'department_store',
  'other',
] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

export interface Merchant {
  id: string;
  legal_name: string;
  credit_code: string;
  category: string;
  category_name: string;
  fee_bps: number;
  status: MerchantStatus;
  settlement_bank_code: string;
  settlement_account_last4: string;
  contact_phone: string;
  created_at: string;
  status_changed_at: string;
}

export interface MerchantSummary {
  id: string;
  name: string;
  category: string;
  category_name: string;
  status: string;
}

export type OrderStatus = 'open' | 'paid' | 'closed' | 'expired';

export interface Order {
  id: string;
  merchant_id: string;
  merchant_order_no: string;
  amount: number;
  currency: string;
  description?: string;
  notify_url?: string;
  return_url?: string;
  status: OrderStatus;
  created_at: string;
  expires_at: string;
  payment_id: string | null;
  qr_text: string;
  checkout_path: string;
}

export type PaymentChannel = 'static_qr' | 'dynamic_qr' | 'payment_code' | 'online' | 'nfc';
export type PaymentStatus = 'completed' | 'awaiting_confirmation' | 'cancelled' | 'under_review';

export interface Refund {
  id: string;
  payment_id: string;
  amount: number;
  fee_returned: number;
  currency: string;
  status: string;
  created_at: string;
  payment_refunded: number;
}

export interface Payment {
  id: string;
  merchant_id: string;
  customer_id: string;
  order_id: string | null;
  channel: PaymentChannel;
  status: PaymentStatus;
  amount: number;
  fee: number;
  refunded: number;
  currency: string;
  created_at: string;
  merchant: MerchantSummary | null;
  refunds?: Refund[];
  /** Marketing: the discounts given, what left the wallet, the cashback, the coupon used. */
  discount?: number;
  paid?: number;
  cashback?: number;
  coupon_id?: string | null;
}

export interface PaymentPage {
  payments: Payment[];
  next_cursor: string | null;
}

export interface OrderPage {
  orders: Order[];
  next_cursor: string | null;
}

export interface MerchantPage {
  merchants: Merchant[];
  next_cursor: string | null;
}

/** What a scanned QR would pay: POST /me/scans. amount is null for a static QR. */
export interface ScanPreview {
  kind: 'static' | 'dynamic';
  merchant: MerchantSummary;
  amount: number | null;
  order: {
    id: string;
    merchant_order_no: string;
    status: string;
    expires_at: string;
    description: string;
    /** Where the merchant's site wants the customer back after paying ("" when none). */
    return_url: string;
  } | null;
  currency: string;
}

/** The answer of POST /me/payment-device: the device secret is shown this once. */
export interface PaymentDeviceAnswer {
  slot: number;
  secret: string;
  prefix: number;
  step_seconds: number;
  digits: number;
  algorithm: string;
}

export interface SmallPayments {
  enabled: boolean;
  per_payment: number;
  per_day: number;
  currency: string;
}

export interface MerchantUser {
  id: string;
  username: string;
  role: string;
}

export interface MerchantSessionAnswer {
  token: string;
  expires_at: string;
  merchant_id: string;
  user: MerchantUser;
}

/** A merchant-portal user as the owner's user list shows it. */
export interface MerchantPortalUser {
  id: string;
  username: string;
  display_name: string;
  role: 'owner' | 'cashier';
  status: 'active' | 'disabled';
  created_at: string;
}

export interface ApiKey {
  key_id: string;
  status: string;
  created_at: string;
}

export interface IssuedApiKey {
  key_id: string;
  secret: string;
  created_at: string;
}

/** One category's spending; the server names it in both languages. */
export interface CategorySpending {
  category: string;
  category_name: string;
  category_name_en: string;
  amount: number;
}

/** GET /me/spending: net of refunds, by China-time month (oldest first). */
export interface Spending {
  months: { month: string; amount: number; count: number; by_category: CategorySpending[] }[];
  by_category: CategorySpending[];
  top_merchants: { merchant_id: string; name: string; amount: number; count: number }[];
  /** change_bp: (current − previous) / previous in basis points; null when previous is 0. */
  month_over_month: { current: number; previous: number; change_bp: number | null };
  currency: string;
  truncated?: boolean;
}

/** An e-invoice (电子发票) of a payment, issued by the local invoicing service. */
export interface Invoice {
  number: string;
  payment_id: string;
  title: string;
  tax_id?: string;
  seller_name: string;
  seller_tax_id: string;
  item: string;
  amount: number;
  tax: number;
  amount_excl_tax: number;
  tax_rate_bp: number;
  currency: string;
  issued_at: string;
  issued_locally: boolean;
  // Red-letter invoices (红字发票), one per refund after the invoice; only in GET answers.
  credit_invoices?: CreditInvoice[];
}

export interface CreditInvoice {
  number: string;
  original_number: string;
  refund_id: string;
  amount: number;
  tax: number;
  currency: string;
  issued_at: string;
  issued_locally: boolean;
}

export interface InvoiceRequest {
  title: string;
  tax_id?: string;
}

export interface ChannelSales {
  count: number;
  amount: number;
}

export interface SalesRow {
  period_start: string;
  payment_count: number;
  gross: number;
  refunds: number;
  fees: number;
  net: number;
  average_ticket: number;
  unique_customers: number;
  repeat_customers: number;
  by_channel: Partial<Record<PaymentChannel, ChannelSales>>;
}

export type SalesPeriod = 'day' | 'week';

/** GET /merchant/reports/sales?format=json: one row per day or week, China time. */
export interface SalesReport {
  from: string;
  to: string;
  period: SalesPeriod;
  rows: SalesRow[];
  totals: SalesRow;
}

export interface WebhookSecret {
  secret: string;
  version: number;
  // Until then webhooks also carry a signature by the previous secret; null when none.
  previous_valid_until: string | null;
  signature_header: string;
  scheme: string;
}

export type WebhookState = 'pending' | 'delivered' | 'failed';

export interface WebhookAttempt {
  attempt: number;
  started_at: string;
  duration_ms: number;
  http_status: number;
  error: string;
  outcome: 'delivered' | 'retry_scheduled' | 'failed';
}

export interface WebhookDelivery {
  event_id: string;
  url: string;
  state: WebhookState;
  attempts: number;
  last_http_status: number;
  last_error: string;
  next_attempt_at: string | null;
  log: WebhookAttempt[];
}

export type SettlementStatus = 'processing' | 'paid' | 'failed';

/** A T+1 payout of one merchant's business day (China time) to its settlement account. */
export interface Settlement {
  id: string;
  merchant_id: string;
  business_date: string;
  amount: number;
  currency: string;
  status: SettlementStatus;
  created_at: string;
  /** The day's takings; the merchant's own list carries it. */
  day?: { payment_count: number; gross: number; fees: number; refunds: number; net: number };
}

export interface ReconciliationCheck {
  name: string;
  expected: number;
  actual: number;
  ok: boolean;
}

/** GET /staff/reconciliation: ledger totals by transfer kind against balances and records. */
export interface Reconciliation {
  ok: boolean;
  checks: ReconciliationCheck[];
  balances: { customers: number; merchants: number; fee_income: number; bank_clearing: number };
  movements_by_code: Record<string, { posted: number; count: number }>;
  currency: string;
  ledger_problem: string | null;
}

/** GET /me/security: the payment PIN (支付密码) and whether a reset by resident ID is possible. */
export interface Security {
  payment_pin_set: boolean;
  /** Set while paying is locked after too many wrong PINs. */
  payment_pin_locked_until: string | null;
  payment_pin_tries_left: number;
  identity_verified: boolean;
}
