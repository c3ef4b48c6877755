// The marketing endpoints of API v1: campaigns and coupon templates for the console, offers,
// coupons and the payment quote for the customer. Amounts are integer fen, times RFC 3339.
import type { ApiClient } from './client';
import { PHONES_PER_REQUEST } from './phoneParts';

export const CAMPAIGN_TYPES = [
  'instant_discount',
  'first_order',
  'threshold_coupon',
  'discount_coupon',
  'cashback',
] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'live', 'paused', 'ended'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export type RewardShape = 'none' | 'fixed' | 'percent' | 'random_range' | 'threshold';
export type FirstOrderScope = 'ever' | 'at_merchant';

export const PAYMENT_CHANNELS = ['qr', 'payment_code', 'online', 'nfc'] as const;
export type MarketingChannel = (typeof PAYMENT_CHANNELS)[number];

export interface RewardRule {
  shape: RewardShape;
  fixed?: number;
  percent_bps?: number;
  percent_cap?: number;
  random_lo?: number;
  random_hi?: number;
  threshold?: number;
  save?: number;
  first_order_scope?: FirstOrderScope;
  /** Cashback only: seconds the cashback is held (pending, voided by a refund); 0 pays at once. */
  hold_seconds?: number;
}

export interface Eligibility {
  starts_at: string;
  ends_at: string;
  hours?: number[];
  channels?: MarketingChannel[];
  merchant_ids?: string[];
  categories?: number[];
  /** GB/T 2260 divisions (province, city or district) where the merchant was registered. */
  regions?: number[];
  /** Customer segments; a customer in any one of them qualifies. None: everyone. */
  segments?: CustomerSegment[];
  /**
   * Youngest age (whole years on the payment's China date, from the verified resident ID):
   * 16..120, 0 or absent: no lower bound. With either bound only real-name customers qualify.
   */
  age_min?: number;
  /** Oldest age, inclusive: 16..120 and at least age_min; 0 or absent: no upper bound. */
  age_max?: number;
  /**
   * Win-back (沉睡唤醒): only customers who moved no money (no completed payment, transfer,
   * top-up or withdrawal) for at least this many days before the payment, counted from
   * registration when they never did; 1..3650, 0 or absent: none.
   */
  inactive_days?: number;
  /**
   * A custom customer list (自定义人群包, customerLists.ts): only its members qualify. Null or
   * absent: everyone. A list that does not exist is refused with CAMPAIGN_INVALID_TARGETING
   * (422, field eligibility.customer_list).
   */
  customer_list?: string | null;
  min_amount?: number;
  holdout_percent?: number;
}

/**
 * A campaign's eligibility as the server answers it: the targeting bounds always there (0:
 * none), and the customer list (null: none).
 */
export interface CampaignEligibility extends Eligibility {
  age_min: number;
  age_max: number;
  inactive_days: number;
  customer_list: string | null;
}

/** The ages a campaign's age band may name (whole years). */
export const CAMPAIGN_AGE_MIN = 16;
export const CAMPAIGN_AGE_MAX = 120;
/** The longest inactivity a win-back campaign may ask for (days). */
export const CAMPAIGN_INACTIVE_DAYS_MAX = 3650;

/** The server's customer segments (marketing/segments.h), in its order. */
export const CUSTOMER_SEGMENTS = [
  'new_customer',
  'verified',
  'tier_i',
  'tier_ii',
  'tier_iii',
  'tier_iv',
  'channel_social',
  'channel_search_ad',
  'channel_email',
  'channel_offline_event',
  'channel_campus',
  'channel_outreach',
  'channel_organic',
] as const;
export type CustomerSegment = (typeof CUSTOMER_SEGMENTS)[number];

export interface Caps {
  budget_total: number;
  budget_daily?: number;
  customer_count_daily?: number;
  customer_count_lifetime?: number;
  customer_amount_daily?: number;
  customer_amount_lifetime?: number;
  device_count_lifetime?: number;
  identity_count_lifetime?: number;
}

