import { describe, expect, it } from 'vitest';

import type { Quote } from './marketing';
import {
  formFieldOfServerMessage,
  formatMcc,
  formatPoints,
  newMultiplierForm,
  parseMcc,
  pointsEntryKindKey,
  pointsEntryPaymentId,
  pointsProgramToForm,
  pointsToPay,
  quotePointsOf,
  quoteSettled,
  serverMessageDetail,
  showPointsOnHome,
  signedPoints,
  toPointsProgramInput,
  type MultiplierFormValues,
  type PointsFormValues,
  type PointsProgramInput,
} from './points';

function weekendRule(): MultiplierFormValues {
  return {
    ...newMultiplierForm(),
    name: '周末餐饮 3 倍',
    multiplier: 3,
    categories: ['5812', '0742', '5812'],
    weekdays: [7, 6],
    segments: ['tier_i', 'new_customer'],
    startsAt: '2026-11-11T00:00',
    endsAt: '2026-12-01T00:00',
  };
}

function form(multipliers: MultiplierFormValues[] = [weekendRule()]): PointsFormValues {
  return { enabled: true, earnPointsPerYuan: 1, redeemPointsPerYuan: 100, redeemMaxPercent: 50, multipliers };
}

const problemOf = (values: PointsFormValues) => {
  const mapped = toPointsProgramInput(values);
  return mapped.ok ? null : mapped.problem;
};

describe('toPointsProgramInput', () => {
  it('maps a rule: sorted unique MCCs, ISO weekdays, ordered segments, RFC 3339 bounds', () => {
    expect(toPointsProgramInput(form())).toEqual({
      ok: true,
      value: {
        enabled: true,
        earn_points_per_yuan: 1,
        redeem_points_per_yuan: 100,
        redeem_max_percent: 50,
        multipliers: [
          {
            name: '周末餐饮 3 倍',
            multiplier: 3,
            categories: [742, 5812],
            weekdays: [6, 7],
            segments: ['new_customer', 'tier_i'],
            starts_at: '2026-11-10T16:00:00Z',
            ends_at: '2026-11-30T16:00:00Z',
          },
        ],
      },
    });
  });

  it('sends every day checked as the empty list and blank dates as null', () => {
    const mapped = toPointsProgramInput(form([{ ...newMultiplierForm(), name: '双倍' }]));
    expect(mapped.ok && mapped.value.multipliers[0]).toEqual({
      name: '双倍',
      multiplier: 2,
      categories: [],
      weekdays: [],
      segments: [],
      starts_at: null,
      ends_at: null,
    });
  });

  it('takes zero rates (earning or redemption off) and no rules', () => {
    const mapped = toPointsProgramInput({ ...form([]), enabled: false, earnPointsPerYuan: 0, redeemPointsPerYuan: 0, redeemMaxPercent: 0 });
    expect(mapped).toEqual({
      ok: true,
      value: { enabled: false, earn_points_per_yuan: 0, redeem_points_per_yuan: 0, redeem_max_percent: 0, multipliers: [] },
    });
  });

  it('names the first wrong field', () => {
    const rule = (change: Partial<MultiplierFormValues>) => form([weekendRule(), { ...weekendRule(), ...change }]);
    const cases: [PointsFormValues, (string | number)[], string][] = [
      [{ ...form(), earnPointsPerYuan: 101 }, ['earnPointsPerYuan'], 'points.form.earnRate'],
      [{ ...form(), earnPointsPerYuan: null }, ['earnPointsPerYuan'], 'points.form.earnRate'],
      [{ ...form(), redeemPointsPerYuan: 100_001 }, ['redeemPointsPerYuan'], 'points.form.redeemRate'],
      [{ ...form(), redeemMaxPercent: 1.5 }, ['redeemMaxPercent'], 'points.form.redeemMax'],
      [form(Array.from({ length: 33 }, weekendRule)), ['multipliers'], 'points.form.tooManyRules'],
      [rule({ name: '  ' }), ['multipliers', 1, 'name'], 'points.form.required'],
      [rule({ name: '积'.repeat(22) }), ['multipliers', 1, 'name'], 'points.form.nameTooLong'],
      [rule({ multiplier: 1 }), ['multipliers', 1, 'multiplier'], 'points.form.multiplier'],
      [rule({ multiplier: 11 }), ['multipliers', 1, 'multiplier'], 'points.form.multiplier'],
      [rule({ categories: ['58x2'] }), ['multipliers', 1, 'categories'], 'points.form.mcc'],
      [rule({ categories: ['0'] }), ['multipliers', 1, 'categories'], 'points.form.mcc'],
      [rule({ categories: ['10000'] }), ['multipliers', 1, 'categories'], 'points.form.mcc'],
      [rule({ weekdays: [] }), ['multipliers', 1, 'weekdays'], 'points.form.weekdays'],
      [rule({ startsAt: '2026-02-30T00:00' }), ['multipliers', 1, 'startsAt'], 'points.form.time'],
      [rule({ endsAt: '2026-11-10T00:00' }), ['multipliers', 1, 'endsAt'], 'points.form.window'],
    ];
    for (const [values, field, message] of cases) {
      expect(problemOf(values), message).toEqual({ field, message });
    }
    // 64 bytes is the limit, not 64 characters: 21 Chinese characters (63 bytes) fit.
    expect(problemOf(rule({ name: '积'.repeat(21) }))).toBeNull();
  });

  it('round-trips through the API body', () => {
    const mapped = toPointsProgramInput(form([weekendRule(), { ...newMultiplierForm(), name: '每天', multiplier: 10 }]));
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const again = toPointsProgramInput(pointsProgramToForm(mapped.value));
    expect(again).toEqual(mapped);
  });
});

