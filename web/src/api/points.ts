// The points programme (积分) of API v1: the console's programme settings and the customer's
// balance and entries; the points part of a payment quote is in marketing.ts (Quote.points).
//
// A payment earns floor(paid yuan) × earn_points_per_yuan × the largest multiplier among the
// rules that match it (1 when none does). Points pay for part of a payment: redeem_points_per_yuan
// points make ¥1 of discount, at most redeem_max_percent of one payment. Points are integers and
// money is integer fen; nothing here uses floating point for either.
//
// The pure helpers map the console form to the API body and back (weekdays, optional dates,
// segments, MCC categories) and name an entry's kind; they are tested without a browser.
// The China-time conversion of the campaign editor is reused, so both forms read times alike.
import { chinaLocalToRfc3339, rfc3339ToChinaLocal } from '../console/campaignForm';
import type { ApiClient } from './client';
import { CUSTOMER_SEGMENTS, type Quote, type QuotePoints } from './marketing';

export const MAX_EARN_POINTS_PER_YUAN = 100;
export const MAX_REDEEM_POINTS_PER_YUAN = 100_000;
export const MAX_REDEEM_PERCENT = 100;
export const MIN_MULTIPLIER = 2;
export const MAX_MULTIPLIER = 10;
export const MAX_MULTIPLIER_RULES = 32;
export const MAX_RULE_NAME_BYTES = 64;
/** The server's bound on one rule's merchant categories. */
export const MAX_RULE_CATEGORIES = 256;
/** ISO 18245 merchant category codes are four digits; 0 means "unknown" and matches nothing. */
export const MAX_MCC = 9999;
/** ISO weekdays: 1 = Monday .. 7 = Sunday (China time). */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A multiplier rule: payments matching every condition earn `multiplier` times the points. */
export interface MultiplierRule {
  name: string;
  multiplier: number;
  /** MCC codes; empty: any merchant. */
  categories: number[];
  /** ISO weekdays; empty: every day. */
  weekdays: number[];
  /** Customer segments (CUSTOMER_SEGMENTS); empty: everyone, else any one of them. */
  segments: string[];
  starts_at: string | null;
  ends_at: string | null;
}

/** What ops may change: the body of PUT /staff/points-program. */
export interface PointsProgramInput {
  enabled: boolean;
  earn_points_per_yuan: number;
  /** Points that make ¥1 of discount; 0: redemption is off. */
  redeem_points_per_yuan: number;
  /** The most of one payment points may pay, in percent. */
  redeem_max_percent: number;
  multipliers: MultiplierRule[];
}

export interface PointsProgram extends PointsProgramInput {
  /** 0: never configured. */
  version: number;
  /** The points all customers hold. */
  points_outstanding: number;
}

/**
 * The kinds of entry: a payment's (earn, redeem, and a refund's restore, clawback), points that
 * lapsed (forfeit), the friend-referral programme's reward (referral) and its reversal when
 * the qualifying payment is refunded (referral_clawback), and a points prize won in the lottery
 * (lottery).
 */
export const POINTS_ENTRY_KINDS = [
  'earn',
  'redeem',
  'restore',
  'clawback',
  'forfeit',
  'referral',
  'referral_clawback',
  'lottery',
] as const;
export type PointsEntryKind = (typeof POINTS_ENTRY_KINDS)[number];

export interface PointsEntry {
  id: string;
  at: string;
  /** A kind this client does not know yet is shown as "other". */
  kind: PointsEntryKind | string;
  /** Signed: positive in, negative out. */
  points: number;
  payment_id: string | null;
}

/** GET /me/points: the balance, what it is worth (fen), the rules, the newest 50 entries. */
export interface MyPoints {
  enabled: boolean;
  balance: number;
  value: number;
  earn_points_per_yuan: number;
  redeem_points_per_yuan: number;
  redeem_max_percent: number;
  entries: PointsEntry[];
}

const PROGRAM_PATH = '/api/v1/staff/points-program';

export function getPointsProgram(api: ApiClient): Promise<PointsProgram> {
  return api.get<PointsProgram>(PROGRAM_PATH);
}

