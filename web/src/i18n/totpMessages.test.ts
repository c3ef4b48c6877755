import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { secondFactorOf } from '../api/totp';
import { errorMessageKey } from './errors';
import { totpEn, totpZh } from './totpMessages';

describe('two-step log-in messages', () => {
  it('has an English text for every Chinese key', () => {
    expect(Object.keys(totpEn).sort()).toEqual(Object.keys(totpZh).sort());
  });

  it('names every TOTP error code the API answers', () => {
    for (const code of [
      'TOTP_REQUIRED',
      'TOTP_INVALID',
      'TOTP_LOCKED',
      'TOTP_NOT_ENABLED',
      'TOTP_ALREADY_ENABLED',
      'TOTP_NOT_PENDING',
    ]) {
      expect(errorMessageKey(new ApiError(403, code, 'm')).key).toBe(`apiError.${code}`);
    }
  });

  it('tells a code from a recovery code', () => {
    expect(secondFactorOf(' 123456 ')).toEqual({ totp_code: '123456' });
    expect(secondFactorOf('ABCDE-FGHJK')).toEqual({ recovery_code: 'ABCDE-FGHJK' });
  });
});
