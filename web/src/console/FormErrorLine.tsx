// The error line of a console programme form (referral, lottery, red packets):
// data-testid="form-error" with the API code in data-error-code (absent for the form's own
// checks), as the other forms.
import { Alert } from 'antd';

import { ApiError } from '../api/client';
import { errorMessage } from '../i18n/errors';
import { useI18n } from '../i18n/I18nProvider';

export function FormErrorLine({ error, text }: { error: unknown; text: string | null }) {
  const { language } = useI18n();
  if ((error === null || error === undefined) && text === null) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <Alert
      type="error"
      showIcon
      title={text ?? errorMessage(language, error)}
      data-testid="form-error"
      data-error-code={code}
      style={{ marginBottom: 16 }}
    />
  );
}
