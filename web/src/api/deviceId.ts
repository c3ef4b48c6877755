// The id this browser names itself by in X-Device-Id, for the new-device rule of PBoC No. 43
// (no large payment from a new phone for 24 hours without a second factor). A random UUID kept
// in localStorage, so it outlives log-ins on this browser and nothing else. The server stores
// only a keyed hash of it.

const DEVICE_ID_KEY = 'qianbao.deviceId';

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The stored id, made on first use; null where storage is unavailable. */
export function deviceIdFrom(store: KeyValueStore | null, makeId: () => string): string | null {
  if (store === null) return null;
  try {
    const stored = store.getItem(DEVICE_ID_KEY);
    if (stored !== null && /^[A-Za-z0-9_-]{1,64}$/.test(stored)) return stored;
    const made = makeId();
    store.setItem(DEVICE_ID_KEY, made);
    return made;
  } catch {
    return null; // Storage refused (private mode): the server sees no device id.
  }
}

export function browserDeviceId(): string | null {
  const store = typeof window === 'undefined' ? null : window.localStorage;
  return deviceIdFrom(store, () => crypto.randomUUID());
}
