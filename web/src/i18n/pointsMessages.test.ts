import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { CUSTOMER_SEGMENTS } from '../api/marketing';
import { POINTS_ENTRY_KINDS, WEEKDAYS, pointsEntryKindKey } from '../api/points';
import { errorMessage, errorMessageKey } from './errors';
import { pointsEn, pointsZh } from './pointsMessages';
import { hasMessage, translate } from './translate';

describe('points messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(pointsEn).sort()).toEqual(Object.keys(pointsZh).sort());
  });

  it('names every entry kind, weekday and segment the pages show', () => {
    for (const kind of [...POINTS_ENTRY_KINDS, 'something_new']) {
      expect(hasMessage(pointsEntryKindKey(kind)), kind).toBe(true);
    }
    for (const day of WEEKDAYS) {
      expect(hasMessage(`points.weekday.${day}`), String(day)).toBe(true);
    }
    for (const segment of CUSTOMER_SEGMENTS) {
      expect(hasMessage(`campaign.segment.${segment}`), segment).toBe(true);
    }
  });

  it('names the referral entries in both languages', () => {
    expect(translate('zh', pointsEntryKindKey('referral'))).toBe('邀请奖励');
    expect(translate('zh', pointsEntryKindKey('referral_clawback'))).toBe('邀请奖励收回');
    expect(translate('en', pointsEntryKindKey('referral'))).toBe('Referral reward');
    expect(translate('en', pointsEntryKindKey('referral_clawback'))).toBe('Referral reward reversed');
  });

  it('has its own text for each points error, in both languages', () => {
    for (const [code, status] of [
      ['POINTS_INVALID_PROGRAM', 400],
      ['POINTS_INSUFFICIENT', 409],
      ['POINTS_NOT_ACCEPTED', 400],
    ] as const) {
      const error = new ApiError(status, code, 'server text');
      expect(errorMessageKey(error).key).toBe(`apiError.${code}`);
      expect(errorMessage('en', error)).not.toBe(errorMessage('zh', error));
    }
  });

  it('fills in the points switch and the points earned', () => {
    expect(translate('zh', 'pay.points.use', { points: 500, amount: '¥5.00' })).toBe('用 500 积分抵 ¥5.00');
    expect(translate('en', 'pay.points.use', { points: 500, amount: '¥5.00' })).toBe(
      'Use 500 points for ¥5.00 off',
    );
    expect(translate('zh', 'pay.points.earn', { points: 95 })).toBe('本单预计得 95 积分');
  });
});
