// The hosted checkout (收银台) of a merchant's online order: /pay?qr=<qbpay text>, opened from
// the merchant's site. The log-in guard brings the customer back here after logging in; after
// paying, a button leads back to the order's return_url (http or https only).
import { ErrorBlock, SpinLoading } from 'antd-mobile';
import { useSearchParams } from 'react-router';

import { previewScan } from '../api/payments';
import { customerApi } from '../api/session';
import { useI18n } from '../i18n/I18nProvider';
import { useLoad } from '../useLoad';
import { FormError, H5Page } from './common';
import { PayPanel } from './PayPanel';

export function CheckoutPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const qr = params.get('qr') ?? '';
  const preview = useLoad(() => (qr === '' ? Promise.resolve(null) : previewScan(customerApi, qr)), [qr]);

  return (
    <H5Page title={t('checkout.title')}>
      {qr === '' && <ErrorBlock status="empty" title={t('checkout.missing')} description="" />}
      {preview.loading && qr !== '' && <SpinLoading />}
      <FormError error={preview.error} />
      {preview.data && <PayPanel qr={qr} preview={preview.data} via="checkout" />}
    </H5Page>
  );
}
