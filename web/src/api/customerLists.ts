// Custom customer lists (自定义人群包) of API v1: marketing ops name a list, upload the phones of
// its customers (a CSV read in the browser, sent PHONES_PER_REQUEST at a time), and target a
// campaign at it (Eligibility.customer_list). Staff routes: marketing, auditors and admins read;
// marketing and admins change. Ids are strings, times RFC 3339.
//
// Refusals: FIELD_INVALID (400, field "name") for a name that is not 1..32 characters;
// CUSTOMER_LIST_LIMIT (409) when CUSTOMER_LISTS_MAX lists exist; CUSTOMER_LIST_NOT_FOUND (404);
// CUSTOMER_LIST_IN_USE (409) when deleting a list a campaign that has not ended targets.
import type { ApiClient } from './client';
import { PHONES_PER_REQUEST, sendInParts, type PartsProgress } from './phoneParts';

/** The most lists that may exist at once. */
export const CUSTOMER_LISTS_MAX = 64;
/** The longest name, in characters (code points, as the server counts them). */
export const CUSTOMER_LIST_NAME_MAX_CHARS = 32;

export interface CustomerList {
  id: string;
  name: string;
  members: number;
  created_at: string;
  /** The last change of the name or the members. */
  updated_at: string;
  /** Campaigns that have not ended and target the list; while any is here it cannot be deleted. */
  campaign_ids: string[];
}

/** What adding a part of phones answers; the strings are the phones as they were sent. */
export interface MembersAdded {
  /** Customers newly in the list. */
  added: number;
  /** Customers who were members already. */
  already: number;
  /** Phones naming no open customer. */
  not_found: string[];
  /** Strings that are not a phone number. */
  invalid: string[];
  /** Rows naming a customer an earlier row of the same request named. */
  duplicates: number;
}

/** What taking a part of phones out answers. */
export interface MembersRemoved {
  removed: number;
  /** Customers who were not members. */
  not_member: number;
  not_found: string[];
  invalid: string[];
  duplicates: number;
}

export type MembersChange = 'add' | 'remove';

/**
 * The totals of adding (or removing) a whole list: `changed` customers added (removed),
 * `unchanged` who were (were not) members, the phones matched to nobody, and duplicates.
 */
export interface MembersTotals {
  changed: number;
  unchanged: number;
  notFound: string[];
  invalid: string[];
  duplicates: number;
}

const LISTS_PATH = '/api/v1/staff/customer-lists';
const listPath = (id: string) => `${LISTS_PATH}/${encodeURIComponent(id)}`;

/** Every list, ascending by id. */
export async function listCustomerLists(api: ApiClient): Promise<CustomerList[]> {
  return (await api.get<{ lists: CustomerList[] }>(LISTS_PATH)).lists;
}

/** Creates an empty list: 201 with it. The name goes trimmed. */
export function createCustomerList(api: ApiClient, name: string): Promise<CustomerList> {
  return api.post<CustomerList>(LISTS_PATH, { name: name.trim() });
}

/** Deletes a list and its memberships (204). */
export function deleteCustomerList(api: ApiClient, id: string): Promise<void> {
  return api.delete<void>(listPath(id));
}

/** Why a typed name cannot be sent, or null when it can: blank, or over 32 characters. */
export function customerListNameProblem(name: string): 'required' | 'too_long' | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'required';
  return Array.from(trimmed).length > CUSTOMER_LIST_NAME_MAX_CHARS ? 'too_long' : null;
}

function checkPart(phones: readonly string[]): void {
  if (phones.length === 0 || phones.length > PHONES_PER_REQUEST) {
    throw new RangeError(`1..${PHONES_PER_REQUEST} phones per request, not ${phones.length}`);
  }
}

/**
 * Adds the open customer of each phone (1..PHONES_PER_REQUEST of them, in any common format;
 * the server normalises) to the list. Throws RangeError for an empty or too long part, which
 * the server would refuse.
 */
export async function addCustomerListMembers(
  api: ApiClient,
  id: string,
  phones: readonly string[],
): Promise<MembersAdded> {
  checkPart(phones);
  const answer = await api.post<Partial<MembersAdded>>(`${listPath(id)}/members`, { phones });
  // Read defensively, as the coupon issue is: a missing figure is none rather than a crash.
  return {
    added: answer.added ?? 0,
    already: answer.already ?? 0,
    not_found: answer.not_found ?? [],
    invalid: answer.invalid ?? [],
    duplicates: answer.duplicates ?? 0,
  };
}

/** Takes the customer of each phone out of the list; limits as for adding. */
export async function removeCustomerListMembers(
  api: ApiClient,
  id: string,
  phones: readonly string[],
): Promise<MembersRemoved> {
  checkPart(phones);
  const answer = await api.post<Partial<MembersRemoved>>(`${listPath(id)}/removals`, { phones });
  return {
    removed: answer.removed ?? 0,
    not_member: answer.not_member ?? 0,
    not_found: answer.not_found ?? [],
    invalid: answer.invalid ?? [],
    duplicates: answer.duplicates ?? 0,
  };
}

/** Options of changeMembersInParts. */
export interface ChangeMembersOptions {
  /** Rows the browser's reading already dropped as repeats: counted among the duplicates. */
  duplicateRows?: number;
  /** Called after each answer, and once more when done. */
  onProgress?: (progress: PartsProgress<MembersTotals>) => void;
  /** Checked before each request; true stops the sending there. */
  shouldStop?: () => boolean;
  /** The part size: PHONES_PER_REQUEST unless a test says otherwise. */
  perRequest?: number;
}

/**
 * Adds (or removes) a whole list of phones, PHONES_PER_REQUEST at a time, one request after
 * another, summing the answers. The first error stops it, keeping what the earlier parts did
 * (each part is applied on its own by the server); see sendInParts.
 */
export function changeMembersInParts(
  api: ApiClient,
  id: string,
  change: MembersChange,
  phones: readonly string[],
  options: ChangeMembersOptions = {},
): Promise<PartsProgress<MembersTotals>> {
  const initial: MembersTotals = {
    changed: 0,
    unchanged: 0,
    notFound: [],
    invalid: [],
    duplicates: options.duplicateRows ?? 0,
  };
  const sum = (totals: MembersTotals, changed: number, unchanged: number, answer: MembersAdded | MembersRemoved) => ({
    changed: totals.changed + changed,
    unchanged: totals.unchanged + unchanged,
    notFound: totals.notFound.concat(answer.not_found),
    invalid: totals.invalid.concat(answer.invalid),
    duplicates: totals.duplicates + answer.duplicates,
  });
  const perRequest = options.perRequest ?? PHONES_PER_REQUEST;
  const onProgress = options.onProgress ?? (() => {});
  if (change === 'add') {
    return sendInParts(
      phones,
      perRequest,
      (part) => addCustomerListMembers(api, id, part),
      (totals, answer: MembersAdded) => sum(totals, answer.added, answer.already, answer),
      initial,
      onProgress,
      options.shouldStop,
    );
  }
  return sendInParts(
    phones,
    perRequest,
    (part) => removeCustomerListMembers(api, id, part),
    (totals, answer: MembersRemoved) => sum(totals, answer.removed, answer.not_member, answer),
    initial,
    onProgress,
    options.shouldStop,
  );
}

/** The lists by id, for showing the name of the list a campaign targets. */
export function customerListNames(lists: readonly Pick<CustomerList, 'id' | 'name'>[]): Map<string, string> {
  return new Map(lists.map((list) => [list.id, list.name]));
}
