import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from './client';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: string, calls: Call[]): typeof fetch {
  return async (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    return new Response(body === '' ? null : body, { status });
  };
}

function headersOf(call: Call | undefined): Record<string, string> {
  return (call?.init.headers ?? {}) as Record<string, string>;
}

describe('ApiClient', () => {
  it('sends JSON with the bearer token and parses the answer', async () => {
    const calls: Call[] = [];
    const client = new ApiClient({
      baseUrl: 'http://test',
      getToken: () => 'tok',
      fetch: fakeFetch(200, '{"amount":123456,"currency":"CNY"}', calls),
    });
    const balance = await client.get<{ amount: number }>('/api/v1/balance');
    expect(balance.amount).toBe(123456);
    expect(calls[0]?.url).toBe('http://test/api/v1/balance');
    expect(headersOf(calls[0]).Authorization).toBe('Bearer tok');
    expect(headersOf(calls[0])['Idempotency-Key']).toBeUndefined();
  });

  it('adds an Idempotency-Key to money-moving POSTs and keeps a given one', async () => {
    const calls: Call[] = [];
    const client = new ApiClient({ fetch: fakeFetch(200, '{}', calls) });
    await client.postMoney('/api/v1/transfers', { amount: 100, currency: 'CNY' });
    await client.postMoney('/api/v1/transfers', { amount: 100 }, { idempotencyKey: 'k-1' });
    const generated = headersOf(calls[0])['Idempotency-Key'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(headersOf(calls[1])['Idempotency-Key']).toBe('k-1');
    expect(calls[0]?.init.body).toBe('{"amount":100,"currency":"CNY"}');
    expect(headersOf(calls[0])['Content-Type']).toBe('application/json');
  });

  it('turns the error shape into a typed ApiError', async () => {
    const client = new ApiClient({
      fetch: fakeFetch(409, '{"error":{"code":"INSUFFICIENT_FUNDS","message":"no"}}', []),
    });
    const error = await client.post('/api/v1/payments', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'INSUFFICIENT_FUNDS', message: 'no' });
  });

  it('names unexpected failures by status and network errors as such', async () => {
    const html = new ApiClient({ fetch: fakeFetch(502, '<html>bad gateway</html>', []) });
    await expect(html.get('/x')).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
    const down = new ApiClient({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(down.get('/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('keeps the token a privilege change rotated the session to', async () => {
    let token = 'old';
    const rotations: string[] = [];
    const client = new ApiClient({
      getToken: () => token,
      onSessionRotated: (next) => {
        rotations.push(next);
        token = next;
      },
      fetch: async () =>
        new Response('{}', { status: 200, headers: { 'X-Session-Token': 'new' } }),
    });
    await client.post('/api/v1/me/identity', {});
    expect(rotations).toEqual(['new']);
    expect(token).toBe('new');
    // Without a session (a log-in) the header is not taken as a rotation.
    const anonymous = new ApiClient({
      onSessionRotated: (next) => rotations.push(next),
      fetch: async () => new Response('{}', { status: 200, headers: { 'X-Session-Token': 'x' } }),
    });
    await anonymous.post('/api/v1/sessions', {});
    expect(rotations).toEqual(['new']);
  });

  it('retries once, not logging out, a call whose token was rotated away in flight', async () => {
    let token = 'old';
    let expired = 0;
    const calls: Call[] = [];
    const unauthorized = '{"error":{"code":"UNAUTHORIZED","message":"no"}}';
    const client = new ApiClient({
      getToken: () => token,
      onUnauthorized: () => expired++,
      fetch: async (input, init) => {
        calls.push({ url: String(input), init: init ?? {} });
        const auth = headersOf(calls[calls.length - 1]).Authorization;
        if (auth === 'Bearer old') {
          token = 'new'; // Another call rotated the session while this one was out.
          return new Response(unauthorized, { status: 401 });
        }
        return new Response('{"ok":true}', { status: 200 });
      },
    });
    await expect(client.get('/api/v1/me/balance')).resolves.toEqual({ ok: true });
    expect(calls.map((call) => headersOf(call).Authorization)).toEqual([
      'Bearer old',
      'Bearer new',
    ]);
    expect(expired).toBe(0);

    // A 401 for the current token is a log-out, told once, not retried.
    const gone = new ApiClient({
      getToken: () => 'current',
      onUnauthorized: () => expired++,
      fetch: fakeFetch(401, unauthorized, calls),
    });
    await expect(gone.get('/api/v1/me')).rejects.toMatchObject({ status: 401 });
    expect(expired).toBe(1);
  });
});
