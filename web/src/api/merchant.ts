// The merchant portal's endpoints of API v1, one function each. The portal calls them with a
// merchant session token (Bearer); a merchant's own server would sign with an API key instead.
// Charges and refunds move money and carry the Idempotency-Key of the user action.
import { ApiError, type ApiClient } from './client';
import type {
  ApiKey,
  Invoice,
  IssuedApiKey,
  Merchant,
  MerchantPortalUser,
  MerchantSessionAnswer,
  Order,
  OrderPage,
  Payment,
  PaymentPage,
  Refund,
  SalesPeriod,
  SalesReport,
  Settlement,
  WebhookDelivery,
  WebhookSecret,
} from './types';

/** What a merchant (or staff onboarding one) fills in. */
export interface MerchantApplication {
  legal_name: string;
  credit_code: string;
  category: string;
  settlement_bank_code: string;
  settlement_account: string;
  contact_phone: string;
  username: string;
  password: string;
}

export function applyAsMerchant(api: ApiClient, application: MerchantApplication) {
  return api.post<Merchant>('/api/v1/merchant-applications', application);
}

export function merchantLogIn(api: ApiClient, username: string, password: string) {
  return api.post<MerchantSessionAnswer>('/api/v1/merchant/sessions', { username, password });
}

export function merchantLogOut(api: ApiClient): Promise<void> {
  return api.delete<void>('/api/v1/merchant/sessions/current');
}

export function getMerchantMe(api: ApiClient): Promise<Merchant> {
  return api.get<Merchant>('/api/v1/merchant/me');
}

export type QrImageFormat = 'png' | 'svg';

export function getStaticQrImage(api: ApiClient, format: QrImageFormat): Promise<Blob> {
  return api.getBlob(`/api/v1/merchant/qr?format=${format}`);
}

export function getOrderQrImage(api: ApiClient, id: string, format: QrImageFormat) {
  return api.getBlob(`/api/v1/merchant/orders/${encodeURIComponent(id)}/qr?format=${format}`);
}

export const MERCHANT_PAGE_SIZE = 20;

function pageQuery(cursor: string | null): string {
  const params = new URLSearchParams();
  params.set('limit', String(MERCHANT_PAGE_SIZE));
  if (cursor !== null) params.set('cursor', cursor);
  return `?${params.toString()}`;
}

export interface NewOrder {
  merchant_order_no: string;
  amount: number;
  currency: 'CNY';
  description?: string;
  /** Where the signed order.paid webhook goes. */
  notify_url?: string;
  /** Where the checkout page sends the customer back. */
  return_url?: string;
  expires_in_seconds?: number;
}

/** The same merchant_order_no answers the same order, so it doubles as the idempotency key. */
export function createOrder(api: ApiClient, order: NewOrder): Promise<Order> {
  return api.post<Order>('/api/v1/merchant/orders', order);
}

export function listOrders(api: ApiClient, cursor: string | null): Promise<OrderPage> {
  return api.get<OrderPage>(`/api/v1/merchant/orders${pageQuery(cursor)}`);
}

export function getOrder(api: ApiClient, id: string): Promise<Order> {
  return api.get<Order>(`/api/v1/merchant/orders/${encodeURIComponent(id)}`);
}

export function closeOrder(api: ApiClient, id: string): Promise<Order> {
  return api.post<Order>(`/api/v1/merchant/orders/${encodeURIComponent(id)}/close`, {});
}

export function chargePaymentCode(
  api: ApiClient,
  code: string,
  amountFen: number,
  idempotencyKey: string,
): Promise<Payment> {
  const body = { code, amount: amountFen, currency: 'CNY' };
  return api.postMoney<Payment>('/api/v1/merchant/charges', body, { idempotencyKey });
}

export function listMerchantPayments(api: ApiClient, cursor: string | null) {
  return api.get<PaymentPage>(`/api/v1/merchant/payments${pageQuery(cursor)}`);
}

export function getMerchantPayment(api: ApiClient, id: string): Promise<Payment> {
  return api.get<Payment>(`/api/v1/merchant/payments/${encodeURIComponent(id)}`);
}

export interface RefundRequest {
  amount: number;
  currency: 'CNY';
  reason?: string;
}

export function refundPayment(
  api: ApiClient,
  paymentId: string,
  request: RefundRequest,
  idempotencyKey: string,
): Promise<Refund> {
  const path = `/api/v1/merchant/payments/${encodeURIComponent(paymentId)}/refunds`;
  return api.postMoney<Refund>(path, request, { idempotencyKey });
}

export function issueApiKey(api: ApiClient): Promise<IssuedApiKey> {
  return api.post<IssuedApiKey>('/api/v1/merchant/api-keys', {});
}

