import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { CONFIRMATION_WORDS } from '../h5/closeAccount';
import { closeAccountEn, closeAccountZh } from './closeAccountMessages';
import { errorMessage, errorMessageKey } from './errors';
import { translate } from './translate';

describe('account closure messages', () => {
  it('has an English text for every Chinese key', () => {
    expect(Object.keys(closeAccountEn).sort()).toEqual(Object.keys(closeAccountZh).sort());
  });

  it('names BALANCE_NOT_ZERO and the codes a closure reuses', () => {
    for (const code of ['BALANCE_NOT_ZERO', 'OTP_INVALID', 'OTP_EXPIRED', 'PIN_REQUIRED', 'PIN_WRONG', 'PIN_LOCKED']) {
      expect(errorMessageKey(new ApiError(409, code, 'm')).key).toBe(`apiError.${code}`);
    }
    expect(errorMessage('en', new ApiError(409, 'BALANCE_NOT_ZERO', 'm'))).toMatch(/withdraw/);
    expect(errorMessage('zh', new ApiError(409, 'BALANCE_NOT_ZERO', 'm'))).toMatch(/提现/);
  });

  it('asks for the confirmation word of each language', () => {
    for (const language of ['zh', 'en'] as const) {
      const word = CONFIRMATION_WORDS[language];
      expect(translate(language, 'closeAccount.confirmation', { word })).toContain(word);
      expect(translate(language, 'closeAccount.needConfirmation', { word })).toContain(word);
    }
  });
});