/** What ops send to create or change a campaign. */
export interface CampaignInput {
  name: string;
  type: CampaignType;
  reward: RewardRule;
  eligibility: Eligibility;
  caps: Caps;
  exclusive_group?: number;
  priority?: number;
}

export interface CampaignFigures {
  budget_total: number;
  spent: number;
  remaining: number;
  rewarded_payments: number;
  reward_customers?: number;
  new_customers?: number;
  gmv?: number;
  cost_per_new_customer?: number | null;
  /** Only on one campaign's own read: spent / reward_customers, null before the first. */
  cost_per_customer?: number | null;
  holdout_customers?: number;
}

/** One side of a co-funded campaign: the bank, or a merchant that put money in. */
export interface CoFunder {
  kind: 'bank' | 'merchant';
  merchant_id?: string;
  name?: string;
  /** What this side put in (fen). */
  funded: number;
  /** Its share of what the campaign spent (fen). */
  cost: number;
  /** What it got back at the end, or would get back were the campaign to end now (fen). */
  returned: number;
}

/** The settlement of a campaign merchants co-funded: cost shared in proportion to funding. */
export interface CoFunding {
  funded: number;
  cost: number;
  /** True once the campaign ended and the unspent budget went back to the funders. */
  settled: boolean;
  /** The bank first, then each merchant by id. */
  funders: CoFunder[];
}

export interface Campaign extends CampaignInput {
  id: string;
  status: CampaignStatus;
  eligibility: CampaignEligibility;
  figures?: CampaignFigures;
  /** Null until a merchant co-funds the campaign. */
  co_funding?: CoFunding | null;
  currency: string;
  /** Only in the answer to ending a campaign: the unspent budget returned. */
  returned?: number;
}

export type CouponKind = 'threshold' | 'percent';
export type ValidityKind = 'fixed_window' | 'days_after_claim';

/** What the dry run can price: coupon campaigns reward coupons customers hold, which history lacks. */
export const DRY_RUN_UNSUPPORTED_TYPES: readonly CampaignType[] = ['threshold_coupon', 'discount_coupon'];

/** The longest history a dry run replays, and its default (days). */
export const DRY_RUN_MAX_DAYS = 30;

/** The approximations the server names in a dry run's notes; others may come. */
export const DRY_RUN_NOTES = [
  'first_order_from_scanned_history',
  'device_caps_skip',
  'identity_caps_skip',
  'window_shifted_to_history',
] as const;
export type DryRunNote = (typeof DRY_RUN_NOTES)[number];

export interface DryRunDay {
  /** China date, "2026-11-20". */
  date: string;
  rewarded_payments: number;
  cost: number;
}

/** A campaign priced over past payments as if it had been live then (amounts in fen). */
export interface DryRunResult {
  from: string;
  to: string;
  days: number;
  payments_scanned: number;
  /** More payments than the server scans: the figures cover the newest ones. */
  truncated: boolean;
  rewarded_payments: number;
  /** Distinct customers rewarded. */
  customers_reached: number;
  /** Eligible customers left out by the A/B holdout. */
  holdout_customers: number;
  /** discount + cashback. */
  cost: number;
  discount: number;
  cashback: number;
  /** The original amounts of the rewarded payments. */
  gmv: number;
  /** When the simulated total budget ran out; null when it lasted. */
  budget_exhausted_at: string | null;
  /** China dates, ascending, only days with payments. */
  by_day: DryRunDay[];
  /** Codes of the approximations the server made (DRY_RUN_NOTES, or newer ones). */
  notes: string[];
}

/** The approximations the server names in an uplift's notes; others may come. */
export const UPLIFT_NOTES = [
  'population_as_today',
  'first_order_from_scanned_history',
  'segments_as_today',
] as const;
export type UpliftNote = (typeof UPLIFT_NOTES)[number];

