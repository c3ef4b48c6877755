import { describe, expect, it } from 'vitest';

import { timeLeft } from './RiskReviewsPage';

describe('timeLeft', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it('shows hours and minutes, or minutes and seconds', () => {
    expect(timeLeft('2026-11-24T09:05:30Z', now)).toBe('23h 05m');
    expect(timeLeft('2026-11-23T10:04:09Z', now)).toBe('4m 09s');
  });
  it('is null once the hold expired', () => {
    expect(timeLeft('2026-11-23T10:00:00Z', now)).toBeNull();
    expect(timeLeft('not a time', now)).toBeNull();
  });
});
