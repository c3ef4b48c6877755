// The campaign editor's form values and their mapping to the API's CampaignInput, kept pure so
// it is tested without a browser. Ops type yuan ("12.50") and China-time date-times
// ("2026-11-11T00:00"); the API takes integer fen and RFC 3339.
import {
  CAMPAIGN_AGE_MAX,
  CAMPAIGN_AGE_MIN,
  CAMPAIGN_INACTIVE_DAYS_MAX,
  type Campaign,
  type CampaignInput,
  type CampaignType,
  type CouponKind,
  type CouponTemplateInput,
  type CustomerSegment,
  type Eligibility,
  type FirstOrderScope,
  type MarketingChannel,
  type RewardRule,
  type RewardShape,
} from '../api/marketing';
import { formatFen, parseYuan } from '../money';

export interface CampaignFormValues {
  name: string;
  type: CampaignType;
  shape: RewardShape;
  fixed: string;
  percent: string; // percent, e.g. "10" or "7.5"
  percentCap: string;
  randomLo: string;
  randomHi: string;
  threshold: string;
  save: string;
  firstOrderScope: FirstOrderScope;
  holdDays: number; // cashback: days the cashback is held before it can be spent; 0: at once
  startsAt: string; // China time, "YYYY-MM-DDTHH:mm"
  endsAt: string;
  hourFrom: number; // allowed hours [hourFrom, hourTo], China time
  hourTo: number;
  channels: MarketingChannel[];
  merchantIds: string; // comma or space separated
  regions: string; // six-digit division codes, comma or space separated (350000 = Fujian)
  segments: CustomerSegment[]; // none: everyone
  ageMin: number | null; // whole years, 16..120; blank (null): no lower bound
  ageMax: number | null; // whole years, 16..120, >= ageMin; blank: no upper bound
  inactiveDays: number | null; // win-back: days without moving money, 1..3650; blank: none
  customerList: string | null; // a custom customer list's id (自定义人群包); null: everyone
  minAmount: string;
  holdoutPercent: number;
  budgetTotal: string;
  budgetDaily: string;
  customerCountDaily: number;
  customerCountLifetime: number;
  customerAmountDaily: string;
  customerAmountLifetime: string;
  deviceCountLifetime: number;
  identityCountLifetime: number;
  exclusiveGroup: number;
  priority: number;
}

/** The reward shapes each campaign type offers in the editor. */
export const SHAPES_BY_TYPE: Record<CampaignType, readonly RewardShape[]> = {
  instant_discount: ['fixed', 'percent', 'random_range', 'threshold'],
  first_order: ['fixed', 'percent', 'random_range'],
  threshold_coupon: ['none'],
  discount_coupon: ['none'],
  cashback: ['fixed', 'percent'],
};

/** Where a form value failed: the field name and a message key. */
export interface FormProblem {
  field: keyof CampaignFormValues | string;
  message: string;
}

export type Mapped<T> = { ok: true; value: T } | { ok: false; problem: FormProblem };

const CHINA_OFFSET_MS = 8 * 3_600_000;
const SECONDS_PER_DAY = 86_400;
/** The longest cashback hold the server accepts (366 days). */
export const MAX_HOLD_DAYS = 366;

/** "2026-11-11T00:00" in China time → "2026-11-10T16:00:00Z"; null when malformed. */
export function chinaLocalToRfc3339(local: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi) - CHINA_OFFSET_MS;
  const date = new Date(ms);
  if (Number.isNaN(ms) || new Date(ms + CHINA_OFFSET_MS).getUTCDate() !== d) return null;
  return date.toISOString().replace('.000Z', 'Z');
}

/** An RFC 3339 time → "YYYY-MM-DDTHH:mm" in China time (for datetime-local inputs). */
export function rfc3339ToChinaLocal(time: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16);
}

/** Fen → the yuan text an input shows: 1250 → "12.50", 0 → "". */
export function fenToYuanInput(fen: number | undefined): string {
  if (fen === undefined || fen === 0) return '';
  return formatFen(fen, { symbol: false, grouping: false });
}

function yuan(field: string, text: string, required: boolean): Mapped<number> {
  if (text.trim() === '') {
    return required
      ? { ok: false, problem: { field, message: 'marketing.form.required' } }
      : { ok: true, value: 0 };
  }
  const parsed = parseYuan(text);
  if (!parsed.ok) return { ok: false, problem: { field, message: `error.amount.${parsed.error}` } };
  return { ok: true, value: parsed.fen };
}

