// Payment PIN policy (支付密码): exactly six ASCII digits, and none of the PINs a stranger would
// try first. Hashing, lockout and attempt limits live with the rest of the credentials
// (identity); this file only decides whether a PIN the customer chose is acceptable.
//
// Thread-safety: pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace qb::mfa {

inline constexpr size_t kPaymentPinDigits = 6;

// Ordered by precedence: CheckPaymentPin reports the first that applies.
enum class PaymentPinVerdict : uint8_t {
  kOk = 0,
  kNotSixDigits,      // Not exactly six ASCII digits.
  kSameDigit,         // One digit six times: 000000, 888888.
  kSequence,          // Consecutive digits up or down, wrapping past 9 and 0: 123456, 654321,
                      // 012345, 987654, 890123, 109876.
  kRepeatingPattern,  // A pair three times or a triple twice: 121212, 123123, 520520.
  kBirthDate,         // The holder's birth date as YYMMDD, MMDDYY or DDMMYY.
};

// Stable names for API error codes and logs ("not_six_digits", "birth_date", ...).
std::string_view PaymentPinVerdictName(PaymentPinVerdict verdict);

// Checks `pin` against the policy. `resident_id` is the holder's 18-character resident ID
// (birth date YYYYMMDD at characters 7..14); when it is empty or that part is not eight digits
// (no identity verified yet), the birth-date check is skipped. Neither argument is logged.
PaymentPinVerdict CheckPaymentPin(std::string_view pin, std::string_view resident_id);

}  // namespace qb::mfa
