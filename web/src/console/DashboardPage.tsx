import { Button, Card, Col, Layout, Menu, Row, Statistic } from 'antd';
import { useNavigate } from 'react-router';

import { LanguageToggle, useI18n } from '../i18n/I18nProvider';

const KPIS = [
  'console.kpi.customers',
  'console.kpi.payments',
  'console.kpi.volume',
  'console.kpi.budget',
] as const;

export function DashboardPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const menu = [
    { key: 'dashboard', label: t('console.dashboard') },
    { key: 'campaigns', label: t('console.campaigns'), disabled: true },
    { key: 'risk', label: t('console.risk'), disabled: true },
    { key: 'support', label: t('console.support'), disabled: true },
  ];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0}>
        <div className="console-brand">{t('console.title')}</div>
        <Menu theme="dark" mode="inline" selectedKeys={['dashboard']} items={menu} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="console-header">
          <LanguageToggle />
          <Button onClick={() => navigate('/console/login')}>{t('console.logout')}</Button>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Row gutter={[16, 16]}>
            {KPIS.map((key) => (
              <Col key={key} xs={24} sm={12} xl={6}>
                <Card>
                  {/* Filled from the KPI API by the analytics issue; amounts via money.ts. */}
                  <Statistic title={t(key)} value="—" />
                </Card>
              </Col>
            ))}
          </Row>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
