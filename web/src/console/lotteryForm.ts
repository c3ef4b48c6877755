// The lottery form of the console (/console/lottery) and its mapping to the API's LotteryInput,
// kept pure so it is tested without a browser. Ops type money in yuan ("10" or "12.50") and the
// API takes integer fen; a points prize is typed as whole points; a chance is typed in percent
// with at most two decimals ("12.5") and sent as basis points (1250). Start and end are China
// time ("YYYY-MM-DDTHH:mm", as the points and campaign forms), empty for no bound.
import {
  CHANCE_DENOMINATOR,
  MAX_CASH_PRIZE_FEN,
  MAX_DAILY_DRAWS,
  MAX_INVENTORY,
  MAX_PAYMENT_MIN_FEN,
  MAX_POINTS_PRIZE,
  MAX_PRIZES,
  MAX_PRIZE_NAME_BYTES,
  PRIZE_KINDS,
  bpsToPercent,
  percentToBps,
  totalChanceBps,
  type LotteryInput,
  type LotteryPrizeInput,
  type PrizeKind,
  type StaffLottery,
} from '../api/lottery';
import { formatFen, parseYuan } from '../money';
import { chinaLocalToRfc3339, rfc3339ToChinaLocal } from './campaignForm';

/** The largest budget the server takes (¥10 trillion); parseYuan stops at MAX_SAFE_INTEGER fen. */
const MAX_BUDGET_FEN = 1_000_000_000_000_000n;

export interface LotteryPrizeFormValues {
  name: string;
  kind: PrizeKind;
  /** Yuan for cash, whole points for points, as typed. */
  amount: string;
  inventory: number | null;
  /** Percent as typed, at most two decimals: "12.5". */
  chance: string;
}

export interface LotteryFormValues {
  enabled: boolean;
  /** China time "YYYY-MM-DDTHH:mm", or "" for no bound. */
  startsAt: string;
  endsAt: string;
  prizes: LotteryPrizeFormValues[];
  /** Yuan as typed; empty or 0: payments earn no draws. */
  paymentMin: string;
  /** Draws payments may earn a day; 0 exactly when paymentMin is 0. */
  paymentDraws: number | null;
  signInDraw: boolean;
  referralDraws: number | null;
  dailyLimit: number | null;
  /** Yuan as typed; empty reads as 0. */
  budget: string;
}

/** A form field as antd names it: ["budget"], ["prizes"], ["prizes", 0, "chance"]. */
export type LotteryFormField =
  | [Exclude<keyof LotteryFormValues, 'prizes'>]
  | ['prizes']
  | ['prizes', number, keyof LotteryPrizeFormValues];

/** Where the form is wrong, and the message key for it (with its parameters). */
export interface LotteryFormProblem {
  field: LotteryFormField;
  message: string;
  params?: Record<string, string | number>;
}

export type LotteryMapped = { ok: true; value: LotteryInput } | { ok: false; problem: LotteryFormProblem };

type Step<T> = { ok: true; value: T } | { ok: false; problem: LotteryFormProblem };

/** A new prize row: points, empty otherwise. */
export function newPrizeForm(): LotteryPrizeFormValues {
  return { name: '', kind: 'points', amount: '', inventory: null, chance: '' };
}

