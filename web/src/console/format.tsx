// Small renderers shared by the console tables.
import { Tag } from 'antd';

import type { HistoryEntry, SettlementStatus, Tier } from '../api/types';
import { formatHistoryEntry } from '../h5/historyFormat';
import type { MessageKey } from '../i18n/dictionaries';

const TIER_COLORS: Record<Tier, string> = { IV: 'default', III: 'blue', II: 'green', I: 'gold' };

export function TierTag({ tier, t }: { tier: Tier; t: (key: MessageKey) => string }) {
  return (
    <Tag color={TIER_COLORS[tier]} data-testid="tier-tag" data-tier={tier}>
      {tier} · {t(`tier.${tier}`)}
    </Tag>
  );
}

/** The tag colour of a settlement's status, in the console and the merchant portal. */
export const SETTLEMENT_COLORS: Record<SettlementStatus, string> = {
  processing: 'processing',
  paid: 'success',
  failed: 'error',
};

/** Row attributes for antd tables: a test id and the row's id, for end-to-end tests. */
export function rowTestAttributes(testId: string, id: string) {
  return { 'data-testid': testId, 'data-row-id': id } as React.HTMLAttributes<HTMLElement>;
}

export function historyColumns(t: (key: MessageKey) => string) {
  return [
    {
      title: t('console.col.time'),
      key: 'time',
      render: (_: unknown, entry: HistoryEntry) => formatHistoryEntry(entry).time,
    },
    {
      title: t('console.col.type'),
      key: 'type',
      render: (_: unknown, entry: HistoryEntry) => t(formatHistoryEntry(entry).typeKey),
    },
    {
      title: t('console.col.counterparty'),
      key: 'counterparty',
      render: (_: unknown, entry: HistoryEntry) => entry.counterparty.display,
    },
    {
      title: t('console.col.amount'),
      key: 'amount',
      align: 'right' as const,
      render: (_: unknown, entry: HistoryEntry) => formatHistoryEntry(entry).amount,
    },
    {
      title: t('console.col.status'),
      key: 'status',
      render: (_: unknown, entry: HistoryEntry) => t(formatHistoryEntry(entry).statusKey),
    },
    {
      title: t('console.col.memo'),
      key: 'memo',
      render: (_: unknown, entry: HistoryEntry) => entry.memo ?? '',
    },
  ];
}
