#include "risk/amount_stats.h"

#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <utility>

#include "base/assert.h"
#include "base/bytes.h"

namespace qb::risk {

namespace {

constexpr uint32_t kMagic = 0x31415251;  // "QRA1"
constexpr int64_t kMilli = 1000;

using Uint128 = unsigned __int128;

// A deviation is at most kMaxAmountFen in milli-fen; squared, times kMaxSamples, it bounds
// every m2 Record can produce. Checked on load, so a corrupt checkpoint cannot overflow it later.
constexpr __int128 kMaxM2 = static_cast<__int128>(AmountStatsTable::kMaxAmountFen * kMilli) *
                            (AmountStatsTable::kMaxAmountFen * kMilli) *
                            AmountStatsTable::kMaxSamples;

// floor(sqrt(value)), by Newton's iteration from above: exact, integer-only.
uint64_t IntegerSquareRoot(Uint128 value) {
  if (value < 2) return static_cast<uint64_t>(value);
  int bits = 0;
  for (Uint128 v = value; v != 0; v >>= 1) ++bits;
  Uint128 x = Uint128{1} << ((bits + 1) / 2);  // >= sqrt(value)
  while (true) {
    const Uint128 y = (x + value / x) / 2;
    if (y >= x) return static_cast<uint64_t>(x);
    x = y;
  }
}

}  // namespace

AmountStatsTable::AmountStatsTable(size_t max_keys, int64_t min_samples)
    : keys_(max_keys), min_samples_(min_samples) {
  QB_ASSERT(max_keys >= 1 && max_keys <= kMaxKeys);
  QB_ASSERT(min_samples >= 2 && min_samples <= kMaxSamples);
}

void AmountStatsTable::Record(uint64_t key, int64_t amount_fen) {
  QB_ASSERT(amount_fen >= 0 && amount_fen <= kMaxAmountFen);
  bool created = false;
  KeyStats& stats = keys_.Touch(key, &created);
  if (stats.samples == kMaxSamples) {
    // Forget one sample of average weight: the mean stays, and m2 shrinks so that the sample
    // variance m2 / (samples - 1) stays the same (up to rounding down).
    stats.m2 -= stats.m2 / (stats.samples - 1);
    --stats.samples;
  }
  const int64_t x = amount_fen * kMilli;
  ++stats.samples;
  const int64_t delta = x - stats.mean_milli_fen;
  stats.mean_milli_fen += delta / stats.samples;
  stats.m2 += static_cast<Int128>(delta) * (x - stats.mean_milli_fen);
  QB_ASSERT(stats.m2 >= 0);
}

int64_t AmountStatsTable::StddevMilliFen(const KeyStats& stats) {
  if (stats.samples < 2) return 0;
  const Int128 variance = stats.m2 / (stats.samples - 1);
  return static_cast<int64_t>(IntegerSquareRoot(static_cast<Uint128>(variance)));
}

std::optional<int64_t> AmountStatsTable::ZScoreMilli(uint64_t key, int64_t amount_fen) const {
  QB_ASSERT(amount_fen >= 0 && amount_fen <= kMaxAmountFen);
  const KeyStats* stats = keys_.Find(key);
  if (stats == nullptr || stats->samples < min_samples_) return std::nullopt;
  const int64_t stddev = std::max(StddevMilliFen(*stats), kMilli);
  // |x - mean| <= 10^15 milli-fen, so the product stays below 10^18 < 2^63.
  return (amount_fen * kMilli - stats->mean_milli_fen) * kMilli / stddev;
}

AmountSummary AmountStatsTable::Summary(uint64_t key) const {
  const KeyStats* stats = keys_.Find(key);
  if (stats == nullptr) return {};
  return {stats->samples, stats->mean_milli_fen, StddevMilliFen(*stats)};
}

void AmountStatsTable::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U32(kMagic);
  writer.U64(keys_.capacity());
  writer.U32(static_cast<uint32_t>(min_samples_));
  writer.U64(keys_.size());
  keys_.ForEachOldestFirst([&](uint64_t key, const KeyStats& stats) {
    writer.U64(key);
    writer.I64(stats.samples);
    writer.I64(stats.mean_milli_fen);
    const auto m2 = static_cast<Uint128>(stats.m2);
    writer.U64(static_cast<uint64_t>(m2));
    writer.U64(static_cast<uint64_t>(m2 >> 64));
  });
}

Status AmountStatsTable::Deserialize(std::string_view bytes, AmountStatsTable* out) {
  ByteReader reader(bytes);
  if (reader.U32() != kMagic) return Status::Corruption("amount stats: bad magic");
  const uint64_t capacity = reader.U64();
  const int64_t min_samples = reader.U32();
  const uint64_t count = reader.U64();
  if (!reader.ok() || capacity < 1 || capacity > kMaxKeys || count > capacity || min_samples < 2 ||
      min_samples > kMaxSamples) {
    return Status::Corruption("amount stats: bad header");
  }
  if (reader.remaining() != count * 40) {
    return Status::Corruption("amount stats: size does not match the key count");
  }
  AmountStatsTable table(capacity, min_samples);
  absl::flat_hash_set<uint64_t> seen;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t key = reader.U64();
    KeyStats stats;
    stats.samples = reader.I64();
    stats.mean_milli_fen = reader.I64();
    const uint64_t low = reader.U64();
    const uint64_t high = reader.U64();
    stats.m2 = static_cast<Int128>((static_cast<Uint128>(high) << 64) | low);
    if (!seen.insert(key).second || stats.samples < 1 || stats.samples > kMaxSamples ||
        stats.mean_milli_fen < 0 || stats.mean_milli_fen > kMaxAmountFen * kMilli || stats.m2 < 0 ||
        stats.m2 > kMaxM2) {
      return Status::Corruption("amount stats: bad key record");
    }
    bool created = false;
    table.keys_.Touch(key, &created) = stats;
  }
  QB_ASSERT(reader.ok() && reader.remaining() == 0);
  *out = std::move(table);
  return Status::Ok();
}

Digest AmountStatsTable::StateHash() const {
  std::string bytes;
  Serialize(&bytes);
  return HashBytes(bytes);
}

}  // namespace qb::risk
