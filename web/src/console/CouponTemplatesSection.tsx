// A coupon campaign's templates on its console page: stock, given out and left, validity and
// the claim window (a flash grab is a small stock opening at a set time); creating a template,
// issuing coupons to listed customers, to customer segments or to an uploaded list of phones,
// and its redeem codes (admin, marketing).
import { Button, Card, Checkbox, Form, Input, InputNumber, Modal, Radio, Space, Table, message } from 'antd';
import { useState } from 'react';

import {
  CUSTOMER_SEGMENTS,
  createCouponTemplate,
  issueCoupons,
  issueCouponsToSegments,
  listCouponTemplates,
  type Campaign,
  type CouponTemplate,
  type CustomerSegment,
} from '../api/marketing';
import { staffApi } from '../api/session';
import { couponTerms } from '../h5/couponFormat';
import { formatChinaTime } from '../h5/historyFormat';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import {
  defaultCouponForm,
  parseIds,
  toCouponTemplateInput,
  type CouponFormValues,
} from './campaignForm';
import { rowTestAttributes } from './format';
import { PhoneListIssueDialog } from './PhoneListIssueDialog';
import { RedeemCodesDialog } from './RedeemCodesDialog';
import { ConsoleError } from './StaffLayout';

function NewTemplateDialog({
  campaign,
  onClose,
  onDone,
}: {
  campaign: Campaign;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<CouponFormValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const initial = defaultCouponForm(campaign);
  const kind = Form.useWatch('kind', form);
  const validityKind = Form.useWatch('validityKind', form);
  const submit = async () => {
    const values = { ...initial, ...form.getFieldsValue(true) } as CouponFormValues;
    const mapped = toCouponTemplateInput(campaign.id, values);
    if (!mapped.ok) {
      form.setFields([
        { name: mapped.problem.field as keyof CouponFormValues, errors: [t(mapped.problem.message as MessageKey)] },
      ]);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await createCouponTemplate(staffApi, mapped.value);
      void message.success(t('coupon.created'));
      onDone();
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  };
  const text = (name: keyof CouponFormValues, label: MessageKey, testId: string, type?: string) => (
    <Form.Item name={name} label={t(label)}>
      <Input type={type} data-testid={testId} />
    </Form.Item>
  );
  return (
    <Modal
      open
      width={640}
      title={t('coupon.newTemplate')}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: saving, ...({ 'data-testid': 'coupon-submit' } as object) }}
      destroyOnHidden
    >
      <ConsoleError error={error} />
      <Form form={form} layout="vertical" initialValues={initial} requiredMark={false}>
        {text('name', 'coupon.name', 'coupon-name')}
        <Form.Item name="kind" label={t('coupon.kindLabel')}>
          <Radio.Group optionType="button">
            <Radio.Button value="threshold">
              <span data-testid="coupon-kind-threshold">{t('coupon.kind.threshold')}</span>
            </Radio.Button>
            <Radio.Button value="percent">
              <span data-testid="coupon-kind-percent">{t('coupon.kind.percent')}</span>
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        {text('threshold', 'coupon.threshold', 'coupon-threshold')}
        {kind === 'percent'
          ? [
              text('discountPercent', 'coupon.discountPercent', 'coupon-discount-percent'),
              text('discountCap', 'coupon.discountCap', 'coupon-discount-cap'),
            ]
          : text('save', 'coupon.save', 'coupon-save')}
        <Form.Item name="stock" label={t('coupon.stock')}>
          <InputNumber min={1} precision={0} data-testid="coupon-stock" />
        </Form.Item>
        <Form.Item name="perCustomerLimit" label={t('coupon.perCustomerLimit')}>
          <InputNumber min={0} precision={0} data-testid="coupon-per-customer" />
        </Form.Item>
        <Form.Item name="validityKind" label={t('coupon.validity')}>
          <Radio.Group>
            <Radio value="fixed_window">{t('coupon.validity.fixed_window')}</Radio>
            <Radio value="days_after_claim">{t('coupon.validity.days_after_claim')}</Radio>
          </Radio.Group>
        </Form.Item>
        {validityKind === 'days_after_claim' ? (
          <Form.Item name="validDays" label={t('coupon.validDays')}>
            <InputNumber min={1} precision={0} data-testid="coupon-valid-days" />
          </Form.Item>
        ) : (
          [
            text('validFrom', 'coupon.validFrom', 'coupon-valid-from', 'datetime-local'),
            text('validUntil', 'coupon.validUntil', 'coupon-valid-until', 'datetime-local'),
          ]
        )}
        {text('claimStartsAt', 'coupon.claimStartsAt', 'coupon-claim-starts', 'datetime-local')}
        {text('claimEndsAt', 'coupon.claimEndsAt', 'coupon-claim-ends', 'datetime-local')}
      </Form>
    </Modal>
  );
}

