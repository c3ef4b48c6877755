// The discount shown before confirming a payment: the server's quote (POST /me/payments/quote:
// the campaigns' discounts, the coupon's, the cashback and what the customer pays) for the
// amount, and the choice of coupon. Until the customer chooses, the quote uses the coupon the
// server says saves the most. The quote commits nothing: the payment is priced again when it
// is made, so a budget or coupon that ran out meanwhile is simply not applied.
//
// Points (积分): when the quote says some can be used (points.max_redeemable > 0) a switch
// offers them. Points do not combine with offers: while it is on, the quote is asked for the
// points alone (no coupon; the server applies no campaign) and the coupon choice is hidden.
import { Radio, Space, Switch } from 'antd-mobile';
import { useEffect, useState } from 'react';

import { listMyCoupons, quotePayment, type Coupon, type Quote } from '../api/marketing';
import { formatPoints, quotePointsOf } from '../api/points';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { couponTerms } from './couponFormat';
import { formatChinaTime } from './historyFormat';

/** undefined: let the quote pick the best coupon; null: none; else the chosen coupon's id. */
export type CouponChoice = string | null | undefined;

/** How long typing must pause before a static QR's amount is quoted. */
const QUOTE_DELAY_MS = 300;

/**
 * The quote for the amount: with the chosen (or best) coupon, or, when `usePoints`, with the
 * most points the payment takes. `refresh` asks again for the same inputs (after the balance of
 * points changed under the customer).
 */
export function useQuote(
  qr: string,
  amount: number | null,
  choice: CouponChoice,
  isStatic: boolean,
  usePoints = false,
  refresh = 0,
) {
  const [quote, setQuote] = useState<Quote | null>(null);
  useEffect(() => {
    if (amount === null) {
      setQuote(null);
      return;
    }
    let live = true;
    const run = async () => {
      const base = isStatic ? { qr, amount } : { qr };
      if (usePoints) {
        // How many points this amount takes is in the plain quote; then quote using them all.
        const plain = await quotePayment(customerApi, base);
        const most = quotePointsOf(plain).max_redeemable;
        const answer = most > 0 ? await quotePayment(customerApi, { ...base, points: most }) : plain;
        if (live) setQuote(answer);
        return;
      }
      let answer = await quotePayment(customerApi, choice ? { ...base, coupon_id: choice } : base);
      if (choice === undefined && answer.best_coupon_id !== null) {
        answer = await quotePayment(customerApi, { ...base, coupon_id: answer.best_coupon_id });
      }
      if (live) setQuote(answer);
    };
    // A quote that fails (no campaigns module, network) just shows no discount: paying still
    // works and is priced by the server.
    const timer = setTimeout(() => void run().catch(() => live && setQuote(null)), QUOTE_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [qr, amount, choice, isStatic, usePoints, refresh]);
  return quote;
}

/** The points switch: "用 N 积分抵 ¥X", and the points the payment would earn. */
function PointsChoice({
  quote,
  usePoints,
  onUsePoints,
}: {
  quote: Quote;
  usePoints: boolean;
  onUsePoints: (on: boolean) => void;
}) {
  const { t } = useI18n();
  const points = quotePointsOf(quote);
  const count = points.used > 0 ? points.used : points.max_redeemable;
  const fen = points.used > 0 ? points.discount : (points.max_discount ?? 0);
  const label =
    fen > 0
      ? t('pay.points.use', { points: formatPoints(count), amount: formatFen(fen) })
      : t('pay.points.useNoValue', { points: formatPoints(count) });
  return (
    <>
      {count > 0 && (
        <div className="h5-pay-points">
          <Switch
            checked={usePoints}
            onChange={onUsePoints}
            data-testid="use-points"
            data-checked={usePoints ? 'true' : 'false'}
            data-points={count}
            data-fen={fen}
          />
          <span data-testid="use-points-label">{label}</span>
        </div>
      )}
      {usePoints && points.used > 0 && <div className="h5-muted">{t('pay.points.noOffers')}</div>}
      {points.earn > 0 && (
        <div className="h5-muted" data-testid="points-earn" data-points={points.earn}>
          {t('pay.points.earn', { points: formatPoints(points.earn) })}
        </div>
      )}
    </>
  );
}

export function PayQuote({
  quote,
  choice,
  onChoose,
  usePoints = false,
  onUsePoints = () => undefined,
}: {
  quote: Quote | null;
  choice: CouponChoice;
  onChoose: (choice: CouponChoice) => void;
  usePoints?: boolean;
  onUsePoints?: (on: boolean) => void;
}) {
  const { t } = useI18n();
  const [coupons, setCoupons] = useState<Coupon[]>([]);
  useEffect(() => {
    let live = true;
    listMyCoupons(customerApi).then(
      (all) => live && setCoupons(all.filter((coupon) => coupon.state === 'available')),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (quote === null) return null;
  const selected = choice === undefined ? quote.coupon_id : choice;
  return (
    <div className="h5-pay-quote" data-testid="pay-quote" data-discount={quote.discount} data-pay={quote.pay}>
      {quote.rewards.map((reward) => (
        <div key={`${reward.campaign_id}-${reward.kind}`} className="h5-muted" data-testid="pay-quote-reward" data-kind={reward.kind}>
          {reward.name} {reward.kind === 'cashback' ? '+' : '−'}
          {formatFen(reward.amount)}
          {reward.release_at !== undefined && (
            <span data-testid="pay-quote-cashback-release" data-release-at={reward.release_at}>
              {' '}
              {t('pay.quote.cashbackHeld', { date: formatChinaTime(reward.release_at) })}
            </span>
          )}
        </div>
      ))}
      {quote.discount > 0 && (
        <div data-testid="pay-quote-discount" data-fen={quote.discount}>
          {t('pay.quote.discount')} −{formatFen(quote.discount)}
        </div>
      )}
      {quote.cashback > 0 && (
        <div data-testid="pay-quote-cashback" data-fen={quote.cashback}>
          {t('pay.quote.cashback')} +{formatFen(quote.cashback)}
        </div>
      )}
      <div className="h5-balance" data-testid="pay-quote-pay" data-fen={quote.pay}>
        {t('pay.quote.pay')} {formatFen(quote.pay)}
      </div>
      <PointsChoice quote={quote} usePoints={usePoints} onUsePoints={onUsePoints} />
      {coupons.length > 0 && !usePoints && (
        <Radio.Group value={selected ?? 'none'} onChange={(value) => onChoose(value === 'none' ? null : String(value))}>
          <Space direction="vertical">
            <Radio value="none" data-testid="pay-coupon-none">
              {t('pay.quote.noCoupon')}
            </Radio>
            {coupons.map((coupon) => (
              <Radio key={coupon.id} value={coupon.id} data-testid="pay-coupon-option" data-coupon-id={coupon.id}>
                {coupon.name} · {couponTerms(t, coupon)}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      )}
    </div>
  );
}
