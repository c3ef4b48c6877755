import { describe, expect, it } from 'vitest';

import { ApiClient } from './client';
import { SessionStore, type SessionStorageLike } from './session';

function memoryStorage(): SessionStorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

describe('SessionStore', () => {
  it('keeps customer and staff sessions under their own keys', () => {
    const storage = memoryStorage();
    const customer = new SessionStore(() => storage, 'c.token');
    const staff = new SessionStore(() => storage, 's.token', 's.profile');
    customer.start('customer-token');
    staff.start('staff-token', { username: 'ops', roles: ['admin'] });
    expect(customer.token()).toBe('customer-token');
    expect(staff.token()).toBe('staff-token');
    expect(staff.profile()).toEqual({ username: 'ops', roles: ['admin'] });
    customer.clear();
    expect(customer.token()).toBeNull();
    expect(staff.token()).toBe('staff-token');
    staff.clear();
    expect(storage.data.size).toBe(0);
  });

  it('keeps the rotated token and the profile, telling no one', () => {
    const storage = memoryStorage();
    const staff = new SessionStore(() => storage, 's.token', 's.profile');
    let expired = 0;
    staff.onExpire(() => ++expired);
    staff.start('first', { username: 'ops' });
    staff.rotate('second');
    expect(staff.token()).toBe('second');
    expect(staff.profile()).toEqual({ username: 'ops' });
    expect(expired).toBe(0);
  });

  it('tells listeners when the session expires, until they unsubscribe', () => {
    const store = new SessionStore(memoryStorage, 't');
    let calls = 0;
    const unsubscribe = store.onExpire(() => ++calls);
    store.clear();
    expect(calls).toBe(0);
    store.expire();
    expect(calls).toBe(1);
    unsubscribe();
    store.expire();
    expect(calls).toBe(1);
  });

  it('survives a storage that throws or is missing', () => {
    const broken: SessionStorageLike = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const store = new SessionStore(() => broken, 't', 'p');
    expect(() => store.start('x', {})).not.toThrow();
    expect(store.token()).toBeNull();
    expect(store.profile()).toBeNull();
    expect(() => store.expire()).not.toThrow();
    expect(new SessionStore(() => undefined, 't').token()).toBeNull();
  });

  it('ends the session on a 401 of an authenticated call, not of a log-in', async () => {
    const storage = memoryStorage();
    const store = new SessionStore(() => storage, 't');
    let expired = 0;
    store.onExpire(() => ++expired);
    const client = new ApiClient({
      getToken: () => store.token(),
      onUnauthorized: () => store.expire(),
      fetch: async () =>
        new Response('{"error":{"code":"UNAUTHORIZED","message":"expired"}}', { status: 401 }),
    });
    await expect(client.post('/api/v1/sessions', {})).rejects.toMatchObject({ status: 401 });
    expect(expired).toBe(0);
    store.start('tok');
    await expect(client.get('/api/v1/me')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(expired).toBe(1);
    expect(store.token()).toBeNull();
  });
});
