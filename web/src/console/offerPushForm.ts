// The offer push form of a campaign's page (console/OfferPushCard.tsx) and its mapping to the
// API's Audience and push body, kept pure so it is tested without a browser; and the open rate
// of a push (read over delivered) in integer arithmetic.
import {
  DAY_PARTS,
  DEFAULT_MIN_PAYMENTS,
  DEFAULT_TOP_RANK,
  DEFAULT_WINDOW_DAYS,
  MAX_AUDIENCE_LIST,
  MAX_BODY_CHARS,
  MAX_MIN_PAYMENTS,
  MAX_TITLE_CHARS,
  MAX_TOP_RANK,
  MAX_WINDOW_DAYS,
  MIN_MIN_PAYMENTS,
  MIN_TOP_RANK,
  MIN_WINDOW_DAYS,
  type Audience,
  type DayPart,
  type OfferPushInput,
} from '../api/offerPush';
import type { CampaignStatus } from '../api/marketing';
import { MERCHANT_CATEGORIES, type MerchantCategory } from '../api/types';
import { parseIds } from './campaignForm';

/**
 * What a campaign's page shows of offer push, by the campaign's status: the form and the past
 * pushes while it may be pushed (scheduled, live, paused), only the past pushes once it ended,
 * nothing for a draft (the server refuses both with CAMPAIGN_NOT_PUSHABLE).
 */
export type OfferPushMode = 'push' | 'history' | 'none';

export function offerPushMode(status: CampaignStatus | string): OfferPushMode {
  if (status === 'scheduled' || status === 'live' || status === 'paused') return 'push';
  if (status === 'ended') return 'history';
  return 'none';
}

export interface OfferPushFormValues {
  /** 1..90 days of payments. */
  windowDays: number | null;
  /** Merchant category ids; none = any. */
  topCategories: string[];
  /** 1..5. */
  topRank: number | null;
  /** night | morning | noon | afternoon | evening; none = any. */
  dayParts: string[];
  /** Merchant ids separated by commas or spaces; empty = any. */
  merchantIds: string;
  /** 1..1000. */
  minPayments: number | null;
  title: string;
  body: string;
}

export type OfferPushFormField = keyof OfferPushFormValues;

/** The dictionary keys of the form's own checks. */
export type OfferPushProblemKey =
  | 'offerPush.form.windowDays'
  | 'offerPush.form.categories'
  | 'offerPush.form.topRank'
  | 'offerPush.form.dayParts'
  | 'offerPush.form.merchantIds'
  | 'offerPush.form.merchantIdsTooMany'
  | 'offerPush.form.minPayments'
  | 'offerPush.form.titleEmpty'
  | 'offerPush.form.titleTooLong'
  | 'offerPush.form.titleControl'
  | 'offerPush.form.bodyEmpty'
  | 'offerPush.form.bodyTooLong'
  | 'offerPush.form.bodyControl';

/** Where the form is wrong, and the message key for it. */
export interface OfferPushFormProblem {
  field: OfferPushFormField;
  message: OfferPushProblemKey;
}

export type OfferPushMapped<T> = { ok: true; value: T } | { ok: false; problem: OfferPushFormProblem };

/** A fresh form: 30 days, top 1 category, at least 1 payment, no other condition. */
export function offerPushFormDefaults(): OfferPushFormValues {
  return {
    windowDays: DEFAULT_WINDOW_DAYS,
    topCategories: [],
    topRank: DEFAULT_TOP_RANK,
    dayParts: [],
    merchantIds: '',
    minPayments: DEFAULT_MIN_PAYMENTS,
    title: '',
    body: '',
  };
}

