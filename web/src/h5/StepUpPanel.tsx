// The step-up a payment from the balance may need (PBoC No. 43): past ¥1,000 a day one factor
// is not enough, past ¥5,000 only this phone's device key is. The server answers
// CHALLENGE_REQUIRED with the factors that would do; for a merchant payment it holds the money
// (5 minutes) and this panel confirms the held payment with an SMS code, an authenticator code
// or a device-key signature bound to it; for a transfer nothing was sent, and the panel hands
// the code, or a device signature over the transfer to be sent, back for it to be repeated.
import { Button, Form, Toast } from 'antd-mobile';
import { useState } from 'react';

import type { StepUpDetails } from '../api/client';
import { stepUpChallenge, type DeviceSignature, type TransferToSign } from '../api/deviceKeys';
import { confirmPayment, declinePayment, type ConfirmFactors } from '../api/payments';
import { customerApi } from '../api/session';
import type { Payment } from '../api/types';
import { getMe, sendOtp } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { FieldInput, FormError } from './common';
import { loadDeviceKey } from './deviceKey';
import { answerDeviceChallenge } from './webauthnKey';
import { secondCodeOf, type SecondCode } from './stepUp';

export type { SecondCode };

export function StepUpPanel({
  stepUp,
  paymentPin,
  onConfirmed,
  onCode,
  transfer,
  onDeviceSignature,
  onCancelled,
}: {
  stepUp: StepUpDetails;
  /** The PIN the payment was made with: confirming pays from the balance, so it goes again. */
  paymentPin?: string;
  /** A held payment confirmed. */
  onConfirmed?: (payment: Payment) => void;
  /** A transfer: the code to repeat it with. */
  onCode?: (code: SecondCode) => void;
  /** A transfer: what its repeat will send, for a device signature to bind. */
  transfer?: TransferToSign;
  /** A transfer: the device signature to repeat it with. */
  onDeviceSignature?: (signature: DeviceSignature) => void;
  onCancelled?: () => void;
}) {
  const { t } = useI18n();
  const [sms, setSms] = useState('');
  const [totp, setTotp] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const held = stepUp.paymentId;
  const codes = stepUp.factors.includes('sms_code');
  const device =
    stepUp.factors.includes('device_signature') && (held !== undefined || transfer !== undefined);

  const run = async (work: () => Promise<void>) => {
    setApiError(null);
    setMessage(null);
    setBusy(true);
    try {
      await work();
    } catch (error) {
      setApiError(error);
    } finally {
      setBusy(false);
    }
  };

  const base = (): ConfirmFactors => (paymentPin ? { payment_pin: paymentPin } : {});

  const sendSms = () =>
    run(async () => {
      const me = await getMe(customerApi);
      await sendOtp(customerApi, me.phone, 'payment');
      Toast.show({ content: t('stepUp.smsSent') });
    });

  const confirmWithCode = () => {
    const code = secondCodeOf(sms, totp);
    if (code === null || code === 'invalid') {
      setMessage(t('stepUp.codeSixDigits'));
      return;
    }
    if (held === undefined) {
      onCode?.(code);
      return;
    }
    void run(async () => onConfirmed?.(await confirmPayment(customerApi, held, { ...base(), ...code })));
  };

  const confirmWithDevice = () =>
    run(async () => {
      const me = await getMe(customerApi);
      const key = await loadDeviceKey(me.phone);
      if (key === null) {
        setMessage(t('stepUp.noDevice'));
        return;
      }
      // A held payment is confirmed here; a transfer gets the signature for its repeat.
      const challenge = await stepUpChallenge(
        customerApi,
        key.deviceId,
        held !== undefined
          ? { purpose: 'payment_confirmation', payment_id: held }
          : { purpose: 'payment_confirmation', transfer: transfer as TransferToSign },
      );
      // The browser key signs; a WebAuthn credential asks for the fingerprint / face.
      const device_signature = await answerDeviceChallenge(challenge, me.phone);
      if (held === undefined) {
        onDeviceSignature?.(device_signature);
        return;
      }
      onConfirmed?.(await confirmPayment(customerApi, held, { ...base(), device_signature }));
    });

  const cancel = () =>
    run(async () => {
      if (held !== undefined) await declinePayment(customerApi, held);
      onCancelled?.();
    });

  return (
    <div className="h5-page" data-testid="step-up" data-needed={stepUp.needed} data-payment-id={held ?? ''}>
      <h3>{t('stepUp.title')}</h3>
      <p data-testid="step-up-reason">
        {stepUp.needed === 'device_key' ? t('stepUp.deviceKey') : t('stepUp.twoFactors')}
      </p>
      <p className="h5-muted">
        {held !== undefined && stepUp.expiresAt
          ? t('stepUp.held', { time: new Date(stepUp.expiresAt).toLocaleTimeString() })
          : held === undefined
            ? t('stepUp.transfer')
            : null}
      </p>
      {codes && (
        <Form layout="vertical">
          <Form.Item
            label={t('stepUp.smsCode')}
            extra={
              <Button size="small" onClick={sendSms} disabled={busy} data-testid="step-up-send-sms">
                {t('stepUp.sendSms')}
              </Button>
            }
          >
            <FieldInput
              testId="step-up-sms"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={sms}
              onChange={(text) => setSms(text.replace(/[^0-9]/g, ''))}
            />
          </Form.Item>
          <Form.Item label={t('stepUp.totpCode')}>
            <FieldInput
              testId="step-up-totp"
              inputMode="numeric"
              autoComplete="off"
              maxLength={6}
              value={totp}
              onChange={(text) => setTotp(text.replace(/[^0-9]/g, ''))}
            />
          </Form.Item>
          <Button block color="primary" loading={busy} onClick={confirmWithCode} data-testid="step-up-confirm">
            {held === undefined ? t('stepUp.confirmTransfer') : t('stepUp.confirm')}
          </Button>
        </Form>
      )}
      {device && (
        <Button block color="primary" fill="outline" loading={busy} onClick={confirmWithDevice} data-testid="step-up-device">
          {t('stepUp.useDevice')}
        </Button>
      )}
      {held !== undefined && (
        <Button block fill="none" disabled={busy} onClick={cancel} data-testid="step-up-cancel">
          {t('stepUp.cancel')}
        </Button>
      )}
      <FormError error={apiError} text={message} />
    </div>
  );
}
