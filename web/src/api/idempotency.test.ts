import { describe, expect, it } from 'vitest';

import { ApiError } from './client';
import { ActionKey, isRetryableWithSameKey } from './idempotency';

function counterKeys() {
  let next = 0;
  return () => `key-${++next}`;
}

describe('one Idempotency-Key per user action', () => {
  it('reuses the key for a retry of the same body after an unclear failure', () => {
    const action = new ActionKey(counterKeys());
    const body = { card_id: '3', amount: 1000, currency: 'CNY' };
    expect(action.keyFor(body)).toBe('key-1');
    action.settle(new ApiError(0, 'NETWORK_ERROR', 'offline'));
    expect(action.keyFor({ ...body })).toBe('key-1');
    action.settle(new ApiError(503, 'OVERLOADED', 'busy'));
    expect(action.keyFor(body)).toBe('key-1');
    action.settle(new ApiError(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', 'wait'));
    expect(action.keyFor(body)).toBe('key-1');
  });

  it('makes a new key when the body changes', () => {
    const action = new ActionKey(counterKeys());
    expect(action.keyFor({ amount: 1000 })).toBe('key-1');
    action.settle(new ApiError(0, 'NETWORK_ERROR', 'offline'));
    expect(action.keyFor({ amount: 2000 })).toBe('key-2');
  });

  it('makes a new key after success or a definite error', () => {
    const action = new ActionKey(counterKeys());
    const body = { amount: 1000 };
    expect(action.keyFor(body)).toBe('key-1');
    action.settle();
    expect(action.keyFor(body)).toBe('key-2');
    action.settle(new ApiError(422, 'INSUFFICIENT_FUNDS', 'no'));
    expect(action.keyFor(body)).toBe('key-3');
    action.settle(new TypeError('bug'));
    expect(action.keyFor(body)).toBe('key-4');
  });

  it('classifies errors', () => {
    expect(isRetryableWithSameKey(new ApiError(500, 'INTERNAL', ''))).toBe(true);
    expect(isRetryableWithSameKey(new ApiError(402, 'BANK_DECLINED', ''))).toBe(false);
    expect(isRetryableWithSameKey(new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', ''))).toBe(false);
    expect(isRetryableWithSameKey(new ApiError(401, 'UNAUTHORIZED', ''))).toBe(false);
    expect(isRetryableWithSameKey('string')).toBe(false);
  });
});
