import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from './client';
import {
  CODE_BATCH_MAX,
  codeBatchCsvPath,
  codeBatchFileName,
  codeBatchMegabytes,
  createCodeBatch,
  downloadCodeBatch,
  listCodeBatches,
  mayBeCouponCode,
  redeemCouponCode,
  type CodeBatch,
} from './couponCodes';
import { ISSUE_PHONES_PER_REQUEST, issueCouponsToPhones, type Coupon } from './marketing';

function fakeFetch(answers: Array<{ status: number; body?: unknown; text?: string }>) {
  const calls: Array<{ url: string; method: string; body: unknown; headers: Record<string, string> }> = [];
  const fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(url),
      method: init?.method ?? 'GET',
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body,
      headers: { ...(init?.headers as Record<string, string>) },
    });
    const answer = answers.shift() ?? { status: 500 };
    if (answer.text !== undefined) {
      return new Response(answer.text, { status: answer.status, headers: { 'Content-Type': 'text/csv' } });
    }
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const refusal = (status: number, code: string) => ({ status, body: { error: { code, message: 'server text' } } });

const BATCH: CodeBatch = {
  id: '31',
  template_id: '7',
  count: 3,
  redeemed: 0,
  created_at: '2026-11-24T10:00:00Z',
  download: '/api/v1/staff/code-batches/31/codes.csv',
};

const COUPON: Coupon = {
  id: '501',
  template_id: '7',
  campaign_id: '3',
  name: '满100减15',
  kind: 'threshold',
  threshold: 10_000,
  save: 1_500,
  state: 'available',
  valid_from: '2026-11-24T00:00:00Z',
  valid_until: '2026-12-24T00:00:00Z',
};

describe('issuing to a list of phones', () => {
  it('posts the phones to the template issues and reads the answer', async () => {
    const answer = { issued: 2, first_coupon_id: '90', not_found: ['13700137000'], invalid: ['x'], duplicates: 1 };
    const { calls, fetch } = fakeFetch([{ status: 200, body: answer }]);
    const phones = ['13800138000', '+86 139 0013 9000', '13700137000', 'x', '138 0013 8000'];
    expect(await issueCouponsToPhones(new ApiClient({ fetch }), '7', phones)).toEqual(answer);
    expect(calls).toMatchObject([{ url: '/api/v1/staff/coupon-templates/7/issues', method: 'POST', body: { phones } }]);
  });

  it('reads a missing list as empty', async () => {
    const { fetch } = fakeFetch([{ status: 200, body: { issued: 1, first_coupon_id: '90' } }]);
    expect(await issueCouponsToPhones(new ApiClient({ fetch }), '7', ['13800138000'])).toEqual({
      issued: 1,
      first_coupon_id: '90',
      not_found: [],
      invalid: [],
      duplicates: 0,
    });
  });

  it('refuses an empty or too long list before asking', async () => {
    const { calls, fetch } = fakeFetch([]);
    const api = new ApiClient({ fetch });
    await expect(issueCouponsToPhones(api, '7', [])).rejects.toThrow(RangeError);
    const tooMany = Array.from({ length: ISSUE_PHONES_PER_REQUEST + 1 }, (_, i) => String(13800000000 + i));
    await expect(issueCouponsToPhones(api, '7', tooMany)).rejects.toThrow(RangeError);
    expect(calls).toEqual([]);
  });

  it('carries the stock refusal', async () => {
    const { fetch } = fakeFetch([refusal(409, 'COUPON_OUT_OF_STOCK')]);
    const failure = await issueCouponsToPhones(new ApiClient({ fetch }), '7', ['13800138000']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('COUPON_OUT_OF_STOCK');
  });
});

describe('code batches', () => {
  it('generates a batch with an Idempotency-Key and lists the batches', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 201, body: BATCH },
      { status: 200, body: { batches: [BATCH] } },
    ]);
    const api = new ApiClient({ fetch });
    expect(await createCodeBatch(api, '7', 3, 'key-1')).toEqual(BATCH);
    expect(await listCodeBatches(api, '7')).toEqual([BATCH]);
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/v1/staff/coupon-templates/7/code-batches', method: 'POST', body: { count: 3 } },
      { url: '/api/v1/staff/coupon-templates/7/code-batches', method: 'GET', body: undefined },
    ]);
    expect(calls[0]?.headers['Idempotency-Key']).toBe('key-1');
  });

  it('refuses a count outside 1..1,000,000 before asking', () => {
    const { calls, fetch } = fakeFetch([]);
    const api = new ApiClient({ fetch });
    for (const count of [0, -1, 1.5, CODE_BATCH_MAX + 1, Number.NaN]) {
      expect(() => createCodeBatch(api, '7', count), String(count)).toThrow(RangeError);
    }
    expect(calls).toEqual([]);
  });

  it('carries the stock refusal of a batch', async () => {
    const { fetch } = fakeFetch([refusal(409, 'COUPON_OUT_OF_STOCK')]);
    const failure = await createCodeBatch(new ApiClient({ fetch }), '7', 500).catch((e: unknown) => e);
    expect((failure as ApiError).code).toBe('COUPON_OUT_OF_STOCK');
  });

  it('downloads codes.csv as a blob with the staff session', async () => {
    const csv = 'code\n7K3M-Q9TD-X2BE-HN4R\n';
    const { calls, fetch } = fakeFetch([{ status: 200, text: csv }]);
    const api = new ApiClient({ fetch, getToken: () => 'staff-token' });
    const blob = await downloadCodeBatch(api, BATCH);
    expect(await blob.text()).toBe(csv);
    expect(calls[0]?.url).toBe('/api/v1/staff/code-batches/31/codes.csv');
    expect(calls[0]?.headers.Authorization).toBe('Bearer staff-token');
  });

  it('sends the session only to this API', () => {
    expect(codeBatchCsvPath(BATCH)).toBe('/api/v1/staff/code-batches/31/codes.csv');
    const fallback = '/api/v1/staff/code-batches/31/codes.csv';
    for (const download of ['https://evil.example/codes.csv', '//evil.example/x', '/api/v1/../../x', '']) {
      expect(codeBatchCsvPath({ id: '31', download }), download).toBe(fallback);
    }
  });

  it('names the file and sizes the download', () => {
    expect(codeBatchFileName(BATCH)).toBe('coupon-codes-7-31.csv');
    expect(codeBatchFileName({ id: '../x', template_id: '7' })).toBe('coupon-codes-7-___x.csv');
    expect(codeBatchMegabytes(3)).toBe(1);
    expect(codeBatchMegabytes(1_000_000)).toBe(21);
  });
});

