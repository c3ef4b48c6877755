import { describe, expect, it } from 'vitest';

import type { StaffLottery } from '../api/lottery';
import { hasMessage } from '../i18n/translate';
import {
  chanceOfForm,
  formChanceSummary,
  lotteryFormFieldOfError,
  lotteryToForm,
  newPrizeForm,
  remainingOfRow,
  serverMessageDetail,
  toLotteryInput,
  type LotteryFormValues,
  type LotteryPrizeFormValues,
} from './lotteryForm';

const CASH: LotteryPrizeFormValues = { name: '¥1 红包', kind: 'cash', amount: '1', inventory: 1000, chance: '50' };
const POINTS: LotteryPrizeFormValues = { name: '50 积分', kind: 'points', amount: '50', inventory: 1000, chance: '50' };

function form(overrides: Partial<LotteryFormValues> = {}): LotteryFormValues {
  return {
    enabled: true,
    startsAt: '',
    endsAt: '',
    prizes: [CASH, POINTS],
    paymentMin: '10',
    paymentDraws: 1,
    signInDraw: true,
    referralDraws: 0,
    dailyLimit: 3,
    budget: '100',
    ...overrides,
  };
}

const problemOf = (values: LotteryFormValues) => {
  const mapped = toLotteryInput(values);
  return mapped.ok ? null : mapped.problem;
};

