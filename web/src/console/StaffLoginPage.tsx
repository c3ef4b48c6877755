import { Button, Card, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';

import { staffApi, staffSession } from '../api/session';
import { staffLogIn } from '../api/staff';
import { LanguageToggle, useI18n } from '../i18n/I18nProvider';
import { landingPath } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

interface StaffLoginForm {
  username: string;
  password: string;
}

export function StaffLoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const staff = currentStaff();
  if (staff !== null) return <Navigate to={landingPath(staff.roles)} replace />;

  const onFinish = async (values: StaffLoginForm) => {
    setError(null);
    setSubmitting(true);
    try {
      const answer = await staffLogIn(staffApi, values.username.trim(), values.password);
      staffSession.start(answer.token, answer.staff);
      navigate(landingPath(answer.staff.roles), { replace: true });
    } catch (cause) {
      setError(cause);
      setSubmitting(false);
    }
  };

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
            <Input autoComplete="username" data-testid="staff-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('console.login.password')}
            rules={[{ required: true, max: 128 }]}
          >
            <Input.Password autoComplete="current-password" data-testid="staff-password" />
          </Form.Item>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <ConsoleError error={error} />
            <Button
              type="primary"
              htmlType="submit"
              block
              loading={submitting}
              data-testid="staff-login-submit"
            >
              {t('console.login.submit')}
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
