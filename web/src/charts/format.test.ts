import { describe, expect, it } from 'vitest';

import { chinaDate, fenAxisLabel, formatChangeBp, monthLabel, shortDate } from './format';

describe('chart formatting', () => {
  it('shows basis points as a percentage from the digits', () => {
    expect(formatChangeBp(40_000)).toEqual({ direction: 'up', text: '400.00%' });
    expect(formatChangeBp(-1_250)).toEqual({ direction: 'down', text: '12.50%' });
    expect(formatChangeBp(5)).toEqual({ direction: 'up', text: '0.05%' });
    expect(formatChangeBp(0)).toEqual({ direction: 'flat', text: '0.00%' });
    expect(formatChangeBp(-10_000)).toEqual({ direction: 'down', text: '100.00%' });
    expect(() => formatChangeBp(1.5)).toThrow(RangeError);
  });

  it('labels fen axes with the money formatter only on whole fen', () => {
    expect(fenAxisLabel(150_000)).toBe('¥1,500.00');
    expect(fenAxisLabel(0)).toBe('¥0.00');
    expect(fenAxisLabel(0.5)).toBe('');
  });

  it('names months and days briefly', () => {
    expect(monthLabel('2026-11', 'zh')).toBe('11月');
    expect(monthLabel('2026-01', 'en')).toBe('Jan');
    expect(monthLabel('soon', 'en')).toBe('soon');
    expect(shortDate('2026-11-23')).toBe('11-23');
  });

  it('counts dates in China time', () => {
    expect(chinaDate(new Date('2026-11-22T16:30:00Z'))).toBe('2026-11-23');
    expect(chinaDate(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(chinaDate(new Date('2026-03-01T04:00:00Z'), 1)).toBe('2026-02-28');
  });
});
