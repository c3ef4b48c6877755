// Paying a scanned or opened merchant QR: the preview from POST /me/scans (merchant, category,
// the order's amount or an amount field for a static QR), the pay button, and the result. One
// Idempotency-Key per user action, reused on retry (api/idempotency.ts). With the points switch
// on, the payment carries the points its quote uses and no coupon (they do not combine).
import { Button, Card, Form, Result } from 'antd-mobile';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';

import { ApiError, type StepUpDetails } from '../api/client';
import { ActionKey } from '../api/idempotency';
import { pay, type PayRequest } from '../api/payments';
import { pointsToPay, quoteSettled } from '../api/points';
import { customerApi } from '../api/session';
import type { Payment, ScanPreview } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen, parseYuan } from '../money';
import { FieldInput, FormError } from './common';
import { PaymentPinField, PinErrorDetail, isSixDigitPin, usePinRequired } from './PaymentPin';
import { PayQuote, useQuote, type CouponChoice } from './PayQuote';
import { StepUpPanel } from './StepUpPanel';

/** The largest amount a customer can type for a static QR (the API's maximum). */
const MAX_PAY_FEN = 100_000_000n;

/** Only plain web links go back to a merchant's site (never javascript: or the like). */
export function safeReturnUrl(url: string | undefined): string | null {
  if (!url) return null;
  return url.startsWith('https://') || url.startsWith('http://') ? url : null;
}

export function PaymentSuccess({ payment, returnUrl }: { payment: Payment; returnUrl?: string | null }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <div data-testid="pay-success" data-payment-id={payment.id} data-status={payment.status}>
      <Result
        status={payment.status === 'under_review' ? 'waiting' : 'success'}
        title={payment.status === 'under_review' ? t('payment.status.under_review') : t('pay.success')}
        description={
          <>
            <div data-testid="pay-success-amount" data-fen={payment.paid ?? payment.amount}>
              {formatFen(payment.paid ?? payment.amount)}
            </div>
            {(payment.discount ?? 0) > 0 && (
              <div data-testid="pay-success-discount" data-fen={payment.discount}>
                {t('pay.success.discount', { amount: formatFen(payment.discount ?? 0) })}
              </div>
            )}
            <div data-testid="pay-success-merchant">{payment.merchant?.name ?? ''}</div>
            {payment.status === 'under_review' && (
              <div data-testid="pay-under-review">{t('pay.underReview')}</div>
            )}
          </>
        }
      />
      <div className="h5-page">
        {returnUrl && (
          <Button block color="primary" onClick={() => window.location.assign(returnUrl)} data-testid="pay-return">
            {t('pay.returnToMerchant')}
          </Button>
        )}
        <Button block onClick={() => navigate(`/payments/${payment.id}`)} data-testid="pay-detail">
          {t('pay.viewDetail')}
        </Button>
        <Button block fill="none" onClick={() => navigate('/home')} data-testid="pay-done">
          {t('pay.done')}
        </Button>
      </div>
    </div>
  );
}

