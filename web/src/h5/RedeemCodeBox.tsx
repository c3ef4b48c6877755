// The 兑换码 box of the offers page: the customer types a redeem code (any case, with or without
// spaces and hyphens: the server reads it either way) and gets its coupon, which the page's
// list of coupons then shows. Each refusal shows its own text, keyed by the API error code.
import { Button, List, Toast } from 'antd-mobile';
import { useState } from 'react';

import { ApiError, newIdempotencyKey } from '../api/client';
import { mayBeCouponCode, redeemCouponCode } from '../api/couponCodes';
import { customerApi } from '../api/session';
import { errorMessage } from '../i18n/errors';
import { useI18n } from '../i18n/I18nProvider';
import { FieldInput } from './common';

/** The longest text the box takes: a code is 19 characters with its hyphens. */
const MAX_TYPED_LENGTH = 40;

export function RedeemCodeBox({ onRedeemed }: { onRedeemed: () => void }) {
  const { t, language } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Tapping again after no answer came is the same redemption: the key changes only when the
  // code typed changes or an answer came.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const type = (value: string) => {
    setCode(value);
    setError(null);
    setIdempotencyKey(newIdempotencyKey());
  };
  const submit = async () => {
    if (busy) return;
    if (!mayBeCouponCode(code)) {
      // Not worth a request (and a wrong try counted against the customer): said as the server would.
      setError(new ApiError(422, 'COUPON_CODE_INVALID', 'not a code'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await redeemCouponCode(customerApi, code, idempotencyKey);
      Toast.show({ content: t('offers.redeem.done') });
      type('');
      onRedeemed();
    } catch (cause) {
      setError(cause);
      // An answer settles this try; only a try that got none is repeated under the same key.
      if (!(cause instanceof ApiError && cause.status === 0)) setIdempotencyKey(newIdempotencyKey());
    } finally {
      setBusy(false);
    }
  };
  const errorCode = error instanceof ApiError ? error.code : undefined;
  return (
    <List header={t('offers.redeem.title')}>
      <List.Item
        extra={
          <Button
            size="small"
            color="primary"
            loading={busy}
            disabled={code.trim() === ''}
            onClick={() => void submit()}
            data-testid="redeem-code-submit"
          >
            {t('offers.redeem.submit')}
          </Button>
        }
      >
        <FieldInput
          testId="redeem-code-input"
          value={code}
          onChange={type}
          onEnterPress={() => void submit()}
          placeholder={t('offers.redeem.placeholder')}
          maxLength={MAX_TYPED_LENGTH}
          autoComplete="off"
          clearable
        />
      </List.Item>
      {error !== null && (
        <List.Item>
          <p className="h5-error" data-testid="redeem-code-error" data-error-code={errorCode} role="alert">
            {errorMessage(language, error)}
          </p>
        </List.Item>
      )}
    </List>
  );
}
