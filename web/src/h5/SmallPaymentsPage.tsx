// Small-payment (免密) settings: whether a merchant may take a payment code without the
// customer confirming, up to a cap per payment and a cap per day. Off by default; the API's
// defaults are ¥200 / ¥1,000 and its maximums ¥2,000 / ¥5,000.
import { Button, Form, Switch, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';

import { getSmallPayments, putSmallPayments } from '../api/payments';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen, parseYuan } from '../money';
import { useLoad } from '../useLoad';
import { FieldInput, FormError, H5Page } from './common';

export const SMALL_PAYMENT_MAX_PER_PAYMENT_FEN = 200_000;
export const SMALL_PAYMENT_MAX_PER_DAY_FEN = 500_000;

const asYuan = (fen: number) => formatFen(fen, { symbol: false, grouping: false });

export function SmallPaymentsPage() {
  const { t } = useI18n();
  const loaded = useLoad(() => getSmallPayments(customerApi), []);
  const [enabled, setEnabled] = useState(false);
  const [perPayment, setPerPayment] = useState('');
  const [perDay, setPerDay] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (loaded.data === null) return;
    setEnabled(loaded.data.enabled);
    setPerPayment(asYuan(loaded.data.per_payment));
    setPerDay(asYuan(loaded.data.per_day));
  }, [loaded.data]);

  const save = async () => {
    setApiError(null);
    const payment = parseYuan(perPayment, { maxFen: BigInt(SMALL_PAYMENT_MAX_PER_PAYMENT_FEN) });
    const day = parseYuan(perDay, { maxFen: BigInt(SMALL_PAYMENT_MAX_PER_DAY_FEN) });
    if (!payment.ok || !day.ok) {
      const failed = !payment.ok ? payment.error : !day.ok ? day.error : 'INVALID';
      setMessage(
        failed === 'TOO_LARGE'
          ? t('small.tooLarge', {
              perPayment: formatFen(SMALL_PAYMENT_MAX_PER_PAYMENT_FEN),
              perDay: formatFen(SMALL_PAYMENT_MAX_PER_DAY_FEN),
            })
          : t(`error.amount.${failed}`),
      );
      return;
    }
    if (payment.fen > day.fen) {
      setMessage(t('small.perPaymentOverDay'));
      return;
    }
    setMessage(null);
    setSaving(true);
    try {
      const saved = await putSmallPayments(customerApi, {
        enabled,
        per_payment: payment.fen,
        per_day: day.fen,
      });
      setEnabled(saved.enabled);
      setPerPayment(asYuan(saved.per_payment));
      setPerDay(asYuan(saved.per_day));
      Toast.show({ icon: 'success', content: t('small.saved') });
    } catch (error) {
      setApiError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <H5Page title={t('small.title')}>
      <p className="h5-page h5-muted">{t('small.explain')}</p>
      <Form
        layout="horizontal"
        footer={
          <Button
            block
            color="primary"
            size="large"
            onClick={save}
            loading={saving}
            disabled={loaded.data === null}
            data-testid="small-save"
          >
            {t('small.save')}
          </Button>
        }
      >
        <Form.Item label={t('small.enabled')} extra={null}>
          <span data-testid="small-enabled" data-checked={enabled ? 'true' : 'false'}>
            <Switch checked={enabled} onChange={setEnabled} />
          </span>
        </Form.Item>
        <Form.Item label={t('small.perPayment')}>
          <FieldInput
            testId="small-per-payment"
            inputMode="decimal"
            maxLength={12}
            value={perPayment}
            onChange={setPerPayment}
          />
        </Form.Item>
        <Form.Item label={t('small.perDay')}>
          <FieldInput
            testId="small-per-day"
            inputMode="decimal"
            maxLength={12}
            value={perDay}
            onChange={setPerDay}
          />
        </Form.Item>
      </Form>
      <FormError error={apiError ?? loaded.error} text={message} />
    </H5Page>
  );
}
