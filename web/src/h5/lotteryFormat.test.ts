import { describe, expect, it } from 'vitest';

import type { CustomerPrize, MyLottery } from '../api/lottery';
import { translate } from '../i18n/translate';
import {
  angleUnderPointer,
  drawText,
  drawsLeftToday,
  earnRules,
  landingSector,
  prizeText,
  prizeValueText,
  sectorPath,
  shortLabel,
  spinRotation,
  wheelSectors,
} from './lotteryFormat';

const zh = (key: string, params?: Record<string, string | number>) => translate('zh', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

const prize = (name: string, chance_bps: number, extra: Partial<CustomerPrize> = {}): CustomerPrize => ({
  name,
  kind: 'points',
  amount: 50,
  chance_bps,
  available: true,
  ...extra,
});

describe('wheelSectors', () => {
  it('sizes each prize by its chance and gives 谢谢参与 the rest', () => {
    const sectors = wheelSectors([prize('A', 2500), prize('B', 1250)]);
    expect(sectors.map((s) => [s.kind, s.name, s.chanceBps, s.startDeg, s.endDeg])).toEqual([
      ['prize', 'A', 2500, 0, 90],
      ['prize', 'B', 1250, 90, 135],
      ['thanks', '', 6250, 135, 360],
    ]);
  });

  it('has no 谢谢参与 sector when the prizes take all 100 %', () => {
    const sectors = wheelSectors([prize('¥1 红包', 5000, { kind: 'cash', amount: 100 }), prize('50 积分', 5000)]);
    expect(sectors.map((s) => [s.name, s.startDeg, s.endDeg])).toEqual([
      ['¥1 红包', 0, 180],
      ['50 积分', 180, 360],
    ]);
  });

  it('is one 谢谢参与 circle without prizes, and skips prizes without chance', () => {
    expect(wheelSectors([]).map((s) => [s.kind, s.startDeg, s.endDeg])).toEqual([['thanks', 0, 360]]);
    expect(wheelSectors([prize('A', 0), prize('B', 1)]).map((s) => [s.name, s.chanceBps])).toEqual([
      ['B', 1],
      ['', 9999],
    ]);
  });

  it('sizes a one-basis-point prize at 0.036°', () => {
    const [tiny] = wheelSectors([prize('A', 1)]);
    expect(tiny?.endDeg).toBeCloseTo(0.036, 10);
  });
});

describe('landingSector and spinRotation', () => {
  const sectors = wheelSectors([prize('A', 2500), prize('B', 2500, { available: false })]);

  it('stops a prize won under the pointer', () => {
    const a = landingSector(sectors, { won: true, prize: { name: 'A', kind: 'points', amount: 50 } });
    expect(a?.name).toBe('A');
    const rotation = spinRotation(0, a!);
    // Five whole turns, then A's middle (45°) comes to the top: 360 − 45.
    expect(rotation).toBe(5 * 360 + 315);
    expect(angleUnderPointer(rotation)).toBe(45);
  });

  it('stops 谢谢参与 on its sector', () => {
    const thanks = landingSector(sectors, { won: false, prize: null });
    expect(thanks?.kind).toBe('thanks');
    // 谢谢参与 spans 180°..360°: its middle is 270°.
    expect(angleUnderPointer(spinRotation(123, thanks!))).toBe(270);
  });

  it('without a 谢谢参与 sector, stops a loss on a prize that is gone', () => {
    const full = wheelSectors([prize('A', 5000), prize('B', 5000, { available: false })]);
    expect(landingSector(full, { won: false, prize: null })?.name).toBe('B');
    expect(landingSector(wheelSectors([prize('A', 10_000)]), { won: false, prize: null })).toBeNull();
  });

  it('finds nothing for a prize the wheel does not have (the lottery changed)', () => {
    expect(landingSector(sectors, { won: true, prize: { name: 'Z', kind: 'cash', amount: 1 } })).toBeNull();
  });

  it('always turns forward at least the whole turns, from wherever the wheel stands', () => {
    const b = sectors[1]!;
    for (const current of [0, 10, 359, 360, 1_000, 2_115, -30]) {
      const next = spinRotation(current, b, 3);
      expect(next - current).toBeGreaterThan(2 * 360);
      expect(next - current).toBeLessThanOrEqual(4 * 360);
      expect(angleUnderPointer(next)).toBeCloseTo(135, 10);
    }
  });
});

describe('sectorPath', () => {
  it('draws a quarter from the top clockwise', () => {
    expect(sectorPath(150, 100, 0, 90)).toBe('M 150 150 L 150 50 A 100 100 0 0 1 250 150 Z');
  });

  it('uses the large arc past 180° and two arcs for the whole circle', () => {
    expect(sectorPath(150, 100, 0, 270)).toContain(' 0 1 1 ');
    expect(sectorPath(150, 100, 0, 360)).toBe('M 150 50 A 100 100 0 1 1 150 250 A 100 100 0 1 1 150 50 Z');
  });
});

describe('words', () => {
  it('says a prize and a draw', () => {
    const cash = { name: '¥1 红包', kind: 'cash', amount: 100 };
    const points = { name: '50 积分', kind: 'points', amount: 50 };
    expect(prizeValueText(zh, cash)).toBe('¥1.00 现金');
    expect(prizeValueText(en, points)).toBe('50 points');
    expect(prizeText(zh, cash)).toBe('¥1 红包（¥1.00 现金）');
    expect(drawText(zh, { won: true, prize: cash })).toBe('抽中 ¥1 红包（¥1.00 现金）');
    // A name that says the value is not said twice.
    expect(prizeText(zh, points)).toBe('50 积分');
    expect(drawText(zh, { won: true, prize: points })).toBe('抽中 50 积分');
    expect(prizeText(en, points)).toBe('50 积分 (50 points)');
    expect(drawText(zh, { won: false, prize: null })).toBe('谢谢参与');
    expect(drawText(en, { won: false, prize: null })).toBe('Thanks for taking part');
  });

  it('counts the draws left today within the daily limit', () => {
    const chances = { available: 5, used_today: 1, daily_limit: 3, signed_in_today: false, earned_by_payments_today: 0 };
    expect(drawsLeftToday(chances)).toBe(2);
    expect(drawsLeftToday({ ...chances, available: 1 })).toBe(1);
    expect(drawsLeftToday({ ...chances, used_today: 3 })).toBe(0);
    expect(drawsLeftToday({ ...chances, available: 0 })).toBe(0);
  });

  it('cuts long labels for the wheel', () => {
    expect(shortLabel('¥1 红包')).toBe('¥1 红包');
    expect(shortLabel('一等奖：超级大礼包')).toBe('一等奖：超…');
  });
});

describe('earnRules', () => {
  const lottery: Pick<MyLottery, 'sign_in_draw' | 'payment_min' | 'payment_draws_daily' | 'referral_draws'> & {
    chances: { daily_limit: number };
  } = {
    sign_in_draw: true,
    payment_min: 1000,
    payment_draws_daily: 1,
    referral_draws: 2,
    chances: { daily_limit: 3 },
  };

  it('says every way to earn draws, and the daily limit, in one sentence', () => {
    expect(earnRules(zh, lottery)).toBe(
      '每天签到得 1 次；单笔支付满 ¥10.00 得 1 次，每天最多 1 次；每成功邀请 1 位好友得 2 次；每天最多抽 3 次',
    );
    expect(earnRules(en, lottery)).toBe(
      'Sign in daily for 1; a payment of at least ¥10.00 earns 1, up to 1 a day; 2 for each friend you refer who is rewarded; draw up to 3 times a day',
    );
  });

  it('says only the ways that are on', () => {
    expect(earnRules(zh, { ...lottery, sign_in_draw: false, referral_draws: 0 })).toBe(
      '单笔支付满 ¥10.00 得 1 次，每天最多 1 次；每天最多抽 3 次',
    );
    expect(earnRules(zh, { ...lottery, payment_min: 0, payment_draws_daily: 0, referral_draws: 0 })).toBe(
      '每天签到得 1 次；每天最多抽 3 次',
    );
    expect(
      earnRules(en, { ...lottery, sign_in_draw: false, payment_min: 0, payment_draws_daily: 0, referral_draws: 0 }),
    ).toBe('No way to earn draws at the moment; draw up to 3 times a day');
  });
});
