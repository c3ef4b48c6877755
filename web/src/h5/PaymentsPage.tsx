// My payments to merchants (/payments) and one payment with its refunds and its e-invoice
// (/payments/:id).
import { Button, Card, List, SpinLoading, Tag } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router';

import { getMyPayment, listMyPayments } from '../api/payments';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';
import { formatChinaTime } from './historyFormat';
import { InvoicePanel } from './InvoicePanel';
import { channelKey, paymentStatusKey, refundStatusKey } from './paymentFormat';
import { useCursorPages } from './useCursorPages';

export function PaymentsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const {
    items: payments,
    cursor,
    done,
    loading,
    error,
    more,
  } = useCursorPages(
    (from: string | null) => listMyPayments(customerApi, from),
    (page) => page.payments,
  );

  return (
    <H5Page title={t('payments.title')}>
      <FormError error={error} />
      <List data-testid="payments-list">
        {payments.map((payment) => (
          <List.Item
            key={payment.id}
            onClick={() => navigate(`/payments/${payment.id}`)}
            data-testid="payment-item"
            data-payment-id={payment.id}
            data-status={payment.status}
            data-amount-fen={payment.amount}
            data-refunded-fen={payment.refunded}
            description={
              <>
                {t(channelKey(payment.channel))} · {formatChinaTime(payment.created_at)}
                {payment.refunded > 0 && (
                  <div data-testid="payment-item-refunded">
                    {t('payment.refunded')} {formatFen(payment.refunded)}
                  </div>
                )}
              </>
            }
            extra={
              <div style={{ textAlign: 'right' }}>
                <div>-{formatFen(payment.amount)}</div>
                <Tag data-testid="payment-item-status">{t(paymentStatusKey(payment))}</Tag>
              </div>
            }
          >
            {payment.merchant?.name ?? payment.merchant_id}
          </List.Item>
        ))}
      </List>
      {loading && <SpinLoading />}
      {!loading && payments.length === 0 && error === null && (
        <p className="h5-page h5-muted" data-testid="payments-empty">
          {t('common.empty')}
        </p>
      )}
      {!done && !loading && payments.length > 0 && (
        <div className="h5-page">
          <Button block onClick={() => void more(cursor)} data-testid="payments-more">
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </H5Page>
  );
}

export function PaymentDetailPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const loaded = useLoad(() => getMyPayment(customerApi, id), [id]);
  const payment = loaded.data;

  return (
    <H5Page title={t('payments.detail')} back="/payments">
      <FormError error={loaded.error} />
      {loaded.loading && payment === null && <SpinLoading />}
      {payment && (
        <div data-testid="payment-detail" data-payment-id={payment.id} data-status={payment.status}>
          <Card className="h5-page">
            <div className="h5-pay-merchant" data-testid="payment-merchant">
              {payment.merchant?.name ?? payment.merchant_id}
            </div>
            <div className="h5-balance" data-testid="payment-amount" data-fen={payment.amount}>
              -{formatFen(payment.amount)}
            </div>
          </Card>
          <List>
            <List.Item extra={<span data-testid="payment-status">{t(paymentStatusKey(payment))}</span>}>
              {t('payment.status')}
            </List.Item>
            <List.Item extra={t(channelKey(payment.channel))}>{t('payment.channel')}</List.Item>
            <List.Item extra={formatChinaTime(payment.created_at)}>{t('payment.time')}</List.Item>
            <List.Item
              extra={
                <span data-testid="payment-refunded" data-fen={payment.refunded}>
                  {formatFen(payment.refunded)}
                </span>
              }
            >
              {t('payment.refunded')}
            </List.Item>
            <List.Item extra={<span className="h5-mono">{payment.id}</span>}>
              {t('payment.id')}
            </List.Item>
          </List>
          {(payment.refunds ?? []).length > 0 && (
            <List header={t('refund.title')} data-testid="refund-list">
              {(payment.refunds ?? []).map((refund) => (
                <List.Item
                  key={refund.id}
                  data-testid="refund-item"
                  data-refund-id={refund.id}
                  data-fen={refund.amount}
                  data-status={refund.status}
                  description={formatChinaTime(refund.created_at)}
                  extra={<span className="h5-amount-in">+{formatFen(refund.amount)}</span>}
                >
                  <span data-testid="refund-status">
                    {t('refund.status')}: {t(refundStatusKey(refund.status))}
                  </span>
                </List.Item>
              ))}
            </List>
          )}
          <InvoicePanel payment={payment} />
        </div>
      )}
    </H5Page>
  );
}
