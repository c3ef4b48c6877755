import { Button, Space } from 'antd-mobile';
import { Navigate, useNavigate } from 'react-router';

import { customerSession } from '../api/session';
import { LanguageToggle, useI18n } from '../i18n/I18nProvider';

export function WelcomePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  if (customerSession.token() !== null) return <Navigate to="/home" replace />;
  return (
    <div className="h5-page">
      <div style={{ textAlign: 'right' }}>
        <LanguageToggle />
      </div>
      <div className="h5-hero">
        <h1>{t('welcome.title')}</h1>
        <p>{t('welcome.subtitle')}</p>
      </div>
      <Space direction="vertical" block>
        <Button
          block
          color="primary"
          size="large"
          onClick={() => navigate('/login')}
          data-testid="welcome-login"
        >
          {t('welcome.login')}
        </Button>
        <Button
          block
          size="large"
          onClick={() => navigate('/register')}
          data-testid="welcome-register"
        >
          {t('welcome.register')}
        </Button>
      </Space>
    </div>
  );
}
