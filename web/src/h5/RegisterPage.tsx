import { Button, Form, Input, NavBar } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { LanguageToggle, useI18n } from '../i18n/I18nProvider';
import {
  isValidPhone,
  validateRegisterForm,
  type RegisterErrors,
  type RegisterForm,
} from './validation';

const EMPTY_FORM: RegisterForm = { phone: '', smsCode: '', password: '', passwordConfirm: '' };

export function RegisterPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [form, setForm] = useState<RegisterForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<RegisterErrors>({});
  const [message, setMessage] = useState<string | null>(null);

  const update = (field: keyof RegisterForm) => (value: string) =>
    setForm((previous) => ({ ...previous, [field]: value }));
  const errorOf = (field: keyof RegisterForm) => {
    const key = errors[field];
    return key ? <span className="h5-error">{t(key)}</span> : undefined;
  };

  const sendCode = () => {
    if (!isValidPhone(form.phone)) {
      setErrors((previous) => ({ ...previous, phone: 'error.phone' }));
      return;
    }
    // Wired to POST /api/v1/sms-codes by the wallet issue.
    setMessage(t('error.notConnected'));
  };

  const submit = () => {
    const found = validateRegisterForm(form);
    setErrors(found);
    if (Object.keys(found).length === 0) setMessage(t('error.notConnected'));
  };

  return (
    <>
      <NavBar onBack={() => navigate('/')} right={<LanguageToggle />}>
        {t('register.title')}
      </NavBar>
      <Form
        layout="vertical"
        footer={
          <>
            <Button block color="primary" size="large" onClick={submit}>
              {t('common.submit')}
            </Button>
            <p style={{ fontSize: 12, color: '#999' }}>{t('register.agree')}</p>
          </>
        }
      >
        <Form.Item label={t('field.phone')} description={errorOf('phone')}>
          <Input
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
            <Button size="small" fill="none" color="primary" onClick={sendCode}>
              {t('field.smsCode.send')}
            </Button>
          }
        >
          <Input
            inputMode="numeric"
            maxLength={6}
            placeholder={t('field.smsCode.placeholder')}
            value={form.smsCode}
            onChange={update('smsCode')}
          />
        </Form.Item>
        <Form.Item label={t('field.password')} description={errorOf('password')}>
          <Input
            type="password"
            maxLength={64}
            placeholder={t('field.password.placeholder')}
            value={form.password}
            onChange={update('password')}
          />
        </Form.Item>
        <Form.Item label={t('field.passwordConfirm')} description={errorOf('passwordConfirm')}>
          <Input
            type="password"
            maxLength={64}
            value={form.passwordConfirm}
            onChange={update('passwordConfirm')}
          />
        </Form.Item>
      </Form>
      {message && <p className="h5-page h5-error">{message}</p>}
    </>
  );
}
