// One Idempotency-Key per user action. The key is made when the user first submits and is
// reused when the same action (same body) is retried after an answer that says nothing about
// whether the money moved: no answer at all, a 5xx, or "the first request is still running".
// After a definite answer (success or a business error such as INSUFFICIENT_FUNDS) the next
// submit is a new action with a new key: reusing the key would replay the old answer.
import { ApiError, newIdempotencyKey } from './client';

/** True when a retry of the same action must carry the same key. */
export function isRetryableWithSameKey(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 0) return true;
  if (error.code === 'IDEMPOTENCY_KEY_IN_PROGRESS') return true;
  return error.status >= 500;
}

export class ActionKey {
  private key: string | null = null;
  private fingerprint: string | null = null;

  constructor(private readonly makeKey: () => string = newIdempotencyKey) {}

  /** The key for an action whose body is `body`: the pending key if the body is unchanged. */
  keyFor(body: unknown): string {
    const fingerprint = JSON.stringify(body);
    if (this.key === null || this.fingerprint !== fingerprint) {
      this.key = this.makeKey();
      this.fingerprint = fingerprint;
    }
    return this.key;
  }

  /** Records how the call ended: keeps the key only when a retry must reuse it. */
  settle(error?: unknown): void {
    if (error === undefined || !isRetryableWithSameKey(error)) {
      this.key = null;
      this.fingerprint = null;
    }
  }
}
