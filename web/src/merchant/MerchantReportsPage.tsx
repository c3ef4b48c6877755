// The sales report (/merchant/reports): a China-time date range by day or week, the totals,
// gross (bars) and net (line) per period, sales by channel (bar), the rows, and CSV / XLSX exports
// fetched with the Bearer header. Loaded lazily with ECharts.
import { Button, Card, Col, Input, Radio, Row, Space, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';

import {
  exportSalesReport,
  getSalesReport,
  type SalesExportFormat,
  type SalesQuery,
} from '../api/merchant';
import { merchantApi } from '../api/session';
import type { SalesPeriod, SalesReport, SalesRow } from '../api/types';
import { EChart } from '../charts/EChart';
import type { EChartsCoreOption } from '../charts/echarts';
import { chinaDate, fenAxisLabel, shortDate } from '../charts/format';
import { saveBlob } from '../download';
import { channelKey, PAYMENT_CHANNELS } from '../h5/paymentFormat';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { MerchantError } from './MerchantLayout';

const DEFAULT_RANGE_DAYS = 30;
const CHART_HEIGHT_PX = 300;
const GROSS_COLOR = '#c8102e';
const NET_COLOR = '#1677ff';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Fen as plain numbers for the chart geometry; every text goes through formatFen. */
function fenTooltip(items: { seriesName: string; name: string; value: unknown }[]): string {
  const head = items[0]?.name ?? '';
  const lines = items.map(
    (item) => `${item.seriesName}: ${typeof item.value === 'number' ? formatFen(item.value) : ''}`,
  );
  return [head, ...lines].join('<br/>');
}

function trendOption(report: SalesReport, t: Translate): EChartsCoreOption {
  return {
    color: [GROSS_COLOR, NET_COLOR],
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', formatter: fenTooltip },
    xAxis: { type: 'category', data: report.rows.map((row) => shortDate(row.period_start)) },
    yAxis: { type: 'value', axisLabel: { formatter: fenAxisLabel } },
    series: [
      {
        name: t('reports.gross'),
        type: 'bar',
        data: report.rows.map((row) => row.gross),
        barMaxWidth: 16,
      },
      { name: t('reports.net'), type: 'line', data: report.rows.map((row) => row.net) },
    ],
  };
}

function channelOption(report: SalesReport, t: Translate): EChartsCoreOption {
  const amounts = PAYMENT_CHANNELS.map((channel) => report.totals.by_channel[channel]?.amount ?? 0);
  // Horizontal bars: the channel names are long and all of them must show.
  return {
    color: [GROSS_COLOR],
    grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', formatter: fenTooltip },
    yAxis: {
      type: 'category',
      inverse: true,
      data: PAYMENT_CHANNELS.map((channel) => t(channelKey(channel))),
    },
    xAxis: { type: 'value', axisLabel: { formatter: fenAxisLabel, hideOverlap: true } },
    series: [{ name: t('reports.gross'), type: 'bar', data: amounts, barMaxWidth: 24 }],
  };
}

const TOTALS: readonly { field: keyof SalesRow; label: MessageKey; money: boolean }[] = [
  { field: 'payment_count', label: 'reports.payments', money: false },
  { field: 'gross', label: 'reports.gross', money: true },
  { field: 'refunds', label: 'reports.refunds', money: true },
  { field: 'fees', label: 'reports.fees', money: true },
  { field: 'net', label: 'reports.net', money: true },
  { field: 'average_ticket', label: 'reports.averageTicket', money: true },
  { field: 'unique_customers', label: 'reports.customers', money: false },
  { field: 'repeat_customers', label: 'reports.repeat', money: false },
];

function Totals({ totals }: { totals: SalesRow }) {
  const { t } = useI18n();
  return (
    <Row gutter={[16, 16]}>
      {TOTALS.map(({ field, label, money }) => {
        const value = totals[field] as number;
        return (
          <Col xs={12} md={6} key={field}>
            <Card size="small" data-testid={`reports-total-${field}`} data-value={value}>
              <Statistic title={t(label)} value={money ? formatFen(value) : String(value)} />
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

export default function MerchantReportsPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Required<SalesQuery>>(() => {
    const now = new Date();
    return { from: chinaDate(now, DEFAULT_RANGE_DAYS - 1), to: chinaDate(now), period: 'day' };
  });
  const [query, setQuery] = useState<SalesQuery>(draft);
  const [message, setMessage] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState<SalesExportFormat | null>(null);
  const report = useLoad(() => getSalesReport(merchantApi, query), [query]);
  const data = report.data;
  const options = useMemo(
    () => data && { trend: trendOption(data, t), channel: channelOption(data, t) },
    [data, t],
  );

  const apply = () => {
    if (draft.from > draft.to) {
      setMessage(t('reports.badRange'));
      return;
    }
    setMessage(null);
    setQuery({ ...draft });
  };

  const download = async (format: SalesExportFormat) => {
    setExportError(null);
    setExporting(format);
    try {
      const blob = await exportSalesReport(merchantApi, query, format);
      saveBlob(blob, `sales-${query.from ?? ''}-${query.to ?? ''}-${query.period}.${format}`);
    } catch (cause) {
      setExportError(cause);
    } finally {
      setExporting(null);
    }
  };

  const columns = [
    { title: t('reports.periodStart'), dataIndex: 'period_start', key: 'period_start' },
    {
      title: t('reports.payments'),
      dataIndex: 'payment_count',
      key: 'count',
      align: 'right' as const,
    },
    ...(['gross', 'refunds', 'fees', 'net', 'average_ticket'] as const).map((field) => ({
      title: t(TOTALS.find((entry) => entry.field === field)?.label ?? 'reports.gross'),
      key: field,
      align: 'right' as const,
      render: (_: unknown, row: SalesRow) => formatFen(row[field]),
    })),
    {
      title: t('reports.customers'),
      dataIndex: 'unique_customers',
      key: 'customers',
      align: 'right' as const,
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('merchant.reports')}>
        <Space wrap>
          <label>
            {t('history.from')}{' '}
            <Input
              type="date"
              value={draft.from}
              onChange={(event) => setDraft({ ...draft, from: event.target.value })}
              style={{ width: 160 }}
              data-testid="reports-from"
            />
          </label>
          <label>
            {t('history.to')}{' '}
            <Input
              type="date"
              value={draft.to}
              onChange={(event) => setDraft({ ...draft, to: event.target.value })}
              style={{ width: 160 }}
              data-testid="reports-to"
            />
          </label>
          <Radio.Group
            value={draft.period}
            onChange={(event) => setDraft({ ...draft, period: event.target.value as SalesPeriod })}
            optionType="button"
          >
            <Radio.Button value="day">
              <span data-testid="reports-period-day">{t('reports.period.day')}</span>
            </Radio.Button>
            <Radio.Button value="week">
              <span data-testid="reports-period-week">{t('reports.period.week')}</span>
            </Radio.Button>
          </Radio.Group>
          <Button type="primary" onClick={apply} loading={report.loading} data-testid="reports-query">
            {t('reports.query')}
          </Button>
          <Button
            onClick={() => void download('csv')}
            loading={exporting === 'csv'}
            data-testid="reports-export-csv"
          >
            {t('reports.exportCsv')}
          </Button>
          <Button
            onClick={() => void download('xlsx')}
            loading={exporting === 'xlsx'}
            data-testid="reports-export-xlsx"
          >
            {t('reports.exportXlsx')}
          </Button>
        </Space>
        {message && (
          <div>
            <Typography.Text type="danger" data-testid="merchant-form-message">
              {message}
            </Typography.Text>
          </div>
        )}
      </Card>
      <MerchantError error={report.error ?? exportError} />
      {data && options && (
        <div
          data-testid="reports-result"
          data-from={data.from}
          data-to={data.to}
          data-period={data.period}
          data-rows={data.rows.length}
        >
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Typography.Text type="secondary">
              {t('reports.range', { from: data.from, to: data.to })}
            </Typography.Text>
            <Totals totals={data.totals} />
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={14}>
                <Card title={t('reports.trend')}>
                  <EChart
                    option={options.trend}
                    height={CHART_HEIGHT_PX}
                    testId="reports-trend-chart"
                  />
                </Card>
              </Col>
              <Col xs={24} lg={10}>
                <Card title={t('reports.byChannel')}>
                  <EChart
                    option={options.channel}
                    height={CHART_HEIGHT_PX}
                    testId="reports-channel-chart"
                  />
                </Card>
              </Col>
            </Row>
            <Table<SalesRow>
              rowKey="period_start"
              size="small"
              columns={columns}
              dataSource={data.rows}
              pagination={{ pageSize: 31, hideOnSinglePage: true }}
            />
          </Space>
        </div>
      )}
    </Space>
  );
}
