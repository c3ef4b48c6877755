import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from './client';
import {
  CUSTOMER_LIST_NAME_MAX_CHARS,
  addCustomerListMembers,
  changeMembersInParts,
  createCustomerList,
  customerListNameProblem,
  customerListNames,
  deleteCustomerList,
  listCustomerLists,
  removeCustomerListMembers,
  type CustomerList,
} from './customerLists';
import { fakeFetch } from './fakeFetch';
import { PHONES_PER_REQUEST, type PartsProgress } from './phoneParts';

const LIST: CustomerList = {
  id: '65',
  name: '双11老客',
  members: 1234,
  created_at: '2026-11-25T10:00:00Z',
  updated_at: '2026-11-25T10:05:00Z',
  campaign_ids: ['3', '5'],
};

const refusal = (status: number, code: string, field?: string) => ({
  status,
  body: { error: { code, message: 'server text', ...(field ? { field } : {}) } },
});

const phonesFrom = (count: number, first = 13_800_000_000) =>
  Array.from({ length: count }, (_, i) => String(first + i));

describe('customer list API', () => {
  it('lists, creates (name trimmed) and deletes lists', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { lists: [LIST] } },
      { status: 201, body: LIST },
      { status: 204 },
    ]);
    const api = new ApiClient({ fetch });
    expect(await listCustomerLists(api)).toEqual([LIST]);
    expect(await createCustomerList(api, '  双11老客 ')).toEqual(LIST);
    expect(await deleteCustomerList(api, '65')).toBeUndefined();
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/v1/staff/customer-lists', method: 'GET', body: undefined },
      { url: '/api/v1/staff/customer-lists', method: 'POST', body: { name: '双11老客' } },
      { url: '/api/v1/staff/customer-lists/65', method: 'DELETE', body: undefined },
    ]);
  });

  it('adds and removes members by phone, reading missing figures as none', async () => {
    const added = { added: 10, already: 2, not_found: ['13700137000'], invalid: ['abc'], duplicates: 1 };
    const { calls, fetch } = fakeFetch([
      { status: 200, body: added },
      { status: 200, body: { removed: 3 } },
    ]);
    const api = new ApiClient({ fetch });
    const phones = ['13800138000', '+86 139 0013 9000', 'abc'];
    expect(await addCustomerListMembers(api, '65', phones)).toEqual(added);
    expect(await removeCustomerListMembers(api, '65', phones)).toEqual({
      removed: 3,
      not_member: 0,
      not_found: [],
      invalid: [],
      duplicates: 0,
    });
    expect(calls.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/v1/staff/customer-lists/65/members', method: 'POST', body: { phones } },
      { url: '/api/v1/staff/customer-lists/65/removals', method: 'POST', body: { phones } },
    ]);
  });

  it('refuses an empty or too long part before sending it', async () => {
    const { calls, fetch } = fakeFetch([]);
    const api = new ApiClient({ fetch });
    await expect(addCustomerListMembers(api, '65', [])).rejects.toThrow(RangeError);
    await expect(removeCustomerListMembers(api, '65', phonesFrom(PHONES_PER_REQUEST + 1))).rejects.toThrow(
      RangeError,
    );
    expect(calls).toEqual([]);
  });

  it('escapes the list id in the path', async () => {
    const { calls, fetch } = fakeFetch([{ status: 204 }]);
    await deleteCustomerList(new ApiClient({ fetch }), '6/5');
    expect(calls[0]?.url).toBe('/api/v1/staff/customer-lists/6%2F5');
  });

  it('keeps the code and the field of a refusal', async () => {
    const { fetch } = fakeFetch([
      refusal(400, 'FIELD_INVALID', 'name'),
      refusal(409, 'CUSTOMER_LIST_LIMIT'),
      refusal(409, 'CUSTOMER_LIST_IN_USE'),
      refusal(404, 'CUSTOMER_LIST_NOT_FOUND'),
    ]);
    const api = new ApiClient({ fetch });
    const caught = (promise: Promise<unknown>): Promise<ApiError> =>
      promise.then(
        () => {
          throw new Error('not refused');
        },
        (cause: unknown) => cause as ApiError,
      );
    const invalid = await caught(createCustomerList(api, 'x'));
    expect(invalid).toBeInstanceOf(ApiError);
    expect([invalid.status, invalid.code, invalid.field]).toEqual([400, 'FIELD_INVALID', 'name']);
    expect((await caught(createCustomerList(api, 'y'))).code).toBe('CUSTOMER_LIST_LIMIT');
    const inUse = await caught(deleteCustomerList(api, '65'));
    expect([inUse.status, inUse.code]).toEqual([409, 'CUSTOMER_LIST_IN_USE']);
    expect((await caught(addCustomerListMembers(api, '99', ['13800138000']))).code).toBe('CUSTOMER_LIST_NOT_FOUND');
  });
});