/** "10" or "7.5" percent → basis points (1000, 750); at most two decimals, 0 < p <= 100. */
export function percentToBps(text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bps >= 1 && bps <= 10_000 ? bps : null;
}

export function bpsToPercent(bps: number | undefined): string {
  if (!bps) return '';
  return (bps / 100).toString();
}

/** The allowed hours [from, to] (China time); from > to wraps past midnight (22 → 2). */
export function hoursOf(from: number, to: number): number[] {
  const hours: number[] = [];
  for (let h = from; ; h = (h + 1) % 24) {
    hours.push(h);
    if (h === to || hours.length === 24) break;
  }
  return hours.sort((a, b) => a - b);
}

/** Splits "1, 2 3" into ids; every id must be a positive decimal number. */
/**
 * Six-digit administrative division codes (GB/T 2260: a province, city or district), comma or
 * space separated; null when one is not such a code.
 */
export function parseRegions(text: string): number[] | null {
  const codes = text.split(/[\s,，]+/).filter((part) => part !== '');
  if (!codes.every((code) => /^[1-8]\d{5}$/.test(code))) return null;
  const numbers = codes.map(Number);
  return numbers.every((n) => n >= 110_000 && n <= 829_999) ? numbers : null;
}

export function parseIds(text: string): string[] | null {
  const ids = text.split(/[\s,，]+/).filter((part) => part !== '');
  return ids.every((id) => /^[1-9]\d{0,19}$/.test(id)) ? ids : null;
}

/**
 * A targeting bound typed in the form: blank (null) or 0 → 0, none; a whole number in [lo, hi]
 * → itself; anything else → null.
 */
export function targetingBound(
  value: number | null | undefined,
  lo: number,
  hi: number,
): number | null {
  if (value === null || value === undefined || value === 0) return 0;
  return Number.isInteger(value) && value >= lo && value <= hi ? value : null;
}

/** A bound of the API (0 or absent: none) → the form's InputNumber value (blank for none). */
function boundInput(value: number | undefined): number | null {
  return value === undefined || value === 0 ? null : value;
}

type Targeting = Pick<Eligibility, 'age_min' | 'age_max' | 'inactive_days' | 'customer_list'>;

/**
 * The age band, inactivity and customer list of the form (only those set), or the first wrong
 * field.
 */
function targeting(values: CampaignFormValues): Mapped<Targeting> {
  const ageMin = targetingBound(values.ageMin, CAMPAIGN_AGE_MIN, CAMPAIGN_AGE_MAX);
  if (ageMin === null) {
    return { ok: false, problem: { field: 'ageMin', message: 'marketing.form.age' } };
  }
  const ageMax = targetingBound(values.ageMax, CAMPAIGN_AGE_MIN, CAMPAIGN_AGE_MAX);
  if (ageMax === null) {
    return { ok: false, problem: { field: 'ageMax', message: 'marketing.form.age' } };
  }
  if (ageMin > 0 && ageMax > 0 && ageMax < ageMin) {
    return { ok: false, problem: { field: 'ageMax', message: 'marketing.form.ageRange' } };
  }
  const inactiveDays = targetingBound(values.inactiveDays, 1, CAMPAIGN_INACTIVE_DAYS_MAX);
  if (inactiveDays === null) {
    return {
      ok: false,
      problem: { field: 'inactiveDays', message: 'marketing.form.inactiveDays' },
    };
  }
  const value: Targeting = {};
  if (ageMin > 0) value.age_min = ageMin;
  if (ageMax > 0) value.age_max = ageMax;
  if (inactiveDays > 0) value.inactive_days = inactiveDays;
  // No list is left out rather than sent as null, as the bounds are: the server reads both as
  // everyone, and a server without custom lists still takes the body.
  if (values.customerList !== null && values.customerList !== '') {
    if (!/^[1-9]\d{0,19}$/.test(values.customerList)) {
      return { ok: false, problem: { field: 'customerList', message: 'marketing.form.customerList' } };
    }
    value.customer_list = values.customerList;
  }
  return { ok: true, value };
}

/** One line of a campaign's targeting summary: a message key and its values. */
export type TargetingLine =
  | { key: 'campaign.targeting.ageBand'; params: { min: number; max: number } }
  | { key: 'campaign.targeting.ageAtLeast'; params: { min: number } }
  | { key: 'campaign.targeting.ageAtMost'; params: { max: number } }
  | { key: 'campaign.targeting.inactive'; params: { days: number } }
  | { key: 'campaign.targeting.customerList'; params: { name: string } };

