#include "identity/tier_limits.h"

#include <chrono>

#include "base/assert.h"
#include "base/checked.h"

namespace qb::identity {
namespace {

constexpr int64_t kYuan = 100;  // fen
constexpr int64_t kNsPerDay = int64_t{86'400} * 1'000'000'000;
constexpr int64_t kChinaOffsetNs = int64_t{8 * 3'600} * 1'000'000'000;

// Floor division, so instants before 1970 land on the right day too.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The window as it stands at `now_ns`: spending of an earlier day or year no longer counts.
SpendingWindow Current(const SpendingWindow& window, int64_t now_ns) {
  SpendingWindow current = window;
  const int32_t day = ChinaDayNumber(now_ns);
  const int32_t year = ChinaYear(now_ns);
  if (current.year != year) {
    current.year = year;
    current.spent_this_year_fen = 0;
  }
  if (current.day_number != day) {
    current.day_number = day;
    current.spent_today_fen = 0;
  }
  return current;
}

}  // namespace

std::string_view TierName(WalletTier tier) {
  switch (tier) {
    case WalletTier::kI:
      return "I";
    case WalletTier::kII:
      return "II";
    case WalletTier::kIII:
      return "III";
    case WalletTier::kIV:
      return "IV";
  }
  return "unknown";
}

TierPolicies TierPolicies::Defaults() {
  TierPolicies p;
  p.Set(WalletTier::kIV, {1'000 * kYuan, 500 * kYuan, 1'000 * kYuan, 10'000 * kYuan});
  p.Set(WalletTier::kIII, {2'000 * kYuan, 2'000 * kYuan, 2'000 * kYuan, 50'000 * kYuan});
  p.Set(WalletTier::kII, {10'000 * kYuan, 5'000 * kYuan, 10'000 * kYuan, 300'000 * kYuan});
  p.Set(WalletTier::kI, {500'000 * kYuan, 50'000 * kYuan, 100'000 * kYuan, 500'000 * kYuan});
  return p;
}

const TierPolicy& TierPolicies::For(WalletTier tier) const {
  const auto index = static_cast<size_t>(tier) - 1;
  QB_ASSERT(index < 4);
  return policies_[index];
}

void TierPolicies::Set(WalletTier tier, const TierPolicy& policy) {
  const auto index = static_cast<size_t>(tier) - 1;
  QB_ASSERT(index < 4);
  policies_[index] = policy;
}

std::string_view LimitCheckName(LimitCheck check) {
  switch (check) {
    case LimitCheck::kOk:
      return "ok";
    case LimitCheck::kExceedsPerPayment:
      return "exceeds_per_payment";
    case LimitCheck::kExceedsDaily:
      return "exceeds_daily";
    case LimitCheck::kExceedsYearly:
      return "exceeds_yearly";
    case LimitCheck::kExceedsBalanceCap:
      return "exceeds_balance_cap";
  }
  return "unknown";
}

LimitCheck CheckOutgoing(const TierPolicy& policy, const SpendingWindow& window, int64_t amount_fen,
                         int64_t now_ns) {
  QB_ASSERT(amount_fen > 0);
  if (amount_fen > policy.per_payment_fen) return LimitCheck::kExceedsPerPayment;
  const SpendingWindow current = Current(window, now_ns);
  // Limits are far below INT64_MAX, so an overflowing sum is over the limit too.
  const auto today = CheckedAdd(current.spent_today_fen, amount_fen);
  if (!today || *today > policy.per_day_fen) return LimitCheck::kExceedsDaily;
  const auto year = CheckedAdd(current.spent_this_year_fen, amount_fen);
  if (!year || *year > policy.per_year_fen) return LimitCheck::kExceedsYearly;
  return LimitCheck::kOk;
}

void RecordOutgoing(SpendingWindow* window, int64_t amount_fen, int64_t now_ns) {
  QB_ASSERT(amount_fen > 0);
  *window = Current(*window, now_ns);
  const auto today = CheckedAdd(window->spent_today_fen, amount_fen);
  const auto year = CheckedAdd(window->spent_this_year_fen, amount_fen);
  QB_ASSERT(today && year);  // Only amounts CheckOutgoing allowed are recorded.
  window->spent_today_fen = *today;
  window->spent_this_year_fen = *year;
}

std::string_view AuthStrengthName(AuthStrength strength) {
  switch (strength) {
    case AuthStrength::kOneFactor:
      return "one_factor";
    case AuthStrength::kTwoFactors:
      return "two_factors";
    case AuthStrength::kDeviceSignature:
      return "device_key";
  }
  return "unknown";
}

AuthLimits AuthLimits::Defaults() {
  AuthLimits limits;
  limits.one_factor_per_day_fen = 1'000 * kYuan;
  limits.two_factors_per_day_fen = 5'000 * kYuan;
  limits.new_device_period_ns = int64_t{24} * 3600 * 1'000'000'000;
  limits.new_device_large_fen = 500 * kYuan;
  return limits;
}

AuthStrength RequiredStrength(const AuthLimits& limits, const SpendingWindow& window,
                              int64_t amount_fen, bool new_device, int64_t now_ns) {
  QB_ASSERT(amount_fen > 0);
  const SpendingWindow current = Current(window, now_ns);
  const std::optional<int64_t> after = CheckedAdd(current.spent_today_fen, amount_fen);
  AuthStrength needed = AuthStrength::kOneFactor;
  if (!after || *after > limits.two_factors_per_day_fen) {
    needed = AuthStrength::kDeviceSignature;
  } else if (*after > limits.one_factor_per_day_fen) {
    needed = AuthStrength::kTwoFactors;
  }
  if (new_device && amount_fen > limits.new_device_large_fen &&
      needed == AuthStrength::kOneFactor) {
    needed = AuthStrength::kTwoFactors;
  }
  return needed;
}

LimitCheck CheckIncoming(const TierPolicy& policy, int64_t balance_after_fen) {
  return balance_after_fen > policy.balance_cap_fen ? LimitCheck::kExceedsBalanceCap
                                                    : LimitCheck::kOk;
}

int32_t ChinaDayNumber(int64_t unix_ns) {
  return static_cast<int32_t>(FloorDiv(unix_ns + kChinaOffsetNs, kNsPerDay));
}

int32_t ChinaYear(int64_t unix_ns) {
  const std::chrono::sys_days day{std::chrono::days{ChinaDayNumber(unix_ns)}};
  return static_cast<int32_t>(std::chrono::year_month_day{day}.year());
}

}  // namespace qb::identity
