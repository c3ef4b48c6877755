// Wallet tiers and their limits, modelled on the e-CNY wallet classes (DESIGN.md, "Regulatory
// defaults"). Pure and deterministic: callers pass the engine's batch time, never the clock.
//
// A tier caps the balance, each payment, the spending of a China Standard Time day and of a
// calendar year there. Refunds do not give limit back: a refunded payment still counted
// against the day, which errs on the side the regulator cares about.
#pragma once

#include <cstdint>
#include <string_view>

namespace qb::identity {

// IV: phone only. III: identity verified remotely. II: plus a bound bank card in the same
// name. I: verified in person (a branch or an outreach agent).
enum class WalletTier : uint8_t { kI = 1, kII = 2, kIII = 3, kIV = 4 };

std::string_view TierName(WalletTier tier);  // "I" .. "IV"

struct TierPolicy {
  int64_t balance_cap_fen = 0;
  int64_t per_payment_fen = 0;
  int64_t per_day_fen = 0;
  int64_t per_year_fen = 0;
};

class TierPolicies {
 public:
  // The table in DESIGN.md.
  static TierPolicies Defaults();

  const TierPolicy& For(WalletTier tier) const;
  void Set(WalletTier tier, const TierPolicy& policy);

 private:
  TierPolicy policies_[4];  // Indexed by tier - 1.
};

// A customer's outgoing spending in the current day and year (China Standard Time).
struct SpendingWindow {
  int32_t day_number = 0;  // Days since 1970-01-01 in UTC+8.
  int32_t year = 0;
  int64_t spent_today_fen = 0;
  int64_t spent_this_year_fen = 0;
  bool operator==(const SpendingWindow&) const = default;
};

// Ordered by precedence: the first that applies is reported.
enum class LimitCheck : uint8_t {
  kOk = 0,
  kExceedsPerPayment,
  kExceedsDaily,
  kExceedsYearly,
  kExceedsBalanceCap,
};

std::string_view LimitCheckName(LimitCheck check);  // e.g. "exceeds_daily"

// May `amount_fen` leave the wallet at `now_ns`? `amount_fen` must be positive.
LimitCheck CheckOutgoing(const TierPolicy& policy, const SpendingWindow& window, int64_t amount_fen,
                         int64_t now_ns);

// Counts an outgoing amount that was allowed, rolling the window over at day/year changes.
void RecordOutgoing(SpendingWindow* window, int64_t amount_fen, int64_t now_ns);

// May the wallet hold `balance_after_fen` after money comes in?
LimitCheck CheckIncoming(const TierPolicy& policy, int64_t balance_after_fen);

// China Standard Time is UTC+8 all year (no daylight saving).
int32_t ChinaDayNumber(int64_t unix_ns);
int32_t ChinaYear(int64_t unix_ns);

}  // namespace qb::identity
