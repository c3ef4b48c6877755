import { describe, expect, it } from 'vitest';

import { translate } from '../i18n/translate';
import { couponTerms } from './couponFormat';

const zh = (key: string, params?: Record<string, string | number>) => translate('zh', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

describe('couponTerms', () => {
  it('reads a threshold coupon, with and without a threshold', () => {
    expect(couponTerms(zh, { kind: 'threshold', threshold: 10_000, save: 1500 })).toBe('满¥100.00减¥15.00');
    expect(couponTerms(zh, { kind: 'threshold', threshold: 0, save: 500 })).toBe('无门槛减¥5.00');
    expect(couponTerms(en, { kind: 'threshold', threshold: 10_000, save: 1500 })).toBe('¥15.00 off ¥100.00');
  });

  it('reads a percent coupon with and without its cap', () => {
    expect(couponTerms(en, { kind: 'percent', threshold: 0, discount_bps: 750 })).toBe('7.5% off');
    expect(couponTerms(zh, { kind: 'percent', threshold: 0, discount_bps: 1000, discount_cap: 2000 })).toBe(
      '立减 10%，最多减¥20.00',
    );
  });
});
