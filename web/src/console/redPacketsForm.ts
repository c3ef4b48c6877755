// The red-packet form of the console (/console/red-packets) and its mapping to the API's
// RedPacketsInput, kept pure so it is tested without a browser. Ops type money in yuan ("10" or
// "12.50") and the API takes integer fen, parsed from the typed digits (money.ts), never through
// floating point. Start and end are China time ("YYYY-MM-DDTHH:mm", as the lottery form), empty
// for no bound.
import {
  MAX_DAILY,
  MAX_PACKET_FEN,
  MAX_PAYMENT_MIN_FEN,
  MAX_SHARES,
  MAX_VALID_HOURS,
  MIN_SHARES,
  type RedPacketsInput,
  type StaffRedPackets,
} from '../api/redPackets';
import { formatFen, parseYuan } from '../money';
import { chinaLocalToRfc3339, rfc3339ToChinaLocal } from './campaignForm';

/** The largest budget the server takes (¥10 trillion); parseYuan stops at MAX_SAFE_INTEGER fen. */
const MAX_BUDGET_FEN = 1_000_000_000_000_000n;

/** The server's defaults, for a programme never set. */
const DEFAULT_PACKETS_DAILY = 1;
const DEFAULT_VALID_HOURS = 24;
const DEFAULT_CLAIMS_DAILY = 5;

export interface RedPacketsFormValues {
  enabled: boolean;
  /** China time "YYYY-MM-DDTHH:mm", or "" for no bound. */
  startsAt: string;
  endsAt: string;
  /** Yuan as typed: a payment of at least this earns a packet. */
  paymentMin: string;
  packetsDaily: number | null;
  /** Yuan as typed: each packet's amount, at most ¥200. */
  packetAmount: string;
  shares: number | null;
  validHours: number | null;
  claimsDaily: number | null;
  /** Yuan as typed; empty reads as 0. */
  budget: string;
}

export type RedPacketsFormField = keyof RedPacketsFormValues;

/** Where the form is wrong, and the message key for it (with its parameters). */
export interface RedPacketsFormProblem {
  field: RedPacketsFormField;
  message: string;
  params?: Record<string, string | number>;
}

export type RedPacketsMapped =
  | { ok: true; value: RedPacketsInput }
  | { ok: false; problem: RedPacketsFormProblem };

type Step<T> = { ok: true; value: T } | { ok: false; problem: RedPacketsFormProblem };

const fail = (
  field: RedPacketsFormField,
  message: string,
  params?: RedPacketsFormProblem['params'],
): { ok: false; problem: RedPacketsFormProblem } => ({ ok: false, problem: { field, message, params } });

