import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from './client';
import { customerSearchQuery } from './staff';
import { historyQuery } from './wallet';

describe('query strings', () => {
  it('builds the history query from filter and cursor', () => {
    const none = { types: [], from: '', to: '' };
    expect(historyQuery(none, null)).toBe('?limit=20');
    expect(historyQuery(none, 'abc=/+', 50)).toBe('?limit=50&cursor=abc%3D%2F%2B');
    expect(
      historyQuery({ types: ['top_up', 'p2p_out'], from: '2026-11-01', to: '2026-11-23' }, 'c2'),
    ).toBe('?limit=20&cursor=c2&type=top_up%2Cp2p_out&from=2026-11-01&to=2026-11-23');
  });

  it('builds the customer search query', () => {
    expect(customerSearchQuery('138', null)).toBe('?q=138&limit=20');
    expect(customerSearchQuery('+86 138', 'n')).toBe('?q=%2B86+138&limit=20&cursor=n');
  });
});

describe('ApiClient errors', () => {
  it('carries the limit of LIMIT_EXCEEDED', async () => {
    const client = new ApiClient({
      fetch: async () =>
        new Response(
          '{"error":{"code":"LIMIT_EXCEEDED","message":"over","limit":"daily"}}',
          { status: 422 },
        ),
    });
    const error = await client.post('/api/v1/me/transfers', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'daily', status: 422 });
  });

  it('sends DELETE and accepts an empty 204', async () => {
    const methods: string[] = [];
    const client = new ApiClient({
      fetch: async (_input, init) => {
        methods.push(init?.method ?? '');
        return new Response(null, { status: 204 });
      },
    });
    await expect(client.delete('/api/v1/me/cards/3')).resolves.toBeUndefined();
    expect(methods).toEqual(['DELETE']);
  });
});
