import { describe, expect, it } from 'vitest';

import { ApiClient } from './client';
import { deviceLabel, listSessions, signOutOtherSessions, signOutSession } from './devices';

function fakeFetch(answers: Array<{ status: number; body?: unknown }>) {
  const calls: Array<{ url: string; method: string }> = [];
  const fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), method: init?.method ?? 'GET' });
    const answer = answers.shift() ?? { status: 500 };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

describe('devices', () => {
  it('lists the sessions and signs them out by id', async () => {
    const session = {
      id: '0123456789abcdef',
      current: true,
      created_at: '2026-11-23T01:00:00Z',
      last_active_at: '2026-11-23T01:05:00Z',
      expires_at: '2026-11-23T13:00:00Z',
      device: 'Mozilla/5.0 (Linux; Android 14) Chrome/120',
      ip: '127.0.0.1',
    };
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { sessions: [session] } },
      { status: 204 },
      { status: 204 },
    ]);
    const api = new ApiClient({ fetch, getToken: () => 'tok' });
    expect(await listSessions(api)).toEqual([session]);
    await signOutSession(api, 'ab/cd');
    await signOutOtherSessions(api);
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'GET /api/v1/me/sessions',
      'DELETE /api/v1/me/sessions/ab%2Fcd',
      'DELETE /api/v1/me/sessions',
    ]);
  });

  it('names devices briefly', () => {
    expect(deviceLabel('Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120 Mobile Safari/537')).toBe(
      'Chrome · Android',
    );
    expect(deviceLabel('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1')).toBe('Safari · iPhone');
    expect(deviceLabel('curl/8.0')).toBe('curl/8.0');
    expect(deviceLabel('')).toBe('');
  });
});