describe('pointsProgramToForm', () => {
  it('shows the empty weekday list as every day checked, MCCs with four digits', () => {
    const program: PointsProgramInput = {
      enabled: true,
      earn_points_per_yuan: 2,
      redeem_points_per_yuan: 200,
      redeem_max_percent: 30,
      multipliers: [
        { name: 'x', multiplier: 2, categories: [742], weekdays: [], segments: ['verified'], starts_at: null, ends_at: '2026-11-30T16:00:00Z' },
      ],
    };
    expect(pointsProgramToForm(program).multipliers[0]).toEqual({
      name: 'x',
      multiplier: 2,
      categories: ['0742'],
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      segments: ['verified'],
      startsAt: '',
      endsAt: '2026-12-01T00:00',
    });
  });

  it('keeps a segment this client does not know, after the known ones', () => {
    const values = { ...weekendRule(), segments: ['vip_gold', 'verified'] };
    const mapped = toPointsProgramInput(form([values]));
    expect(mapped.ok && mapped.value.multipliers[0]?.segments).toEqual(['verified', 'vip_gold']);
  });
});

describe('MCC codes', () => {
  it('reads and shows four-digit codes', () => {
    expect(parseMcc('5812')).toBe(5812);
    expect(parseMcc(' 0742 ')).toBe(742);
    expect(parseMcc('742')).toBe(742);
    expect(parseMcc('')).toBeNull();
    expect(parseMcc('5812.0')).toBeNull();
    expect(parseMcc('-1')).toBeNull();
    expect(formatMcc(742)).toBe('0742');
    expect(formatMcc(5812)).toBe('5812');
  });
});

describe('server messages', () => {
  it('finds the form field a POINTS_INVALID_PROGRAM message names', () => {
    expect(formFieldOfServerMessage('multipliers[0].multiplier: must be 2..10')).toEqual(['multipliers', 0, 'multiplier']);
    expect(formFieldOfServerMessage('multipliers[12].starts_at: not RFC 3339')).toEqual(['multipliers', 12, 'startsAt']);
    expect(formFieldOfServerMessage('redeem_max_percent: 0..100')).toEqual(['redeemMaxPercent']);
    expect(formFieldOfServerMessage('multipliers: at most 32')).toEqual(['multipliers']);
    expect(formFieldOfServerMessage('multipliers[1]: overlaps')).toEqual(['multipliers', 1]);
    expect(formFieldOfServerMessage('multipliers[1].weekday_mask: bad')).toBeNull();
    expect(formFieldOfServerMessage('version: stale')).toBeNull();
    expect(formFieldOfServerMessage('something else entirely')).toBeNull();
    expect(serverMessageDetail('multipliers[0].multiplier: must be 2..10')).toBe('must be 2..10');
    expect(serverMessageDetail('bad body')).toBe('bad body');
  });
});

