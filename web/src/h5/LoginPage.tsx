import { Button, Form } from 'antd-mobile';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { customerApi, customerSession } from '../api/session';
import { logIn } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { afterLogInPath, FieldInput, FormError, H5Page } from './common';
import { isValidPhone } from './validation';

export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async () => {
    setApiError(null);
    if (!isValidPhone(phone)) {
      setMessage(t('error.phone'));
      return;
    }
    setMessage(null);
    setSubmitting(true);
    try {
      const answer = await logIn(customerApi, phone.trim(), password);
      customerSession.start(answer.token);
      navigate(afterLogInPath(params.get('next')), { replace: true });
    } catch (error) {
      setApiError(error);
      setSubmitting(false);
    }
  };

  return (
    <H5Page title={t('login.title')} back="/">
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
      </Form>
      <FormError error={apiError} text={message} />
      <p className="h5-page" style={{ textAlign: 'center' }}>
        <Link to="/register">{t('login.noAccount')}</Link>
      </p>
    </H5Page>
  );
}
