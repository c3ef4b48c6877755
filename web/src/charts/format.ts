// Numbers around the charts, without floating point where money or a shown ratio is concerned.
import { formatFen } from '../money';

export type ChangeDirection = 'up' | 'down' | 'flat';

/**
 * A change in basis points as a percentage with two decimals, from the digits (integer math):
 * 40000 → { up, "400.00%" }, -1250 → { down, "12.50%" }, 5 → { up, "0.05%" }.
 */
export function formatChangeBp(changeBp: number): { direction: ChangeDirection; text: string } {
  if (!Number.isSafeInteger(changeBp)) throw new RangeError(`not basis points: ${changeBp}`);
  const direction: ChangeDirection = changeBp > 0 ? 'up' : changeBp < 0 ? 'down' : 'flat';
  const digits = String(Math.abs(changeBp)).padStart(3, '0');
  return { direction, text: `${digits.slice(0, -2)}.${digits.slice(-2)}%` };
}

/**
 * An axis tick of a fen axis. ECharts picks "nice" tick values, which are whole fen for any
 * range worth drawing; a fractional tick (a range of a few fen) gets no label rather than a
 * rounded amount.
 */
export function fenAxisLabel(value: number): string {
  return Number.isSafeInteger(value) ? formatFen(value, { grouping: true }) : '';
}

const MONTH_NAMES = [
  'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec',
];

/** "2026-11" → "11月" / "Nov"; anything else as it is. */
export function monthLabel(month: string, language: 'zh' | 'en'): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const index = Number(match[2]);
  if (language === 'zh') return `${index}月`;
  return MONTH_NAMES[index - 1] ?? month;
}

/** "2026-11-23" → "11-23": a period's start as a short axis label. */
export function shortDate(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date.slice(5) : date;
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 86_400_000;

/** The China-time date "YYYY-MM-DD" of `now` minus `daysBack` days. */
export function chinaDate(now: Date, daysBack = 0): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS - daysBack * DAY_MS).toISOString().slice(0, 10);
}
