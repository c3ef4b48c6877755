// The merchant's payments, newest first, and one payment with its refunds, the refund form
// (full or partial; one Idempotency-Key per refund action) and its e-invoice, if any.
import {
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import { ActionKey } from '../api/idempotency';
import {
  getMerchantPayment,
  listMerchantPayments,
  refundPayment,
  type RefundRequest,
} from '../api/merchant';
import { merchantApi } from '../api/session';
import type { Payment, Refund } from '../api/types';
import { rowTestAttributes } from '../console/format';
import { formatChinaTime } from '../h5/historyFormat';
import { channelKey, paymentStatusKey, refundableFen, refundStatusKey } from '../h5/paymentFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen, parseYuan } from '../money';
import { useLoad } from '../useLoad';
import { MerchantInvoiceCard } from './MerchantInvoiceCard';
import { MerchantError } from './MerchantLayout';

export function MerchantPaymentsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [pages, setPages] = useState<string[]>([]);
  const payments = useLoad(() => listMerchantPayments(merchantApi, pages.at(-1) ?? null), [pages]);
  const columns = [
    {
      title: t('console.col.time'),
      key: 'time',
      render: (_: unknown, p: Payment) => formatChinaTime(p.created_at),
    },
    {
      title: t('payment.channel'),
      key: 'channel',
      render: (_: unknown, p: Payment) => t(channelKey(p.channel)),
    },
    {
      title: t('move.amount'),
      key: 'amount',
      align: 'right' as const,
      render: (_: unknown, p: Payment) => formatFen(p.amount),
    },
    {
      title: t('merchant.col.fee'),
      key: 'fee',
      align: 'right' as const,
      render: (_: unknown, p: Payment) => formatFen(p.fee),
    },
    {
      title: t('payment.refunded'),
      key: 'refunded',
      align: 'right' as const,
      render: (_: unknown, p: Payment) => formatFen(p.refunded),
    },
    {
      title: t('payment.status'),
      key: 'status',
      render: (_: unknown, p: Payment) => <Tag>{t(paymentStatusKey(p))}</Tag>,
    },
  ];
  return (
    <Card
      title={t('merchant.payments')}
      extra={
        <Button onClick={payments.reload} data-testid="payments-refresh">
          {t('common.refresh')}
        </Button>
      }
    >
      <MerchantError error={payments.error} />
      <Table<Payment>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={payments.data?.payments ?? []}
        pagination={false}
        loading={payments.loading}
        onRow={(p) => ({
          ...rowTestAttributes('merchant-payment-row', p.id),
          'data-status': p.status,
          'data-amount-fen': p.amount,
          'data-refunded-fen': p.refunded,
          onClick: () => navigate(`/merchant/payments/${p.id}`),
          style: { cursor: 'pointer' },
        } as React.HTMLAttributes<HTMLElement>)}
      />
      <Space style={{ marginTop: 16 }}>
        {pages.length > 0 && (
          <Button onClick={() => setPages([])}>{t('merchant.firstPage')}</Button>
        )}
        {payments.data?.next_cursor && (
          <Button
            onClick={() => setPages([...pages, payments.data?.next_cursor ?? ''])}
            data-testid="payments-next"
          >
            {t('common.loadMore')}
          </Button>
        )}
      </Space>
    </Card>
  );
}

