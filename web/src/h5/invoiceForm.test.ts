import { describe, expect, it } from 'vitest';

import { checkInvoiceForm, formatTaxRate, invoiceable, invoiceFileName } from './invoiceForm';

describe('invoice form', () => {
  it('asks a person for a name only', () => {
    expect(checkInvoiceForm({ kind: 'person', title: ' 张三 ', taxId: 'ignored' })).toEqual({
      ok: true,
      request: { title: '张三' },
    });
    expect(checkInvoiceForm({ kind: 'person', title: '  ', taxId: '' })).toEqual({
      ok: false,
      error: 'error.invoiceTitle',
    });
    expect(checkInvoiceForm({ kind: 'person', title: '字'.repeat(101), taxId: '' }).ok).toBe(false);
    expect(checkInvoiceForm({ kind: 'person', title: '字'.repeat(100), taxId: '' }).ok).toBe(true);
  });

  it('takes a company taxpayer ID in capitals, and refuses a malformed one', () => {
    const company = { kind: 'company', title: '福州某某科技有限公司' } as const;
    expect(checkInvoiceForm({ ...company, taxId: '91350100m000100y43' })).toEqual({
      ok: true,
      request: { title: '福州某某科技有限公司', tax_id: '91350100M000100Y43' },
    });
    expect(checkInvoiceForm({ kind: 'company', title: '某公司', taxId: '12' })).toEqual({
      ok: false,
      error: 'error.taxId',
    });
    expect(checkInvoiceForm({ kind: 'company', title: '某公司', taxId: '' })).toEqual({
      ok: true,
      request: { title: '某公司' },
    });
  });

  it('invoices completed payments not refunded in full', () => {
    expect(invoiceable({ status: 'completed', amount: 100, refunded: 99 })).toBe(true);
    expect(invoiceable({ status: 'completed', amount: 100, refunded: 100 })).toBe(false);
    expect(invoiceable({ status: 'awaiting_confirmation', amount: 100, refunded: 0 })).toBe(false);
  });

  it('formats the tax rate and the file name', () => {
    expect(formatTaxRate(600)).toBe('6%');
    expect(formatTaxRate(1300)).toBe('13%');
    expect(formatTaxRate(50)).toBe('0.5%');
    expect(formatTaxRate(125)).toBe('1.25%');
    expect(invoiceFileName('0123/../45')).toBe('invoice-012345.pdf');
  });
});
