import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import type { PhoneIssueResult } from '../api/marketing';
import {
  MAX_LIST_ROWS,
  csvCell,
  decodeListFile,
  isPhoneLike,
  issueToList,
  parseCsv,
  phoneKey,
  readPhoneList,
  unmatchedCsv,
  type ListIssueProgress,
  type PhoneList,
} from './phoneList';

function phonesOf(text: string): string[] {
  const read = readPhoneList(text);
  if (!read.ok) throw new Error(`refused: ${read.problem}`);
  return read.list.phones;
}

describe('parseCsv', () => {
  it('reads quoted fields holding commas, quotes and line breaks', () => {
    const { records } = parseCsv('phone,name\r\n"13800138000","Zhou, Ba"\r\n13900139000,"say ""hi""\nthere"\r\n', 10);
    expect(records).toEqual([
      ['phone', 'name'],
      ['13800138000', 'Zhou, Ba'],
      ['13900139000', 'say "hi"\nthere'],
    ]);
  });

  it('takes CRLF, LF and lone CR line ends, and drops a BOM', () => {
    expect(parseCsv('\uFEFFa\r\nb\nc\rd', 10).records).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('splits on tabs when the first line has tabs and no comma', () => {
    expect(parseCsv('手机号\t姓名\n13800138000\t周八', 10).records).toEqual([
      ['手机号', '姓名'],
      ['13800138000', '周八'],
    ]);
  });

  it('stops at the bound and says more followed', () => {
    expect(parseCsv('a\nb\nc\n', 2)).toEqual({ records: [['a'], ['b']], truncated: true });
    expect(parseCsv('a\nb\n', 2)).toEqual({ records: [['a'], ['b']], truncated: false });
  });

  it('runs an unclosed quote to the end rather than failing', () => {
    expect(parseCsv('"13800138000\n139', 10).records).toEqual([['13800138000\n139']]);
  });
});

describe('readPhoneList', () => {
  it('reads the phone column named in a header row, any case', () => {
    const read = readPhoneList('name,Phone,city\n周八,13800138000,福州\n吴九,"139 0013 9000",厦门\n');
    expect(read).toEqual({
      ok: true,
      list: { phones: ['13800138000', '139 0013 9000'], rows: 2, duplicateRows: 0, column: 'Phone' },
    });
  });

  it('finds a 手机号 column in a GBK file with a BOM-less Windows header', () => {
    // "姓名,手机号\r\n周八,13800138000\r\n" as Excel saves it on a Chinese Windows (GBK).
    const gbk = new Uint8Array([
      0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xca, 0xd6, 0xbb, 0xfa, 0xba, 0xc5, 0x0d, 0x0a, 0xd6, 0xdc, 0xb0, 0xcb, 0x2c,
      ...new TextEncoder().encode('13800138000\r\n'),
    ]);
    const text = decodeListFile(gbk);
    expect(text).toBe('姓名,手机号\r\n周八,13800138000\r\n');
    const read = readPhoneList(text);
    expect(read.ok && read.list.column).toBe('手机号');
    expect(phonesOf(text)).toEqual(['13800138000']);
  });

  it('decodes UTF-8 with a BOM and the mobile and 手机 headers', () => {
    const bytes = new TextEncoder().encode('\uFEFF手机,备注\r\n13800138000,VIP\r\n');
    expect(phonesOf(decodeListFile(bytes))).toEqual(['13800138000']);
    expect(phonesOf('MOBILE\n13800138000\n')).toEqual(['13800138000']);
  });

  it('takes every line of a one-column file, skipping a first line that is no phone', () => {
    expect(phonesOf('号码\n13800138000\n\n 13900139000 \n')).toEqual(['13800138000', '13900139000']);
    expect(phonesOf('13800138000\n13900139000')).toEqual(['13800138000', '13900139000']);
  });

  it('keeps rows that are not phones for the server to report as invalid', () => {
    expect(phonesOf('phone\n13800138000\nnot a phone\n')).toEqual(['13800138000', 'not a phone']);
  });

  it('drops empty cells and sends each number once however it is written', () => {
    const read = readPhoneList('phone,name\n13800138000,a\n,b\n+86 138 0013 8000,c\n13800138000,d\n13900139000,e\n');
    expect(read).toEqual({
      ok: true,
      list: { phones: ['13800138000', '13900139000'], rows: 4, duplicateRows: 2, column: 'phone' },
    });
  });

  it('refuses a file with several columns and no phone header, or no phones', () => {
    expect(readPhoneList('name,tel\n周八,13800138000\n')).toEqual({ ok: false, problem: 'no_phone_column' });
    expect(readPhoneList('')).toEqual({ ok: false, problem: 'empty' });
    expect(readPhoneList('\uFEFF\r\n\r\n')).toEqual({ ok: false, problem: 'empty' });
    expect(readPhoneList('phone,name\n,a\n')).toEqual({ ok: false, problem: 'empty' });
  });

  it('refuses more rows than it reads', () => {
    const long = `phone\n${'13800138000\n'.repeat(MAX_LIST_ROWS + 1)}`;
    expect(readPhoneList(long)).toEqual({ ok: false, problem: 'too_many_rows' });
  });
});

describe('phone numbers', () => {
  it('tells phone-like texts', () => {
    for (const phone of ['13800138000', '+86 139 0013 9000', '(0591) 8765-4321', '138.0013.8000']) {
      expect(isPhoneLike(phone), phone).toBe(true);
    }
    for (const text of ['phone', '手机号', '', '1234', '+', '13800138000x']) expect(isPhoneLike(text), text).toBe(false);
  });

  it('keys a mainland mobile without its country code', () => {
    expect(phoneKey('+86 138-0013-8000')).toBe('13800138000');
    expect(phoneKey('008613800138000')).toBe('13800138000');
    expect(phoneKey('8613800138000')).toBe('13800138000');
    expect(phoneKey('+1 415 555 0100')).toBe('14155550100');
    expect(phoneKey('not a phone')).toBe('not a phone');
  });
});

describe('the not-issued CSV', () => {
  it('lists not-found and invalid rows with their reason, for Excel', () => {
    expect(unmatchedCsv(['13700137000', '+86 137 0000 0000'], ['abc, "d"'])).toBe(
      '\uFEFFphone,reason\r\n13700137000,not_found\r\n+86 137 0000 0000,not_found\r\n"abc, ""d""",invalid\r\n',
    );
  });

  it('keeps a spreadsheet from running a cell as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('-1+2')).toBe(`'-1+2`);
    expect(csvCell('+8613800138000')).toBe('+8613800138000');
  });
});

describe('issueToList', () => {
  const list = (phones: string[], duplicateRows = 0): PhoneList => ({ phones, rows: phones.length, duplicateRows, column: null });
  const answer = (phones: string[], extra: Partial<PhoneIssueResult> = {}): PhoneIssueResult => ({
    issued: phones.length,
    first_coupon_id: '1',
    not_found: [],
    invalid: [],
    duplicates: 0,
    ...extra,
  });

  it('sends the phones in requests of the given size, one after another, and adds up the answers', async () => {
    const sent: string[][] = [];
    const seen: ListIssueProgress[] = [];
    const result = await issueToList(
      list(['1', '2', '3', '4', '5'], 2),
      2,
      async (phones) => {
        sent.push(phones);
        return phones.includes('3')
          ? answer(phones, { issued: 1, not_found: ['3'] })
          : phones.includes('5')
            ? answer(phones, { issued: 0, invalid: ['5'], duplicates: 0 })
            : answer(phones, { duplicates: 1, issued: 1 });
      },
      (progress) => seen.push(progress),
    );
    expect(sent).toEqual([['1', '2'], ['3', '4'], ['5']]);
    expect(seen.map((p) => p.sent)).toEqual([2, 4, 5, 5]);
    expect(result).toEqual({
      sent: 5,
      total: 5,
      issued: 2,
      notFound: ['3'],
      invalid: ['5'],
      duplicates: 3,
      error: null,
      stopped: false,
      done: true,
    });
  });

  it('stops at the first error, keeping what was issued before it', async () => {
    const outOfStock = new ApiError(409, 'COUPON_OUT_OF_STOCK', 'gone');
    let calls = 0;
    const result = await issueToList(
      list(['1', '2', '3', '4', '5']),
      2,
      async (phones) => {
        calls += 1;
        if (calls === 2) throw outOfStock;
        return answer(phones);
      },
      () => {},
    );
    expect(calls).toBe(2);
    expect(result).toMatchObject({ sent: 2, issued: 2, error: outOfStock, done: true, stopped: false });
  });

  it('stops before the next request when asked', async () => {
    let calls = 0;
    const result = await issueToList(
      list(['1', '2', '3']),
      1,
      async (phones) => {
        calls += 1;
        return answer(phones);
      },
      () => {},
      () => calls === 1,
    );
    expect(calls).toBe(1);
    expect(result).toMatchObject({ sent: 1, issued: 1, stopped: true, done: true, error: null });
  });
});
