// The customer's payment endpoints of API v1: scanning and paying merchant QR codes, online
// checkout, payment codes (付款码), confirming payments taken by code, and small-payment (免密)
// settings, spending analysis and e-invoices. Payments carry the Idempotency-Key of the user
// action.
import { ApiError, type ApiClient } from './client';
import type { DeviceSignature } from './deviceKeys';
import type {
  Invoice,
  InvoiceRequest,
  Payment,
  PaymentDeviceAnswer,
  PaymentPage,
  ScanPreview,
  SmallPayments,
  Spending,
} from './types';

export function previewScan(api: ApiClient, qr: string): Promise<ScanPreview> {
  return api.post<ScanPreview>('/api/v1/me/scans', { qr });
}

export interface PayRequest {
  qr: string;
  /** Only for a static QR: the customer types it. */
  amount?: number;
  currency: 'CNY';
  via?: 'scan' | 'checkout';
  /** Required once the customer has set a payment PIN. */
  payment_pin?: string;
  /** A coupon of the customer's to use (marketing); not applied when it no longer fits. */
  coupon_id?: string;
  /**
   * Points to pay part of it with (points.ts); only when the customer switched points on, and
   * then without coupon_id. POINTS_INSUFFICIENT (409): the balance dropped meanwhile;
   * POINTS_NOT_ACCEPTED (400): the programme or its redemption is off.
   */
  points?: number;
}

export function pay(api: ApiClient, request: PayRequest, idempotencyKey: string): Promise<Payment> {
  return api.postMoney<Payment>('/api/v1/me/payments', request, { idempotencyKey });
}

export const PAYMENTS_PAGE_SIZE = 20;

export function listMyPayments(
  api: ApiClient,
  cursor: string | null,
  status?: 'awaiting_confirmation',
): Promise<PaymentPage> {
  const params = new URLSearchParams();
  params.set('limit', String(PAYMENTS_PAGE_SIZE));
  if (cursor !== null) params.set('cursor', cursor);
  if (status !== undefined) params.set('status', status);
  return api.get<PaymentPage>(`/api/v1/me/payments?${params.toString()}`);
}

export function getMyPayment(api: ApiClient, id: string): Promise<Payment> {
  return api.get<Payment>(`/api/v1/me/payments/${encodeURIComponent(id)}`);
}

/**
 * What confirming a payment may carry: the payment PIN (once one is set) and, for a payment held
 * for a step-up (CHALLENGE_REQUIRED), a second code or a device signature bound to it.
 */
export interface ConfirmFactors {
  payment_pin?: string;
  sms_code?: string;
  totp_code?: string;
  device_signature?: DeviceSignature;
}

export function confirmPayment(api: ApiClient, id: string, factors: ConfirmFactors = {}): Promise<Payment> {
  return api.post<Payment>(`/api/v1/me/payments/${encodeURIComponent(id)}/confirm`, factors);
}

export function declinePayment(api: ApiClient, id: string): Promise<Payment> {
  return api.post<Payment>(`/api/v1/me/payments/${encodeURIComponent(id)}/decline`, {});
}

export function registerPaymentDevice(api: ApiClient): Promise<PaymentDeviceAnswer> {
  return api.post<PaymentDeviceAnswer>('/api/v1/me/payment-device', {});
}

export function getSmallPayments(api: ApiClient): Promise<SmallPayments> {
  return api.get<SmallPayments>('/api/v1/me/small-payments');
}

export function putSmallPayments(
  api: ApiClient,
  settings: Omit<SmallPayments, 'currency'>,
): Promise<SmallPayments> {
  return api.put<SmallPayments>('/api/v1/me/small-payments', settings);
}

export const SPENDING_MONTHS = 6;

export function getSpending(api: ApiClient, months = SPENDING_MONTHS): Promise<Spending> {
  return api.get<Spending>(`/api/v1/me/spending?months=${months}`);
}

function invoicePath(paymentId: string): string {
  return `/api/v1/me/payments/${encodeURIComponent(paymentId)}/invoice`;
}

/** The payment's invoice, or null when none was asked for yet (404 INVOICE_NOT_FOUND). */
export async function getMyInvoice(api: ApiClient, paymentId: string): Promise<Invoice | null> {
  try {
    return await api.get<Invoice>(invoicePath(paymentId));
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'INVOICE_NOT_FOUND') return null;
    throw cause;
  }
}

/**
 * Asks for the invoice. It moves no money, so no Idempotency-Key: a payment has one invoice and
 * asking again answers the first one (200).
 */
export function requestInvoice(api: ApiClient, paymentId: string, request: InvoiceRequest) {
  return api.post<Invoice>(invoicePath(paymentId), request);
}

export function getMyInvoicePdf(api: ApiClient, number: string): Promise<Blob> {
  return api.getBlob(`/api/v1/me/invoices/${encodeURIComponent(number)}/pdf`);
}
