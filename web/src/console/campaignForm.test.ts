import { describe, expect, it } from 'vitest';

import type { Campaign, CampaignInput } from '../api/marketing';
import {
  campaignToForm,
  chinaLocalToRfc3339,
  defaultCampaignForm,
  defaultCouponForm,
  hoursOf,
  parseIds,
  parseRegions,
  percentToBps,
  rfc3339ToChinaLocal,
  targetingBound,
  targetingLines,
  toCampaignInput,
  toCouponTemplateInput,
  type CampaignFormValues,
} from './campaignForm';

const NOW = new Date('2026-11-10T16:00:00Z'); // 2026-11-11 00:00 in China

/**
 * A created campaign as the server answers it: the targeting bounds always there, 0 for none,
 * and the customer list, null for none.
 */
function answerOf(input: CampaignInput): Campaign {
  return {
    ...input,
    id: '1',
    status: 'draft',
    currency: 'CNY',
    eligibility: {
      age_min: 0,
      age_max: 0,
      inactive_days: 0,
      ...input.eligibility,
      customer_list: input.eligibility.customer_list ?? null,
    },
  };
}

function firstOrderForm(): CampaignFormValues {
  return {
    ...defaultCampaignForm('first_order', NOW),
    name: '首单立减 ¥8',
    shape: 'fixed',
    fixed: '8',
    budgetTotal: '10,000',
    customerCountLifetime: 1,
  };
}

describe('China-time date-times', () => {
  it('converts both ways at UTC+8', () => {
    expect(chinaLocalToRfc3339('2026-11-11T00:00')).toBe('2026-11-10T16:00:00Z');
    expect(rfc3339ToChinaLocal('2026-11-10T16:00:00Z')).toBe('2026-11-11T00:00');
    expect(rfc3339ToChinaLocal('2026-11-11T08:30:00+08:00')).toBe('2026-11-11T08:30');
  });

  it('refuses malformed and impossible dates', () => {
    expect(chinaLocalToRfc3339('2026-11-11')).toBeNull();
    expect(chinaLocalToRfc3339('2026-02-30T10:00')).toBeNull();
    expect(chinaLocalToRfc3339('2026-11-11T24:00')).toBeNull();
  });
});

describe('small parsers', () => {
  it('reads percentages as basis points', () => {
    expect(percentToBps('10')).toBe(1000);
    expect(percentToBps('7.5')).toBe(750);
    expect(percentToBps('100')).toBe(10_000);
    expect(percentToBps('0')).toBeNull();
    expect(percentToBps('100.01')).toBeNull();
    expect(percentToBps('1.234')).toBeNull();
  });

  it('expands an hour range, wrapping past midnight', () => {
    expect(hoursOf(0, 23)).toHaveLength(24);
    expect(hoursOf(9, 11)).toEqual([9, 10, 11]);
    expect(hoursOf(22, 1)).toEqual([0, 1, 22, 23]);
  });

  it('splits merchant ids and refuses anything that is not one', () => {
    expect(parseIds('')).toEqual([]);
    expect(parseIds('12, 7 9，3')).toEqual(['12', '7', '9', '3']);
    expect(parseIds('12, x')).toBeNull();
    expect(parseIds('0')).toBeNull();
  });

  it('reads six-digit division codes and refuses anything else', () => {
    expect(parseRegions('')).toEqual([]);
    expect(parseRegions('350000, 350100 110108')).toEqual([350_000, 350_100, 110_108]);
    expect(parseRegions('3501')).toBeNull();
    expect(parseRegions('950000')).toBeNull();
    expect(parseRegions('100000')).toBeNull();
    expect(parseRegions('35010a')).toBeNull();
  });
});

