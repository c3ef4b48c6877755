// Where the session tokens live: sessionStorage, one key each for the customer, staff and the
// merchant portal, so sessions of different kinds in one browser never see each other's token.
// A 401 from the API ends the session: the token is dropped and the listeners (the apps, which
// return to their log-in page) are told.
import { ApiClient } from './client';
import { browserDeviceId } from './deviceId';

export const CUSTOMER_TOKEN_KEY = 'qianbao.customer.token';
export const STAFF_TOKEN_KEY = 'qianbao.staff.token';
/** The logged-in staff member (JSON of Staff), kept beside the token to decide the menu. */
export const STAFF_PROFILE_KEY = 'qianbao.staff.profile';
/** The merchant portal's session: a merchant token, never mixed with customer or staff ones. */
export const MERCHANT_TOKEN_KEY = 'qianbao.merchant.token';
/** The logged-in portal user (JSON of MerchantSessionProfile). */
export const MERCHANT_PROFILE_KEY = 'qianbao.merchant.profile';

/** The slice of Web Storage used, so tests can pass a plain object. */
export interface SessionStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** One session's token (and an optional profile) in a storage that may refuse to work. */
export class SessionStore {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: () => SessionStorageLike | undefined,
    private readonly tokenKey: string,
    private readonly profileKey?: string,
  ) {}

  token(): string | null {
    try {
      return this.storage()?.getItem(this.tokenKey) ?? null;
    } catch {
      return null;
    }
  }

  profile<T>(): T | null {
    if (this.profileKey === undefined) return null;
    try {
      const text = this.storage()?.getItem(this.profileKey);
      return text ? (JSON.parse(text) as T) : null;
    } catch {
      return null;
    }
  }

  /** Stores a new session (after log-in or registration). */
  start(token: string, profile?: unknown): void {
    try {
      const storage = this.storage();
      storage?.setItem(this.tokenKey, token);
      if (this.profileKey !== undefined && profile !== undefined) {
        storage?.setItem(this.profileKey, JSON.stringify(profile));
      }
    } catch {
      // Storage refused (private mode, quota): the session then lasts for this page only.
    }
  }

  /** The server rotated the session (a privilege change): keep the new token, same profile. */
  rotate(token: string): void {
    try {
      this.storage()?.setItem(this.tokenKey, token);
    } catch {
      // Storage refused: this page keeps working until it reloads.
    }
  }

  /** Forgets the session without telling anyone (the user logged out on purpose). */
  clear(): void {
    try {
      const storage = this.storage();
      storage?.removeItem(this.tokenKey);
      if (this.profileKey !== undefined) storage?.removeItem(this.profileKey);
    } catch {
      // Nothing stored that could be removed.
    }
  }

  /** The server said 401: forget the session and tell the listeners. */
  expire(): void {
    this.clear();
    for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` whenever the session expires; returns the unsubscribe function. */
  onExpire(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

function browserSessionStorage(): SessionStorageLike | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined;
  }
}

export const customerSession = new SessionStore(browserSessionStorage, CUSTOMER_TOKEN_KEY);
export const staffSession = new SessionStore(
  browserSessionStorage,
  STAFF_TOKEN_KEY,
  STAFF_PROFILE_KEY,
);

export const merchantSession = new SessionStore(
  browserSessionStorage,
  MERCHANT_TOKEN_KEY,
  MERCHANT_PROFILE_KEY,
);

/** The client the customer pages use: same origin, the customer token. */
export const customerApi = new ApiClient({
  getToken: () => customerSession.token(),
  onUnauthorized: () => customerSession.expire(),
  onSessionRotated: (token) => customerSession.rotate(token),
  getDeviceId: browserDeviceId,
});

/** The client the console pages use: same origin, the staff token. */
export const staffApi = new ApiClient({
  getToken: () => staffSession.token(),
  onUnauthorized: () => staffSession.expire(),
});

/** The client the merchant portal uses: same origin, the merchant token. */
export const merchantApi = new ApiClient({
  getToken: () => merchantSession.token(),
  onUnauthorized: () => merchantSession.expire(),
});
