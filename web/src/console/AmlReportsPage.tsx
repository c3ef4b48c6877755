// AML reports (admin, risk, auditor): the large-value report of one China-time day (customers
// whose money in and out reaches ¥500,000, and, separately, whose top-ups and withdrawals reach
// ¥50,000; the server's default thresholds) and the suspicious-transaction cases from the risk
// review queue over a range of days. Both download as CSV or XLSX; every download is audited.
import { Button, Card, Input, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';

import {
  amlFileName,
  exportAmlCases,
  exportLargeValueReport,
  getLargeValueReport,
  listAmlCases,
  type AmlCase,
  type AmlExportFormat,
  type CasesQuery,
  type LargeValueRow,
} from '../api/aml';
import { staffApi } from '../api/session';
import { chinaDate } from '../charts/format';
import { saveBlob } from '../download';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { ConsoleError } from './StaffLayout';

function ExportButtons({
  prefix,
  run,
}: {
  prefix: string;
  run: (format: AmlExportFormat) => Promise<void>;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<AmlExportFormat | null>(null);
  const [error, setError] = useState<unknown>(null);
  const click = async (format: AmlExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      await run(format);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space direction="vertical" size={4}>
      <Space>
        <Button loading={busy === 'csv'} onClick={() => void click('csv')} data-testid={`${prefix}-csv`}>
          {t('aml.exportCsv')}
        </Button>
        <Button loading={busy === 'xlsx'} onClick={() => void click('xlsx')} data-testid={`${prefix}-xlsx`}>
          {t('aml.exportXlsx')}
        </Button>
        <Typography.Text type="secondary">{t('aml.exportAudited')}</Typography.Text>
      </Space>
      <ConsoleError error={error} />
    </Space>
  );
}

function LargeValueTab() {
  const { t } = useI18n();
  const [draft, setDraft] = useState(() => chinaDate(new Date(), 1));
  const [date, setDate] = useState(draft);
  const report = useLoad(() => getLargeValueReport(staffApi, { date }), [date]);
  const columns = [
    { title: t('aml.customer'), dataIndex: 'customer_id', key: 'customer' },
    { title: t('aml.name'), dataIndex: 'name', key: 'name' },
    { title: t('aml.phone'), dataIndex: 'phone', key: 'phone' },
    { title: t('aml.count'), dataIndex: 'count', key: 'count', align: 'right' as const },
    ...(
      [
        ['total_in', 'aml.totalIn'],
        ['total_out', 'aml.totalOut'],
        ['total', 'aml.total'],
      ] as const
    ).map(([field, label]) => ({
      title: t(label),
      key: field,
      align: 'right' as const,
      render: (_: unknown, row: LargeValueRow) => <span data-fen={row[field]}>{formatFen(row[field])}</span>,
    })),
  ];
  const section = (rows: LargeValueRow[] | undefined, kind: 'transfer' | 'cash') => (
    <Table
      size="small"
      rowKey="customer_id"
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      loading={report.loading}
      dataSource={rows ?? []}
      columns={columns}
      data-testid={`aml-${kind}-table`}
      onRow={(row) => ({ 'data-testid': `aml-${kind}-row`, 'data-row-id': row.customer_id }) as object}
    />
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>{t('aml.date')}</span>
        <Input
          type="date"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          style={{ width: 170 }}
          data-testid="aml-date"
        />
        <Button type="primary" onClick={() => setDate(draft)} disabled={draft === ''} data-testid="aml-apply">
          {t('aml.apply')}
        </Button>
      </Space>
      <ExportButtons
        prefix="aml-large-value"
        run={async (format) =>
          saveBlob(
            await exportLargeValueReport(staffApi, { date }, format),
            amlFileName('large-value', [date], format),
          )
        }
      />
      <ConsoleError error={report.error} />
      {report.data && (
        <Typography.Text type="secondary">
          {t('aml.thresholds', {
            transfer: formatFen(report.data.transfer_threshold),
            cash: formatFen(report.data.cash_threshold),
          })}
        </Typography.Text>
      )}
      {report.data?.truncated && <Typography.Text type="warning">{t('aml.truncated')}</Typography.Text>}
      <Typography.Title level={5}>{t('aml.transfers')}</Typography.Title>
      {section(report.data?.transfers, 'transfer')}
      <Typography.Title level={5}>{t('aml.cash')}</Typography.Title>
      {section(report.data?.cash, 'cash')}
    </Space>
  );
}

const STATE_COLORS: Record<AmlCase['state'], string> = {
  open: 'orange',
  approved: 'green',
  rejected: 'red',
  expired: 'default',
};

function CasesTab() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<CasesQuery>(() => {
    const now = new Date();
    return { from: chinaDate(now, 29), to: chinaDate(now) };
  });
  const [query, setQuery] = useState<CasesQuery>(draft);
  const [rangeError, setRangeError] = useState(false);
  const cases = useLoad(() => listAmlCases(staffApi, query), [query]);
  const apply = () => {
    const bad = draft.from === '' || draft.to === '' || draft.from > draft.to;
    setRangeError(bad);
    if (!bad) setQuery({ ...draft });
  };
  const columns = [
    { title: t('aml.case'), dataIndex: 'case_id', key: 'case' },
    {
      title: t('aml.customer'),
      key: 'customer',
      render: (_: unknown, row: AmlCase) => `${row.customer_phone} (#${row.customer_id})`,
    },
    { title: t('aml.merchant'), dataIndex: 'merchant_id', key: 'merchant' },
    {
      title: t('aml.amount'),
      key: 'amount',
      align: 'right' as const,
      render: (_: unknown, row: AmlCase) => <span data-fen={row.amount}>{formatFen(row.amount)}</span>,
    },
    {
      title: t('aml.rules'),
      key: 'rules',
      render: (_: unknown, row: AmlCase) => (row.rules.length > 0 ? row.rules.join(', ') : '—'),
    },
    { title: t('aml.score'), dataIndex: 'score', key: 'score', align: 'right' as const },
    {
      title: t('aml.state'),
      key: 'state',
      render: (_: unknown, row: AmlCase) => (
        <Tag color={STATE_COLORS[row.state]}>{t(`risk.review.state.${row.state}`)}</Tag>
      ),
    },
    {
      title: t('aml.label'),
      key: 'label',
      render: (_: unknown, row: AmlCase) => (row.label ? t(`risk.review.label.${row.label}`) : '—'),
    },
    {
      title: t('aml.opened'),
      key: 'opened',
      render: (_: unknown, row: AmlCase) => formatChinaTime(row.opened_at),
    },
    {
      title: t('aml.closed'),
      key: 'closed',
      render: (_: unknown, row: AmlCase) => (row.closed_at ? formatChinaTime(row.closed_at) : '—'),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>{t('aml.from')}</span>
        <Input
          type="date"
          value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          style={{ width: 170 }}
          data-testid="aml-cases-from"
        />
        <span>{t('aml.to')}</span>
        <Input
          type="date"
          value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          style={{ width: 170 }}
          data-testid="aml-cases-to"
        />
        <Button type="primary" onClick={apply} data-testid="aml-cases-apply">
          {t('aml.apply')}
        </Button>
      </Space>
      {rangeError && <Typography.Text type="danger">{t('aml.badRange')}</Typography.Text>}
      <Typography.Text type="secondary">{t('aml.casesHint')}</Typography.Text>
      <ExportButtons
        prefix="aml-cases"
        run={async (format) =>
          saveBlob(
            await exportAmlCases(staffApi, query, format),
            amlFileName('cases', [query.from, query.to], format),
          )
        }
      />
      <ConsoleError error={cases.error} />
      <Table
        size="small"
        rowKey="case_id"
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        loading={cases.loading}
        dataSource={cases.data ?? []}
        columns={columns}
        onRow={(row) => ({ 'data-testid': 'aml-case-row', 'data-row-id': row.case_id, 'data-state': row.state }) as object}
      />
    </Space>
  );
}

export function AmlReportsPage() {
  const { t } = useI18n();
  return (
    <Card title={t('console.amlReports')}>
      <Tabs
        items={[
          { key: 'large-value', label: t('aml.tab.largeValue'), children: <LargeValueTab /> },
          { key: 'cases', label: t('aml.tab.cases'), children: <CasesTab /> },
        ]}
      />
    </Card>
  );
}