function integerIn(value: number | null | undefined, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** The values in their first order, each once; null when one is not in `known`. */
function knownOnce<T extends string>(values: readonly string[] | undefined, known: readonly T[]): T[] | null {
  const out: T[] = [];
  for (const value of values ?? []) {
    if (!(known as readonly string[]).includes(value)) return null;
    if (!out.includes(value as T)) out.push(value as T);
  }
  return out;
}

/** The server refuses control characters (line breaks included) in a title or a body. */
export function hasControlCharacter(text: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(text);
}

/** Characters as the reader counts them: Unicode code points, so "😀" is one, not two. */
export function charCount(text: string): number {
  return [...text].length;
}

const fail = <T>(field: OfferPushFormField, message: OfferPushProblemKey): OfferPushMapped<T> => ({
  ok: false,
  problem: { field, message },
});

/** The audience fields of the form → the API's Audience, or the first field that is wrong. */
export function toAudience(values: OfferPushFormValues): OfferPushMapped<Audience> {
  if (!integerIn(values.windowDays, MIN_WINDOW_DAYS, MAX_WINDOW_DAYS)) {
    return fail('windowDays', 'offerPush.form.windowDays');
  }
  const categories = knownOnce<MerchantCategory>(values.topCategories, MERCHANT_CATEGORIES);
  if (categories === null) return fail('topCategories', 'offerPush.form.categories');
  if (!integerIn(values.topRank, MIN_TOP_RANK, MAX_TOP_RANK)) return fail('topRank', 'offerPush.form.topRank');
  const dayParts = knownOnce<DayPart>(values.dayParts, DAY_PARTS);
  if (dayParts === null) return fail('dayParts', 'offerPush.form.dayParts');
  const ids = parseIds(values.merchantIds ?? '');
  if (ids === null) return fail('merchantIds', 'offerPush.form.merchantIds');
  const merchantIds = [...new Set(ids)];
  if (merchantIds.length > MAX_AUDIENCE_LIST) return fail('merchantIds', 'offerPush.form.merchantIdsTooMany');
  if (!integerIn(values.minPayments, MIN_MIN_PAYMENTS, MAX_MIN_PAYMENTS)) {
    return fail('minPayments', 'offerPush.form.minPayments');
  }
  return {
    ok: true,
    value: {
      window_days: values.windowDays,
      top_categories: categories,
      top_rank: values.topRank,
      day_parts: dayParts,
      merchant_ids: merchantIds,
      min_payments: values.minPayments,
    },
  };
}

/**
 * The whole form → the body of POST …/offer-pushes, or the first field that is wrong. Title
 * and body are sent trimmed; 1..40 and 1..200 characters, on one line (the server refuses
 * control characters, line breaks among them).
 */
export function toOfferPushInput(values: OfferPushFormValues): OfferPushMapped<OfferPushInput> {
  const audience = toAudience(values);
  if (!audience.ok) return audience;
  const title = (values.title ?? '').trim();
  if (title === '') return fail('title', 'offerPush.form.titleEmpty');
  if (charCount(title) > MAX_TITLE_CHARS) return fail('title', 'offerPush.form.titleTooLong');
  if (hasControlCharacter(title)) return fail('title', 'offerPush.form.titleControl');
  const body = (values.body ?? '').trim();
  if (body === '') return fail('body', 'offerPush.form.bodyEmpty');
  if (charCount(body) > MAX_BODY_CHARS) return fail('body', 'offerPush.form.bodyTooLong');
  if (hasControlCharacter(body)) return fail('body', 'offerPush.form.bodyControl');
  return { ok: true, value: { title, body, audience: audience.value } };
}

/** The API's field names mapped to the form's. */
const SERVER_FIELDS: Record<string, OfferPushFormField> = {
  window_days: 'windowDays',
  top_categories: 'topCategories',
  top_rank: 'topRank',
  day_parts: 'dayParts',
  merchant_ids: 'merchantIds',
  min_payments: 'minPayments',
  title: 'title',
  body: 'body',
};

/**
 * The form field a FIELD_INVALID answer names: its "field" ("audience.window_days",
 * "audience.merchant_ids[2]", "title"), else the field its message starts with
 * ("audience.window_days: invalid"); null when it names none this form has.
 */
export function offerPushFieldOfError(field: string | undefined, message = ''): OfferPushFormField | null {
  const formField = (name: string) =>
    SERVER_FIELDS[
      name
        .trim()
        .replace(/^audience\./, '')
        .replace(/\[\d*\]$/, '')
    ] ?? null;
  if (field !== undefined) {
    const named = formField(field);
    if (named !== null) return named;
  }
  const match = /^([a-z_.]+(?:\[\d*\])?)(?::|$)/.exec(message.trim());
  return match ? formField(match[1] ?? '') : null;
}

/**
 * The share of those who got a push that read it, in per mille rounded down, in integer
 * arithmetic: 31 of 120 → 258. Null when nobody got it. Throws RangeError for counts that are
 * not non-negative safe integers.
 */
export function openRatePermille(read: number, delivered: number): number | null {
  for (const n of [read, delivered]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a count: ${read} / ${delivered}`);
  }
  if (delivered === 0) return null;
  // Non-negative operands: BigInt division truncates, which is rounding down.
  return Number((BigInt(read) * 1000n) / BigInt(delivered));
}

/** Per mille as a percent with one decimal: 258 → "25.8%", 1000 → "100.0%", 5 → "0.5%". */
export function formatPermille(permille: number): string {
  if (!Number.isSafeInteger(permille)) throw new RangeError(`not an integer per mille: ${permille}`);
  const digits = Math.abs(permille).toString().padStart(2, '0');
  return `${permille < 0 ? '-' : ''}${digits.slice(0, -1)}.${digits.slice(-1)}%`;
}

/** The open rate as the list shows it: "25.8%", or "—" when nobody got the push. */
export function formatOpenRate(read: number, delivered: number): string {
  const permille = openRatePermille(read, delivered);
  return permille === null ? '—' : formatPermille(permille);
}
