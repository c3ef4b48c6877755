import { Button, Form } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';

import { ApiError } from '../api/client';
import { deviceLogIn, deviceLogInChallenge } from '../api/deviceKeys';
import { customerApi, customerSession } from '../api/session';
import { logInWithSecondFactor, secondFactorOf } from '../api/totp';
import { logIn } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { accountClosedAt } from './closeAccount';
import { afterLogInPath, FieldInput, FormError, H5Page } from './common';
import { loadDeviceKey, type StoredDeviceKey } from './deviceKey';
import { answerDeviceChallenge } from './webauthnKey';
import { formatChinaTime } from './historyFormat';
import { isValidPhone } from './validation';

export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Sent here by the security page right after the customer closed the account.
  const closedAt = accountClosedAt(useLocation().state);
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  // Two-step log-in: the server answered TOTP_REQUIRED to the right password, so the form asks
  // for the authenticator app's code (or a recovery code) and sends it with the password.
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState('');
  // A device key this browser holds for the phone typed (bound on the security page).
  const [deviceKey, setDeviceKey] = useState<StoredDeviceKey | null>(null);
  useEffect(() => {
    let current = true;
    const typed = phone.trim();
    if (!isValidPhone(typed)) {
      setDeviceKey(null);
      return;
    }
    void loadDeviceKey(typed).then((found) => {
      if (current) setDeviceKey(found);
    });
    return () => {
      current = false;
    };
  }, [phone]);

  const signInWithDevice = async () => {
    if (deviceKey === null) return;
    setApiError(null);
    setMessage(null);
    setSubmitting(true);
    try {
      const challenge = await deviceLogInChallenge(customerApi, deviceKey.phone, deviceKey.deviceId);
      const signed = await answerDeviceChallenge(challenge, deviceKey.phone);
      const answer = await deviceLogIn(customerApi, deviceKey.phone, challenge, signed);
      customerSession.start(answer.token);
      navigate(afterLogInPath(params.get('next')), { replace: true });
    } catch (error) {
      setApiError(error);
      setSubmitting(false);
    }
  };

  const submit = async () => {
    setApiError(null);
    if (!isValidPhone(phone)) {
      setMessage(t('error.phone'));
      return;
    }
    setMessage(null);
    setSubmitting(true);
    try {
      const answer =
        needsCode && code.trim() !== ''
          ? await logInWithSecondFactor(customerApi, phone.trim(), password, secondFactorOf(code))
          : await logIn(customerApi, phone.trim(), password);
      customerSession.start(answer.token);
      navigate(afterLogInPath(params.get('next')), { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'TOTP_REQUIRED') {
        setNeedsCode(true);
      } else {
        setApiError(error);
      }
      setCode('');
      setSubmitting(false);
    }
  };

  return (
    <H5Page title={t('login.title')} back="/">
      {closedAt !== null && (
        <p className="h5-page" data-testid="login-account-closed" data-closed-at={closedAt} role="status">
          {t('closeAccount.closedNotice', { time: formatChinaTime(closedAt) })}
        </p>
      )}
      <Form
        layout="horizontal"
        footer={
          <Button
            block
            color="primary"
            size="large"
            onClick={submit}
            loading={submitting}
            disabled={password === ''}
            data-testid="login-submit"
          >
            {t('welcome.login')}
          </Button>
        }
      >
        <Form.Item label={t('field.phone')}>
          <FieldInput
            testId="login-phone"
            type="tel"
            inputMode="numeric"
            maxLength={11}
            placeholder={t('field.phone.placeholder')}
            value={phone}
            onChange={setPhone}
          />
        </Form.Item>
        <Form.Item label={t('field.password')}>
          <FieldInput
            testId="login-password"
            type="password"
            maxLength={64}
            value={password}
            onChange={setPassword}
            onEnterPress={submit}
          />
        </Form.Item>
        {needsCode && (
          <Form.Item label={t('login.totpCode')} description={t('login.totpPrompt')}>
            <FieldInput
              testId="login-totp-code"
              autoComplete="one-time-code"
              maxLength={16}
              value={code}
              onChange={setCode}
              onEnterPress={submit}
            />
          </Form.Item>
        )}
      </Form>
      {deviceKey !== null && (
        <div className="h5-page">
          <p className="h5-muted">{t('deviceKey.signInHint')}</p>
          <Button
            block
            color="primary"
            fill="outline"
            onClick={signInWithDevice}
            loading={submitting}
            data-testid="login-with-device"
          >
            {t('deviceKey.signIn')}
          </Button>
        </div>
      )}
      <FormError error={apiError} text={message} />
      <p className="h5-page" style={{ textAlign: 'center' }}>
        <Link to="/register">{t('login.noAccount')}</Link>
      </p>
    </H5Page>
  );
}
