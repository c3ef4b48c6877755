#include "lottery/lottery_book.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"

namespace qb::lottery {
namespace {

constexpr int64_t kChinaOffsetSeconds = 8 * 3'600;
constexpr int64_t kSecondsPerDay = 86'400;

int64_t ChinaDay(int64_t unix_s) { return (unix_s + kChinaOffsetSeconds) / kSecondsPerDay; }

Error Refused(std::string_view code) { return Error{code, ""}; }

template <typename Map>
std::vector<typename Map::const_pointer> Sorted(const Map& map) {
  std::vector<typename Map::const_pointer> out;
  for (const auto& entry : map) out.push_back(&entry);
  std::sort(out.begin(), out.end(), [](auto a, auto b) { return a->first < b->first; });
  return out;
}

}  // namespace

Error LotteryBook::SetConfig(const Config& config, int64_t now_s) {
  if (Error e = Validate(config); !e.ok()) return e;
  if (config.budget_fen < spent_fen_) return Error{"LOTTERY_INVALID", "budget_fen"};
  config_ = config;
  ++version_;
  updated_s_ = now_s;
  return Error{};
}

Chances& LotteryBook::Rolled(uint64_t customer_id, int64_t now_s) {
  Chances& chances = chances_[customer_id];
  const int64_t day = ChinaDay(now_s);
  if (chances.day != day) {
    chances.day = day;
    chances.used_today = 0;
    chances.paid_today = 0;
    chances.signed_in_today = false;
  }
  return chances;
}

Chances LotteryBook::ChancesOf(uint64_t customer_id, int64_t now_s) const {
  const auto it = chances_.find(customer_id);
  if (it == chances_.end()) return Chances{.day = ChinaDay(now_s)};
  Chances chances = it->second;
  if (chances.day != ChinaDay(now_s)) {
    chances.day = ChinaDay(now_s);
    chances.used_today = 0;
    chances.paid_today = 0;
    chances.signed_in_today = false;
  }
  return chances;
}

bool LotteryBook::EarnByPayment(uint64_t customer_id, int64_t amount_fen, int64_t now_s) {
  if (!Active(now_s) || config_.payment_min_fen == 0 || amount_fen < config_.payment_min_fen) {
    return false;
  }
  Chances& chances = Rolled(customer_id, now_s);
  if (chances.paid_today >= config_.payment_draws_daily) return false;
  ++chances.paid_today;
  ++chances.earned;
  return true;
}

void LotteryBook::EarnByReferral(uint64_t customer_id, int64_t now_s) {
  if (!Active(now_s) || config_.referral_draws == 0) return;
  Rolled(customer_id, now_s).earned += config_.referral_draws;
}

Error LotteryBook::SignIn(uint64_t customer_id, int64_t now_s) {
  if (!Active(now_s) || !config_.sign_in_draw) return Refused("LOTTERY_OFF");
  Chances& chances = Rolled(customer_id, now_s);
  if (chances.signed_in_today) return Refused("LOTTERY_SIGNED_IN");
  chances.signed_in_today = true;
  ++chances.earned;
  return Error{};
}

Error LotteryBook::CanDraw(uint64_t customer_id, int64_t now_s) const {
  if (!Active(now_s)) return Refused("LOTTERY_OFF");
  const Chances chances = ChancesOf(customer_id, now_s);
  if (chances.available() <= 0) return Refused("LOTTERY_NO_DRAWS");
  if (chances.used_today >= config_.daily_draw_limit) return Refused("LOTTERY_DAILY_LIMIT");
  return Error{};
}

int64_t LotteryBook::Remaining(size_t prize) const {
  const Prize& p = config_.prizes.at(prize);
  const auto it = awarded_.find(p.name);
  return p.inventory - (it == awarded_.end() ? 0 : it->second);
}

int LotteryBook::Pick(uint64_t seed) const {
  const int index = PickPrize(config_, seed);
  if (index < 0) return -1;
  const Prize& prize = config_.prizes[static_cast<size_t>(index)];
  if (Remaining(static_cast<size_t>(index)) <= 0) return -1;
  if (prize.kind == PrizeKind::kCash && prize.amount > config_.budget_fen - spent_fen_) return -1;
  return index;
}

void LotteryBook::Record(const Draw& draw) {
  QB_ASSERT(CanDraw(draw.customer_id, draw.time_s).ok() && !by_id_.contains(draw.id));
  Chances& chances = Rolled(draw.customer_id, draw.time_s);
  ++chances.used;
  ++chances.used_today;
  if (draw.won()) {
    ++awarded_[draw.prize_name];
    if (draw.kind == PrizeKind::kCash) spent_fen_ += draw.amount;
    QB_ASSERT(spent_fen_ <= config_.budget_fen);
  }
  const auto index = static_cast<uint32_t>(draws_.size());
  draws_.push_back(draw);
  by_id_[draw.id] = index;
  by_customer_[draw.customer_id].push_back(index);
}

const Draw* LotteryBook::FindDraw(uint64_t draw_id) const {
  const auto it = by_id_.find(draw_id);
  return it == by_id_.end() ? nullptr : &draws_[it->second];
}

std::vector<const Draw*> LotteryBook::DrawsOf(uint64_t customer_id, size_t limit) const {
  std::vector<const Draw*> out;
  const auto it = by_customer_.find(customer_id);
  if (it == by_customer_.end()) return out;
  for (size_t i = it->second.size(); i-- > 0 && out.size() < limit;) {
    out.push_back(&draws_[it->second[i]]);
  }
  return out;
}

// version:u64 updated_s:i64 config spent:i64; count:u64 (name:str awarded:i64) by name;
// count:u64 (customer:u64 earned:i64 used:i64 day:i64 used_today:u32 paid_today:u32
// signed_in:u8) by customer; count:u64 (id:u64 customer:u64 time:i64 prize:u32 name:str
// kind:u8 amount:i64) in the order drawn.
void LotteryBook::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U64(version_);
  writer.I64(updated_s_);
  EncodeConfig(config_, &writer);
  writer.I64(spent_fen_);
  const auto awarded = Sorted(awarded_);
  writer.U64(awarded.size());
  for (const auto* entry : awarded) {
    writer.LengthPrefixed(entry->first);
    writer.I64(entry->second);
  }
  const auto chances = Sorted(chances_);
  writer.U64(chances.size());
  for (const auto* entry : chances) {
    const Chances& c = entry->second;
    writer.U64(entry->first);
    writer.I64(c.earned);
    writer.I64(c.used);
    writer.I64(c.day);
    writer.U32(static_cast<uint32_t>(c.used_today));
    writer.U32(static_cast<uint32_t>(c.paid_today));
    writer.U8(c.signed_in_today ? 1 : 0);
  }
  writer.U64(draws_.size());
  for (const Draw& d : draws_) {
    writer.U64(d.id);
    writer.U64(d.customer_id);
    writer.I64(d.time_s);
    writer.U32(static_cast<uint32_t>(d.prize));
    writer.LengthPrefixed(d.prize_name);
    writer.U8(static_cast<uint8_t>(d.kind));
    writer.I64(d.amount);
  }
}

