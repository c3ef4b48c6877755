import { describe, expect, it } from 'vitest';

import { marketingEn, marketingZh } from '../i18n/marketingMessages';
import { ApiClient, ApiError } from './client';
import {
  UPLIFT_NOTES,
  conversionBps,
  formatBpsPercent,
  formatSignedBpsPercent,
  getCampaignUplift,
  upliftFigures,
  upliftNoteKey,
  type CampaignUplift,
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

function uplift(overrides: Partial<CampaignUplift> = {}): CampaignUplift {
  return {
    from: '2026-11-20T04:00:00Z',
    to: '2026-12-20T04:00:00Z',
    holdout_percent: 50,
    payments_scanned: 1200,
    truncated: false,
    treated: { customers: 3, paying_customers: 1, payments: 4, gmv: 9_000, gmv_per_customer: 3_000 },
    holdout: { customers: 2, paying_customers: 2, payments: 2, gmv: 4_000, gmv_per_customer: 2_000 },
    gmv_per_customer_uplift_bps: 5_000,
    notes: ['population_as_today'],
    ...overrides,
  };
}

describe('getCampaignUplift', () => {
  it('gets the campaign uplift and reads the answer', async () => {
    const calls: Call[] = [];
    const api = new ApiClient({ fetch: fakeFetch(200, JSON.stringify(uplift()), calls) });
    const answer = await getCampaignUplift(api, '42');
    expect(answer.gmv_per_customer_uplift_bps).toBe(5_000);
    expect(answer.treated.gmv_per_customer).toBe(3_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/api/v1/staff/campaigns/42/uplift');
    expect(calls[0]?.init.method ?? 'GET').toBe('GET');
  });

  it('escapes the id into the path', async () => {
    const calls: Call[] = [];
    const api = new ApiClient({ fetch: fakeFetch(200, JSON.stringify(uplift()), calls) });
    await getCampaignUplift(api, '1/../2');
    expect(calls[0]?.url).toBe('/api/v1/staff/campaigns/1%2F..%2F2/uplift');
  });

  it('keeps a null uplift and null per-customer figures as null', async () => {
    const body = uplift({
      holdout: { customers: 0, paying_customers: 0, payments: 0, gmv: 0, gmv_per_customer: null },
      gmv_per_customer_uplift_bps: null,
    });
    const api = new ApiClient({ fetch: fakeFetch(200, JSON.stringify(body), []) });
    const answer = await getCampaignUplift(api, '42');
    expect(answer.gmv_per_customer_uplift_bps).toBeNull();
    expect(answer.holdout.gmv_per_customer).toBeNull();
  });

  it('passes a campaign without a holdout, or none at all, on as an ApiError', async () => {
    const noHoldout = '{"error":{"code":"CAMPAIGN_NO_HOLDOUT","message":"holdout_percent"}}';
    const failure = await getCampaignUplift(
      new ApiClient({ fetch: fakeFetch(422, noHoldout, []) }),
      '42',
    ).catch((cause: unknown) => cause);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('CAMPAIGN_NO_HOLDOUT');
    expect((failure as ApiError).status).toBe(422);

    const notFound = '{"error":{"code":"CAMPAIGN_NOT_FOUND","message":"no such campaign"}}';
    const missing = await getCampaignUplift(
      new ApiClient({ fetch: fakeFetch(404, notFound, []) }),
      '999',
    ).catch((cause: unknown) => cause);
    expect((missing as ApiError).code).toBe('CAMPAIGN_NOT_FOUND');
    expect((missing as ApiError).status).toBe(404);
  });
});

describe('formatSignedBpsPercent', () => {
  it('formats basis points as a signed percent with two decimals', () => {
    expect(formatSignedBpsPercent(5000)).toBe('+50.00%');
    expect(formatSignedBpsPercent(-125)).toBe('-1.25%');
    expect(formatSignedBpsPercent(0)).toBe('0.00%');
    expect(formatSignedBpsPercent(-0)).toBe('0.00%');
    expect(formatSignedBpsPercent(1)).toBe('+0.01%');
    expect(formatSignedBpsPercent(-1)).toBe('-0.01%');
    expect(formatSignedBpsPercent(10)).toBe('+0.10%');
    expect(formatSignedBpsPercent(-10_000)).toBe('-100.00%');
    expect(formatSignedBpsPercent(123_456)).toBe('+1234.56%');
  });

  it('is exact where a float division would not be', () => {
    // 0.07 * 100 and friends: the digits come from the integer, never from bps / 100.
    expect(formatSignedBpsPercent(7)).toBe('+0.07%');
    expect(formatSignedBpsPercent(-29)).toBe('-0.29%');
    expect(formatSignedBpsPercent(Number.MAX_SAFE_INTEGER)).toBe('+90071992547409.91%');
    expect(formatSignedBpsPercent(Number.MIN_SAFE_INTEGER)).toBe('-90071992547409.91%');
  });

  it('refuses what is not an integer', () => {
    expect(() => formatSignedBpsPercent(1.5)).toThrow(RangeError);
    expect(() => formatSignedBpsPercent(Number.NaN)).toThrow(RangeError);
    expect(() => formatSignedBpsPercent(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => formatSignedBpsPercent(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });
});

describe('formatBpsPercent', () => {
  it('formats basis points as a percent, signed only when negative', () => {
    expect(formatBpsPercent(3333)).toBe('33.33%');
    expect(formatBpsPercent(10_000)).toBe('100.00%');
    expect(formatBpsPercent(5)).toBe('0.05%');
    expect(formatBpsPercent(0)).toBe('0.00%');
    expect(formatBpsPercent(-125)).toBe('-1.25%');
    expect(() => formatBpsPercent(0.5)).toThrow(RangeError);
  });
});

describe('conversionBps', () => {
  it('is paying customers over customers in basis points, rounded down', () => {
    expect(conversionBps(1, 3)).toBe(3333);
    expect(conversionBps(2, 3)).toBe(6666);
    expect(conversionBps(1, 2)).toBe(5000);
    expect(conversionBps(3, 3)).toBe(10_000);
    expect(conversionBps(0, 7)).toBe(0);
    expect(conversionBps(1, 30_001)).toBe(0);
    expect(conversionBps(9_999, 10_000)).toBe(9_999);
  });

  it('stays exact for counts whose product passes the safe integers', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(conversionBps(big - 1, big)).toBe(9_999);
    expect(conversionBps(big, big)).toBe(10_000);
  });

  it('has no answer without customers', () => {
    expect(conversionBps(0, 0)).toBeNull();
  });

  it('refuses what is not a count', () => {
    expect(() => conversionBps(1.5, 3)).toThrow(RangeError);
    expect(() => conversionBps(1, 2.5)).toThrow(RangeError);
    expect(() => conversionBps(-1, 3)).toThrow(RangeError);
    expect(() => conversionBps(1, -3)).toThrow(RangeError);
    expect(() => conversionBps(Number.NaN, 3)).toThrow(RangeError);
  });
});

describe('upliftNoteKey', () => {
  it('names each known note and falls back for new ones', () => {
    expect(upliftNoteKey('population_as_today')).toBe('campaign.uplift.note.population_as_today');
    expect(upliftNoteKey('first_order_from_scanned_history')).toBe(
      'campaign.uplift.note.first_order_from_scanned_history',
    );
    expect(upliftNoteKey('segments_as_today')).toBe('campaign.uplift.note.segments_as_today');
    expect(upliftNoteKey('device_caps_skip')).toBe('campaign.uplift.note.other');
    expect(upliftNoteKey('')).toBe('campaign.uplift.note.other');
  });

  it('has a Chinese and an English explanation for every note, and for the error', () => {
    for (const note of [...UPLIFT_NOTES, 'unknown']) {
      const key = upliftNoteKey(note);
      expect(marketingZh[key], key).toBeTruthy();
      expect(marketingEn[key], key).toBeTruthy();
    }
    expect(marketingZh['campaign.uplift.note.other']).toContain('{code}');
    expect(marketingEn['campaign.uplift.note.other']).toContain('{code}');
    expect(marketingZh['apiError.CAMPAIGN_NO_HOLDOUT']).toBeTruthy();
    expect(marketingEn['apiError.CAMPAIGN_NO_HOLDOUT']).toBeTruthy();
  });
});

describe('upliftFigures', () => {
  it('works out both conversions, rounded down', () => {
    const figures = upliftFigures(uplift());
    expect(figures.treatedConversionBps).toBe(3333);
    expect(figures.holdoutConversionBps).toBe(10_000);
  });

  it('has no conversion for an empty group', () => {
    const figures = upliftFigures(
      uplift({
        holdout: { customers: 0, paying_customers: 0, payments: 0, gmv: 0, gmv_per_customer: null },
        gmv_per_customer_uplift_bps: null,
      }),
    );
    expect(figures.treatedConversionBps).toBe(3333);
    expect(figures.holdoutConversionBps).toBeNull();
  });

  it('explains each note once, in the order sent, unknown ones generically', () => {
    const figures = upliftFigures(
      uplift({
        notes: ['segments_as_today', 'population_as_today', 'segments_as_today', 'brand_new'],
      }),
    );
    expect(figures.notes).toEqual([
      { code: 'segments_as_today', key: 'campaign.uplift.note.segments_as_today' },
      { code: 'population_as_today', key: 'campaign.uplift.note.population_as_today' },
      { code: 'brand_new', key: 'campaign.uplift.note.other' },
    ]);
  });
});
