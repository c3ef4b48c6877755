// The referral programme's terms (好友推荐): when an invitee's payment qualifies and what the
// inviter and the invitee each get. Pure values; the ReferralBook keeps the one in force.
//
// A referral qualifies with the invitee's first payment of at least min_payment_fen completed
// within qualify_days of registering, once the invitee verified a real-name identity (unless
// invitee_verified is off). A resident ID verifies one wallet only, so one person cannot be
// rewarded as the invitee of many accounts. Then the inviter gets `inviter` (unless they were
// rewarded for inviter_monthly_cap invitees already this China calendar month) and the invitee
// gets `invitee`: cash into the wallet from the programme's budget account, or points from the
// points pool. Cash is bounded by budget_fen over the programme's life.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace qb::referral {

inline constexpr int32_t kMaxQualifyDays = 90;
inline constexpr int32_t kMaxMonthlyCap = 1'000;
inline constexpr int64_t kMaxPaymentFen = 1'000'000'000'000;     // ¥10 billion, as marketing
inline constexpr int64_t kMaxCashRewardFen = 1'000'000;          // ¥10,000 a reward
inline constexpr int64_t kMaxPointsReward = 100'000'000;         // points a reward
inline constexpr int64_t kMaxBudgetFen = 1'000'000'000'000'000;  // ¥10 trillion

// Stable numeric values: serialized.
enum class RewardKind : uint8_t { kNone = 0, kCash = 1, kPoints = 2 };

struct Reward {
  RewardKind kind = RewardKind::kNone;
  int64_t amount = 0;  // fen for cash, points for points, 0 for none

  int64_t cash_fen() const { return kind == RewardKind::kCash ? amount : 0; }
  int64_t points() const { return kind == RewardKind::kPoints ? amount : 0; }
  bool operator==(const Reward&) const = default;
};

struct Program {
  bool enabled = false;
  int32_t qualify_days = 30;      // 1..kMaxQualifyDays
  int64_t min_payment_fen = 100;  // 1..kMaxPaymentFen
  Reward inviter;
  Reward invitee;
  int32_t inviter_monthly_cap = 10;  // 1..kMaxMonthlyCap rewarded invitees per inviter
  int64_t budget_fen = 0;            // 0..kMaxBudgetFen: what cash rewards may cost in total
  bool invitee_verified = true;      // the invitee must be verified by real name to qualify

  bool operator==(const Program&) const = default;
};

// An invalid programme: the code REFERRAL_INVALID_PROGRAM and the first bad field
// ("inviter.amount"); an empty code when valid.
struct Error {
  std::string_view code;
  std::string field;
  bool ok() const { return code.empty(); }
};
Error Validate(const Program& program);

std::string_view RewardKindName(RewardKind kind);

// The China calendar month (UTC+8) of a unix time, as year * 12 + (month − 1). Requires
// unix_s >= 0.
int64_t ChinaMonth(int64_t unix_s);

// u8 enabled, i32 days, i64 min, (u8 kind, i64 amount) inviter then invitee, i32 cap,
// i64 budget, u8 invitee_verified. Decoding checks the framing only; Validate checks the values.
void EncodeProgram(const Program& program, ByteWriter* writer);
bool DecodeProgram(ByteReader* reader, Program* program);

}  // namespace qb::referral
