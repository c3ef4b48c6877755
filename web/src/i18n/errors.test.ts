import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { en, zh } from './dictionaries';
import { errorMessage, errorMessageKey } from './errors';

// Every error code of the API contract, generic and domain, plus the client's own.
const CONTRACT_CODES = [
  'BAD_REQUEST', 'MALFORMED_JSON', 'UNKNOWN_FIELD', 'FIELD_REQUIRED', 'FIELD_INVALID',
  'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND',
  'CONFLICT', 'IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_PROGRESS',
  'OVERLOADED', 'STORE_UNAVAILABLE', 'INTERNAL', 'INSUFFICIENT_FUNDS', 'LIMIT_EXCEEDED',
  'ACCOUNT_NOT_FOUND', 'DUPLICATE', 'OTP_TOO_FREQUENT', 'OTP_DAILY_LIMIT', 'OTP_INVALID',
  'OTP_EXPIRED', 'OTP_NOT_FOUND', 'OTP_TOO_MANY_TRIES', 'PHONE_TAKEN', 'WEAK_PASSWORD',
  'INVALID_CREDENTIALS', 'LOGIN_LOCKED', 'RESIDENT_ID_INVALID', 'REAL_NAME_INVALID',
  'IDENTITY_MISMATCH', 'IDENTITY_NOT_FOUND', 'IDENTITY_TAKEN', 'ALREADY_VERIFIED',
  'VERIFIER_UNAVAILABLE', 'IDENTITY_REQUIRED', 'CARD_INVALID', 'CARD_TAKEN', 'CARD_LIMIT',
  'CARD_NOT_FOUND', 'PAYEE_NOT_FOUND', 'SAME_ACCOUNT', 'BANK_DECLINED', 'BANK_UNAVAILABLE',
  'NETWORK_ERROR', 'BAD_RESPONSE', 'ACCOUNT_CLOSED',
  // Closing the account (409 while the wallet holds money or a pending hold).
  'BALANCE_NOT_ZERO',
  // Merchants and payments.
  'MERCHANT_NOT_FOUND', 'MERCHANT_NOT_ACTIVE', 'CREDIT_CODE_INVALID', 'USERNAME_TAKEN',
  'SIGNATURE_INVALID', 'NONCE_REPLAYED', 'TIMESTAMP_STALE', 'API_KEY_LIMIT', 'QR_INVALID',
  'QR_EXPIRED', 'ORDER_NOT_FOUND', 'ORDER_NOT_OPEN', 'ORDER_EXPIRED', 'ORDER_EXISTS',
  'AMOUNT_MISMATCH', 'PAYMENT_CODE_INVALID', 'PAYMENT_CODE_EXPIRED', 'PAYMENT_CODE_USED',
  'PAYMENT_NOT_FOUND', 'PAYMENT_NOT_COMPLETED', 'NOT_AWAITING_CONFIRMATION',
  'REFUND_EXCEEDS_PAYMENT', 'MERCHANT_INSUFFICIENT_FUNDS', 'DEVICE_NOT_REGISTERED',
  // Merchant-portal users.
  'MERCHANT_USER_NOT_FOUND', 'LAST_OWNER', 'CANNOT_DISABLE_SELF', 'USER_DISABLED',
  // Too many log-in, sign-up or code attempts.
  'RATE_LIMITED',
  // E-invoices.
  'INVOICE_NOT_FOUND', 'INVOICE_UNAVAILABLE',
];
const LIMITS = ['per_payment', 'daily', 'yearly', 'balance_cap'];

const error = (code: string, status = 400, limit?: string) =>
  new ApiError(status, code, 'server text', limit);

describe('error messages', () => {
  it('has a Chinese and an English text for every contract code and limit', () => {
    const keys = [
      ...CONTRACT_CODES.map((code) => `apiError.${code}`),
      ...LIMITS.map((limit) => `apiError.LIMIT_EXCEEDED.${limit}`),
    ];
    for (const key of keys) {
      expect(zh, key).toHaveProperty([key]);
      expect(en, key).toHaveProperty([key]);
      expect(en[key as keyof typeof zh], key).not.toBe(zh[key as keyof typeof zh]);
    }
  });

  it('maps a code to its own text in both languages', () => {
    expect(errorMessage('zh', error('INSUFFICIENT_FUNDS', 422))).toBe('余额不足');
    expect(errorMessage('en', error('INSUFFICIENT_FUNDS', 422))).toBe('Insufficient balance');
    expect(errorMessage('zh', error('PHONE_TAKEN', 409))).toBe('该手机号已注册');
    expect(errorMessage('en', error('OTP_INVALID'))).toBe('Wrong code');
  });

  it('names the limit of LIMIT_EXCEEDED', () => {
    expect(errorMessage('zh', error('LIMIT_EXCEEDED', 422, 'daily'))).toBe('超出日累计限额');
    expect(errorMessage('en', error('LIMIT_EXCEEDED', 422, 'balance_cap'))).toBe(
      "Over the wallet's balance cap",
    );
    expect(errorMessageKey(error('LIMIT_EXCEEDED', 422, 'per_payment')).key).toBe(
      'apiError.LIMIT_EXCEEDED.per_payment',
    );
    expect(errorMessageKey(error('LIMIT_EXCEEDED', 422, 'yearly')).key).toBe(
      'apiError.LIMIT_EXCEEDED.yearly',
    );
    // A limit this client does not know, or none: the general text.
    expect(errorMessage('zh', error('LIMIT_EXCEEDED', 422, 'weekly'))).toBe('超出限额');
    expect(errorMessage('en', error('LIMIT_EXCEEDED', 422))).toBe('Over the limit');
  });

  it('falls back to a generic text naming the code', () => {
    expect(errorMessage('zh', error('SOMETHING_NEW', 418))).toBe(
      '操作失败，请稍后重试（SOMETHING_NEW）',
    );
    expect(errorMessage('en', error('HTTP_502', 502))).toBe(
      'Something went wrong, please try again (HTTP_502)',
    );
    expect(errorMessage('en', new TypeError('x is undefined'))).toBe(
      'Something went wrong, please try again (CLIENT)',
    );
    // A code that looks like a key prefix must not pick another text.
    expect(errorMessageKey(error('generic')).key).toBe('apiError.generic');
    expect(errorMessageKey(error('constructor')).params).toEqual({ code: 'constructor' });
  });
});
