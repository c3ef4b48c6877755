// Helpers shared by the state machine's payment files (state_machine_payments.cc and
// state_machine_settlement.cc). Private to the engine.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/digest.h"

namespace qb::engine::internal {

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kNsPerDay = 86'400 * kNsPerSecond;
constexpr int64_t kChinaOffsetNs = 8 * 3'600 * kNsPerSecond;

// The second and later transfers of a chain get ids derived from the first, so a retried
// command derives the same ids and the ledger's own idempotency holds for the whole chain.
inline uint64_t DerivedId(uint64_t id, std::string_view purpose) {
  Hasher hasher;
  hasher.Update("qianbao/engine/derived-transfer-id/v1");
  hasher.UpdateU64(id);
  hasher.Update(purpose);
  const Digest digest = hasher.Finish();
  uint64_t derived = 0;
  for (size_t i = 0; i < 8; ++i) derived = (derived << 8) | digest[i];
  // 0 and UINT64_MAX are reserved by the ledger; a digest hitting either is not going to happen.
  return derived == 0 || derived == UINT64_MAX ? 1 : derived;
}

// A draw's seed (the lottery's prize, a red packet's split): a hash of the nonce the API drew
// from its CSPRNG, the customer, the draw's id and the batch time, all journaled, so replay
// draws the same and nobody outside the server knows the nonce beforehand. `domain` keeps the
// uses apart.
inline uint64_t NonceSeed(std::string_view domain, std::string_view nonce, uint64_t customer_id,
                          uint64_t id, int64_t batch_time_ns) {
  Hasher hasher;
  hasher.Update(domain);
  hasher.Update(nonce);
  hasher.UpdateU64(customer_id);
  hasher.UpdateU64(id);
  hasher.UpdateU64(static_cast<uint64_t>(batch_time_ns));
  const Digest digest = hasher.Finish();
  uint64_t seed = 0;
  for (size_t i = 0; i < 8; ++i) seed = (seed << 8) | digest[i];
  return seed;
}

// The China business day (UTC+8) of a time, in days since the epoch.
inline int64_t ChinaDay(int64_t time_ns) { return (time_ns + kChinaOffsetNs) / kNsPerDay; }

}  // namespace qb::engine::internal
