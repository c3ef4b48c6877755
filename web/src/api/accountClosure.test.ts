import { describe, expect, it } from 'vitest';

import { closeAccount, sendCloseAccountCode } from './accountClosure';
import { ApiClient, ApiError } from './client';

function fakeFetch(answers: Array<{ status: number; body?: unknown }>) {
  const calls: Array<{ url: string; method: string; body: unknown; auth: string | null }> = [];
  const fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({
      url: String(url),
      method: init?.method ?? 'GET',
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      auth: headers.get('Authorization'),
    });
    const answer = answers.shift() ?? { status: 500 };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

describe('account closure', () => {
  it('asks for a close_account code for the phone', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 202, body: { expires_in_seconds: 300, resend_after_seconds: 60 } },
    ]);
    const api = new ApiClient({ fetch, getToken: () => 'tok' });
    expect(await sendCloseAccountCode(api, '13800138000')).toEqual({
      expires_in_seconds: 300,
      resend_after_seconds: 60,
    });
    expect(calls).toEqual([
      {
        url: '/api/v1/otp',
        method: 'POST',
        body: { phone: '13800138000', purpose: 'close_account' },
        auth: 'Bearer tok',
      },
    ]);
  });

  it('closes with the code, and the PIN only when given', async () => {
    const closed = { closed_at: '2026-11-23T10:00:00Z', sessions_revoked: 2 };
    const { calls, fetch } = fakeFetch([
      { status: 200, body: closed },
      { status: 200, body: closed },
    ]);
    const api = new ApiClient({ fetch, getToken: () => 'tok' });
    expect(await closeAccount(api, { smsCode: '123456', paymentPin: '258147' })).toEqual(closed);
    await closeAccount(api, { smsCode: '654321' });
    expect(calls.map((call) => [call.method, call.url, call.body, call.auth])).toEqual([
      ['POST', '/api/v1/me/close-account', { sms_code: '123456', payment_pin: '258147' }, 'Bearer tok'],
      ['POST', '/api/v1/me/close-account', { sms_code: '654321' }, 'Bearer tok'],
    ]);
  });

  it('turns a refusal into an ApiError with its code', async () => {
    const { fetch } = fakeFetch([
      { status: 409, body: { error: { code: 'BALANCE_NOT_ZERO', message: 'the wallet holds money' } } },
      { status: 403, body: { error: { code: 'PIN_WRONG', message: 'wrong', tries_left: 3 } } },
    ]);
    let expired = 0;
    const api = new ApiClient({ fetch, getToken: () => 'tok', onUnauthorized: () => expired++ });
    const notEmpty = await closeAccount(api, { smsCode: '123456' }).catch((error: unknown) => error);
    expect(notEmpty).toBeInstanceOf(ApiError);
    expect((notEmpty as ApiError).status).toBe(409);
    expect((notEmpty as ApiError).code).toBe('BALANCE_NOT_ZERO');
    const wrongPin = await closeAccount(api, { smsCode: '123456', paymentPin: '000000' }).catch(
      (error: unknown) => error,
    );
    expect((wrongPin as ApiError).triesLeft).toBe(3);
    // A refusal is not a lost session.
    expect(expired).toBe(0);
  });
});
