// Security (安全设置): the payment PIN (支付密码). Set a first PIN (the session is enough), change
// it with the current one, or reset a forgotten one with an SMS code (purpose reset_pin) and the
// resident ID of the verified identity (unverified customers are sent to verify first). Five
// wrong PINs lock paying for 30 minutes, longer when it happens again. Below: two-step log-in,
// this device's key, the signed-in devices, the security events and, last, closing the account.
import { Button, Form, Toast } from 'antd-mobile';
import { useState } from 'react';

import { ApiError } from '../api/client';
import { customerApi } from '../api/session';
import type { Security } from '../api/types';
import { getMe, getSecurity, resetPaymentPin, sendOtp, setPaymentPin } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { FieldInput, FormError, H5Page } from './common';
import { PinErrorDetail, PinInput, isSixDigitPin } from './PaymentPin';
import { CloseAccountSection } from './CloseAccountSection';
import { DeviceKeySection } from './DeviceKeySection';
import { DevicesSection } from './DevicesSection';
import { SecurityEventsSection } from './SecurityEventsSection';
import { SmsCodeItem } from './SmsCodeItem';
import { TotpSection } from './TotpSection';
import { useCountdown } from './useCountdown';

const DEFAULT_RESEND_SECONDS = 60;

function PinStatus({ security }: { security: Security }) {
  const { t } = useI18n();
  const locked = security.payment_pin_locked_until;
  return (
    <p
      className="h5-page"
      data-testid="security-pin-status"
      data-set={security.payment_pin_set ? 'true' : 'false'}
      data-tries-left={security.payment_pin_tries_left}
    >
      {!security.payment_pin_set
        ? t('security.pinNotSet')
        : locked !== null
          ? t('pin.lockedUntil', { until: new Date(locked).toLocaleString() })
          : t('security.pinSet', { tries: String(security.payment_pin_tries_left) })}
    </p>
  );
}

function SetPinForm({ security, onSaved }: { security: Security; onSaved: (s: Security) => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const changing = security.payment_pin_set;

  const save = async () => {
    setApiError(null);
    if ((changing && !isSixDigitPin(current)) || !isSixDigitPin(pin)) {
      setMessage(t('pin.sixDigits'));
      return;
    }
    if (pin !== confirm) {
      setMessage(t('pin.mismatch'));
      return;
    }
    setMessage(null);
    setSaving(true);
    try {
      const saved = await setPaymentPin(customerApi, pin, changing ? current : undefined);
      Toast.show({ icon: 'success', content: t('security.saved') });
      setCurrent('');
      setPin('');
      setConfirm('');
      onSaved(saved);
    } catch (error) {
      setApiError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Form
        layout="horizontal"
        mode="card"
        footer={
          <Button block color="primary" onClick={save} loading={saving} data-testid="security-pin-submit">
            {changing ? t('security.change') : t('security.set')}
          </Button>
        }
      >
        <Form.Header>{changing ? t('security.change') : t('security.set')}</Form.Header>
        {changing && (
          <PinInput testId="security-current-pin" label={t('pin.current')} value={current} onChange={setCurrent} />
        )}
        <PinInput testId="security-pin" label={t('pin.new')} value={pin} onChange={setPin} />
        <PinInput testId="security-pin-confirm" label={t('pin.confirm')} value={confirm} onChange={setConfirm} />
      </Form>
      <FormError error={apiError} text={message} />
      <PinErrorDetail error={apiError} />
    </>
  );
}

function ResetPinForm({ security, onSaved }: { security: Security; onSaved: (s: Security) => void }) {
  const { t } = useI18n();
  const me = useLoad(() => getMe(customerApi), []);
  const countdown = useCountdown();
  const [code, setCode] = useState('');
  const [residentId, setResidentId] = useState('');
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (!security.identity_verified) {
    return (
      <p className="h5-page h5-muted" data-testid="security-reset-needs-identity">
        {t('security.resetNeedsIdentity')}
      </p>
    );
  }

  const send = async () => {
    if (me.data === null) return;
    setApiError(null);
    setBusy(true);
    try {
      const answer = await sendOtp(customerApi, me.data.phone, 'reset_pin');
      countdown.start(answer.resend_after_seconds || DEFAULT_RESEND_SECONDS);
      Toast.show({ content: t('field.smsCode.sent') });
    } catch (error) {
      setApiError(error);
    } finally {
      setBusy(false);
    }
  };

  const reset = async () => {
    setApiError(null);
    if (!/^[0-9]{6}$/.test(code)) {
      setMessage(t('security.codeSixDigits'));
      return;
    }
    if (!isSixDigitPin(pin)) {
      setMessage(t('pin.sixDigits'));
      return;
    }
    setMessage(null);
    setBusy(true);
    try {
      const saved = await resetPaymentPin(customerApi, code, residentId.trim(), pin);
      Toast.show({ icon: 'success', content: t('security.saved') });
      setCode('');
      setResidentId('');
      setPin('');
      onSaved(saved);
    } catch (error) {
      setApiError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Form
        layout="horizontal"
        mode="card"
        footer={
          <Button block color="primary" onClick={reset} loading={busy} data-testid="security-reset-submit">
            {t('security.reset')}
          </Button>
        }
      >
        <Form.Header>{t('security.reset')}</Form.Header>
        <SmsCodeItem
          testIdPrefix="security-reset"
          value={code}
          onChange={setCode}
          onSend={send}
          secondsLeft={countdown.secondsLeft}
          sendDisabled={busy || me.data === null}
        />
        <Form.Item label={t('security.residentId')}>
          <FieldInput
            testId="security-reset-resident-id"
            maxLength={18}
            value={residentId}
            onChange={setResidentId}
          />
        </Form.Item>
        <PinInput testId="security-reset-pin" label={t('pin.new')} value={pin} onChange={setPin} />
      </Form>
      <FormError
        error={apiError}
        text={
          message ??
          (apiError instanceof ApiError && apiError.code === 'IDENTITY_MISMATCH'
            ? t('security.idMismatch')
            : null)
        }
      />
    </>
  );
}

export function SecurityPage() {
  const { t } = useI18n();
  const loaded = useLoad(() => getSecurity(customerApi), []);
  const [saved, setSaved] = useState<Security | null>(null);
  const security = saved ?? loaded.data;
  return (
    <H5Page title={t('security.title')}>
      {security === null ? (
        <FormError error={loaded.error} />
      ) : (
        <div data-testid="security-page">
          <PinStatus security={security} />
          <SetPinForm security={security} onSaved={setSaved} />
          {security.payment_pin_set && <ResetPinForm security={security} onSaved={setSaved} />}
          <TotpSection />
          <DeviceKeySection />
          <DevicesSection />
          <SecurityEventsSection />
          <CloseAccountSection pinRequired={security.payment_pin_set} />
        </div>
      )}
    </H5Page>
  );
}
