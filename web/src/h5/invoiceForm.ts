// The invoice request form: a person gives a name, a company its full name and usually its
// taxpayer ID (统一社会信用代码, 15–20 letters or digits). Checked here the way the server
// checks, so a typo is caught before the request.
import type { InvoiceRequest } from '../api/types';
import type { MessageKey } from '../i18n/dictionaries';

export type InvoiceBuyerKind = 'person' | 'company';

export const INVOICE_TITLE_MAX_CHARACTERS = 100;

export interface InvoiceFormValues {
  kind: InvoiceBuyerKind;
  title: string;
  taxId: string;
}

export type InvoiceFormResult =
  | { ok: true; request: InvoiceRequest }
  | { ok: false; error: MessageKey };

export function checkInvoiceForm(values: InvoiceFormValues): InvoiceFormResult {
  const title = values.title.trim();
  if (title === '' || [...title].length > INVOICE_TITLE_MAX_CHARACTERS) {
    return { ok: false, error: 'error.invoiceTitle' };
  }
  const request: InvoiceRequest = { title };
  if (values.kind === 'company') {
    const taxId = values.taxId.trim().toUpperCase();
    if (taxId !== '') {
      if (!/^[0-9A-Z]{15,20}$/.test(taxId)) return { ok: false, error: 'error.taxId' };
      request.tax_id = taxId;
    }
  }
  return { ok: true, request };
}

/** A payment can be invoiced once it is completed and not refunded in full. */
export function invoiceable(payment: { status: string; amount: number; refunded: number }) {
  return payment.status === 'completed' && payment.refunded < payment.amount;
}

/** "6%" for 600 basis points, "0.5%" for 50, from the digits. */
export function formatTaxRate(rateBp: number): string {
  const digits = String(Math.abs(Math.trunc(rateBp))).padStart(3, '0');
  const fraction = digits.slice(-2).replace(/0+$/, '');
  return `${digits.slice(0, -2)}${fraction === '' ? '' : `.${fraction}`}%`;
}

/** The file name of a downloaded invoice. */
export function invoiceFileName(number: string): string {
  return `invoice-${number.replace(/[^0-9A-Za-z_-]/g, '')}.pdf`;
}