export async function listApiKeys(api: ApiClient): Promise<ApiKey[]> {
  return (await api.get<{ keys: ApiKey[] }>('/api/v1/merchant/api-keys')).keys;
}

export function revokeApiKey(api: ApiClient, keyId: string): Promise<void> {
  return api.delete<void>(`/api/v1/merchant/api-keys/${encodeURIComponent(keyId)}`);
}

/** What the owner fills in to add a portal user. */
export interface NewMerchantUser {
  username: string;
  display_name: string;
  password: string;
  role: 'owner' | 'cashier';
}

export async function listMerchantUsers(api: ApiClient): Promise<MerchantPortalUser[]> {
  return (await api.get<{ users: MerchantPortalUser[] }>('/api/v1/merchant/users')).users;
}

export function addMerchantUser(api: ApiClient, user: NewMerchantUser) {
  return api.post<MerchantPortalUser>('/api/v1/merchant/users', user);
}

/** Disables a user (logged out at once, no log-in) or enables it again (owner only). */
export function setMerchantUserActive(api: ApiClient, userId: string, active: boolean) {
  const path = `/api/v1/merchant/users/${encodeURIComponent(userId)}/status`;
  return api.post<MerchantPortalUser>(path, { active });
}

/** The payment's invoice, or null when the customer asked for none (404 INVOICE_NOT_FOUND). */
export async function getMerchantInvoice(api: ApiClient, paymentId: string) {
  try {
    const path = `/api/v1/merchant/payments/${encodeURIComponent(paymentId)}/invoice`;
    return await api.get<Invoice>(path);
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'INVOICE_NOT_FOUND') return null;
    throw cause;
  }
}

export function getMerchantInvoicePdf(api: ApiClient, number: string): Promise<Blob> {
  return api.getBlob(`/api/v1/merchant/invoices/${encodeURIComponent(number)}/pdf`);
}

/** The report's range: China-time dates "YYYY-MM-DD", both inclusive; absent = last 30 days. */
export interface SalesQuery {
  from?: string;
  to?: string;
  period: SalesPeriod;
}

export type SalesExportFormat = 'csv' | 'xlsx';

export function salesReportPath(query: SalesQuery, format: 'json' | SalesExportFormat): string {
  const params = new URLSearchParams();
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  params.set('period', query.period);
  params.set('format', format);
  return `/api/v1/merchant/reports/sales?${params.toString()}`;
}

export function getSalesReport(api: ApiClient, query: SalesQuery): Promise<SalesReport> {
  return api.get<SalesReport>(salesReportPath(query, 'json'));
}

export function exportSalesReport(api: ApiClient, query: SalesQuery, format: SalesExportFormat) {
  return api.getBlob(salesReportPath(query, format));
}

export function getWebhookSecret(api: ApiClient): Promise<WebhookSecret> {
  return api.get<WebhookSecret>('/api/v1/merchant/webhook-secret');
}

// A new secret at once; for 24 hours webhooks are signed with both the new and the old one.
export function rotateWebhookSecret(api: ApiClient): Promise<WebhookSecret> {
  return api.post<WebhookSecret>('/api/v1/merchant/webhook-secret/rotate', {});
}

export async function listWebhookDeliveries(api: ApiClient): Promise<WebhookDelivery[]> {
  return (await api.get<{ deliveries: WebhookDelivery[] }>('/api/v1/merchant/webhooks')).deliveries;
}

/** Queues the event for sending again now (202, no body). */
export function resendWebhook(api: ApiClient, eventId: string): Promise<void> {
  return api.post<void>(`/api/v1/merchant/webhooks/${encodeURIComponent(eventId)}/resend`, {});
}

/** One campaign the merchant co-funded (联合营销), its own side only. */
export interface MerchantCoFunding {
  campaign_id: string;
  name: string;
  type: string;
  status: string;
  starts_at: string;
  ends_at: string;
  /** Everything put in, by the bank and every merchant (fen). */
  campaign_funded: number;
  /** What the campaign spent (fen). */
  campaign_cost: number;
  rewarded_payments: number;
  /** The campaign ended and the unspent budget went back. */
  settled: boolean;
  /** What this merchant put in, its share of the cost, what it got (or would get) back (fen). */
  funded: number;
  cost: number;
  returned: number;
  currency: string;
}

export async function listMerchantCoFunding(api: ApiClient): Promise<MerchantCoFunding[]> {
  return (await api.get<{ items: MerchantCoFunding[] }>('/api/v1/merchant/co-funded-campaigns')).items;
}

export async function listMerchantSettlements(api: ApiClient): Promise<Settlement[]> {
  return (await api.get<{ settlements: Settlement[] }>('/api/v1/merchant/settlements')).settlements;
}
