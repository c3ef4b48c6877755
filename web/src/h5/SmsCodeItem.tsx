// The form row of a six-digit SMS code: the input, and beside it the send button with its
// resend countdown. Test ids: `${testIdPrefix}-code` (the input) and
// `${testIdPrefix}-send-code` (the button, with data-seconds-left).
import { Button, Form } from 'antd-mobile';

import { useI18n } from '../i18n/I18nProvider';
import { FieldInput } from './common';

export function SmsCodeItem({
  testIdPrefix,
  value,
  onChange,
  onSend,
  secondsLeft,
  sendDisabled = false,
}: {
  testIdPrefix: string;
  value: string;
  /** Called with the digits typed (anything else is dropped). */
  onChange: (digits: string) => void;
  onSend: () => void;
  /** Seconds until another code may be sent (0: now). */
  secondsLeft: number;
  /** Other reasons the button is off (busy, nothing to send to yet). */
  sendDisabled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Form.Item
      label={t('field.smsCode')}
      extra={
        <Button
          size="small"
          onClick={onSend}
          disabled={secondsLeft > 0 || sendDisabled}
          data-testid={`${testIdPrefix}-send-code`}
          data-seconds-left={secondsLeft}
        >
          {secondsLeft > 0 ? t('field.smsCode.resend', { seconds: secondsLeft }) : t('field.smsCode.send')}
        </Button>
      }
    >
      <FieldInput
        testId={`${testIdPrefix}-code`}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={value}
        onChange={(text) => onChange(text.replace(/[^0-9]/g, ''))}
      />
    </Form.Item>
  );
}
