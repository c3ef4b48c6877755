#include "redpacket/redpacket.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"

namespace qb::redpacket {
namespace {

Error Bad(std::string field) { return Error{"REDPACKET_INVALID", std::move(field)}; }

int32_t I32(ByteReader* reader) { return static_cast<int32_t>(reader->U32()); }

// SplitMix64: a small, well-mixed generator; the split needs reproducibility from the seed, not
// secrecy (the seed's secrecy is the engine's: a CSPRNG nonce in the journal).
class SplitMix {
 public:
  explicit SplitMix(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi]; the modulo bias is below 2^-40 for these ranges.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }

 private:
  uint64_t state_;
};

}  // namespace

Error Validate(const Config& config) {
  if (config.start_s < 0 || config.start_s >= config.end_s || config.end_s > kMaxTimeS) {
    return Bad("window");
  }
  if (config.payment_min_fen < 1 || config.payment_min_fen > kMaxPaymentFen) {
    return Bad("payment_min_fen");
  }
  if (config.packets_daily < 1 || config.packets_daily > kMaxDaily) return Bad("packets_daily");
  if (config.shares < 2 || config.shares > kMaxShares) return Bad("shares");
  if (config.packet_fen < config.shares || config.packet_fen > kMaxPacketFen) {
    return Bad("packet_fen");
  }
  if (config.valid_hours < 1 || config.valid_hours > kMaxValidHours) return Bad("valid_hours");
  if (config.claims_daily < 1 || config.claims_daily > kMaxDaily) return Bad("claims_daily");
  if (config.budget_fen < 0 || config.budget_fen > kMaxBudgetFen) return Bad("budget_fen");
  return Error{};
}

int64_t MaxShare(int64_t amount_fen, int32_t shares) { return 2 * amount_fen / shares; }

std::vector<int64_t> Split(int64_t amount_fen, int32_t shares, uint64_t seed) {
  QB_ASSERT(shares >= 1 && amount_fen >= shares && amount_fen <= kMaxPacketFen);
  const int64_t max = shares == 1 ? amount_fen : MaxShare(amount_fen, shares);
  SplitMix random(seed);
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(shares));
  int64_t left = amount_fen;
  for (int32_t i = 0; i < shares; ++i) {
    const int64_t after = shares - i - 1;  // shares still to draw after this one
    // Leave the rest at least 1 fen each and at most `max` each.
    const int64_t lo = std::max<int64_t>(1, left - after * max);
    const int64_t hi = std::min<int64_t>(max, left - after);
    QB_ASSERT(lo <= hi);
    const int64_t share = random.Between(lo, hi);
    out.push_back(share);
    left -= share;
  }
  QB_ASSERT(left == 0);
  // Drawn in order, the last shares are the most constrained: shuffle so no claim position is.
  for (size_t i = out.size(); i > 1; --i) {
    std::swap(out[i - 1], out[static_cast<size_t>(random.Next() % i)]);
  }
  return out;
}

void EncodeConfig(const Config& config, ByteWriter* writer) {
  writer->U8(config.enabled ? 1 : 0);
  writer->I64(config.start_s);
  writer->I64(config.end_s);
  writer->I64(config.payment_min_fen);
  writer->U32(static_cast<uint32_t>(config.packets_daily));
  writer->I64(config.packet_fen);
  writer->U32(static_cast<uint32_t>(config.shares));
  writer->U32(static_cast<uint32_t>(config.valid_hours));
  writer->U32(static_cast<uint32_t>(config.claims_daily));
  writer->I64(config.budget_fen);
}

bool DecodeConfig(ByteReader* reader, Config* config) {
  *config = Config();
  const uint8_t enabled = reader->U8();
  config->enabled = enabled == 1;
  config->start_s = reader->I64();
  config->end_s = reader->I64();
  config->payment_min_fen = reader->I64();
  config->packets_daily = I32(reader);
  config->packet_fen = reader->I64();
  config->shares = I32(reader);
  config->valid_hours = I32(reader);
  config->claims_daily = I32(reader);
  config->budget_fen = reader->I64();
  return reader->ok() && enabled <= 1;
}

}  // namespace qb::redpacket
