// GET /api/v1/staff/audit (admin, auditor): the audit log, newest first, a page at a time.
// Filters: action (a whole action, or a prefix ending in '.', e.g. "staff."), actor ("system",
// or "staff", "customer" or "merchant_user" with ":id"), target (exact, e.g. "customer:42") and
// ip (an address: the entries naming its network, which the log keeps only as a keyed hash).
// Paging: the answer's next_before is the `before` of the next (older) page; null at the end.
import type { ApiClient } from './client';

export interface AuditEntry {
  /** The entry's sequence number in the chain, as a decimal string. */
  seq: string;
  /** RFC 3339. */
  time: string;
  /** "system", or "staff:3", "customer:12", "merchant_user:5". */
  actor: string;
  action: string;
  target: string;
  /** The entry's details as recorded: JSON text. */
  detail: string;
  /** The chain hash, hex. */
  hash: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  next_before: string | null;
}

export interface AuditFilter {
  action: string;
  actor: string;
  target: string;
  /** An IPv4 or IPv6 address; the server hashes it as the entries' "ip" field is. */
  ip: string;
}

export type AuditFilterField = keyof AuditFilter;

export const EMPTY_AUDIT_FILTER: AuditFilter = { action: '', actor: '', target: '', ip: '' };

export const AUDIT_PAGE_SIZE = 50;

const ACTION_PATTERN = /^[a-z0-9_.]{1,64}$/;
const ACTOR_PATTERN = /^(system|staff|customer|merchant_user)(:[0-9]{1,20})?$/;
// The shape of an address, not its validity: the server parses it and answers FIELD_INVALID.
const IPV4_PATTERN = /^(\d{1,3}\.){3}\d{1,3}$/;
const IPV6_PATTERN = /^[0-9a-fA-F:.]{2,45}$/;

/** The filter with surrounding spaces removed. */
export function trimAuditFilter(filter: AuditFilter): AuditFilter {
  return {
    action: filter.action.trim(),
    actor: filter.actor.trim(),
    target: filter.target.trim(),
    ip: filter.ip.trim(),
  };
}

/**
 * Which field of a (trimmed) filter the server would refuse, before asking it: the action must
 * be a-z, 0-9, '_' and '.'; the actor a kind with an optional ":id"; the target at most 128
 * bytes; the ip an IPv4 address or something shaped like an IPv6 one. Null when it is fine.
 */
export function auditFilterProblem(filter: AuditFilter): AuditFilterField | null {
  if (filter.action !== '' && !ACTION_PATTERN.test(filter.action)) return 'action';
  if (filter.actor !== '' && !ACTOR_PATTERN.test(filter.actor)) return 'actor';
  if (new TextEncoder().encode(filter.target).length > 128) return 'target';
  if (filter.ip !== '' && !IPV4_PATTERN.test(filter.ip)) {
    if (!filter.ip.includes(':') || !IPV6_PATTERN.test(filter.ip)) return 'ip';
  }
  return null;
}

/** The query string of GET /api/v1/staff/audit; empty filter fields are left out. */
export function auditQuery(
  filter: AuditFilter,
  before: string | null,
  limit = AUDIT_PAGE_SIZE,
): string {
  const params = new URLSearchParams();
  params.set('limit', String(limit));
  if (filter.action !== '') params.set('action', filter.action);
  if (filter.actor !== '') params.set('actor', filter.actor);
  if (filter.target !== '') params.set('target', filter.target);
  if (filter.ip !== '') params.set('ip', filter.ip);
  if (before !== null) params.set('before', before);
  return `?${params.toString()}`;
}

export function listAudit(
  api: ApiClient,
  filter: AuditFilter,
  before: string | null,
): Promise<AuditPage> {
  return api.get<AuditPage>(`/api/v1/staff/audit${auditQuery(filter, before)}`);
}

/** The first 12 hex digits of a chain hash, for the table; the whole hash goes in a tooltip. */
export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

/** The detail JSON indented for reading; text that is not JSON comes back as it is. */
export function prettyDetail(detail: string): string {
  if (detail === '') return '';
  try {
    return JSON.stringify(JSON.parse(detail), null, 2);
  } catch {
    return detail;
  }
}
