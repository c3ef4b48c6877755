import { Alert, Button, Card, Form, Input, Space } from 'antd';
import { useState } from 'react';

import { LanguageToggle, useI18n } from '../i18n/I18nProvider';

interface StaffLoginForm {
  username: string;
  password: string;
  totp: string;
}

export function StaffLoginPage() {
  const { t } = useI18n();
  const [notice, setNotice] = useState<string | null>(null);
  // Wired to the staff session API (password + TOTP) by the console issue.
  const onFinish = (_values: StaffLoginForm) => setNotice(t('error.notConnected'));
  return (
    <div className="console-login">
      <Card
        title={t('console.login.title')}
        extra={<LanguageToggle />}
        style={{ width: 380, maxWidth: '92vw' }}
      >
        <Form<StaffLoginForm> layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('console.login.username')}
            rules={[{ required: true, max: 64 }]}
          >
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('console.login.password')}
            rules={[{ required: true, max: 128 }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="totp"
            label={t('console.login.totp')}
            rules={[{ required: true, pattern: /^\d{6}$/ }]}
          >
            <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
          </Form.Item>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Button type="primary" htmlType="submit" block>
              {t('console.login.submit')}
            </Button>
            {notice && <Alert type="info" message={notice} />}
          </Space>
        </Form>
      </Card>
    </div>
  );
}
