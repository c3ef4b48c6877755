// The e-invoice of one payment on the payment detail page: the request form (person or
// company, title, optional taxpayer ID) until there is one, then the invoice with a PDF
// download. The PDF is fetched with the Bearer header and saved through an object URL.
import { Button, Form, List, Selector, SpinLoading } from 'antd-mobile';
import { useState } from 'react';

import { getMyInvoice, getMyInvoicePdf, requestInvoice } from '../api/payments';
import { customerApi } from '../api/session';
import type { Invoice, Payment } from '../api/types';
import { saveBlob } from '../download';
import { useI18n } from '../i18n/I18nProvider';
import { formatFen } from '../money';
import { useLoad } from '../useLoad';
import { FieldInput, FormError } from './common';
import { formatChinaTime } from './historyFormat';
import {
  checkInvoiceForm,
  formatTaxRate,
  invoiceable,
  invoiceFileName,
  type InvoiceBuyerKind,
} from './invoiceForm';

function InvoiceRequestForm({
  paymentId,
  onIssued,
}: {
  paymentId: string;
  onIssued: (invoice: Invoice) => void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<InvoiceBuyerKind>('person');
  const [title, setTitle] = useState('');
  const [taxId, setTaxId] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async () => {
    setError(null);
    const checked = checkInvoiceForm({ kind, title, taxId });
    if (!checked.ok) {
      setMessage(t(checked.error));
      return;
    }
    setMessage(null);
    setSubmitting(true);
    try {
      onIssued(await requestInvoice(customerApi, paymentId, checked.request));
    } catch (cause) {
      setError(cause);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Form
      layout="vertical"
      mode="card"
      footer={
        <Button
          block
          color="primary"
          loading={submitting}
          onClick={() => void submit()}
          data-testid="invoice-submit"
        >
          {t('invoice.submit')}
        </Button>
      }
    >
      <Form.Header>{t('invoice.request')}</Form.Header>
      <Form.Item label={t('invoice.kind')}>
        <div data-testid="invoice-kind" data-kind={kind}>
          <Selector
            columns={2}
            value={[kind]}
            onChange={(values) => values[0] !== undefined && setKind(values[0])}
            options={[
              { label: t('invoice.kind.person'), value: 'person' as InvoiceBuyerKind },
              { label: t('invoice.kind.company'), value: 'company' as InvoiceBuyerKind },
            ]}
          />
        </div>
      </Form.Item>
      <Form.Item label={t('invoice.buyer')}>
        <FieldInput
          testId="invoice-title"
          value={title}
          onChange={(value) => {
            setTitle(value);
            setMessage(null);
          }}
          maxLength={100}
          placeholder={t(kind === 'company' ? 'invoice.buyer.company' : 'invoice.buyer.person')}
        />
      </Form.Item>
      {kind === 'company' && (
        <Form.Item label={t('invoice.taxId')}>
          <FieldInput
            testId="invoice-tax-id"
            value={taxId}
            onChange={(value) => {
              setTaxId(value);
              setMessage(null);
            }}
            maxLength={20}
            placeholder={t('invoice.taxId.placeholder')}
          />
        </Form.Item>
      )}
      <FormError error={error} text={message} />
    </Form>
  );
}

function InvoiceView({ invoice }: { invoice: Invoice }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [downloading, setDownloading] = useState(false);

  // The blue invoice's PDF, or a red-letter invoice's by its number.
  const download = async (number: string = invoice.number) => {
    setError(null);
    setDownloading(true);
    try {
      saveBlob(await getMyInvoicePdf(customerApi, number), invoiceFileName(number));
    } catch (cause) {
      setError(cause);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div data-testid="invoice" data-invoice-number={invoice.number} data-fen={invoice.amount}>
      <List header={t('invoice.title')}>
        <List.Item
          extra={
            <span className="h5-mono" data-testid="invoice-number">
              {invoice.number}
            </span>
          }
        >
          {t('invoice.number')}
        </List.Item>
        <List.Item extra={invoice.title}>{t('invoice.buyer')}</List.Item>
        {invoice.tax_id && <List.Item extra={invoice.tax_id}>{t('invoice.taxId')}</List.Item>}
        <List.Item extra={invoice.seller_name}>{t('invoice.seller')}</List.Item>
        <List.Item extra={invoice.item}>{t('invoice.item')}</List.Item>
        <List.Item extra={formatFen(invoice.amount_excl_tax)}>
          {t('invoice.amountExclTax')}
        </List.Item>
        <List.Item extra={`${formatFen(invoice.tax)}（${formatTaxRate(invoice.tax_rate_bp)}）`}>
          {t('invoice.tax')}
        </List.Item>
        <List.Item extra={<span data-testid="invoice-amount">{formatFen(invoice.amount)}</span>}>
          {t('invoice.amount')}
        </List.Item>
        <List.Item extra={formatChinaTime(invoice.issued_at)}>{t('invoice.issuedAt')}</List.Item>
      </List>
      {invoice.issued_locally && (
        <p className="h5-page h5-invoice-note" data-testid="invoice-local-note">
          {t('invoice.issuedLocally')}
        </p>
      )}
      {(invoice.credit_invoices ?? []).length > 0 && (
        <List header={t('invoice.credit')} data-testid="credit-invoices">
          {(invoice.credit_invoices ?? []).map((red) => (
            <List.Item
              key={red.number}
              data-testid="credit-invoice"
              data-invoice-number={red.number}
              data-fen={red.amount}
              description={t('invoice.credit.detail', {
                amount: formatFen(red.amount),
                tax: formatFen(red.tax),
              })}
              extra={formatChinaTime(red.issued_at)}
              clickable
              onClick={() => void download(red.number)}
            >
              <span className="h5-mono">{red.number}</span>
            </List.Item>
          ))}
        </List>
      )}
      <FormError error={error} />
      <div className="h5-page">
        <Button
          block
          loading={downloading}
          onClick={() => void download()}
          data-testid="invoice-download"
        >
          {t('invoice.download')}
        </Button>
      </div>
    </div>
  );
}

export function InvoicePanel({ payment }: { payment: Payment }) {
  const loaded = useLoad(() => getMyInvoice(customerApi, payment.id), [payment.id]);
  const [issued, setIssued] = useState<Invoice | null>(null);
  const invoice = issued ?? loaded.data;

  if (loaded.loading && loaded.data === null) return <SpinLoading />;
  if (loaded.error) return <FormError error={loaded.error} />;
  if (invoice) return <InvoiceView invoice={invoice} />;
  if (!invoiceable(payment)) return null;
  return <InvoiceRequestForm paymentId={payment.id} onIssued={setIssued} />;
}
