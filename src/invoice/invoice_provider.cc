#include "invoice/invoice_provider.h"

#include <algorithm>

#include "base/checked.h"
#include "invoice/text_internal.h"
#include "merchant/merchant_code.h"

namespace qb::invoice {
namespace {

constexpr int64_t kBasisPointsPerUnit = 10'000;
constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kChinaOffsetSeconds = 8 * 3'600;  // China has no daylight saving time

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t quotient = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
}

bool IsIdCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

Status CheckId(std::string_view field, std::string_view id) {
  if (id.empty()) return Status::InvalidArgument(std::string(field) + ": required");
  if (id.size() > kMaxIdLength) return Status::InvalidArgument(std::string(field) + ": too long");
  for (char c : id) {
    if (!IsIdCharacter(c)) return Status::InvalidArgument(std::string(field) + ": bad character");
  }
  return Status::Ok();
}

Status CheckName(std::string_view field, std::string_view text) {
  if (text.empty()) return Status::InvalidArgument(std::string(field) + ": required");
  std::optional<size_t> code_points = CountPrintableCodePoints(text);
  if (!code_points) return Status::InvalidArgument(std::string(field) + ": bad character");
  if (*code_points > kMaxNameCodePoints) {
    return Status::InvalidArgument(std::string(field) + ": too long");
  }
  // The PDF prints names with GBK-encoded fonts; refusing here means no invoice is ever issued
  // that cannot be rendered.
  std::string gbk;
  return Utf8ToGbk(field, text, &gbk);
}

Status CheckSellerTaxId(std::string_view tax_id) {
  if (tax_id.empty()) return Status::InvalidArgument("seller_tax_id: required");
  merchant::CreditCode parsed;
  merchant::CreditCodeError error = merchant::ParseCreditCode(tax_id, &parsed);
  if (error != merchant::CreditCodeError::kOk) {
    return Status::InvalidArgument("seller_tax_id: " +
                                   std::string(merchant::CreditCodeErrorName(error)));
  }
  // Stored and printed exactly as given, so require the normalized (upper-case) form.
  if (parsed.normalized != tax_id) return Status::InvalidArgument("seller_tax_id: not upper case");
  return Status::Ok();
}

Status CheckBuyerTaxId(std::string_view tax_id) {
  if (tax_id.empty()) return Status::Ok();  // a person, or a company that gave none
  if (tax_id.size() < kMinBuyerTaxIdLength || tax_id.size() > kMaxBuyerTaxIdLength) {
    return Status::InvalidArgument("buyer_tax_id: wrong length");
  }
  for (char c : tax_id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return Status::InvalidArgument("buyer_tax_id: bad character");
    }
  }
  return Status::Ok();
}

}  // namespace

bool IsAcceptedTaxRate(uint32_t tax_rate_bp) {
  switch (tax_rate_bp) {
    case 0:
    case 100:
    case 150:
    case 300:
    case 500:
    case 600:
    case 900:
    case 1300:
      return true;
    default:
      return false;
  }
}

std::optional<TaxSplit> SplitTax(int64_t amount_fen, uint32_t tax_rate_bp) {
  if (amount_fen < 0 || tax_rate_bp > kBasisPointsPerUnit) return std::nullopt;
  const int64_t rate = tax_rate_bp;
  const int64_t divisor = kBasisPointsPerUnit + rate;
  std::optional<int64_t> numerator = CheckedMul(amount_fen, rate);
  if (!numerator) return std::nullopt;
  // Half up: add half the divisor before truncating. The divisor may be odd, so work in
  // doubled units: floor((2n + d) / 2d) rounds n / d half up for n >= 0.
  std::optional<int64_t> doubled = CheckedMul(*numerator, 2);
  if (!doubled) return std::nullopt;
  std::optional<int64_t> biased = CheckedAdd(*doubled, divisor);
  if (!biased) return std::nullopt;
  TaxSplit split;
  split.tax_fen = *biased / (2 * divisor);
  split.amount_excl_tax_fen = amount_fen - split.tax_fen;  // tax <= amount, so no overflow
  return split;
}

Status ValidateInvoiceRequest(const InvoiceRequest& request) {
  if (Status s = CheckId("request_id", request.request_id); !s.ok()) return s;
  if (Status s = CheckId("payment_id", request.payment_id); !s.ok()) return s;
  if (Status s = CheckName("seller_name", request.seller_name); !s.ok()) return s;
  if (Status s = CheckSellerTaxId(request.seller_tax_id); !s.ok()) return s;
  if (Status s = CheckName("buyer_title", request.buyer_title); !s.ok()) return s;
  if (Status s = CheckBuyerTaxId(request.buyer_tax_id); !s.ok()) return s;
  if (Status s = CheckName("item_name", request.item_name); !s.ok()) return s;
  if (request.amount_fen <= 0) return Status::InvalidArgument("amount_fen: not positive");
  if (request.amount_fen > kMaxAmountFen) return Status::InvalidArgument("amount_fen: too large");
  if (!IsAcceptedTaxRate(request.tax_rate_bp)) {
    return Status::InvalidArgument("tax_rate_bp: not an accepted rate");
  }
  const int32_t year = ChinaDate(request.issued_ns).year;
  if (year < 2000 || year > 2099) return Status::InvalidArgument("issued_ns: year out of range");
  if (request.red_letter() &&
      (request.original_number.size() != kInvoiceNumberLength ||
       !std::all_of(request.original_number.begin(), request.original_number.end(),
                    [](char c) { return c >= '0' && c <= '9'; }))) {
    return Status::InvalidArgument("original_number: not 20 digits");
  }
  return Status::Ok();
}

bool SameRequest(const InvoiceRequest& a, const InvoiceRequest& b) {
  return a.request_id == b.request_id && a.payment_id == b.payment_id &&
         a.seller_name == b.seller_name && a.seller_tax_id == b.seller_tax_id &&
         a.buyer_title == b.buyer_title && a.buyer_tax_id == b.buyer_tax_id &&
         a.item_name == b.item_name && a.amount_fen == b.amount_fen &&
         a.tax_rate_bp == b.tax_rate_bp && a.issued_ns == b.issued_ns &&
         a.original_number == b.original_number;
}

CivilDate ChinaDate(int64_t time_ns) {
  // Seconds fit easily: |time_ns| / 1e9 < 1e10, far from overflow after adding the offset.
  const int64_t seconds = FloorDiv(time_ns, kNsPerSecond) + kChinaOffsetSeconds;
  // Howard Hinnant's civil_from_days, on days since 1970-01-01.
  const int64_t z = FloorDiv(seconds, kSecondsPerDay) + 719'468;
  const int64_t era = FloorDiv(z, 146'097);
  const int64_t day_of_era = z - era * 146'097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1'460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;  // March = 0
  CivilDate date;
  date.day = static_cast<uint32_t>(day_of_year - (153 * month_index + 2) / 5 + 1);
  date.month = static_cast<uint32_t>(month_index < 10 ? month_index + 3 : month_index - 9);
  date.year = static_cast<int32_t>(year_of_era + era * 400 + (date.month <= 2 ? 1 : 0));
  return date;
}

}  // namespace qb::invoice
