import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { PRIZE_KINDS } from '../api/lottery';
import { pointsEntryKindKey } from '../api/points';
import { errorMessage, errorMessageKey } from './errors';
import { lotteryEn, lotteryZh } from './lotteryMessages';
import { hasMessage, translate } from './translate';

describe('lottery messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(lotteryEn).sort()).toEqual(Object.keys(lotteryZh).sort());
  });

  it('names every prize kind', () => {
    for (const kind of PRIZE_KINDS) {
      expect(hasMessage(`lottery.kind.${kind}`), kind).toBe(true);
      expect(hasMessage(`lottery.prize.${kind}`), kind).toBe(true);
    }
  });

  it('has its own text for each lottery error, in both languages', () => {
    for (const code of [
      'LOTTERY_INVALID',
      'LOTTERY_OFF',
      'LOTTERY_SIGNED_IN',
      'LOTTERY_NO_DRAWS',
      'LOTTERY_DAILY_LIMIT',
      'LOTTERY_WALLET_FULL',
    ]) {
      const error = new ApiError(409, code, 'server text');
      expect(errorMessageKey(error).key).toBe(`apiError.${code}`);
      expect(errorMessage('en', error)).not.toBe(errorMessage('zh', error));
    }
  });

  it('labels the menu, the home action, 谢谢参与 and the points entry', () => {
    expect(translate('zh', 'console.lottery')).toBe('抽奖');
    expect(translate('en', 'console.lottery')).toBe('Lottery');
    expect(translate('zh', 'home.lottery')).toBe('抽奖');
    expect(translate('zh', 'lottery.title')).toBe('幸运抽奖');
    expect(translate('zh', 'lottery.thanks')).toBe('谢谢参与');
    expect(translate('zh', 'lottery.signedIn')).toBe('今日已签到');
    expect(translate('zh', pointsEntryKindKey('lottery'))).toBe('抽奖奖励');
    expect(translate('en', pointsEntryKindKey('lottery'))).toBe('Lottery prize');
  });
});
