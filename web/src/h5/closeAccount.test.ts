import { describe, expect, it } from 'vitest';

import {
  CONFIRMATION_WORDS,
  accountClosedAt,
  canConfirmClosure,
  closureBlocker,
  closureRequest,
  confirmationMatches,
  walletIsEmpty,
  type ClosureContext,
  type ClosureForm,
} from './closeAccount';

const EMPTY = { balance: 0, pending_in: 0, pending_out: 0 };
const READY_ZH: ClosureForm = { smsCode: '123456', paymentPin: '', confirmation: '注销' };
const NO_PIN_ZH: ClosureContext = { balance: EMPTY, pinRequired: false, language: 'zh' };

describe('walletIsEmpty', () => {
  it('is empty only with nothing posted and nothing pending either way', () => {
    expect(walletIsEmpty(EMPTY)).toBe(true);
    expect(walletIsEmpty({ ...EMPTY, balance: 1 })).toBe(false);
    // A held payment keeps the posted balance but leaves money pending out.
    expect(walletIsEmpty({ ...EMPTY, pending_out: 150_000 })).toBe(false);
    expect(walletIsEmpty({ ...EMPTY, pending_in: 100 })).toBe(false);
    // A negative balance is not zero either (it should never happen, and must not close).
    expect(walletIsEmpty({ ...EMPTY, balance: -1 })).toBe(false);
  });
});

describe('confirmationMatches', () => {
  it('wants the word of the language, exactly but for surrounding spaces', () => {
    expect(confirmationMatches('注销', 'zh')).toBe(true);
    expect(confirmationMatches(' 注销 ', 'zh')).toBe(true);
    expect(confirmationMatches('CLOSE', 'en')).toBe(true);
    expect(confirmationMatches('CLOSE ', 'en')).toBe(true);
    expect(confirmationMatches('close', 'en')).toBe(false);
    expect(confirmationMatches('CLOSE', 'zh')).toBe(false);
    expect(confirmationMatches('注销', 'en')).toBe(false);
    expect(confirmationMatches('注 销', 'zh')).toBe(false);
    expect(confirmationMatches('', 'zh')).toBe(false);
    expect(CONFIRMATION_WORDS).toEqual({ zh: '注销', en: 'CLOSE' });
  });
});

describe('closureBlocker', () => {
  it('lets a complete form through', () => {
    expect(closureBlocker(READY_ZH, NO_PIN_ZH)).toBeNull();
    expect(canConfirmClosure(READY_ZH, NO_PIN_ZH)).toBe(true);
    const en = { ...NO_PIN_ZH, language: 'en' as const };
    expect(canConfirmClosure({ ...READY_ZH, confirmation: 'CLOSE' }, en)).toBe(true);
  });

  it('waits for the balance, and refuses a wallet that is not empty whatever is typed', () => {
    expect(closureBlocker(READY_ZH, { ...NO_PIN_ZH, balance: null })).toBe('loading');
    expect(closureBlocker(READY_ZH, { ...NO_PIN_ZH, balance: { ...EMPTY, balance: 10_000 } })).toBe(
      'balance',
    );
    expect(canConfirmClosure(READY_ZH, { ...NO_PIN_ZH, balance: { ...EMPTY, pending_out: 1 } })).toBe(
      false,
    );
  });

  it('needs a six-digit code', () => {
    for (const smsCode of ['', '12345', '1234567', '12345a', ' 123456', '１２３４５６']) {
      expect(closureBlocker({ ...READY_ZH, smsCode }, NO_PIN_ZH), smsCode).toBe('code');
    }
  });

  it('needs a six-digit PIN only once one is set', () => {
    const withPin = { ...NO_PIN_ZH, pinRequired: true };
    expect(closureBlocker(READY_ZH, withPin)).toBe('pin');
    expect(closureBlocker({ ...READY_ZH, paymentPin: '12345' }, withPin)).toBe('pin');
    expect(closureBlocker({ ...READY_ZH, paymentPin: '258147' }, withPin)).toBeNull();
    // Without a PIN set, whatever is in the (hidden) field does not matter.
    expect(closureBlocker({ ...READY_ZH, paymentPin: 'x' }, NO_PIN_ZH)).toBeNull();
  });

  it('needs the exact confirmation word, checked last', () => {
    expect(closureBlocker({ ...READY_ZH, confirmation: '' }, NO_PIN_ZH)).toBe('confirmation');
    expect(closureBlocker({ ...READY_ZH, confirmation: '注' }, NO_PIN_ZH)).toBe('confirmation');
    expect(closureBlocker({ ...READY_ZH, confirmation: '注销' }, { ...NO_PIN_ZH, language: 'en' })).toBe(
      'confirmation',
    );
    // The earlier blockers win: the customer meets them first on the page.
    expect(closureBlocker({ smsCode: '', paymentPin: '', confirmation: '' }, { ...NO_PIN_ZH, pinRequired: true })).toBe(
      'code',
    );
  });
});

describe('closureRequest', () => {
  it('sends the PIN only when one is set', () => {
    const form = { smsCode: '123456', paymentPin: '258147', confirmation: '注销' };
    expect(closureRequest(form, true)).toEqual({ smsCode: '123456', paymentPin: '258147' });
    expect(closureRequest(form, false)).toEqual({ smsCode: '123456' });
  });
});

describe('accountClosedAt', () => {
  it('reads the closing time the security page hands to the log-in page', () => {
    expect(accountClosedAt({ accountClosedAt: '2026-11-23T10:00:00Z' })).toBe('2026-11-23T10:00:00Z');
    expect(accountClosedAt(null)).toBeNull();
    expect(accountClosedAt(undefined)).toBeNull();
    expect(accountClosedAt('2026-11-23T10:00:00Z')).toBeNull();
    expect(accountClosedAt({ accountClosedAt: 5 })).toBeNull();
    expect(accountClosedAt({ accountClosedAt: '' })).toBeNull();
    expect(accountClosedAt({ other: 'x' })).toBeNull();
  });
});
