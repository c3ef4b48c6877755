// A campaign's measured uplift against its A/B holdout, on the campaign's page: both groups side
// by side (customers, paying customers and conversion, payments, GMV, GMV per customer), the
// uplift of GMV per customer in big type, the period measured and the server's approximations.
// Rendered only for a campaign with a holdout (the server refuses the others).
import { Alert, Button, Card, Statistic, Table, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';

import {
  formatBpsPercent,
  formatSignedBpsPercent,
  getCampaignUplift,
  upliftFigures,
  type CampaignUplift,
} from '../api/marketing';
import { staffApi } from '../api/session';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { ConsoleError } from './StaffLayout';

type Group = 'treated' | 'holdout';

interface FigureRow {
  key: string;
  label: string;
  treated: ReactNode;
  holdout: ReactNode;
}

const Count = ({ testId, n }: { testId: string; n: number }) => (
  <span data-testid={testId} data-count={n}>
    {n}
  </span>
);

const Fen = ({ testId, fen }: { testId: string; fen: number | null }) => (
  <span data-testid={testId} data-fen={fen ?? ''}>
    {fen === null ? '—' : formatFen(fen)}
  </span>
);

const Bps = ({ testId, bps }: { testId: string; bps: number | null }) => (
  <span data-testid={testId} data-bps={bps ?? ''}>
    {bps === null ? '—' : formatBpsPercent(bps)}
  </span>
);

function UpliftResult({ uplift }: { uplift: CampaignUplift }) {
  const { t } = useI18n();
  const figures = useMemo(() => upliftFigures(uplift), [uplift]);
  const bps = uplift.gmv_per_customer_uplift_bps;
  const conversion: Record<Group, number | null> = {
    treated: figures.treatedConversionBps,
    holdout: figures.holdoutConversionBps,
  };
  const row = (key: string, label: string, cell: (group: Group) => ReactNode): FigureRow => ({
    key,
    label,
    treated: cell('treated'),
    holdout: cell('holdout'),
  });
  const id = (group: Group, figure: string) => `campaign-uplift-${group}-${figure}`;
  const rows: FigureRow[] = [
    row('customers', t('campaign.uplift.customers'), (g) => (
      <Count testId={id(g, 'customers')} n={uplift[g].customers} />
    )),
    row('paying', t('campaign.uplift.payingCustomers'), (g) => (
      <Count testId={id(g, 'paying-customers')} n={uplift[g].paying_customers} />
    )),
    row('conversion', t('campaign.uplift.conversion'), (g) => (
      <Bps testId={id(g, 'conversion')} bps={conversion[g]} />
    )),
    row('payments', t('campaign.uplift.payments'), (g) => (
      <Count testId={id(g, 'payments')} n={uplift[g].payments} />
    )),
    row('gmv', t('campaign.uplift.gmv'), (g) => <Fen testId={id(g, 'gmv')} fen={uplift[g].gmv} />),
    row('gmvPerCustomer', t('campaign.uplift.gmvPerCustomer'), (g) => (
      <Fen testId={id(g, 'gmv-per-customer')} fen={uplift[g].gmv_per_customer} />
    )),
  ];
  const columns = [
    { title: t('campaign.uplift.col.figure'), dataIndex: 'label', key: 'label' },
    {
      title: t('campaign.uplift.treated', { percent: 100 - uplift.holdout_percent }),
      dataIndex: 'treated',
      key: 'treated',
      align: 'right' as const,
    },
    {
      title: t('campaign.uplift.holdout', { percent: uplift.holdout_percent }),
      dataIndex: 'holdout',
      key: 'holdout',
      align: 'right' as const,
    },
  ];
  return (
    <>
      {uplift.truncated && (
        <Alert
          type="warning"
          showIcon
          title={t('campaign.uplift.truncated', { count: uplift.payments_scanned })}
          style={{ marginBottom: 12 }}
          data-testid="campaign-uplift-truncated"
        />
      )}
      <div data-testid="campaign-uplift-value" data-bps={bps ?? ''}>
        <Statistic
          title={t('campaign.uplift.value')}
          value={bps === null ? '—' : formatSignedBpsPercent(bps)}
          styles={{ content: { fontSize: 36 } }}
        />
      </div>
      {bps === null && (
        <Typography.Text type="secondary" data-testid="campaign-uplift-none">
          {t('campaign.uplift.none')}
        </Typography.Text>
      )}
      <Typography.Paragraph
        type="secondary"
        style={{ marginTop: 8 }}
        data-testid="campaign-uplift-period"
        data-from={uplift.from}
        data-to={uplift.to}
      >
        {t('campaign.uplift.period', {
          from: formatChinaTime(uplift.from),
          to: formatChinaTime(uplift.to),
          count: uplift.payments_scanned,
        })}
      </Typography.Paragraph>
      <Table<FigureRow> size="small" rowKey="key" columns={columns} dataSource={rows} pagination={false} />
      {figures.notes.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('campaign.uplift.notes')}
          </Typography.Title>
          <ul style={{ paddingInlineStart: 20, marginBottom: 0 }}>
            {figures.notes.map((note) => (
              <li key={note.code} data-testid="campaign-uplift-note" data-note={note.code}>
                <Typography.Text type="secondary">{t(note.key, { code: note.code })}</Typography.Text>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function CampaignUpliftCard({ campaignId }: { campaignId: string }) {
  const { t } = useI18n();
  const uplift = useLoad(() => getCampaignUplift(staffApi, campaignId), [campaignId]);
  const data = uplift.data;
  return (
    <Card
      type="inner"
      title={t('campaign.uplift.title')}
      style={{ marginBottom: 16 }}
      loading={uplift.loading && data === null}
      data-testid="campaign-uplift"
      data-uplift-bps={data?.gmv_per_customer_uplift_bps ?? ''}
      data-loaded={data !== null}
      extra={
        <Button size="small" loading={uplift.loading} onClick={uplift.reload} data-testid="campaign-uplift-refresh">
          {t('campaign.uplift.refresh')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('campaign.uplift.help')}</Typography.Paragraph>
      <ConsoleError error={uplift.error} />
      {data !== null && <UpliftResult uplift={data} />}
    </Card>
  );
}
