// Group red packets (拼手气红包) as a growth programme: a customer whose payment qualifies earns a
// packet to send; sending it splits the packet's amount at random into shares, and the first
// claimants (friends opening the shared link) each take one share into their wallet. The bank
// pays every share out of the programme's budget. Pure values; the RedPacketBook keeps the
// programme in force and the packets.
//
// The split is fixed when the packet is sent, from a seed the journal carries: every share is
// at least 1 fen and at most twice the average (floor(2 × amount ÷ shares)), and the shares sum
// to the packet's amount exactly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace qb::redpacket {

inline constexpr int32_t kMaxShares = 100;
inline constexpr int64_t kMaxPacketFen = 20'000;  // ¥200, WeChat's ceiling for a red packet
inline constexpr int64_t kMaxBudgetFen = 1'000'000'000'000'000;
inline constexpr int64_t kMaxPaymentFen = 1'000'000'000'000;
inline constexpr int32_t kMaxDaily = 100;
inline constexpr int32_t kMaxValidHours = 72;
inline constexpr int64_t kMaxTimeS = int64_t{1} << 40;

struct Config {
  bool enabled = false;
  int64_t start_s = 0;  // packets earned and sent in [start, end); claims until each expires
  int64_t end_s = kMaxTimeS;
  // A completed payment of at least this earns one packet to send, at most packets_daily a
  // China day.
  int64_t payment_min_fen = 0;  // 1..kMaxPaymentFen
  int32_t packets_daily = 1;    // 1..kMaxDaily
  int64_t packet_fen = 0;       // each packet's amount: shares..kMaxPacketFen
  int32_t shares = 0;           // 2..kMaxShares
  int32_t valid_hours = 24;     // 1..kMaxValidHours: unclaimed shares then go back to the budget
  int32_t claims_daily = 5;     // 1..kMaxDaily shares a customer may take a China day
  int64_t budget_fen = 0;       // what all shares may cost in total

  bool operator==(const Config&) const = default;
};

// An invalid programme: code REDPACKET_INVALID and the first bad field ("shares").
struct Error {
  std::string_view code;
  std::string field;
  bool ok() const { return code.empty(); }
};
Error Validate(const Config& config);

// The largest share a packet of `amount_fen` in `shares` may give: twice the average, rounded
// down.
int64_t MaxShare(int64_t amount_fen, int32_t shares);

// Splits amount_fen (>= shares >= 1) into `shares` amounts in [1, MaxShare], summing to
// amount_fen, in an order drawn from `seed` (the same seed, the same split).
std::vector<int64_t> Split(int64_t amount_fen, int32_t shares, uint64_t seed);

// u8 enabled, i64 start, i64 end, i64 payment_min, i32 packets_daily, i64 packet, i32 shares,
// i32 valid_hours, i32 claims_daily, i64 budget. Decoding checks the framing only.
void EncodeConfig(const Config& config, ByteWriter* writer);
bool DecodeConfig(ByteReader* reader, Config* config);

}  // namespace qb::redpacket
