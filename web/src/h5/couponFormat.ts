// How a coupon's terms read, in the H5 app and the console: "满¥100.00减¥15.00", "立减 10%".
import type { MessageKey } from '../i18n/dictionaries';
import type { MessageParams } from '../i18n/translate';
import { formatFen } from '../money';

export interface CouponTerms {
  kind: string;
  threshold: number;
  save?: number;
  discount_bps?: number;
  discount_cap?: number;
}

export function couponTerms(t: (key: MessageKey, params?: MessageParams) => string, coupon: CouponTerms): string {
  if (coupon.kind === 'threshold') {
    const save = formatFen(coupon.save ?? 0);
    return coupon.threshold > 0
      ? t('coupon.terms.threshold', { threshold: formatFen(coupon.threshold), save })
      : t('coupon.terms.noThreshold', { save });
  }
  const percent = (coupon.discount_bps ?? 0) / 100;
  return coupon.discount_cap
    ? t('coupon.terms.percentCap', { percent, cap: formatFen(coupon.discount_cap) })
    : t('coupon.terms.percent', { percent });
}