export function putPointsProgram(api: ApiClient, input: PointsProgramInput): Promise<PointsProgram> {
  return api.put<PointsProgram>(PROGRAM_PATH, input);
}

export function getMyPoints(api: ApiClient): Promise<MyPoints> {
  return api.get<MyPoints>('/api/v1/me/points');
}

/** The points part of a quote; an older server sends none, which reads as "no points". */
export function quotePointsOf(quote: Quote | null): QuotePoints {
  const points = quote?.points;
  return {
    balance: points?.balance ?? 0,
    max_redeemable: points?.max_redeemable ?? 0,
    used: points?.used ?? 0,
    discount: points?.discount ?? 0,
    max_discount: points?.max_discount ?? 0,
    earn: points?.earn ?? 0,
  };
}

/** Points to send with the payment: those the quote shown uses, only while the switch is on. */
export function pointsToPay(quote: Quote | null, usePoints: boolean): number | null {
  const used = quotePointsOf(quote).used;
  return usePoints && used > 0 ? used : null;
}

/**
 * Whether the quote shown matches what paying would send: for this amount with the points when
 * the switch is on, without them when it is off. A quote still on its way (the switch just
 * moved, the amount just changed) must not be paid on: the customer would pay another price.
 * No quote at all (it failed) is no promise, so paying goes ahead without points.
 */
export function quoteSettled(quote: Quote | null, amountFen: number | null, usePoints: boolean): boolean {
  if (quote === null) return true;
  const points = quotePointsOf(quote);
  if (!usePoints) return points.used === 0;
  return quote.amount === amountFen && (points.used > 0 || points.max_redeemable === 0);
}

/** The dictionary key of an entry's kind: "points.kind.earn", or "points.kind.other". */
export function pointsEntryKindKey(kind: string): `points.kind.${PointsEntryKind | 'other'}` {
  return (POINTS_ENTRY_KINDS as readonly string[]).includes(kind)
    ? `points.kind.${kind as PointsEntryKind}`
    : 'points.kind.other';
}

/** Entries that are no payment of the customer's, whatever payment_id they carry. */
const NOT_A_PAYMENT: readonly string[] = ['referral', 'referral_clawback', 'lottery'];

/**
 * The payment an entry opens, or null. A referral entry carries the invitee's qualifying payment,
 * which for an inviter is someone else's, and a lottery prize is no payment: they open nothing.
 */
export function pointsEntryPaymentId(entry: Pick<PointsEntry, 'kind' | 'payment_id'>): string | null {
  if (NOT_A_PAYMENT.includes(entry.kind)) return null;
  return entry.payment_id;
}

/** Points with thousands grouped: 12345 → "12,345". */
export function formatPoints(points: number): string {
  const grouped = Math.abs(points)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return points < 0 ? `-${grouped}` : grouped;
}

/** Points with their sign: 120 → "+120", -1500 → "-1,500", 0 → "0". */
export function signedPoints(points: number): string {
  return points > 0 ? `+${formatPoints(points)}` : formatPoints(points);
}

/** Whether the home page shows the balance: a programme that is on, or points still held. */
export function showPointsOnHome(points: Pick<MyPoints, 'enabled' | 'balance'> | null): boolean {
  return points !== null && (points.enabled || points.balance !== 0);
}

export interface MultiplierFormValues {
  name: string;
  multiplier: number | null;
  /** MCC codes as typed in the tags select ("5812", "0742"). */
  categories: string[];
  /** The weekdays checked; all seven for "every day" (the API's empty list). */
  weekdays: number[];
  segments: string[];
  /** China time "YYYY-MM-DDTHH:mm", or "" for no bound. */
  startsAt: string;
  endsAt: string;
}

export interface PointsFormValues {
  enabled: boolean;
  earnPointsPerYuan: number | null;
  redeemPointsPerYuan: number | null;
  redeemMaxPercent: number | null;
  multipliers: MultiplierFormValues[];
}

