import { Card, Col, Row, Statistic } from 'antd';

import { useI18n } from '../i18n/I18nProvider';

const KPIS = [
  'console.kpi.customers',
  'console.kpi.payments',
  'console.kpi.volume',
  'console.kpi.budget',
] as const;

export function DashboardPage() {
  const { t } = useI18n();
  return (
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
  );
}