function integerIn(value: number | null | undefined, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function time(field: 'startsAt' | 'endsAt', text: string): Step<string | null> {
  if ((text ?? '').trim() === '') return { ok: true, value: null };
  const rfc3339 = chinaLocalToRfc3339(text);
  return rfc3339 === null ? fail(field, 'redPacket.form.time') : { ok: true, value: rfc3339 };
}

function yuan(field: RedPacketsFormField, text: string, maxFen: bigint, allowZero: boolean): Step<number> {
  const parsed = parseYuan(text ?? '', { maxFen, allowZero });
  return parsed.ok ? { ok: true, value: parsed.fen } : fail(field, `error.amount.${parsed.error}`);
}

/** The form → the PUT body, or the first field that is wrong. */
export function toRedPacketsInput(values: RedPacketsFormValues): RedPacketsMapped {
  const startsAt = time('startsAt', values.startsAt);
  if (!startsAt.ok) return startsAt;
  const endsAt = time('endsAt', values.endsAt);
  if (!endsAt.ok) return endsAt;
  if (startsAt.value !== null && endsAt.value !== null && Date.parse(endsAt.value) <= Date.parse(startsAt.value)) {
    return fail('endsAt', 'redPacket.form.window');
  }
  const paymentMin = yuan('paymentMin', values.paymentMin, BigInt(MAX_PAYMENT_MIN_FEN), false);
  if (!paymentMin.ok) return paymentMin;
  if (!integerIn(values.packetsDaily, 1, MAX_DAILY)) return fail('packetsDaily', 'redPacket.form.daily');
  if (!integerIn(values.shares, MIN_SHARES, MAX_SHARES)) return fail('shares', 'redPacket.form.shares');
  const packetAmount = yuan('packetAmount', values.packetAmount, BigInt(MAX_PACKET_FEN), false);
  if (!packetAmount.ok) return packetAmount;
  // Every share is at least 1 fen.
  if (packetAmount.value < values.shares) {
    return fail('packetAmount', 'redPacket.form.perShare', { min: formatFen(values.shares) });
  }
  if (!integerIn(values.validHours, 1, MAX_VALID_HOURS)) return fail('validHours', 'redPacket.form.validHours');
  if (!integerIn(values.claimsDaily, 1, MAX_DAILY)) return fail('claimsDaily', 'redPacket.form.daily');
  // An empty budget reads as 0, as the lottery's does.
  const budgetText = (values.budget ?? '').trim() === '' ? '0' : values.budget;
  const budget = yuan('budget', budgetText, MAX_BUDGET_FEN, true);
  if (!budget.ok) return budget;
  // A programme that is on but cannot pay for one packet would refuse every send.
  if (values.enabled === true && budget.value < packetAmount.value) {
    return fail('budget', 'redPacket.form.budgetForPacket', { amount: formatFen(packetAmount.value) });
  }

  const input: RedPacketsInput = {
    enabled: values.enabled === true,
    payment_min: paymentMin.value,
    packets_daily: values.packetsDaily,
    packet_amount: packetAmount.value,
    shares: values.shares,
    valid_hours: values.validHours,
    claims_daily: values.claimsDaily,
    budget: budget.value,
  };
  // No bound is said by leaving the field out.
  if (startsAt.value !== null) input.starts_at = startsAt.value;
  if (endsAt.value !== null) input.ends_at = endsAt.value;
  return { ok: true, value: input };
}

/** Fen as the form's yuan text: 1000 → "10.00"; 0 (never set) → "". */
function yuanText(fen: number): string {
  return fen === 0 ? '' : formatFen(fen, { symbol: false, grouping: false });
}

/** A programme from the API back into the form; never set (version 0) reads as the defaults. */
export function redPacketsToForm(program: StaffRedPackets): RedPacketsFormValues {
  const orDefault = (value: number, min: number, fallback: number) => (value >= min ? value : fallback);
  return {
    enabled: program.enabled,
    startsAt: program.starts_at === null ? '' : rfc3339ToChinaLocal(program.starts_at),
    endsAt: program.ends_at === null ? '' : rfc3339ToChinaLocal(program.ends_at),
    paymentMin: yuanText(program.payment_min),
    packetsDaily: orDefault(program.packets_daily, 1, DEFAULT_PACKETS_DAILY),
    packetAmount: yuanText(program.packet_amount),
    shares: program.shares >= MIN_SHARES ? program.shares : null,
    validHours: orDefault(program.valid_hours, 1, DEFAULT_VALID_HOURS),
    claimsDaily: orDefault(program.claims_daily, 1, DEFAULT_CLAIMS_DAILY),
    budget: yuanText(program.budget),
  };
}

const API_FIELDS: Record<string, RedPacketsFormField> = {
  enabled: 'enabled',
  starts_at: 'startsAt',
  window: 'startsAt',
  ends_at: 'endsAt',
  payment_min: 'paymentMin',
  packets_daily: 'packetsDaily',
  packet_amount: 'packetAmount',
  shares: 'shares',
  valid_hours: 'validHours',
  claims_daily: 'claimsDaily',
  budget: 'budget',
};

/**
 * The form field a REDPACKET_INVALID (or FIELD_INVALID) message names: "shares: out of range" →
 * "shares", "packet_amount: at least 1 fen a share, at most ¥200" → "packetAmount"; null when it
 * names none this form has.
 */
export function redPacketsFormFieldOfError(message: string): RedPacketsFormField | null {
  const match = /^([a-z_]+)(?::|$)/.exec(message.trim());
  return match === null ? null : (API_FIELDS[match[1] ?? ''] ?? null);
}