/**
 * A campaign's age band, inactivity and customer list as summary lines ("年龄 25–34 岁",
 * "沉睡 ≥ 30 天", "人群包：双11老客"). The list is named from `listNames` (id → name), or by its
 * id ("#65") when the lists are not loaded.
 */
export function targetingLines(
  eligibility: Targeting,
  listNames: ReadonlyMap<string, string> = new Map(),
): TargetingLine[] {
  const min = eligibility.age_min ?? 0;
  const max = eligibility.age_max ?? 0;
  const days = eligibility.inactive_days ?? 0;
  const lines: TargetingLine[] = [];
  if (min > 0 && max > 0) lines.push({ key: 'campaign.targeting.ageBand', params: { min, max } });
  else if (min > 0) lines.push({ key: 'campaign.targeting.ageAtLeast', params: { min } });
  else if (max > 0) lines.push({ key: 'campaign.targeting.ageAtMost', params: { max } });
  if (days > 0) lines.push({ key: 'campaign.targeting.inactive', params: { days } });
  const list = eligibility.customer_list;
  if (list !== null && list !== undefined && list !== '') {
    lines.push({ key: 'campaign.targeting.customerList', params: { name: listNames.get(list) ?? `#${list}` } });
  }
  return lines;
}

function reward(values: CampaignFormValues): Mapped<RewardRule> {
  const rule: RewardRule = { shape: values.shape };
  const shapes = SHAPES_BY_TYPE[values.type];
  if (!shapes.includes(values.shape)) {
    return { ok: false, problem: { field: 'shape', message: 'marketing.form.shapeForType' } };
  }
  switch (values.shape) {
    case 'none':
      break;
    case 'fixed': {
      const fixed = yuan('fixed', values.fixed, true);
      if (!fixed.ok) return fixed;
      rule.fixed = fixed.value;
      break;
    }
    case 'percent': {
      const bps = percentToBps(values.percent);
      if (bps === null) {
        return { ok: false, problem: { field: 'percent', message: 'marketing.form.percent' } };
      }
      const cap = yuan('percentCap', values.percentCap, false);
      if (!cap.ok) return cap;
      rule.percent_bps = bps;
      rule.percent_cap = cap.value;
      break;
    }
    case 'random_range': {
      const lo = yuan('randomLo', values.randomLo, true);
      if (!lo.ok) return lo;
      const hi = yuan('randomHi', values.randomHi, true);
      if (!hi.ok) return hi;
      if (hi.value < lo.value) {
        return { ok: false, problem: { field: 'randomHi', message: 'marketing.form.range' } };
      }
      rule.random_lo = lo.value;
      rule.random_hi = hi.value;
      break;
    }
    case 'threshold': {
      const threshold = yuan('threshold', values.threshold, false);
      if (!threshold.ok) return threshold;
      const save = yuan('save', values.save, true);
      if (!save.ok) return save;
      rule.threshold = threshold.value;
      rule.save = save.value;
      break;
    }
  }
  if (values.type === 'first_order') rule.first_order_scope = values.firstOrderScope;
  if (values.type === 'cashback') {
    if (!Number.isInteger(values.holdDays) || values.holdDays < 0 || values.holdDays > MAX_HOLD_DAYS) {
      return { ok: false, problem: { field: 'holdDays', message: 'marketing.form.holdDays' } };
    }
    rule.hold_seconds = values.holdDays * SECONDS_PER_DAY;
  }
  return { ok: true, value: rule };
}

