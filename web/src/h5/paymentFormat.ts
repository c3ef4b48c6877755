// How a merchant payment reads in the customer app and the merchant portal: labels for its
// channel and status, and the amount still refundable.
import type { Payment, PaymentChannel, PaymentStatus } from '../api/types';
import type { MessageKey } from '../i18n/dictionaries';

export const PAYMENT_CHANNELS: readonly PaymentChannel[] = [
  'static_qr',
  'dynamic_qr',
  'payment_code',
  'online',
  'nfc',
];

export function channelKey(channel: PaymentChannel | string): MessageKey {
  return (PAYMENT_CHANNELS as readonly string[]).includes(channel)
    ? (`payment.channel.${channel}` as MessageKey)
    : 'payment.channel.other';
}

const STATUSES: readonly PaymentStatus[] = ['completed', 'awaiting_confirmation', 'cancelled', 'under_review'];

/** The label of a payment's status; a fully refunded payment says so. */
export function paymentStatusKey(payment: Pick<Payment, 'status' | 'amount' | 'refunded'>) {
  if (payment.status === 'completed' && payment.refunded > 0) {
    return payment.refunded >= payment.amount
      ? ('payment.status.refunded' as const)
      : ('payment.status.partly_refunded' as const);
  }
  return (STATUSES as readonly string[]).includes(payment.status)
    ? (`payment.status.${payment.status}` as MessageKey)
    : 'payment.status.other';
}

export function refundStatusKey(status: string): MessageKey {
  return ['completed', 'processing', 'failed'].includes(status)
    ? (`refund.status.${status}` as MessageKey)
    : 'refund.status.other';
}

/** What can still be refunded, in fen (never negative). */
export function refundableFen(payment: Pick<Payment, 'amount' | 'refunded' | 'status'>) {
  if (payment.status !== 'completed') return 0;
  return Math.max(0, payment.amount - payment.refunded);
}
