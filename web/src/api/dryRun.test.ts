import { describe, expect, it } from 'vitest';

import { marketingEn, marketingZh } from '../i18n/marketingMessages';
import { ApiClient, ApiError } from './client';
import {
  CAMPAIGN_TYPES,
  DRY_RUN_NOTES,
  canDryRun,
  dryRunCampaign,
  dryRunDays,
  dryRunFigures,
  dryRunNoteKey,
  fenPer,
  type CampaignInput,
  type DryRunResult,
} from './marketing';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: string, calls: Call[]): typeof fetch {
  return async (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    return new Response(body, { status });
  };
}

const CAMPAIGN: CampaignInput = {
  name: '立减 ¥5',
  type: 'instant_discount',
  reward: { shape: 'fixed', fixed: 500 },
  eligibility: {
    starts_at: '2026-11-10T16:00:00Z',
    ends_at: '2026-12-10T16:00:00Z',
    channels: ['qr'],
  },
  caps: { budget_total: 1_000_000 },
};

function result(overrides: Partial<DryRunResult> = {}): DryRunResult {
  return {
    from: '2026-11-20T04:00:00Z', // 12:00 on 11-20 in China
    to: '2026-11-23T04:00:00Z',
    days: 3,
    payments_scanned: 1200,
    truncated: false,
    rewarded_payments: 3,
    customers_reached: 2,
    holdout_customers: 1,
    cost: 1000,
    discount: 700,
    cashback: 300,
    gmv: 90_000,
    budget_exhausted_at: null,
    by_day: [
      { date: '2026-11-22', rewarded_payments: 2, cost: 700 },
      { date: '2026-11-21', rewarded_payments: 1, cost: 300 },
    ],
    notes: ['window_shifted_to_history'],
    ...overrides,
  };
}

const headersOf = (call: Call | undefined) => (call?.init.headers ?? {}) as Record<string, string>;

describe('dryRunCampaign', () => {
  it('posts the campaign as the editor creates it, with the days, and reads the answer', async () => {
    const calls: Call[] = [];
    const api = new ApiClient({ fetch: fakeFetch(200, JSON.stringify(result()), calls) });
    const answer = await dryRunCampaign(api, CAMPAIGN, 7);
    expect(answer.cost).toBe(1000);
    expect(calls[0]?.url).toBe('/api/v1/staff/campaigns/dry-run');
    expect(calls[0]?.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ campaign: CAMPAIGN, days: 7 });
    // Nothing moves: no Idempotency-Key.
    expect(headersOf(calls[0])['Idempotency-Key']).toBeUndefined();
  });

  it('leaves the days to the server when not given', async () => {
    const calls: Call[] = [];
    const api = new ApiClient({ fetch: fakeFetch(200, JSON.stringify(result()), calls) });
    await dryRunCampaign(api, CAMPAIGN);
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ campaign: CAMPAIGN });
  });

  it('passes the refusal of coupon campaigns on as an ApiError', async () => {
    const body = '{"error":{"code":"CAMPAIGN_DRY_RUN_UNSUPPORTED","message":"type"}}';
    const api = new ApiClient({ fetch: fakeFetch(422, body, []) });
    const failure = await dryRunCampaign(api, { ...CAMPAIGN, type: 'threshold_coupon' }).catch(
      (cause: unknown) => cause,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('CAMPAIGN_DRY_RUN_UNSUPPORTED');
    expect((failure as ApiError).status).toBe(422);
  });
});

describe('canDryRun', () => {
  it('refuses only the coupon campaigns', () => {
    expect(CAMPAIGN_TYPES.filter((type) => !canDryRun(type))).toEqual([
      'threshold_coupon',
      'discount_coupon',
    ]);
  });
});

