#include "referral/invite_code.h"

#include "base/assert.h"

namespace qb::referral {
namespace {

constexpr int kBits = 35;
constexpr uint64_t kMask = (uint64_t{1} << kBits) - 1;
constexpr uint64_t kMultiplierA = 0x5DEECE66Dull;  // odd: invertible mod 2^35
constexpr uint64_t kMultiplierB = 0x2545F491Bull;  // odd
constexpr int kShiftA = 17;
constexpr int kShiftB = 13;
constexpr std::string_view kDigits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// The inverse of an odd number mod 2^64 (Newton's iteration doubles the correct bits each
// step: 3, 6, 12, 24, 48, 96); mod 2^35 it is the same number masked.
constexpr uint64_t Inverse(uint64_t odd) {
  uint64_t inverse = odd;
  for (int i = 0; i < 5; ++i) inverse *= 2 - odd * inverse;
  return inverse;
}
static_assert((Inverse(kMultiplierA) * kMultiplierA & kMask) == 1);
static_assert((Inverse(kMultiplierB) * kMultiplierB & kMask) == 1);

uint64_t UndoXorShift(uint64_t y, int shift) {
  uint64_t x = y;
  for (int s = shift; s < kBits; s += shift) x ^= y >> s;
  return x & kMask;
}

uint64_t Permute(uint64_t x) {
  x = (x * kMultiplierA) & kMask;
  x ^= x >> kShiftA;
  x = (x * kMultiplierB) & kMask;
  x ^= x >> kShiftB;
  return x;
}

uint64_t Unpermute(uint64_t y) {
  y = UndoXorShift(y, kShiftB);
  y = (y * Inverse(kMultiplierB)) & kMask;
  y = UndoXorShift(y, kShiftA);
  return (y * Inverse(kMultiplierA)) & kMask;
}

int DigitValue(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') return 1;
  if (c == 'O') return 0;
  const size_t at = kDigits.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

uint32_t CheckDigit(const int (&digits)[kInviteCodeChars - 1]) {
  uint32_t sum = 0;
  for (size_t i = 0; i < kInviteCodeChars - 1; ++i) {
    sum += static_cast<uint32_t>(2 * i + 1) * static_cast<uint32_t>(digits[i]);
  }
  return sum % 32;
}

}  // namespace

std::string InviteCode(uint64_t customer_id) {
  QB_ASSERT(customer_id >= 1 && customer_id <= kMaxInviteCustomerId);
  uint64_t value = Permute(customer_id);
  int digits[kInviteCodeChars - 1];
  for (size_t i = kInviteCodeChars - 1; i-- > 0;) {
    digits[i] = static_cast<int>(value & 31);
    value >>= 5;
  }
  std::string code;
  for (int digit : digits) code += kDigits[static_cast<size_t>(digit)];
  code += kDigits[CheckDigit(digits)];
  return code;
}

std::optional<uint64_t> ParseInviteCode(std::string_view code) {
  if (code.size() != kInviteCodeChars) return std::nullopt;
  int digits[kInviteCodeChars - 1];
  uint64_t value = 0;
  for (size_t i = 0; i < kInviteCodeChars - 1; ++i) {
    digits[i] = DigitValue(code[i]);
    if (digits[i] < 0) return std::nullopt;
    value = (value << 5) | static_cast<uint64_t>(digits[i]);
  }
  if (DigitValue(code.back()) != static_cast<int>(CheckDigit(digits))) return std::nullopt;
  const uint64_t id = Unpermute(value);
  if (id == 0) return std::nullopt;
  return id;
}

}  // namespace qb::referral
