// Campaigns (admin and marketing edit; auditors read): the list with each campaign's budget
// use and the custom customer list it targets, and one campaign with its figures (cost,
// rewarded payments, customers, new customers, GMV, cost per new customer, holdout), its
// measured uplift against its A/B holdout (when it has one), its lifecycle buttons (schedule,
// go live, pause, resume, end), budget top-ups (by the bank or a co-funding merchant), the
// co-funding settlement, offer push (定向推送; editors only, see OfferPushCard.tsx) and its
// coupon templates.
import {
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  message,
} from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import { customerListNames, listCustomerLists } from '../api/customerLists';
import { ActionKey } from '../api/idempotency';
import {
  getCampaign,
  listCampaigns,
  setCampaignStatus,
  topUpCampaign,
  type Campaign,
  type CampaignStatus,
} from '../api/marketing';
import { staffApi } from '../api/session';
import { formatChinaTime } from '../h5/historyFormat';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen, parseYuan } from '../money';
import { useLoad } from '../useLoad';
import { targetingLines } from './campaignForm';
import { CampaignUpliftCard } from './CampaignUpliftCard';
import { CoFundingCard } from './CoFundingCard';
import { CouponTemplatesSection } from './CouponTemplatesSection';
import { OfferPushCard } from './OfferPushCard';
import { rowTestAttributes } from './format';
import { canEditCampaigns } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

const STATUS_COLORS: Record<CampaignStatus, string> = {
  draft: 'default',
  scheduled: 'blue',
  live: 'green',
  paused: 'orange',
  ended: 'red',
};

export function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="campaign-status" data-status={status}>
      {t(`campaign.status.${status}`)}
    </Tag>
  );
}

/** The share of the budget spent, in whole percent (0 when there is no budget). */
export function budgetUsedPercent(campaign: Campaign): number {
  const total = campaign.figures?.budget_total ?? campaign.caps.budget_total;
  const spent = campaign.figures?.spent ?? 0;
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((spent * 100) / total));
}

/** The lifecycle moves the console offers from each status (the engine checks them again). */
export const NEXT_STATUSES: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['scheduled', 'live', 'ended'],
  scheduled: ['live', 'paused', 'draft', 'ended'],
  live: ['paused', 'ended'],
  paused: ['live', 'ended'],
  ended: [],
};

/**
 * The custom customer lists by id, to name the list a campaign targets; empty until loaded, and
 * when they cannot be (the names then fall back to the ids, with no error: they only label).
 */
function useCustomerListNames(): ReadonlyMap<string, string> {
  const lists = useLoad(() => listCustomerLists(staffApi), []);
  return useMemo(() => customerListNames(lists.data ?? []), [lists.data]);
}

export function CampaignsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const staff = currentStaff();
  const campaigns = useLoad(() => listCampaigns(staffApi), []);
  const listNames = useCustomerListNames();
  const columns = [
    { title: t('console.col.id'), dataIndex: 'id', key: 'id' },
    { title: t('campaign.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('campaign.typeLabel'),
      key: 'type',
      render: (_: unknown, c: Campaign) => t(`campaign.type.${c.type}`),
    },
    {
      title: t('campaign.statusLabel'),
      key: 'status',
      render: (_: unknown, c: Campaign) => <CampaignStatusTag status={c.status} />,
    },
    {
      title: t('campaign.window'),
      key: 'window',
      render: (_: unknown, c: Campaign) =>
        `${formatChinaTime(c.eligibility.starts_at)} – ${formatChinaTime(c.eligibility.ends_at)}`,
    },
    {
      title: t('campaign.customerList'),
      key: 'customerList',
      render: (_: unknown, c: Campaign) => {
        const list = c.eligibility.customer_list ?? null;
        return (
          <span data-testid="campaign-row-customer-list" data-list-id={list ?? ''}>
            {list === null ? '—' : (listNames.get(list) ?? `#${list}`)}
          </span>
        );
      },
    },
    {
      title: t('campaign.burn'),
      key: 'burn',
      render: (_: unknown, c: Campaign) => (
        <span>
          <Progress percent={budgetUsedPercent(c)} size="small" />
          {formatFen(c.figures?.spent ?? 0)} / {formatFen(c.figures?.budget_total ?? c.caps.budget_total)}
        </span>
      ),
    },
    {
      title: t('campaign.figure.rewarded'),
      key: 'rewarded',
      render: (_: unknown, c: Campaign) => c.figures?.rewarded_payments ?? 0,
    },
  ];
  return (
    <Card
      title={t('console.campaigns')}
      extra={
        staff !== null &&
        canEditCampaigns(staff.roles) && (
          <Button type="primary" onClick={() => navigate('/console/campaigns/new')} data-testid="campaign-new">
            {t('campaign.new')}
          </Button>
        )
      }
    >
      <ConsoleError error={campaigns.error} />
      <Table<Campaign>
        rowKey="id"
        loading={campaigns.loading}
        dataSource={campaigns.data ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('campaign.empty') }}
        onRow={(c) => ({
          ...rowTestAttributes('campaign-row', c.id),
          onClick: () => navigate(`/console/campaigns/${c.id}`),
          style: { cursor: 'pointer' },
        })}
      />
    </Card>
  );
}