describe('fenPer', () => {
  it('divides fen by a count in integers, rounding down', () => {
    expect(fenPer(1000, 3)).toBe(333);
    expect(fenPer(999, 3)).toBe(333);
    expect(fenPer(2, 3)).toBe(0);
    expect(fenPer(0, 5)).toBe(0);
    expect(fenPer(-1000, 3)).toBe(-334);
    expect(fenPer(Number.MAX_SAFE_INTEGER, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(fenPer(Number.MAX_SAFE_INTEGER, 10)).toBe(900_719_925_474_099);
  });

  it('has no answer for nothing to divide by', () => {
    expect(fenPer(1000, 0)).toBeNull();
    expect(fenPer(0, 0)).toBeNull();
  });

  it('refuses what is not integer fen over a count', () => {
    expect(() => fenPer(1.5, 3)).toThrow(RangeError);
    expect(() => fenPer(1000, 2.5)).toThrow(RangeError);
    expect(() => fenPer(1000, -1)).toThrow(RangeError);
    expect(() => fenPer(Number.MAX_SAFE_INTEGER + 1, 1)).toThrow(RangeError);
  });
});

describe('dryRunNoteKey', () => {
  it('names each known note and falls back for new ones', () => {
    expect(dryRunNoteKey('device_caps_skip')).toBe('campaign.dryRun.note.device_caps_skip');
    expect(dryRunNoteKey('window_shifted_to_history')).toBe(
      'campaign.dryRun.note.window_shifted_to_history',
    );
    expect(dryRunNoteKey('something_new')).toBe('campaign.dryRun.note.other');
    expect(dryRunNoteKey('')).toBe('campaign.dryRun.note.other');
  });

  it('has a Chinese and an English explanation for every note', () => {
    for (const note of [...DRY_RUN_NOTES, 'unknown']) {
      const key = dryRunNoteKey(note);
      expect(marketingZh[key], key).toBeTruthy();
      expect(marketingEn[key], key).toBeTruthy();
    }
    expect(marketingZh['campaign.dryRun.note.other']).toContain('{code}');
    expect(marketingEn['campaign.dryRun.note.other']).toContain('{code}');
    expect(marketingEn['apiError.CAMPAIGN_DRY_RUN_UNSUPPORTED']).toBeTruthy();
  });
});

describe('dryRunDays', () => {
  it('fills every China date of the span, ascending, quiet days at zero', () => {
    expect(dryRunDays(result())).toEqual([
      { date: '2026-11-20', rewarded_payments: 0, cost: 0 },
      { date: '2026-11-21', rewarded_payments: 1, cost: 300 },
      { date: '2026-11-22', rewarded_payments: 2, cost: 700 },
      { date: '2026-11-23', rewarded_payments: 0, cost: 0 },
    ]);
  });

  it('ends with the day before an end at China midnight', () => {
    const days = dryRunDays({
      from: '2026-11-20T16:00:00Z', // 11-21 00:00 in China
      to: '2026-11-22T16:00:00Z', // 11-23 00:00 in China
      by_day: [],
    });
    expect(days.map((day) => day.date)).toEqual(['2026-11-21', '2026-11-22']);
  });

  it('fills a whole 30 days across a month end', () => {
    const days = dryRunDays({ from: '2026-11-20T04:00:00Z', to: '2026-12-20T04:00:00Z', by_day: [] });
    expect(days).toHaveLength(31);
    expect(days[0]?.date).toBe('2026-11-20');
    expect(days[11]?.date).toBe('2026-12-01');
    expect(days[30]?.date).toBe('2026-12-20');
  });

  it('keeps the days as sent, sorted, when the span cannot be read', () => {
    const byDay = [
      { date: '2026-11-22', rewarded_payments: 2, cost: 700 },
      { date: '2026-11-21', rewarded_payments: 1, cost: 300 },
    ];
    expect(dryRunDays({ from: 'soon', to: '2026-11-23T04:00:00Z', by_day: byDay }).map((d) => d.date)).toEqual([
      '2026-11-21',
      '2026-11-22',
    ]);
    expect(
      dryRunDays({ from: '2026-11-23T04:00:00Z', to: '2026-11-20T04:00:00Z', by_day: byDay }),
    ).toHaveLength(2);
    expect(
      dryRunDays({ from: '2020-01-01T00:00:00Z', to: '2026-11-20T04:00:00Z', by_day: byDay }),
    ).toHaveLength(2);
  });
});

describe('dryRunFigures', () => {
  it('works out the cost per rewarded payment and per customer, rounded down', () => {
    const figures = dryRunFigures(result());
    expect(figures.costPerRewardedPayment).toBe(333);
    expect(figures.costPerCustomer).toBe(500);
    expect(figures.days).toHaveLength(4);
  });

  it('has no cost per payment or customer when nobody was rewarded', () => {
    const figures = dryRunFigures(
      result({ rewarded_payments: 0, customers_reached: 0, cost: 0, discount: 0, cashback: 0, by_day: [] }),
    );
    expect(figures.costPerRewardedPayment).toBeNull();
    expect(figures.costPerCustomer).toBeNull();
  });

  it('explains each note once, in the order sent, unknown ones generically', () => {
    const figures = dryRunFigures(
      result({
        notes: ['device_caps_skip', 'first_order_from_scanned_history', 'device_caps_skip', 'brand_new'],
      }),
    );
    expect(figures.notes).toEqual([
      { code: 'device_caps_skip', key: 'campaign.dryRun.note.device_caps_skip' },
      {
        code: 'first_order_from_scanned_history',
        key: 'campaign.dryRun.note.first_order_from_scanned_history',
      },
      { code: 'brand_new', key: 'campaign.dryRun.note.other' },
    ]);
  });
});
