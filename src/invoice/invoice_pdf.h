// Renders an issued invoice as a one-page PDF laid out like a Chinese electronic invoice
// (电子发票（普通发票）): number and date of issue, buyer and seller, one item line, totals in
// figures and in capital numerals, the payment id, and — for invoices the local provider
// issued — a note that no tax authority issued it. A red-letter invoice (红字发票) says so
// under the title ("红字发票 red-letter"), prints its amounts negative and names the blue
// invoice it corrects (对应蓝字发票号码).
//
// The page is A5 landscape. Chinese text uses libharu's built-in SimSun font with the
// GBK-EUC-H encoding, so the font is not embedded (viewers substitute a Song typeface) and all
// text must be representable in GBK. Thread-safe: every call uses its own libharu document.
#pragma once

#include <string>

#include "base/status.h"
#include "invoice/invoice_provider.h"

namespace qb::invoice {

// What the PDF shows. An IssuedInvoice carries everything an invoice prints.
using InvoiceDocument = IssuedInvoice;

// Fills `*pdf` with the PDF bytes. `*pdf` is left untouched on any error.
//   InvalidArgument  the invoice fails ValidateInvoiceRequest, its tax split or number is
//                    wrong, or a text field is not representable in GBK
//                    ("<field>: not representable in GBK")
//   IoError          libharu failed ("pdf: libharu error 0x<code>, detail <n>")
Status RenderInvoicePdf(const InvoiceDocument& doc, std::string* pdf);

}  // namespace qb::invoice
