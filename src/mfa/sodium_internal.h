// Module-private helpers shared by the mfa sources. Not part of the public interface.
#pragma once

#include <sodium.h>

#include <string_view>

#include "base/assert.h"

namespace qb::mfa::internal {

// sodium_init() is idempotent and thread-safe; the static only skips repeat calls.
inline void EnsureSodiumInitialized() {
  static const bool initialized = [] { return sodium_init() >= 0; }();
  QB_ASSERT(initialized);
}

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

inline bool AllAsciiDigits(std::string_view text) {
  for (char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

// Equal-length inputs compared in time independent of their contents. Lengths are public
// here (fixed code and hash sizes), so different lengths return false at once.
inline bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace qb::mfa::internal
