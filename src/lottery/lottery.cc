#include "lottery/lottery.h"

namespace qb::lottery {
namespace {

Error Bad(std::string field) { return Error{"LOTTERY_INVALID", std::move(field)}; }

int32_t I32(ByteReader* reader) { return static_cast<int32_t>(reader->U32()); }

}  // namespace

Error Validate(const Config& config) {
  if (config.start_s < 0 || config.start_s >= config.end_s || config.end_s > kMaxTimeS) {
    return Bad("window");
  }
  if (config.prizes.size() > kMaxPrizes) return Bad("prizes");
  int64_t total = 0;
  for (size_t i = 0; i < config.prizes.size(); ++i) {
    const Prize& prize = config.prizes[i];
    const std::string at = "prizes[" + std::to_string(i) + "].";
    if (prize.name.empty() || prize.name.size() > kMaxNameBytes) return Bad(at + "name");
    for (size_t j = 0; j < i; ++j) {
      if (config.prizes[j].name == prize.name) return Bad(at + "name");
    }
    if (prize.kind != PrizeKind::kCash && prize.kind != PrizeKind::kPoints) return Bad(at + "kind");
    const int64_t max = prize.kind == PrizeKind::kCash ? kMaxCashPrizeFen : kMaxPointsPrize;
    if (prize.amount < 1 || prize.amount > max) return Bad(at + "amount");
    if (prize.inventory < 1 || prize.inventory > kMaxInventory) return Bad(at + "inventory");
    if (prize.chance_bps < 1 || prize.chance_bps > kChanceDenominator) {
      return Bad(at + "chance_bps");
    }
    total += prize.chance_bps;
  }
  if (total > kChanceDenominator) return Bad("prizes");
  if (config.payment_min_fen < 0 || config.payment_min_fen > kMaxPaymentFen) {
    return Bad("payment_min_fen");
  }
  if (config.payment_draws_daily < 0 || config.payment_draws_daily > kMaxDailyDraws ||
      (config.payment_min_fen == 0) != (config.payment_draws_daily == 0)) {
    return Bad("payment_draws_daily");
  }
  if (config.referral_draws < 0 || config.referral_draws > kMaxDailyDraws) {
    return Bad("referral_draws");
  }
  if (config.daily_draw_limit < 1 || config.daily_draw_limit > kMaxDailyDraws) {
    return Bad("daily_draw_limit");
  }
  if (config.budget_fen < 0 || config.budget_fen > kMaxBudgetFen) return Bad("budget_fen");
  return Error{};
}

int PickPrize(const Config& config, uint64_t seed) {
  const auto number = static_cast<int32_t>(seed % kChanceDenominator);
  int32_t cumulative = 0;
  for (size_t i = 0; i < config.prizes.size(); ++i) {
    cumulative += config.prizes[i].chance_bps;
    if (number < cumulative) return static_cast<int>(i);
  }
  return -1;
}

std::string_view PrizeKindName(PrizeKind kind) {
  return kind == PrizeKind::kCash ? "cash" : "points";
}

void EncodeConfig(const Config& config, ByteWriter* writer) {
  writer->U8(config.enabled ? 1 : 0);
  writer->I64(config.start_s);
  writer->I64(config.end_s);
  writer->U32(static_cast<uint32_t>(config.prizes.size()));
  for (const Prize& prize : config.prizes) {
    writer->LengthPrefixed(prize.name);
    writer->U8(static_cast<uint8_t>(prize.kind));
    writer->I64(prize.amount);
    writer->I64(prize.inventory);
    writer->U32(static_cast<uint32_t>(prize.chance_bps));
  }
  writer->I64(config.payment_min_fen);
  writer->U32(static_cast<uint32_t>(config.payment_draws_daily));
  writer->U8(config.sign_in_draw ? 1 : 0);
  writer->U32(static_cast<uint32_t>(config.referral_draws));
  writer->U32(static_cast<uint32_t>(config.daily_draw_limit));
  writer->I64(config.budget_fen);
}

bool DecodeConfig(ByteReader* reader, Config* config) {
  *config = Config();
  const uint8_t enabled = reader->U8();
  config->enabled = enabled == 1;
  config->start_s = reader->I64();
  config->end_s = reader->I64();
  const uint32_t count = reader->U32();
  if (!reader->ok() || count > kMaxPrizes || enabled > 1) return false;
  for (uint32_t i = 0; i < count; ++i) {
    Prize prize;
    const std::string_view name = reader->LengthPrefixed();
    if (name.size() > kMaxNameBytes) return false;
    prize.name = std::string(name);
    prize.kind = static_cast<PrizeKind>(reader->U8());
    prize.amount = reader->I64();
    prize.inventory = reader->I64();
    prize.chance_bps = I32(reader);
    config->prizes.push_back(std::move(prize));
  }
  config->payment_min_fen = reader->I64();
  config->payment_draws_daily = I32(reader);
  const uint8_t sign_in = reader->U8();
  config->sign_in_draw = sign_in == 1;
  config->referral_draws = I32(reader);
  config->daily_draw_limit = I32(reader);
  config->budget_fen = reader->I64();
  return reader->ok() && sign_in <= 1;
}

}  // namespace qb::lottery