function integerIn(value: number | null | undefined, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

function isPrizeKind(kind: unknown): kind is PrizeKind {
  return (PRIZE_KINDS as readonly unknown[]).includes(kind);
}

/** A chance typed in percent → basis points; null when it is not 0.01..100 with two decimals. */
export function chanceOfForm(text: string | undefined): number | null {
  const bps = percentToBps(text ?? '');
  return bps !== null && bps >= 1 ? bps : null;
}

/**
 * The chances the rows give together and what is left for 谢谢参与, in basis points, as the form
 * shows them live; a row whose chance is not (yet) valid counts 0.
 */
export function formChanceSummary(prizes: readonly Partial<LotteryPrizeFormValues>[] | undefined): {
  totalBps: number;
  thanksBps: number;
  over: boolean;
} {
  const totalBps = (prizes ?? []).reduce((sum, prize) => sum + (chanceOfForm(prize?.chance) ?? 0), 0);
  return {
    totalBps,
    thanksBps: Math.max(CHANCE_DENOMINATOR - totalBps, 0),
    over: totalBps > CHANCE_DENOMINATOR,
  };
}

function toPrize(prize: LotteryPrizeFormValues, index: number, names: Set<string>): Step<LotteryPrizeInput> {
  const at = (
    field: keyof LotteryPrizeFormValues,
    message: string,
    params?: LotteryFormProblem['params'],
  ): Step<LotteryPrizeInput> => ({ ok: false, problem: { field: ['prizes', index, field], message, params } });
  const name = (prize.name ?? '').trim();
  if (name === '') return at('name', 'lottery.form.required');
  if (utf8Bytes(name) > MAX_PRIZE_NAME_BYTES) return at('name', 'lottery.form.nameTooLong');
  if (names.has(name)) return at('name', 'lottery.form.nameTaken');
  names.add(name);
  if (!isPrizeKind(prize.kind)) return at('kind', 'lottery.form.kind');
  let amount: number;
  if (prize.kind === 'cash') {
    const parsed = parseYuan(prize.amount ?? '', { maxFen: BigInt(MAX_CASH_PRIZE_FEN) });
    if (!parsed.ok) return at('amount', `error.amount.${parsed.error}`);
    amount = parsed.fen;
  } else {
    const trimmed = (prize.amount ?? '').trim().replaceAll(',', '');
    const points = /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
    if (!integerIn(points, 1, MAX_POINTS_PRIZE)) return at('amount', 'lottery.form.points');
    amount = points;
  }
  if (!integerIn(prize.inventory, 1, MAX_INVENTORY)) return at('inventory', 'lottery.form.inventory');
  const chance = chanceOfForm(prize.chance);
  if (chance === null) return at('chance', 'lottery.form.chance');
  return {
    ok: true,
    value: { name, kind: prize.kind, amount, inventory: prize.inventory, chance_bps: chance },
  };
}

function time(field: 'startsAt' | 'endsAt', text: string): Step<string | null> {
  if ((text ?? '').trim() === '') return { ok: true, value: null };
  const rfc3339 = chinaLocalToRfc3339(text);
  if (rfc3339 === null) return { ok: false, problem: { field: [field], message: 'lottery.form.time' } };
  return { ok: true, value: rfc3339 };
}

function optionalYuan(
  field: 'paymentMin' | 'budget',
  text: string,
  maxFen: bigint,
): Step<number> {
  if ((text ?? '').trim() === '') return { ok: true, value: 0 };
  const parsed = parseYuan(text, { maxFen, allowZero: true });
  if (!parsed.ok) return { ok: false, problem: { field: [field], message: `error.amount.${parsed.error}` } };
  return { ok: true, value: parsed.fen };
}

/** The form → the PUT body, or the first field that is wrong. */
export function toLotteryInput(values: LotteryFormValues): LotteryMapped {
  const problem = (
    field: LotteryFormField,
    message: string,
    params?: LotteryFormProblem['params'],
  ): LotteryMapped => ({ ok: false, problem: { field, message, params } });

  const startsAt = time('startsAt', values.startsAt);
  if (!startsAt.ok) return startsAt;
  const endsAt = time('endsAt', values.endsAt);
  if (!endsAt.ok) return endsAt;
  if (startsAt.value !== null && endsAt.value !== null && Date.parse(endsAt.value) <= Date.parse(startsAt.value)) {
    return problem(['endsAt'], 'lottery.form.window');
  }

  const rows = values.prizes ?? [];
  if (rows.length > MAX_PRIZES) return problem(['prizes'], 'lottery.form.tooManyPrizes', { count: MAX_PRIZES });
  const prizes: LotteryPrizeInput[] = [];
  const names = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const mapped = toPrize(row, index, names);
    if (!mapped.ok) return mapped;
    prizes.push(mapped.value);
  }
  const total = totalChanceBps(prizes);
  if (total > CHANCE_DENOMINATOR) {
    return problem(['prizes'], 'lottery.form.chanceTotal', { total: bpsToPercent(total) });
  }

  const paymentMin = optionalYuan('paymentMin', values.paymentMin, BigInt(MAX_PAYMENT_MIN_FEN));
  if (!paymentMin.ok) return paymentMin;
  const paymentDraws = values.paymentDraws ?? 0;
  if (!integerIn(paymentDraws, 0, MAX_DAILY_DRAWS)) return problem(['paymentDraws'], 'lottery.form.draws');
  // The server takes payment_min 0 exactly with payment_draws_daily 0: say which one is missing.
  if (paymentMin.value > 0 && paymentDraws === 0) return problem(['paymentDraws'], 'lottery.form.paymentDraws');
  if (paymentMin.value === 0 && paymentDraws > 0) return problem(['paymentMin'], 'lottery.form.paymentMin');
  const referralDraws = values.referralDraws ?? 0;
  if (!integerIn(referralDraws, 0, MAX_DAILY_DRAWS)) return problem(['referralDraws'], 'lottery.form.draws');
  if (!integerIn(values.dailyLimit, 1, MAX_DAILY_DRAWS)) return problem(['dailyLimit'], 'lottery.form.dailyLimit');

  const budget = optionalYuan('budget', values.budget, MAX_BUDGET_FEN);
  if (!budget.ok) return budget;
  // A cash prize is paid from the budget: without one it could never be won.
  if (budget.value === 0 && prizes.some((prize) => prize.kind === 'cash')) {
    return problem(['budget'], 'lottery.form.budgetForCash');
  }

  const input: LotteryInput = {
    enabled: values.enabled === true,
    prizes,
    payment_min: paymentMin.value,
    payment_draws_daily: paymentDraws,
    sign_in_draw: values.signInDraw === true,
    referral_draws: referralDraws,
    daily_draw_limit: values.dailyLimit,
    budget: budget.value,
  };
  // No bound is said by leaving the field out.
  if (startsAt.value !== null) input.starts_at = startsAt.value;
  if (endsAt.value !== null) input.ends_at = endsAt.value;
  return { ok: true, value: input };
}

