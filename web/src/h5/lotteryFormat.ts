// How the lottery reads and turns, on the customer's /lottery page (and the prize words in the
// console): a prize in words ("¥1.00 现金", "50 积分"), how to earn draws as one sentence, the
// draws left today, and the wheel: its sectors sized by the published chances (谢谢参与 the rest)
// and the rotation that brings a draw's sector under the pointer.
//
// Angles are degrees clockwise from the top (12 o'clock), where the pointer is. They are
// geometry, not money: floating point is fine here.
import {
  CHANCE_DENOMINATOR,
  thanksChanceBps,
  type CustomerPrize,
  type LotteryChances,
  type LotteryDraw,
  type MyLottery,
  type WonPrize,
} from '../api/lottery';
import { formatPoints } from '../api/points';
import type { MessageKey } from '../i18n/dictionaries';
import type { MessageParams } from '../i18n/translate';
import { formatFen } from '../money';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** How long the wheel turns to a result; none when the customer prefers reduced motion. */
export const SPIN_MS = 1_800;
/** Whole turns the wheel makes before it stops on the result. */
export const SPIN_TURNS = 5;

/** A prize's value in words: "¥1.00 现金", "50 积分". */
export function prizeValueText(t: Translate, prize: Pick<WonPrize, 'kind' | 'amount'>): string {
  if (prize.kind === 'cash') return t('lottery.prize.cash', { amount: formatFen(prize.amount) });
  return t('lottery.prize.points', { points: formatPoints(prize.amount) });
}

/** A prize with its value: "¥1 红包（¥1.00 现金）"; a name that says the value is said once ("50 积分"). */
export function prizeText(t: Translate, prize: WonPrize): string {
  const value = prizeValueText(t, prize);
  if (prize.name.trim() === value) return value;
  return t('lottery.prize.named', { name: prize.name, value });
}

/** A draw in words: "抽中 ¥1 红包（¥1.00 现金）", or "谢谢参与". */
export function drawText(t: Translate, draw: Pick<LotteryDraw, 'won' | 'prize'>): string {
  return draw.won && draw.prize !== null ? t('lottery.draw.won', { prize: prizeText(t, draw.prize) }) : t('lottery.thanks');
}

/** The draws the customer may still make today: what is left, within today's limit. */
export function drawsLeftToday(chances: LotteryChances): number {
  return Math.max(0, Math.min(chances.available, chances.daily_limit - chances.used_today));
}

/**
 * How to earn draws, as one sentence: "每天签到得 1 次；单笔支付满 ¥10.00 得 1 次，每天最多 1 次；
 * 每成功邀请 1 位好友得 2 次；每天最多抽 3 次". Only the ways that are on are said.
 */
