// Orders (dynamic QR / online checkout): the list (refreshed every few seconds so a payment
// shows up by itself), a form to create one, its QR image and checkout link, and closing it.
import { Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';

import {
  closeOrder,
  createOrder,
  getOrderQrImage,
  listOrders,
  type NewOrder,
} from '../api/merchant';
import { merchantApi } from '../api/session';
import type { Order, OrderStatus } from '../api/types';
import { rowTestAttributes } from '../console/format';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen, parseYuan } from '../money';
import { useLoad } from '../useLoad';
import { AuthorizedImage, MerchantError, saveBlob } from './MerchantLayout';

const REFRESH_MS = 3000;
const ORDER_STATUS_COLORS: Record<OrderStatus, string> = {
  open: 'blue',
  paid: 'green',
  closed: 'default',
  expired: 'default',
};

/** A merchant order number for orders made by hand in the portal: "P" + time + random. */
export function portalOrderNo(nowMs: number, random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 1_000_000)
    .toString()
    .padStart(6, '0');
  return `P${nowMs}${suffix}`;
}

/** The absolute checkout link of an order on this site. */
export function checkoutUrl(order: Pick<Order, 'checkout_path'>, origin: string): string {
  return origin + order.checkout_path;
}

function OrderQr({ order, onClose }: { order: Order; onClose: () => void }) {
  const { t } = useI18n();
  const load = useCallback(() => getOrderQrImage(merchantApi, order.id, 'png'), [order.id]);
  const link = checkoutUrl(order, window.location.origin);
  return (
    <Modal
      open
      title={`${t('merchant.order')} ${order.merchant_order_no}`}
      onCancel={onClose}
      footer={
        <Button onClick={onClose} data-testid="order-qr-close">
          {t('common.back')}
        </Button>
      }
    >
      <Space direction="vertical" align="center" style={{ width: '100%' }} data-testid="order-qr-panel" data-order-id={order.id}>
        <div style={{ fontSize: 22, fontWeight: 600 }} data-testid="order-qr-amount">
          {formatFen(order.amount)}
        </div>
        <AuthorizedImage load={load} alt="QR" testId="order-qr" className="merchant-qr" />
        <Button
          onClick={async () =>
            saveBlob(await getOrderQrImage(merchantApi, order.id, 'png'), `${order.merchant_order_no}.png`)
          }
          data-testid="order-qr-download"
        >
          {t('merchant.download')} PNG
        </Button>
        <Typography.Text>{t('merchant.order.checkoutLink')}</Typography.Text>
        <Typography.Link
          href={link}
          target="_blank"
          copyable={{ text: link }}
          data-testid="order-checkout-link"
        >
          {order.checkout_path.length > 48 ? `${order.checkout_path.slice(0, 48)}…` : order.checkout_path}
        </Typography.Link>
      </Space>
    </Modal>
  );
}

