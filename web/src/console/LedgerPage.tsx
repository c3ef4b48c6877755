// Ledger verification (admin, auditor): asks the server to run the check now — the ledger
// invariants in the engine and the read models compared at their sequence number — and shows
// the answer.
import { Button, Card, Descriptions, List, Result, Space, Tag } from 'antd';

import { staffApi } from '../api/session';
import { verifyLedger } from '../api/staff';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { ConsoleError } from './StaffLayout';

function OkTag({ ok, testId }: { ok: boolean; testId: string }) {
  const { t } = useI18n();
  return (
    <Tag color={ok ? 'green' : 'red'} data-testid={testId} data-ok={String(ok)}>
      {ok ? t('console.ledger.ok') : t('console.ledger.mismatch')}
    </Tag>
  );
}

export function LedgerPage() {
  const { t } = useI18n();
  const check = useLoad(() => verifyLedger(staffApi), []);
  const data = check.data;
  return (
    <Card
      title={t('console.ledger')}
      extra={
        <Button onClick={check.reload} loading={check.loading} data-testid="ledger-run">
          {t('console.ledger.run')}
        </Button>
      }
    >
      <ConsoleError error={check.error} />
      {data && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Result
            status={data.status === 'ok' ? 'success' : 'error'}
            title={
              <span data-testid="ledger-status" data-status={data.status}>
                {data.status === 'ok' ? t('console.ledger.ok') : t('console.ledger.mismatch')}
              </span>
            }
            subTitle={`${t('console.ledger.checkedAt')}: ${formatChinaTime(data.checked_at)}`}
          />
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('console.ledger.journalSeq')}>
              <span data-testid="ledger-journal-seq">{data.journal_seq}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('console.ledger.projectedSeq')}>
              <span data-testid="ledger-projected-seq">{data.projected_seq}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('console.ledger.accounts')}>
              <span data-testid="ledger-accounts">{data.accounts}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('console.ledger.transfers')}>
              <span data-testid="ledger-transfers">{data.transfers}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('console.ledger.invariants')}>
              <OkTag ok={data.invariants_ok} testId="ledger-invariants" />
            </Descriptions.Item>
            <Descriptions.Item label={t('console.ledger.readModels')}>
              <OkTag ok={data.read_models_ok} testId="ledger-read-models" />
            </Descriptions.Item>
          </Descriptions>
          <List
            header={t('console.ledger.problems')}
            bordered
            size="small"
            data-testid="ledger-problems"
            dataSource={data.problems}
            locale={{ emptyText: t('console.ledger.noProblems') }}
            renderItem={(problem) => (
              <List.Item data-testid="ledger-problem">{problem}</List.Item>
            )}
          />
        </Space>
      )}
    </Card>
  );
}
