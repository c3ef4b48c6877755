import { describe, expect, it } from 'vitest';

import { auditEn, auditZh } from '../i18n/auditMessages';
import {
  auditFilterProblem,
  auditQuery,
  EMPTY_AUDIT_FILTER,
  listAudit,
  prettyDetail,
  shortHash,
  trimAuditFilter,
} from './audit';
import { ApiClient } from './client';

describe('audit log API', () => {
  it('builds the query from the filter and the paging seq', () => {
    expect(auditQuery(EMPTY_AUDIT_FILTER, null)).toBe('?limit=50');
    expect(
      auditQuery(
        { action: 'staff.', actor: 'staff:3', target: 'customer:42', ip: '' },
        '1200',
        20,
      ),
    ).toBe('?limit=20&action=staff.&actor=staff%3A3&target=customer%3A42&before=1200');
    expect(auditQuery({ ...EMPTY_AUDIT_FILTER, actor: 'system' }, '7')).toBe(
      '?limit=50&actor=system&before=7',
    );
    expect(auditQuery({ ...EMPTY_AUDIT_FILTER, ip: '2001:db8::1' }, null)).toBe(
      '?limit=50&ip=2001%3Adb8%3A%3A1',
    );
  });

  it('checks the filter as the server does', () => {
    const ok = (filter: Partial<typeof EMPTY_AUDIT_FILTER>) =>
      auditFilterProblem(trimAuditFilter({ ...EMPTY_AUDIT_FILTER, ...filter }));
    expect(ok({})).toBeNull();
    expect(ok({ action: 'merchant.status_changed', actor: ' customer:12 ' })).toBeNull();
    expect(ok({ actor: 'merchant_user:5' })).toBeNull();
    expect(ok({ actor: 'staff' })).toBeNull();
    expect(ok({ action: 'Staff.Create' })).toBe('action');
    expect(ok({ action: 'a b' })).toBe('action');
    expect(ok({ actor: 'admin:1' })).toBe('actor');
    expect(ok({ actor: 'staff:x' })).toBe('actor');
    expect(ok({ target: 'x'.repeat(129) })).toBe('target');
    expect(ok({ target: '客'.repeat(43) })).toBe('target');
    expect(ok({ ip: ' 10.1.2.3 ' })).toBeNull();
    expect(ok({ ip: '2001:db8::1' })).toBeNull();
    expect(ok({ ip: '::ffff:10.1.2.3' })).toBeNull();
    expect(ok({ ip: 'localhost' })).toBe('ip');
    expect(ok({ ip: '10.1.2' })).toBe('ip');
    expect(ok({ ip: 'abcdef' })).toBe('ip');
  });

  it('reads a page of entries and its next_before', async () => {
    const asked: string[] = [];
    const client = new ApiClient({
      fetch: async (input) => {
        asked.push(String(input));
        return new Response(
          JSON.stringify({
            entries: [
              {
                seq: '41',
                time: '2026-11-23T03:04:05Z',
                actor: 'staff:3',
                action: 'customer.tier_granted',
                target: 'customer:42',
                detail: '{"tier":"I"}',
                hash: 'ab'.repeat(32),
              },
            ],
            next_before: '41',
          }),
          { status: 200, headers: { 'Content-Type': 'application/json' } },
        );
      },
    });
    const page = await listAudit(client, { ...EMPTY_AUDIT_FILTER, action: 'customer.' }, '90');
    expect(asked).toEqual(['/api/v1/staff/audit?limit=50&action=customer.&before=90']);
    expect(page.next_before).toBe('41');
    expect(page.entries[0]).toMatchObject({ seq: '41', actor: 'staff:3', target: 'customer:42' });
  });

  it('shortens hashes and indents details', () => {
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab…');
    expect(shortHash('abc')).toBe('abc');
    expect(prettyDetail('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyDetail('not json')).toBe('not json');
    expect(prettyDetail('')).toBe('');
  });

  it('has an English text for every Chinese key', () => {
    expect(Object.keys(auditEn).sort()).toEqual(Object.keys(auditZh).sort());
  });
});
