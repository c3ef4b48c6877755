// The review queue (admin and risk act; auditors read): payments the risk engine held for an
// analyst, each with why (the rules that fired, their scores, the feature values they read and
// the engine's explanation), the customer, merchant and device, and the time left before the
// hold expires (then the money goes back by itself). Approve posts the payment; reject voids
// it and can block the device. The label (legitimate / fraud / unsure) is kept for backtests.
import { Button, Card, Checkbox, Descriptions, List, Radio, Space, Tag, Typography, message } from 'antd';
import { useEffect, useState } from 'react';

import {
  approveReview,
  listReviews,
  rejectReview,
  type ReviewItem,
  type ReviewLabel,
  type ReviewState,
} from '../api/risk';
import { staffApi } from '../api/session';
import { formatChinaTime } from '../h5/historyFormat';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { canEditRisk } from './roles';
import { ConsoleError, currentStaff } from './StaffLayout';

const STATE_COLORS: Record<ReviewState, string> = {
  open: 'orange',
  approved: 'green',
  rejected: 'red',
  expired: 'default',
};

/** "1h 05m", "4m 09s" left until `expiresAt`; null once past. */
export function timeLeft(expiresAt: string, nowMs: number): string | null {
  const left = Math.floor((Date.parse(expiresAt) - nowMs) / 1000);
  if (!(left > 0)) return null;
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s).padStart(2, '0')}s`;
}

function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}

function ReviewCard({
  item,
  editor,
  now,
  onDone,
}: {
  item: ReviewItem;
  editor: boolean;
  now: number;
  onDone: (item: ReviewItem) => void;
}) {
  const { t } = useI18n();
  const [label, setLabel] = useState<ReviewLabel>('unknown');
  const [blockDevice, setBlockDevice] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const answer = approve
        ? await approveReview(staffApi, item.payment_id, label)
        : await rejectReview(staffApi, item.payment_id, label, blockDevice);
      void message.success(t(approve ? 'risk.review.approved' : 'risk.review.rejected'));
      onDone(answer);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const left = timeLeft(item.expires_at, now);
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="review-row"
      data-row-id={item.payment_id}
      data-state={item.state}
      title={
        <Space>
          <Tag color={STATE_COLORS[item.state]}>{t(`risk.review.state.${item.state}`)}</Tag>
          <span data-testid="review-amount" data-fen={item.amount}>
            {formatFen(item.amount)}
          </span>
          <span>{item.merchant_name}</span>
        </Space>
      }
      extra={
        item.state === 'open' && (
          <span data-testid="review-sla">
            {t('risk.review.sla')}: {left ?? t('risk.review.expired')}
          </span>
        )
      }
    >
      <ConsoleError error={error} />
      <Descriptions size="small" column={3} style={{ marginBottom: 8 }}>
        <Descriptions.Item label={t('risk.review.customer')}>
          {item.customer_phone} (#{item.customer_id})
        </Descriptions.Item>
        <Descriptions.Item label={t('risk.review.merchant')}>
          {item.merchant_name} (#{item.merchant_id})
        </Descriptions.Item>
        <Descriptions.Item label={t('risk.review.channel')}>{item.channel}</Descriptions.Item>
        <Descriptions.Item label={t('risk.review.created')}>{formatChinaTime(item.created_at)}</Descriptions.Item>
        <Descriptions.Item label={t('risk.review.device')}>{item.device || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('risk.review.score')}>{item.score}</Descriptions.Item>
      </Descriptions>
      <Typography.Text strong>{t('risk.review.rules')}</Typography.Text>
      <List
        size="small"
        dataSource={item.rules}
        renderItem={(rule) => (
          <List.Item data-testid="review-rule" data-rule={rule.name}>
            <Space>
              <code>{rule.name}</code>
              <Tag>{t(`risk.action.${rule.action}`)}</Tag>
              <span>+{rule.score}</span>
            </Space>
          </List.Item>
        )}
      />
      {Object.keys(item.features).length > 0 && (
        <Descriptions size="small" column={3} title={t('risk.review.features')} style={{ marginTop: 8 }}>
          {Object.entries(item.features).map(([name, value]) => (
            <Descriptions.Item key={name} label={<code>{name}</code>}>
              {value}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      {item.explanation !== '' && (
        <pre className="console-explanation" data-testid="review-explanation">
          {item.explanation}
        </pre>
      )}
      {editor && item.state === 'open' && (
        <Space wrap style={{ marginTop: 8 }}>
          <Radio.Group value={label} onChange={(e) => setLabel(e.target.value as ReviewLabel)} data-testid="review-label">
            <Radio value="legit">{t('risk.review.label.legit')}</Radio>
            <Radio value="fraud">{t('risk.review.label.fraud')}</Radio>
            <Radio value="unknown">{t('risk.review.label.unknown')}</Radio>
          </Radio.Group>
          <Button type="primary" loading={busy} onClick={() => void act(true)} data-testid="review-approve">
            {t('risk.review.approve')}
          </Button>
          <Checkbox checked={blockDevice} onChange={(e) => setBlockDevice(e.target.checked)} data-testid="review-block-device">
            {t('risk.review.blockDevice')}
          </Checkbox>
          <Button danger loading={busy} onClick={() => void act(false)} data-testid="review-reject">
            {t('risk.review.reject')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

export function RiskReviewsPage() {
  const { t } = useI18n();
  const staff = currentStaff();
  const editor = staff !== null && canEditRisk(staff.roles);
  const [state, setState] = useState<'open' | 'all'>('open');
  const reviews = useLoad(() => listReviews(staffApi, state), [state]);
  const [updated, setUpdated] = useState<Record<string, ReviewItem>>({});
  const now = useNow(1000);
  const items = (reviews.data ?? []).map((item) => updated[item.payment_id] ?? item);
  return (
    <Card
      title={t('console.riskReviews')}
      extra={
        <Space>
          <Radio.Group
            optionType="button"
            value={state}
            onChange={(e) => setState(e.target.value as 'open' | 'all')}
            data-testid="reviews-state"
          >
            <Radio.Button value="open">{t('risk.reviews.open')}</Radio.Button>
            <Radio.Button value="all">{t('risk.reviews.all')}</Radio.Button>
          </Radio.Group>
          <Button onClick={reviews.reload} data-testid="reviews-refresh">
            {t('risk.reviews.refresh')}
          </Button>
        </Space>
      }
    >
      <ConsoleError error={reviews.error} />
      {items.length === 0 && !reviews.loading && (
        <Typography.Text type="secondary" data-testid="reviews-empty">
          {t('risk.reviews.empty')}
        </Typography.Text>
      )}
      {items.map((item) => (
        <ReviewCard
          key={item.payment_id}
          item={item}
          editor={editor}
          now={now}
          onDone={(answer) => setUpdated((previous) => ({ ...previous, [answer.payment_id]: answer }))}
        />
      ))}
    </Card>
  );
}
