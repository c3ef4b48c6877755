// Settlement and reconciliation (admin, auditor): the reconciliation report — ledger totals by
// transfer kind checked against balances and payment / settlement records — and every
// merchant's recent T+1 settlements.
import { Button, Card, Descriptions, Result, Space, Table, Tag } from 'antd';

import { staffApi } from '../api/session';
import { getReconciliation, listSettlements } from '../api/staff';
import type { ReconciliationCheck, Settlement } from '../api/types';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { rowTestAttributes, SETTLEMENT_COLORS } from './format';
import { ConsoleError } from './StaffLayout';

function ReconciliationCard() {
  const { t } = useI18n();
  const report = useLoad(() => getReconciliation(staffApi), []);
  const data = report.data;
  const checkColumns = [
    { title: t('console.reconciliation.check'), dataIndex: 'name', key: 'name' },
    {
      title: t('console.reconciliation.expected'),
      key: 'expected',
      align: 'right' as const,
      render: (_: unknown, c: ReconciliationCheck) => formatFen(c.expected),
    },
    {
      title: t('console.reconciliation.actual'),
      key: 'actual',
      align: 'right' as const,
      render: (_: unknown, c: ReconciliationCheck) => formatFen(c.actual),
    },
    {
      title: '',
      key: 'ok',
      render: (_: unknown, c: ReconciliationCheck) => (
        <Tag color={c.ok ? 'green' : 'red'}>
          {c.ok ? t('console.ledger.ok') : t('console.ledger.mismatch')}
        </Tag>
      ),
    },
  ];
  const movements = Object.entries(data?.movements_by_code ?? {}).map(([code, totals]) => ({
    code,
    ...totals,
  }));
  return (
    <Card
      title={t('console.reconciliation')}
      extra={
        <Button onClick={report.reload} loading={report.loading} data-testid="reconciliation-run">
          {t('console.ledger.run')}
        </Button>
      }
    >
      <ConsoleError error={report.error} />
      {data && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Result
            status={data.ok ? 'success' : 'error'}
            title={
              <span data-testid="reconciliation-status" data-ok={String(data.ok)}>
                {data.ok ? t('console.reconciliation.ok') : t('console.reconciliation.mismatch')}
              </span>
            }
            subTitle={data.ledger_problem ?? undefined}
          />
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, md: 2 }}
            title={t('console.reconciliation.balances')}
          >
            <Descriptions.Item label={t('console.reconciliation.customers')}>
              {formatFen(data.balances.customers)}
            </Descriptions.Item>
            <Descriptions.Item label={t('console.reconciliation.merchants')}>
              {formatFen(data.balances.merchants)}
            </Descriptions.Item>
            <Descriptions.Item label={t('console.reconciliation.feeIncome')}>
              {formatFen(data.balances.fee_income)}
            </Descriptions.Item>
            <Descriptions.Item label={t('console.reconciliation.bankClearing')}>
              {formatFen(data.balances.bank_clearing)}
            </Descriptions.Item>
          </Descriptions>
          <Table<ReconciliationCheck>
            rowKey="name"
            size="small"
            columns={checkColumns}
            dataSource={data.checks}
            pagination={false}
            onRow={(c) =>
              ({
                ...rowTestAttributes('reconciliation-check', c.name),
                'data-ok': String(c.ok),
              }) as React.HTMLAttributes<HTMLElement>
            }
          />
          <Table
            rowKey="code"
            size="small"
            title={() => t('console.reconciliation.movements')}
            dataSource={movements}
            pagination={false}
            columns={[
              { title: t('console.reconciliation.code'), dataIndex: 'code', key: 'code' },
              {
                title: t('console.reconciliation.posted'),
                key: 'posted',
                align: 'right' as const,
                render: (_: unknown, m: { posted: number }) => formatFen(m.posted),
              },
              {
                title: t('console.reconciliation.count'),
                dataIndex: 'count',
                key: 'count',
                align: 'right' as const,
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}

function SettlementsCard() {
  const { t } = useI18n();
  const settlements = useLoad(() => listSettlements(staffApi), []);
  const columns = [
    { title: t('settlement.businessDate'), dataIndex: 'business_date', key: 'date' },
    { title: t('settlement.merchant'), dataIndex: 'merchant_id', key: 'merchant' },
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
      extra={
        <Button onClick={settlements.reload} data-testid="settlements-refresh">
          {t('common.refresh')}
        </Button>
      }
    >
      <ConsoleError error={settlements.error} />
      <Table<Settlement>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={settlements.data ?? []}
        loading={settlements.loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(s) =>
          ({
            ...rowTestAttributes('settlement-row', s.id),
            'data-status': s.status,
            'data-fen': s.amount,
          }) as React.HTMLAttributes<HTMLElement>
        }
      />
    </Card>
  );
}

export function SettlementsPage() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <ReconciliationCard />
      <SettlementsCard />
    </Space>
  );
}