/** The form → the API body, or the first field that is wrong. */
export function toCampaignInput(values: CampaignFormValues): Mapped<CampaignInput> {
  if (values.name.trim() === '') {
    return { ok: false, problem: { field: 'name', message: 'marketing.form.required' } };
  }
  const rule = reward(values);
  if (!rule.ok) return rule;
  const startsAt = chinaLocalToRfc3339(values.startsAt);
  const endsAt = chinaLocalToRfc3339(values.endsAt);
  if (startsAt === null) {
    return { ok: false, problem: { field: 'startsAt', message: 'marketing.form.time' } };
  }
  if (endsAt === null || Date.parse(endsAt) <= Date.parse(startsAt)) {
    return { ok: false, problem: { field: 'endsAt', message: 'marketing.form.window' } };
  }
  if (values.channels.length === 0) {
    return { ok: false, problem: { field: 'channels', message: 'marketing.form.channels' } };
  }
  const audience = targeting(values);
  if (!audience.ok) return audience;
  const merchantIds = parseIds(values.merchantIds);
  if (merchantIds === null) {
    return { ok: false, problem: { field: 'merchantIds', message: 'marketing.form.ids' } };
  }
  const regions = parseRegions(values.regions);
  if (regions === null) {
    return { ok: false, problem: { field: 'regions', message: 'marketing.form.regions' } };
  }
  const amounts: Record<string, number> = {};
  for (const [field, text, required] of [
    ['minAmount', values.minAmount, false],
    ['budgetTotal', values.budgetTotal, true],
    ['budgetDaily', values.budgetDaily, false],
    ['customerAmountDaily', values.customerAmountDaily, false],
    ['customerAmountLifetime', values.customerAmountLifetime, false],
  ] as const) {
    const mapped = yuan(field, text, required);
    if (!mapped.ok) return mapped;
    amounts[field] = mapped.value;
  }
  return {
    ok: true,
    value: {
      name: values.name.trim(),
      type: values.type,
      reward: rule.value,
      eligibility: {
        starts_at: startsAt,
        ends_at: endsAt,
        hours: hoursOf(values.hourFrom, values.hourTo),
        channels: [...values.channels],
        merchant_ids: merchantIds,
        categories: [],
        regions,
        segments: [...values.segments],
        ...audience.value,
        min_amount: amounts.minAmount ?? 0,
        holdout_percent: values.holdoutPercent,
      },
      caps: {
        budget_total: amounts.budgetTotal ?? 0,
        budget_daily: amounts.budgetDaily ?? 0,
        customer_count_daily: values.customerCountDaily,
        customer_count_lifetime: values.customerCountLifetime,
        customer_amount_daily: amounts.customerAmountDaily ?? 0,
        customer_amount_lifetime: amounts.customerAmountLifetime ?? 0,
        device_count_lifetime: values.deviceCountLifetime,
        identity_count_lifetime: values.identityCountLifetime,
      },
      exclusive_group: values.exclusiveGroup,
      priority: values.priority,
    },
  };
}

/** A new campaign's form: starts now, lasts 30 days, every channel and hour. */
export function defaultCampaignForm(type: CampaignType, now: Date): CampaignFormValues {
  const start = rfc3339ToChinaLocal(now.toISOString());
  const end = rfc3339ToChinaLocal(new Date(now.getTime() + 30 * 86_400_000).toISOString());
  return {
    name: '',
    type,
    shape: SHAPES_BY_TYPE[type][0] ?? 'none',
    fixed: '',
    percent: '',
    percentCap: '',
    randomLo: '',
    randomHi: '',
    threshold: '',
    save: '',
    firstOrderScope: 'ever',
    holdDays: 0,
    startsAt: start,
    endsAt: end,
    hourFrom: 0,
    hourTo: 23,
    channels: ['qr', 'payment_code', 'online', 'nfc'],
    merchantIds: '',
    regions: '',
    segments: [],
    ageMin: null,
    ageMax: null,
    inactiveDays: null,
    customerList: null,
    minAmount: '',
    holdoutPercent: 0,
    budgetTotal: '',
    budgetDaily: '',
    customerCountDaily: 0,
    customerCountLifetime: 0,
    customerAmountDaily: '',
    customerAmountLifetime: '',
    deviceCountLifetime: 0,
    identityCountLifetime: 0,
    exclusiveGroup: 0,
    priority: 0,
  };
}

/** An existing campaign back into the form (for editing). */
export function campaignToForm(campaign: Campaign): CampaignFormValues {
  const hours = campaign.eligibility.hours ?? [];
  const r = campaign.reward;
  const c = campaign.caps;
  return {
    name: campaign.name,
    type: campaign.type,
    shape: r.shape,
    fixed: fenToYuanInput(r.fixed),
    percent: bpsToPercent(r.percent_bps),
    percentCap: fenToYuanInput(r.percent_cap),
    randomLo: fenToYuanInput(r.random_lo),
    randomHi: fenToYuanInput(r.random_hi),
    threshold: fenToYuanInput(r.threshold),
    save: fenToYuanInput(r.save),
    firstOrderScope: r.first_order_scope ?? 'ever',
    holdDays: Math.floor((r.hold_seconds ?? 0) / SECONDS_PER_DAY),
    startsAt: rfc3339ToChinaLocal(campaign.eligibility.starts_at),
    endsAt: rfc3339ToChinaLocal(campaign.eligibility.ends_at),
    hourFrom: hours.length > 0 ? Math.min(...hours) : 0,
    hourTo: hours.length > 0 ? Math.max(...hours) : 23,
    channels: campaign.eligibility.channels ?? ['qr', 'payment_code', 'online', 'nfc'],
    merchantIds: (campaign.eligibility.merchant_ids ?? []).join(', '),
    regions: (campaign.eligibility.regions ?? []).join(', '),
    segments: [...(campaign.eligibility.segments ?? [])],
    ageMin: boundInput(campaign.eligibility.age_min),
    ageMax: boundInput(campaign.eligibility.age_max),
    inactiveDays: boundInput(campaign.eligibility.inactive_days),
    // A server without custom lists leaves it out.
    customerList: campaign.eligibility.customer_list ?? null,
    minAmount: fenToYuanInput(campaign.eligibility.min_amount),
    holdoutPercent: campaign.eligibility.holdout_percent ?? 0,
    budgetTotal: fenToYuanInput(c.budget_total),
    budgetDaily: fenToYuanInput(c.budget_daily),
    customerCountDaily: c.customer_count_daily ?? 0,
    customerCountLifetime: c.customer_count_lifetime ?? 0,
    customerAmountDaily: fenToYuanInput(c.customer_amount_daily),
    customerAmountLifetime: fenToYuanInput(c.customer_amount_lifetime),
    deviceCountLifetime: c.device_count_lifetime ?? 0,
    identityCountLifetime: c.identity_count_lifetime ?? 0,
    exclusiveGroup: campaign.exclusive_group ?? 0,
    priority: campaign.priority ?? 0,
  };
}

