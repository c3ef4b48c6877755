// The merchant's settlements (/merchant/settlements): each business day's T+1 payout with the
// day's takings, newest first.
import { Card, Table, Tag, Typography } from 'antd';

import { listMerchantSettlements } from '../api/merchant';
import { merchantApi } from '../api/session';
import type { Settlement } from '../api/types';
import { rowTestAttributes, SETTLEMENT_COLORS } from '../console/format';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { MerchantError } from './MerchantLayout';

export function MerchantSettlementsPage() {
  const { t } = useI18n();
  const settlements = useLoad(() => listMerchantSettlements(merchantApi), []);
  const day = (field: 'payment_count' | 'gross' | 'fees' | 'refunds' | 'net') =>
    (s: Settlement) => {
      const value = s.day?.[field];
      if (value === undefined) return '—';
      return field === 'payment_count' ? value : formatFen(value);
    };
  const columns = [
    { title: t('settlement.businessDate'), dataIndex: 'business_date', key: 'date' },
    {
      title: t('reports.payments'),
      key: 'count',
      align: 'right' as const,
      render: (_: unknown, s: Settlement) => day('payment_count')(s),
    },
    {
      title: t('reports.gross'),
      key: 'gross',
      align: 'right' as const,
      render: (_: unknown, s: Settlement) => day('gross')(s),
    },
    {
      title: t('reports.refunds'),
      key: 'refunds',
      align: 'right' as const,
      render: (_: unknown, s: Settlement) => day('refunds')(s),
    },
    {
      title: t('reports.fees'),
      key: 'fees',
      align: 'right' as const,
      render: (_: unknown, s: Settlement) => day('fees')(s),
    },
    {
      title: t('settlement.amount'),
      key: 'amount',
      align: 'right' as const,
      render: (_: unknown, s: Settlement) => formatFen(s.amount),
    },
    {
      title: t('settlement.status'),
      key: 'status',
      render: (_: unknown, s: Settlement) => (
        <Tag color={SETTLEMENT_COLORS[s.status]}>{t(`settlement.status.${s.status}`)}</Tag>
      ),
    },
    {
      title: t('settlement.createdAt'),
      key: 'created',
      render: (_: unknown, s: Settlement) => formatChinaTime(s.created_at),
    },
  ];
  return (
    <Card
      title={t('merchant.settlements')}
      data-testid="merchant-settlements"
      data-loaded={String(settlements.data !== null)}
    >
      <Typography.Paragraph type="secondary">{t('settlement.explain')}</Typography.Paragraph>
      <MerchantError error={settlements.error} />
      <Table<Settlement>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={settlements.data ?? []}
        loading={settlements.loading}
        pagination={{ pageSize: 31, hideOnSinglePage: true }}
        onRow={(s) =>
          ({
            ...rowTestAttributes('settlement-row', s.id),
            'data-status': s.status,
            'data-fen': s.amount,
            'data-business-date': s.business_date,
          }) as React.HTMLAttributes<HTMLElement>
        }
      />
    </Card>
  );
}