describe('toLotteryInput', () => {
  it('maps yuan to fen, percent to basis points, and leaves unbounded times out', () => {
    expect(toLotteryInput(form())).toEqual({
      ok: true,
      value: {
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
      },
    });
    const mapped = toLotteryInput(form());
    expect(mapped.ok && 'starts_at' in mapped.value).toBe(false);
    expect(mapped.ok && 'ends_at' in mapped.value).toBe(false);
  });

  it('sends China-time bounds as RFC 3339', () => {
    const mapped = toLotteryInput(form({ startsAt: '2026-12-01T00:00', endsAt: '2026-12-12T23:59' }));
    expect(mapped.ok && mapped.value.starts_at).toBe('2026-11-30T16:00:00Z');
    expect(mapped.ok && mapped.value.ends_at).toBe('2026-12-12T15:59:00Z');
    expect(problemOf(form({ startsAt: '2026-12-02T00:00', endsAt: '2026-12-01T00:00' }))).toMatchObject({
      field: ['endsAt'],
      message: 'lottery.form.window',
    });
    expect(problemOf(form({ startsAt: 'soon' }))).toMatchObject({ field: ['startsAt'], message: 'lottery.form.time' });
  });

  it('takes chances with two decimals, cents of yuan and thousands separators', () => {
    const mapped = toLotteryInput(
      form({
        prizes: [
          { ...CASH, amount: '¥0.88', chance: '12.34' },
          { ...POINTS, amount: '1,000', chance: '0.01' },
        ],
        budget: '1,000.50',
        paymentMin: '',
        paymentDraws: 0,
      }),
    );
    expect(mapped.ok && mapped.value.prizes.map((p) => [p.amount, p.chance_bps])).toEqual([
      [88, 1234],
      [1000, 1],
    ]);
    expect(mapped.ok && mapped.value.budget).toBe(100_050);
    expect(mapped.ok && mapped.value.payment_min).toBe(0);
    expect(mapped.ok && mapped.value.payment_draws_daily).toBe(0);
  });

  it('takes no prizes at all: every draw is 谢谢参与', () => {
    const mapped = toLotteryInput(form({ prizes: [], budget: '' }));
    expect(mapped.ok && mapped.value.prizes).toEqual([]);
    expect(mapped.ok && mapped.value.budget).toBe(0);
  });

  it('names the prize field that is wrong', () => {
    const at = (prize: Partial<LotteryPrizeFormValues>) =>
      problemOf(form({ prizes: [CASH, { ...POINTS, ...prize }] }));
    expect(at({ name: '  ' })).toMatchObject({ field: ['prizes', 1, 'name'], message: 'lottery.form.required' });
    expect(at({ name: '奖'.repeat(22) })).toMatchObject({ field: ['prizes', 1, 'name'], message: 'lottery.form.nameTooLong' });
    expect(at({ name: ' ¥1 红包 ' })).toMatchObject({ field: ['prizes', 1, 'name'], message: 'lottery.form.nameTaken' });
    expect(at({ kind: 'coupon' as never })).toMatchObject({ field: ['prizes', 1, 'kind'] });
    expect(at({ amount: '1.5' })).toMatchObject({ field: ['prizes', 1, 'amount'], message: 'lottery.form.points' });
    expect(at({ amount: '0' })).toMatchObject({ field: ['prizes', 1, 'amount'], message: 'lottery.form.points' });
    expect(at({ inventory: 0 })).toMatchObject({ field: ['prizes', 1, 'inventory'], message: 'lottery.form.inventory' });
    expect(at({ inventory: null })).toMatchObject({ field: ['prizes', 1, 'inventory'] });
    expect(at({ chance: '0' })).toMatchObject({ field: ['prizes', 1, 'chance'], message: 'lottery.form.chance' });
    expect(at({ chance: '12.345' })).toMatchObject({ field: ['prizes', 1, 'chance'], message: 'lottery.form.chance' });
    expect(problemOf(form({ prizes: [{ ...CASH, amount: '0.001' }] }))).toMatchObject({
      field: ['prizes', 0, 'amount'],
      message: 'error.amount.TOO_MANY_DECIMALS',
    });
    expect(problemOf(form({ prizes: [{ ...CASH, amount: '1000000.01' }] }))).toMatchObject({
      field: ['prizes', 0, 'amount'],
      message: 'error.amount.TOO_LARGE',
    });
  });

  it('refuses chances adding up to more than 100 %, and more than 12 prizes', () => {
    expect(problemOf(form({ prizes: [CASH, { ...POINTS, chance: '50.01' }] }))).toEqual({
      field: ['prizes'],
      message: 'lottery.form.chanceTotal',
      params: { total: '100.01' },
    });
    const many = Array.from({ length: 13 }, (_, i) => ({ ...POINTS, name: `P${i}`, chance: '1' }));
    expect(problemOf(form({ prizes: many }))).toMatchObject({ field: ['prizes'], message: 'lottery.form.tooManyPrizes' });
  });

  it('keeps payments and their daily draws together, as the server does', () => {
    expect(problemOf(form({ paymentMin: '10', paymentDraws: 0 }))).toMatchObject({
      field: ['paymentDraws'],
      message: 'lottery.form.paymentDraws',
    });
    expect(problemOf(form({ paymentMin: '0', paymentDraws: 2 }))).toMatchObject({
      field: ['paymentMin'],
      message: 'lottery.form.paymentMin',
    });
    expect(problemOf(form({ paymentDraws: 101 }))).toMatchObject({ field: ['paymentDraws'], message: 'lottery.form.draws' });
    expect(problemOf(form({ paymentMin: 'ten' }))).toMatchObject({ field: ['paymentMin'], message: 'error.amount.INVALID' });
  });

  it('checks the draw counts and the budget', () => {
    expect(problemOf(form({ referralDraws: -1 }))).toMatchObject({ field: ['referralDraws'] });
    expect(problemOf(form({ referralDraws: 1.5 }))).toMatchObject({ field: ['referralDraws'] });
    expect(problemOf(form({ dailyLimit: 0 }))).toMatchObject({ field: ['dailyLimit'], message: 'lottery.form.dailyLimit' });
    expect(problemOf(form({ dailyLimit: null }))).toMatchObject({ field: ['dailyLimit'] });
    expect(problemOf(form({ dailyLimit: 101 }))).toMatchObject({ field: ['dailyLimit'] });
    expect(problemOf(form({ budget: '' }))).toMatchObject({ field: ['budget'], message: 'lottery.form.budgetForCash' });
    expect(problemOf(form({ budget: '1.234' }))).toMatchObject({ field: ['budget'], message: 'error.amount.TOO_MANY_DECIMALS' });
    // Points only: no budget needed.
    expect(toLotteryInput(form({ prizes: [POINTS], budget: '' })).ok).toBe(true);
  });

  it('uses message keys the dictionaries have', () => {
    const problems = [
      problemOf(form({ prizes: [{ ...CASH, name: '' }] })),
      problemOf(form({ prizes: [CASH, { ...POINTS, chance: '60' }] })),
      problemOf(form({ paymentDraws: 0 })),
      problemOf(form({ budget: '' })),
      problemOf(form({ dailyLimit: 0 })),
    ];
    for (const problem of problems) expect(hasMessage(problem?.message ?? ''), problem?.message).toBe(true);
  });
});

const SAVED: StaffLottery = {
  enabled: true,
  starts_at: '2026-11-30T16:00:00Z',
  ends_at: null,
  prizes: [
    { name: '¥1 红包', kind: 'cash', amount: 100, inventory: 1000, chance_bps: 5000, remaining: 999 },
    { name: '50 积分', kind: 'points', amount: 50, inventory: 1000, chance_bps: 1250, remaining: 1000 },
  ],
  payment_min: 1000,
  payment_draws_daily: 1,
  sign_in_draw: true,
  referral_draws: 2,
  daily_draw_limit: 3,
  budget: 10_000,
  spent: 100,
  draws: 1,
  version: 2,
  updated_at: '2026-11-24T10:00:00Z',
};

