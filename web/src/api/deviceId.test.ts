import { describe, expect, it } from 'vitest';

import { deviceIdFrom } from './deviceId';

function memoryStore() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
  };
}

describe('deviceIdFrom', () => {
  it('makes an id once and keeps it', () => {
    const store = memoryStore();
    let made = 0;
    const make = () => `id-${++made}`;
    expect(deviceIdFrom(store, make)).toBe('id-1');
    expect(deviceIdFrom(store, make)).toBe('id-1');
    expect(made).toBe(1);
  });

  it('replaces a stored value the server would not accept', () => {
    const store = memoryStore();
    store.setItem('qianbao.deviceId', 'has spaces');
    expect(deviceIdFrom(store, () => 'fresh')).toBe('fresh');
  });

  it('answers null without storage or when storage throws', () => {
    expect(deviceIdFrom(null, () => 'x')).toBeNull();
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {},
    };
    expect(deviceIdFrom(broken, () => 'x')).toBeNull();
  });
});