/** Fen as the form's yuan text: 1000 → "10.00". */
function yuanText(fen: number): string {
  return formatFen(fen, { symbol: false, grouping: false });
}

/** A lottery from the API back into the form; never configured (version 0) reads as the defaults. */
export function lotteryToForm(lottery: StaffLottery): LotteryFormValues {
  return {
    enabled: lottery.enabled,
    startsAt: lottery.starts_at === null ? '' : rfc3339ToChinaLocal(lottery.starts_at),
    endsAt: lottery.ends_at === null ? '' : rfc3339ToChinaLocal(lottery.ends_at),
    prizes: lottery.prizes.map((prize) => ({
      name: prize.name,
      kind: isPrizeKind(prize.kind) ? prize.kind : 'points',
      amount: prize.kind === 'cash' ? yuanText(prize.amount) : String(prize.amount),
      inventory: prize.inventory,
      chance: bpsToPercent(prize.chance_bps),
    })),
    paymentMin: lottery.payment_min === 0 ? '' : yuanText(lottery.payment_min),
    paymentDraws: lottery.payment_draws_daily,
    signInDraw: lottery.sign_in_draw,
    referralDraws: lottery.referral_draws,
    // A never-set lottery answers 0 (or nothing): start from the server's default of 3.
    dailyLimit: lottery.daily_draw_limit >= 1 ? lottery.daily_draw_limit : 3,
    budget: lottery.budget === 0 ? '' : yuanText(lottery.budget),
  };
}

const TOP_FIELDS: Record<string, Exclude<keyof LotteryFormValues, 'prizes'>> = {
  enabled: 'enabled',
  starts_at: 'startsAt',
  window: 'startsAt',
  ends_at: 'endsAt',
  payment_min: 'paymentMin',
  payment_min_fen: 'paymentMin',
  payment_draws_daily: 'paymentDraws',
  sign_in_draw: 'signInDraw',
  referral_draws: 'referralDraws',
  daily_draw_limit: 'dailyLimit',
  budget: 'budget',
  budget_fen: 'budget',
};

const PRIZE_FIELDS: Record<string, keyof LotteryPrizeFormValues> = {
  name: 'name',
  kind: 'kind',
  amount: 'amount',
  inventory: 'inventory',
  chance_bps: 'chance',
};

/**
 * The form field a LOTTERY_INVALID (or FIELD_INVALID) message names: "prizes[1].chance_bps: out
 * of range" → ["prizes", 1, "chance"], "budget: out of range" → ["budget"], "prizes: …" →
 * ["prizes"]; null when it names none this form has.
 */
export function lotteryFormFieldOfError(message: string): LotteryFormField | null {
  const match = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?(?::|$)/.exec(message.trim());
  if (!match) return null;
  const [, top = '', index, inner] = match;
  if (top === 'prizes') {
    if (index === undefined) return inner === undefined ? ['prizes'] : null;
    if (inner === undefined) return ['prizes'];
    const field = PRIZE_FIELDS[inner];
    return field === undefined ? null : ['prizes', Number(index), field];
  }
  const field = TOP_FIELDS[top];
  return field === undefined || index !== undefined || inner !== undefined ? null : [field];
}

/** The detail after the field in a server message ("out of range"), or the whole message. */
export function serverMessageDetail(message: string): string {
  const colon = message.indexOf(':');
  return colon < 0 ? message.trim() : message.slice(colon + 1).trim();
}

/**
 * What is left to win of a prize row, as the server counts it (by name): the saved prize of the
 * same name's remaining, or null for a row not saved yet.
 */
export function remainingOfRow(lottery: StaffLottery | null, name: string | undefined): number | null {
  if (lottery === null || name === undefined) return null;
  const saved = lottery.prizes.find((prize) => prize.name === name.trim());
  return saved === undefined ? null : saved.remaining;
}
