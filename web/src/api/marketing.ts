// The marketing endpoints of API v1: campaigns and coupon templates for the console, offers,
// coupons and the payment quote for the customer. Amounts are integer fen, times RFC 3339.
import type { ApiClient } from './client';

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
  /** Customer segments; a customer in any one of them qualifies. None: everyone. */
  segments?: CustomerSegment[];
  min_amount?: number;
  holdout_percent?: number;
}

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
  holdout_customers?: number;
}

export interface Campaign extends CampaignInput {
  id: string;
  status: CampaignStatus;
  figures?: CampaignFigures;
  currency: string;
  /** Only in the answer to ending a campaign: the unspent budget returned. */
  returned?: number;
}

export type CouponKind = 'threshold' | 'percent';
export type ValidityKind = 'fixed_window' | 'days_after_claim';

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
