import { Button, Form, Input, NavBar } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { LanguageToggle, useI18n } from '../i18n/I18nProvider';
import { isValidPhone } from './validation';

export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const submit = () => {
    if (!isValidPhone(phone)) {
      setMessage(t('error.phone'));
      return;
    }
    // Wired to POST /api/v1/sessions by the wallet issue.
    setMessage(t('error.notConnected'));
  };

  return (
    <>
      <NavBar onBack={() => navigate('/')} right={<LanguageToggle />}>
        {t('login.title')}
      </NavBar>
      <Form
        layout="horizontal"
        footer={
          <Button block color="primary" size="large" onClick={submit} disabled={password === ''}>
            {t('welcome.login')}
          </Button>
        }
      >
        <Form.Item label={t('field.phone')}>
          <Input
            type="tel"
            inputMode="numeric"
            maxLength={11}
            placeholder={t('field.phone.placeholder')}
            value={phone}
            onChange={setPhone}
          />
        </Form.Item>
        <Form.Item label={t('field.password')}>
          <Input type="password" maxLength={64} value={password} onChange={setPassword} />
        </Form.Item>
      </Form>
      {message && <p className="h5-page h5-error">{message}</p>}
    </>
  );
}
