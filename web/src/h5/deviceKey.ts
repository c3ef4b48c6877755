// The browser's device key: an Ed25519 key pair made by WebCrypto with a non-extractable private
// key, kept in IndexedDB (a CryptoKey survives structured cloning, its private bytes never reach
// script), one per phone number that bound it here. The raw 32-byte public key is exported for
// registration; signChallenge signs the exact bytes of a server challenge.
//
// What this protects and what it does not is in docs/SECURITY.md ("Device keys in the browser"):
// a script cannot copy the key out, but anything running as this browser profile can use it,
// and there is no biometric gate. Where the browser offers WebAuthn, the security page binds a
// WebAuthn credential instead (webauthnKey.ts); its record here holds only the credential id.

const DB_NAME = 'qianbao-device-keys';
const DB_VERSION = 1;
const STORE = 'keys';

/** One bound key of this browser. */
export interface StoredDeviceKey {
  /** The phone (11 digits) of the customer who bound it; the store's key. */
  phone: string;
  /** The server's device id, once registered. */
  deviceId: string;
  /** base64url (no padding) of the raw 32-byte public key; '' for a WebAuthn credential. */
  publicKey: string;
  /** The browser key (absent for a WebAuthn credential, whose key the authenticator holds). */
  keyPair?: CryptoKeyPair;
  boundAt: string;
  /** 'webauthn' for a WebAuthn credential; absent (older records too) for the browser key. */
  kind?: 'webauthn';
  /** WebAuthn: base64url of the credential id, and the rp id it was made for. */
  credentialId?: string;
  rpId?: string;
}

/** base64url without padding, as the server writes keys and signatures. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('IndexedDB is not available'));
      return;
    }
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) {
        request.result.createObjectStore(STORE, { keyPath: 'phone' });
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
  });
}

async function withStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = run(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB aborted'));
    });
  } finally {
    db.close();
  }
}

/** Whether this browser can make Ed25519 keys with WebCrypto and keep them in IndexedDB. */
export async function deviceKeysSupported(): Promise<boolean> {
  if (typeof crypto === 'undefined' || crypto.subtle === undefined || typeof indexedDB === 'undefined') {
    return false;
  }
  try {
    await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    return true;
  } catch {
    return false;
  }
}

/** A new key pair whose private key cannot be exported, and its raw public key (base64url). */
export async function createDeviceKeyPair(): Promise<{ keyPair: CryptoKeyPair; publicKey: string }> {
  const keyPair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  // The public half of a pair is always exportable, whatever `extractable` says.
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', keyPair.publicKey));
  return { keyPair, publicKey: toBase64Url(raw) };
}

export function saveDeviceKey(key: StoredDeviceKey): Promise<IDBValidKey> {
  return withStore('readwrite', (store) => store.put(key));
}

/** The key bound here for `phone`, or, without a phone, the most recently bound one. */
export async function loadDeviceKey(phone?: string): Promise<StoredDeviceKey | null> {
  try {
    if (phone !== undefined) {
      const found = await withStore<StoredDeviceKey | undefined>('readonly', (store) => store.get(phone));
      return found ?? null;
    }
    const all = await withStore<StoredDeviceKey[]>('readonly', (store) => store.getAll());
    all.sort((a, b) => b.boundAt.localeCompare(a.boundAt));
    return all[0] ?? null;
  } catch {
    return null;
  }
}

export async function forgetDeviceKey(phone: string): Promise<void> {
  await withStore('readwrite', (store) => store.delete(phone));
}

/**
 * Signs a challenge's exact bytes (the server's `message`, decoded) with this browser's key for
 * `phone` (by default the most recently bound one); the signature as base64url. Throws when no
 * key is stored here.
 */
export async function signChallenge(message: Uint8Array, phone?: string): Promise<string> {
  const key = await loadDeviceKey(phone);
  if (key === null || key.keyPair === undefined) throw new Error('no device key is stored in this browser');
  const signature = await crypto.subtle.sign({ name: 'Ed25519' }, key.keyPair.privateKey, message as BufferSource);
  return toBase64Url(new Uint8Array(signature));
}

/** Signs a server challenge given as its base64url `message`. */
export function signChallengeMessage(messageBase64Url: string, phone?: string): Promise<string> {
  return signChallenge(fromBase64Url(messageBase64Url), phone);
}
