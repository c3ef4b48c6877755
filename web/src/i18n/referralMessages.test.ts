import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { REFERRAL_COUNT_FIGURES, REWARD_KINDS } from '../api/referral';
import { errorMessage, errorMessageKey } from './errors';
import { referralEn, referralZh } from './referralMessages';
import { hasMessage, translate } from './translate';

describe('referral messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(referralEn).sort()).toEqual(Object.keys(referralZh).sort());
  });

  it('names every reward kind and figure the console shows', () => {
    for (const kind of REWARD_KINDS) expect(hasMessage(`referral.kind.${kind}`), kind).toBe(true);
    const totals = ['inviter_cash', 'invitee_cash', 'inviter_points', 'invitee_points'];
    for (const name of [...REFERRAL_COUNT_FIGURES, ...totals]) {
      expect(hasMessage(`referral.figure.${name}`), name).toBe(true);
    }
  });

  it('has its own text for each referral error, in both languages', () => {
    for (const code of ['REFERRAL_INVALID_PROGRAM', 'INVITE_CODE_INVALID']) {
      const error = new ApiError(422, code, 'server text');
      expect(errorMessageKey(error).key).toBe(`apiError.${code}`);
      expect(errorMessage('en', error)).not.toBe(errorMessage('zh', error));
    }
  });

  it('labels the menu and the home action', () => {
    expect(translate('zh', 'console.referral')).toBe('好友推荐');
    expect(translate('en', 'console.referral')).toBe('Referral');
    expect(translate('zh', 'home.referral')).toBe('邀请好友');
    expect(translate('zh', 'referral.month.value', { rewarded: 1, cap: 10 })).toBe('1 / 10 位');
  });
});
