// Personal-data endpoints of API v1: the console's reveal of a sealed value (audited).
import type { ApiClient } from './client';

export type RevealField = 'resident_id' | 'card';

export interface RevealAnswer {
  customer_id: string;
  field: RevealField;
  card_id?: string;
  value: string;
  audit_seq: string;
}

/** The shortest and longest reason the server accepts (counted in characters). */
export const REVEAL_REASON_MIN = 5;
export const REVEAL_REASON_MAX = 200;

/** Whether a reason (trimmed) would pass the server's length check. */
export function isRevealReason(reason: string): boolean {
  const length = [...reason.trim()].length;
  return length >= REVEAL_REASON_MIN && length <= REVEAL_REASON_MAX;
}

export function revealCustomerPii(
  api: ApiClient,
  customerId: string,
  field: RevealField,
  reason: string,
  cardId?: string,
): Promise<RevealAnswer> {
  const body: Record<string, string> = { field, reason: reason.trim() };
  if (field === 'card' && cardId !== undefined) body.card_id = cardId;
  return api.post<RevealAnswer>(
    `/api/v1/staff/customers/${encodeURIComponent(customerId)}/reveal`,
    body,
  );
}
