// How red packets read on the customer's /red-packets and /red-packets/:id pages (and their
// status words in the console): the terms as one sentence, why the send button is off, a
// packet's status and progress, whether it can still be opened, the link to share, and the
// page's copy of the list after sending.
import { PACKET_STATUSES, type MyRedPackets, type Packet, type PacketStatus } from '../api/redPackets';
import type { MessageKey } from '../i18n/dictionaries';
import type { MessageParams } from '../i18n/translate';
import { formatFen } from '../money';
import { inviteLink } from './referralFormat';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** How many packets the customer page lists, as the server does. */
export const LISTED_PACKETS = 20;

/**
 * The terms in one sentence: "单笔支付满 ¥10.00 得 1 个红包（每天最多 1 个）。每个红包 ¥10.00，
 * 随机分成 3 份，发出后 24 小时内好友可领；每人每天最多领 5 份。"
 */
export function redPacketTerms(t: Translate, mine: MyRedPackets): string {
  return t('redPacket.terms', {
    min: formatFen(mine.payment_min),
    daily: mine.packets_daily,
    amount: formatFen(mine.packet_amount),
    shares: mine.shares,
    hours: mine.valid_hours,
    claims: mine.claims_daily,
  });
}

/** Why the send button is off, or null when a packet can be sent. */
export function sendBlockedReason(t: Translate, mine: MyRedPackets): string | null {
  if (!mine.active) return t('redPacket.send.off');
  if (mine.to_send <= 0) return t('redPacket.send.none', { min: formatFen(mine.payment_min) });
  return null;
}

/** The dictionary key of a status; an unknown one is "other". */
export function packetStatusKey(status: string): `redPacket.status.${PacketStatus | 'other'}` {
  return (PACKET_STATUSES as readonly string[]).includes(status)
    ? `redPacket.status.${status as PacketStatus}`
    : 'redPacket.status.other';
}

/** "已领 1/3 份，¥4.17/¥10.00". */
export function packetProgress(
  t: Translate,
  packet: Pick<Packet, 'claimed' | 'shares' | 'claimed_amount' | 'amount'>,
): string {
  return t('redPacket.progress', {
    claimed: packet.claimed,
    shares: packet.shares,
    claimedAmount: formatFen(packet.claimed_amount),
    amount: formatFen(packet.amount),
  });
}

/** Whether the 开 button shows: the packet is open and I have not taken a share. */
export function canOpenPacket(packet: Pick<Packet, 'status' | 'my_share'>): boolean {
  return packet.status === 'open' && packet.my_share === null;
}

/** Why a packet I took nothing from cannot be opened any more, or null. */
export function goneKey(
  packet: Pick<Packet, 'status' | 'my_share'>,
): 'redPacket.gone.empty' | 'redPacket.gone.expired' | null {
  if (packet.my_share !== null) return null;
  if (packet.status === 'empty') return 'redPacket.gone.empty';
  if (packet.status === 'expired') return 'redPacket.gone.expired';
  return null;
}

/** The link to share: this site's origin and the packet's path ("/red-packets/42"). */
export function packetLink(origin: string, link: string): string {
  return inviteLink(origin, link);
}

/** The page's copy after sending `packet`: it first in the list, one fewer to send. */
export function withSentPacket(mine: MyRedPackets, packet: Packet): MyRedPackets {
  const sent = [packet, ...mine.sent.filter((p) => p.id !== packet.id)].slice(0, LISTED_PACKETS);
  // A retried send answers a packet already listed: it used no second packet.
  const isNew = !mine.sent.some((p) => p.id === packet.id);
  return { ...mine, sent, to_send: isNew ? Math.max(mine.to_send - 1, 0) : mine.to_send };
}
