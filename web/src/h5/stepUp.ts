// The pure part of the payment step-up panel (StepUpPanel.tsx).
import type { ConfirmFactors } from '../api/payments';

/** The second code typed into the panel, as a request field. */
export type SecondCode = Pick<ConfirmFactors, 'sms_code' | 'totp_code'>;

/** The one factor the typed codes give: the SMS code when both are typed; null when neither. */
export function secondCodeOf(sms: string, totp: string): SecondCode | null | 'invalid' {
  const six = /^[0-9]{6}$/;
  if (sms !== '') return six.test(sms) ? { sms_code: sms } : 'invalid';
  if (totp !== '') return six.test(totp) ? { totp_code: totp } : 'invalid';
  return null;
}