export function PayPanel({
  qr,
  preview,
  via,
}: {
  qr: string;
  preview: ScanPreview;
  via: 'scan' | 'checkout';
}) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [paid, setPaid] = useState<Payment | null>(null);
  const action = useRef(new ActionKey());
  const pinRequired = usePinRequired();
  const [pin, setPin] = useState('');
  const [stepUp, setStepUp] = useState<StepUpDetails | null>(null);
  const [couponChoice, setCouponChoice] = useState<CouponChoice>(undefined);
  const [usePoints, setUsePoints] = useState(false);
  // Bumped to quote again after the server refused the points (the balance changed).
  const [quoteRefresh, setQuoteRefresh] = useState(0);
  const typed = preview.amount === null ? parseYuan(amount, { maxFen: MAX_PAY_FEN }) : null;
  const quotedAmount = preview.amount ?? (typed?.ok ? typed.fen : null);
  const quote = useQuote(qr, quotedAmount, couponChoice, preview.amount === null, usePoints, quoteRefresh);

  if (paid !== null) {
    const returnUrl = via === 'checkout' ? safeReturnUrl(preview.order?.return_url) : null;
    return <PaymentSuccess payment={paid} returnUrl={returnUrl} />;
  }

  const submit = async () => {
    setApiError(null);
    const request: PayRequest = { qr, currency: 'CNY', via };
    if (preview.amount === null) {
      const parsed = parseYuan(amount, { maxFen: MAX_PAY_FEN });
      if (!parsed.ok) {
        setMessage(t(`error.amount.${parsed.error}`));
        return;
      }
      request.amount = parsed.fen;
    }
    if (!quoteSettled(quote, request.amount ?? preview.amount, usePoints)) {
      setMessage(t('pay.quote.loading'));
      return;
    }
    const points = pointsToPay(quote, usePoints);
    if (points !== null) {
      request.points = points;
    } else if (!usePoints) {
      // The coupon the customer sees applied: their choice, or the best one the quote picked.
      const couponId = couponChoice === undefined ? quote?.coupon_id : couponChoice;
      if (couponId) request.coupon_id = couponId;
    }
    if (pinRequired && !isSixDigitPin(pin)) {
      setMessage(t('pin.sixDigits'));
      return;
    }
    setMessage(null);
    setSubmitting(true);
    // One key per payment, whatever PIN is typed: the API checks the PIN before the key.
    const key = action.current.keyFor(request);
    if (pinRequired) request.payment_pin = pin;
    try {
      const payment = await pay(customerApi, request, key);
      action.current.settle();
      setPaid(payment);
    } catch (error) {
      action.current.settle(error);
      // Held for a step-up (PBoC No. 43): the panel below confirms it with a second factor.
      if (error instanceof ApiError && error.stepUp?.paymentId !== undefined) {
        setStepUp(error.stepUp);
      } else {
        setApiError(error);
        // The points changed under the customer: quote again so the switch shows what is left,
        // and turn it off when points are not taken at all.
        if (error instanceof ApiError && error.code === 'POINTS_NOT_ACCEPTED') setUsePoints(false);
        if (error instanceof ApiError && error.code.startsWith('POINTS_')) setQuoteRefresh((n) => n + 1);
      }
    } finally {
      setSubmitting(false);
    }
  };

  if (stepUp !== null) {
    return (
      <StepUpPanel
        stepUp={stepUp}
        paymentPin={pinRequired ? pin : undefined}
        onConfirmed={(payment) => setPaid({ ...payment, merchant: payment.merchant ?? preview.merchant })}
        onCancelled={() => setStepUp(null)}
      />
    );
  }

  return (
    <div data-testid="pay-preview" data-kind={preview.kind}>
      <Card className="h5-page">
        <div className="h5-pay-merchant" data-testid="pay-merchant">
          {preview.merchant.name}
        </div>
        <div className="h5-muted" data-testid="pay-category">
          {preview.merchant.category_name}
        </div>
        {preview.order && (
          <div className="h5-muted" data-testid="pay-order-no">
            {t('pay.orderNo')} {preview.order.merchant_order_no}
          </div>
        )}
        {preview.order && preview.order.description !== '' && (
          <div data-testid="pay-order-description">{preview.order.description}</div>
        )}
        {preview.amount !== null && (
          <div className="h5-balance" data-testid="pay-amount" data-fen={preview.amount}>
            {formatFen(preview.amount)}
          </div>
        )}
      </Card>
      <Form
        layout="vertical"
        footer={
          <Button
            block
            color="primary"
            size="large"
            onClick={submit}
            loading={submitting}
            data-testid="pay-submit"
          >
            {t('pay.submit')}
          </Button>
        }
      >
        {preview.amount === null && (
          <Form.Item label={t('pay.enterAmount')}>
            <FieldInput
              testId="pay-amount-input"
              inputMode="decimal"
              maxLength={20}
              placeholder={t('move.amount.placeholder')}
              value={amount}
              onChange={setAmount}
              onEnterPress={submit}
            />
          </Form.Item>
        )}
        <PayQuote
          quote={quote}
          choice={couponChoice}
          onChoose={setCouponChoice}
          usePoints={usePoints}
          onUsePoints={(on) => {
            setMessage(null);
            setUsePoints(on);
          }}
        />
        <PaymentPinField required={pinRequired} value={pin} onChange={setPin} />
      </Form>
      <FormError error={apiError} text={message} />
      <PinErrorDetail error={apiError} />
    </div>
  );
}
