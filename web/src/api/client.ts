// A typed client for the qianbaod API (JSON over HTTP under /api/v1, see DESIGN.md).
//
// Every call sends and expects JSON, adds the session's Bearer token when there is one, and turns
// a failed answer into an ApiError carrying the server's stable error code. A POST that moves
// money carries an Idempotency-Key, so a retry after a lost answer can never pay twice: create the
// key once per user action (newIdempotencyKey) and pass the same key to every retry of it.
//
// Amounts in bodies are integer fen (see money.ts); nothing here does arithmetic on them.

/** The error body every failed API call answers with; LIMIT_EXCEEDED also names the limit. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    limit?: string;
    tries_left?: unknown;
    locked_until?: unknown;
    /** The request field the error is about, when the server names one ("budget"). */
    field?: unknown;
  };
}

/**
 * A failed call: the HTTP status (0 when no answer came), the server's stable code, and for
 * LIMIT_EXCEEDED which limit ("per_payment" | "daily" | "yearly" | "balance_cap").
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly limit: string | undefined;
  /** PIN_WRONG: wrong PINs left before paying locks. */
  readonly triesLeft: number | undefined;
  /** PIN_LOCKED: when paying unlocks (RFC 3339). */
  readonly lockedUntil: string | undefined;
  /** CHALLENGE_REQUIRED: what would do, and the payment held meanwhile (if any). */
  readonly stepUp: StepUpDetails | undefined;
  /** The request field the server names as wrong (REFERRAL_INVALID_PROGRAM: "budget"), if any. */
  readonly field: string | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    limit?: string,
    extra: { triesLeft?: number; lockedUntil?: string; stepUp?: StepUpDetails; field?: string } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.limit = limit;
    this.triesLeft = extra.triesLeft;
    this.lockedUntil = extra.lockedUntil;
    this.stepUp = extra.stepUp;
    this.field = extra.field;
  }
}

/** The body of a CHALLENGE_REQUIRED answer (PBoC No. 43 step-up). */
export interface StepUpDetails {
  /** "two_factors" or "device_key". */
  needed: string;
  /** The request fields that would do: sms_code, totp_code, device_signature. */
  factors: string[];
  /** The payment held until confirmed with a factor; absent for a transfer (nothing held). */
  paymentId?: string;
  expiresAt?: string;
}

function stepUpOf(error: Record<string, unknown>): StepUpDetails | undefined {
  if (error.code !== 'CHALLENGE_REQUIRED' || typeof error.needed !== 'string') return undefined;
  const factors = Array.isArray(error.factors)
    ? error.factors.filter((f): f is string => typeof f === 'string')
    : [];
  return {
    needed: error.needed,
    factors,
    paymentId: typeof error.payment_id === 'string' ? error.payment_id : undefined,
    expiresAt: typeof error.expires_at === 'string' ? error.expires_at : undefined,
  };
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** A fresh Idempotency-Key: a random UUID. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export interface ApiClientOptions {
  /** Prefix of every path, e.g. "" for the same origin or "http://localhost:8080". */
  baseUrl?: string;
  /** Returns the session token, or null when logged out. */
  getToken?: () => string | null;
  /** Replaceable for tests. */
  fetch?: typeof fetch;
  /** Called when an authenticated call answers 401: the session is gone (expired, revoked). */
  onUnauthorized?: () => void;
  /** The id this browser sends as X-Device-Id (the new-device rule), or none. */
  getDeviceId?: () => string | null;
  /**
   * Called with the new token when an answer carries X-Session-Token: the server rotated the
   * session after a privilege change (verified identity, new card, PIN, second factor) and the
   * old token no longer works.
   */
  onSessionRotated?: (token: string) => void;
}

/** The header a rotated session's new token arrives in. */
export const SESSION_TOKEN_HEADER = 'X-Session-Token';

export interface RequestOptions {
  body?: unknown;
  /** Sent as Idempotency-Key; postMoney sets one when it is not given. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class ApiClient {
  private readonly baseUrl: string;
  private readonly getToken: () => string | null;
  private readonly fetchImpl: typeof fetch;
  private readonly onUnauthorized: () => void;
  private readonly getDeviceId: () => string | null;
  private readonly onSessionRotated: (token: string) => void;

  constructor(options: ApiClientOptions = {}) {
    this.getDeviceId = options.getDeviceId ?? (() => null);
    this.onSessionRotated = options.onSessionRotated ?? (() => {});
    this.baseUrl = options.baseUrl ?? '';
    this.getToken = options.getToken ?? (() => null);
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.onUnauthorized = options.onUnauthorized ?? (() => {});
  }

  delete<T>(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  get<T>(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  /**
   * A POST that moves money. Pass the same idempotencyKey when retrying the same action; a new
   * one is made when none is given.
   */
  postMoney<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    const idempotencyKey = options.idempotencyKey ?? newIdempotencyKey();
    return this.request<T>('POST', path, { ...options, body, idempotencyKey });
  }

  /**
   * A GET of a binary body (a QR image) with the session's Bearer header, which an <img src>
   * cannot send; errors are read as for request().
   */
  async getBlob(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<Blob> {
    const headers: Record<string, string> = { Accept: '*/*' };
    const token = this.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method: 'GET',
        headers,
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : 'network');
    }
    if (response.ok) return response.blob();
    if (response.status === 401 && token) this.onUnauthorized();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(await response.text());
    } catch {
      // Not an error body: the status alone says what went wrong.
    }
    if (isApiErrorBody(parsed)) {
      throw new ApiError(response.status, parsed.error.code, parsed.error.message);
    }
    throw new ApiError(response.status, `HTTP_${response.status}`, response.statusText);
  }

  put<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const sent = this.getToken();
    try {
      return await this.send<T>(method, path, options, sent);
    } catch (error) {
      // A call that left with a token the session has since been rotated away from (another
      // call changed a privilege meanwhile) is refused with 401: it is not a log-out. Send it
      // once more with the current token.
      const current = this.getToken();
      if (error instanceof ApiError && error.status === 401 && sent && current && current !== sent) {
        return this.send<T>(method, path, options, current);
      }
      throw error;
    }
  }

  private async send<T>(
    method: HttpMethod,
    path: string,
    options: RequestOptions,
    token: string | null,
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    const deviceId = this.getDeviceId();
    if (deviceId) headers['X-Device-Id'] = deviceId;

    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : 'network');
    }

    const rotated = response.headers?.get(SESSION_TOKEN_HEADER);
    if (rotated && token) this.onSessionRotated(rotated);
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (response.ok) throw new ApiError(response.status, 'BAD_RESPONSE', 'not JSON');
      }
    }
    if (!response.ok) {
      // Only a call that carried the current token can lose a session: a failed log-in is not a
      // log-out, and a token rotated away meanwhile is retried by request().
      if (response.status === 401 && token && token === this.getToken()) this.onUnauthorized();
      if (isApiErrorBody(parsed)) {
        const { code, message, limit, tries_left, locked_until, field } = parsed.error;
        const limitName = typeof limit === 'string' ? limit : undefined;
        throw new ApiError(response.status, code, message, limitName, {
          triesLeft: typeof tries_left === 'number' ? tries_left : undefined,
          lockedUntil: typeof locked_until === 'string' ? locked_until : undefined,
          stepUp: stepUpOf(parsed.error as Record<string, unknown>),
          field: typeof field === 'string' ? field : undefined,
        });
      }
      throw new ApiError(response.status, `HTTP_${response.status}`, response.statusText);
    }
    return parsed as T;
  }
}
