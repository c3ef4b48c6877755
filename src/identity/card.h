// Payment card numbers (PAN): validation, brand and issuing bank from the BIN, and the
// PCI DSS 3.3 display mask (first 6 / last 4). Encryption at rest is in card_vault.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qb::identity {

// Strips spaces and dashes; returns the digits when there are 13-19 of them and the Luhn
// check passes. Input longer than 40 bytes is rejected before any work.
std::optional<std::string> NormalizePan(std::string_view input);

// ISO/IEC 7812 Luhn check over ASCII digits; false for empty or non-digit input.
bool LuhnValid(std::string_view digits);

enum class CardBrand : uint8_t { kUnknown, kUnionPay, kVisa, kMastercard };

struct CardIssuer {
  CardBrand brand = CardBrand::kUnknown;
  std::string_view bank_code;  // "ICBC", ...; "UNKNOWN" when the BIN is not in the table
  std::string_view bank_name;  // "中国工商银行", ...; "未知银行" when unknown
};

// Looks up a normalised PAN in a small built-in BIN table (longest prefix wins); the brand
// comes from the leading digits independently, so a Visa card of a Chinese bank is still Visa.
// The views point at static storage.
CardIssuer CardBrandAndBank(std::string_view pan);

std::string_view CardBrandName(CardBrand brand);

// "622202******1234": first 6 and last 4 digits. Input shorter than 13 is masked completely.
std::string MaskPan(std::string_view pan);

}  // namespace qb::identity
