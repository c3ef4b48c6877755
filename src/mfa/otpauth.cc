#include "mfa/otpauth.h"

#include <cstdint>

#include "base/assert.h"
#include "mfa/base32.h"
#include "mfa/totp.h"

namespace qb::mfa {
namespace {

// The URI's fixed parameters spell out the constants TOTP verification uses.
static_assert(kTotpDigits == 6 && kTotpStepSeconds == 30);

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsContinuationByte(uint8_t byte) { return (byte & 0xc0) == 0x80; }

// Strict UTF-8 (RFC 3629): shortest form only, no surrogates, nothing above U+10FFFF.
bool IsWellFormedUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    uint8_t lead = static_cast<uint8_t>(text[i]);
    size_t length = 0;
    uint32_t code_point = 0;
    uint32_t minimum = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      code_point = lead & 0x1f;
      minimum = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      code_point = lead & 0x0f;
      minimum = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      code_point = lead & 0x07;
      minimum = 0x10000;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      uint8_t byte = static_cast<uint8_t>(text[i + k]);
      if (!IsContinuationByte(byte)) return false;
      code_point = (code_point << 6) | (byte & 0x3f);
    }
    if (code_point < minimum || code_point > 0x10ffff) return false;
    if (code_point >= 0xd800 && code_point <= 0xdfff) return false;
    i += length;
  }
  return true;
}

bool IsValidLabelPart(std::string_view part) {
  if (part.empty() || part.size() > kMaxOtpauthLabelPartBytes) return false;
  for (char c : part) {
    uint8_t byte = static_cast<uint8_t>(c);
    if (byte < 0x20 || byte == 0x7f || c == ':') return false;
  }
  return IsWellFormedUtf8(part);
}

}  // namespace

std::string PercentEncode(std::string_view bytes) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (char c : bytes) {
    if (IsUnreserved(c)) {
      out.push_back(c);
      continue;
    }
    uint8_t byte = static_cast<uint8_t>(c);
    out.push_back('%');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

std::optional<std::string> MakeTotpUri(std::string_view issuer, std::string_view account,
                                       std::string_view secret) {
  QB_ASSERT(secret.size() >= kTotpMinSecretBytes);
  if (!IsValidLabelPart(issuer) || !IsValidLabelPart(account)) return std::nullopt;
  const std::string encoded_issuer = PercentEncode(issuer);
  std::string uri = "otpauth://totp/";
  uri += encoded_issuer;
  uri += ':';
  uri += PercentEncode(account);
  uri += "?secret=";
  uri += Base32Encode(secret);
  uri += "&issuer=";
  uri += encoded_issuer;
  uri += "&algorithm=SHA1&digits=6&period=30";
  return uri;
}

}  // namespace qb::mfa
