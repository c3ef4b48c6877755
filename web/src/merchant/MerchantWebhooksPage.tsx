// Webhooks (/merchant/webhooks): the signing secret (owner only; hidden until revealed, with a
// copy button, and a button to rotate it after a confirm that explains the 24-hour overlap) and
// how to verify QB-Signature, then the recent deliveries with each attempt's log and a button to
// send one again.
import type { ButtonProps } from 'antd';
import { Alert, Button, Card, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';

import {
  getWebhookSecret,
  listWebhookDeliveries,
  resendWebhook,
  rotateWebhookSecret,
} from '../api/merchant';
import { merchantApi } from '../api/session';
import type { WebhookAttempt, WebhookDelivery, WebhookSecret, WebhookState } from '../api/types';
import { rowTestAttributes } from '../console/format';
import { formatChinaTime } from '../h5/historyFormat';
import type { MessageKey } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { currentMerchantUser, MerchantError } from './MerchantLayout';

const STATE_COLORS: Record<WebhookState, string> = {
  pending: 'processing',
  delivered: 'success',
  failed: 'error',
};

function SecretCard() {
  const { t } = useI18n();
  const [secret, setSecret] = useState<WebhookSecret | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [rotated, setRotated] = useState(false);

  // The new secret is shown at once: the owner has to copy it to the receiver.
  const rotate = async () => {
    setError(null);
    setRotated(false);
    setRotating(true);
    try {
      setSecret(await rotateWebhookSecret(merchantApi));
      setRotated(true);
    } catch (cause) {
      setError(cause);
    } finally {
      setRotating(false);
    }
  };

  // Fetched only when asked for: the secret stays off the screen (and out of screenshots)
  // until the owner reveals it.
  const reveal = async () => {
    setError(null);
    setLoading(true);
    try {
      setSecret(await getWebhookSecret(merchantApi));
    } catch (cause) {
      setError(cause);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Card title={t('webhooks.secret')}>
      <Typography.Paragraph type="secondary">
        {t('webhooks.explain', { header: secret?.signature_header ?? 'QB-Signature' })}
      </Typography.Paragraph>
      <MerchantError error={error} />
      {rotated && (
        <Alert
          type="success"
          showIcon
          message={t('webhooks.rotated')}
          data-testid="webhook-secret-rotated"
        />
      )}
      <Space direction="vertical">
        {secret === null ? (
          <Button
            onClick={() => void reveal()}
            loading={loading}
            data-testid="webhook-secret-reveal"
          >
            {t('webhooks.reveal')}
          </Button>
        ) : (
          <Space>
            <Typography.Text
              code
              copyable={{ text: secret.secret }}
              data-testid="webhook-secret"
              data-scheme={secret.scheme}
              data-version={secret.version}
            >
              {secret.secret}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('webhooks.version', { version: secret.version })}
            </Typography.Text>
            <Button size="small" onClick={() => setSecret(null)} data-testid="webhook-secret-hide">
              {t('webhooks.hide')}
            </Button>
          </Space>
        )}
        {secret?.previous_valid_until && (
          <Typography.Text type="warning" data-testid="webhook-secret-overlap">
            {t('webhooks.previousValidUntil', {
              time: formatChinaTime(secret.previous_valid_until),
            })}
          </Typography.Text>
        )}
        <Popconfirm
          title={t('webhooks.rotate')}
          description={
            <Typography.Paragraph style={{ maxWidth: 360, marginBottom: 0 }}>
              {t('webhooks.rotateConfirm')}
            </Typography.Paragraph>
          }
          onConfirm={() => rotate()}
          okButtonProps={{ danger: true, 'data-testid': 'webhook-rotate-confirm' } as ButtonProps}
        >
          <Button danger loading={rotating} data-testid="webhook-rotate">
            {t('webhooks.rotate')}
          </Button>
        </Popconfirm>
      </Space>
    </Card>
  );
}

function AttemptLog({ log }: { log: WebhookAttempt[] }) {
  const { t } = useI18n();
  if (log.length === 0) {
    return <Typography.Text type="secondary">{t('webhooks.noLog')}</Typography.Text>;
  }
  return (
    <ul className="merchant-webhook-log" data-testid="webhook-log">
      {log.map((attempt) => (
        <li
          key={attempt.attempt}
          data-testid="webhook-attempt"
          data-outcome={attempt.outcome}
          data-http-status={attempt.http_status}
        >
          {t('webhooks.attempt', { attempt: attempt.attempt })}
          {' · '}
          {formatChinaTime(attempt.started_at)}
          {' · '}
          {attempt.http_status > 0 ? `HTTP ${attempt.http_status}` : '—'}
          {' · '}
          {t('webhooks.duration', { ms: attempt.duration_ms })}
          {' · '}
          {t(`webhooks.outcome.${attempt.outcome}` as MessageKey)}
          {attempt.error && <Typography.Text type="danger"> {attempt.error}</Typography.Text>}
        </li>
      ))}
    </ul>
  );
}

export default function MerchantWebhooksPage() {
  const { t } = useI18n();
  const owner = currentMerchantUser()?.user.role === 'owner';
  const deliveries = useLoad(() => listWebhookDeliveries(merchantApi), []);
  const [error, setError] = useState<unknown>(null);
  const [resent, setResent] = useState<string | null>(null);
  // Every delivery's log is open unless the merchant folds it.
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const rows = deliveries.data ?? [];

  const resend = async (eventId: string) => {
    setError(null);
    setResent(null);
    try {
      await resendWebhook(merchantApi, eventId);
      setResent(eventId);
      deliveries.reload();
    } catch (cause) {
      setError(cause);
    }
  };

  const columns = [
    {
      title: t('webhooks.event'),
      key: 'event',
      render: (_: unknown, d: WebhookDelivery) => <span className="h5-mono">{d.event_id}</span>,
    },
    {
      title: t('webhooks.url'),
      key: 'url',
      render: (_: unknown, d: WebhookDelivery) => <Typography.Text ellipsis>{d.url}</Typography.Text>,
    },
    {
      title: t('webhooks.state'),
      key: 'state',
      render: (_: unknown, d: WebhookDelivery) => (
        <Tag color={STATE_COLORS[d.state]} data-testid="webhook-state">
          {t(`webhooks.state.${d.state}` as MessageKey)}
        </Tag>
      ),
    },
    { title: t('webhooks.attempts'), dataIndex: 'attempts', key: 'attempts', align: 'right' as const },
    {
      title: t('webhooks.lastStatus'),
      key: 'status',
      render: (_: unknown, d: WebhookDelivery) =>
        d.last_http_status > 0 ? d.last_http_status : '—',
    },
    {
      title: t('webhooks.nextAttempt'),
      key: 'next',
      render: (_: unknown, d: WebhookDelivery) =>
        d.next_attempt_at ? formatChinaTime(d.next_attempt_at) : '—',
    },
    {
      title: '',
      key: 'actions',
      render: (_: unknown, d: WebhookDelivery) => (
        <Button size="small" onClick={() => void resend(d.event_id)} data-testid="webhook-resend">
          {t('webhooks.resend')}
        </Button>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      {owner && <SecretCard />}
      <MerchantError error={error ?? deliveries.error} />
      {resent && (
        <Alert type="success" showIcon title={t('webhooks.resent')} data-testid="webhook-resent" />
      )}
      <Card
        title={t('webhooks.deliveries')}
        extra={
          <Button onClick={deliveries.reload} data-testid="webhooks-refresh">
            {t('common.refresh')}
          </Button>
        }
      >
        <Table<WebhookDelivery>
          rowKey="event_id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={deliveries.loading}
          pagination={false}
          expandable={{
            expandedRowRender: (d) => <AttemptLog log={d.log} />,
            expandedRowKeys: rows.map((d) => d.event_id).filter((id) => !folded.has(id)),
            onExpand: (open, d) => {
              const next = new Set(folded);
              if (open) next.delete(d.event_id);
              else next.add(d.event_id);
              setFolded(next);
            },
          }}
          onRow={(d) =>
            ({
              ...rowTestAttributes('webhook-row', d.event_id),
              'data-state': d.state,
              'data-attempts': d.attempts,
            }) as React.HTMLAttributes<HTMLElement>
          }
        />
      </Card>
    </Space>
  );
}
