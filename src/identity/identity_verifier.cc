#include "identity/identity_verifier.h"

#include <algorithm>
#include <optional>

#include "identity/resident_id.h"

namespace qb::identity {
namespace {

constexpr size_t kMaxRealNameBytes = 4 * kRealNameMaxChars;
constexpr char32_t kMiddleDot = 0x00B7;

// Decodes one UTF-8 code point at `*position` and advances it; nullopt for ill-formed input
// (overlong forms, surrogates, truncated sequences, values above U+10FFFF).
std::optional<char32_t> DecodeUtf8(std::string_view text, size_t* position) {
  auto byte_at = [&](size_t index) { return static_cast<unsigned char>(text[index]); };
  unsigned char lead = byte_at(*position);
  size_t length = 0;
  char32_t value = 0;
  if (lead < 0x80) {
    length = 1;
    value = lead;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (*position + length > text.size()) return std::nullopt;
  for (size_t i = 1; i < length; ++i) {
    unsigned char next = byte_at(*position + i);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    value = (value << 6) | (next & 0x3F);
  }
  static constexpr char32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinimum[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return std::nullopt;
  }
  *position += length;
  return value;
}

bool IsCjkIdeograph(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0x20000 && c <= 0x2A6DF);
}

bool IsLatinLetter(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool Contains(std::string_view text, std::string_view marker) {
  return text.find(marker) != std::string_view::npos;
}

}  // namespace

std::string_view VerificationResultName(VerificationResult result) {
  switch (result) {
    case VerificationResult::kVerified:
      return "verified";
    case VerificationResult::kNameMismatch:
      return "name_mismatch";
    case VerificationResult::kIdNotFound:
      return "id_not_found";
    case VerificationResult::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

bool IsPlausibleRealName(std::string_view name) {
  if (name.empty() || name.size() > kMaxRealNameBytes) return false;
  size_t position = 0;
  size_t count = 0;
  bool previous_was_separator = true;  // so that a leading separator is rejected
  while (position < name.size()) {
    std::optional<char32_t> c = DecodeUtf8(name, &position);
    if (!c) return false;
    ++count;
    bool separator = *c == U' ' || *c == kMiddleDot;
    if (separator) {
      if (previous_was_separator) return false;
    } else if (!IsCjkIdeograph(*c) && !IsLatinLetter(*c)) {
      return false;
    }
    previous_was_separator = separator;
  }
  return !previous_was_separator && count >= kRealNameMinChars && count <= kRealNameMaxChars;
}

VerificationResult LocalIdentityVerifier::Verify(const std::string& real_name,
                                                 const std::string& resident_id) {
  return VerifyOn(real_name, resident_id, options_.today);
}

VerificationResult LocalIdentityVerifier::VerifyOn(std::string_view real_name,
                                                   std::string_view resident_id,
                                                   const CalendarDate& today) const {
  ResidentIdInfo info;
  if (ParseResidentId(resident_id, today, &info) != ResidentIdError::kOk) {
    return VerificationResult::kIdNotFound;
  }
  if (!IsPlausibleRealName(real_name)) return VerificationResult::kNameMismatch;
  const auto& listed = options_.not_found_names;
  if (Contains(real_name, "不存在") ||
      std::find(listed.begin(), listed.end(), real_name) != listed.end()) {
    return VerificationResult::kIdNotFound;
  }
  if (Contains(real_name, "不匹配")) return VerificationResult::kNameMismatch;
  if (Contains(real_name, "不可用")) return VerificationResult::kUnavailable;
  return VerificationResult::kVerified;
}

std::string MaskRealName(std::string_view name) {
  std::string masked;
  for (size_t i = 0; i < name.size();) {
    const auto lead = static_cast<unsigned char>(name[i]);
    const size_t length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (masked.empty()) {
      masked.append(name.substr(i, length));
    } else {
      masked.push_back('*');
    }
    i += length;
  }
  return masked;
}

}  // namespace qb::identity