function TopUpDialog({
  campaign,
  onClose,
  onDone,
}: {
  campaign: Campaign;
  onClose: () => void;
  onDone: (c: Campaign) => void;
}) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [merchant, setMerchant] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const action = useRef(new ActionKey());
  const submit = async () => {
    const parsed = parseYuan(amount);
    if (!parsed.ok) {
      setProblem(t(`error.amount.${parsed.error}`));
      return;
    }
    const merchantId = merchant.trim() === '' ? null : merchant.trim();
    if (merchantId !== null && !/^[1-9]\d*$/.test(merchantId)) {
      setProblem(t('marketing.form.ids'));
      return;
    }
    setProblem(null);
    setSaving(true);
    const request = { amount: parsed.fen, merchantId };
    const key = action.current.keyFor(request);
    try {
      const updated = await topUpCampaign(staffApi, campaign.id, parsed.fen, merchantId, key);
      action.current.settle();
      void message.success(t('campaign.toppedUp'));
      onDone(updated);
    } catch (cause) {
      action.current.settle(cause);
      setError(cause);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('campaign.topUp')}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: saving, ...({ 'data-testid': 'campaign-top-up-submit' } as object) }}
      destroyOnHidden
    >
      <ConsoleError error={error} />
      <Form layout="vertical">
        <Form.Item label={t('campaign.topUpAmount')} help={problem} validateStatus={problem ? 'error' : ''}>
          <Input value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="campaign-top-up-amount" />
        </Form.Item>
        <Form.Item label={t('campaign.topUpMerchant')}>
          <Input value={merchant} onChange={(e) => setMerchant(e.target.value)} data-testid="campaign-top-up-merchant" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Figures({ campaign }: { campaign: Campaign }) {
  const { t } = useI18n();
  const f = campaign.figures;
  if (f === undefined) return null;
  const money = (testId: string, title: string, fen: number | null | undefined) =>
    fen === undefined ? null : (
      <Col span={6} key={testId}>
        <div data-testid={testId} data-fen={fen ?? ''}>
          <Statistic title={title} value={fen === null ? '—' : formatFen(fen)} />
        </div>
      </Col>
    );
  const count = (testId: string, title: string, n: number | undefined) =>
    n === undefined ? null : (
      <Col span={6} key={testId}>
        <div data-testid={testId} data-count={n}>
          <Statistic title={title} value={n} />
        </div>
      </Col>
    );
  return (
    <Card type="inner" title={t('campaign.figures')} style={{ marginBottom: 16 }}>
      <Progress percent={budgetUsedPercent(campaign)} data-testid="campaign-burn" />
      <Row gutter={[16, 16]}>
        {money('campaign-figure-budget', t('campaign.figure.budget'), f.budget_total)}
        {money('campaign-figure-spent', t('campaign.figure.spent'), f.spent)}
        {money('campaign-figure-remaining', t('campaign.figure.remaining'), f.remaining)}
        {count('campaign-figure-rewarded', t('campaign.figure.rewarded'), f.rewarded_payments)}
        {count('campaign-figure-customers', t('campaign.figure.customers'), f.reward_customers)}
        {count('campaign-figure-new-customers', t('campaign.figure.newCustomers'), f.new_customers)}
        {money('campaign-figure-gmv', t('campaign.figure.gmv'), f.gmv)}
        {money('campaign-figure-cost-per-customer', t('campaign.figure.costPerCustomer'), f.cost_per_customer)}
        {money('campaign-figure-cost-per-new', t('campaign.figure.costPerNew'), f.cost_per_new_customer)}
        {count('campaign-figure-holdout', t('campaign.figure.holdout'), f.holdout_customers)}
      </Row>
    </Card>
  );
}

const ACTION_KEYS: Record<CampaignStatus, MessageKey> = {
  draft: 'campaign.action.draft',
  scheduled: 'campaign.action.schedule',
  live: 'campaign.action.live',
  paused: 'campaign.action.pause',
  ended: 'campaign.action.end',
};