/** A form field as antd names it: ["earnPointsPerYuan"], ["multipliers", 0, "name"]. */
export type PointsFormField =
  | [keyof PointsFormValues]
  | ['multipliers', number]
  | ['multipliers', number, keyof MultiplierFormValues];

/** Where the form is wrong, and the message key for it. */
export interface PointsFormProblem {
  field: PointsFormField;
  message: string;
}

export type PointsMapped = { ok: true; value: PointsProgramInput } | { ok: false; problem: PointsFormProblem };

export function newMultiplierForm(): MultiplierFormValues {
  return {
    name: '',
    multiplier: MIN_MULTIPLIER,
    categories: [],
    weekdays: [...WEEKDAYS],
    segments: [],
    startsAt: '',
    endsAt: '',
  };
}

/** An MCC as the form shows it: four digits, 742 → "0742". */
export function formatMcc(code: number): string {
  return String(code).padStart(4, '0');
}

/** "5812" or "0742" → the code; null for anything that is not 1..9999. */
export function parseMcc(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,4}$/.test(trimmed)) return null;
  const code = Number(trimmed);
  return code >= 1 && code <= MAX_MCC ? code : null;
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

function integerIn(value: number | null, min: number, max: number): value is number {
  return value !== null && Number.isInteger(value) && value >= min && value <= max;
}

/** Segments in the server's order; one this client does not know is kept, last. */
function orderedSegments(segments: readonly string[]): string[] {
  const unique = [...new Set(segments)];
  const known = CUSTOMER_SEGMENTS.filter((segment) => unique.includes(segment));
  const unknown = unique.filter((segment) => !(CUSTOMER_SEGMENTS as readonly string[]).includes(segment));
  return [...known, ...unknown];
}

type RuleMapped = { ok: true; value: MultiplierRule } | { ok: false; problem: PointsFormProblem };

function toMultiplierRule(rule: MultiplierFormValues, index: number): RuleMapped {
  const at = (field: keyof MultiplierFormValues, message: string): RuleMapped => ({
    ok: false,
    problem: { field: ['multipliers', index, field], message },
  });
  const name = rule.name.trim();
  if (name === '') return at('name', 'points.form.required');
  if (utf8Bytes(name) > MAX_RULE_NAME_BYTES) return at('name', 'points.form.nameTooLong');
  if (!integerIn(rule.multiplier, MIN_MULTIPLIER, MAX_MULTIPLIER)) {
    return at('multiplier', 'points.form.multiplier');
  }
  const categories: number[] = [];
  for (const text of rule.categories) {
    const code = parseMcc(text);
    if (code === null) return at('categories', 'points.form.mcc');
    if (!categories.includes(code)) categories.push(code);
  }
  if (categories.length > MAX_RULE_CATEGORIES) return at('categories', 'points.form.tooManyCategories');
  const weekdays = WEEKDAYS.filter((day) => rule.weekdays.includes(day));
  if (weekdays.length === 0) return at('weekdays', 'points.form.weekdays');
  let startsAt: string | null = null;
  let endsAt: string | null = null;
  if (rule.startsAt.trim() !== '') {
    startsAt = chinaLocalToRfc3339(rule.startsAt);
    if (startsAt === null) return at('startsAt', 'points.form.time');
  }
  if (rule.endsAt.trim() !== '') {
    endsAt = chinaLocalToRfc3339(rule.endsAt);
    if (endsAt === null) return at('endsAt', 'points.form.time');
  }
  if (startsAt !== null && endsAt !== null && Date.parse(endsAt) <= Date.parse(startsAt)) {
    return at('endsAt', 'points.form.window');
  }
  return {
    ok: true,
    value: {
      name,
      multiplier: rule.multiplier,
      categories: categories.sort((a, b) => a - b),
      // Every day checked is the API's "every day": an empty list.
      weekdays: weekdays.length === WEEKDAYS.length ? [] : weekdays,
      segments: orderedSegments(rule.segments),
      starts_at: startsAt,
      ends_at: endsAt,
    },
  };
}

