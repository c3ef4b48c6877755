// How a history entry reads: who, how much with its sign, what kind, how it ended, and when in
// China time (the customers' time zone, whatever the phone's setting).
import type { HistoryEntry } from '../api/types';
import type { MessageKey } from '../i18n/dictionaries';
import { formatMoney } from '../money';

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** "2026-11-23 09:02" for "2026-11-23T01:02:03Z"; the input itself when it is not a time. */
export function formatChinaTime(rfc3339: string): string {
  const millis = Date.parse(rfc3339);
  if (Number.isNaN(millis)) return rfc3339;
  const china = new Date(millis + CHINA_OFFSET_MS);
  const pad = (value: number) => String(value).padStart(2, '0');
  const month = pad(china.getUTCMonth() + 1);
  const date = `${china.getUTCFullYear()}-${month}-${pad(china.getUTCDate())}`;
  const time = `${pad(china.getUTCHours())}:${pad(china.getUTCMinutes())}`;
  return `${date} ${time}`;
}

/** The amount with "+" for money in and "-" for money out: "+¥12.30", "-¥0.05". */
export function signedAmount(entry: Pick<HistoryEntry, 'direction' | 'amount' | 'currency'>) {
  const text = formatMoney({ amount: entry.amount, currency: entry.currency });
  return `${entry.direction === 'in' ? '+' : '-'}${text}`;
}

export interface HistoryLine {
  counterparty: string;
  amount: string;
  typeKey: MessageKey;
  statusKey: MessageKey;
  time: string;
  memo: string | null;
  /** "in" | "out", for colouring; a failed entry moved nothing and is shown muted. */
  tone: 'in' | 'out' | 'failed';
}

export function formatHistoryEntry(entry: HistoryEntry): HistoryLine {
  return {
    counterparty: entry.counterparty.display,
    amount: signedAmount(entry),
    typeKey: `history.type.${entry.type}`,
    statusKey: `history.status.${entry.status}`,
    time: formatChinaTime(entry.created_at),
    memo: entry.memo,
    tone: entry.status === 'failed' ? 'failed' : entry.direction,
  };
}