export interface CouponFormValues {
  name: string;
  kind: CouponKind;
  threshold: string;
  save: string;
  discountPercent: string;
  discountCap: string;
  stock: number;
  validityKind: 'fixed_window' | 'days_after_claim';
  validFrom: string;
  validUntil: string;
  validDays: number;
  claimStartsAt: string;
  claimEndsAt: string;
  perCustomerLimit: number;
}

export function defaultCouponForm(campaign: Campaign): CouponFormValues {
  const starts = rfc3339ToChinaLocal(campaign.eligibility.starts_at);
  const ends = rfc3339ToChinaLocal(campaign.eligibility.ends_at);
  return {
    name: '',
    kind: campaign.type === 'discount_coupon' ? 'percent' : 'threshold',
    threshold: '',
    save: '',
    discountPercent: '',
    discountCap: '',
    stock: 1000,
    validityKind: 'fixed_window',
    validFrom: starts,
    validUntil: ends,
    validDays: 7,
    claimStartsAt: starts,
    claimEndsAt: ends,
    perCustomerLimit: 1,
  };
}

export function toCouponTemplateInput(
  campaignId: string,
  values: CouponFormValues,
): Mapped<CouponTemplateInput> {
  if (values.name.trim() === '') {
    return { ok: false, problem: { field: 'name', message: 'marketing.form.required' } };
  }
  const threshold = yuan('threshold', values.threshold, false);
  if (!threshold.ok) return threshold;
  const input: CouponTemplateInput = {
    campaign_id: campaignId,
    name: values.name.trim(),
    kind: values.kind,
    threshold: threshold.value,
    stock: values.stock,
    validity: { kind: values.validityKind },
    claim_starts_at: '',
    claim_ends_at: '',
    per_customer_limit: values.perCustomerLimit,
  };
  if (values.kind === 'threshold') {
    const save = yuan('save', values.save, true);
    if (!save.ok) return save;
    input.save = save.value;
  } else {
    const bps = percentToBps(values.discountPercent);
    if (bps === null) {
      return { ok: false, problem: { field: 'discountPercent', message: 'marketing.form.percent' } };
    }
    const cap = yuan('discountCap', values.discountCap, false);
    if (!cap.ok) return cap;
    input.discount_bps = bps;
    input.discount_cap = cap.value;
  }
  if (values.validityKind === 'fixed_window') {
    const from = chinaLocalToRfc3339(values.validFrom);
    const until = chinaLocalToRfc3339(values.validUntil);
    if (from === null || until === null || Date.parse(until) <= Date.parse(from)) {
      return { ok: false, problem: { field: 'validUntil', message: 'marketing.form.window' } };
    }
    input.validity.valid_from = from;
    input.validity.valid_until = until;
  } else {
    input.validity.valid_days = values.validDays;
  }
  const claimStarts = chinaLocalToRfc3339(values.claimStartsAt);
  const claimEnds = chinaLocalToRfc3339(values.claimEndsAt);
  if (claimStarts === null || claimEnds === null || Date.parse(claimEnds) <= Date.parse(claimStarts)) {
    return { ok: false, problem: { field: 'claimEndsAt', message: 'marketing.form.window' } };
  }
  input.claim_starts_at = claimStarts;
  input.claim_ends_at = claimEnds;
  return { ok: true, value: input };
}
