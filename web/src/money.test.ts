import { describe, expect, it } from 'vitest';

import { DEFAULT_MAX_FEN, formatFen, formatMoney, parseYuan } from './money';

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [5, '¥0.05'],
    [10, '¥0.10'],
    [99, '¥0.99'],
    [100, '¥1.00'],
    [101, '¥1.01'],
    [1230, '¥12.30'],
    [99999, '¥999.99'],
    [100000, '¥1,000.00'],
    [123456, '¥1,234.56'],
    [12345678, '¥123,456.78'],
    [100000000, '¥1,000,000.00'],
    [-5, '-¥0.05'],
    [-100, '-¥1.00'],
    [-123456, '-¥1,234.56'],
    [Number.MAX_SAFE_INTEGER, '¥90,071,992,547,409.91'],
  ])('formats %s fen as %s', (fen, expected) => {
    expect(formatFen(fen)).toBe(expected);
  });

  it('formats BigInt and digit strings beyond the safe-integer range exactly', () => {
    expect(formatFen(9223372036854775807n)).toBe('¥92,233,720,368,547,758.07');
    expect(formatFen(-9223372036854775808n)).toBe('-¥92,233,720,368,547,758.08');
    expect(formatFen('123456')).toBe('¥1,234.56');
    expect(formatFen('-7')).toBe('-¥0.07');
  });

  it('can leave out the symbol and the grouping', () => {
    expect(formatFen(123456, { symbol: false })).toBe('1,234.56');
    expect(formatFen(123456, { grouping: false })).toBe('¥1234.56');
    expect(formatFen(-123456, { symbol: false, grouping: false })).toBe('-1234.56');
  });

  it.each([[1.5], [0.1], [Number.NaN], [Infinity], [Number.MAX_SAFE_INTEGER + 1]])(
    'refuses the non-integer or unsafe number %s',
    (fen) => {
      expect(() => formatFen(fen)).toThrow(RangeError);
    },
  );

  it.each([[''], ['1.5'], ['abc'], ['1e5'], ['--1'], [' 1']])('refuses the string %j', (fen) => {
    expect(() => formatFen(fen)).toThrow(RangeError);
  });

  it('formats API money by currency', () => {
    expect(formatMoney({ amount: 9500, currency: 'CNY' })).toBe('¥95.00');
    expect(formatMoney({ amount: 1200, currency: 'PTS' })).toBe('12.00 PTS');
  });
});

describe('parseYuan', () => {
  it.each([
    ['1', 100],
    ['12.3', 1230],
    ['12.30', 1230],
    ['0.05', 5],
    ['0.5', 50],
    ['0.01', 1],
    ['007', 700],
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1,000,000', 100000000],
    ['  42  ', 4200],
    ['¥8.88', 888],
    ['￥ 8.8', 880],
    ['１２．３', 1230],
    ['0.10', 10],
    ['100000000', 10000000000],
  ])('parses %j as %d fen', (input, fen) => {
    expect(parseYuan(input)).toEqual({ ok: true, fen });
  });

  it('is exact where floats are not', () => {
    // 0.29 * 100 is 28.999999999999996 and 1.005 * 100 is 100.49999999999999 in floating point.
    expect(parseYuan('0.29')).toEqual({ ok: true, fen: 29 });
    expect(parseYuan('1.15')).toEqual({ ok: true, fen: 115 });
    expect(parseYuan('4.35')).toEqual({ ok: true, fen: 435 });
    expect(parseYuan('9007199254.99', { maxFen: 2n ** 53n })).toEqual({
      ok: true,
      fen: 900719925499,
    });
  });

  it.each([[''], ['   '], ['¥']])('reports %j as empty', (input) => {
    expect(parseYuan(input)).toEqual({ ok: false, error: 'EMPTY' });
  });

  it.each([
    ['abc'],
    ['1.2.3'],
    ['12.'],
    ['.5'],
    ['1e3'],
    ['0x10'],
    ['+5'],
    ['1 000'],
    ['1,00'],
    ['12,34.5'],
    [',100'],
    ['NaN'],
    ['Infinity'],
    ['5元'],
    ['1_000'],
  ])('refuses the garbage %j', (input) => {
    expect(parseYuan(input)).toEqual({ ok: false, error: 'INVALID' });
  });

  it.each([['1.234'], ['0.001'], ['12.300']])('refuses more than two decimals in %j', (input) => {
    expect(parseYuan(input)).toEqual({ ok: false, error: 'TOO_MANY_DECIMALS' });
  });

  it.each([['-1'], ['-0.01'], ['0'], ['0.00'], ['-0']])('refuses the non-positive %j', (input) => {
    expect(parseYuan(input)).toEqual({ ok: false, error: 'NOT_POSITIVE' });
  });

  it('accepts zero when told to', () => {
    expect(parseYuan('0', { allowZero: true })).toEqual({ ok: true, fen: 0 });
  });

  it('refuses amounts above the limit', () => {
    expect(parseYuan('100000000.01')).toEqual({ ok: false, error: 'TOO_LARGE' });
    expect(parseYuan('99999999999999999999')).toEqual({ ok: false, error: 'TOO_LARGE' });
    expect(parseYuan('1'.repeat(40))).toEqual({ ok: false, error: 'TOO_LARGE' });
    expect(parseYuan('500.01', { maxFen: 50000n })).toEqual({ ok: false, error: 'TOO_LARGE' });
    expect(parseYuan('500', { maxFen: 50000n })).toEqual({ ok: true, fen: 50000 });
    expect(parseYuan('100000000')).toEqual({ ok: true, fen: Number(DEFAULT_MAX_FEN) });
  });

  it('round-trips with formatFen', () => {
    for (const fen of [1, 9, 10, 99, 100, 12345, 100000, 987654321]) {
      const parsed = parseYuan(formatFen(fen));
      expect(parsed).toEqual({ ok: true, fen });
    }
  });
});
