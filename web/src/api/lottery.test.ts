import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from './client';
import { fakeFetch } from './fakeFetch';
import {
  bpsToPercent,
  drawLottery,
  getLottery,
  getMyLottery,
  percentToBps,
  putLottery,
  remainingBudget,
  signInLottery,
  thanksChanceBps,
  totalChanceBps,
  type LotteryInput,
} from './lottery';

const INPUT: LotteryInput = {
  enabled: true,
  prizes: [
    { name: '¥1 红包', kind: 'cash', amount: 100, inventory: 1000, chance_bps: 5000 },
    { name: '50 积分', kind: 'points', amount: 50, inventory: 1000, chance_bps: 5000 },
  ],
  payment_min: 1000,
  payment_draws_daily: 1,
  sign_in_draw: true,
  referral_draws: 0,
  daily_draw_limit: 3,
  budget: 10_000,
};

const STAFF = {
  ...INPUT,
  starts_at: null,
  ends_at: null,
  prizes: INPUT.prizes.map((prize) => ({ ...prize, remaining: prize.inventory })),
  spent: 0,
  draws: 0,
  version: 1,
  updated_at: '2026-11-24T10:00:00Z',
};

const CHANCES = {
  available: 1,
  used_today: 0,
  daily_limit: 3,
  signed_in_today: true,
  earned_by_payments_today: 0,
};

describe('lottery API', () => {
  it('reads and replaces the lottery at /staff/lottery', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: STAFF },
      { status: 200, body: STAFF },
    ]);
    const api = new ApiClient({ fetch });
    expect(await getLottery(api)).toEqual(STAFF);
    expect(await putLottery(api, INPUT)).toEqual(STAFF);
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/v1/staff/lottery', method: 'GET', body: undefined },
      { url: '/api/v1/staff/lottery', method: 'PUT', body: INPUT },
    ]);
  });

  it('keeps the LOTTERY_INVALID message, which names the field', async () => {
    const { fetch } = fakeFetch([
      { status: 422, body: { error: { code: 'LOTTERY_INVALID', message: 'prizes[1].chance_bps: out of range' } } },
    ]);
    const error = await putLottery(new ApiClient({ fetch }), INPUT).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('LOTTERY_INVALID');
    expect((error as ApiError).message).toBe('prizes[1].chance_bps: out of range');
    expect((error as ApiError).status).toBe(422);
  });

  it('reads my lottery and signs in without a body', async () => {
    const mine = {
      active: true,
      prizes: [{ name: '¥1 红包', kind: 'cash', amount: 100, chance_bps: 5000, available: true }],
      chances: CHANCES,
      sign_in_draw: true,
      payment_min: 1000,
      payment_draws_daily: 1,
      referral_draws: 0,
      ends_at: null,
      draws: [],
    };
    const { calls, fetch } = fakeFetch([
      { status: 200, body: mine },
      { status: 200, body: { chances: CHANCES } },
    ]);
    const api = new ApiClient({ fetch });
    expect(await getMyLottery(api)).toEqual(mine);
    expect(await signInLottery(api)).toEqual(CHANCES);
    expect(calls[1]).toMatchObject({ url: '/api/v1/me/lottery/sign-in', method: 'POST', body: undefined });
    expect(calls[1]?.headers['Content-Type']).toBeUndefined();
  });

  it('draws with the Idempotency-Key given and no body', async () => {
    const draw = {
      id: '7',
      time: '2026-11-24T10:00:00Z',
      won: true,
      prize: { name: '50 积分', kind: 'points', amount: 50 },
      chances: { ...CHANCES, available: 0, used_today: 1 },
    };
    const { calls, fetch } = fakeFetch([
      { status: 201, body: draw },
      { status: 200, body: draw },
    ]);
    const api = new ApiClient({ fetch });
    expect(await drawLottery(api, 'press-1')).toEqual(draw);
    // A retry with the same key answers the same draw.
    expect(await drawLottery(api, 'press-1')).toEqual(draw);
    expect(calls.map((call) => [call.url, call.method, call.headers['Idempotency-Key'], call.body])).toEqual([
      ['/api/v1/me/lottery/draws', 'POST', 'press-1', undefined],
      ['/api/v1/me/lottery/draws', 'POST', 'press-1', undefined],
    ]);
  });

  it('passes a refusal on with its code', async () => {
    const { fetch } = fakeFetch([
      { status: 409, body: { error: { code: 'LOTTERY_NO_DRAWS', message: 'no draws left; earn more' } } },
    ]);
    const error = await drawLottery(new ApiClient({ fetch }), 'k').catch((cause: unknown) => cause);
    expect((error as ApiError).code).toBe('LOTTERY_NO_DRAWS');
    expect((error as ApiError).status).toBe(409);
  });
});

describe('percent and basis points', () => {
  it('reads a typed percent as basis points, exactly', () => {
    expect(percentToBps('50')).toBe(5000);
    expect(percentToBps('12.5')).toBe(1250);
    expect(percentToBps('12.34')).toBe(1234);
    expect(percentToBps('0.01')).toBe(1);
    expect(percentToBps('0.1')).toBe(10);
    expect(percentToBps(' 33.33 % ')).toBe(3333);
    expect(percentToBps('100')).toBe(10_000);
    expect(percentToBps('0')).toBe(0);
    expect(percentToBps('１２．５')).toBe(1250);
    // 0.29 * 100 is 28.999999999999996 in floating point: the digits are read instead.
    expect(percentToBps('0.29')).toBe(29);
    expect(percentToBps('1.15')).toBe(115);
  });

  it('refuses what is not 0..100 with at most two decimals', () => {
    for (const text of ['', 'abc', '12.345', '100.01', '101', '-1', '1e2', '.5', '1,000']) {
      expect(percentToBps(text), text).toBeNull();
    }
  });

  it('writes basis points as a percent', () => {
    expect(bpsToPercent(5000)).toBe('50');
    expect(bpsToPercent(1250)).toBe('12.5');
    expect(bpsToPercent(1)).toBe('0.01');
    expect(bpsToPercent(10_000)).toBe('100');
    expect(bpsToPercent(0)).toBe('0');
    expect(bpsToPercent(5000, true)).toBe('50.00');
    expect(bpsToPercent(1250, true)).toBe('12.50');
    expect(bpsToPercent(7, true)).toBe('0.07');
  });

  it('round-trips every basis point', () => {
    for (let bps = 0; bps <= 10_000; bps += 1) {
      expect(percentToBps(bpsToPercent(bps))).toBe(bps);
      expect(percentToBps(bpsToPercent(bps, true))).toBe(bps);
    }
  });
});

describe('figures', () => {
  it('adds the chances and leaves the rest to 谢谢参与', () => {
    expect(totalChanceBps(INPUT.prizes)).toBe(10_000);
    expect(thanksChanceBps(INPUT.prizes)).toBe(0);
    expect(thanksChanceBps([{ chance_bps: 1234 }])).toBe(8766);
    expect(thanksChanceBps([])).toBe(10_000);
    expect(thanksChanceBps([{ chance_bps: 9000 }, { chance_bps: 2000 }])).toBe(0);
  });

  it('counts the budget left, never below 0', () => {
    expect(remainingBudget({ budget: 10_000, spent: 100 })).toBe(9_900);
    expect(remainingBudget({ budget: 100, spent: 150 })).toBe(0);
  });
});
