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

export type OtpPurpose = 'register' | 'login' | 'reset_password';

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

export type HistoryType = 'top_up' | 'withdrawal' | 'p2p_in' | 'p2p_out';
export const HISTORY_TYPES: readonly HistoryType[] = ['top_up', 'withdrawal', 'p2p_in', 'p2p_out'];

export interface HistoryEntry {
  id: string;
  type: HistoryType;
  direction: 'in' | 'out';
  amount: number;
  currency: string;
  status: MoneyStatus;
  counterparty: { kind: 'customer' | 'card'; display: string };
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
  recent: HistoryEntry[];
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
