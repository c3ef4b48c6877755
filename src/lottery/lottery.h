// The lottery's configuration (抽奖, e.g. a 幸运大转盘): the prizes, each with its inventory and
// its published chance, "thanks for taking part" as the rest, how customers earn draws and how
// many they may use a day. Pure values; the LotteryBook keeps the one in force.
//
// A draw picks a number below kChanceDenominator from its seed and walks the prizes in order:
// the first whose cumulative chance exceeds it wins, if any of its inventory is left (and, for
// cash, the budget covers it); otherwise the draw is "thanks for taking part". Chances are never
// re-spread over what is left, so the published odds are the real ones.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace qb::lottery {

inline constexpr size_t kMaxPrizes = 12;
inline constexpr size_t kMaxNameBytes = 64;
inline constexpr int32_t kChanceDenominator = 10'000;     // chances in basis points
inline constexpr int64_t kMaxCashPrizeFen = 100'000'000;  // ¥1,000,000
inline constexpr int64_t kMaxPointsPrize = 100'000'000;
inline constexpr int64_t kMaxInventory = 100'000'000;
inline constexpr int64_t kMaxBudgetFen = 1'000'000'000'000'000;
inline constexpr int64_t kMaxPaymentFen = 1'000'000'000'000;
inline constexpr int32_t kMaxDailyDraws = 100;
inline constexpr int64_t kMaxTimeS = int64_t{1} << 40;

// Stable numeric values: serialized.
enum class PrizeKind : uint8_t { kCash = 1, kPoints = 2 };

struct Prize {
  std::string name;  // 1..kMaxNameBytes bytes, unique in the lottery
  PrizeKind kind = PrizeKind::kPoints;
  int64_t amount = 0;      // fen or points, >= 1
  int64_t inventory = 0;   // how many may ever be won, 1..kMaxInventory
  int32_t chance_bps = 0;  // 1..10000; all prizes together at most kChanceDenominator

  bool operator==(const Prize&) const = default;
};

struct Config {
  bool enabled = false;
  int64_t start_s = 0;  // draws in [start, end)
  int64_t end_s = kMaxTimeS;
  std::vector<Prize> prizes;
  // A completed payment of at least this earns one draw, at most payment_draws_daily a China
  // day; 0 turns it off (then payment_draws_daily must be 0 too).
  int64_t payment_min_fen = 0;
  int32_t payment_draws_daily = 0;  // 0..kMaxDailyDraws
  bool sign_in_draw = false;        // the daily sign-in (签到) earns one draw
  int32_t referral_draws = 0;       // 0..kMaxDailyDraws: the inviter's, per rewarded referral
  int32_t daily_draw_limit = 3;     // 1..kMaxDailyDraws draws a customer may use a China day
  int64_t budget_fen = 0;           // what cash prizes may cost in total

  bool operator==(const Config&) const = default;
};

// An invalid lottery: code LOTTERY_INVALID and the first bad field ("prizes[1].chance_bps").
struct Error {
  std::string_view code;
  std::string field;
  bool ok() const { return code.empty(); }
};
Error Validate(const Config& config);

// The prize a draw with `seed` picks: its index, or -1 for "thanks for taking part" (the number
// fell past every prize). Inventory and budget are the book's to check.
int PickPrize(const Config& config, uint64_t seed);

std::string_view PrizeKindName(PrizeKind kind);

// u8 enabled, i64 start, i64 end, u32 count, then per prize: str name, u8 kind, i64 amount,
// i64 inventory, i32 chance; i64 payment_min, i32 payment_daily, u8 sign_in, i32 referral,
// i32 daily_limit, i64 budget. Decoding checks the framing only.
void EncodeConfig(const Config& config, ByteWriter* writer);
bool DecodeConfig(ByteReader* reader, Config* config);

}  // namespace qb::lottery
