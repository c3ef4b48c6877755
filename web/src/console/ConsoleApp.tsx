// The staff console under /console: antd. Pages are shells until the staff API lands.
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Navigate, Route, Routes } from 'react-router';

import { useI18n } from '../i18n/I18nProvider';
import { DashboardPage } from './DashboardPage';
import { StaffLoginPage } from './StaffLoginPage';

export default function ConsoleApp() {
  const { language } = useI18n();
  return (
    <ConfigProvider
      locale={language === 'zh' ? zhCN : enUS}
      theme={{ token: { colorPrimary: '#c8102e' } }}
    >
      <Routes>
        <Route index element={<Navigate to="login" replace />} />
        <Route path="login" element={<StaffLoginPage />} />
        <Route path="dashboard" element={<DashboardPage />} />
        <Route path="*" element={<Navigate to="/console" replace />} />
      </Routes>
    </ConfigProvider>
  );
}
