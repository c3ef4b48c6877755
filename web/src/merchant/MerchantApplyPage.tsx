// Self-service application: the merchant fills in its details and waits for staff review.
import { Button, Card, Form, Result } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';

import { applyAsMerchant, type MerchantApplication } from '../api/merchant';
import { merchantApi } from '../api/session';
import type { Merchant } from '../api/types';
import { LanguageToggle, useI18n } from '../i18n/I18nProvider';
import { MerchantFields } from './MerchantFields';
import { MerchantError } from './MerchantLayout';

export function MerchantApplyPage() {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [applied, setApplied] = useState<Merchant | null>(null);

  const submit = async (values: MerchantApplication) => {
    setError(null);
    setSubmitting(true);
    try {
      setApplied(await applyAsMerchant(merchantApi, values));
    } catch (cause) {
      setError(cause);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="console-login">
      <Card title={t('merchant.apply.title')} extra={<LanguageToggle />} style={{ width: 520 }}>
        {applied ? (
          <Result
            status="info"
            title={t('merchant.status.pending_review')}
            subTitle={t('merchant.apply.pending')}
            extra={<Link to="/merchant/login">{t('merchant.login.title')}</Link>}
            data-testid="merchant-apply-pending"
            data-merchant-id={applied.id}
          />
        ) : (
          <>
            <MerchantError error={error} />
            <Form
              layout="vertical"
              onFinish={submit}
              initialValues={{ category: 'catering' }}
              requiredMark={false}
            >
              <MerchantFields t={t} prefix="apply" />
              <Button
                type="primary"
                htmlType="submit"
                block
                loading={submitting}
                data-testid="apply-submit"
              >
                {t('merchant.apply.submit')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
