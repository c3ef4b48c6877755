// The result of a campaign dry run in the editor: what the campaign would have cost and whom it
// would have reached over past payments, the server's approximations, and the cost per day.
import { Alert, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { Suspense, lazy, useMemo } from 'react';

import { dryRunFigures, type DryRunDay, type DryRunResult } from '../api/marketing';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';

const DryRunCostChart = lazy(() => import('./DryRunCostChart'));

const CHART_FALLBACK_HEIGHT_PX = 200;
const DAY_TABLE_HEIGHT_PX = 240;

function Money({ testId, title, fen }: { testId: string; title: string; fen: number | null }) {
  return (
    <Col xs={12} md={6}>
      <div data-testid={testId} data-fen={fen ?? ''}>
        <Statistic title={title} value={fen === null ? '—' : formatFen(fen)} />
      </div>
    </Col>
  );
}

function Count({ testId, title, n }: { testId: string; title: string; n: number }) {
  return (
    <Col xs={12} md={6}>
      <div data-testid={testId} data-count={n}>
        <Statistic title={title} value={n} />
      </div>
    </Col>
  );
}

export function CampaignDryRunPanel({ result, stale }: { result: DryRunResult; stale: boolean }) {
  const { t } = useI18n();
  const figures = useMemo(() => dryRunFigures(result), [result]);
  const dayColumns = [
    { title: t('campaign.dryRun.col.date'), dataIndex: 'date', key: 'date' },
    {
      title: t('campaign.dryRun.col.rewarded'),
      dataIndex: 'rewarded_payments',
      key: 'rewarded',
      align: 'right' as const,
    },
    {
      title: t('campaign.dryRun.col.cost'),
      key: 'cost',
      align: 'right' as const,
      render: (_: unknown, day: DryRunDay) => formatFen(day.cost),
    },
  ];
  return (
    <Card
      type="inner"
      style={{ marginTop: 16 }}
      title={t('campaign.dryRun.title', {
        from: formatChinaTime(result.from),
        to: formatChinaTime(result.to),
        days: result.days,
      })}
      extra={
        <Typography.Text type="secondary">
          {t('campaign.dryRun.scanned', { count: result.payments_scanned })}
        </Typography.Text>
      }
      data-testid="campaign-dry-run-result"
      data-rewarded={result.rewarded_payments}
      data-cost={result.cost}
      data-customers={result.customers_reached}
      data-truncated={result.truncated}
      data-stale={stale}
    >
      {stale && (
        <Alert type="info" showIcon title={t('campaign.dryRun.stale')} style={{ marginBottom: 12 }} data-testid="campaign-dry-run-stale" />
      )}
      {result.truncated && (
        <Alert
          type="warning"
          showIcon
          title={t('campaign.dryRun.truncated', { count: result.payments_scanned })}
          style={{ marginBottom: 12 }}
          data-testid="campaign-dry-run-truncated"
        />
      )}
      {result.budget_exhausted_at !== null && (
        <Alert
          type="warning"
          showIcon
          title={t('campaign.dryRun.budgetExhausted', { time: formatChinaTime(result.budget_exhausted_at) })}
          style={{ marginBottom: 12 }}
          data-testid="campaign-dry-run-budget-exhausted"
          data-time={result.budget_exhausted_at}
        />
      )}
      <Row gutter={[16, 16]}>
        <Count testId="campaign-dry-run-figure-rewarded" title={t('campaign.dryRun.rewarded')} n={result.rewarded_payments} />
        <Count testId="campaign-dry-run-figure-customers" title={t('campaign.dryRun.customers')} n={result.customers_reached} />
        <Count testId="campaign-dry-run-figure-holdout" title={t('campaign.dryRun.holdout')} n={result.holdout_customers} />
        <Money testId="campaign-dry-run-figure-cost" title={t('campaign.dryRun.cost')} fen={result.cost} />
        <Money testId="campaign-dry-run-figure-discount" title={t('campaign.dryRun.discount')} fen={result.discount} />
        <Money testId="campaign-dry-run-figure-cashback" title={t('campaign.dryRun.cashback')} fen={result.cashback} />
        <Money testId="campaign-dry-run-figure-gmv" title={t('campaign.dryRun.gmv')} fen={result.gmv} />
        <Money
          testId="campaign-dry-run-figure-cost-per-payment"
          title={t('campaign.dryRun.costPerPayment')}
          fen={figures.costPerRewardedPayment}
        />
        <Money
          testId="campaign-dry-run-figure-cost-per-customer"
          title={t('campaign.dryRun.costPerCustomer')}
          fen={figures.costPerCustomer}
        />
      </Row>
      {figures.notes.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('campaign.dryRun.notes')}
          </Typography.Title>
          <ul style={{ paddingInlineStart: 20, marginBottom: 0 }}>
            {figures.notes.map((note) => (
              <li key={note.code} data-testid="campaign-dry-run-note" data-note={note.code}>
                <Typography.Text type="secondary">{t(note.key, { code: note.code })}</Typography.Text>
              </li>
            ))}
          </ul>
        </>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('campaign.dryRun.chart')}
      </Typography.Title>
      {result.rewarded_payments === 0 ? (
        <Typography.Text type="secondary" data-testid="campaign-dry-run-no-reward">
          {t('campaign.dryRun.noReward')}
        </Typography.Text>
      ) : (
        <>
          <Suspense fallback={<div style={{ height: CHART_FALLBACK_HEIGHT_PX }} />}>
            <DryRunCostChart days={figures.days} seriesName={t('campaign.dryRun.col.cost')} />
          </Suspense>
          <Table
            size="small"
            rowKey="date"
            columns={dayColumns}
            dataSource={result.by_day}
            pagination={false}
            scroll={{ y: DAY_TABLE_HEIGHT_PX }}
            onRow={(day) =>
              ({
                'data-testid': 'campaign-dry-run-day',
                'data-row-id': day.date,
                'data-rewarded': day.rewarded_payments,
                'data-cost': day.cost,
              }) as object
            }
          />
        </>
      )}
    </Card>
  );
}
