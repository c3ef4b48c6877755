// The customer's recent security events (GET /me/security-events), from the audit log.
import type { ApiClient } from './client';

export type SecurityEventType =
  | 'login'
  | 'login_failed'
  | 'signed_out'
  | 'totp_enabled'
  | 'totp_disabled'
  | 'totp_locked'
  | 'recovery_code_used'
  | 'pin_set'
  | 'pin_changed'
  | 'pin_reset'
  | 'pin_locked'
  | 'device_key_bound'
  | 'device_key_removed'
  | 'device_key_bad_signature'
  | 'device_key_locked'
  | 'staff_viewed_data'
  | 'data_exported'
  | 'account_closed';

/** One entry of GET /me/security-events. */
export interface SecurityEvent {
  id: string;
  time: string;
  type: SecurityEventType;
  by: 'you' | 'bank_staff' | 'system';
  description: string;
  /** staff_viewed_data: which field ("resident_id" or "card") and the reason staff gave. */
  field?: 'resident_id' | 'card';
  reason?: string;
  /** login_failed: this failure locked sign-in. */
  locked?: boolean;
  /** Not recorded by the audit log today: always null. */
  device: string | null;
  ip: string | null;
}

export interface SecurityEventPage {
  events: SecurityEvent[];
  next_cursor: string | null;
}

export function listSecurityEvents(
  api: ApiClient,
  cursor: string | null,
  limit = 20,
): Promise<SecurityEventPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor !== null) query.set('cursor', cursor);
  return api.request<SecurityEventPage>('GET', `/api/v1/me/security-events?${query.toString()}`);
}

/** GET /me/data-export: a copy of the customer's personal data (recorded in the audit log). */
export function exportMyData(api: ApiClient): Promise<unknown> {
  return api.request<unknown>('GET', '/api/v1/me/data-export');
}