export function earnRules(
  t: Translate,
  lottery: Pick<MyLottery, 'sign_in_draw' | 'payment_min' | 'payment_draws_daily' | 'referral_draws'> & {
    chances: Pick<LotteryChances, 'daily_limit'>;
  },
): string {
  const parts: string[] = [];
  if (lottery.sign_in_draw) parts.push(t('lottery.earn.signIn'));
  if (lottery.payment_min > 0 && lottery.payment_draws_daily > 0) {
    parts.push(
      t('lottery.earn.payment', { min: formatFen(lottery.payment_min), count: lottery.payment_draws_daily }),
    );
  }
  if (lottery.referral_draws > 0) parts.push(t('lottery.earn.referral', { count: lottery.referral_draws }));
  if (parts.length === 0) parts.push(t('lottery.earn.none'));
  parts.push(t('lottery.earn.limit', { limit: lottery.chances.daily_limit }));
  const sentence = parts.join(t('lottery.earn.separator'));
  // The English parts are lower case, to be joined: the sentence starts with a capital.
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** One sector of the wheel: a prize, or 谢谢参与 (the chance the prizes leave). */
export interface WheelSector {
  kind: 'prize' | 'thanks';
  /** The prize's name; "" for 谢谢参与. */
  name: string;
  /** The prize; null for 谢谢参与. */
  prize: CustomerPrize | null;
  chanceBps: number;
  /** Degrees clockwise from the top. */
  startDeg: number;
  endDeg: number;
}

/**
 * The wheel's sectors, in the prizes' order, each sized by its published chance, then 谢谢参与
 * with what is left (none when the prizes take all 100 %). Prizes with no chance get no sector.
 */
export function wheelSectors(prizes: readonly CustomerPrize[]): WheelSector[] {
  const sectors: WheelSector[] = [];
  let cumulative = 0;
  const add = (kind: WheelSector['kind'], name: string, prize: CustomerPrize | null, bps: number) => {
    const start = Math.min(cumulative, CHANCE_DENOMINATOR);
    const end = Math.min(cumulative + bps, CHANCE_DENOMINATOR);
    cumulative += bps;
    if (end <= start) return;
    sectors.push({
      kind,
      name,
      prize,
      chanceBps: end - start,
      startDeg: (start * 360) / CHANCE_DENOMINATOR,
      endDeg: (end * 360) / CHANCE_DENOMINATOR,
    });
  };
  for (const prize of prizes) add('prize', prize.name, prize, Math.max(prize.chance_bps, 0));
  const thanks = thanksChanceBps(prizes);
  if (thanks > 0) add('thanks', '', null, thanks);
  return sectors;
}

/**
 * The sector a draw stops on: the prize won (by name); for 谢谢参与 its sector, else (the prizes
 * take all 100 %, the draw fell on a prize with none left) the first prize with none left. Null
 * when none fits (the lottery changed meanwhile): the wheel then does not pretend.
 */
export function landingSector(
  sectors: readonly WheelSector[],
  draw: Pick<LotteryDraw, 'won' | 'prize'>,
): WheelSector | null {
  if (draw.won && draw.prize !== null) {
    const name = draw.prize.name;
    return sectors.find((sector) => sector.kind === 'prize' && sector.name === name) ?? null;
  }
  return (
    sectors.find((sector) => sector.kind === 'thanks') ??
    sectors.find((sector) => sector.prize !== null && !sector.prize.available) ??
    null
  );
}

/**
 * The wheel's next rotation (degrees, clockwise, growing) that stops the middle of `sector`
 * under the pointer at the top, after `turns` whole turns from `current`.
 */
export function spinRotation(current: number, sector: Pick<WheelSector, 'startDeg' | 'endDeg'>, turns = SPIN_TURNS): number {
  const middle = (sector.startDeg + sector.endDeg) / 2;
  const stop = (((360 - middle) % 360) + 360) % 360;
  const base = current - (((current % 360) + 360) % 360);
  return base + turns * 360 + stop;
}

/** The angle under the pointer for a rotation: where the wheel's top points, 0..360. */
export function angleUnderPointer(rotation: number): number {
  return (((-rotation % 360) + 360) % 360);
}

/** A point on the circle of `radius` around (c, c) at `deg` clockwise from the top. */
function point(c: number, radius: number, deg: number): [number, number] {
  const rad = (deg * Math.PI) / 180;
  return [c + radius * Math.sin(rad), c - radius * Math.cos(rad)];
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * The SVG path of a sector of the circle of `radius` around (c, c); a sector of the whole
 * circle is two half arcs (one arc cannot start and end on the same point).
 */
export function sectorPath(c: number, radius: number, startDeg: number, endDeg: number): string {
  if (endDeg - startDeg >= 360) {
    const [tx, ty] = point(c, radius, 0);
    const [bx, by] = point(c, radius, 180);
    return `M ${round(tx)} ${round(ty)} A ${radius} ${radius} 0 1 1 ${round(bx)} ${round(by)} A ${radius} ${radius} 0 1 1 ${round(tx)} ${round(ty)} Z`;
  }
  const [sx, sy] = point(c, radius, startDeg);
  const [ex, ey] = point(c, radius, endDeg);
  const large = endDeg - startDeg > 180 ? 1 : 0;
  return `M ${c} ${c} L ${round(sx)} ${round(sy)} A ${radius} ${radius} 0 ${large} 1 ${round(ex)} ${round(ey)} Z`;
}

/** A label short enough for a sector: at most `max` characters, else cut with "…". */
export function shortLabel(text: string, max = 6): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
