import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from './client';
import { fakeFetch } from './fakeFetch';
import {
  createOfferPush,
  listOfferPushes,
  previewOfferPush,
  type Audience,
  type OfferPush,
} from './offerPush';

const AUDIENCE: Audience = {
  window_days: 30,
  top_categories: ['catering'],
  top_rank: 1,
  day_parts: ['morning'],
  merchant_ids: ['12'],
  min_payments: 1,
};

const PUSH: OfferPush = {
  id: '9001',
  campaign_id: '7',
  title: '早餐立减',
  body: '工作日早上在餐饮商户付款立减 ¥3',
  created_at: '2026-11-25T10:00:00+08:00',
  staff_id: '3',
  delivered: 120,
  read: 31,
  audience: AUDIENCE,
};

describe('offer push API', () => {
  it('previews an audience under the campaign, sending only the audience', async () => {
    const preview = { customers: 120, opted_out: 3, already_pushed: 2 };
    const { calls, fetch } = fakeFetch([{ status: 200, body: preview }]);
    expect(await previewOfferPush(new ApiClient({ fetch }), '7', AUDIENCE)).toEqual(preview);
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/v1/staff/campaigns/7/offer-pushes/preview', method: 'POST', body: { audience: AUDIENCE } },
    ]);
  });

  it('creates a push with its title, body and audience, then lists the pushes', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 201, body: PUSH },
      { status: 200, body: { pushes: [PUSH] } },
    ]);
    const api = new ApiClient({ fetch });
    expect(await createOfferPush(api, '7', { title: PUSH.title, body: PUSH.body, audience: AUDIENCE })).toEqual(PUSH);
    expect(await listOfferPushes(api, '7')).toEqual([PUSH]);
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      {
        url: '/api/v1/staff/campaigns/7/offer-pushes',
        method: 'POST',
        body: { title: PUSH.title, body: PUSH.body, audience: AUDIENCE },
      },
      { url: '/api/v1/staff/campaigns/7/offer-pushes', method: 'GET', body: undefined },
    ]);
  });

  it('escapes the campaign id in the path', async () => {
    const { calls, fetch } = fakeFetch([{ status: 200, body: { pushes: [] } }]);
    expect(await listOfferPushes(new ApiClient({ fetch }), '7/x')).toEqual([]);
    expect(calls[0]?.url).toBe('/api/v1/staff/campaigns/7%2Fx/offer-pushes');
  });

  it('keeps the code and the field of a refusal', async () => {
    const { fetch } = fakeFetch([
      { status: 409, body: { error: { code: 'CAMPAIGN_NOT_PUSHABLE', message: 'campaign ended' } } },
      { status: 422, body: { error: { code: 'OFFER_AUDIENCE_EMPTY', message: 'nobody matches' } } },
      {
        status: 422,
        body: { error: { code: 'FIELD_INVALID', message: 'out of range', field: 'audience.window_days' } },
      },
    ]);
    const api = new ApiClient({ fetch });
    const input = { title: 't', body: 'b', audience: AUDIENCE };
    const ended = await createOfferPush(api, '7', input).catch((cause: unknown) => cause);
    expect(ended).toBeInstanceOf(ApiError);
    expect((ended as ApiError).code).toBe('CAMPAIGN_NOT_PUSHABLE');
    expect((ended as ApiError).status).toBe(409);
    const empty = await createOfferPush(api, '7', input).catch((cause: unknown) => cause);
    expect((empty as ApiError).code).toBe('OFFER_AUDIENCE_EMPTY');
    const invalid = await previewOfferPush(api, '7', { ...AUDIENCE, window_days: 91 }).catch(
      (cause: unknown) => cause,
    );
    expect((invalid as ApiError).code).toBe('FIELD_INVALID');
    expect((invalid as ApiError).field).toBe('audience.window_days');
  });
});