describe('lotteryToForm', () => {
  it('reads a saved lottery back into the form, and the form maps to the same body', () => {
    const values = lotteryToForm(SAVED);
    expect(values).toEqual({
      enabled: true,
      startsAt: '2026-12-01T00:00',
      endsAt: '',
      prizes: [
        { name: '¥1 红包', kind: 'cash', amount: '1.00', inventory: 1000, chance: '50' },
        { name: '50 积分', kind: 'points', amount: '50', inventory: 1000, chance: '12.5' },
      ],
      paymentMin: '10.00',
      paymentDraws: 1,
      signInDraw: true,
      referralDraws: 2,
      dailyLimit: 3,
      budget: '100.00',
    });
    const mapped = toLotteryInput(values);
    expect(mapped.ok && mapped.value).toEqual({
      enabled: true,
      starts_at: '2026-11-30T16:00:00Z',
      prizes: SAVED.prizes.map(({ remaining: _remaining, ...prize }) => prize),
      payment_min: 1000,
      payment_draws_daily: 1,
      sign_in_draw: true,
      referral_draws: 2,
      daily_draw_limit: 3,
      budget: 10_000,
    });
  });

  it('starts a never-set lottery empty, with the default daily limit', () => {
    const never: StaffLottery = {
      ...SAVED,
      enabled: false,
      starts_at: null,
      prizes: [],
      payment_min: 0,
      payment_draws_daily: 0,
      sign_in_draw: false,
      referral_draws: 0,
      daily_draw_limit: 0,
      budget: 0,
      spent: 0,
      draws: 0,
      version: 0,
      updated_at: null,
    };
    expect(lotteryToForm(never)).toMatchObject({ startsAt: '', prizes: [], paymentMin: '', budget: '', dailyLimit: 3 });
  });

  it('adds rows as points prizes to fill in', () => {
    expect(newPrizeForm()).toEqual({ name: '', kind: 'points', amount: '', inventory: null, chance: '' });
  });
});

describe('the live chance summary', () => {
  it('adds the valid chances typed so far and leaves the rest to 谢谢参与', () => {
    expect(formChanceSummary([CASH, { ...POINTS, chance: '12.5' }])).toEqual({
      totalBps: 6250,
      thanksBps: 3750,
      over: false,
    });
    expect(formChanceSummary([CASH, POINTS])).toEqual({ totalBps: 10_000, thanksBps: 0, over: false });
    expect(formChanceSummary([CASH, { ...POINTS, chance: '60' }])).toEqual({ totalBps: 11_000, thanksBps: 0, over: true });
    expect(formChanceSummary([{ chance: 'x' }, {}, { chance: '0.01' }])).toEqual({
      totalBps: 1,
      thanksBps: 9999,
      over: false,
    });
    expect(formChanceSummary(undefined)).toEqual({ totalBps: 0, thanksBps: 10_000, over: false });
  });

  it('takes 0.01 to 100 as a chance', () => {
    expect(chanceOfForm('0.01')).toBe(1);
    expect(chanceOfForm('100')).toBe(10_000);
    expect(chanceOfForm('0')).toBeNull();
    expect(chanceOfForm(undefined)).toBeNull();
  });
});

describe('server errors', () => {
  it('finds the field a LOTTERY_INVALID or FIELD_INVALID message names', () => {
    expect(lotteryFormFieldOfError('prizes[1].chance_bps: out of range')).toEqual(['prizes', 1, 'chance']);
    expect(lotteryFormFieldOfError('prizes[0].name: out of range')).toEqual(['prizes', 0, 'name']);
    expect(lotteryFormFieldOfError('prizes[2].amount: an integer from 0 to 9223372036854775807')).toEqual([
      'prizes',
      2,
      'amount',
    ]);
    expect(lotteryFormFieldOfError('prizes: at most 12, chances adding up to 10000 or less')).toEqual(['prizes']);
    expect(lotteryFormFieldOfError('starts_at: out of range')).toEqual(['startsAt']);
    expect(lotteryFormFieldOfError('ends_at: required')).toEqual(['endsAt']);
    expect(lotteryFormFieldOfError('payment_min: out of range')).toEqual(['paymentMin']);
    expect(lotteryFormFieldOfError('payment_draws_daily: out of range')).toEqual(['paymentDraws']);
    expect(lotteryFormFieldOfError('referral_draws: out of range')).toEqual(['referralDraws']);
    expect(lotteryFormFieldOfError('daily_draw_limit: out of range')).toEqual(['dailyLimit']);
    expect(lotteryFormFieldOfError('budget: out of range')).toEqual(['budget']);
    expect(lotteryFormFieldOfError('the lottery: out of range')).toBeNull();
    expect(lotteryFormFieldOfError('prizes[0].colour: unknown')).toBeNull();
    expect(lotteryFormFieldOfError('budget[1]: nonsense')).toBeNull();
  });

  it('keeps the detail after the field', () => {
    expect(serverMessageDetail('budget: out of range')).toBe('out of range');
    expect(serverMessageDetail('no field here')).toBe('no field here');
  });
});

describe('remainingOfRow', () => {
  it("is the saved prize's remaining, matched by name as the server keeps it", () => {
    expect(remainingOfRow(SAVED, '¥1 红包')).toBe(999);
    expect(remainingOfRow(SAVED, ' 50 积分 ')).toBe(1000);
    expect(remainingOfRow(SAVED, 'new prize')).toBeNull();
    expect(remainingOfRow(SAVED, undefined)).toBeNull();
    expect(remainingOfRow(null, '¥1 红包')).toBeNull();
  });
});
