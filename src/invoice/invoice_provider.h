// Electronic invoices (电子发票) for merchant payments: the request a merchant's payment turns
// into, the invoice the tax e-invoice platform answers with, and the interface to that platform.
// The real platform sits behind InvoiceProvider; LocalInvoiceProvider (local_invoice_provider.h)
// stands in for it where it cannot be reached.
//
// Money is int64 fen throughout. An invoice states a tax-inclusive total; the platform splits it
// into tax and the amount excluding tax with SplitTax, so the three always add up exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace qb::invoice {

// Limits on request fields. Text lengths count Unicode code points, as the platform does.
// Names must be printable UTF-8 that GBK can represent, since the PDF's fonts use GBK.
inline constexpr size_t kMaxIdLength = 64;                // request_id and payment_id, ASCII
inline constexpr size_t kMaxNameCodePoints = 100;         // seller_name, buyer_title, item_name
inline constexpr size_t kMinBuyerTaxIdLength = 15;        // old 15-digit taxpayer numbers
inline constexpr size_t kMaxBuyerTaxIdLength = 20;        // 20-character taxpayer numbers
inline constexpr int64_t kMaxAmountFen = 10'000'000'000;  // ¥100 million on one invoice
inline constexpr size_t kInvoiceNumberLength = 20;

// The VAT rates (and simplified-method levy rates) the platform accepts, in basis points: 0,
// 1%, 1.5% (housing rental), 3%, 5%, 6%, 9% and 13%.
bool IsAcceptedTaxRate(uint32_t tax_rate_bp);

struct InvoiceRequest {
  // Our idempotency key, e.g. "inv-<payment id>": the same request_id always answers the same
  // invoice. 1-64 characters from A-Z a-z 0-9 and "-_.:".
  std::string request_id;
  // The payment the invoice is for, printed on the invoice. Same alphabet and length as
  // request_id.
  std::string payment_id;
  std::string seller_name;    // merchant legal name, 1-100 code points
  std::string seller_tax_id;  // unified social credit code, 18 characters, check digits valid
  std::string buyer_title;    // 抬头: a person's or a company's name, 1-100 code points
  std::string buyer_tax_id;   // optional; when present 15-20 upper-case letters and digits
  std::string item_name;      // e.g. "*餐饮服务*餐费", 1-100 code points
  int64_t amount_fen = 0;     // tax-inclusive total, 1 .. kMaxAmountFen
  uint32_t tax_rate_bp = 0;   // e.g. 600 = 6%; one of the accepted rates
  // Time of issue in ns since the Unix epoch, given by the caller so tests are deterministic.
  // Dates are read in China Standard Time (UTC+8) and must fall in 2000-2099.
  int64_t issued_ns = 0;
  // Empty for an ordinary (blue) invoice. For a red-letter invoice (红字发票), which reverses
  // part or all of a blue one after a refund, the 20-digit number of that blue invoice;
  // amount_fen then stays positive and is the amount reversed.
  std::string original_number;

  bool red_letter() const { return !original_number.empty(); }
};

struct IssuedInvoice {
  InvoiceRequest request;  // as issued
  // 20 digits in the 全面数字化电子发票 style. A fully digitalised invoice has no separate
  // invoice code and no check code: the number alone identifies it.
  std::string number;
  int64_t tax_fen = 0;
  int64_t amount_excl_tax_fen = 0;  // request.amount_fen - tax_fen
  // True when LocalInvoiceProvider issued it: not a tax authority's invoice, and the PDF says so.
  bool issued_locally = false;
};

struct TaxSplit {
  int64_t tax_fen = 0;
  int64_t amount_excl_tax_fen = 0;
};

// Splits a tax-inclusive amount: tax = amount * rate / (10000 + rate), rounded half up to the
// fen (a remainder of exactly half a fen rounds up), and amount_excl_tax = amount - tax.
// Integer arithmetic only. nullopt when amount_fen < 0, tax_rate_bp > 10000, or an
// intermediate product would overflow int64.
std::optional<TaxSplit> SplitTax(int64_t amount_fen, uint32_t tax_rate_bp);

// Checks every field against the limits above. InvalidArgument names the first bad field in a
// stable message of the form "<field>: <reason>", e.g. "buyer_tax_id: bad character" or
// "buyer_title: not representable in GBK". original_number, when present, must be 20 digits
// ("original_number: not 20 digits").
Status ValidateInvoiceRequest(const InvoiceRequest& request);

// True when two requests ask for the same invoice (every field equal).
bool SameRequest(const InvoiceRequest& a, const InvoiceRequest& b);

struct CivilDate {
  int32_t year = 0;
  uint32_t month = 0;  // 1-12
  uint32_t day = 0;    // 1-31
};

// The calendar date in China Standard Time (UTC+8) of a time in ns since the Unix epoch.
CivilDate ChinaDate(int64_t time_ns);

// The platform. Implementations are thread-safe: API worker threads call them concurrently.
class InvoiceProvider {
 public:
  virtual ~InvoiceProvider() = default;

  // Issues the invoice for `request`, or answers the one already issued for its request_id.
  // On Ok `*invoice` is filled; on any error it is left untouched.
  //   InvalidArgument  the request is malformed, or its request_id was already used for a
  //                    different request, or a red-letter request does not fit its blue
  //                    invoice (unknown number, other seller or rate, or the red totals would
  //                    exceed the blue amount): retrying will not help
  //   IoError          the platform is unavailable, full or timed out; the invoice may or may
  //                    not have been issued, so retry with the same request_id
  virtual Status Issue(const InvoiceRequest& request, IssuedInvoice* invoice) = 0;
};

}  // namespace qb::invoice
