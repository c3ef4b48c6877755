// Shared by risk_engine.cc and risk_engine_codec.cc: how the engine keys its auxiliary counters
// and relations. Not part of the public interface.
#pragma once

#include <algorithm>
#include <cstdint>

#include "risk/amount_stats.h"

namespace qb::risk::engine_internal {

inline constexpr int64_t kDayS = 24 * 3600;
inline constexpr int64_t kRelationEpochS = 15 * kDayS;

// Amounts from events are bounded before they reach a table (the engine validates them; this
// keeps a bad one from tripping an assertion in the risk engine).
inline int64_t ClampAmount(int64_t amount_fen) {
  return std::clamp<int64_t>(amount_fen, 0, AmountStatsTable::kMaxAmountFen);
}

inline int64_t Days(int64_t seconds) { return seconds <= 0 ? 0 : seconds / kDayS; }

// The auxiliary counters share one VelocityTable; a counter's key mixes its kind and id.
enum CounterKind : uint8_t {
  kRegistrationsByDevice = 1,
  kRegistrationsByIp,
  kRegistrationsByPhoneBlock,
  kInviteesByInviter,
  kInviteesByDevice,
  kFailedTopUpsByCustomer,
  kFailedTopUpsByCard,
  kNewCardsByCustomer,
  kTopUpsByCustomer,
  kClaimsByDevice,
  kClaimsByDeviceCampaign,
  kRewardsByDevice,
  kNewCustomersByMerchant,
  kNewSendersByPayee,
};

enum RelationKind : uint8_t {
  kCustomerDevice = 1,
  kCustomerPayee,
  kCustomerCard,
  kCustomerMerchant,
};

// A 64-bit mix of two words (the splitmix64 finalizer over a combination of both): distinct
// inputs collide with probability about 2^-64, which the tables accept as they accept a
// collision of the keyed hashes the ids already are.
inline uint64_t MixKey(uint64_t a, uint64_t b) {
  uint64_t x = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}

}  // namespace qb::risk::engine_internal
