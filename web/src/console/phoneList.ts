// A list of phone numbers ops upload (a CSV or plain-text file) to issue coupons to, or to add to
// or take out of a custom customer list, read in the browser: no I/O here, so the reading is
// tested on its own.
//
// The file grammar (RFC 4180, as Excel and WPS save it):
//   file    = [BOM] record *(newline record) [newline]
//   newline = CRLF | LF | CR
//   record  = field *(separator field)      separator: "," or, when the first line has a tab
//                                            and no comma, a tab
//   field   = quoted | bare
//   quoted  = '"' *(any char but '"' | '""') '"'   may hold separators and newlines
//   bare    = *(any char but separator, newline)
// The bytes are UTF-8, or UTF-16 with its BOM, or — as Excel saves a CSV on a Chinese Windows —
// GB 18030 (a superset of GBK) when they are not valid UTF-8.
//
// Which field holds the phone: with a header row naming a column phone, mobile, 手机号, 手机号码
// or 手机 (any case), that column; otherwise, when the file has one column, every line, skipping
// a first line that does not look like a phone number (a header with another name). A file with
// several columns and no such header is refused rather than guessed at.
import type { PhoneIssueResult } from '../api/marketing';
import { sendInParts, type PartsProgress } from '../api/phoneParts';

/** The largest file read (bytes): ~16 MB is far more than 500,000 phones with a name each. */
export const MAX_LIST_FILE_BYTES = 16 * 1024 * 1024;
/** The most data rows read; a longer list is refused, to be split by ops. */
export const MAX_LIST_ROWS = 500_000;
/** Header names of the phone column, compared trimmed and lower-cased. */
export const PHONE_HEADERS: readonly string[] = ['phone', 'mobile', '手机号', '手机号码', '手机'];

export type PhoneListProblem = 'empty' | 'no_phone_column' | 'too_many_rows';

export interface PhoneList {
  /** The phones to send, each number once, as written in the file (trimmed), in file order. */
  phones: string[];
  /** Non-empty data rows read (the header not counted). */
  rows: number;
  /** Rows naming a number already listed (the same digits, however written). */
  duplicateRows: number;
  /** The header of the column read, or null for a one-column file without one. */
  column: string | null;
}

export type PhoneListResult = { ok: true; list: PhoneList } | { ok: false; problem: PhoneListProblem };

/** Decodes an uploaded file: UTF-16 by its BOM, else UTF-8, else GB 18030. */
export function decodeListFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * The records of a CSV text (grammar above), at most `maxRecords` of them; `truncated` says
 * more followed. A quote left open runs to the end of the text, as spreadsheets read it.
 */
export function parseCsv(text: string, maxRecords: number): { records: string[][]; truncated: boolean } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstLine = body.slice(0, body.search(/[\r\n]|$/));
  const separator = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  // Fields are sliced whole rather than built a character at a time: a list can be large.
  const separatorCode = separator.charCodeAt(0);
  const restOfField = (from: number) => {
    let end = from;
    for (; end < body.length; end += 1) {
      const code = body.charCodeAt(end);
      if (code === separatorCode || code === 0x0a || code === 0x0d) break;
    }
    return end;
  };
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  // Each turn reads one field and the separator or newline after it.
  while (i < body.length) {
    let field = '';
    if (body[i] === '"') {
      i += 1;
      for (;;) {
        const close = body.indexOf('"', i);
        if (close < 0) {
          field += body.slice(i);
          i = body.length;
          break;
        }
        field += body.slice(i, close);
        i = close + 1;
        if (body[i] !== '"') break;
        field += '"';
        i += 1;
      }
    }
    // A bare field, or what follows a closing quote (kept, as spreadsheets do).
    const end = restOfField(i);
    field += body.slice(i, end);
    i = end;
    record.push(field);
    const c = body[i];
    if (c === separator) {
      i += 1;
      if (i < body.length) continue;
      record.push('');
    }
    if (records.length === maxRecords) return { records, truncated: true };
    records.push(record);
    record = [];
    if (c === '\r' && body[i + 1] === '\n') i += 2;
    else if (c === '\r' || c === '\n') i += 1;
  }
  return { records, truncated: false };
}

/** Separators people write inside phone numbers. */
const PHONE_PUNCTUATION = /[\s\-().]/g;

/** Whether a text looks like a phone number: an optional +, then 5 to 15 digits and separators. */
export function isPhoneLike(text: string): boolean {
  return /^\+?\d{5,15}$/.test(text.replace(PHONE_PUNCTUATION, ''));
}

/**
 * What identifies a number for de-duplication: the digits of a phone-like text, a mainland
 * mobile without its +86 / 0086 / 86 prefix; any other text as it is. Two texts with the same
 * key name the same number, so the server would count the second as a duplicate anyway.
 */
