#include "points/program.h"

#include <algorithm>

namespace qb::points {
namespace {

constexpr int64_t kChinaOffsetSeconds = 8 * 3'600;
constexpr int64_t kSecondsPerDay = 86'400;
// Bits 0..14 hold every segment marketing::Segment defines; the engine checks names at the API.
constexpr size_t kMaxSegmentBit = 63;

Error Bad(std::string field) { return Error{"POINTS_INVALID_PROGRAM", std::move(field)}; }

int32_t I32(ByteReader* reader) { return static_cast<int32_t>(reader->U32()); }

}  // namespace

void Normalize(Program* program) {
  for (MultiplierRule& rule : program->multipliers) {
    std::sort(rule.categories.begin(), rule.categories.end());
    rule.categories.erase(std::unique(rule.categories.begin(), rule.categories.end()),
                          rule.categories.end());
  }
}

Error Validate(const Program& program) {
  if (program.earn_per_yuan < 0 || program.earn_per_yuan > kMaxEarnPerYuan) {
    return Bad("earn_per_yuan");
  }
  if (program.redeem_points_per_yuan < 0 ||
      program.redeem_points_per_yuan > kMaxRedeemPointsPerYuan) {
    return Bad("redeem_points_per_yuan");
  }
  if (program.redeem_max_bps < 0 || program.redeem_max_bps > kBpsDenominator) {
    return Bad("redeem_max_bps");
  }
  if (program.multipliers.size() > kMaxMultiplierRules) return Bad("multipliers");
  for (size_t i = 0; i < program.multipliers.size(); i++) {
    const MultiplierRule& rule = program.multipliers[i];
    std::string at = "multipliers[";
    at.append(std::to_string(i)).append("].");
    if (rule.name.empty() || rule.name.size() > kMaxRuleNameBytes) return Bad(at + "name");
    if (rule.multiplier < kMinMultiplier || rule.multiplier > kMaxMultiplier) {
      return Bad(at + "multiplier");
    }
    if (rule.categories.size() > kMaxRuleCategories ||
        !std::is_sorted(rule.categories.begin(), rule.categories.end()) ||
        std::adjacent_find(rule.categories.begin(), rule.categories.end()) !=
            rule.categories.end()) {
      return Bad(at + "categories");
    }
    if (rule.weekday_mask == 0 || (rule.weekday_mask & ~kAllWeekdaysMask) != 0) {
      return Bad(at + "weekday_mask");
    }
    if ((rule.segment_mask >> kMaxSegmentBit) != 0) return Bad(at + "segment_mask");
    if (rule.window_start_s < 0 || rule.window_start_s >= rule.window_end_s ||
        rule.window_end_s > kMaxTimeS) {
      return Bad(at + "window");
    }
  }
  return Error{};
}

int32_t ChinaWeekday(int64_t unix_s) {
  // 1970-01-01 (day 0) was a Thursday: weekday 3.
  return static_cast<int32_t>(((unix_s + kChinaOffsetSeconds) / kSecondsPerDay + 3) % 7);
}

int32_t BestMultiplier(const Program& program, const PaymentFacts& facts) {
  int32_t best = 1;
  if (program.multipliers.empty()) return best;
  const uint8_t weekday_bit = static_cast<uint8_t>(1u << ChinaWeekday(facts.time_s));
  for (const MultiplierRule& rule : program.multipliers) {
    if (rule.multiplier <= best) continue;
    if (facts.time_s < rule.window_start_s || facts.time_s >= rule.window_end_s) continue;
    if ((rule.weekday_mask & weekday_bit) == 0) continue;
    if (rule.segment_mask != 0 && (rule.segment_mask & facts.segment_bits) == 0) continue;
    if (!rule.categories.empty() &&
        !std::binary_search(rule.categories.begin(), rule.categories.end(),
                            facts.merchant_category)) {
      continue;
    }
    best = rule.multiplier;
  }
  return best;
}

int64_t PointsEarned(const Program& program, int64_t paid_fen, const PaymentFacts& facts) {
  if (!program.enabled || program.earn_per_yuan == 0 || paid_fen < 100) return 0;
  // At most 1e10 yuan × 100 × 10: far below int64.
  return paid_fen / 100 * program.earn_per_yuan * BestMultiplier(program, facts);
}

int64_t MaxDiscountFen(const Program& program, int64_t amount_fen) {
  if (!program.enabled || program.redeem_points_per_yuan == 0 || amount_fen < 2) return 0;
  const int64_t share = amount_fen * program.redeem_max_bps / kBpsDenominator;
  return std::min(share, amount_fen - 1);
}

Redemption Redeem(const Program& program, int64_t points, int64_t amount_fen) {
  Redemption r;
  const int64_t max_fen = MaxDiscountFen(program, amount_fen);
  if (max_fen == 0 || points <= 0) return r;
  const int64_t rate = program.redeem_points_per_yuan;
  // Worth of `points`: floor(points × 100 / rate), compared in 128 bits: for any points.
  const __int128 worth = static_cast<__int128>(points) * 100 / rate;
  r.discount_fen = worth < max_fen ? static_cast<int64_t>(worth) : max_fen;
  if (r.discount_fen == 0) return r;
  // The fewest points worth discount_fen: ceil(discount × rate / 100) (<= points).
  r.points = (r.discount_fen * rate + 99) / 100;
  return r;
}

void EncodeProgram(const Program& program, ByteWriter* writer) {
  writer->U8(program.enabled ? 1 : 0);
  writer->U32(static_cast<uint32_t>(program.earn_per_yuan));
  writer->U32(static_cast<uint32_t>(program.redeem_points_per_yuan));
  writer->U32(static_cast<uint32_t>(program.redeem_max_bps));
  writer->U32(static_cast<uint32_t>(program.multipliers.size()));
  for (const MultiplierRule& rule : program.multipliers) {
    writer->LengthPrefixed(rule.name);
    writer->U32(static_cast<uint32_t>(rule.multiplier));
    writer->U32(static_cast<uint32_t>(rule.categories.size()));
    for (uint32_t category : rule.categories) writer->U32(category);
    writer->U8(rule.weekday_mask);
    writer->U64(rule.segment_mask);
    writer->I64(rule.window_start_s);
    writer->I64(rule.window_end_s);
  }
}

bool DecodeProgram(ByteReader* reader, Program* program) {
  *program = Program();
  const uint8_t enabled = reader->U8();
  if (enabled > 1) return false;
  program->enabled = enabled == 1;
  program->earn_per_yuan = I32(reader);
  program->redeem_points_per_yuan = I32(reader);
  program->redeem_max_bps = I32(reader);
  const uint32_t count = reader->U32();
  if (!reader->ok() || count > kMaxMultiplierRules) return false;
  program->multipliers.resize(count);
  for (MultiplierRule& rule : program->multipliers) {
    rule.name = std::string(reader->LengthPrefixed());
    rule.multiplier = I32(reader);
    const uint32_t categories = reader->U32();
    if (!reader->ok() || categories > kMaxRuleCategories) return false;
    rule.categories.resize(categories);
    for (uint32_t& category : rule.categories) category = reader->U32();
    rule.weekday_mask = reader->U8();
    rule.segment_mask = reader->U64();
    rule.window_start_s = reader->I64();
    rule.window_end_s = reader->I64();
    if (!reader->ok()) return false;
  }
  return reader->ok();
}

}  // namespace qb::points
