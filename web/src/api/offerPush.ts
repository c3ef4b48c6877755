// Offer push (定向推送) of API v1: marketing ops send a campaign's offer to the inbox of the
// customers whose spending over the last days matches an audience, after previewing how many
// that would be. Each customer gets a campaign's offer once, and never when they turned
// personalised offers off (api/messages.ts). Same roles as editing campaigns.
//
// An audience describes a customer's spending profile over a window of days: the top
// categories by net spend, the part of the day they pay in most often, merchants they paid at
// and how many payments they made. Empty lists mean "any".
//
// The console form's mapping is in console/offerPushForm.ts; the card is
// console/OfferPushCard.tsx.
import type { ApiClient } from './client';
import type { MerchantCategory } from './types';

/** The server's bounds. */
export const MIN_WINDOW_DAYS = 1;
export const MAX_WINDOW_DAYS = 90;
export const DEFAULT_WINDOW_DAYS = 30;
export const MIN_TOP_RANK = 1;
export const MAX_TOP_RANK = 5;
export const DEFAULT_TOP_RANK = 1;
export const MIN_MIN_PAYMENTS = 1;
export const MAX_MIN_PAYMENTS = 1000;
export const DEFAULT_MIN_PAYMENTS = 1;
/** The most merchant ids (and categories) an audience may list. */
export const MAX_AUDIENCE_LIST = 64;
/** A push's title and body, in characters (Unicode code points; no control characters). */
export const MAX_TITLE_CHARS = 40;
export const MAX_BODY_CHARS = 200;

/**
 * The parts of a China day, in order: night 0–6h, morning 6–11h, noon 11–14h, afternoon
 * 14–18h, evening 18–24h.
 */
export const DAY_PARTS = ['night', 'morning', 'noon', 'afternoon', 'evening'] as const;
export type DayPart = (typeof DAY_PARTS)[number];

/** Which customers a push reaches: their payments of the last window_days. */
export interface Audience {
  /** 1..90. */
  window_days: number;
  /** Merchant categories; the customer's top `top_rank` by net spend must include one. [] = any. */
  top_categories: (MerchantCategory | string)[];
  /** 1..5. */
  top_rank: number;
  /** The part of the day the customer pays in most often must be one of these. [] = any. */
  day_parts: (DayPart | string)[];
  /** Paid at one of these merchants in the window (decimal ids). [] = any. */
  merchant_ids: string[];
  /** 1..1000: at least this many payments in the window. */
  min_payments: number;
}

/** POST …/offer-pushes/preview: how many a push would reach now, and who is left out. */
export interface OfferPushPreview {
  /** How many would get the message now. */
  customers: number;
  /** Matched, but turned personalised offers off. */
  opted_out: number;
  /** Matched, but already have this campaign's offer in their inbox. */
  already_pushed: number;
}

/** The body of POST …/offer-pushes. */
export interface OfferPushInput {
  /** 1..40 characters. */
  title: string;
  /** 1..200 characters. */
  body: string;
  audience: Audience;
}

/** One push as sent, with how many got it and how many of them read it. */
export interface OfferPush {
  id: string;
  campaign_id: string;
  title: string;
  body: string;
  /** RFC 3339. */
  created_at: string;
  staff_id: string;
  delivered: number;
  read: number;
  audience: Audience;
}

const pushesPath = (campaignId: string) =>
  `/api/v1/staff/campaigns/${encodeURIComponent(campaignId)}/offer-pushes`;

/** Counts who a push to `audience` would reach; nothing is sent. 422 FIELD_INVALID (audience.*). */
export function previewOfferPush(
  api: ApiClient,
  campaignId: string,
  audience: Audience,
): Promise<OfferPushPreview> {
  return api.post<OfferPushPreview>(`${pushesPath(campaignId)}/preview`, { audience });
}

/**
 * Sends the offer to every customer the audience matches (201). Errors: 404
 * CAMPAIGN_NOT_FOUND; 409 CAMPAIGN_NOT_PUSHABLE (a draft or ended campaign); 422
 * OFFER_AUDIENCE_EMPTY (nobody matches); 422 FIELD_INVALID naming the field.
 */
export function createOfferPush(api: ApiClient, campaignId: string, input: OfferPushInput): Promise<OfferPush> {
  const body: OfferPushInput = { title: input.title, body: input.body, audience: input.audience };
  return api.post<OfferPush>(pushesPath(campaignId), body);
}

/** The campaign's pushes, newest first. */
export async function listOfferPushes(api: ApiClient, campaignId: string): Promise<OfferPush[]> {
  const answer = await api.get<{ pushes: OfferPush[] }>(pushesPath(campaignId));
  return answer.pushes;
}
