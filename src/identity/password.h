// Passwords and payment PINs: argon2id hashing (libsodium) at the DESIGN floor of 19 MiB and
// 2 passes, plus the policy checks applied before anything is hashed. PINs are hashed with the
// same HashPassword/VerifyPassword; a 6-digit PIN has only 10^6 values, so the slow hash and
// the lockout rules (elsewhere) are what protect it, not the hash alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "identity/calendar_date.h"

namespace qb::identity {

inline constexpr uint64_t kPasswordOpsLimit = 2;
inline constexpr size_t kPasswordMemLimitBytes = 19 * 1024 * 1024;
inline constexpr size_t kMinPasswordCharacters = 8;
inline constexpr size_t kMaxPasswordBytes = 128;

// The self-describing encoded hash ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), with a
// random salt. nullopt only if argon2 cannot get its memory. Each call takes tens of
// milliseconds by design: do not call it on a latency-critical thread.
std::optional<std::string> HashPassword(std::string_view password);

// Constant-time with respect to the candidate; false for a wrong candidate or a malformed hash.
bool VerifyPassword(std::string_view encoded, std::string_view candidate);

// True when `encoded` uses other parameters than the current ones (or is malformed), so the
// caller should re-hash the password it has just verified.
bool NeedsRehash(std::string_view encoded);

// Ordered by precedence: the first failing rule is reported.
enum class PasswordStrength : uint8_t {
  kOk = 0,
  kTooShort,       // fewer than 8 characters (UTF-8 code points, so 汉字 count once)
  kTooLong,        // more than 128 bytes: bounds the work an attacker can make us hash
  kContainsPhone,  // contains the account's 11-digit phone number
  kTooSimple,      // fewer than two of: ASCII letters, ASCII digits, anything else
};

// `phone` is the normalised phone number, or empty when not known.
PasswordStrength CheckPasswordStrength(std::string_view password, std::string_view phone);

// Ordered by precedence: the first failing rule is reported.
enum class PinVerdict : uint8_t {
  kOk = 0,
  kNotSixDigits,
  kAllSameDigit,  // 000000, 111111, ...
  kSequential,    // each digit one more (or one less) than the previous, wrapping 9->0:
                  // 123456, 654321, 012345, 890123
  kBirthDate,     // the holder's birth date as YYMMDD, MMDDYY or DDMMYY
};

PinVerdict ValidatePaymentPin(std::string_view pin, const std::optional<CalendarDate>& birth_date);

}  // namespace qb::identity