describe('the customer side', () => {
  const quote: Quote = {
    amount: 10_000,
    discount: 0,
    pay: 9_500,
    cashback: 0,
    rewards: [],
    coupon_id: null,
    best_coupon_id: null,
  };

  it('reads a quote without points (an older server) as no points', () => {
    expect(quotePointsOf(quote)).toEqual({
      balance: 0,
      max_redeemable: 0,
      max_discount: 0,
      used: 0,
      discount: 0,
      earn: 0,
    });
    expect(quotePointsOf(null).max_redeemable).toBe(0);
    const points = { balance: 800, max_redeemable: 500, max_discount: 500, used: 500, discount: 500, earn: 95 };
    expect(quotePointsOf({ ...quote, points })).toEqual(points);
  });

  it('pays on a quote only once it matches the amount and the points switch', () => {
    const offered = { ...quote, points: { balance: 800, max_redeemable: 500, used: 0, discount: 0, earn: 100 } };
    const used = { ...quote, points: { balance: 800, max_redeemable: 500, used: 500, discount: 500, earn: 95 } };
    expect(quoteSettled(null, 10_000, true)).toBe(true);
    expect(quoteSettled(offered, 10_000, false)).toBe(true);
    expect(quoteSettled(quote, 10_000, true)).toBe(true); // an older server: nothing to use
    expect(quoteSettled(offered, 10_000, true)).toBe(false); // switched on, points quote pending
    expect(quoteSettled(used, 10_000, true)).toBe(true);
    expect(quoteSettled(used, 12_000, true)).toBe(false); // the amount changed meanwhile
    expect(quoteSettled(used, 10_000, false)).toBe(false); // switched off, plain quote pending
    expect(pointsToPay(used, true)).toBe(500);
    expect(pointsToPay(used, false)).toBeNull();
    expect(pointsToPay(offered, true)).toBeNull();
    expect(pointsToPay(null, true)).toBeNull();
  });


  it('names each entry kind, and an unknown one as other', () => {
    expect(pointsEntryKindKey('earn')).toBe('points.kind.earn');
    expect(pointsEntryKindKey('clawback')).toBe('points.kind.clawback');
    expect(pointsEntryKindKey('bonus')).toBe('points.kind.other');
    expect(pointsEntryKindKey('referral')).toBe('points.kind.referral');
    expect(pointsEntryKindKey('referral_clawback')).toBe('points.kind.referral_clawback');
    expect(pointsEntryKindKey('lottery')).toBe('points.kind.lottery');
  });

  it("opens an entry's payment, but not a referral entry's (the invitee's payment)", () => {
    expect(pointsEntryPaymentId({ kind: 'earn', payment_id: '42' })).toBe('42');
    expect(pointsEntryPaymentId({ kind: 'earn', payment_id: null })).toBeNull();
    expect(pointsEntryPaymentId({ kind: 'referral', payment_id: '42' })).toBeNull();
    expect(pointsEntryPaymentId({ kind: 'referral_clawback', payment_id: '42' })).toBeNull();
  });

  it("opens no payment for a lottery prize's entry", () => {
    expect(pointsEntryPaymentId({ kind: 'lottery', payment_id: null })).toBeNull();
    expect(pointsEntryPaymentId({ kind: 'lottery', payment_id: '42' })).toBeNull();
  });

  it('signs points', () => {
    expect(signedPoints(120)).toBe('+120');
    expect(signedPoints(-1500)).toBe('-1,500');
    expect(signedPoints(0)).toBe('0');
    expect(formatPoints(1_234_567)).toBe('1,234,567');
    expect(formatPoints(999)).toBe('999');
  });

  it('shows the home balance unless the programme is off and nothing is held', () => {
    expect(showPointsOnHome(null)).toBe(false);
    expect(showPointsOnHome({ enabled: false, balance: 0 })).toBe(false);
    expect(showPointsOnHome({ enabled: false, balance: 30 })).toBe(true);
    expect(showPointsOnHome({ enabled: true, balance: 0 })).toBe(true);
  });
});
