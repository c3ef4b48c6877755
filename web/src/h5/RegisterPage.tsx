import { Button, Form, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

import { ApiError } from '../api/client';
import { customerApi, customerSession } from '../api/session';
import { register, sendOtp } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { FieldInput, FormError, H5Page } from './common';
import { useCountdown } from './useCountdown';
import {
  MAX_INVITE_CODE_LENGTH,
  channelFromSearch,
  inviteCodeFromSearch,
  isValidPhone,
  normalizeInviteCode,
  validateRegisterForm,
  type RegisterErrors,
  type RegisterForm,
} from './validation';

const EMPTY_FORM: RegisterForm = { phone: '', smsCode: '', password: '', passwordConfirm: '' };
/** Used when the server's answer does not say how long to wait (DESIGN.md: 1 a minute). */
const DEFAULT_RESEND_SECONDS = 60;

export function RegisterPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [form, setForm] = useState<RegisterForm>(EMPTY_FORM);
  // An invite link (/register?invite=CODE, from the inviter's referral page) fills the code in.
  const [inviteCode, setInviteCode] = useState(() => inviteCodeFromSearch(location.search));
  const [errors, setErrors] = useState<RegisterErrors>({});
  const [apiError, setApiError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const countdown = useCountdown();

  const update = (field: keyof RegisterForm) => (value: string) =>
    setForm((previous) => ({ ...previous, [field]: value }));
  const errorOf = (field: keyof RegisterForm) => {
    const key = errors[field];
    return key ? <span className="h5-error">{t(key)}</span> : undefined;
  };

  const sendCode = async () => {
    if (!isValidPhone(form.phone)) {
      setErrors((previous) => ({ ...previous, phone: 'error.phone' }));
      return;
    }
    setErrors((previous) => ({ ...previous, phone: undefined }));
    setApiError(null);
    setSending(true);
    try {
      const answer = await sendOtp(customerApi, form.phone.trim(), 'register');
      countdown.start(answer.resend_after_seconds || DEFAULT_RESEND_SECONDS);
      Toast.show({ content: t('field.smsCode.sent') });
    } catch (error) {
      setApiError(error);
    } finally {
      setSending(false);
    }
  };

  const submit = async () => {
    const found = validateRegisterForm(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setApiError(null);
    setSubmitting(true);
    try {
      const answer = await register(customerApi, {
        phone: form.phone.trim(),
        otp: form.smsCode.trim(),
        password: form.password,
        invite_code: normalizeInviteCode(inviteCode),
        channel: channelFromSearch(location.search),
      });
      customerSession.start(answer.token);
      navigate('/home', { replace: true });
    } catch (error) {
      setApiError(error);
      setSubmitting(false);
    }
  };

  // INVITE_CODE_INVALID: the code names nobody. The form-error line says so, and the field too.
  const inviteCodeRefused = apiError instanceof ApiError && apiError.code === 'INVITE_CODE_INVALID';

  const sendLabel =
    countdown.secondsLeft > 0
      ? t('field.smsCode.resend', { seconds: countdown.secondsLeft })
      : t('field.smsCode.send');

  return (
    <H5Page title={t('register.title')} back="/">
      <Form
        layout="vertical"
        footer={
          <>
            <Button
              block
              color="primary"
              size="large"
              onClick={submit}
              loading={submitting}
              data-testid="register-submit"
            >
              {t('common.submit')}
            </Button>
            <p style={{ fontSize: 12, color: '#999' }}>{t('register.agree')}</p>
          </>
        }
      >
        <Form.Item label={t('field.phone')} description={errorOf('phone')}>
          <FieldInput
            testId="register-phone"
            type="tel"
            inputMode="numeric"
            maxLength={11}
            placeholder={t('field.phone.placeholder')}
            value={form.phone}
            onChange={update('phone')}
          />
        </Form.Item>
        <Form.Item
          label={t('field.smsCode')}
          description={errorOf('smsCode')}
          extra={
            <Button
              size="small"
              fill="none"
              color="primary"
              onClick={sendCode}
              loading={sending}
              disabled={countdown.secondsLeft > 0}
              data-testid="register-send-code"
              data-seconds-left={countdown.secondsLeft}
            >
              {sendLabel}
            </Button>
          }
        >
          <FieldInput
            testId="register-code"
            inputMode="numeric"
            maxLength={6}
            placeholder={t('field.smsCode.placeholder')}
            value={form.smsCode}
            onChange={update('smsCode')}
          />
        </Form.Item>
        <Form.Item label={t('field.password')} description={errorOf('password')}>
          <FieldInput
            testId="register-password"
            type="password"
            maxLength={64}
            placeholder={t('field.password.placeholder')}
            value={form.password}
            onChange={update('password')}
          />
        </Form.Item>
        <Form.Item label={t('field.passwordConfirm')} description={errorOf('passwordConfirm')}>
          <FieldInput
            testId="register-password-confirm"
            type="password"
            maxLength={64}
            value={form.passwordConfirm}
            onChange={update('passwordConfirm')}
          />
        </Form.Item>
        <Form.Item
          label={t('field.inviteCode')}
          description={
            inviteCodeRefused ? <span className="h5-error">{t('apiError.INVITE_CODE_INVALID')}</span> : undefined
          }
        >
          <FieldInput
            testId="register-invite-code"
            maxLength={MAX_INVITE_CODE_LENGTH}
            placeholder={t('field.inviteCode.placeholder')}
            value={inviteCode}
            onChange={(value) => {
              setInviteCode(value);
              if (inviteCodeRefused) setApiError(null);
            }}
          />
        </Form.Item>
      </Form>
      <FormError error={apiError} />
    </H5Page>
  );
}
