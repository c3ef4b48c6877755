// The staff console endpoints of API v1, one function each.
import type { ApiClient } from './client';
import type { MerchantApplication } from './merchant';
import type {
  CustomerDetail,
  Merchant,
  MerchantPage,
  MerchantStatus,
  CustomerSearchPage,
  CustomerSummary,
  LedgerVerification,
  Reconciliation,
  RefundPayout,
  Settlement,
  SmsMessage,
  Staff,
  StaffRole,
  StaffSessionAnswer,
} from './types';

export function staffLogIn(
  api: ApiClient,
  username: string,
  password: string,
): Promise<StaffSessionAnswer> {
  return api.post<StaffSessionAnswer>('/api/v1/staff/sessions', { username, password });
}

export function staffLogOut(api: ApiClient): Promise<void> {
  return api.delete<void>('/api/v1/staff/sessions/current');
}

export function getStaffMe(api: ApiClient): Promise<Staff> {
  return api.get<Staff>('/api/v1/staff/me');
}

export async function listStaff(api: ApiClient): Promise<Staff[]> {
  return (await api.get<{ staff: Staff[] }>('/api/v1/staff/staff')).staff;
}

export interface NewStaff {
  username: string;
  display_name: string;
  password: string;
  roles: StaffRole[];
}

export function createStaff(api: ApiClient, staff: NewStaff): Promise<Staff> {
  return api.post<Staff>('/api/v1/staff/staff', staff);
}

export const CUSTOMER_SEARCH_PAGE_SIZE = 20;

/** The query string of GET /api/v1/staff/customers. */
export function customerSearchQuery(q: string, cursor: string | null): string {
  const params = new URLSearchParams();
  params.set('q', q);
  params.set('limit', String(CUSTOMER_SEARCH_PAGE_SIZE));
  if (cursor !== null) params.set('cursor', cursor);
  return `?${params.toString()}`;
}

export function searchCustomers(
  api: ApiClient,
  q: string,
  cursor: string | null,
): Promise<CustomerSearchPage> {
  return api.get<CustomerSearchPage>(`/api/v1/staff/customers${customerSearchQuery(q, cursor)}`);
}

export function getCustomerDetail(api: ApiClient, id: string): Promise<CustomerDetail> {
  return api.get<CustomerDetail>(`/api/v1/staff/customers/${encodeURIComponent(id)}`);
}

export function grantTierI(api: ApiClient, id: string, note: string): Promise<CustomerSummary> {
  return api.post<CustomerSummary>(`/api/v1/staff/customers/${encodeURIComponent(id)}/tier`, {
    tier: 'I',
    note,
  });
}

/** Records paying out `amount` fen of a closed account's refunds, with the bank's reference. */
export function payOutClosedRefund(
  api: ApiClient,
  id: string,
  amount: number,
  reference: string,
  idempotencyKey: string,
): Promise<RefundPayout> {
  return api.postMoney<RefundPayout>(
    `/api/v1/staff/customers/${encodeURIComponent(id)}/refund-payouts`,
    { amount, currency: 'CNY', reference },
    { idempotencyKey },
  );
}

export async function listSmsOutbox(api: ApiClient, phone: string): Promise<SmsMessage[]> {
  const params = new URLSearchParams();
  if (phone !== '') params.set('phone', phone);
  params.set('limit', '100');
  const answer = await api.get<{ messages: SmsMessage[] }>(
    `/api/v1/staff/sms-outbox?${params.toString()}`,
  );
  return answer.messages;
}

export function verifyLedger(api: ApiClient): Promise<LedgerVerification> {
  return api.get<LedgerVerification>('/api/v1/staff/ledger/verification');
}

export interface NewMerchant extends MerchantApplication {
  fee_bps?: number;
  activate?: boolean;
}

export function listMerchants(
  api: ApiClient,
  status: MerchantStatus | null,
  cursor: string | null,
): Promise<MerchantPage> {
  const params = new URLSearchParams();
  params.set('limit', '20');
  if (status !== null) params.set('status', status);
  if (cursor !== null) params.set('cursor', cursor);
  return api.get<MerchantPage>(`/api/v1/staff/merchants?${params.toString()}`);
}

export function onboardMerchant(api: ApiClient, merchant: NewMerchant): Promise<Merchant> {
  return api.post<Merchant>('/api/v1/staff/merchants', merchant);
}

export function getMerchant(api: ApiClient, id: string): Promise<Merchant> {
  return api.get<Merchant>(`/api/v1/staff/merchants/${encodeURIComponent(id)}`);
}

export function setMerchantStatus(
  api: ApiClient,
  id: string,
  status: 'active' | 'suspended',
): Promise<Merchant> {
  return api.post<Merchant>(`/api/v1/staff/merchants/${encodeURIComponent(id)}/status`, {
    status,
  });
}

/** Recent settlements of every merchant (admin, auditor). */
export async function listSettlements(api: ApiClient): Promise<Settlement[]> {
  return (await api.get<{ settlements: Settlement[] }>('/api/v1/staff/settlements')).settlements;
}

/** Ledger totals against balances and payment / settlement records (admin, auditor). */
export function getReconciliation(api: ApiClient): Promise<Reconciliation> {
  return api.get<Reconciliation>('/api/v1/staff/reconciliation');
}
