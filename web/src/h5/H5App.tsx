// The customer H5 app: mobile first, antd-mobile. Pages are shells until the wallet API lands.
import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { Navigate, Route, Routes } from 'react-router';

import { useI18n } from '../i18n/I18nProvider';
import { HistoryPage } from './HistoryPage';
import { HomePage } from './HomePage';
import { LoginPage } from './LoginPage';
import { RegisterPage } from './RegisterPage';
import { WelcomePage } from './WelcomePage';

export default function H5App() {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS}>
      <div className="h5">
        <Routes>
          <Route index element={<WelcomePage />} />
          <Route path="login" element={<LoginPage />} />
          <Route path="register" element={<RegisterPage />} />
          <Route path="home" element={<HomePage />} />
          <Route path="history" element={<HistoryPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </div>
    </ConfigProvider>
  );
}
