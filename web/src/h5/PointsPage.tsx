// My points (我的积分) at /points: the balance, what it is worth as a discount, how points are
// earned and spent, and the newest entries (GET /me/points: at most 50, newest first). An entry
// of a payment opens that payment; a referral reward's does not (its payment is the invitee's),
// nor does a lottery prize's (抽奖奖励: no payment at all).
import { List } from 'antd-mobile';
import { useNavigate } from 'react-router';

import {
  formatPoints,
  getMyPoints,
  pointsEntryKindKey,
  pointsEntryPaymentId,
  signedPoints,
  type MyPoints,
  type PointsEntry,
} from '../api/points';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';
import { formatChinaTime } from './historyFormat';

/** The rules in words: earning, paying with points, or that the programme is paused. */
function PointsRules({ points }: { points: MyPoints }) {
  const { t } = useI18n();
  if (!points.enabled) {
    return <List.Item data-testid="points-paused">{t('points.paused')}</List.Item>;
  }
  return (
    <>
      <List.Item data-testid="points-earn-rule" data-earn-per-yuan={points.earn_points_per_yuan}>
        {points.earn_points_per_yuan > 0
          ? t('points.earnRule', { points: formatPoints(points.earn_points_per_yuan) })
          : t('points.earnOff')}
      </List.Item>
      <List.Item data-testid="points-redeem-rule" data-redeem-per-yuan={points.redeem_points_per_yuan}>
        {points.redeem_points_per_yuan > 0 && points.redeem_max_percent > 0
          ? t('points.redeemRule', {
              points: formatPoints(points.redeem_points_per_yuan),
              percent: points.redeem_max_percent,
            })
          : t('points.redeemOff')}
      </List.Item>
    </>
  );
}

function EntryItem({ entry }: { entry: PointsEntry }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const paymentId = pointsEntryPaymentId(entry);
  return (
    <List.Item
      data-testid="points-entry"
      data-entry-id={entry.id}
      data-kind={entry.kind}
      data-points={entry.points}
      description={formatChinaTime(entry.at)}
      onClick={paymentId === null ? undefined : () => navigate(`/payments/${encodeURIComponent(paymentId)}`)}
      extra={
        <span className={entry.points > 0 ? 'h5-amount-in' : 'h5-amount-out'} data-testid="points-entry-points">
          {signedPoints(entry.points)}
        </span>
      }
    >
      {t(pointsEntryKindKey(entry.kind))}
    </List.Item>
  );
}

export function PointsPage() {
  const { t } = useI18n();
  const loaded = useLoad(() => getMyPoints(customerApi), []);
  const points = loaded.data;
  return (
    <H5Page title={t('points.title')}>
      <div data-testid="points-page">
        <FormError error={loaded.error} />
        {points !== null && (
          <>
            <div className="h5-page">
              <div className="h5-balance-card">
                <div className="h5-balance-head">
                  <span>{t('points.balance')}</span>
                </div>
                <div className="h5-balance" data-testid="points-page-balance" data-points={points.balance}>
                  {formatPoints(points.balance)}
                </div>
                {points.value > 0 && (
                  <div data-testid="points-value" data-fen={points.value}>
                    {t('points.value', { amount: formatFen(points.value) })}
                  </div>
                )}
              </div>
            </div>
            <List>
              <PointsRules points={points} />
            </List>
            <List header={t('points.entries')}>
              {points.entries.length === 0 && <List.Item data-testid="points-none">{t('points.none')}</List.Item>}
              {points.entries.map((entry) => (
                <EntryItem key={entry.id} entry={entry} />
              ))}
            </List>
          </>
        )}
      </div>
    </H5Page>
  );
}
