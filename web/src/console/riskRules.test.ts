import { describe, expect, it } from 'vitest';

import { hitsLabel, shadowStricter, verdictChange } from './riskRules';

describe('hitsLabel', () => {
  it('shows the hits and their share of the evaluated events, to a tenth of a percent', () => {
    expect(hitsLabel(12, 350)).toBe('12 (3.4%)');
    expect(hitsLabel(1, 3)).toBe('1 (33.3%)');
    expect(hitsLabel(5, 5)).toBe('5 (100.0%)');
    expect(hitsLabel(1, 20_000)).toBe('1 (<0.1%)');
  });
  it('shows a bare count without a share to compute, and a dash without counters', () => {
    expect(hitsLabel(0, 100)).toBe('0');
    expect(hitsLabel(4, 0)).toBe('4');
    expect(hitsLabel(4, undefined)).toBe('4');
    expect(hitsLabel(undefined, 100)).toBe('—');
  });
});

describe('the shadow log verdicts', () => {
  it('orders verdicts allow < challenge < review < deny', () => {
    expect(shadowStricter('review', 'deny')).toBe(true);
    expect(shadowStricter('allow', 'challenge')).toBe(true);
    expect(shadowStricter('deny', 'allow')).toBe(false);
    expect(shadowStricter('review', 'challenge')).toBe(false);
  });
  it('names the change', () => {
    expect(verdictChange('review', 'deny', (v) => v.toUpperCase())).toBe('REVIEW → DENY');
  });
});
