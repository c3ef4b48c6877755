// API keys for the merchant's own server (owner only): issue one — its secret is shown once,
// with a copy button and a warning —, list them, revoke one.
import { Alert, Button, Card, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';

import { issueApiKey, listApiKeys, revokeApiKey } from '../api/merchant';
import { merchantApi } from '../api/session';
import type { ApiKey, IssuedApiKey } from '../api/types';
import { rowTestAttributes } from '../console/format';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { MerchantError } from './MerchantLayout';

export function MerchantApiKeysPage() {
  const { t } = useI18n();
  const keys = useLoad(() => listApiKeys(merchantApi), []);
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const issue = async () => {
    setError(null);
    setBusy(true);
    try {
      setIssued(await issueApiKey(merchantApi));
      keys.reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (keyId: string) => {
    setError(null);
    try {
      await revokeApiKey(merchantApi, keyId);
      if (issued?.key_id === keyId) setIssued(null);
      keys.reload();
    } catch (cause) {
      setError(cause);
    }
  };

  const columns = [
    { title: 'Key ID', dataIndex: 'key_id', key: 'key_id' },
    {
      title: t('merchant.col.status'),
      key: 'status',
      render: (_: unknown, key: ApiKey) => (
        <Tag color={key.status === 'active' ? 'green' : 'default'}>{key.status}</Tag>
      ),
    },
    {
      title: t('console.col.time'),
      key: 'created',
      render: (_: unknown, key: ApiKey) => formatChinaTime(key.created_at),
    },
    {
      title: '',
      key: 'actions',
      render: (_: unknown, key: ApiKey) =>
        key.status === 'active' ? (
          <Popconfirm title={t('merchant.apiKeys.revokeConfirm')} onConfirm={() => revoke(key.key_id)}>
            <Button size="small" danger data-testid="api-key-revoke">
              {t('merchant.apiKeys.revoke')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <MerchantError error={error ?? keys.error} />
      {issued && (
        <Alert
          type="warning"
          showIcon
          title={t('merchant.apiKeys.once')}
          data-testid="api-key-issued"
          data-key-id={issued.key_id}
          description={
            <Space direction="vertical">
              <Typography.Text>Key ID: {issued.key_id}</Typography.Text>
              <Typography.Text code copyable={{ text: issued.secret }} data-testid="api-key-secret">
                {issued.secret}
              </Typography.Text>
              <Button size="small" onClick={() => setIssued(null)} data-testid="api-key-dismiss">
                {t('merchant.apiKeys.saved')}
              </Button>
            </Space>
          }
        />
      )}
      <Card
        title={t('merchant.apiKeys')}
        extra={
          <Button type="primary" loading={busy} onClick={issue} data-testid="api-key-issue">
            {t('merchant.apiKeys.issue')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('merchant.apiKeys.explain')}</Typography.Paragraph>
        <Table<ApiKey>
          rowKey="key_id"
          size="small"
          columns={columns}
          dataSource={keys.data ?? []}
          pagination={false}
          onRow={(key) => rowTestAttributes('api-key-row', key.key_id)}
        />
      </Card>
    </Space>
  );
}
