import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { errorMessageKey } from './errors';
import { pinEn, pinZh } from './pinMessages';

describe('payment PIN messages', () => {
  it('has an English text for every Chinese key', () => {
    expect(Object.keys(pinEn).sort()).toEqual(Object.keys(pinZh).sort());
  });

  it('names every PIN error code the API answers', () => {
    for (const code of ['PIN_REQUIRED', 'PIN_WRONG', 'PIN_LOCKED', 'PIN_TOO_WEAK', 'PIN_NOT_SET']) {
      expect(errorMessageKey(new ApiError(403, code, 'm')).key).toBe(`apiError.${code}`);
    }
  });

  it('keeps the tries left and the unlock time of a PIN refusal', () => {
    const wrong = new ApiError(403, 'PIN_WRONG', 'm', undefined, { triesLeft: 4 });
    expect(wrong.triesLeft).toBe(4);
    const locked = new ApiError(423, 'PIN_LOCKED', 'm', undefined, {
      lockedUntil: '2026-11-23T10:00:00Z',
    });
    expect(locked.lockedUntil).toBe('2026-11-23T10:00:00Z');
    expect(locked.triesLeft).toBeUndefined();
  });
});
