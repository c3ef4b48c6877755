// Charging a customer's payment code (付款码, scanned or typed by the cashier). Beyond the
// customer's small-payment caps the payment waits for the customer to confirm on the phone;
// the page then polls it until it completes or is declined.
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';

import { ActionKey } from '../api/idempotency';
import { chargePaymentCode, getMerchantPayment } from '../api/merchant';
import { merchantApi } from '../api/session';
import type { Payment } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen, parseYuan } from '../money';
import { MerchantError } from './MerchantLayout';

const POLL_MS = 2000;
/** Stop polling after this long; the cashier can look at the payments list. */
const POLL_LIMIT_MS = 10 * 60 * 1000;

/** The code as the cashier typed or scanned it, without spaces: 18 digits or null. */
export function normalizePaymentCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{18}$/.test(digits) ? digits : null;
}

function useAwaitedPayment(payment: Payment | null) {
  const [current, setCurrent] = useState<Payment | null>(payment);
  useEffect(() => {
    setCurrent(payment);
    if (payment === null || payment.status !== 'awaiting_confirmation') return;
    const started = Date.now();
    let live = true;
    const timer = window.setInterval(async () => {
      if (Date.now() - started > POLL_LIMIT_MS) {
        window.clearInterval(timer);
        return;
      }
      try {
        const next = await getMerchantPayment(merchantApi, payment.id);
        if (!live) return;
        setCurrent(next);
        if (next.status !== 'awaiting_confirmation') window.clearInterval(timer);
      } catch {
        // Try again on the next tick.
      }
    }, POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [payment]);
  return current;
}

export function MerchantChargePage() {
  const { t } = useI18n();
  const [form] = Form.useForm<{ code: string; amount: string }>();
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [charged, setCharged] = useState<Payment | null>(null);
  const action = useRef(new ActionKey());
  const payment = useAwaitedPayment(charged);

  const submit = async (values: { code: string; amount: string }) => {
    setError(null);
    const code = normalizePaymentCode(values.code ?? '');
    if (code === null) {
      setMessage(t('apiError.PAYMENT_CODE_INVALID'));
      return;
    }
    const parsed = parseYuan(values.amount ?? '', { maxFen: 100_000_000n });
    if (!parsed.ok) {
      setMessage(t(`error.amount.${parsed.error}`));
      return;
    }
    setMessage(null);
    setSubmitting(true);
    const key = action.current.keyFor({ code, amount: parsed.fen });
    try {
      const answer = await chargePaymentCode(merchantApi, code, parsed.fen, key);
      action.current.settle();
      setCharged(answer);
      form.setFieldValue('code', '');
    } catch (cause) {
      action.current.settle(cause);
      setError(cause);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('merchant.charge')}>
        <MerchantError error={error} />
        {message && (
          <Typography.Text type="danger" data-testid="merchant-form-message">
            {message}
          </Typography.Text>
        )}
        <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 420 }}>
          <Form.Item name="code" label={t('merchant.charge.code')} rules={[{ required: true, message: '' }]}>
            <Input
              inputMode="numeric"
              maxLength={32}
              autoComplete="off"
              placeholder={t('merchant.charge.codeHint')}
              data-testid="charge-code"
            />
          </Form.Item>
          <Form.Item name="amount" label={t('move.amount')} rules={[{ required: true, message: '' }]}>
            <Input inputMode="decimal" maxLength={20} placeholder="0.00" data-testid="charge-amount" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={submitting} data-testid="charge-submit">
            {t('merchant.charge.submit')}
          </Button>
        </Form>
      </Card>
      {payment && (
        <div data-testid="charge-result" data-status={payment.status} data-payment-id={payment.id}>
          <Alert
            showIcon
            type={
              payment.status === 'completed'
                ? 'success'
                : payment.status === 'awaiting_confirmation'
                  ? 'warning'
                  : 'error'
            }
            title={`${t(`payment.status.${payment.status}`)} · ${formatFen(payment.amount)}`}
            description={
              payment.status === 'awaiting_confirmation' ? t('merchant.charge.awaiting') : payment.id
            }
          />
        </div>
      )}
    </Space>
  );
}
