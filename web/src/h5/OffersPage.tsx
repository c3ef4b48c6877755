// Offers (优惠): the campaigns running for this customer, the coupons to grab (a flash grab shows
// when it opens and how many are left), the 兑换码 box for a redeem code, and the customer's own
// coupons with their state.
import { Button, List, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';

import { ApiError } from '../api/client';
import {
  claimCoupon,
  getOffers,
  listMyCoupons,
  type Coupon,
  type CouponTemplate,
  type OfferCampaign,
} from '../api/marketing';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../i18n/errors';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';
import { couponTerms } from './couponFormat';
import { formatChinaTime } from './historyFormat';
import { RedeemCodeBox } from './RedeemCodeBox';

/** One line on what a running campaign gives. */
function campaignLine(t: ReturnType<typeof useI18n>['t'], campaign: OfferCampaign): string {
  const r = campaign.reward;
  const parts: string[] = [t(`campaign.type.${campaign.type}`)];
  if (r.shape === 'fixed') parts.push(formatFen(r.fixed ?? 0));
  if (r.shape === 'percent') parts.push(`${(r.percent_bps ?? 0) / 100}%`);
  if (r.shape === 'random_range') parts.push(`${formatFen(r.random_lo ?? 0)}–${formatFen(r.random_hi ?? 0)}`);
  if (r.shape === 'threshold') {
    parts.push(t('coupon.terms.threshold', { threshold: formatFen(r.threshold ?? 0), save: formatFen(r.save ?? 0) }));
  }
  if ((campaign.eligibility.min_amount ?? 0) > 0) {
    parts.push(t('offers.minAmount', { amount: formatFen(campaign.eligibility.min_amount ?? 0) }));
  }
  return parts.join(' · ');
}

function GrabButton({
  template,
  now,
  onClaimed,
}: {
  template: CouponTemplate;
  now: number;
  onClaimed: () => void;
}) {
  const { t, language } = useI18n();
  const [busy, setBusy] = useState(false);
  const opensLater = Date.parse(template.claim_starts_at) > now;
  const soldOut = template.remaining <= 0;
  const limitReached =
    template.per_customer_limit > 0 && (template.claimed_by_me ?? 0) >= template.per_customer_limit;
  const grab = async () => {
    setBusy(true);
    try {
      await claimCoupon(customerApi, template.id);
      Toast.show({ content: t('offers.grabbed') });
      onClaimed();
    } catch (error) {
      Toast.show({ content: errorMessage(language, error) });
      if (error instanceof ApiError) onClaimed(); // stock or limit changed: show the new state
    } finally {
      setBusy(false);
    }
  };
  let label: string = t('offers.grab');
  if (soldOut) label = t('offers.soldOut');
  else if (limitReached) label = t('offers.limitReached');
  else if (opensLater) label = t('offers.startsAt', { time: formatChinaTime(template.claim_starts_at) });
  return (
    <Button
      size="small"
      color="danger"
      loading={busy}
      disabled={soldOut || limitReached || opensLater}
      onClick={() => void grab()}
      data-testid="offer-grab"
    >
      {label}
    </Button>
  );
}

export function OffersPage() {
  const { t } = useI18n();
  const offers = useLoad(() => getOffers(customerApi), []);
  const coupons = useLoad(() => listMyCoupons(customerApi), []);
  const now = Date.now();
  const reload = () => {
    offers.reload();
    coupons.reload();
  };
  const templates = offers.data?.coupon_templates ?? [];
  const campaigns = offers.data?.campaigns ?? [];
  return (
    <H5Page title={t('offers.title')}>
      <div data-testid="offers-page">
        <FormError error={offers.error ?? coupons.error} />
        {campaigns.length > 0 && (
          <List header={t('offers.campaigns')}>
            {campaigns.map((campaign) => (
              <List.Item
                key={campaign.id}
                data-testid="offer-campaign"
                data-campaign-id={campaign.id}
                description={campaignLine(t, campaign)}
              >
                {campaign.name}
              </List.Item>
            ))}
          </List>
        )}
        <List header={t('offers.coupons')}>
          {templates.length === 0 && !offers.loading && (
            <List.Item data-testid="offers-none">{t('offers.none')}</List.Item>
          )}
          {templates.map((template) => (
            <List.Item
              key={template.id}
              data-testid="offer-template"
              data-template-id={template.id}
              data-remaining={template.remaining}
              description={
                <>
                  {couponTerms(t, template)} · {t('offers.remaining', { count: template.remaining })}
                </>
              }
              extra={<GrabButton template={template} now={now} onClaimed={reload} />}
            >
              {template.name}
            </List.Item>
          ))}
        </List>
        <RedeemCodeBox onRedeemed={reload} />
        <List header={t('offers.mine')}>
          {(coupons.data ?? []).length === 0 && !coupons.loading && (
            <List.Item data-testid="coupons-none">{t('offers.noCoupons')}</List.Item>
          )}
          {(coupons.data ?? []).map((coupon) => (
            <CouponItem key={coupon.id} coupon={coupon} />
          ))}
        </List>
      </div>
    </H5Page>
  );
}

function CouponItem({ coupon }: { coupon: Coupon }) {
  const { t } = useI18n();
  return (
    <List.Item
      data-testid="my-coupon"
      data-coupon-id={coupon.id}
      data-state={coupon.state}
      description={`${couponTerms(t, coupon)} · ${t('coupon.until', { time: formatChinaTime(coupon.valid_until) })}`}
      extra={<Tag color={coupon.state === 'available' ? 'danger' : 'default'}>{t(`coupon.state.${coupon.state}`)}</Tag>}
    >
      {coupon.name}
    </List.Item>
  );
}

/** A coupon's one-line label for choosing it at payment. */
export function couponLabel(t: ReturnType<typeof useI18n>['t'], coupon: Coupon): string {
  return `${coupon.name} · ${couponTerms(t, coupon)}`;
}
