import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { merchantLogIn } from '../api/merchant';
import { merchantApi, merchantSession } from '../api/session';
import { LanguageToggle, useI18n } from '../i18n/I18nProvider';
import { MerchantError, type MerchantProfile } from './MerchantLayout';

export function MerchantLoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setError(null);
    setSubmitting(true);
    try {
      const answer = await merchantLogIn(merchantApi, values.username.trim(), values.password);
      const profile: MerchantProfile = { merchant_id: answer.merchant_id, user: answer.user };
      merchantSession.start(answer.token, profile);
      navigate('/merchant/dashboard', { replace: true });
    } catch (cause) {
      setError(cause);
      setSubmitting(false);
    }
  };

  return (
    <div className="console-login">
      <Card title={t('merchant.login.title')} extra={<LanguageToggle />} style={{ width: 380 }}>
        <MerchantError error={error} />
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('merchant.field.username')} rules={[{ required: true }]}>
            <Input autoComplete="username" data-testid="merchant-username" />
          </Form.Item>
          <Form.Item name="password" label={t('merchant.field.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" data-testid="merchant-password" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={submitting}
            data-testid="merchant-login-submit"
          >
            {t('console.login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, textAlign: 'center' }}>
          <Link to="/merchant/apply" data-testid="merchant-apply-link">
            {t('merchant.apply.link')}
          </Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
