import { describe, expect, it } from 'vitest';

import type { HistoryEntry } from '../api/types';
import { translate } from '../i18n/translate';
import { formatChinaTime, formatHistoryEntry, signedAmount } from './historyFormat';

const ENTRY: HistoryEntry = {
  id: 'h1',
  type: 'p2p_in',
  direction: 'in',
  amount: 123456,
  currency: 'CNY',
  status: 'completed',
  counterparty: { kind: 'customer', display: '138****8000 李*' },
  memo: '午饭',
  created_at: '2026-11-23T01:02:03Z',
};

describe('history entries', () => {
  it('shows times in China time', () => {
    expect(formatChinaTime('2026-11-23T01:02:03Z')).toBe('2026-11-23 09:02');
    expect(formatChinaTime('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00');
    expect(formatChinaTime('2026-11-23T01:02:03+08:00')).toBe('2026-11-23 01:02');
    expect(formatChinaTime('not a time')).toBe('not a time');
  });

  it('signs amounts by direction without floating point', () => {
    expect(signedAmount(ENTRY)).toBe('+¥1,234.56');
    expect(signedAmount({ direction: 'out', amount: 5, currency: 'CNY' })).toBe('-¥0.05');
    expect(signedAmount({ direction: 'out', amount: 30, currency: 'CNY' })).toBe('-¥0.30');
    expect(signedAmount({ direction: 'in', amount: 9007199254740991, currency: 'CNY' })).toBe(
      '+¥90,071,992,547,409.91',
    );
  });

  it('formats a whole entry with translatable type and status', () => {
    const line = formatHistoryEntry(ENTRY);
    expect(line).toEqual({
      counterparty: '138****8000 李*',
      amount: '+¥1,234.56',
      typeKey: 'history.type.p2p_in',
      statusKey: 'history.status.completed',
      time: '2026-11-23 09:02',
      memo: '午饭',
      tone: 'in',
    });
    expect(translate('zh', line.typeKey)).toBe('转入');
    expect(translate('en', line.statusKey)).toBe('Completed');
  });

  it('marks failed and outgoing entries', () => {
    const withdrawal: HistoryEntry = {
      ...ENTRY,
      type: 'withdrawal',
      direction: 'out',
      amount: 10000,
      status: 'failed',
      counterparty: { kind: 'card', display: '工商银行 尾号1234' },
      memo: null,
    };
    const line = formatHistoryEntry(withdrawal);
    expect(line.amount).toBe('-¥100.00');
    expect(line.tone).toBe('failed');
    expect(translate('zh', line.typeKey)).toBe('提现');
    expect(translate('zh', line.statusKey)).toBe('失败');
    expect(formatHistoryEntry({ ...withdrawal, status: 'processing' }).tone).toBe('out');
  });

  it('names a red packet share 红包, not 其他', () => {
    const share: HistoryEntry = {
      ...ENTRY,
      type: 'red_packet',
      amount: 417,
      counterparty: { kind: 'other', display: '红包' },
      memo: null,
    };
    const line = formatHistoryEntry(share);
    expect(line.amount).toBe('+¥4.17');
    expect(translate('zh', line.typeKey)).toBe('红包');
    expect(translate('en', line.typeKey)).toBe('Red packet');
  });
});