function RefundForm({ payment, onRefunded }: { payment: Payment; onRefunded: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ kind: 'full' | 'partial'; amount: string; reason: string }>();
  const kind = Form.useWatch('kind', form) ?? 'partial';
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const action = useRef(new ActionKey());
  const refundable = refundableFen(payment);

  const submit = async (values: { kind: 'full' | 'partial'; amount?: string; reason?: string }) => {
    setError(null);
    let amount = refundable;
    if (values.kind !== 'full') {
      const parsed = parseYuan(values.amount ?? '', { maxFen: BigInt(refundable) });
      if (!parsed.ok) {
        setMessage(
          parsed.error === 'TOO_LARGE'
            ? t('apiError.REFUND_EXCEEDS_PAYMENT')
            : t(`error.amount.${parsed.error}`),
        );
        return;
      }
      amount = parsed.fen;
    }
    setMessage(null);
    const request: RefundRequest = { amount, currency: 'CNY' };
    if (values.reason?.trim()) request.reason = values.reason.trim();
    setSubmitting(true);
    try {
      await refundPayment(merchantApi, payment.id, request, action.current.keyFor(request));
      action.current.settle();
      form.resetFields();
      onRefunded();
    } catch (cause) {
      action.current.settle(cause);
      setError(cause);
    } finally {
      setSubmitting(false);
    }
  };

  if (refundable <= 0) return null;
  return (
    <Card title={t('refund.create')}>
      <MerchantError error={error} />
      {message && (
        <Typography.Text type="danger" data-testid="merchant-form-message">
          {message}
        </Typography.Text>
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ kind: 'partial' }}
        style={{ maxWidth: 420 }}
      >
        <Form.Item name="kind">
          <Radio.Group data-testid="refund-kind">
            <Radio value="partial" data-testid="refund-partial">
              {t('refund.partial')}
            </Radio>
            <Radio value="full" data-testid="refund-full">
              {t('refund.full')} ({formatFen(refundable)})
            </Radio>
          </Radio.Group>
        </Form.Item>
        {kind === 'partial' && (
          <Form.Item name="amount" label={`${t('move.amount')} ≤ ${formatFen(refundable)}`}>
            <Input inputMode="decimal" maxLength={20} placeholder="0.00" data-testid="refund-amount" />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('refund.reason')}>
          <Input maxLength={128} data-testid="refund-reason" />
        </Form.Item>
        <Button type="primary" danger htmlType="submit" loading={submitting} data-testid="refund-submit">
          {t('refund.submit')}
        </Button>
      </Form>
    </Card>
  );
}

export function MerchantPaymentDetailPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const loaded = useLoad(() => getMerchantPayment(merchantApi, id), [id]);
  const payment = loaded.data;
  const refundColumns = [
    {
      title: t('console.col.time'),
      key: 'time',
      render: (_: unknown, r: Refund) => formatChinaTime(r.created_at),
    },
    {
      title: t('move.amount'),
      key: 'amount',
      align: 'right' as const,
      render: (_: unknown, r: Refund) => formatFen(r.amount),
    },
    {
      title: t('refund.feeReturned'),
      key: 'fee',
      align: 'right' as const,
      render: (_: unknown, r: Refund) => formatFen(r.fee_returned),
    },
    {
      title: t('refund.status'),
      key: 'status',
      render: (_: unknown, r: Refund) => t(refundStatusKey(r.status)),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Button onClick={() => navigate('/merchant/payments')}>{t('common.back')}</Button>
      <MerchantError error={loaded.error} />
      {payment && (
        <Card title={t('payments.detail')}>
          <Descriptions
            column={2}
            data-testid="merchant-payment-detail"
            data-payment-id={payment.id}
            data-status={payment.status}
            data-refunded-fen={payment.refunded}
          >
            <Descriptions.Item label={t('payment.id')}>{payment.id}</Descriptions.Item>
            <Descriptions.Item label={t('payment.status')}>
              <span data-testid="merchant-payment-status">{t(paymentStatusKey(payment))}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('move.amount')}>{formatFen(payment.amount)}</Descriptions.Item>
            <Descriptions.Item label={t('merchant.col.fee')}>{formatFen(payment.fee)}</Descriptions.Item>
            <Descriptions.Item label={t('payment.refunded')}>
              <span data-testid="merchant-payment-refunded">{formatFen(payment.refunded)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('payment.channel')}>{t(channelKey(payment.channel))}</Descriptions.Item>
            <Descriptions.Item label={t('payment.time')}>{formatChinaTime(payment.created_at)}</Descriptions.Item>
            {payment.order_id && (
              <Descriptions.Item label={t('merchant.order')}>{payment.order_id}</Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      )}
      {payment && (payment.refunds ?? []).length > 0 && (
        <Card title={t('refund.title')}>
          <Table<Refund>
            rowKey="id"
            size="small"
            columns={refundColumns}
            dataSource={payment.refunds ?? []}
            pagination={false}
            onRow={(r) => ({
              ...rowTestAttributes('merchant-refund-row', r.id),
              'data-fen': r.amount,
            } as React.HTMLAttributes<HTMLElement>)}
          />
        </Card>
      )}
      {payment && <MerchantInvoiceCard paymentId={payment.id} />}
      {payment && <RefundForm payment={payment} onRefunded={loaded.reload} />}
    </Space>
  );
}
