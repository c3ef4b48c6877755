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

// How strongly the customer authenticated a payment from the balance (PBoC 2015 No. 43). The
// values are journaled: append, never renumber.
//   one factor:  the log-in session, with the payment PIN if one is set
//   two factors: plus a one-time code (SMS, or the TOTP app) entered for this payment
//   device key:  a signature by the phone's biometric-unlocked Ed25519 key (mfa/device_key.h)
enum class AuthStrength : uint8_t { kOneFactor = 1, kTwoFactors = 2, kDeviceSignature = 3 };
inline constexpr uint8_t kMaxAuthStrength = 3;

std::string_view AuthStrengthName(AuthStrength strength);  // "one_factor", ...

// The day's spending from the balance each strength may reach, and the new-device rule.
struct AuthLimits {
  int64_t one_factor_per_day_fen = 0;
  int64_t two_factors_per_day_fen = 0;  // With a device key: the tier's own daily limit.
  // A device first used less than this long ago, by a customer who has an older one, is new:
  // a payment above new_device_large_fen from it needs two factors.
  int64_t new_device_period_ns = 0;
  int64_t new_device_large_fen = 0;

  // ¥1,000 and ¥5,000 a day (No. 43); ¥500 from a device younger than 24 hours.
  static AuthLimits Defaults();
};

// The least strength a payment of `amount_fen` at `now_ns` needs, counting what `window` shows
// spent today (a window from an earlier day counts as nothing spent). The tier's own limits
// are checked apart (CheckOutgoing); a payment that needs kDeviceSignature may still exceed
// them. `amount_fen` must be positive.
AuthStrength RequiredStrength(const AuthLimits& limits, const SpendingWindow& window,
                              int64_t amount_fen, bool new_device, int64_t now_ns);

// China Standard Time is UTC+8 all year (no daylight saving).
int32_t ChinaDayNumber(int64_t unix_ns);
int32_t ChinaYear(int64_t unix_ns);

}  // namespace qb::identity