function IssueDialog({ template, onClose }: { template: CouponTemplate; onClose: () => void }) {
  const { t } = useI18n();
  const [to, setTo] = useState<'ids' | 'segments'>('ids');
  const [ids, setIds] = useState('');
  const [segments, setSegments] = useState<CustomerSegment[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const parsed = to === 'ids' ? parseIds(ids) : [];
    if (to === 'ids' && (parsed === null || parsed.length === 0)) {
      setProblem(t('marketing.form.ids'));
      return;
    }
    if (to === 'segments' && segments.length === 0) {
      setProblem(t('coupon.issueSegmentsRequired'));
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      const answer =
        to === 'ids'
          ? await issueCoupons(staffApi, template.id, parsed ?? [])
          : await issueCouponsToSegments(staffApi, template.id, segments);
      void message.success(t('coupon.issued', { count: answer.issued }));
      onClose();
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`${t('coupon.issue')} · ${template.name}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: saving, ...({ 'data-testid': 'coupon-issue-submit' } as object) }}
      destroyOnHidden
    >
      <ConsoleError error={error} />
      <Form layout="vertical">
        <Form.Item>
          <Radio.Group value={to} onChange={(e) => setTo(e.target.value as 'ids' | 'segments')}>
            <Radio value="ids" data-testid="coupon-issue-to-ids">
              {t('coupon.issueToIds')}
            </Radio>
            <Radio value="segments" data-testid="coupon-issue-to-segments">
              {t('coupon.issueToSegments')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {to === 'ids' ? (
          <Form.Item label={t('coupon.issueIds')} help={problem} validateStatus={problem ? 'error' : ''}>
            <Input.TextArea rows={4} value={ids} onChange={(e) => setIds(e.target.value)} data-testid="coupon-issue-ids" />
          </Form.Item>
        ) : (
          <Form.Item label={t('campaign.segments')} help={problem} validateStatus={problem ? 'error' : ''}>
            <Checkbox.Group
              value={segments}
              onChange={(values) => setSegments(values as CustomerSegment[])}
              options={CUSTOMER_SEGMENTS.map((segment) => ({
                value: segment,
                label: <span data-testid={`coupon-issue-segment-${segment}`}>{t(`campaign.segment.${segment}`)}</span>,
              }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export function CouponTemplatesSection({ campaign, editor }: { campaign: Campaign; editor: boolean }) {
  const { t } = useI18n();
  const templates = useLoad(() => listCouponTemplates(staffApi, campaign.id), [campaign.id]);
  const [creating, setCreating] = useState(false);
  const [issuing, setIssuing] = useState<CouponTemplate | null>(null);
  // By id, so a dialog shows the template's figures as reloaded while it is open.
  const [listIssuing, setListIssuing] = useState<string | null>(null);
  const [codes, setCodes] = useState<string | null>(null);
  const byId = (id: string | null) => (templates.data ?? []).find((c) => c.id === id) ?? null;
  const listTemplate = byId(listIssuing);
  const codesTemplate = byId(codes);
  const columns = [
    { title: t('console.col.id'), dataIndex: 'id', key: 'id' },
    { title: t('coupon.name'), dataIndex: 'name', key: 'name' },
    { title: t('coupon.kindLabel'), key: 'terms', render: (_: unknown, c: CouponTemplate) => couponTerms(t, c) },
    { title: t('coupon.stock'), dataIndex: 'stock', key: 'stock' },
    {
      title: t('coupon.claimed'),
      key: 'claimed',
      render: (_: unknown, c: CouponTemplate) => <span data-testid="coupon-template-claimed" data-count={c.claimed}>{c.claimed}</span>,
    },
    { title: t('coupon.remaining'), dataIndex: 'remaining', key: 'remaining' },
    {
      title: t('coupon.claimStartsAt'),
      key: 'claim',
      render: (_: unknown, c: CouponTemplate) => `${formatChinaTime(c.claim_starts_at)} – ${formatChinaTime(c.claim_ends_at)}`,
    },
    ...(editor
      ? [
          {
            title: '',
            key: 'issue',
            render: (_: unknown, c: CouponTemplate) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setIssuing(c)} data-testid="coupon-issue">
                  {t('coupon.issue')}
                </Button>
                <Button size="small" onClick={() => setListIssuing(c.id)} data-testid={`coupon-issue-csv-${c.id}`}>
                  {t('coupon.list.action')}
                </Button>
                <Button size="small" onClick={() => setCodes(c.id)} data-testid={`coupon-codes-${c.id}`}>
                  {t('coupon.codes.action')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      type="inner"
      title={t('coupon.templates')}
      extra={
        editor &&
        campaign.status !== 'ended' && (
          <Button onClick={() => setCreating(true)} data-testid="coupon-template-new">
            {t('coupon.newTemplate')}
          </Button>
        )
      }
    >
      <ConsoleError error={templates.error} />
      <Table<CouponTemplate>
        rowKey="id"
        size="small"
        loading={templates.loading}
        dataSource={templates.data ?? []}
        columns={columns}
        pagination={false}
        onRow={(c) => rowTestAttributes('coupon-template-row', c.id)}
      />
      {creating && (
        <NewTemplateDialog
          campaign={campaign}
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            templates.reload();
          }}
        />
      )}
      {issuing !== null && <IssueDialog template={issuing} onClose={() => setIssuing(null)} />}
      {listTemplate !== null && (
        <PhoneListIssueDialog
          template={listTemplate}
          onClose={() => setListIssuing(null)}
          onIssued={templates.reload}
        />
      )}
      {codesTemplate !== null && (
        <RedeemCodesDialog template={codesTemplate} onClose={() => setCodes(null)} onGenerated={templates.reload} />
      )}
    </Card>
  );
}