export function phoneKey(text: string): string {
  if (!isPhoneLike(text)) return text;
  const digits = text.replace(PHONE_PUNCTUATION, '');
  const mainland = /^(?:\+|00)?86(1\d{10})$/.exec(digits);
  return mainland ? (mainland[1] as string) : digits.replace(/^\+/, '');
}

/** The trimmed, non-empty cells of one column. */
function cellsOf(records: string[][], column: number): string[] {
  return records.map((record) => (record[column] ?? '').trim()).filter((cell) => cell !== '');
}

/** The phones of a decoded file (the rules at the top of this file). */
export function readPhoneList(text: string): PhoneListResult {
  // Room for a header and blank lines; a text longer still is too long whatever it holds.
  const { records, truncated } = parseCsv(text, 2 * MAX_LIST_ROWS + 1);
  const filled = records.filter((record) => record.some((cell) => cell.trim() !== ''));
  const header = filled[0];
  if (header === undefined) return { ok: false, problem: 'empty' };
  const phoneColumn = header.findIndex((cell) => PHONE_HEADERS.includes(cell.trim().toLowerCase()));
  let cells: string[];
  let column: string | null = null;
  if (phoneColumn >= 0) {
    column = (header[phoneColumn] as string).trim();
    cells = cellsOf(filled.slice(1), phoneColumn);
  } else {
    const wide = filled.some((record) => record.filter((cell) => cell.trim() !== '').length > 1);
    if (wide) return { ok: false, problem: 'no_phone_column' };
    // One column: every record's one filled cell, wherever a stray separator put it.
    cells = filled.map((record) => (record.find((cell) => cell.trim() !== '') as string).trim());
    if (!isPhoneLike(cells[0] as string)) cells = cells.slice(1);
  }
  if (truncated || cells.length > MAX_LIST_ROWS) return { ok: false, problem: 'too_many_rows' };
  if (cells.length === 0) return { ok: false, problem: 'empty' };
  const seen = new Set<string>();
  const phones: string[] = [];
  for (const cell of cells) {
    const key = phoneKey(cell);
    if (seen.has(key)) continue;
    seen.add(key);
    phones.push(cell);
  }
  return { ok: true, list: { phones, rows: cells.length, duplicateRows: cells.length - phones.length, column } };
}

/**
 * A cell as CSV: quoted when it holds a separator, quote or newline. A cell a spreadsheet would
 * run as a formula (=, @, or + / - not followed by a phone number) gets a leading apostrophe;
 * "+86 139 0013 9000" stays as it is.
 */
export function csvCell(text: string): string {
  const formula = /^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !isPhoneLike(text));
  const safe = formula ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The rows the server matched to no customer (no coupon went to them, or they joined no list),
 * as a CSV file for ops (UTF-8 with a BOM, so Excel reads the Chinese): `phone,reason` with
 * reason not_found (no open customer) or invalid (not a phone).
 */
export function unmatchedCsv(notFound: readonly string[], invalid: readonly string[]): string {
  const lines = ['phone,reason'];
  for (const phone of notFound) lines.push(`${csvCell(phone)},not_found`);
  for (const phone of invalid) lines.push(`${csvCell(phone)},invalid`);
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Where issuing to a list has got to: the figures of the requests answered so far. */
export interface ListIssueProgress {
  /** Phones in requests the server answered. */
  sent: number;
  total: number;
  issued: number;
  notFound: string[];
  invalid: string[];
  /** The server's duplicates, plus the rows the reading dropped as the same number. */
  duplicates: number;
  /** The error that stopped it, or null. */
  error: unknown;
  /** Stopped by ops before the end. */
  stopped: boolean;
  done: boolean;
}

/**
 * Sends `list`'s phones in requests of `perRequest`, one after another (the server checks the
 * stock per request), reporting after each answer. Stops at the first error — the phones of the
 * failed request and after are not sent — or before the next request once `shouldStop` says so.
 */
export async function issueToList(
  list: PhoneList,
  perRequest: number,
  send: (phones: string[]) => Promise<PhoneIssueResult>,
  onProgress: (progress: ListIssueProgress) => void,
  shouldStop: () => boolean = () => false,
): Promise<ListIssueProgress> {
  type Totals = Pick<ListIssueProgress, 'issued' | 'notFound' | 'invalid' | 'duplicates'>;
  const flat = ({ totals, ...rest }: PartsProgress<Totals>): ListIssueProgress => ({ ...rest, ...totals });
  const initial: Totals = { issued: 0, notFound: [], invalid: [], duplicates: list.duplicateRows };
  const add = (totals: Totals, answer: PhoneIssueResult): Totals => ({
    issued: totals.issued + answer.issued,
    notFound: totals.notFound.concat(answer.not_found),
    invalid: totals.invalid.concat(answer.invalid),
    duplicates: totals.duplicates + answer.duplicates,
  });
  const progress = await sendInParts(
    list.phones,
    perRequest,
    send,
    add,
    initial,
    (reached) => onProgress(flat(reached)),
    shouldStop,
  );
  return flat(progress);
}
