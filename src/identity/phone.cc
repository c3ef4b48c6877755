#include "identity/phone.h"

#include "identity/sodium_internal.h"

namespace qb::identity {
namespace {

constexpr size_t kMaxPhoneInputBytes = 32;
constexpr size_t kPhoneDigits = 11;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::optional<std::string> NormalizePhone(std::string_view input) {
  if (input.size() > kMaxPhoneInputBytes) return std::nullopt;
  std::string compact;
  for (char c : input) {
    if (c == ' ' || c == '-') continue;
    compact.push_back(c);
  }
  std::string_view number = compact;
  if (StartsWith(number, "+86")) {
    number.remove_prefix(3);
  } else if (StartsWith(number, "0086")) {
    number.remove_prefix(4);
  } else if (number.size() == kPhoneDigits + 2 && StartsWith(number, "86")) {
    // A bare "86" is only a country code when it makes the number two digits too long:
    // no mainland mobile number itself starts with 8.
    number.remove_prefix(2);
  }
  if (number.size() != kPhoneDigits || !internal::AllAsciiDigits(number)) return std::nullopt;
  if (number[0] != '1' || number[1] < '3') return std::nullopt;
  return std::string(number);
}

std::string MaskPhone(std::string_view normalized) {
  if (normalized.size() != kPhoneDigits) return std::string(normalized.size(), '*');
  return std::string(normalized.substr(0, 3)) + "****" + std::string(normalized.substr(7));
}

}  // namespace qb::identity
