// Two-step log-in (两步验证) on the security page: turn it on (the server's fresh secret as a QR
// code of its otpauth:// URI, drawn here, and as base32 for typing; then the first code), show
// the recovery codes the server answers that once, and turn it off with a code or a recovery
// code. Five wrong codes lock it for 30 minutes (the server decides and counts).
import { Button, Form, Toast } from 'antd-mobile';
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';

import { customerApi } from '../api/session';
import {
  beginTotp,
  confirmTotp,
  disableTotp,
  getTotp,
  type TotpEnrolment,
  type TotpStatus,
} from '../api/totp';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { FieldInput, FormError } from './common';

function OtpauthQr({ uri }: { uri: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) {
      void QRCode.toCanvas(canvas.current, uri, { width: 200, margin: 2, errorCorrectionLevel: 'M' });
    }
  }, [uri]);
  return <canvas ref={canvas} data-testid="totp-qr" aria-label="otpauth QR" />;
}

function Enrol({ enrolment, onOn }: { enrolment: TotpEnrolment; onOn: (codes: string[]) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setApiError(null);
    if (!/^[0-9]{6}$/.test(code.trim())) {
      setMessage(t('totp.codeSixDigits'));
      return;
    }
    setMessage(null);
    setBusy(true);
    try {
      const answer = await confirmTotp(customerApi, code.trim());
      Toast.show({ icon: 'success', content: t('totp.enabled') });
      onOn(answer.recovery_codes);
    } catch (error) {
      setApiError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="h5-page">{t('totp.scan')}</p>
      <div className="h5-page" style={{ textAlign: 'center' }}>
        <OtpauthQr uri={enrolment.otpauth_uri} />
        <p>
          {t('totp.secret')}:{' '}
          <code data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
            {enrolment.secret}
          </code>
        </p>
      </div>
      <Form
        layout="horizontal"
        mode="card"
        footer={
          <Button block color="primary" onClick={confirm} loading={busy} data-testid="totp-confirm">
            {t('totp.confirm')}
          </Button>
        }
      >
        <Form.Item label={t('totp.code')}>
          <FieldInput
            testId="totp-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={setCode}
            onEnterPress={confirm}
          />
        </Form.Item>
      </Form>
      <FormError error={apiError} text={message} />
    </>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <div className="h5-page" data-testid="totp-recovery">
      <h4>{t('totp.recoveryTitle')}</h4>
      <p className="h5-muted">{t('totp.recoveryHint')}</p>
      <ol data-testid="totp-recovery-codes" style={{ fontFamily: 'monospace' }}>
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <Button block onClick={onDone} data-testid="totp-recovery-done">
        {t('totp.recoveryDone')}
      </Button>
    </div>
  );
}

function Disable({ onOff }: { onOff: (status: TotpStatus) => void }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [apiError, setApiError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const disable = async () => {
    const value = typed.trim();
    if (value === '') return;
    setApiError(null);
    setBusy(true);
    try {
      const factor = /^[0-9]{6}$/.test(value) ? { code: value } : { recovery_code: value };
      const status = await disableTotp(customerApi, factor);
      Toast.show({ icon: 'success', content: t('totp.disabled') });
      setTyped('');
      onOff(status);
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
          <Button block color="danger" fill="outline" onClick={disable} loading={busy} data-testid="totp-disable">
            {t('totp.disable')}
          </Button>
        }
      >
        <Form.Header>{t('totp.disableHint')}</Form.Header>
        <Form.Item label={t('totp.codeOrRecovery')}>
          <FieldInput testId="totp-disable-code" maxLength={16} value={typed} onChange={setTyped} />
        </Form.Item>
      </Form>
      <FormError error={apiError} />
    </>
  );
}

export function TotpSection() {
  const { t } = useI18n();
  const loaded = useLoad(() => getTotp(customerApi), []);
  const [status, setStatus] = useState<TotpStatus | null>(null);
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const current = status ?? loaded.data;

  const start = async () => {
    setApiError(null);
    setBusy(true);
    try {
      setEnrolment(await beginTotp(customerApi));
    } catch (error) {
      setApiError(error);
    } finally {
      setBusy(false);
    }
  };

  if (current === null) return <FormError error={loaded.error} />;
  const locked = current.locked_until;
  return (
    <section data-testid="totp-section" data-state={current.state}>
      <h3 className="h5-page">{t('totp.title')}</h3>
      <p className="h5-page" data-testid="totp-status">
        {current.state === 'on'
          ? t('totp.on', { left: String(current.recovery_codes_left) })
          : enrolment !== null
            ? t('totp.pending')
            : t('totp.off')}
      </p>
      {locked !== null && (
        <p className="h5-page h5-error">{t('totp.lockedUntil', { until: new Date(locked).toLocaleString() })}</p>
      )}
      {recoveryCodes !== null ? (
        <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />
      ) : current.state === 'on' ? (
        <Disable
          onOff={(next) => {
            setEnrolment(null);
            setStatus(next);
          }}
        />
      ) : enrolment !== null ? (
        <Enrol
          enrolment={enrolment}
          onOn={(codes) => {
            setEnrolment(null);
            setRecoveryCodes(codes);
            setStatus({ state: 'on', recovery_codes_left: codes.length, locked_until: null });
          }}
        />
      ) : (
        <div className="h5-page">
          <Button block color="primary" onClick={start} loading={busy} data-testid="totp-enable">
            {t('totp.enable')}
          </Button>
          <FormError error={apiError} />
        </div>
      )}
    </section>
  );
}
