// The lottery (抽奖, a 幸运大转盘) of API v1: the console's configuration and figures, and the
// customer's prizes with their published chances, draw chances, the daily sign-in (签到) and
// the draws.
//
// A draw picks a number below 10000 and walks the prizes in order: the first whose cumulative
// chance exceeds it wins, if some of its inventory is left (and, for cash, the budget covers
// it); otherwise the draw is 谢谢参与 ("thanks for taking part"). Chances are in basis points
// (1/100 of a percent) and are never re-spread over what is left, so the published odds are the
// real ones. Customers earn draws by paying at least payment_min (at most payment_draws_daily a
// China day), by the daily sign-in (when sign_in_draw) and by referring friends
// (referral_draws per rewarded referral); they may use at most daily_draw_limit a China day.
//
// Money is integer fen, points and chances are integers; the percent ↔ basis-point conversion
// works on the typed digits, never through floating point.
//
// The console form's mapping is in console/lotteryForm.ts; the customer page's words and wheel
// are in h5/lotteryFormat.ts.
import type { ApiClient } from './client';

/** The server's bounds (src/lottery/lottery.h). */
export const MAX_PRIZES = 12;
export const MAX_PRIZE_NAME_BYTES = 64;
/** Chances are basis points of this: 10000 = 100 %. */
export const CHANCE_DENOMINATOR = 10_000;
export const MAX_CASH_PRIZE_FEN = 100_000_000;
export const MAX_POINTS_PRIZE = 100_000_000;
export const MAX_INVENTORY = 100_000_000;
export const MAX_PAYMENT_MIN_FEN = 1_000_000_000_000;
export const MAX_DAILY_DRAWS = 100;

export const PRIZE_KINDS = ['cash', 'points'] as const;
export type PrizeKind = (typeof PRIZE_KINDS)[number];

/** A prize as ops set it: cash in fen or points, how many may ever be won, its chance. */
export interface LotteryPrizeInput {
  /** 1..64 bytes, unique in the lottery. */
  name: string;
  kind: PrizeKind;
  /** Fen for cash (1..¥1,000,000), points for points (1..100000000). */
  amount: number;
  /** 1..100000000. */
  inventory: number;
  /** 1..10000 basis points; all prizes together at most 10000. */
  chance_bps: number;
}

/** What ops may change: the body of PUT /staff/lottery. */
export interface LotteryInput {
  enabled: boolean;
  /** RFC 3339; absent: no bound. */
  starts_at?: string;
  ends_at?: string;
  /** At most 12; the chance left over is 谢谢参与. */
  prizes: LotteryPrizeInput[];
  /** Fen: a payment of at least this earns a draw; 0 = payments earn none. */
  payment_min: number;
  /** Draws payments may earn a customer per China day; 0 exactly when payment_min is 0. */
  payment_draws_daily: number;
  /** Whether the daily sign-in earns one draw. */
  sign_in_draw: boolean;
  /** Draws an inviter gets per rewarded referral, 0..100. */
  referral_draws: number;
  /** 1..100 draws a customer may use a China day. */
  daily_draw_limit: number;
  /** Fen: what cash prizes may cost in total. */
  budget: number;
}

export interface StaffLotteryPrize extends LotteryPrizeInput {
  /** How many are left to win. */
  remaining: number;
}

/** GET /staff/lottery. */
export interface StaffLottery {
  enabled: boolean;
  starts_at: string | null;
  ends_at: string | null;
  prizes: StaffLotteryPrize[];
  payment_min: number;
  payment_draws_daily: number;
  sign_in_draw: boolean;
  referral_draws: number;
  daily_draw_limit: number;
  budget: number;
  /** Fen of cash prizes won so far. */
  spent: number;
  /** Draws made so far, by everyone. */
  draws: number;
  /** 0: never set. */
  version: number;
  updated_at: string | null;
}

/** A prize as a customer sees it: no inventory, only whether some is left. */
export interface CustomerPrize {
  name: string;
  kind: PrizeKind | string;
  amount: number;
  chance_bps: number;
  available: boolean;
}

export interface LotteryChances {
  /** Draws left in total (earned, not yet used). */
  available: number;
  used_today: number;
  daily_limit: number;
  signed_in_today: boolean;
  earned_by_payments_today: number;
}

