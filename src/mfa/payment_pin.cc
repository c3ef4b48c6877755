#include "mfa/payment_pin.h"

#include <string>

#include "mfa/sodium_internal.h"

namespace qb::mfa {
namespace {

constexpr size_t kResidentIdChars = 18;
constexpr size_t kBirthDateOffset = 6;  // YYYYMMDD follows the six-digit region code
constexpr size_t kBirthDateChars = 8;

int32_t DigitAt(std::string_view pin, size_t i) { return pin[i] - '0'; }

bool IsSameDigit(std::string_view pin) {
  for (size_t i = 1; i < pin.size(); ++i) {
    if (pin[i] != pin[0]) return false;
  }
  return true;
}

// Each digit is the previous plus `step` (1 or 9, i.e. -1), modulo 10.
bool IsSequence(std::string_view pin, int32_t step) {
  for (size_t i = 1; i < pin.size(); ++i) {
    if (DigitAt(pin, i) != (DigitAt(pin, i - 1) + step) % 10) return false;
  }
  return true;
}

bool HasPeriod(std::string_view pin, size_t period) {
  for (size_t i = period; i < pin.size(); ++i) {
    if (pin[i] != pin[i - period]) return false;
  }
  return true;
}

bool IsBirthDate(std::string_view pin, std::string_view resident_id) {
  if (resident_id.size() != kResidentIdChars) return false;
  std::string_view date = resident_id.substr(kBirthDateOffset, kBirthDateChars);
  if (!internal::AllAsciiDigits(date)) return false;
  const std::string yy(date.substr(2, 2));
  const std::string mm(date.substr(4, 2));
  const std::string dd(date.substr(6, 2));
  return pin == yy + mm + dd || pin == mm + dd + yy || pin == dd + mm + yy;
}

}  // namespace

std::string_view PaymentPinVerdictName(PaymentPinVerdict verdict) {
  switch (verdict) {
    case PaymentPinVerdict::kOk:
      return "ok";
    case PaymentPinVerdict::kNotSixDigits:
      return "not_six_digits";
    case PaymentPinVerdict::kSameDigit:
      return "same_digit";
    case PaymentPinVerdict::kSequence:
      return "sequence";
    case PaymentPinVerdict::kRepeatingPattern:
      return "repeating_pattern";
    case PaymentPinVerdict::kBirthDate:
      return "birth_date";
  }
  return "unknown";
}

PaymentPinVerdict CheckPaymentPin(std::string_view pin, std::string_view resident_id) {
  if (pin.size() != kPaymentPinDigits || !internal::AllAsciiDigits(pin)) {
    return PaymentPinVerdict::kNotSixDigits;
  }
  if (IsSameDigit(pin)) return PaymentPinVerdict::kSameDigit;
  if (IsSequence(pin, 1) || IsSequence(pin, 9)) return PaymentPinVerdict::kSequence;
  if (HasPeriod(pin, 2) || HasPeriod(pin, 3)) return PaymentPinVerdict::kRepeatingPattern;
  if (IsBirthDate(pin, resident_id)) return PaymentPinVerdict::kBirthDate;
  return PaymentPinVerdict::kOk;
}

}  // namespace qb::mfa
