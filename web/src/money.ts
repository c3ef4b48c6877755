// Money in the web app, by the project rule: no floating point for money, ever.
//
// Amounts travel as integer fen (分, minor units), as the API sends them. Formatting works on the
// decimal digits of a BigInt and parsing builds the fen from the typed digits, so an amount
// never passes through a JS number division or a float multiplication (0.1 + 0.2 !== 0.3).

/** An amount as the API sends it: integer minor units plus a currency code. */
export interface Money {
  amount: number;
  currency: string;
}

/** The largest amount parseYuan accepts unless told otherwise: ¥100,000,000.00. */
export const DEFAULT_MAX_FEN = 10_000_000_000n;

/** Input longer than this is refused before any work is done on it. */
const MAX_INPUT_LENGTH = 32;

/** Integer fen as a BigInt, or a RangeError for anything that is not an exact integer. */
function toBigIntFen(fen: bigint | number | string): bigint {
  if (typeof fen === 'bigint') return fen;
  if (typeof fen === 'number') {
    if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer amount of fen: ${fen}`);
    return BigInt(fen);
  }
  if (!/^-?\d{1,30}$/.test(fen)) throw new RangeError(`not an integer amount of fen: ${fen}`);
  return BigInt(fen);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export interface FormatOptions {
  /** Prefix with the currency sign (default true). */
  symbol?: boolean;
  /** Separate thousands with commas (default true). */
  grouping?: boolean;
}

/**
 * Formats integer fen as yuan: 123456 → "¥1,234.56", -5 → "-¥0.05", 0 → "¥0.00".
 * Accepts a BigInt, a safe-integer number or a string of digits; throws RangeError otherwise.
 */
export function formatFen(fen: bigint | number | string, options: FormatOptions = {}): string {
  const value = toBigIntFen(fen);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(3, '0');
  const yuan = digits.slice(0, -2);
  const cents = digits.slice(-2);
  const grouped = options.grouping === false ? yuan : groupThousands(yuan);
  const sign = negative ? '-' : '';
  const symbol = options.symbol === false ? '' : '¥';
  return `${sign}${symbol}${grouped}.${cents}`;
}

/** Formats an API amount; only CNY is shown with "¥", others with their code after. */
export function formatMoney(money: Money): string {
  if (money.currency === 'CNY') return formatFen(money.amount);
  return `${formatFen(money.amount, { symbol: false })} ${money.currency}`;
}

export type ParseError = 'EMPTY' | 'INVALID' | 'TOO_MANY_DECIMALS' | 'NOT_POSITIVE' | 'TOO_LARGE';

export type ParseResult = { ok: true; fen: number } | { ok: false; error: ParseError };

export interface ParseOptions {
  /** The largest amount accepted, in fen (default DEFAULT_MAX_FEN). */
  maxFen?: bigint;
  /** Accept 0 (default false: amounts that move money are positive). */
  allowZero?: boolean;
}

/** Full-width digits and the full-width point, as a Chinese IME may type them. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF0E]/g, (c) =>
    c === '\uFF0E' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/**
 * Parses what a user typed as yuan into integer fen: "12.3" → 1230, "0.05" → 5, "1,000" →
 * 100000. At most two decimals; no sign, exponent, or other characters; an optional leading "¥".
 */
export function parseYuan(input: string, options: ParseOptions = {}): ParseResult {
  if (input.length > MAX_INPUT_LENGTH) return { ok: false, error: 'TOO_LARGE' };
  let text = toHalfWidth(input.trim());
  if (text.startsWith('¥') || text.startsWith('￥')) text = text.slice(1).trim();
  if (text === '') return { ok: false, error: 'EMPTY' };
  if (text.startsWith('-')) return { ok: false, error: 'NOT_POSITIVE' };
  // Thousands separators must be well placed: "1,000.5" yes, "1,00" no.
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return { ok: false, error: 'INVALID' };
  const whole = (match[1] ?? '').replaceAll(',', '');
  const fraction = match[2] ?? '';
  if (fraction.length > 2) return { ok: false, error: 'TOO_MANY_DECIMALS' };
  const fen = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  const maxFen = options.maxFen ?? DEFAULT_MAX_FEN;
  if (fen > maxFen || fen > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { ok: false, error: 'TOO_LARGE' };
  }
  if (fen === 0n && !options.allowZero) return { ok: false, error: 'NOT_POSITIVE' };
  return { ok: true, fen: Number(fen) };
}
