// Module-private helpers shared by the paytoken sources. Not part of the public interface.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/assert.h"

namespace qb::paytoken::internal {

using Hmac = std::array<uint8_t, crypto_auth_hmacsha256_BYTES>;

// sodium_init() is idempotent and thread-safe; the static only skips repeat calls.
inline void EnsureSodiumInitialized() {
  static const bool initialized = [] { return sodium_init() >= 0; }();
  QB_ASSERT(initialized);
}

// HMAC-SHA256 with a key of any length (RFC 2104), as RFC 4226/6238 use it.
inline Hmac HmacSha256(const unsigned char* key, size_t key_size, std::string_view message) {
  EnsureSodiumInitialized();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key, key_size);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  Hmac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof(state));
  return mac;
}

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

inline bool AllAsciiDigits(std::string_view text) {
  for (char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

// Canonical unsigned decimal: 1..max_digits digits, no sign, no leading zero (except "0").
inline std::optional<uint64_t> ParseCanonicalDecimal(std::string_view text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits || !AllAsciiDigits(text)) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  uint64_t value = 0;
  for (char c : text) value = value * 10 + static_cast<uint64_t>(c - '0');
  return value;
}

inline bool IsCurrencyCode(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

}  // namespace qb::paytoken::internal
