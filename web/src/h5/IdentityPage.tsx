import { Button, Form, Result, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { customerApi } from '../api/session';
import { getMe, verifyIdentity } from '../api/wallet';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { FieldInput, FormError, H5Page } from './common';
import { isValidRealName, normalizeResidentId, residentIdProblem } from './validation';

export function IdentityPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const me = useLoad(() => getMe(customerApi), []);
  const [realName, setRealName] = useState('');
  const [residentId, setResidentId] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async () => {
    setApiError(null);
    const id = normalizeResidentId(residentId);
    if (!isValidRealName(realName)) {
      setMessage(t('error.realName'));
      return;
    }
    // The GB 11643 check runs here so a typo costs no round trip (and no verifier fee).
    if (residentIdProblem(id) !== null) {
      setMessage(t('error.residentId'));
      return;
    }
    setMessage(null);
    setSubmitting(true);
    try {
      await verifyIdentity(customerApi, realName.trim(), id);
      Toast.show({ icon: 'success', content: t('identity.done') });
      navigate('/home', { replace: true });
    } catch (error) {
      setApiError(error);
      setSubmitting(false);
    }
  };

  const customer = me.data;
  if (customer && customer.real_name_masked !== null) {
    return (
      <H5Page title={t('identity.title')}>
        <Result
          status="success"
          title={t('identity.done')}
          description={t('identity.verifiedAs', {
            name: customer.real_name_masked,
            id: customer.resident_id_masked ?? '',
          })}
          data-testid="identity-verified"
        />
      </H5Page>
    );
  }

  return (
    <H5Page title={t('identity.title')}>
      <Form
        layout="vertical"
        footer={
          <Button
            block
            color="primary"
            size="large"
            onClick={submit}
            loading={submitting}
            data-testid="identity-submit"
          >
            {t('identity.submit')}
          </Button>
        }
      >
        <Form.Item label={t('identity.realName')}>
          <FieldInput
            testId="identity-real-name"
            maxLength={30}
            placeholder={t('identity.realName.placeholder')}
            value={realName}
            onChange={setRealName}
          />
        </Form.Item>
        <Form.Item label={t('identity.residentId')}>
          <FieldInput
            testId="identity-resident-id"
            maxLength={18}
            placeholder={t('identity.residentId.placeholder')}
            value={residentId}
            onChange={setResidentId}
          />
        </Form.Item>
      </Form>
      <FormError error={apiError ?? me.error} text={message} />
    </H5Page>
  );
}
