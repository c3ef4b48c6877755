import { describe, expect, it } from 'vitest';

import { channelKey, paymentStatusKey, refundableFen, refundStatusKey } from './paymentFormat';

describe('payment labels', () => {
  it('names channels, unknown ones generically', () => {
    expect(channelKey('payment_code')).toBe('payment.channel.payment_code');
    expect(channelKey('carrier_pigeon')).toBe('payment.channel.other');
  });

  it('says when a payment was refunded in part or in full', () => {
    expect(paymentStatusKey({ status: 'completed', amount: 100, refunded: 0 })).toBe(
      'payment.status.completed',
    );
    expect(paymentStatusKey({ status: 'completed', amount: 100, refunded: 40 })).toBe(
      'payment.status.partly_refunded',
    );
    expect(paymentStatusKey({ status: 'completed', amount: 100, refunded: 100 })).toBe(
      'payment.status.refunded',
    );
    expect(paymentStatusKey({ status: 'awaiting_confirmation', amount: 1, refunded: 0 })).toBe(
      'payment.status.awaiting_confirmation',
    );
    expect(refundStatusKey('completed')).toBe('refund.status.completed');
    expect(refundStatusKey('weird')).toBe('refund.status.other');
  });

  it('computes what is still refundable', () => {
    expect(refundableFen({ status: 'completed', amount: 30000, refunded: 10000 })).toBe(20000);
    expect(refundableFen({ status: 'cancelled', amount: 30000, refunded: 0 })).toBe(0);
    expect(refundableFen({ status: 'completed', amount: 100, refunded: 200 })).toBe(0);
  });
});