function CreateOrderForm({ onCreated }: { onCreated: (order: Order) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{
    amount: string;
    description: string;
    orderNo: string;
    notifyUrl: string;
    returnUrl: string;
  }>();
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (values: {
    amount: string;
    description?: string;
    orderNo?: string;
    notifyUrl?: string;
    returnUrl?: string;
  }) => {
    setError(null);
    const parsed = parseYuan(values.amount ?? '', { maxFen: 100_000_000n });
    if (!parsed.ok) {
      setMessage(t(`error.amount.${parsed.error}`));
      return;
    }
    setMessage(null);
    const request: NewOrder = {
      merchant_order_no: values.orderNo?.trim() || portalOrderNo(Date.now()),
      amount: parsed.fen,
      currency: 'CNY',
    };
    if (values.description?.trim()) request.description = values.description.trim();
    for (const [field, key] of [
      [values.notifyUrl, 'notify_url'],
      [values.returnUrl, 'return_url'],
    ] as const) {
      const url = field?.trim() ?? '';
      if (url === '') continue;
      if (!/^https?:\/\/\S+$/.test(url)) {
        setMessage(t('merchant.order.badUrl'));
        return;
      }
      request[key] = url;
    }
    setSubmitting(true);
    try {
      const order = await createOrder(merchantApi, request);
      form.resetFields();
      onCreated(order);
    } catch (cause) {
      setError(cause);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card title={t('merchant.order.create')}>
      <MerchantError error={error} />
      {message && (
        <Typography.Text type="danger" data-testid="merchant-form-message">
          {message}
        </Typography.Text>
      )}
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item name="amount" label={t('move.amount')} rules={[{ required: true, message: '' }]}>
          <Input inputMode="decimal" maxLength={20} placeholder="0.00" data-testid="order-amount" />
        </Form.Item>
        <Form.Item name="description" label={t('merchant.order.description')}>
          <Input maxLength={128} data-testid="order-description" />
        </Form.Item>
        <Form.Item name="orderNo" label={t('merchant.order.no')}>
          <Input maxLength={64} placeholder={t('common.optional')} data-testid="order-no" />
        </Form.Item>
        <Form.Item name="notifyUrl" label={t('merchant.order.notifyUrl')}>
          <Input maxLength={256} placeholder="https://…" data-testid="order-notify-url" />
        </Form.Item>
        <Form.Item name="returnUrl" label={t('merchant.order.returnUrl')}>
          <Input maxLength={256} placeholder="https://…" data-testid="order-return-url" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submitting} data-testid="order-submit">
          {t('merchant.order.submit')}
        </Button>
      </Form>
    </Card>
  );
}

export function MerchantOrdersPage() {
  const { t } = useI18n();
  const orders = useLoad(() => listOrders(merchantApi, null), []);
  const [shown, setShown] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { reload } = orders;

  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);

  const close = async (order: Order) => {
    setError(null);
    try {
      await closeOrder(merchantApi, order.id);
      reload();
    } catch (cause) {
      setError(cause);
    }
  };

  const columns = [
    { title: t('merchant.order.no'), dataIndex: 'merchant_order_no', key: 'no' },
    {
      title: t('move.amount'),
      key: 'amount',
      align: 'right' as const,
      render: (_: unknown, order: Order) => formatFen(order.amount),
    },
    { title: t('merchant.order.description'), dataIndex: 'description', key: 'description' },
    {
      title: t('merchant.col.status'),
      key: 'status',
      render: (_: unknown, order: Order) => (
        <Tag color={ORDER_STATUS_COLORS[order.status]} data-testid="order-status">
          {t(`merchant.order.status.${order.status}`)}
        </Tag>
      ),
    },
    {
      title: t('console.col.time'),
      key: 'created',
      render: (_: unknown, order: Order) => formatChinaTime(order.created_at),
    },
    {
      title: '',
      key: 'actions',
      render: (_: unknown, order: Order) =>
        order.status === 'open' ? (
          <Space>
            <Button size="small" onClick={() => setShown(order)} data-testid="order-show-qr">
              {t('merchant.order.qr')}
            </Button>
            <Popconfirm title={t('merchant.order.closeConfirm')} onConfirm={() => close(order)}>
              <Button size="small" danger data-testid="order-close">
                {t('merchant.order.close')}
              </Button>
            </Popconfirm>
          </Space>
        ) : null,
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <CreateOrderForm
        onCreated={(order) => {
          setShown(order);
          reload();
        }}
      />
      <MerchantError error={error ?? orders.error} />
      <Card title={t('merchant.orders')}>
        <Table<Order>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={orders.data?.orders ?? []}
          pagination={false}
          onRow={(order) => ({
            ...rowTestAttributes('order-row', order.id),
            'data-status': order.status,
            'data-order-no': order.merchant_order_no,
          } as React.HTMLAttributes<HTMLElement>)}
          data-testid="order-list"
        />
      </Card>
      {shown && <OrderQr order={shown} onClose={() => setShown(null)} />}
    </Space>
  );
}
