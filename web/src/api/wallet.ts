// The customer endpoints of API v1, one function each. Money-moving calls take the
// Idempotency-Key of the user action so that a retry of the same action reuses it.
import type { ApiClient } from './client';
import type { DeviceSignature } from './deviceKeys';
import type {
  Balance,
  Card,
  CardMovement,
  Channel,
  Customer,
  HistoryPage,
  HistoryType,
  OtpAnswer,
  OtpPurpose,
  Security,
  SessionAnswer,
  TransferAnswer,
} from './types';

export interface RegisterRequest {
  phone: string;
  otp: string;
  password: string;
  invite_code?: string;
  channel?: Channel;
}

export interface HistoryFilter {
  types: HistoryType[];
  /** A China-time day "2026-11-23" (inclusive), or empty for no bound. */
  from: string;
  to: string;
}

export const HISTORY_PAGE_SIZE = 20;

/** The query string of GET /api/v1/me/history for a filter and a cursor (null: first page). */
export function historyQuery(
  filter: HistoryFilter,
  cursor: string | null,
  limit = HISTORY_PAGE_SIZE,
): string {
  const params = new URLSearchParams();
  params.set('limit', String(limit));
  if (cursor !== null) params.set('cursor', cursor);
  if (filter.types.length > 0) params.set('type', filter.types.join(','));
  if (filter.from !== '') params.set('from', filter.from);
  if (filter.to !== '') params.set('to', filter.to);
  return `?${params.toString()}`;
}

export function sendOtp(api: ApiClient, phone: string, purpose: OtpPurpose): Promise<OtpAnswer> {
  return api.post<OtpAnswer>('/api/v1/otp', { phone, purpose });
}

export function register(api: ApiClient, request: RegisterRequest): Promise<SessionAnswer> {
  return api.post<SessionAnswer>('/api/v1/customers', request);
}

export function logIn(api: ApiClient, phone: string, password: string): Promise<SessionAnswer> {
  return api.post<SessionAnswer>('/api/v1/sessions', { phone, password });
}

export function logOut(api: ApiClient): Promise<void> {
  return api.delete<void>('/api/v1/sessions/current');
}

export function getMe(api: ApiClient): Promise<Customer> {
  return api.get<Customer>('/api/v1/me');
}

export function getBalance(api: ApiClient): Promise<Balance> {
  return api.get<Balance>('/api/v1/me/balance');
}

export function verifyIdentity(
  api: ApiClient,
  realName: string,
  residentId: string,
): Promise<Customer> {
  return api.post<Customer>('/api/v1/me/identity', {
    real_name: realName,
    resident_id: residentId,
  });
}

export async function listCards(api: ApiClient): Promise<Card[]> {
  return (await api.get<{ cards: Card[] }>('/api/v1/me/cards')).cards;
}

export function bindCard(api: ApiClient, cardNumber: string): Promise<Card> {
  return api.post<Card>('/api/v1/me/cards', { card_number: cardNumber });
}

export function unbindCard(api: ApiClient, cardId: string): Promise<void> {
  return api.delete<void>(`/api/v1/me/cards/${encodeURIComponent(cardId)}`);
}

export type CardMovementKind = 'top_up' | 'withdrawal';

export function moveCardMoney(
  api: ApiClient,
  kind: CardMovementKind,
  cardId: string,
  amountFen: number,
  idempotencyKey: string,
  paymentPin?: string,
): Promise<CardMovement> {
  const path = kind === 'top_up' ? '/api/v1/me/top-ups' : '/api/v1/me/withdrawals';
  const body: Record<string, unknown> = { card_id: cardId, amount: amountFen, currency: 'CNY' };
  if (paymentPin) body.payment_pin = paymentPin;
  return api.postMoney<CardMovement>(path, body, { idempotencyKey });
}

export interface TransferRequest {
  to_phone: string;
  amount: number;
  currency: 'CNY';
  memo?: string;
  /** Required once the customer has set a payment PIN. */
  payment_pin?: string;
  /** A second factor, after CHALLENGE_REQUIRED (PBoC No. 43). */
  sms_code?: string;
  totp_code?: string;
  /** Past ¥5,000 a day: this phone's signature over the payee, amount and Idempotency-Key. */
  device_signature?: DeviceSignature;
}

export function transfer(
  api: ApiClient,
  request: TransferRequest,
  idempotencyKey: string,
): Promise<TransferAnswer> {
  return api.postMoney<TransferAnswer>('/api/v1/me/transfers', request, { idempotencyKey });
}

export function getHistory(
  api: ApiClient,
  filter: HistoryFilter,
  cursor: string | null,
): Promise<HistoryPage> {
  return api.get<HistoryPage>(`/api/v1/me/history${historyQuery(filter, cursor)}`);
}

export function getSecurity(api: ApiClient): Promise<Security> {
  return api.get<Security>('/api/v1/me/security');
}

/** Sets the first payment PIN, or changes it with the current one. */
export function setPaymentPin(api: ApiClient, pin: string, currentPin?: string): Promise<Security> {
  const body: Record<string, string> = { pin };
  if (currentPin) body.current_pin = currentPin;
  return api.put<Security>('/api/v1/me/payment-pin', body);
}

/** Resets a forgotten PIN: an SMS code (purpose reset_pin) and the verified resident ID. */
export function resetPaymentPin(
  api: ApiClient,
  smsCode: string,
  residentId: string,
  pin: string,
): Promise<Security> {
  return api.post<Security>('/api/v1/me/payment-pin/reset', {
    sms_code: smsCode,
    resident_id: residentId,
    pin,
  });
}