bool LotteryBook::Deserialize(std::string_view bytes) {
  *this = LotteryBook();
  ByteReader reader(bytes);
  version_ = reader.U64();
  updated_s_ = reader.I64();
  if (!DecodeConfig(&reader, &config_) || version_ == 0 || !Validate(config_).ok()) return false;
  spent_fen_ = reader.I64();
  uint64_t count = reader.U64();
  if (!reader.ok() || spent_fen_ < 0 || count > reader.remaining() / 12) return false;
  for (uint64_t i = 0; i < count; ++i) {
    std::string name(reader.LengthPrefixed());
    const int64_t awarded = reader.I64();
    if (!reader.ok() || awarded < 0 || !awarded_.emplace(std::move(name), awarded).second) {
      return false;
    }
  }
  count = reader.U64();
  if (!reader.ok() || count > reader.remaining() / 41) return false;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t customer = reader.U64();
    Chances c;
    c.earned = reader.I64();
    c.used = reader.I64();
    c.day = reader.I64();
    c.used_today = static_cast<int32_t>(reader.U32());
    c.paid_today = static_cast<int32_t>(reader.U32());
    const uint8_t signed_in = reader.U8();
    c.signed_in_today = signed_in == 1;
    if (!reader.ok() || signed_in > 1 || c.used < 0 || c.used > c.earned ||
        !chances_.emplace(customer, c).second) {
      return false;
    }
  }
  count = reader.U64();
  if (!reader.ok() || count > reader.remaining() / 37) return false;
  draws_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    Draw d;
    d.id = reader.U64();
    d.customer_id = reader.U64();
    d.time_s = reader.I64();
    d.prize = static_cast<int32_t>(reader.U32());
    d.prize_name = std::string(reader.LengthPrefixed());
    const uint8_t kind = reader.U8();
    d.kind = static_cast<PrizeKind>(kind);
    d.amount = reader.I64();
    if (!reader.ok() || d.prize < -1 || kind < 1 || kind > 2 || by_id_.contains(d.id)) {
      return false;
    }
    const auto index = static_cast<uint32_t>(draws_.size());
    draws_.push_back(std::move(d));
    by_id_[draws_.back().id] = index;
    by_customer_[draws_.back().customer_id].push_back(index);
  }
  return reader.ok() && reader.remaining() == 0;
}

}  // namespace qb::lottery
