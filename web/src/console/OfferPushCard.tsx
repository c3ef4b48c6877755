// Offer push (定向推送) on a campaign's page, for those who edit campaigns: choose an audience by
// spending habits (the last N days' top categories, the usual time of day, merchants paid at,
// how many payments), preview how many customers it reaches now (and how many are left out
// because they turned personalised offers off or already have this offer), then send a title
// and a text to their inbox; below, the campaign's past pushes with delivered, read and the
// open rate. While the campaign is scheduled, live or paused; once it ended, only the past
// pushes. The form's mapping is in console/offerPushForm.ts.
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  message,
} from 'antd';
import { useState } from 'react';

import { ApiError } from '../api/client';
import {
  DAY_PARTS,
  MAX_BODY_CHARS,
  MAX_MIN_PAYMENTS,
  MAX_TITLE_CHARS,
  MAX_TOP_RANK,
  MAX_WINDOW_DAYS,
  MIN_MIN_PAYMENTS,
  MIN_TOP_RANK,
  MIN_WINDOW_DAYS,
  createOfferPush,
  listOfferPushes,
  previewOfferPush,
  type OfferPush,
  type OfferPushPreview,
} from '../api/offerPush';
import { staffApi } from '../api/session';
import { MERCHANT_CATEGORIES } from '../api/types';
import { formatChinaTime } from '../h5/historyFormat';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad, type Loaded } from '../useLoad';
import { FormErrorLine } from './FormErrorLine';
import {
  charCount,
  formatOpenRate,
  offerPushFieldOfError,
  offerPushFormDefaults,
  offerPushMode,
  openRatePermille,
  toAudience,
  toOfferPushInput,
  type OfferPushFormProblem,
  type OfferPushFormValues,
} from './offerPushForm';
import { ConsoleError } from './StaffLayout';

/** The form fields that make the audience: changing one makes a preview stale. */
const AUDIENCE_FIELDS: readonly (keyof OfferPushFormValues)[] = [
  'windowDays',
  'topCategories',
  'topRank',
  'dayParts',
  'merchantIds',
  'minPayments',
];

function PreviewCounts({ preview }: { preview: OfferPushPreview }) {
  const { t } = useI18n();
  const unit = t('offerPush.preview.unit');
  const figure = (testId: string, title: string, n: number) => (
    <Col span={8}>
      <Statistic
        title={title}
        suffix={unit}
        valueRender={() => (
          <span data-testid={testId} data-count={n}>
            {n}
          </span>
        )}
        value={n}
      />
    </Col>
  );
  return (
    <div data-testid="offer-push-preview-result" style={{ marginBottom: 16 }}>
      <Row gutter={16}>
        {figure('offer-push-preview-count', t('offerPush.preview.customers'), preview.customers)}
        {figure('offer-push-preview-opted-out', t('offerPush.preview.optedOut'), preview.opted_out)}
        {figure('offer-push-preview-already-pushed', t('offerPush.preview.alreadyPushed'), preview.already_pushed)}
      </Row>
    </div>
  );
}