describe('toCampaignInput', () => {
  it('maps a first-order campaign to fen, bps and RFC 3339', () => {
    const mapped = toCampaignInput(firstOrderForm());
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.value).toMatchObject({
      name: '首单立减 ¥8',
      type: 'first_order',
      reward: { shape: 'fixed', fixed: 800, first_order_scope: 'ever' },
      eligibility: {
        starts_at: '2026-11-10T16:00:00Z',
        ends_at: '2026-12-10T16:00:00Z',
        channels: ['qr', 'payment_code', 'online', 'nfc'],
        merchant_ids: [],
        min_amount: 0,
      },
      caps: { budget_total: 1_000_000, customer_count_lifetime: 1, budget_daily: 0 },
    });
    expect(mapped.value.eligibility.hours).toHaveLength(24);
  });

  it('maps a cashback hold in days to seconds, only for cashback', () => {
    const cashback = toCampaignInput({
      ...firstOrderForm(),
      type: 'cashback',
      shape: 'percent',
      percent: '2',
      holdDays: 7,
    });
    expect(cashback.ok && cashback.value.reward.hold_seconds).toBe(7 * 86_400);
    const firstOrder = toCampaignInput({ ...firstOrderForm(), holdDays: 7 });
    expect(firstOrder.ok && firstOrder.value.reward.hold_seconds).toBeUndefined();
    for (const holdDays of [-1, 1.5, 367]) {
      const bad = toCampaignInput({ ...firstOrderForm(), type: 'cashback', shape: 'fixed', holdDays });
      expect(bad.ok ? null : bad.problem.field).toBe('holdDays');
    }
  });

  it('passes the chosen segments through and reads them back', () => {
    const mapped = toCampaignInput({ ...firstOrderForm(), segments: ['channel_outreach', 'tier_i'] });
    expect(mapped.ok && mapped.value.eligibility.segments).toEqual(['channel_outreach', 'tier_i']);
    const none = toCampaignInput(firstOrderForm());
    expect(none.ok && none.value.eligibility.segments).toEqual([]);
  });

  it('names the first wrong field', () => {
    const cases: [Partial<CampaignFormValues>, string][] = [
      [{ name: ' ' }, 'name'],
      [{ fixed: '' }, 'fixed'],
      [{ fixed: '1.234' }, 'fixed'],
      [{ shape: 'none' }, 'shape'],
      [{ endsAt: '2026-11-10T00:00' }, 'endsAt'],
      [{ channels: [] }, 'channels'],
      [{ merchantIds: 'abc' }, 'merchantIds'],
      [{ regions: '35' }, 'regions'],
      [{ budgetTotal: '' }, 'budgetTotal'],
    ];
    for (const [change, field] of cases) {
      const mapped = toCampaignInput({ ...firstOrderForm(), ...change });
      expect(mapped.ok ? null : mapped.problem.field).toBe(field);
    }
  });

  it('checks a random range is ordered and a percentage is in range', () => {
    const random = toCampaignInput({
      ...firstOrderForm(),
      shape: 'random_range',
      randomLo: '5',
      randomHi: '2',
    });
    expect(random.ok ? null : random.problem.field).toBe('randomHi');
    const percent = toCampaignInput({
      ...firstOrderForm(),
      type: 'cashback',
      shape: 'percent',
      percent: '150',
    });
    expect(percent.ok ? null : percent.problem.field).toBe('percent');
  });

  it('round-trips through a campaign answer', () => {
    const mapped = toCampaignInput({
      ...firstOrderForm(),
      type: 'instant_discount',
      shape: 'threshold',
      threshold: '100',
      save: '15',
      hourFrom: 9,
      hourTo: 21,
      merchantIds: '3, 5',
      regions: '350000, 110108',
      minAmount: '50',
    });
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const again = toCampaignInput(campaignToForm(answerOf(mapped.value)));
    expect(again).toEqual(mapped);
  });
});

