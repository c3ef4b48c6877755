// A co-funded campaign's settlement (联合营销结算): what the bank and each merchant put in,
// their share of what the campaign spent (in proportion to what each put in) and what went
// back to each at the end, or would go back were the campaign to end now.
import { Alert, Card, Table } from 'antd';

import type { CoFunder, CoFunding } from '../api/marketing';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { fundingShare } from './coFunding';

export function CoFundingCard({ funding }: { funding: CoFunding }) {
  const { t } = useI18n();
  const name = (f: CoFunder) => (f.kind === 'bank' ? t('campaign.coFunding.bank') : `${f.name ?? ''} #${f.merchant_id}`);
  const fen = (key: 'funded' | 'cost' | 'returned') => (_: unknown, f: CoFunder) => (
    <span data-testid={`co-funder-${key}`} data-fen={f[key]}>
      {formatFen(f[key])}
    </span>
  );
  return (
    <Card
      type="inner"
      title={t('campaign.coFunding')}
      style={{ marginBottom: 16 }}
      data-testid="campaign-co-funding"
      data-settled={funding.settled}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={t('campaign.coFunding.note')}
        description={funding.settled ? undefined : t('campaign.coFunding.noteLive')}
      />
      <Table<CoFunder>
        rowKey={(f) => (f.kind === 'bank' ? 'bank' : `merchant-${f.merchant_id}`)}
        size="small"
        pagination={false}
        dataSource={funding.funders}
        onRow={(f) =>
          ({
            'data-testid': 'co-funder',
            'data-kind': f.kind,
            'data-merchant-id': f.merchant_id ?? '',
          }) as object
        }
        columns={[
          { title: t('campaign.coFunding.funder'), key: 'name', render: (_: unknown, f) => name(f) },
          { title: t('campaign.coFunding.share'), key: 'share', render: (_: unknown, f) => fundingShare(f, funding) },
          { title: t('campaign.coFunding.funded'), key: 'funded', render: fen('funded') },
          { title: t('campaign.coFunding.cost'), key: 'cost', render: fen('cost') },
          {
            title: funding.settled ? t('campaign.coFunding.returned') : t('campaign.coFunding.wouldReturn'),
            key: 'returned',
            render: fen('returned'),
          },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>{t('campaign.coFunding.total')}</Table.Summary.Cell>
            <Table.Summary.Cell index={1}>100%</Table.Summary.Cell>
            <Table.Summary.Cell index={2}>{formatFen(funding.funded)}</Table.Summary.Cell>
            <Table.Summary.Cell index={3}>{formatFen(funding.cost)}</Table.Summary.Cell>
            <Table.Summary.Cell index={4}>{formatFen(funding.funded - funding.cost)}</Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}
