import { describe, expect, it } from 'vitest';

import { MERCHANT_CATEGORIES, MERCHANT_STATUSES } from '../api/types';
import { PAYMENT_CHANNELS } from '../h5/paymentFormat';
import { hasMessage, translate } from './translate';
import { paymentsEn, paymentsZh } from './paymentsMessages';

describe('payments messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(paymentsEn).sort()).toEqual(Object.keys(paymentsZh).sort());
  });

  it('names every category, merchant status and channel', () => {
    for (const category of MERCHANT_CATEGORIES) {
      expect(hasMessage(`merchant.category.${category}`), category).toBe(true);
    }
    for (const status of MERCHANT_STATUSES) {
      expect(hasMessage(`merchant.status.${status}`), status).toBe(true);
    }
    for (const channel of PAYMENT_CHANNELS) {
      expect(hasMessage(`payment.channel.${channel}`), channel).toBe(true);
    }
    for (const type of ['payment', 'refund', 'cashback', 'referral', 'lottery', 'red_packet', 'other']) {
      expect(hasMessage(`history.type.${type}`), type).toBe(true);
    }
  });

  it('fills in the countdown', () => {
    expect(translate('zh', 'paycode.refreshIn', { seconds: 7 })).toBe('7 秒后自动刷新');
    expect(translate('en', 'paycode.refreshIn', { seconds: 7 })).toBe('Refreshes in 7 s');
  });
});
