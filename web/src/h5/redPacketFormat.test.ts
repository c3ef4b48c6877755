import { describe, expect, it } from 'vitest';

import type { MyRedPackets, Packet } from '../api/redPackets';
import { translate } from '../i18n/translate';
import {
  canOpenPacket,
  goneKey,
  packetLink,
  packetProgress,
  packetStatusKey,
  redPacketTerms,
  sendBlockedReason,
  withSentPacket,
} from './redPacketFormat';

const zh = (key: string, params?: Record<string, string | number>) => translate('zh', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

const MINE: MyRedPackets = {
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
  claimed: [],
};

const PACKET: Packet = {
  id: '42',
  link: '/red-packets/42',
  sender_phone: '138****0001',
  mine: true,
  sent_at: '2026-11-24T10:00:00Z',
  expires_at: '2026-11-25T10:00:00Z',
  amount: 1000,
  shares: 3,
  claimed: 1,
  claimed_amount: 417,
  status: 'open',
  my_share: null,
  claims: [],
};

describe('red packet words', () => {
  it('says the terms in one sentence', () => {
    expect(redPacketTerms(zh, MINE)).toBe(
      '单笔支付满 ¥10.00 得 1 个红包（每天最多 1 个）。每个红包 ¥10.00，随机分成 3 份，发出后 24 小时内好友可领；每人每天最多领 5 份。',
    );
    expect(redPacketTerms(en, MINE)).toMatch(/^A payment of at least ¥10\.00 earns a red packet/);
  });

  it('says why a packet cannot be sent', () => {
    expect(sendBlockedReason(zh, MINE)).toBeNull();
    expect(sendBlockedReason(zh, { ...MINE, to_send: 0 })).toBe('暂无可发的红包：单笔支付满 ¥10.00 即可获得');
    expect(sendBlockedReason(zh, { ...MINE, active: false })).toBe('活动未在进行中，暂时不能发红包');
  });

  it('names statuses, an unknown one as 未知', () => {
    expect(zh(packetStatusKey('open'))).toBe('可领取');
    expect(zh(packetStatusKey('empty'))).toBe('已领完');
    expect(zh(packetStatusKey('expired'))).toBe('已过期');
    expect(packetStatusKey('frozen')).toBe('redPacket.status.other');
  });

  it('shows the progress in shares and money', () => {
    expect(packetProgress(zh, PACKET)).toBe('已领 1/3 份，¥4.17/¥10.00');
  });
});

describe('opening', () => {
  it('offers 开 only on an open packet I took nothing from', () => {
    expect(canOpenPacket(PACKET)).toBe(true);
    expect(canOpenPacket({ ...PACKET, my_share: 417 })).toBe(false);
    expect(canOpenPacket({ ...PACKET, status: 'empty' })).toBe(false);
    expect(canOpenPacket({ ...PACKET, status: 'expired' })).toBe(false);
  });

  it('says why a packet is gone, unless I have my share', () => {
    expect(goneKey(PACKET)).toBeNull();
    expect(goneKey({ ...PACKET, status: 'empty' })).toBe('redPacket.gone.empty');
    expect(goneKey({ ...PACKET, status: 'expired' })).toBe('redPacket.gone.expired');
    expect(goneKey({ ...PACKET, status: 'empty', my_share: 1 })).toBeNull();
  });

  it('joins the link to the origin', () => {
    expect(packetLink('https://pay.example/', '/red-packets/42')).toBe('https://pay.example/red-packets/42');
  });
});

describe('withSentPacket', () => {
  it('puts a new packet first and counts one fewer to send', () => {
    const older = { ...PACKET, id: '41' };
    const after = withSentPacket({ ...MINE, sent: [older] }, PACKET);
    expect(after.sent.map((p) => p.id)).toEqual(['42', '41']);
    expect(after.to_send).toBe(0);
  });

  it('keeps the count for a retried send that answered a packet already listed', () => {
    const after = withSentPacket({ ...MINE, sent: [PACKET] }, PACKET);
    expect(after.sent.map((p) => p.id)).toEqual(['42']);
    expect(after.to_send).toBe(1);
  });

  it('keeps at most 20', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ ...PACKET, id: String(i) }));
    expect(withSentPacket({ ...MINE, sent: many }, PACKET).sent).toHaveLength(20);
  });
});