/** One side of the A/B split: the customers the campaign targets and their eligible payments. */
export interface UpliftGroup {
  /** Customers of the campaign's population in this group. */
  customers: number;
  /** Of them, those with at least one eligible payment. */
  paying_customers: number;
  /** Eligible payments (the campaign's conditions, the holdout aside). */
  payments: number;
  /** Their original amounts (fen). */
  gmv: number;
  /** gmv over customers, rounded down (fen); null with no customer. */
  gmv_per_customer: number | null;
}

/** A campaign's measured uplift against its A/B holdout over (at most) the last 30 days. */
export interface CampaignUplift {
  from: string;
  to: string;
  holdout_percent: number;
  payments_scanned: number;
  /** More payments than the server scans: the figures cover the newest ones. */
  truncated: boolean;
  /** Customers the campaign rewards. */
  treated: UpliftGroup;
  /** Customers held out: they get nothing from the campaign. */
  holdout: UpliftGroup;
  /**
   * Treated GMV per customer over the holdout's, less one, in basis points (may be negative);
   * null when a group is empty or the holdout spent nothing.
   */
  gmv_per_customer_uplift_bps: number | null;
  /** Codes of the approximations the server made (UPLIFT_NOTES, or newer ones). */
  notes: string[];
}

export interface CouponTemplateInput {
  campaign_id: string;
  name: string;
  kind: CouponKind;
  threshold: number;
  save?: number;
  discount_bps?: number;
  discount_cap?: number;
  stock: number;
  validity: {
    kind: ValidityKind;
    valid_from?: string;
    valid_until?: string;
    valid_days?: number;
  };
  claim_starts_at: string;
  claim_ends_at: string;
  per_customer_limit: number;
}

export interface CouponTemplate extends CouponTemplateInput {
  id: string;
  claimed: number;
  remaining: number;
  /** Customer offers only. */
  claimable?: boolean;
  claimed_by_me?: number;
}

export type CouponState = 'available' | 'redeemed' | 'expired' | 'voided';

export interface Coupon {
  id: string;
  template_id: string;
  campaign_id: string;
  name: string;
  kind: CouponKind;
  threshold: number;
  save?: number;
  discount_bps?: number;
  discount_cap?: number;
  state: CouponState;
  valid_from: string;
  valid_until: string;
}

export interface OfferCampaign {
  id: string;
  name: string;
  type: CampaignType;
  reward: RewardRule;
  eligibility: Eligibility;
}

export interface Offers {
  campaigns: OfferCampaign[];
  coupon_templates: CouponTemplate[];
}

export interface QuoteReward {
  campaign_id: string;
  name: string;
  kind: 'discount' | 'coupon' | 'cashback';
  amount: number;
  /** Held cashback: when it can be spent (RFC 3339). */
  release_at?: string;
}

/**
 * The points part of a quote (see points.ts): the customer's balance, the most this payment
 * takes, the points used and their discount (fen), and the points the payment would earn.
 */
export interface QuotePoints {
  balance: number;
  max_redeemable: number;
  /** What max_redeemable points take off this payment (fen). */
  max_discount?: number;
  used: number;
  discount: number;
  earn: number;
}

export interface Quote {
  amount: number;
  /** With points used (points.used > 0) the offers are not applied: 0, and rewards is []. */
  discount: number;
  /** The amount less the discount, or less points.discount when points are used. */
  pay: number;
  cashback: number;
  rewards: QuoteReward[];
  coupon_id: string | null;
  best_coupon_id: string | null;
  /** Absent from older servers: read it with quotePointsOf (points.ts). */
  points?: QuotePoints;
}

export interface QuoteRequest {
  qr: string;
  amount?: number;
  coupon_id?: string;
  /** Points the customer wants to use; they cannot be combined with a coupon or offers. */
  points?: number;
}

const campaignPath = (id: string) => `/api/v1/staff/campaigns/${encodeURIComponent(id)}`;

export async function listCampaigns(api: ApiClient): Promise<Campaign[]> {
  return (await api.get<{ items: Campaign[] }>('/api/v1/staff/campaigns')).items;
}

export function getCampaign(api: ApiClient, id: string): Promise<Campaign> {
  return api.get<Campaign>(campaignPath(id));
}