function PushForm({ campaignId, onSent }: { campaignId: string; onSent: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<OfferPushFormValues>();
  const [preview, setPreview] = useState<OfferPushPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'send' | null>(null);
  const [confirming, setConfirming] = useState(false);

  const values = () => form.getFieldsValue(true) as OfferPushFormValues;
  // One whole-number field of the audience, with its label and help line.
  const wholeNumber = (
    name: keyof OfferPushFormValues,
    label: MessageKey,
    help: MessageKey,
    min: number,
    max: number,
    testId: string,
  ) => (
    <Col span={8}>
      <Form.Item name={name} label={t(label)} extra={t(help)}>
        <InputNumber min={min} max={max} precision={0} style={{ width: '100%' }} data-testid={testId} />
      </Form.Item>
    </Col>
  );
  const showProblem = (found: OfferPushFormProblem) => {
    const text = t(found.message);
    form.setFields([{ name: found.field, errors: [text] }]);
    setError(null);
    setProblem(text);
  };
  const showError = (cause: unknown) => {
    setError(cause);
    setProblem(null);
    if (cause instanceof ApiError && cause.code === 'FIELD_INVALID') {
      const field = offerPushFieldOfError(cause.field, cause.message);
      if (field !== null) {
        form.setFields([{ name: field, errors: [t('offerPush.form.serverRejected', { detail: cause.message })] }]);
      }
    }
  };

  const runPreview = async () => {
    const audience = toAudience(values());
    if (!audience.ok) {
      showProblem(audience.problem);
      return;
    }
    setBusy('preview');
    setError(null);
    setProblem(null);
    try {
      setPreview(await previewOfferPush(staffApi, campaignId, audience.value));
    } catch (cause) {
      setPreview(null);
      showError(cause);
    } finally {
      setBusy(null);
    }
  };

  const askToSend = () => {
    const mapped = toOfferPushInput(values());
    if (!mapped.ok) {
      showProblem(mapped.problem);
      return;
    }
    setError(null);
    setProblem(null);
    setConfirming(true);
  };

  const send = async () => {
    setConfirming(false);
    const mapped = toOfferPushInput(values());
    if (!mapped.ok) {
      showProblem(mapped.problem);
      return;
    }
    setBusy('send');
    try {
      const push = await createOfferPush(staffApi, campaignId, mapped.value);
      void message.success(t('offerPush.sent', { count: push.delivered }));
      setPreview(null);
      onSent();
    } catch (cause) {
      showError(cause);
    } finally {
      setBusy(null);
    }
  };

  const categoryOptions = MERCHANT_CATEGORIES.map((value) => ({ value, label: t(`merchant.category.${value}`) }));
  const dayPartOptions = DAY_PARTS.map((value) => ({ value, label: t(`offerPush.dayPart.${value}`) }));
  const countTitle = { show: true, max: MAX_TITLE_CHARS, strategy: charCount };
  const countBody = { show: true, max: MAX_BODY_CHARS, strategy: charCount };

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={offerPushFormDefaults()}
      onValuesChange={(changed: Partial<OfferPushFormValues>) => {
        setError(null);
        setProblem(null);
        // A field's error (the form's own check or the server's) holds until the field changes.
        form.setFields((Object.keys(changed) as (keyof OfferPushFormValues)[]).map((name) => ({ name, errors: [] })));
        if (AUDIENCE_FIELDS.some((field) => field in changed)) setPreview(null);
      }}
      data-testid="offer-push-form"
    >
      <Row gutter={16}>
        {wholeNumber(
          'windowDays',
          'offerPush.windowDays',
          'offerPush.windowDays.help',
          MIN_WINDOW_DAYS,
          MAX_WINDOW_DAYS,
          'offer-push-window-days',
        )}
        {wholeNumber(
          'topRank',
          'offerPush.topRank',
          'offerPush.topRank.help',
          MIN_TOP_RANK,
          MAX_TOP_RANK,
          'offer-push-top-rank',
        )}
        {wholeNumber(
          'minPayments',
          'offerPush.minPayments',
          'offerPush.minPayments.help',
          MIN_MIN_PAYMENTS,
          MAX_MIN_PAYMENTS,
          'offer-push-min-payments',
        )}
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="topCategories" label={t('offerPush.categories')} extra={t('offerPush.categories.help')}>
            <Select<string[]>
              mode="multiple"
              allowClear
              placeholder={t('offerPush.any')}
              options={categoryOptions}
              optionFilterProp="label"
              optionRender={(option) => (
                <span data-testid={`offer-push-category-${String(option.value)}`}>{option.label}</span>
              )}
              data-testid="offer-push-categories"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="dayParts" label={t('offerPush.dayParts')} extra={t('offerPush.dayParts.help')}>
            <Select<string[]>
              mode="multiple"
              allowClear
              placeholder={t('offerPush.any')}
              options={dayPartOptions}
              optionFilterProp="label"
              optionRender={(option) => (
                <span data-testid={`offer-push-day-part-${String(option.value)}`}>{option.label}</span>
              )}
              data-testid="offer-push-day-parts"
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="merchantIds" label={t('offerPush.merchants')} extra={t('offerPush.merchants.help')}>
        <Input placeholder={t('offerPush.any')} data-testid="offer-push-merchants" />
      </Form.Item>
      <Form.Item name="title" label={t('offerPush.messageTitle')} extra={t('offerPush.messageTitle.help')}>
        <Input count={countTitle} data-testid="offer-push-title" />
      </Form.Item>
      <Form.Item name="body" label={t('offerPush.messageBody')} extra={t('offerPush.messageBody.help')}>
        <Input.TextArea rows={3} count={countBody} data-testid="offer-push-body" />
      </Form.Item>
      {preview !== null && <PreviewCounts preview={preview} />}
      <FormErrorLine error={error} text={problem} />
      <Space>
        <Button onClick={() => void runPreview()} loading={busy === 'preview'} data-testid="offer-push-preview">
          {t('offerPush.preview')}
        </Button>
        <Popconfirm
          title={t('offerPush.sendConfirm')}
          open={confirming}
          onOpenChange={(open) => {
            if (!open) setConfirming(false);
          }}
          onConfirm={() => void send()}
          onCancel={() => setConfirming(false)}
          okButtonProps={{ ...({ 'data-testid': 'offer-push-send-confirm' } as object) }}
        >
          <Button type="primary" onClick={askToSend} loading={busy === 'send'} data-testid="offer-push-send">
            {t('offerPush.send')}
          </Button>
        </Popconfirm>
      </Space>
    </Form>
  );
}