export function CampaignDetailPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const staff = currentStaff();
  const editor = staff !== null && canEditCampaigns(staff.roles);
  const loaded = useLoad(() => getCampaign(staffApi, id), [id]);
  const listNames = useCustomerListNames();
  const [override, setOverride] = useState<Campaign | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [toppingUp, setToppingUp] = useState(false);
  const campaign = override ?? loaded.data;

  const move = async (status: CampaignStatus) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await setCampaignStatus(staffApi, id, status);
      if (status === 'ended') {
        void message.success(t('campaign.ended', { amount: formatFen(updated.returned ?? 0) }));
      }
      setOverride(updated);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  if (campaign === null) {
    return (
      <Card loading={loaded.loading}>
        <ConsoleError error={loaded.error} />
      </Card>
    );
  }
  const r = campaign.reward;
  const actionButton = (status: CampaignStatus) => {
    const label = campaign.status === 'paused' && status === 'live' ? 'campaign.action.resume' : ACTION_KEYS[status];
    const button = (
      <Button
        key={status}
        danger={status === 'ended'}
        type={status === 'live' ? 'primary' : 'default'}
        loading={busy}
        onClick={status === 'ended' ? undefined : () => void move(status)}
        data-testid={`campaign-to-${status}`}
      >
        {t(label)}
      </Button>
    );
    return status === 'ended' ? (
      <Popconfirm
        key={status}
        title={t('campaign.endConfirm')}
        onConfirm={() => void move('ended')}
        okButtonProps={{ ...({ 'data-testid': 'campaign-end-confirm' } as object) }}
      >
        {button}
      </Popconfirm>
    ) : (
      button
    );
  };

  return (
    <Card
      title={campaign.name}
      data-testid="campaign-detail"
      data-campaign-id={campaign.id}
      data-status={campaign.status}
      extra={
        editor && (
          <Space wrap>
            {NEXT_STATUSES[campaign.status].map(actionButton)}
            {campaign.status !== 'ended' && (
              <Button onClick={() => setToppingUp(true)} data-testid="campaign-top-up">
                {t('campaign.topUp')}
              </Button>
            )}
            {campaign.status !== 'ended' && (
              <Button onClick={() => navigate(`/console/campaigns/${campaign.id}/edit`)} data-testid="campaign-edit">
                {t('campaign.edit')}
              </Button>
            )}
          </Space>
        )
      }
    >
      <ConsoleError error={error} />
      <Figures campaign={campaign} />
      {campaign.co_funding && <CoFundingCard funding={campaign.co_funding} />}
      {editor && <OfferPushCard campaignId={campaign.id} status={campaign.status} />}
      {(campaign.eligibility.holdout_percent ?? 0) > 0 && <CampaignUpliftCard campaignId={campaign.id} />}
      <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('campaign.typeLabel')}>{t(`campaign.type.${campaign.type}`)}</Descriptions.Item>
        <Descriptions.Item label={t('campaign.statusLabel')}>
          <CampaignStatusTag status={campaign.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('campaign.shapeLabel')}>{t(`campaign.shape.${r.shape}`)}</Descriptions.Item>
        <Descriptions.Item label={t('campaign.reward')}>
          {r.shape === 'fixed' && formatFen(r.fixed ?? 0)}
          {r.shape === 'percent' &&
            `${(r.percent_bps ?? 0) / 100}%${r.percent_cap ? ` ≤ ${formatFen(r.percent_cap)}` : ''}`}
          {r.shape === 'random_range' && `${formatFen(r.random_lo ?? 0)} – ${formatFen(r.random_hi ?? 0)}`}
          {r.shape === 'threshold' && `${formatFen(r.threshold ?? 0)} − ${formatFen(r.save ?? 0)}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaign.window')} span={2}>
          {formatChinaTime(campaign.eligibility.starts_at)} – {formatChinaTime(campaign.eligibility.ends_at)}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaign.channels')}>
          {(campaign.eligibility.channels ?? []).map((c) => t(`campaign.channel.${c}`)).join(' · ')}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaign.merchants')}>
          {(campaign.eligibility.merchant_ids ?? []).join(', ') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaign.regions')}>
          {(campaign.eligibility.regions ?? []).join(', ') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaign.targeting')}>
          <span data-testid="campaign-targeting" data-customer-list={campaign.eligibility.customer_list ?? ''}>
            {targetingLines(campaign.eligibility, listNames)
              .map((line) => t(line.key, line.params))
              .join(' · ') || '—'}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('campaign.minAmount')}>
          {formatFen(campaign.eligibility.min_amount ?? 0)}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaign.holdout')}>{campaign.eligibility.holdout_percent ?? 0}%</Descriptions.Item>
        <Descriptions.Item label={t('campaign.budgetDaily')}>
          {campaign.caps.budget_daily ? formatFen(campaign.caps.budget_daily) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaign.customerCountLifetime')}>
          {campaign.caps.customer_count_lifetime || '—'}
        </Descriptions.Item>
      </Descriptions>
      {(campaign.type === 'threshold_coupon' || campaign.type === 'discount_coupon') && (
        <CouponTemplatesSection campaign={campaign} editor={editor} />
      )}
      {toppingUp && (
        <TopUpDialog
          campaign={campaign}
          onClose={() => setToppingUp(false)}
          onDone={(updated) => {
            setToppingUp(false);
            setOverride(updated);
          }}
        />
      )}
    </Card>
  );
}
