import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import type { PhoneListProblem } from '../console/phoneList';
import { couponCodeEn, couponCodeZh } from './couponCodeMessages';
import { errorMessage, errorMessageKey } from './errors';
import { hasMessage, translate } from './translate';

describe('coupon list and redeem code messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(couponCodeEn).sort()).toEqual(Object.keys(couponCodeZh).sort());
  });

  it('explains every problem reading a list', () => {
    const problems: Array<PhoneListProblem | 'too_large' | 'unreadable'> = [
      'empty',
      'no_phone_column',
      'too_many_rows',
      'too_large',
      'unreadable',
    ];
    for (const problem of problems) expect(hasMessage(`coupon.list.problem.${problem}`), problem).toBe(true);
  });

  it('has its own text for each refusal of a code, in both languages', () => {
    for (const [status, code] of [
      [422, 'COUPON_CODE_INVALID'],
      [409, 'COUPON_CODE_USED'],
      [409, 'COUPON_OUT_OF_STOCK'],
      [409, 'COUPON_CLAIM_LIMIT'],
      [409, 'COUPON_CLAIM_NOT_STARTED'],
      [409, 'COUPON_CLAIM_ENDED'],
      [403, 'RISK_DENIED'],
      [429, 'RATE_LIMITED'],
    ] as const) {
      const error = new ApiError(status, code, 'server text');
      expect(errorMessageKey(error).key).toBe(`apiError.${code}`);
      expect(errorMessage('en', error)).not.toBe(errorMessage('zh', error));
    }
  });

  it('labels the console actions and the 兑换码 box', () => {
    expect(translate('zh', 'coupon.list.action')).toBe('按名单发券 (CSV)');
    expect(translate('en', 'coupon.list.action')).toBe('Issue to a CSV list');
    expect(translate('zh', 'coupon.codes.action')).toBe('兑换码');
    expect(translate('en', 'coupon.codes.action')).toBe('Redeem codes');
    expect(translate('zh', 'offers.redeem.title')).toBe('兑换码');
    expect(translate('zh', 'apiError.COUPON_CODE_USED')).toBe('这个兑换码已经被使用过了');
    expect(translate('en', 'coupon.list.read', { rows: 3, phones: 2 })).toBe(
      '3 rows read; 2 numbers once duplicates are dropped',
    );
  });
});
