// The risk-control endpoints of API v1 for the staff console: the review queue of held
// payments, the versioned rule sets (active and shadow) and the block/allow lists.
import type { ApiClient } from './client';

export type ReviewState = 'open' | 'approved' | 'rejected' | 'expired';
export type ReviewLabel = 'legit' | 'fraud' | 'unknown';
export type RiskAction = 'none' | 'challenge' | 'review' | 'deny' | 'deny_reward';

export interface FiredRule {
  name: string;
  score: number;
  action: RiskAction;
}

export interface ReviewItem {
  payment_id: string;
  customer_id: string;
  customer_phone: string;
  merchant_id: string;
  merchant_name: string;
  amount: number;
  currency: string;
  channel: string;
  created_at: string;
  expires_at: string;
  state: ReviewState;
  score: number;
  rules: FiredRule[];
  features: Record<string, number>;
  explanation: string;
  device: string;
}

export type Verdict = 'allow' | 'challenge' | 'review' | 'deny';
export const VERDICTS: readonly Verdict[] = ['allow', 'challenge', 'review', 'deny'];

export interface RuleSpec {
  id: number;
  name: string;
  expression: string;
  score: number;
  action: RiskAction;
  shadow: boolean;
  /** GET only: events the rule fired on since this version was installed. */
  hits?: number;
}

/** Score thresholds; null: the score alone never reaches that verdict. */
export interface RuleSetBody {
  challenge_at: number | null;
  review_at: number | null;
  deny_at: number | null;
  rules: RuleSpec[];
}

export interface RuleSet extends RuleSetBody {
  version: number;
  /** Events this version evaluated since it was installed, and its verdicts on them. */
  evaluated?: number;
  verdicts?: Record<Verdict, number>;
}

/** An event on which the shadow set's verdict differed from the active set's. */
export interface ShadowLogEntry {
  id: string;
  at: string;
  event: string;
  subject_id: string | null;
  customer_id: string;
  amount: number;
  currency: string;
  active_verdict: Verdict;
  shadow_verdict: Verdict;
  shadow_version: number;
  rules: { id: number; name: string }[];
}

export interface ShadowLogPage {
  items: ShadowLogEntry[];
  next_cursor: string | null;
}

export interface RuleSets {
  active: RuleSet | null;
  shadow: RuleSet | null;
}

export const LIST_KINDS = ['customer', 'device', 'ip', 'card', 'merchant', 'payee'] as const;
export type ListKind = (typeof LIST_KINDS)[number];
export type ListName = 'block' | 'allow';

export interface ListEntry {
  kind: ListKind;
  value: string;
  list: ListName;
  expires_at: string | null;
  reason: string;
  created_at?: string;
}

export async function listReviews(api: ApiClient, state: 'open' | 'all'): Promise<ReviewItem[]> {
  return (await api.get<{ items: ReviewItem[] }>(`/api/v1/staff/risk/reviews?state=${state}`)).items;
}

export function approveReview(api: ApiClient, paymentId: string, label: ReviewLabel): Promise<ReviewItem> {
  return api.post<ReviewItem>(`/api/v1/staff/risk/reviews/${encodeURIComponent(paymentId)}/approve`, {
    label,
  });
}

export function rejectReview(
  api: ApiClient,
  paymentId: string,
  label: ReviewLabel,
  blockDevice: boolean,
): Promise<ReviewItem> {
  return api.post<ReviewItem>(`/api/v1/staff/risk/reviews/${encodeURIComponent(paymentId)}/reject`, {
    label,
    block_device: blockDevice,
  });
}

export function getRuleSets(api: ApiClient): Promise<RuleSets> {
  return api.get<RuleSets>('/api/v1/staff/risk/rules');
}

export function publishRuleSet(api: ApiClient, body: RuleSetBody, shadow: boolean): Promise<RuleSet> {
  return api.put<RuleSet>('/api/v1/staff/risk/rules', { ...body, shadow });
}

/** The shadow log, newest first; `cursor` is the previous page's next_cursor. */
export function getShadowLog(api: ApiClient, cursor: string | null = null, limit = 20): Promise<ShadowLogPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor !== null) query.set('cursor', cursor);
  return api.get<ShadowLogPage>(`/api/v1/staff/risk/shadow-log?${query.toString()}`);
}

export async function listRiskLists(api: ApiClient): Promise<ListEntry[]> {
  return (await api.get<{ items: ListEntry[] }>('/api/v1/staff/risk/lists')).items;
}

export function addListEntry(api: ApiClient, entry: ListEntry): Promise<ListEntry> {
  return api.post<ListEntry>('/api/v1/staff/risk/lists', entry);
}

export function removeListEntry(
  api: ApiClient,
  entry: Pick<ListEntry, 'kind' | 'value' | 'list'>,
): Promise<void> {
  return api.request<void>('DELETE', '/api/v1/staff/risk/lists', { body: entry });
}

/**
 * The rule-set editor's text → a body to publish, or why not. The editor shows the set as JSON
 * (the thresholds and one object per rule): analysts change expressions, scores and actions.
 */
export function parseRuleSetText(text: string): { ok: true; body: RuleSetBody } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'not JSON' };
  }
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'not an object' };
  const body = value as Partial<RuleSetBody>;
  for (const field of ['challenge_at', 'review_at', 'deny_at'] as const) {
    const value = body[field];
    if (value !== null && !Number.isInteger(value)) {
      return { ok: false, reason: `${field}: an integer or null` };
    }
  }
  if (!Array.isArray(body.rules) || body.rules.length === 0) {
    return { ok: false, reason: 'rules: a non-empty list' };
  }
  const ids = new Set<number>();
  for (const [index, rule] of body.rules.entries()) {
    const r = rule as Partial<RuleSpec>;
    if (!Number.isInteger(r.id) || (r.id ?? 0) <= 0) return { ok: false, reason: `rules[${index}].id` };
    if (ids.has(r.id as number)) return { ok: false, reason: `rules[${index}].id: repeated` };
    ids.add(r.id as number);
    if (typeof r.name !== 'string' || r.name === '') return { ok: false, reason: `rules[${index}].name` };
    if (typeof r.expression !== 'string' || r.expression === '') {
      return { ok: false, reason: `rules[${index}].expression` };
    }
    if (!Number.isInteger(r.score)) return { ok: false, reason: `rules[${index}].score` };
  }
  return { ok: true, body: body as RuleSetBody };
}

/** A rule set as the editor's text (without its version). */
export function ruleSetText(set: RuleSet | null): string {
  if (set === null) {
    return JSON.stringify({ challenge_at: null, review_at: null, deny_at: null, rules: [] }, null, 2);
  }
  // The counters are the server's, not part of what is published.
  const { version: _version, evaluated: _evaluated, verdicts: _verdicts, ...body } = set;
  const rules = body.rules.map(({ hits: _hits, ...rule }) => rule);
  return JSON.stringify({ ...body, rules }, null, 2);
}