export interface WonPrize {
  name: string;
  kind: PrizeKind | string;
  amount: number;
}

export interface LotteryDraw {
  id: string;
  time: string;
  won: boolean;
  /** null: 谢谢参与. */
  prize: WonPrize | null;
}

/** GET /me/lottery. */
export interface MyLottery {
  /** Enabled, and now inside its window. */
  active: boolean;
  prizes: CustomerPrize[];
  chances: LotteryChances;
  sign_in_draw: boolean;
  payment_min: number;
  payment_draws_daily: number;
  referral_draws: number;
  ends_at: string | null;
  /** Newest first, at most 20. */
  draws: LotteryDraw[];
}

/** POST /me/lottery/draws: the draw and the chances after it. */
export interface DrawAnswer extends LotteryDraw {
  chances: LotteryChances;
}

const STAFF_PATH = '/api/v1/staff/lottery';
const MY_PATH = '/api/v1/me/lottery';

export function getLottery(api: ApiClient): Promise<StaffLottery> {
  return api.get<StaffLottery>(STAFF_PATH);
}

/**
 * Errors: 422 LOTTERY_INVALID whose message starts with the API field ("prizes[1].chance_bps:
 * out of range"); 400 FIELD_INVALID / FIELD_REQUIRED / UNKNOWN_FIELD likewise.
 */
export function putLottery(api: ApiClient, input: LotteryInput): Promise<StaffLottery> {
  return api.put<StaffLottery>(STAFF_PATH, input);
}

export function getMyLottery(api: ApiClient): Promise<MyLottery> {
  return api.get<MyLottery>(MY_PATH);
}

/** The daily sign-in. 409 LOTTERY_SIGNED_IN (already today) or LOTTERY_OFF. */
export async function signInLottery(api: ApiClient): Promise<LotteryChances> {
  const answer = await api.post<{ chances: LotteryChances }>(`${MY_PATH}/sign-in`, undefined);
  return answer.chances;
}

/**
 * One draw. The Idempotency-Key belongs to the customer's press of the button: a retry with the
 * same key (after no answer, a 5xx) answers the same draw (200) instead of drawing again (201).
 * 409 LOTTERY_OFF, LOTTERY_NO_DRAWS, LOTTERY_DAILY_LIMIT, LOTTERY_WALLET_FULL.
 */
export function drawLottery(api: ApiClient, idempotencyKey: string): Promise<DrawAnswer> {
  return api.postMoney<DrawAnswer>(`${MY_PATH}/draws`, undefined, { idempotencyKey });
}

export { remainingBudget } from './budget';

/** The prizes' chances together, in basis points. */
export function totalChanceBps(prizes: readonly Pick<LotteryPrizeInput, 'chance_bps'>[]): number {
  return prizes.reduce((sum, prize) => sum + prize.chance_bps, 0);
}

/** The chance of 谢谢参与: what the prizes leave of 10000, never negative. */
export function thanksChanceBps(prizes: readonly Pick<LotteryPrizeInput, 'chance_bps'>[]): number {
  return Math.max(CHANCE_DENOMINATOR - totalChanceBps(prizes), 0);
}

/**
 * A percent as typed ("50", "12.5", "0.01", "12.34%") → basis points (5000, 1250, 1, 1234);
 * null for anything that is not a number from 0 to 100 with at most two decimals.
 */
export function percentToBps(text: string): number | null {
  const trimmed = text
    .trim()
    .replace(/[\uFF10-\uFF19\uFF0E]/g, (c) => (c === '\uFF0E' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
    .replace(/\s*[%％]$/, '');
  const match = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(trimmed);
  if (!match) return null;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bps <= CHANCE_DENOMINATOR ? bps : null;
}

/**
 * Basis points → the percent without needless zeros: 5000 → "50", 1250 → "12.5", 1 → "0.01".
 * With `fixed`, always two decimals: 5000 → "50.00".
 */
export function bpsToPercent(bps: number, fixed = false): string {
  const sign = bps < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(bps));
  const whole = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  if (fixed) return `${sign}${whole}.${cents}`;
  const fraction = cents.replace(/0+$/, '');
  return fraction === '' ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}