export function createCampaign(api: ApiClient, input: CampaignInput): Promise<Campaign> {
  return api.postMoney<Campaign>('/api/v1/staff/campaigns', input);
}

export function updateCampaign(api: ApiClient, id: string, input: CampaignInput): Promise<Campaign> {
  return api.put<Campaign>(campaignPath(id), input);
}

/**
 * Prices a campaign, exactly as the editor would create it, over the last `days` (1..30, the
 * server's default 30) of real payments. Nothing is saved and no money moves: a plain POST.
 */
export function dryRunCampaign(
  api: ApiClient,
  campaign: CampaignInput,
  days?: number,
): Promise<DryRunResult> {
  const body: { campaign: CampaignInput; days?: number } = { campaign };
  if (days !== undefined) body.days = days;
  return api.post<DryRunResult>('/api/v1/staff/campaigns/dry-run', body);
}

export function canDryRun(type: CampaignType): boolean {
  return !DRY_RUN_UNSUPPORTED_TYPES.includes(type);
}

/** The dictionary key explaining a note: "campaign.dryRun.note.<code>", or ".other". */
export type DryRunNoteKey = `campaign.dryRun.note.${DryRunNote | 'other'}`;

export function dryRunNoteKey(code: string): DryRunNoteKey {
  return (DRY_RUN_NOTES as readonly string[]).includes(code)
    ? `campaign.dryRun.note.${code as DryRunNote}`
    : 'campaign.dryRun.note.other';
}

/**
 * Fen per unit, rounded down, in integer arithmetic: 1000 fen over 3 → 333. Null when there is
 * nothing to divide by (count 0). Throws RangeError for amounts or counts that are not safe
 * integers, or a negative count.
 */
export function fenPer(fen: number, count: number): number | null {
  if (!Number.isSafeInteger(fen) || !Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`not fen over a count: ${fen} / ${count}`);
  }
  if (count === 0) return null;
  const amount = BigInt(fen);
  const by = BigInt(count);
  // BigInt division truncates toward zero; rounding down differs only for a negative remainder.
  const quotient = amount / by;
  return Number(amount % by < 0n ? quotient - 1n : quotient);
}

const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** A span longer than this (days) is not filled day by day: the answer is not one we asked for. */
const MAX_FILLED_DAYS = 62;

