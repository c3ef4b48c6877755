// The payment code (付款码): registers this browser as the customer's payment device on first
// use, then shows the 18-digit code as a QR code, a CODE128 barcode and digits, made offline
// every time step (paymentCode.ts) with a countdown. While it is shown the page polls for
// payments a merchant took beyond the small-payment caps and offers to confirm or decline them.
import JsBarcode from 'jsbarcode';
import QRCode from 'qrcode';
import { Button, Card, Dialog, List, SpinLoading, Toast } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';

import {
  confirmPayment,
  declinePayment,
  listMyPayments,
  registerPaymentDevice,
} from '../api/payments';
import { customerApi } from '../api/session';
import type { Payment } from '../api/types';
import { getMe } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { FormError, H5Page } from './common';
import {
  groupCode,
  loadPaymentDevice,
  makePaymentCode,
  paymentCodeStep,
  savePaymentDevice,
  secondsLeftInStep,
  toPaymentDevice,
  type PaymentDevice,
} from './paymentCode';

const TICK_MS = 1000;
const POLL_MS = 2000;

function deviceStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** This customer's device from localStorage, registering one on first use. */
async function ensureDevice(): Promise<PaymentDevice> {
  const me = await getMe(customerApi);
  const storage = deviceStorage();
  const stored = storage ? loadPaymentDevice(storage, me.id) : null;
  if (stored !== null) return stored;
  const device = toPaymentDevice(await registerPaymentDevice(customerApi));
  if (storage) savePaymentDevice(storage, me.id, device);
  return device;
}

/** The code of the current step, recomputed when the step turns; and the seconds left. */
function useRotatingCode(device: PaymentDevice | null) {
  const [code, setCode] = useState<string | null>(null);
  const [secondsLeft, setSecondsLeft] = useState(0);
  const step = useRef<number | null>(null);
  useEffect(() => {
    if (device === null) return;
    let live = true;
    const tick = () => {
      const now = Date.now();
      setSecondsLeft(secondsLeftInStep(now, device.step_seconds));
      const current = paymentCodeStep(now, device.step_seconds);
      if (current === step.current) return;
      step.current = current;
      makePaymentCode(device, current).then(
        (next) => live && setCode(next),
        () => live && setCode(null),
      );
    };
    tick();
    const timer = window.setInterval(tick, TICK_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
      step.current = null;
    };
  }, [device]);
  return { code, secondsLeft };
}

function CodePictures({ code }: { code: string }) {
  const qr = useRef<HTMLCanvasElement>(null);
  const barcode = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (qr.current) {
      void QRCode.toCanvas(qr.current, code, { width: 220, margin: 2, errorCorrectionLevel: 'M' });
    }
    if (barcode.current) {
      JsBarcode(barcode.current, code, {
        format: 'CODE128',
        displayValue: false,
        height: 70,
        margin: 8,
      });
    }
  }, [code]);
  return (
    <div className="h5-paycode-pictures">
      <svg ref={barcode} data-testid="paycode-barcode" />
      <canvas ref={qr} data-testid="paycode-qr" />
    </div>
  );
}

function PendingPayment({ payment, onDone }: { payment: Payment; onDone: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const act = async (kind: 'confirm' | 'decline') => {
    if (kind === 'decline') {
      const sure = await Dialog.confirm({ content: t('paycode.declineConfirm') });
      if (!sure) return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer =
        kind === 'confirm'
          ? await confirmPayment(customerApi, payment.id)
          : await declinePayment(customerApi, payment.id);
      Toast.show({
        icon: answer.status === 'completed' ? 'success' : undefined,
        content: t(answer.status === 'completed' ? 'paycode.confirmed' : 'paycode.declined'),
      });
      onDone();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      className="h5-page"
      data-testid="paycode-pending"
      data-payment-id={payment.id}
      data-amount-fen={payment.amount}
      title={t('paycode.pendingTitle')}
    >
      <div>{payment.merchant?.name}</div>
      <div className="h5-balance">{formatFen(payment.amount)}</div>
      <Button
        block
        color="primary"
        loading={busy}
        onClick={() => act('confirm')}
        data-testid="paycode-confirm"
      >
        {t('paycode.confirm')}
      </Button>
      <Button block fill="none" disabled={busy} onClick={() => act('decline')} data-testid="paycode-decline">
        {t('paycode.decline')}
      </Button>
      <FormError error={error} />
    </Card>
  );
}

/** Payments awaiting this customer's confirmation, polled while the page is open. */
function usePendingPayments() {
  const [pending, setPending] = useState<Payment[]>([]);
  const [lastDone, setLastDone] = useState<string | null>(null);
  const poll = useCallback(async () => {
    try {
      const page = await listMyPayments(customerApi, null, 'awaiting_confirmation');
      setPending(page.payments.filter((payment) => payment.status === 'awaiting_confirmation'));
    } catch {
      // The next poll tries again; a 401 already sent the customer to log in.
    }
  }, []);
  useEffect(() => {
    void poll();
    const timer = window.setInterval(() => void poll(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [poll]);
  const done = (id: string) => {
    setLastDone(id);
    setPending((previous) => previous.filter((payment) => payment.id !== id));
    void poll();
  };
  return { pending, lastDone, done };
}

export function PayCodePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [device, setDevice] = useState<PaymentDevice | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { code, secondsLeft } = useRotatingCode(device);
  const { pending, lastDone, done } = usePendingPayments();

  useEffect(() => {
    let live = true;
    ensureDevice().then(
      (answer) => live && setDevice(answer),
      (cause: unknown) => live && setError(cause),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <H5Page title={t('paycode.title')}>
      <FormError error={error} />
      {pending.map((payment) => (
        <PendingPayment key={payment.id} payment={payment} onDone={() => done(payment.id)} />
      ))}
      {lastDone && (
        <p className="h5-page h5-muted" data-testid="paycode-answered" data-payment-id={lastDone}>
          {t('paycode.answered')}
        </p>
      )}
      {device === null && error === null && <SpinLoading />}
      {code !== null && (
        <Card className="h5-page h5-paycode">
          <p className="h5-muted">{t('paycode.hint')}</p>
          <CodePictures code={code} />
          <div
            className="h5-paycode-digits"
            data-testid="paycode-digits"
            data-code={code}
          >
            {groupCode(code)}
          </div>
          <div className="h5-muted" data-testid="paycode-countdown" data-seconds-left={secondsLeft}>
            {t('paycode.refreshIn', { seconds: secondsLeft })}
          </div>
        </Card>
      )}
      <List>
        <List.Item
          onClick={() => navigate('/small-payments')}
          data-testid="paycode-small-payments"
        >
          {t('small.title')}
        </List.Item>
      </List>
    </H5Page>
  );
}