describe('redeeming a code', () => {
  it('posts the code with an Idempotency-Key and answers the coupon', async () => {
    const { calls, fetch } = fakeFetch([{ status: 201, body: COUPON }]);
    expect(await redeemCouponCode(new ApiClient({ fetch }), ' 7k3m q9td-x2be hn4r ', 'key-2')).toEqual(COUPON);
    expect(calls).toMatchObject([
      { url: '/api/v1/me/coupon-codes', method: 'POST', body: { code: '7k3m q9td-x2be hn4r' } },
    ]);
    expect(calls[0]?.headers['Idempotency-Key']).toBe('key-2');
  });

  it('carries each refusal with its code', async () => {
    const refusals = [
      refusal(422, 'COUPON_CODE_INVALID'),
      refusal(409, 'COUPON_CODE_USED'),
      refusal(409, 'COUPON_OUT_OF_STOCK'),
      refusal(403, 'RISK_DENIED'),
      refusal(429, 'RATE_LIMITED'),
    ];
    const { fetch } = fakeFetch([...refusals]);
    const api = new ApiClient({ fetch });
    for (const { status, body } of refusals) {
      const failure = (await redeemCouponCode(api, '7K3M-Q9TD-X2BE-HN4R').catch((e: unknown) => e)) as ApiError;
      expect({ status: failure.status, code: failure.code }).toEqual({ status, code: body.error.code });
    }
  });

  it('tells what is worth sending', () => {
    for (const typed of ['7K3M-Q9TD-X2BE-HN4R', '7k3m q9td x2be hn4r', 'abc']) expect(mayBeCouponCode(typed), typed).toBe(true);
    for (const typed of ['', '  - ', '7K3M_Q9TD', '兑换码', '7K3M.Q9TD']) expect(mayBeCouponCode(typed), typed).toBe(false);
  });
});
