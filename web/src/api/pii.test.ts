import { describe, expect, it } from 'vitest';

import { isRevealReason } from './pii';

describe('isRevealReason', () => {
  it('accepts 5 to 200 characters, counted as characters and trimmed', () => {
    expect(isRevealReason('ticket 42')).toBe(true);
    expect(isRevealReason('客户来电核')).toBe(true);
    expect(isRevealReason('客户来电')).toBe(false);
    expect(isRevealReason('   abc   ')).toBe(false);
    expect(isRevealReason('x'.repeat(200))).toBe(true);
    expect(isRevealReason('x'.repeat(201))).toBe(false);
  });
});
