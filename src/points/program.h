// The points programme (积分): how many points a payment earns, what points are worth when a
// customer pays with them, and the multiplier rules marketing ops set (积分 ×N by merchant
// category, weekday or customer segment). Pure values and functions: no state, no clock.
//
// Points are their own ledger (ledger::kLedgerPoints): the engine issues them from the points
// pool to the customer's points account, and a customer who pays with points gives them back
// to the pool while the bank pays the merchant their worth (state_machine_points.cc).
//
// Earning: floor(paid / ¥1) × earn_per_yuan × the largest multiplier among the rules that
// match the payment (1 when none does), where "paid" is what the customer paid in cash after
// every discount. Redeeming: `points` are worth floor(points × 100 / redeem_points_per_yuan)
// fen, at most redeem_max_bps of the payment and never all of it (the customer pays at least
// 1 fen, as with campaigns).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace qb::points {

inline constexpr int32_t kMaxEarnPerYuan = 100;
inline constexpr int32_t kMaxRedeemPointsPerYuan = 100'000;
inline constexpr int32_t kBpsDenominator = 10'000;
inline constexpr int32_t kMinMultiplier = 2;
inline constexpr int32_t kMaxMultiplier = 10;
inline constexpr size_t kMaxMultiplierRules = 32;
inline constexpr size_t kMaxRuleNameBytes = 64;
inline constexpr size_t kMaxRuleCategories = 256;
inline constexpr uint8_t kAllWeekdaysMask = 0x7F;
inline constexpr int64_t kMaxTimeS = int64_t{1} << 40;
// The largest payment the programme prices: the marketing engine's bound (¥10 billion).
inline constexpr int64_t kMaxPaymentFen = 1'000'000'000'000;

// A multiplier: payments that match every condition earn `multiplier` times the points.
struct MultiplierRule {
  std::string name;                         // 1..kMaxRuleNameBytes bytes
  int32_t multiplier = kMinMultiplier;      // kMinMultiplier..kMaxMultiplier
  std::vector<uint32_t> categories;         // ISO 18245 merchant category codes, sorted; empty: any
  uint8_t weekday_mask = kAllWeekdaysMask;  // bit d: China-time weekday d (0 Monday..6 Sunday)
  uint64_t segment_mask = 0;   // marketing::Segment bits; 0: everyone, else any one of them
  int64_t window_start_s = 0;  // applies in [start, end)
  int64_t window_end_s = kMaxTimeS;

  bool operator==(const MultiplierRule&) const = default;
};

struct Program {
  bool enabled = false;
  int32_t earn_per_yuan = 1;                // 0..kMaxEarnPerYuan
  int32_t redeem_points_per_yuan = 100;     // 0: no redemption; else 1..kMaxRedeemPointsPerYuan
  int32_t redeem_max_bps = 5'000;           // 0..10000 of a payment
  std::vector<MultiplierRule> multipliers;  // at most kMaxMultiplierRules

  bool operator==(const Program&) const = default;
};

// An invalid programme: a stable code and the first bad field ("multipliers[2].weekday_mask").
struct Error {
  std::string_view code;  // "" when valid; else "POINTS_INVALID_PROGRAM"
  std::string field;
  bool ok() const { return code.empty(); }
};

// Sorts and de-duplicates each rule's categories.
void Normalize(Program* program);
Error Validate(const Program& program);

// What the engine knows about a payment, for the multiplier rules.
struct PaymentFacts {
  uint32_t merchant_category = 0;  // ISO 18245; 0 unknown
  int64_t time_s = 0;              // unix seconds
  uint64_t segment_bits = 0;
};

// China-time weekday of `unix_s` (>= 0): 0 Monday .. 6 Sunday.
int32_t ChinaWeekday(int64_t unix_s);
// The largest multiplier of a rule matching the payment; 1 when none does.
int32_t BestMultiplier(const Program& program, const PaymentFacts& facts);
// Points a payment of which the customer paid `paid_fen` in cash earns; 0 when the programme
// is off. `paid_fen` in 0..kMaxPaymentFen, so the result stays below 1e13.
int64_t PointsEarned(const Program& program, int64_t paid_fen, const PaymentFacts& facts);

// Paying `amount_fen` with up to `points` points.
struct Redemption {
  int64_t points = 0;        // the points taken: just enough for discount_fen
  int64_t discount_fen = 0;  // what they pay of the amount
};
// The most a payment of `amount_fen` may take off with points (the redeem_max_bps share, less
// than the whole amount); 0 when redemption is off.
int64_t MaxDiscountFen(const Program& program, int64_t amount_fen);
// Redeeming at most `points` points (>= 0) on `amount_fen` (1..kMaxPaymentFen): the largest
// discount they and MaxDiscountFen allow, and the fewest points that buy it. Zero when the
// programme or redemption is off.
Redemption Redeem(const Program& program, int64_t points, int64_t amount_fen);

// u8 enabled, i32 earn, i32 redeem rate, i32 max bps, u32 count, then per rule: str name,
// i32 multiplier, u32 n, u32 category{n}, u8 weekdays, u64 segments, i64 start, i64 end.
// Decoding checks the framing only; Validate checks the values.
void EncodeProgram(const Program& program, ByteWriter* writer);
bool DecodeProgram(ByteReader* reader, Program* program);

}  // namespace qb::points