function PushList({ pushes }: { pushes: Loaded<OfferPush[]> }) {
  const { t } = useI18n();
  const columns = [
    {
      title: t('offerPush.col.time'),
      key: 'time',
      render: (_: unknown, p: OfferPush) => (
        <span data-testid="offer-push-row-time" data-time={p.created_at}>
          {formatChinaTime(p.created_at)}
        </span>
      ),
    },
    {
      title: t('offerPush.col.title'),
      key: 'title',
      render: (_: unknown, p: OfferPush) => (
        <span data-testid="offer-push-row-title" title={p.body}>
          {p.title}
        </span>
      ),
    },
    {
      title: t('offerPush.col.delivered'),
      key: 'delivered',
      align: 'right' as const,
      render: (_: unknown, p: OfferPush) => (
        <span data-testid="offer-push-row-delivered" data-count={p.delivered}>
          {p.delivered}
        </span>
      ),
    },
    {
      title: t('offerPush.col.read'),
      key: 'read',
      align: 'right' as const,
      render: (_: unknown, p: OfferPush) => (
        <span data-testid="offer-push-row-read" data-count={p.read}>
          {p.read}
        </span>
      ),
    },
    {
      title: t('offerPush.col.openRate'),
      key: 'openRate',
      align: 'right' as const,
      render: (_: unknown, p: OfferPush) => (
        <span data-testid="offer-push-row-open-rate" data-permille={openRatePermille(p.read, p.delivered) ?? ''}>
          {formatOpenRate(p.read, p.delivered)}
        </span>
      ),
    },
  ];
  return (
    <>
      <Space style={{ margin: '16px 0 8px' }}>
        <strong>{t('offerPush.list')}</strong>
        <Button size="small" onClick={pushes.reload} loading={pushes.loading} data-testid="offer-push-refresh">
          {t('common.refresh')}
        </Button>
      </Space>
      <ConsoleError error={pushes.error} />
      <div data-testid="offer-push-list" data-count={pushes.data?.length ?? ''}>
        <Table<OfferPush>
          rowKey="id"
          size="small"
          loading={pushes.loading}
          dataSource={pushes.data ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: t('offerPush.empty') }}
          onRow={(p) =>
            ({
              'data-testid': 'offer-push-row',
              'data-row-id': p.id,
              'data-delivered': p.delivered,
              'data-read': p.read,
            }) as React.HTMLAttributes<HTMLElement>
          }
        />
      </div>
    </>
  );
}

function OfferPushContent({ campaignId, mode }: { campaignId: string; mode: 'push' | 'history' }) {
  const { t } = useI18n();
  const pushes = useLoad(() => listOfferPushes(staffApi, campaignId), [campaignId]);
  return (
    <Card
      type="inner"
      title={t('offerPush.title')}
      style={{ marginBottom: 16 }}
      data-testid="offer-push-card"
      data-mode={mode}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={mode === 'push' ? t('offerPush.help') : t('offerPush.ended')}
      />
      {mode === 'push' && <PushForm campaignId={campaignId} onSent={pushes.reload} />}
      <PushList pushes={pushes} />
    </Card>
  );
}

/**
 * The card: the form and the past pushes (scheduled, live, paused), only the past pushes
 * (ended), nothing for a draft. Render it for those who edit campaigns only (the API's roles).
 */
export function OfferPushCard({ campaignId, status }: { campaignId: string; status: string }) {
  const mode = offerPushMode(status);
  return mode === 'none' ? null : <OfferPushContent campaignId={campaignId} mode={mode} />;
}
