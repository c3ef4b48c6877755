// Running mean and variance of payment amounts per key (a customer, a merchant...), and the
// z-score of a new amount against that history: "this payment is 4.2 standard deviations above
// what this customer usually pays".
//
// Integers only. Replay must be bit-exact across compilers, optimisation levels and sanitizers,
// so no floating point is used: amounts are fixed point in milli-fen (fen * 1000), the running
// mean is rounded toward zero at each step, the sum of squared deviations (Welford's M2) is an
// exact 128-bit integer, and the standard deviation is an integer square root rounded down.
//
// Welford's update, for the n-th sample x (all in milli-fen):
//   delta = x - mean;  mean += delta / n;  m2 += delta * (x - mean)
// sample variance = m2 / (n - 1), stddev = isqrt(variance).
//
// The z-score is reported in milli-units: z_milli = (x - mean) * 1000 / max(stddev, 1 fen),
// rounded toward zero. The floor of one fen keeps a perfectly regular history (every payment
// 100.00) finite: a different amount then scores (difference in fen) * 1000. Nothing is reported
// before min_samples amounts have been recorded for the key.
//
// Bounded history. Amounts are 0..kMaxAmountFen. After kMaxSamples samples a key's count stops
// growing: each new sample first forgets one old one, keeping the mean and scaling m2 so the
// variance stays the same; the statistics then follow a slowly moving average instead of
// freezing on years-old behaviour, and m2 stays far below 2^127.
//
// Bounded table: at most max_keys keys; recording a new key into a full table forgets the key
// that recorded least recently (deterministic: it depends only on the order of calls).
//
// Thread-safety: none; the single engine thread owns the table.
//
// Serialized form (little-endian, ByteWriter), keys least recently used first:
//
//   table := magic u32 ("QRA1" = 0x31415251) | max_keys u64 | min_samples u32 | count u64 | key*
//   key   := key u64 | samples i64 | mean_milli_fen i64 | m2 low u64 | m2 high u64
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/digest.h"
#include "base/status.h"
#include "risk/lru_table.h"

namespace qb::risk {

struct AmountSummary {
  int64_t samples = 0;
  int64_t mean_milli_fen = 0;
  int64_t stddev_milli_fen = 0;  // 0 with fewer than two samples
};

class AmountStatsTable {
 public:
  static constexpr int64_t kMaxAmountFen = int64_t{1'000'000'000'000};  // ¥10 billion
  static constexpr int64_t kMaxSamples = 100'000;
  static constexpr size_t kMaxKeys = size_t{1} << 26;

  // 1 <= max_keys <= kMaxKeys and 2 <= min_samples <= kMaxSamples (asserted).
  AmountStatsTable(size_t max_keys, int64_t min_samples);

  // Adds `amount_fen` (0..kMaxAmountFen, asserted) to the history of `key`.
  void Record(uint64_t key, int64_t amount_fen);

  // The z-score of `amount_fen` against the history of `key`, in milli-units; nullopt while the
  // key has fewer than min_samples samples. Call it before Record-ing the same amount.
  std::optional<int64_t> ZScoreMilli(uint64_t key, int64_t amount_fen) const;

  // All zero for an unknown key.
  AmountSummary Summary(uint64_t key) const;

  // Cache hints, in this order, before a Summary or Record of `key` (LruTable's): no effect
  // on the state.
  void PrefetchIndex(uint64_t key) const { keys_.PrefetchIndex(key); }
  void PrefetchNode(uint64_t key) const { keys_.PrefetchNode(key); }
  void PrefetchNeighbors(uint64_t key) const { keys_.PrefetchNeighbors(key); }

  size_t size() const { return keys_.size(); }
  int64_t min_samples() const { return min_samples_; }

  void Serialize(std::string* out) const;
  // kCorruption for truncated, trailing or invalid bytes.
  static Status Deserialize(std::string_view bytes, AmountStatsTable* out);
  Digest StateHash() const;
  bool operator==(const AmountStatsTable& other) const {
    return min_samples_ == other.min_samples_ && keys_ == other.keys_;
  }

 private:
  // __int128 is a GCC/Clang extension; the project uses it wherever an exact wide product is
  // needed (the ledger's sums), and it keeps M2 exact without floating point.
  using Int128 = __int128;

  struct KeyStats {
    int64_t samples = 0;
    int64_t mean_milli_fen = 0;
    Int128 m2 = 0;  // milli-fen squared
    bool operator==(const KeyStats&) const = default;
  };

  static int64_t StddevMilliFen(const KeyStats& stats);

  LruTable<KeyStats> keys_;
  int64_t min_samples_;
};

}  // namespace qb::risk
