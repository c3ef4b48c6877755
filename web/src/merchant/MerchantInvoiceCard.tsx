// The e-invoice of a payment on the portal's payment detail, when the customer asked for one,
// with its PDF (fetched with the Bearer header).
import { Button, Card, Descriptions, Typography } from 'antd';
import { useState } from 'react';

import { getMerchantInvoice, getMerchantInvoicePdf } from '../api/merchant';
import { merchantApi } from '../api/session';
import { saveBlob } from '../download';
import { formatChinaTime } from '../h5/historyFormat';
import { formatTaxRate, invoiceFileName } from '../h5/invoiceForm';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { MerchantError } from './MerchantLayout';

export function MerchantInvoiceCard({ paymentId }: { paymentId: string }) {
  const { t } = useI18n();
  const loaded = useLoad(() => getMerchantInvoice(merchantApi, paymentId), [paymentId]);
  const [error, setError] = useState<unknown>(null);
  const [downloading, setDownloading] = useState(false);
  const invoice = loaded.data;

  const download = async (number: string) => {
    setError(null);
    setDownloading(true);
    try {
      saveBlob(await getMerchantInvoicePdf(merchantApi, number), invoiceFileName(number));
    } catch (cause) {
      setError(cause);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Card
      title={t('invoice.title')}
      loading={loaded.loading && invoice === null}
      extra={
        invoice && (
          <Button
            onClick={() => void download(invoice.number)}
            loading={downloading}
            data-testid="merchant-invoice-download"
          >
            {t('invoice.download')}
          </Button>
        )
      }
    >
      <MerchantError error={loaded.error ?? error} />
      {invoice === null && loaded.error === null && !loaded.loading && (
        <Typography.Text type="secondary" data-testid="merchant-invoice-none">
          {t('invoice.none')}
        </Typography.Text>
      )}
      {invoice && (
        <Descriptions
          column={2}
          size="small"
          data-testid="merchant-invoice"
          data-invoice-number={invoice.number}
          data-fen={invoice.amount}
        >
          <Descriptions.Item label={t('invoice.number')}>{invoice.number}</Descriptions.Item>
          <Descriptions.Item label={t('invoice.issuedAt')}>
            {formatChinaTime(invoice.issued_at)}
          </Descriptions.Item>
          <Descriptions.Item label={t('invoice.buyer')}>{invoice.title}</Descriptions.Item>
          <Descriptions.Item label={t('invoice.taxId')}>{invoice.tax_id || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('invoice.item')}>{invoice.item}</Descriptions.Item>
          <Descriptions.Item label={t('invoice.amountExclTax')}>
            {formatFen(invoice.amount_excl_tax)}
          </Descriptions.Item>
          <Descriptions.Item label={t('invoice.tax')}>
            {formatFen(invoice.tax)} ({formatTaxRate(invoice.tax_rate_bp)})
          </Descriptions.Item>
          <Descriptions.Item label={t('invoice.amount')}>
            {formatFen(invoice.amount)}
          </Descriptions.Item>
          {invoice.issued_locally && (
            <Descriptions.Item label={t('invoice.seller')} span={2}>
              {invoice.seller_name} · {t('invoice.issuedLocally')}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {invoice && (invoice.credit_invoices ?? []).length > 0 && (
        <Descriptions
          title={t('invoice.credit')}
          column={1}
          size="small"
          data-testid="merchant-credit-invoices"
        >
          {(invoice.credit_invoices ?? []).map((red) => (
            <Descriptions.Item
              key={red.number}
              label={formatChinaTime(red.issued_at)}
              data-testid="merchant-credit-invoice"
            >
              <Typography.Link
                onClick={() => void download(red.number)}
                data-invoice-number={red.number}
              >
                {red.number}
              </Typography.Link>{' '}
              {t('invoice.credit.detail', {
                amount: formatFen(red.amount),
                tax: formatFen(red.tax),
              })}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Card>
  );
}
