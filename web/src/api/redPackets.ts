// Group red packets (拼手气红包) of API v1: the console's programme, budget figures and newest
// packets, and the customer's terms, packets to send, the packets sent and opened, one packet as
// its link shows it, and the claim of a share.
//
// A completed payment of at least payment_min earns a packet to send (at most packets_daily a
// China day). Sending splits packet_amount at random into `shares` shares, fixed at send time,
// each at least 1 fen and at most twice the average. Friends who open the link take the next
// share into their wallet, once per packet, at most claims_daily a China day; the sender may take
// one too. After valid_hours the packet expires and its unclaimed shares go back to the budget.
// The bank pays every share from the programme's budget: sending reserves the whole packet, a
// claim moves its share from reserved to spent.
//
// Money is integer fen; times are RFC 3339. The console form's mapping is in
// console/redPacketsForm.ts; the customer pages' words are in h5/redPacketFormat.ts.
import type { ApiClient } from './client';

/** The server's bounds (src/redpacket/redpacket.h). */
export const MAX_PAYMENT_MIN_FEN = 1_000_000_000_000;
export const MAX_PACKET_FEN = 20_000;
export const MIN_SHARES = 2;
export const MAX_SHARES = 100;
export const MAX_DAILY = 100;
export const MAX_VALID_HOURS = 72;

export const PACKET_STATUSES = ['open', 'empty', 'expired'] as const;
export type PacketStatus = (typeof PACKET_STATUSES)[number];

/** What ops may change: the body of PUT /staff/red-packets. */
export interface RedPacketsInput {
  enabled: boolean;
  /** RFC 3339; absent: no bound. */
  starts_at?: string;
  ends_at?: string;
  /** Fen, 1..1e12: a completed payment of at least this earns one packet to send. */
  payment_min: number;
  /** 1..100 packets a customer may earn a China day. */
  packets_daily: number;
  /** Fen, shares..20000 (¥200): each packet's amount. */
  packet_amount: number;
  /** 2..100 shares per packet. */
  shares: number;
  /** 1..72 hours a packet stays open. */
  valid_hours: number;
  /** 1..100 shares a customer may take a China day. */
  claims_daily: number;
  /** Fen, at least spent + reserved: what all shares may cost in total. */
  budget: number;
}

/** A packet as the console lists it; the sender's phone is masked by the server. */
export interface StaffPacket {
  id: string;
  sender_phone: string;
  sent_at: string;
  expires_at: string;
  amount: number;
  shares: number;
  /** Shares taken so far. */
  claimed: number;
  claimed_amount: number;
  /** A status this client does not know yet is shown as it comes. */
  status: PacketStatus | string;
}

/** GET /staff/red-packets. */
export interface StaffRedPackets {
  enabled: boolean;
  starts_at: string | null;
  ends_at: string | null;
  payment_min: number;
  packets_daily: number;
  packet_amount: number;
  shares: number;
  valid_hours: number;
  claims_daily: number;
  budget: number;
  /** Fen paid out in shares. */
  spent: number;
  /** Fen held for the unclaimed shares of live packets. */
  reserved: number;
  /** Fen of expired packets' unclaimed shares, back in the budget. */
  returned: number;
  /** budget − spent − reserved: what new packets may still reserve. */
  available: number;
  packets_sent: number;
  claims: number;
  /** 0: never set. */
  version: number;
  updated_at: string | null;
  /** Newest first, at most 50. */
  packets: StaffPacket[];
}

/** One share taken, as everyone who opens the packet sees it. */
export interface PacketClaim {
  /** Masked: 138****0001. */
  phone: string;
  amount: number;
  time: string;
  /** 手气最佳: the largest share; set only once the packet is empty or expired. */
  best: boolean;
}

/** A packet as a customer sees it. */
export interface Packet extends StaffPacket {
  /** "/red-packets/<id>": joined to this site's origin it is the link to share. */
  link: string;
  /** I sent it. */
  mine: boolean;
  /** Fen I took, or null. */
  my_share: number | null;
  /** In the order taken. */
  claims: PacketClaim[];
}

/** GET /me/red-packets. */
export interface MyRedPackets {
  /** Enabled, and now inside its window. */
  active: boolean;
  payment_min: number;
  packets_daily: number;
  packet_amount: number;
  shares: number;
  valid_hours: number;
  claims_daily: number;
  ends_at: string | null;
  /** Packets I may send now (0 while the programme is not active). */
  to_send: number;
  claims_today: number;
  /** Newest first, at most 20. */
  sent: Packet[];
  /** Newest first, at most 20 that I took a share of. */
  claimed: Packet[];
}

/** POST /me/red-packets/{id}/claim: my share and the packet after it. */
export interface ClaimAnswer {
  amount: number;
  packet: Packet;
}

const STAFF_PATH = '/api/v1/staff/red-packets';
const MY_PATH = '/api/v1/me/red-packets';

export function getRedPackets(api: ApiClient): Promise<StaffRedPackets> {
  return api.get<StaffRedPackets>(STAFF_PATH);
}

/**
 * Errors: 422 REDPACKET_INVALID whose message starts with the API field ("shares: out of
 * range"); 400 FIELD_INVALID / FIELD_REQUIRED / UNKNOWN_FIELD likewise.
 */
export function putRedPackets(api: ApiClient, input: RedPacketsInput): Promise<StaffRedPackets> {
  return api.put<StaffRedPackets>(STAFF_PATH, input);
}

export function getMyRedPackets(api: ApiClient): Promise<MyRedPackets> {
  return api.get<MyRedPackets>(MY_PATH);
}

/**
 * Sends one packet my payments earned. The Idempotency-Key belongs to the customer's press of
 * the button: a retry with the same key answers the same packet (200) instead of sending another
 * (201). 409 REDPACKET_OFF, REDPACKET_NONE_TO_SEND, REDPACKET_BUDGET.
 */
export function sendRedPacket(api: ApiClient, idempotencyKey: string): Promise<Packet> {
  return api.postMoney<Packet>(MY_PATH, undefined, { idempotencyKey });
}

/** One packet, as its link shows it. 404 REDPACKET_NOT_FOUND. */
export function getRedPacket(api: ApiClient, id: string): Promise<Packet> {
  return api.get<Packet>(`${MY_PATH}/${encodeURIComponent(id)}`);
}

/**
 * Takes the next share into my wallet. The server keeps one claim per customer and packet, so a
 * second call answers the same share (200) and needs no Idempotency-Key. 404
 * REDPACKET_NOT_FOUND; 409 REDPACKET_EXPIRED, REDPACKET_EMPTY, REDPACKET_DAILY_LIMIT,
 * REDPACKET_WALLET_FULL, REDPACKET_SAME_DEVICE; 403 RISK_DENIED.
 */
export function claimRedPacket(api: ApiClient, id: string): Promise<ClaimAnswer> {
  return api.post<ClaimAnswer>(`${MY_PATH}/${encodeURIComponent(id)}/claim`, undefined);
}
