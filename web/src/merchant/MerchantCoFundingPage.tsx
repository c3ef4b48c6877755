// The campaigns the merchant co-funded (/merchant/co-funding, 联合营销): for each, what the
// merchant put in, its share of what the campaign spent (in proportion to what it put in), and
// what came back to it at the end, or would come back were the campaign to end now. Its return
// is paid with its next T+1 settlement. Other funders' figures are not shown.
import { Card, Table, Tag, Typography } from 'antd';

import { listMerchantCoFunding, type MerchantCoFunding } from '../api/merchant';
import { merchantApi } from '../api/session';
import { rowTestAttributes } from '../console/format';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { MerchantError } from './MerchantLayout';

export function MerchantCoFundingPage() {
  const { t } = useI18n();
  const rows = useLoad(() => listMerchantCoFunding(merchantApi), []);
  const fen = (key: 'funded' | 'cost' | 'returned' | 'campaign_funded' | 'campaign_cost') => ({
    key,
    align: 'right' as const,
    render: (_: unknown, r: MerchantCoFunding) => formatFen(r[key]),
  });
  const columns = [
    { title: t('merchant.coFunding.campaign'), dataIndex: 'name', key: 'name' },
    {
      title: t('merchant.coFunding.window'),
      key: 'window',
      render: (_: unknown, r: MerchantCoFunding) =>
        `${formatChinaTime(r.starts_at)} – ${formatChinaTime(r.ends_at)}`,
    },
    { title: t('merchant.coFunding.funded'), ...fen('funded') },
    { title: t('merchant.coFunding.cost'), ...fen('cost') },
    { title: t('merchant.coFunding.returned'), ...fen('returned') },
    { title: t('merchant.coFunding.campaignFunded'), ...fen('campaign_funded') },
    { title: t('merchant.coFunding.campaignCost'), ...fen('campaign_cost') },
    {
      title: t('merchant.coFunding.state'),
      key: 'state',
      render: (_: unknown, r: MerchantCoFunding) =>
        r.settled ? (
          <Tag color="green">{t('merchant.coFunding.settled')}</Tag>
        ) : (
          <Tag color="blue">{t('merchant.coFunding.running')}</Tag>
        ),
    },
  ];
  return (
    <Card title={t('merchant.coFunding')} data-testid="merchant-co-funding" data-loaded={String(rows.data !== null)}>
      <Typography.Paragraph type="secondary">{t('merchant.coFunding.explain')}</Typography.Paragraph>
      <MerchantError error={rows.error} />
      <Table<MerchantCoFunding>
        rowKey="campaign_id"
        size="small"
        columns={columns}
        dataSource={rows.data ?? []}
        loading={rows.loading}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(r) =>
          ({
            ...rowTestAttributes('co-funding-row', r.campaign_id),
            'data-settled': String(r.settled),
            'data-funded': r.funded,
            'data-cost': r.cost,
            'data-returned': r.returned,
          }) as React.HTMLAttributes<HTMLElement>
        }
      />
    </Card>
  );
}
