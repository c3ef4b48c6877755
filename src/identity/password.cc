#include "identity/password.h"

#include "identity/sodium_internal.h"

namespace qb::identity {
namespace {

constexpr size_t kPinDigits = 6;

static_assert(kPasswordMemLimitBytes >= crypto_pwhash_MEMLIMIT_MIN);
static_assert(kPasswordOpsLimit >= crypto_pwhash_OPSLIMIT_MIN);

size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    // Every UTF-8 code point has exactly one byte that is not a continuation byte 10xxxxxx.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsSequential(std::string_view pin, int32_t step) {
  for (size_t i = 1; i < pin.size(); ++i) {
    if ((pin[i - 1] - '0' + step + 10) % 10 != pin[i] - '0') return false;
  }
  return true;
}

// Callers pass parts of a valid CalendarDate, so `value` is never negative.
std::string TwoDigits(int32_t value) {
  int32_t last_two = value % 100;
  return {static_cast<char>('0' + last_two / 10), static_cast<char>('0' + last_two % 10)};
}

bool MatchesBirthDate(std::string_view pin, const CalendarDate& birth) {
  if (!IsValidCalendarDate(birth)) return false;
  std::string yy = TwoDigits(birth.year);
  std::string mm = TwoDigits(birth.month);
  std::string dd = TwoDigits(birth.day);
  return pin == yy + mm + dd || pin == mm + dd + yy || pin == dd + mm + yy;
}

}  // namespace

std::optional<std::string> HashPassword(std::string_view password) {
  internal::EnsureSodiumInitialized();
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), kPasswordOpsLimit,
                            kPasswordMemLimitBytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return std::nullopt;
  }
  return std::string(encoded);
}

bool VerifyPassword(std::string_view encoded, std::string_view candidate) {
  internal::EnsureSodiumInitialized();
  if (encoded.size() >= crypto_pwhash_STRBYTES) return false;
  // libsodium reads the encoded hash as a NUL-terminated string.
  std::string terminated(encoded);
  return crypto_pwhash_str_verify(terminated.c_str(), candidate.data(), candidate.size()) == 0;
}

bool NeedsRehash(std::string_view encoded) {
  internal::EnsureSodiumInitialized();
  if (encoded.size() >= crypto_pwhash_STRBYTES) return true;
  std::string terminated(encoded);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), kPasswordOpsLimit,
                                        kPasswordMemLimitBytes) != 0;
}

PasswordStrength CheckPasswordStrength(std::string_view password, std::string_view phone) {
  if (CountCodePoints(password) < kMinPasswordCharacters) return PasswordStrength::kTooShort;
  if (password.size() > kMaxPasswordBytes) return PasswordStrength::kTooLong;
  if (!phone.empty() && password.find(phone) != std::string_view::npos) {
    return PasswordStrength::kContainsPhone;
  }
  bool has_letter = false;
  bool has_digit = false;
  bool has_other = false;
  for (char c : password) {
    if (IsAsciiLetter(c)) {
      has_letter = true;
    } else if (internal::IsAsciiDigit(c)) {
      has_digit = true;
    } else {
      has_other = true;
    }
  }
  if (int32_t{has_letter} + int32_t{has_digit} + int32_t{has_other} < 2) {
    return PasswordStrength::kTooSimple;
  }
  return PasswordStrength::kOk;
}

PinVerdict ValidatePaymentPin(std::string_view pin, const std::optional<CalendarDate>& birth_date) {
  if (pin.size() != kPinDigits || !internal::AllAsciiDigits(pin)) return PinVerdict::kNotSixDigits;
  if (pin.find_first_not_of(pin[0]) == std::string_view::npos) return PinVerdict::kAllSameDigit;
  if (IsSequential(pin, 1) || IsSequential(pin, -1)) return PinVerdict::kSequential;
  if (birth_date && MatchesBirthDate(pin, *birth_date)) return PinVerdict::kBirthDate;
  return PinVerdict::kOk;
}

}  // namespace qb::identity