/** The form → the PUT body, or the first field that is wrong. */
export function toPointsProgramInput(values: PointsFormValues): PointsMapped {
  const problem = (field: keyof PointsFormValues, message: string): PointsMapped => ({
    ok: false,
    problem: { field: [field], message },
  });
  if (!integerIn(values.earnPointsPerYuan, 0, MAX_EARN_POINTS_PER_YUAN)) {
    return problem('earnPointsPerYuan', 'points.form.earnRate');
  }
  if (!integerIn(values.redeemPointsPerYuan, 0, MAX_REDEEM_POINTS_PER_YUAN)) {
    return problem('redeemPointsPerYuan', 'points.form.redeemRate');
  }
  if (!integerIn(values.redeemMaxPercent, 0, MAX_REDEEM_PERCENT)) {
    return problem('redeemMaxPercent', 'points.form.redeemMax');
  }
  if (values.multipliers.length > MAX_MULTIPLIER_RULES) {
    return problem('multipliers', 'points.form.tooManyRules');
  }
  const multipliers: MultiplierRule[] = [];
  for (const [index, rule] of values.multipliers.entries()) {
    const mapped = toMultiplierRule(rule, index);
    if (!mapped.ok) return mapped;
    multipliers.push(mapped.value);
  }
  return {
    ok: true,
    value: {
      enabled: values.enabled,
      earn_points_per_yuan: values.earnPointsPerYuan,
      redeem_points_per_yuan: values.redeemPointsPerYuan,
      redeem_max_percent: values.redeemMaxPercent,
      multipliers,
    },
  };
}

/** A programme from the API back into the form. */
export function pointsProgramToForm(program: PointsProgramInput): PointsFormValues {
  return {
    enabled: program.enabled,
    earnPointsPerYuan: program.earn_points_per_yuan,
    redeemPointsPerYuan: program.redeem_points_per_yuan,
    redeemMaxPercent: program.redeem_max_percent,
    multipliers: program.multipliers.map((rule) => ({
      name: rule.name,
      multiplier: rule.multiplier,
      categories: rule.categories.map(formatMcc),
      weekdays: rule.weekdays.length === 0 ? [...WEEKDAYS] : WEEKDAYS.filter((day) => rule.weekdays.includes(day)),
      segments: [...rule.segments],
      startsAt: rule.starts_at === null ? '' : rfc3339ToChinaLocal(rule.starts_at),
      endsAt: rule.ends_at === null ? '' : rfc3339ToChinaLocal(rule.ends_at),
    })),
  };
}

const TOP_FIELDS: Record<string, keyof PointsFormValues> = {
  enabled: 'enabled',
  earn_points_per_yuan: 'earnPointsPerYuan',
  redeem_points_per_yuan: 'redeemPointsPerYuan',
  redeem_max_percent: 'redeemMaxPercent',
  multipliers: 'multipliers',
};

const RULE_FIELDS: Record<string, keyof MultiplierFormValues> = {
  name: 'name',
  multiplier: 'multiplier',
  categories: 'categories',
  weekdays: 'weekdays',
  segments: 'segments',
  starts_at: 'startsAt',
  ends_at: 'endsAt',
};

/**
 * The form field a POINTS_INVALID_PROGRAM message names ("multipliers[0].multiplier: …" →
 * ["multipliers", 0, "multiplier"]), or null when it names none this form has.
 */
export function formFieldOfServerMessage(message: string): PointsFormField | null {
  const match = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?(?::|$)/.exec(message.trim());
  if (!match) return null;
  const [, top = '', index, inner] = match;
  const field = TOP_FIELDS[top];
  if (field === undefined) return null;
  if (index === undefined) return inner === undefined ? [field] : null;
  if (field !== 'multipliers') return null;
  if (inner === undefined) return [field, Number(index)];
  const ruleField = RULE_FIELDS[inner];
  return ruleField === undefined ? null : [field, Number(index), ruleField];
}

/** The detail after the field in a server message ("must be 2..10"), or the whole message. */
export function serverMessageDetail(message: string): string {
  const colon = message.indexOf(':');
  return colon < 0 ? message.trim() : message.slice(colon + 1).trim();
}
