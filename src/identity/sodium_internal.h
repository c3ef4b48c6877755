// Module-private helpers shared by the identity sources. Not part of the public interface.
#pragma once

#include <sodium.h>

#include <string>
#include <string_view>

#include "base/assert.h"

namespace qb::identity::internal {

// libsodium must be initialised before its random generator or any primitive is used.
// sodium_init() is itself idempotent and thread-safe; the static only skips repeat calls.
inline void EnsureSodiumInitialized() {
  static const bool initialized = [] { return sodium_init() >= 0; }();
  QB_ASSERT(initialized);
}

inline std::string ToHex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

inline bool AllAsciiDigits(std::string_view text) {
  for (char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

}  // namespace qb::identity::internal
