import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from './client';
import { fakeFetch } from './fakeFetch';
import {
  getOfferPreferences,
  listMessages,
  markMessagesRead,
  setOfferPreferences,
  type MessagePage,
} from './messages';

const PAGE: MessagePage = {
  messages: [
    {
      id: '9001',
      kind: 'offer',
      campaign_id: '7',
      title: '早餐立减',
      body: '工作日早上 6–11 点在餐饮商户付款立减 ¥3',
      created_at: '2026-11-25T10:00:00+08:00',
      read: false,
    },
  ],
  unread: 3,
  next_cursor: 'C2',
};

describe('messages API', () => {
  it('lists the inbox 20 at a time, with the cursor from the page before', async () => {
    const last: MessagePage = { messages: [], unread: 3, next_cursor: null };
    const { calls, fetch } = fakeFetch([
      { status: 200, body: PAGE },
      { status: 200, body: last },
      { status: 200, body: PAGE },
    ]);
    const api = new ApiClient({ fetch });
    expect(await listMessages(api)).toEqual(PAGE);
    expect(await listMessages(api, 'C2/+=')).toEqual(last);
    await listMessages(api, null);
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/v1/me/messages?limit=20', method: 'GET', body: undefined },
      { url: '/api/v1/me/messages?limit=20&cursor=C2%2F%2B%3D', method: 'GET', body: undefined },
      { url: '/api/v1/me/messages?limit=20', method: 'GET', body: undefined },
    ]);
  });

  it('marks one message read with its id, or all with an empty body', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { unread: 2 } },
      { status: 200, body: { unread: 0 } },
    ]);
    const api = new ApiClient({ fetch });
    expect(await markMessagesRead(api, '9001')).toBe(2);
    expect(await markMessagesRead(api)).toBe(0);
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/v1/me/messages/read', method: 'POST', body: { id: '9001' } },
      { url: '/api/v1/me/messages/read', method: 'POST', body: {} },
    ]);
    expect(calls[1]?.headers['Content-Type']).toBe('application/json');
    // Marking read moves no money: no Idempotency-Key.
    expect(calls[0]?.headers['Idempotency-Key']).toBeUndefined();
  });

  it('keeps the code of an unknown message', async () => {
    const { fetch } = fakeFetch([
      { status: 404, body: { error: { code: 'MESSAGE_NOT_FOUND', message: 'no such message' } } },
    ]);
    const error = await markMessagesRead(new ApiClient({ fetch }), '1').catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('MESSAGE_NOT_FOUND');
    expect((error as ApiError).status).toBe(404);
  });

  it('reads and writes the personalised-offers switch', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { personalised: true } },
      { status: 200, body: { personalised: false } },
    ]);
    const api = new ApiClient({ fetch });
    expect(await getOfferPreferences(api)).toBe(true);
    expect(await setOfferPreferences(api, false)).toBe(false);
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/v1/me/offer-preferences', method: 'GET', body: undefined },
      { url: '/api/v1/me/offer-preferences', method: 'PUT', body: { personalised: false } },
    ]);
  });
});