function chinaDateOf(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Every China date from `from` to just before `to`, each with the day's figures or zeros, so a
 * chart shows quiet days as gaps rather than leaving them out. Days of by_day outside the span
 * are kept; a malformed or overlong span leaves by_day as it is (sorted).
 */
export function dryRunDays(result: Pick<DryRunResult, 'from' | 'to' | 'by_day'>): DryRunDay[] {
  const known = new Map(result.by_day.map((day) => [day.date, day]));
  const from = Date.parse(result.from);
  const to = Date.parse(result.to);
  if (!Number.isNaN(from) && !Number.isNaN(to) && to > from && to - from <= MAX_FILLED_DAYS * DAY_MS) {
    const last = chinaDateOf(to - 1);
    for (let ms = from; ; ms += DAY_MS) {
      const date = chinaDateOf(ms);
      if (date > last) break;
      if (!known.has(date)) known.set(date, { date, rewarded_payments: 0, cost: 0 });
      if (date === last) break;
    }
  }
  return [...known.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** What the editor shows of a dry run beyond the server's own figures. */
export interface DryRunFigures {
  /** Fen, rounded down; null with no rewarded payment. */
  costPerRewardedPayment: number | null;
  /** Fen, rounded down; null with no customer reached. */
  costPerCustomer: number | null;
  /** Each note once, in the server's order, with the key of its explanation. */
  notes: { code: string; key: DryRunNoteKey }[];
  /** The per-day figures, quiet days filled in (dryRunDays). */
  days: DryRunDay[];
}

export function dryRunFigures(result: DryRunResult): DryRunFigures {
  const codes = [...new Set(result.notes)];
  return {
    costPerRewardedPayment: fenPer(result.cost, result.rewarded_payments),
    costPerCustomer: fenPer(result.cost, result.customers_reached),
    notes: codes.map((code) => ({ code, key: dryRunNoteKey(code) })),
    days: dryRunDays(result),
  };
}

/**
 * A campaign's treated customers against its holdout. Refused with CAMPAIGN_NO_HOLDOUT (422)
 * when the campaign has no holdout group (holdout_percent 0), CAMPAIGN_NOT_FOUND (404).
 */
export function getCampaignUplift(api: ApiClient, id: string): Promise<CampaignUplift> {
  return api.get<CampaignUplift>(`${campaignPath(id)}/uplift`);
}

/** Basis points in a whole: 10 000 bps = 100%. */
const BPS_PER_WHOLE = 10_000n;

/**
 * Basis points as a percent with two decimals, from the digits of the integer (no division):
 * 1234 → "12.34%", 5 → "0.05%", -125 → "-1.25%". Throws RangeError for a non-integer.
 */
export function formatBpsPercent(bps: number): string {
  if (!Number.isSafeInteger(bps)) throw new RangeError(`not an integer number of bps: ${bps}`);
  const digits = Math.abs(bps).toString().padStart(3, '0');
  return `${bps < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}%`;
}

/** As formatBpsPercent, a change: 5000 → "+50.00%", -125 → "-1.25%", 0 → "0.00%". */
export function formatSignedBpsPercent(bps: number): string {
  const text = formatBpsPercent(bps);
  return bps > 0 ? `+${text}` : text;
}

/**
 * The share of customers who paid, in basis points rounded down, in integer arithmetic:
 * 1 of 3 → 3333. Null when there is no customer. Throws RangeError for counts that are not
 * safe non-negative integers.
 */
export function conversionBps(payingCustomers: number, customers: number): number | null {
  for (const n of [payingCustomers, customers]) {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`not a count of customers: ${payingCustomers} / ${customers}`);
    }
  }
  if (customers === 0) return null;
  // Non-negative operands: BigInt division truncates, which is rounding down.
  return Number((BigInt(payingCustomers) * BPS_PER_WHOLE) / BigInt(customers));
}

/** The dictionary key explaining an uplift note: "campaign.uplift.note.<code>", or ".other". */
export type UpliftNoteKey = `campaign.uplift.note.${UpliftNote | 'other'}`;

export function upliftNoteKey(code: string): UpliftNoteKey {
  return (UPLIFT_NOTES as readonly string[]).includes(code)
    ? `campaign.uplift.note.${code as UpliftNote}`
    : 'campaign.uplift.note.other';
}

/** What the campaign page shows of an uplift beyond the server's own figures. */
export interface UpliftFigures {
  /** paying_customers over customers of each group, bps rounded down; null with no customer. */
  treatedConversionBps: number | null;
  holdoutConversionBps: number | null;
  /** Each note once, in the server's order, with the key of its explanation. */
  notes: { code: string; key: UpliftNoteKey }[];
}

export function upliftFigures(uplift: CampaignUplift): UpliftFigures {
  const codes = [...new Set(uplift.notes)];
  return {
    treatedConversionBps: conversionBps(uplift.treated.paying_customers, uplift.treated.customers),
    holdoutConversionBps: conversionBps(uplift.holdout.paying_customers, uplift.holdout.customers),
    notes: codes.map((code) => ({ code, key: upliftNoteKey(code) })),
  };
}

export function setCampaignStatus(
  api: ApiClient,
  id: string,
  status: CampaignStatus,
): Promise<Campaign> {
  return api.post<Campaign>(`${campaignPath(id)}/status`, { status });
}

export function topUpCampaign(
  api: ApiClient,
  id: string,
  amount: number,
  merchantId: string | null,
  idempotencyKey: string,
): Promise<Campaign> {
  const body: Record<string, unknown> = { amount, currency: 'CNY' };
  if (merchantId !== null) body.merchant_id = merchantId;
  return api.postMoney<Campaign>(`${campaignPath(id)}/top-ups`, body, { idempotencyKey });
}

export async function listCouponTemplates(
  api: ApiClient,
  campaignId?: string,
): Promise<CouponTemplate[]> {
  const query = campaignId ? `?campaign_id=${encodeURIComponent(campaignId)}` : '';
  return (await api.get<{ items: CouponTemplate[] }>(`/api/v1/staff/coupon-templates${query}`))
    .items;
}

export function createCouponTemplate(
  api: ApiClient,
  input: CouponTemplateInput,
): Promise<CouponTemplate> {
  return api.post<CouponTemplate>('/api/v1/staff/coupon-templates', input);
}

export function issueCoupons(
  api: ApiClient,
  templateId: string,
  customerIds: string[],
): Promise<{ issued: number; first_coupon_id: string }> {
  return api.post(`/api/v1/staff/coupon-templates/${encodeURIComponent(templateId)}/issues`, {
    customer_ids: customerIds,
  });
}

/** Issues one coupon to every open customer in any of `segments` (all, or nothing if the stock is short). */
export function issueCouponsToSegments(
  api: ApiClient,
  templateId: string,
  segments: CustomerSegment[],
): Promise<{ issued: number; first_coupon_id: string }> {
  return api.post(`/api/v1/staff/coupon-templates/${encodeURIComponent(templateId)}/issues`, {
    segments,
  });
}

/** The most phones one issue request may list; a longer list goes in several requests. */
export const ISSUE_PHONES_PER_REQUEST = PHONES_PER_REQUEST;

/** What issuing to a list of phones answers; the strings are the phones as they were sent. */
export interface PhoneIssueResult {
  issued: number;
  first_coupon_id: string | null;
  /** Phones with no open customer. */
  not_found: string[];
  /** Strings that are not a phone number. */
  invalid: string[];
  /** Rows naming a customer already listed in the request: each customer gets one coupon. */
  duplicates: number;
}

/**
 * Issues one coupon to the open customer of each phone (1..ISSUE_PHONES_PER_REQUEST of them, in
 * any common format; the server normalises). All or nothing: COUPON_OUT_OF_STOCK (409) when the
 * stock left does not cover the request's customers. Throws RangeError for an empty or too
 * long list, which the server would refuse.
 */
export async function issueCouponsToPhones(
  api: ApiClient,
  templateId: string,
  phones: readonly string[],
): Promise<PhoneIssueResult> {
  if (phones.length === 0 || phones.length > ISSUE_PHONES_PER_REQUEST) {
    throw new RangeError(`1..${ISSUE_PHONES_PER_REQUEST} phones per request, not ${phones.length}`);
  }
  const answer = await api.post<Partial<PhoneIssueResult>>(
    `/api/v1/staff/coupon-templates/${encodeURIComponent(templateId)}/issues`,
    { phones },
  );
  // The lists are read defensively: a missing one is empty rather than a crash mid-list.
  return {
    issued: answer.issued ?? 0,
    first_coupon_id: answer.first_coupon_id ?? null,
    not_found: answer.not_found ?? [],
    invalid: answer.invalid ?? [],
    duplicates: answer.duplicates ?? 0,
  };
}

export function getOffers(api: ApiClient): Promise<Offers> {
  return api.get<Offers>('/api/v1/me/offers');
}

/** Grabs a coupon; the Idempotency-Key (a new one per call) makes a retried request claim once. */
export function claimCoupon(api: ApiClient, templateId: string): Promise<Coupon> {
  return api.postMoney<Coupon>('/api/v1/me/coupons', { template_id: templateId });
}

export async function listMyCoupons(api: ApiClient): Promise<Coupon[]> {
  return (await api.get<{ items: Coupon[] }>('/api/v1/me/coupons')).items;
}

export function quotePayment(api: ApiClient, request: QuoteRequest): Promise<Quote> {
  return api.post<Quote>('/api/v1/me/payments/quote', request);
}
