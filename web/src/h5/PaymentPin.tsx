// The payment PIN (支付密码) in every form that pays from the balance (transfer, withdrawal,
// scan and checkout): shown once the customer has set a PIN (GET /me/security), six digits,
// masked. Customers without a PIN pay as before; the home page asks them to set one. After a
// PIN_WRONG the tries left, after a PIN_LOCKED the unlock time, are shown under the form error.
import { Form } from 'antd-mobile';

import { ApiError } from '../api/client';
import { customerApi } from '../api/session';
import { getSecurity } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { FieldInput } from './common';

/** Six ASCII digits. */
export function isSixDigitPin(pin: string): boolean {
  return /^[0-9]{6}$/.test(pin);
}

/** Whether this customer's payments need the PIN (false while loading or on a read error). */
export function usePinRequired(): boolean {
  const security = useLoad(() => getSecurity(customerApi), []);
  return security.data?.payment_pin_set ?? false;
}

export function PinInput({
  testId,
  label,
  value,
  onChange,
}: {
  testId: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Form.Item label={label}>
      <FieldInput
        testId={testId}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={6}
        value={value}
        onChange={(text) => onChange(text.replace(/[^0-9]/g, ''))}
      />
    </Form.Item>
  );
}

/** The payment form's PIN field, when the customer has one. */
export function PaymentPinField({
  required,
  value,
  onChange,
}: {
  required: boolean;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  if (!required) return null;
  return <PinInput testId="payment-pin" label={t('pin.payment')} value={value} onChange={onChange} />;
}

/** Tries left (PIN_WRONG) or the unlock time (PIN_LOCKED), under the form's error line. */
export function PinErrorDetail({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'PIN_WRONG' && error.triesLeft !== undefined) {
    return (
      <p className="h5-page h5-error" data-testid="pin-tries-left" data-tries-left={error.triesLeft}>
        {t('pin.triesLeft', { tries: String(error.triesLeft) })}
      </p>
    );
  }
  if (error.code === 'PIN_LOCKED' && error.lockedUntil !== undefined) {
    return (
      <p className="h5-page h5-error" data-testid="pin-locked-until" data-until={error.lockedUntil}>
        {t('pin.lockedUntil', { until: new Date(error.lockedUntil).toLocaleString() })}
      </p>
    );
  }
  return null;
}
