#include "identity/card.h"

#include <array>

#include "identity/sodium_internal.h"

namespace qb::identity {
namespace {

constexpr size_t kMaxPanInputBytes = 40;
constexpr size_t kMinPanDigits = 13;
constexpr size_t kMaxPanDigits = 19;

struct BinEntry {
  std::string_view prefix;
  std::string_view bank_code;
  std::string_view bank_name;
};

// A development subset of issuer BINs; production should load the UnionPay BIN file instead.
constexpr std::array<BinEntry, 22> kBinTable = {{
    {"622202", "ICBC", "中国工商银行"},     {"622208", "ICBC", "中国工商银行"},
    {"621226", "ICBC", "中国工商银行"},     {"622848", "ABC", "中国农业银行"},
    {"622845", "ABC", "中国农业银行"},      {"621700", "CCB", "中国建设银行"},
    {"622700", "CCB", "中国建设银行"},      {"436742", "CCB", "中国建设银行"},
    {"622588", "CMB", "招商银行"},          {"621483", "CMB", "招商银行"},
    {"621661", "BOC", "中国银行"},          {"456351", "BOC", "中国银行"},
    {"622262", "BOCOM", "交通银行"},        {"622260", "BOCOM", "交通银行"},
    {"623058", "PAB", "平安银行"},          {"621626", "PAB", "平安银行"},
    {"622188", "PSBC", "中国邮政储蓄银行"}, {"622909", "CIB", "兴业银行"},
    {"622690", "CITIC", "中信银行"},        {"622622", "CMBC", "中国民生银行"},
    {"622521", "SPDB", "上海浦东发展银行"}, {"622660", "CEB", "中国光大银行"},
}};

int32_t LeadingNumber(std::string_view pan, size_t digits) {
  int32_t value = 0;
  for (size_t i = 0; i < digits && i < pan.size(); ++i) value = value * 10 + (pan[i] - '0');
  return value;
}

CardBrand BrandOf(std::string_view pan) {
  if (pan.size() < 4 || !internal::AllAsciiDigits(pan.substr(0, 4))) return CardBrand::kUnknown;
  if (pan.substr(0, 2) == "62") return CardBrand::kUnionPay;
  if (pan[0] == '4') return CardBrand::kVisa;
  int32_t two = LeadingNumber(pan, 2);
  int32_t four = LeadingNumber(pan, 4);
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return CardBrand::kMastercard;
  return CardBrand::kUnknown;
}

}  // namespace

bool LuhnValid(std::string_view digits) {
  if (digits.empty() || !internal::AllAsciiDigits(digits)) return false;
  int32_t sum = 0;
  bool double_it = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int32_t digit = digits[i] - '0';
    if (double_it) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

std::optional<std::string> NormalizePan(std::string_view input) {
  if (input.size() > kMaxPanInputBytes) return std::nullopt;
  std::string digits;
  for (char c : input) {
    if (c == ' ' || c == '-') continue;
    if (!internal::IsAsciiDigit(c)) return std::nullopt;
    digits.push_back(c);
  }
  if (digits.size() < kMinPanDigits || digits.size() > kMaxPanDigits) return std::nullopt;
  if (!LuhnValid(digits)) return std::nullopt;
  return digits;
}

CardIssuer CardBrandAndBank(std::string_view pan) {
  CardIssuer issuer{BrandOf(pan), "UNKNOWN", "未知银行"};
  size_t best_length = 0;
  for (const BinEntry& entry : kBinTable) {
    if (entry.prefix.size() > best_length && pan.substr(0, entry.prefix.size()) == entry.prefix) {
      best_length = entry.prefix.size();
      issuer.bank_code = entry.bank_code;
      issuer.bank_name = entry.bank_name;
    }
  }
  return issuer;
}

std::string_view CardBrandName(CardBrand brand) {
  switch (brand) {
    case CardBrand::kUnionPay:
      return "UnionPay";
    case CardBrand::kVisa:
      return "Visa";
    case CardBrand::kMastercard:
      return "Mastercard";
    case CardBrand::kUnknown:
      break;
  }
  return "Unknown";
}

std::string MaskPan(std::string_view pan) {
  if (pan.size() < kMinPanDigits) return std::string(pan.size(), '*');
  return std::string(pan.substr(0, 6)) + std::string(pan.size() - 10, '*') +
         std::string(pan.substr(pan.size() - 4));
}

}  // namespace qb::identity