describe('age band and win-back targeting', () => {
  it('maps ages 25..34 and 30 inactive days and round-trips them', () => {
    const mapped = toCampaignInput({ ...firstOrderForm(), ageMin: 25, ageMax: 34, inactiveDays: 30 });
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.value.eligibility).toMatchObject({ age_min: 25, age_max: 34, inactive_days: 30 });
    const form = campaignToForm(answerOf(mapped.value));
    expect(form).toMatchObject({ ageMin: 25, ageMax: 34, inactiveDays: 30 });
    expect(toCampaignInput(form)).toEqual(mapped);
  });

  it('leaves blank bounds out of the body and shows zeros as blanks', () => {
    const form = defaultCampaignForm('first_order', NOW);
    expect(form).toMatchObject({ ageMin: null, ageMax: null, inactiveDays: null });
    const mapped = toCampaignInput(firstOrderForm());
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.value.eligibility).not.toHaveProperty('age_min');
    expect(mapped.value.eligibility).not.toHaveProperty('age_max');
    expect(mapped.value.eligibility).not.toHaveProperty('inactive_days');
    // 0 typed in is "none" too; one bound alone is kept.
    const zeros = toCampaignInput({ ...firstOrderForm(), ageMin: 0, ageMax: 40, inactiveDays: 0 });
    expect(zeros.ok && zeros.value.eligibility).toMatchObject({ age_max: 40 });
    expect(zeros.ok && 'age_min' in zeros.value.eligibility).toBe(false);
    const answered = campaignToForm(answerOf(mapped.value));
    expect(answered).toMatchObject({ ageMin: null, ageMax: null, inactiveDays: null });
  });

  it('refuses an upside-down band and out-of-range values', () => {
    const cases: [Partial<CampaignFormValues>, string, string][] = [
      [{ ageMin: 35, ageMax: 34 }, 'ageMax', 'marketing.form.ageRange'],
      [{ ageMin: 15 }, 'ageMin', 'marketing.form.age'],
      [{ ageMin: 25.5 }, 'ageMin', 'marketing.form.age'],
      [{ ageMax: 121 }, 'ageMax', 'marketing.form.age'],
      [{ inactiveDays: 3651 }, 'inactiveDays', 'marketing.form.inactiveDays'],
      [{ inactiveDays: -1 }, 'inactiveDays', 'marketing.form.inactiveDays'],
    ];
    for (const [change, field, message] of cases) {
      const mapped = toCampaignInput({ ...firstOrderForm(), ...change });
      expect(mapped.ok ? null : mapped.problem).toEqual({ field, message });
    }
    const equal = toCampaignInput({ ...firstOrderForm(), ageMin: 30, ageMax: 30 });
    expect(equal.ok && equal.value.eligibility).toMatchObject({ age_min: 30, age_max: 30 });
  });

  it('reads a bound: blank or 0 is none, else a whole number in range', () => {
    expect(targetingBound(null, 16, 120)).toBe(0);
    expect(targetingBound(undefined, 16, 120)).toBe(0);
    expect(targetingBound(0, 16, 120)).toBe(0);
    expect(targetingBound(16, 16, 120)).toBe(16);
    expect(targetingBound(120, 16, 120)).toBe(120);
    expect(targetingBound(3650, 1, 3650)).toBe(3650);
    expect(targetingBound(1, 16, 120)).toBeNull();
  });

  it('summarises the band and the inactivity', () => {
    expect(targetingLines({ age_min: 25, age_max: 34, inactive_days: 30 })).toEqual([
      { key: 'campaign.targeting.ageBand', params: { min: 25, max: 34 } },
      { key: 'campaign.targeting.inactive', params: { days: 30 } },
    ]);
    expect(targetingLines({ age_min: 25, age_max: 0, inactive_days: 0 })).toEqual([
      { key: 'campaign.targeting.ageAtLeast', params: { min: 25 } },
    ]);
    expect(targetingLines({ age_max: 34 })).toEqual([
      { key: 'campaign.targeting.ageAtMost', params: { max: 34 } },
    ]);
    expect(targetingLines({ age_min: 0, age_max: 0, inactive_days: 0 })).toEqual([]);
  });
});

