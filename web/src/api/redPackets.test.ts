import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from './client';
import { fakeFetch } from './fakeFetch';
import {
  claimRedPacket,
  getMyRedPackets,
  getRedPacket,
  getRedPackets,
  putRedPackets,
  sendRedPacket,
  type MyRedPackets,
  type Packet,
  type RedPacketsInput,
  type StaffRedPackets,
} from './redPackets';

const INPUT: RedPacketsInput = {
  enabled: true,
  payment_min: 1000,
  packets_daily: 1,
  packet_amount: 1000,
  shares: 3,
  valid_hours: 24,
  claims_daily: 5,
  budget: 10_000,
};

const STAFF: StaffRedPackets = {
  ...INPUT,
  starts_at: null,
  ends_at: null,
  spent: 0,
  reserved: 0,
  returned: 0,
  available: 10_000,
  packets_sent: 0,
  claims: 0,
  version: 1,
  updated_at: '2026-11-24T10:00:00Z',
  packets: [],
};

const PACKET: Packet = {
  id: '42',
  link: '/red-packets/42',
  sender_phone: '138****0001',
  mine: false,
  sent_at: '2026-11-24T10:00:00Z',
  expires_at: '2026-11-25T10:00:00Z',
  amount: 1000,
  shares: 3,
  claimed: 1,
  claimed_amount: 417,
  status: 'open',
  my_share: 417,
  claims: [{ phone: '137****0002', amount: 417, time: '2026-11-24T10:01:00Z', best: false }],
};

describe('red packets API', () => {
  it('reads and replaces the programme at /staff/red-packets', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: STAFF },
      { status: 200, body: STAFF },
    ]);
    const api = new ApiClient({ fetch });
    expect(await getRedPackets(api)).toEqual(STAFF);
    expect(await putRedPackets(api, INPUT)).toEqual(STAFF);
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/v1/staff/red-packets', method: 'GET', body: undefined },
      { url: '/api/v1/staff/red-packets', method: 'PUT', body: INPUT },
    ]);
  });

  it('keeps the REDPACKET_INVALID message, which names the field', async () => {
    const { fetch } = fakeFetch([
      { status: 422, body: { error: { code: 'REDPACKET_INVALID', message: 'shares: out of range' } } },
    ]);
    const error = await putRedPackets(new ApiClient({ fetch }), INPUT).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('REDPACKET_INVALID');
    expect((error as ApiError).message).toBe('shares: out of range');
    expect((error as ApiError).status).toBe(422);
  });

  it('reads my red packets', async () => {
    const mine: MyRedPackets = {
      active: true,
      payment_min: 1000,
      packets_daily: 1,
      packet_amount: 1000,
      shares: 3,
      valid_hours: 24,
      claims_daily: 5,
      ends_at: null,
      to_send: 1,
      claims_today: 0,
      sent: [],
      claimed: [PACKET],
    };
    const { calls, fetch } = fakeFetch([{ status: 200, body: mine }]);
    expect(await getMyRedPackets(new ApiClient({ fetch }))).toEqual(mine);
    expect(calls[0]).toMatchObject({ url: '/api/v1/me/red-packets', method: 'GET' });
  });

  it('sends with the Idempotency-Key given and no body', async () => {
    const sent = { ...PACKET, mine: true, claimed: 0, claimed_amount: 0, my_share: null, claims: [] };
    const { calls, fetch } = fakeFetch([
      { status: 201, body: sent },
      { status: 200, body: sent },
    ]);
    const api = new ApiClient({ fetch });
    expect(await sendRedPacket(api, 'press-1')).toEqual(sent);
    // A retry with the same key answers the same packet.
    expect(await sendRedPacket(api, 'press-1')).toEqual(sent);
    expect(calls.map((call) => [call.url, call.method, call.headers['Idempotency-Key'], call.body])).toEqual([
      ['/api/v1/me/red-packets', 'POST', 'press-1', undefined],
      ['/api/v1/me/red-packets', 'POST', 'press-1', undefined],
    ]);
    expect(calls[0]?.headers['Content-Type']).toBeUndefined();
  });

  it('reads one packet and claims a share without a body', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { ...PACKET, my_share: null } },
      { status: 201, body: { amount: 417, packet: PACKET } },
      { status: 200, body: { amount: 417, packet: PACKET } },
    ]);
    const api = new ApiClient({ fetch });
    expect((await getRedPacket(api, '42')).my_share).toBeNull();
    expect(await claimRedPacket(api, '42')).toEqual({ amount: 417, packet: PACKET });
    // Claiming again answers the same share.
    expect(await claimRedPacket(api, '42')).toEqual({ amount: 417, packet: PACKET });
    expect(calls.map((call) => [call.url, call.method, call.body])).toEqual([
      ['/api/v1/me/red-packets/42', 'GET', undefined],
      ['/api/v1/me/red-packets/42/claim', 'POST', undefined],
      ['/api/v1/me/red-packets/42/claim', 'POST', undefined],
    ]);
  });

  it('keeps an id from the link inside its path segment', async () => {
    const { calls, fetch } = fakeFetch([{ status: 404, body: { error: { code: 'REDPACKET_NOT_FOUND', message: 'x' } } }]);
    await getRedPacket(new ApiClient({ fetch }), '../staff').catch(() => undefined);
    expect(calls[0]?.url).toBe('/api/v1/me/red-packets/..%2Fstaff');
  });

  it('passes a refusal on with its code', async () => {
    const { fetch } = fakeFetch([
      { status: 409, body: { error: { code: 'REDPACKET_SAME_DEVICE', message: 'a device its sender used' } } },
      { status: 403, body: { error: { code: 'RISK_DENIED', message: 'denied' } } },
    ]);
    const api = new ApiClient({ fetch });
    const sameDevice = await claimRedPacket(api, '42').catch((cause: unknown) => cause);
    expect((sameDevice as ApiError).code).toBe('REDPACKET_SAME_DEVICE');
    expect((sameDevice as ApiError).status).toBe(409);
    const risk = await claimRedPacket(api, '42').catch((cause: unknown) => cause);
    expect((risk as ApiError).code).toBe('RISK_DENIED');
    expect((risk as ApiError).status).toBe(403);
  });
});