describe('customer list names', () => {
  it('checks a name is 1..32 characters once trimmed, counting characters rather than bytes', () => {
    expect(customerListNameProblem('双11老客')).toBeNull();
    expect(customerListNameProblem('  ')).toBe('required');
    expect(customerListNameProblem('老'.repeat(CUSTOMER_LIST_NAME_MAX_CHARS))).toBeNull();
    expect(customerListNameProblem(` ${'老'.repeat(CUSTOMER_LIST_NAME_MAX_CHARS)} `)).toBeNull();
    expect(customerListNameProblem('老'.repeat(CUSTOMER_LIST_NAME_MAX_CHARS + 1))).toBe('too_long');
    // An emoji is one character of two UTF-16 units.
    expect(customerListNameProblem('🎉'.repeat(CUSTOMER_LIST_NAME_MAX_CHARS))).toBeNull();
  });

  it('maps ids to names', () => {
    expect(customerListNames([LIST, { id: '66', name: '沉睡客户' }])).toEqual(
      new Map([
        ['65', '双11老客'],
        ['66', '沉睡客户'],
      ]),
    );
  });
});

describe('uploading a list in parts', () => {
  it('sends 9000 phones as 4000 + 4000 + 1000 and sums the answers', async () => {
    const phones = phonesFrom(9000);
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { added: 3990, already: 5, not_found: ['13800000007'], invalid: [], duplicates: 4 } },
      { status: 200, body: { added: 4000, already: 0, not_found: [], invalid: ['x'], duplicates: 0 } },
      { status: 200, body: { added: 998, already: 1, not_found: ['13800008999'], invalid: [], duplicates: 0 } },
    ]);
    const seen: PartsProgress<unknown>[] = [];
    const result = await changeMembersInParts(new ApiClient({ fetch }), '65', 'add', phones, {
      duplicateRows: 2,
      onProgress: (progress) => seen.push(progress),
    });
    expect(calls.map((call) => [call.url, (call.body as { phones: string[] }).phones.length])).toEqual([
      ['/api/v1/staff/customer-lists/65/members', 4000],
      ['/api/v1/staff/customer-lists/65/members', 4000],
      ['/api/v1/staff/customer-lists/65/members', 1000],
    ]);
    expect((calls[2]?.body as { phones: string[] }).phones[0]).toBe(phones[8000]);
    expect(seen.map((progress) => [progress.sent, progress.done])).toEqual([
      [4000, false],
      [8000, false],
      [9000, false],
      [9000, true],
    ]);
    expect(result).toEqual({
      sent: 9000,
      total: 9000,
      totals: {
        changed: 8988,
        unchanged: 6,
        notFound: ['13800000007', '13800008999'],
        invalid: ['x'],
        duplicates: 6,
      },
      error: null,
      stopped: false,
      done: true,
    });
  });

  it('removes in parts, counting removed and not members', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { removed: 2, not_member: 1, not_found: [], invalid: [], duplicates: 0 } },
      { status: 200, body: { removed: 1, not_member: 0, not_found: ['13800000004'], invalid: [], duplicates: 0 } },
    ]);
    const result = await changeMembersInParts(new ApiClient({ fetch }), '65', 'remove', phonesFrom(5), {
      perRequest: 3,
    });
    expect(calls.map((call) => call.url)).toEqual([
      '/api/v1/staff/customer-lists/65/removals',
      '/api/v1/staff/customer-lists/65/removals',
    ]);
    expect(result.totals).toEqual({ changed: 3, unchanged: 1, notFound: ['13800000004'], invalid: [], duplicates: 0 });
  });

  it('stops at the first error, keeping what the earlier parts did', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { added: 2, already: 0, not_found: [], invalid: [], duplicates: 0 } },
      refusal(404, 'CUSTOMER_LIST_NOT_FOUND'),
    ]);
    const result = await changeMembersInParts(new ApiClient({ fetch }), '65', 'add', phonesFrom(6), {
      perRequest: 2,
    });
    expect(calls).toHaveLength(2);
    expect(result).toMatchObject({ sent: 2, total: 6, totals: { changed: 2 }, done: true, stopped: false });
    expect((result.error as ApiError).code).toBe('CUSTOMER_LIST_NOT_FOUND');
  });

  it('stops before the next part when asked', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { added: 1, already: 0, not_found: [], invalid: [], duplicates: 0 } },
    ]);
    const result = await changeMembersInParts(new ApiClient({ fetch }), '65', 'add', phonesFrom(3), {
      perRequest: 1,
      shouldStop: () => calls.length === 1,
    });
    expect(calls).toHaveLength(1);
    expect(result).toMatchObject({ sent: 1, stopped: true, done: true, error: null, totals: { changed: 1 } });
  });
});
