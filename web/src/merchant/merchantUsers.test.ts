import { describe, expect, it } from 'vitest';

import type { MerchantPortalUser } from '../api/types';
import { isStrongEnough, isValidUsername, statusAction } from './merchantUsers';

const user = (id: string, role: 'owner' | 'cashier', status: 'active' | 'disabled') =>
  ({
    id,
    username: `u${id}`,
    display_name: '',
    role,
    status,
    created_at: '2026-11-23T00:00:00Z',
  }) satisfies MerchantPortalUser;

describe('merchant users', () => {
  it('checks usernames as the server does', () => {
    expect(isValidUsername('till-1')).toBe(true);
    expect(isValidUsername('Till.2')).toBe(true); // Lower-cased by the server.
    expect(isValidUsername('ab')).toBe(false);
    expect(isValidUsername('1till')).toBe(false);
    expect(isValidUsername('till 1')).toBe(false);
    expect(isValidUsername('收银员')).toBe(false);
    expect(isValidUsername('a'.repeat(33))).toBe(false);
  });

  it('wants letters and digits, 8 to 64 characters', () => {
    expect(isStrongEnough('till-pass-1')).toBe(true);
    expect(isStrongEnough('short1')).toBe(false);
    expect(isStrongEnough('onlyletters')).toBe(false);
    expect(isStrongEnough('12345678')).toBe(false);
    expect(isStrongEnough(`a1${'x'.repeat(63)}`)).toBe(false);
  });

  it('offers disabling others, never oneself, and enabling the disabled', () => {
    expect(statusAction(user('2', 'cashier', 'active'), '1')).toBe('disable');
    expect(statusAction(user('3', 'owner', 'active'), '1')).toBe('disable');
    expect(statusAction(user('1', 'owner', 'active'), '1')).toBeNull();
    expect(statusAction(user('2', 'cashier', 'disabled'), '1')).toBe('enable');
  });
});