describe('custom customer list targeting', () => {
  it('sends the chosen list as its string id and reads it back', () => {
    const mapped = toCampaignInput({ ...firstOrderForm(), customerList: '65' });
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.value.eligibility.customer_list).toBe('65');
    const form = campaignToForm(answerOf(mapped.value));
    expect(form.customerList).toBe('65');
    expect(toCampaignInput(form)).toEqual(mapped);
  });

  it('leaves 不限 out of the body and reads null or a missing list as 不限', () => {
    expect(defaultCampaignForm('instant_discount', NOW).customerList).toBeNull();
    for (const customerList of [null, '']) {
      const mapped = toCampaignInput({ ...firstOrderForm(), customerList });
      expect(mapped.ok && mapped.value.eligibility).not.toHaveProperty('customer_list');
    }
    const mapped = toCampaignInput(firstOrderForm());
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const answered = answerOf(mapped.value);
    expect(answered.eligibility.customer_list).toBeNull();
    expect(campaignToForm(answered).customerList).toBeNull();
    // An older server's answer has no customer_list at all.
    const { customer_list: _dropped, ...older } = answered.eligibility;
    expect(campaignToForm({ ...answered, eligibility: older as Campaign['eligibility'] }).customerList).toBeNull();
  });

  it('refuses a list id that is not one', () => {
    for (const customerList of ['0', 'abc', '6 5', '-1']) {
      const mapped = toCampaignInput({ ...firstOrderForm(), customerList });
      expect(mapped.ok ? null : mapped.problem).toEqual({
        field: 'customerList',
        message: 'marketing.form.customerList',
      });
    }
  });

  it('names the list in the targeting summary, by its id when the lists are not loaded', () => {
    const names = new Map([['65', '双11老客']]);
    expect(targetingLines({ age_min: 25, inactive_days: 0, customer_list: '65' }, names)).toEqual([
      { key: 'campaign.targeting.ageAtLeast', params: { min: 25 } },
      { key: 'campaign.targeting.customerList', params: { name: '双11老客' } },
    ]);
    expect(targetingLines({ customer_list: '66' }, names)).toEqual([
      { key: 'campaign.targeting.customerList', params: { name: '#66' } },
    ]);
    expect(targetingLines({ customer_list: null }, names)).toEqual([]);
  });
});

describe('toCouponTemplateInput', () => {
  const campaign: Campaign = {
    id: '4',
    status: 'live',
    currency: 'CNY',
    name: '满100减15',
    type: 'threshold_coupon',
    reward: { shape: 'none' },
    eligibility: {
      starts_at: '2026-11-10T16:00:00Z',
      ends_at: '2026-11-11T16:00:00Z',
      age_min: 0,
      age_max: 0,
      inactive_days: 0,
      customer_list: null,
    },
    caps: { budget_total: 100_000 },
  };

  it('maps a threshold coupon valid over the campaign window', () => {
    const mapped = toCouponTemplateInput('4', {
      ...defaultCouponForm(campaign),
      name: '满100减15',
      threshold: '100',
      save: '15',
      stock: 500,
    });
    expect(mapped).toEqual({
      ok: true,
      value: {
        campaign_id: '4',
        name: '满100减15',
        kind: 'threshold',
        threshold: 10_000,
        save: 1500,
        stock: 500,
        validity: {
          kind: 'fixed_window',
          valid_from: '2026-11-10T16:00:00Z',
          valid_until: '2026-11-11T16:00:00Z',
        },
        claim_starts_at: '2026-11-10T16:00:00Z',
        claim_ends_at: '2026-11-11T16:00:00Z',
        per_customer_limit: 1,
      },
    });
  });

  it('maps a percent coupon valid N days after claim and checks its fields', () => {
    const base = { ...defaultCouponForm({ ...campaign, type: 'discount_coupon' }), name: '9折' };
    expect(base.kind).toBe('percent');
    const mapped = toCouponTemplateInput('4', {
      ...base,
      discountPercent: '10',
      discountCap: '20',
      validityKind: 'days_after_claim',
      validDays: 3,
    });
    expect(mapped.ok && mapped.value).toMatchObject({
      kind: 'percent',
      discount_bps: 1000,
      discount_cap: 2000,
      validity: { kind: 'days_after_claim', valid_days: 3 },
    });
    const bad = toCouponTemplateInput('4', { ...base, discountPercent: '' });
    expect(bad.ok ? null : bad.problem.field).toBe('discountPercent');
  });
});
