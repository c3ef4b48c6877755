// The CampaignBook checkpoint format. All integers little-endian (base/bytes.h); i32 fields are
// written as their u32 bit pattern; str := u32 length, bytes. Hash-table contents are written
// sorted by key, so equal books give equal bytes.
//
//   book        := u32 magic "QBMK", u32 version (4), i64 last_commit_time_s,
//                  u64 n, campaign{n}, coupons, usage (usage.cc), u64 m, payment{m},
//                  [lists] (version 4 on)
//   campaign    := u64 id, str name, u8 type, u8 status, rule, eligibility, caps,
//                  u32 exclusive_group, i32 priority, [targeting] (version 3 on), spend
//   rule        := u8 shape, i64 fixed_fen, i32 percent_bps, i64 percent_cap_fen,
//                  i64 random_lo_fen, i64 random_hi_fen, i64 threshold_fen, i64 save_fen,
//                  u8 first_order_scope, i64 hold_seconds
//   eligibility := i64 window_start_s, i64 window_end_s, u32 hours_mask, u8 channel_mask,
//                  u32 k, u64 merchant_id{k}, u32 k, u32 category{k}, u32 k, u32 region{k},
//                  u64 segment_mask, i64 min_amount_fen, i32 holdout_percent
//   targeting   := i32 age_min, i32 age_max, i32 inactive_days,
//                  [u32 customer_list] (version 4 on)
//   caps        := i64 budget_total_fen, budget_daily_fen, customer_count_daily,
//                  customer_count_lifetime, customer_amount_daily_fen,
//                  customer_amount_lifetime_fen, device_count_lifetime, identity_count_lifetime
//   spend       := i64 spent_total_fen, i64 day, i64 spent_day_fen,
//                  [i64 rewarded_payments, i64 rewarded_gmv_fen]   (version 2 on)
//   coupons     := u64 t, template{t}, u64 c, coupon{c}, u64 k, claim{k}
//   template    := u64 id, u64 campaign_id, str name, u8 kind, i64 threshold_fen, i64 save_fen,
//                  i32 discount_bps, i64 discount_cap_fen, i64 stock, u8 validity,
//                  i64 valid_from_s, i64 valid_until_s, i64 valid_days, i64 claim_start_s,
//                  i64 claim_end_s, i32 per_customer_limit, u8 issue_counts_toward_limit,
//                  i64 issued
//   coupon      := u64 id, u64 template_id, u64 customer_id, i64 valid_from_s,
//                  i64 valid_until_s, u64 redeemed_by_payment, u8 state
//   claim       := u64 template_id, u64 customer_id, i64 count          (sorted by key)
//   payment     := u64 payment_id, u64 customer_id, u64 device_hash, u64 identity_hash, i64 day,
//                  i64 paid_fen, i64 refunded_fen, u32 r, applied{r}  (sorted by payment_id)
//   applied     := u64 campaign_id, u64 coupon_id, u8 kind, i64 amount_fen, i64 release_at_s,
//                  i64 reversed_fen, u8 counted
//   lists       := u32 next_serial, u32 l, list{l}, u64 k, member{k}
//   list        := u32 id, str name, u64 created_by, i64 created_s, i64 updated_s,
//                  i64 members                                           (ascending id)
//   member      := u64 customer_id, u64 bits          (ascending customer id, bits never 0)
//
// Decoding re-validates every configuration and cross-reference, so a corrupt checkpoint is
// refused instead of loaded into the engine.
#include <algorithm>
#include <utility>

#include "marketing/campaign_book.h"
#include "marketing/config_codec.h"

namespace qb::marketing {
namespace {

constexpr uint32_t kMagic = 0x4B4D4251;  // "QBMK"
constexpr uint32_t kVersion = 4;
// Version 1 books (before the reporting figures) load with those figures at 0; version 1 and 2
// books (before age bands and win-back) with no such targeting; versions 1 to 3 (before custom
// lists) with no list.
constexpr uint32_t kVersionWithoutFigures = 1;
constexpr uint32_t kVersionWithoutTargeting = 2;
constexpr uint32_t kVersionWithoutLists = 3;
constexpr size_t kMinCampaignBytes = 225;  // with an empty name and lists
constexpr size_t kTemplateBytes = 112;     // with an empty name; names are never empty
constexpr size_t kCouponBytes = 49;
constexpr size_t kClaimBytes = 24;
constexpr size_t kPaymentBytes = 60;
constexpr size_t kAppliedBytes = 42;

void WriteI32(ByteWriter* writer, int32_t value) { writer->U32(static_cast<uint32_t>(value)); }
int32_t ReadI32(ByteReader* reader) { return static_cast<int32_t>(reader->U32()); }

void WriteRule(const RewardRule& rule, ByteWriter* writer) {
  writer->U8(static_cast<uint8_t>(rule.shape));
  writer->I64(rule.fixed_fen);
  WriteI32(writer, rule.percent_bps);
  writer->I64(rule.percent_cap_fen);
  writer->I64(rule.random_lo_fen);
  writer->I64(rule.random_hi_fen);
  writer->I64(rule.threshold_fen);
  writer->I64(rule.save_fen);
  writer->U8(static_cast<uint8_t>(rule.first_order_scope));
  writer->I64(rule.hold_seconds);
}

void ReadRule(ByteReader* reader, RewardRule* rule) {
  rule->shape = static_cast<AmountShape>(reader->U8());
  rule->fixed_fen = reader->I64();
  rule->percent_bps = ReadI32(reader);
  rule->percent_cap_fen = reader->I64();
  rule->random_lo_fen = reader->I64();
  rule->random_hi_fen = reader->I64();
  rule->threshold_fen = reader->I64();
  rule->save_fen = reader->I64();
  rule->first_order_scope = static_cast<FirstOrderScope>(reader->U8());
  rule->hold_seconds = reader->I64();
}

template <typename T>
void WriteList(const std::vector<T>& values, ByteWriter* writer) {
  writer->U32(static_cast<uint32_t>(values.size()));
  for (const T value : values) {
    if constexpr (sizeof(T) == 8) {
      writer->U64(value);
    } else {
      writer->U32(value);
    }
  }
}

template <typename T>
bool ReadList(ByteReader* reader, std::vector<T>* values) {
  const uint32_t count = reader->U32();
  if (!reader->ok() || count > kMaxTargetListSize || count > reader->remaining() / sizeof(T)) {
    return false;
  }
  values->resize(count);
  for (T& value : *values) {
    if constexpr (sizeof(T) == 8) {
      value = reader->U64();
    } else {
      value = reader->U32();
    }
  }
  return reader->ok();
}

void WriteEligibility(const Eligibility& e, ByteWriter* writer) {
  writer->I64(e.window_start_s);
  writer->I64(e.window_end_s);
  writer->U32(e.hours_mask);
  writer->U8(e.channel_mask);
  WriteList(e.merchant_ids, writer);
  WriteList(e.categories, writer);
  WriteList(e.regions, writer);
  writer->U64(e.segment_mask);
  writer->I64(e.min_amount_fen);
  WriteI32(writer, e.holdout_percent);
}

bool ReadEligibility(ByteReader* reader, Eligibility* e) {
  e->window_start_s = reader->I64();
  e->window_end_s = reader->I64();
  e->hours_mask = reader->U32();
  e->channel_mask = reader->U8();
  if (!ReadList(reader, &e->merchant_ids) || !ReadList(reader, &e->categories) ||
      !ReadList(reader, &e->regions)) {
    return false;
  }
  e->segment_mask = reader->U64();
  e->min_amount_fen = reader->I64();
  e->holdout_percent = ReadI32(reader);
  return reader->ok();
}

void WriteTargeting(const Eligibility& e, ByteWriter* writer) {
  WriteI32(writer, e.age_min);
  WriteI32(writer, e.age_max);
  WriteI32(writer, e.inactive_days);
}

void ReadTargeting(ByteReader* reader, Eligibility* e) {
  e->age_min = ReadI32(reader);
  e->age_max = ReadI32(reader);
  e->inactive_days = ReadI32(reader);
}

bool HasTargeting(const Eligibility& e) {
  return e.age_min != 0 || e.age_max != 0 || e.inactive_days != 0;
}

void WriteCaps(const Caps& caps, ByteWriter* writer) {
  for (const int64_t value : {caps.budget_total_fen, caps.budget_daily_fen,
                              caps.customer_count_daily, caps.customer_count_lifetime,
                              caps.customer_amount_daily_fen, caps.customer_amount_lifetime_fen,
                              caps.device_count_lifetime, caps.identity_count_lifetime}) {
    writer->I64(value);
  }
}

void ReadCaps(ByteReader* reader, Caps* caps) {
  for (int64_t* field : {&caps->budget_total_fen, &caps->budget_daily_fen,
                         &caps->customer_count_daily, &caps->customer_count_lifetime,
                         &caps->customer_amount_daily_fen, &caps->customer_amount_lifetime_fen,
                         &caps->device_count_lifetime, &caps->identity_count_lifetime}) {
    *field = reader->I64();
  }
}

void WriteCampaign(const CampaignState& state, ByteWriter* writer) {
  const Campaign& c = state.campaign;
  writer->U64(c.id);
  writer->LengthPrefixed(c.name);
  writer->U8(static_cast<uint8_t>(c.type));
  writer->U8(static_cast<uint8_t>(c.status));
  WriteRule(c.rule, writer);
  WriteEligibility(c.eligibility, writer);
  WriteCaps(c.caps, writer);
  writer->U32(c.exclusive_group);
  WriteI32(writer, c.priority);
  WriteTargeting(c.eligibility, writer);
  writer->U32(c.eligibility.customer_list);
  writer->I64(state.spend.spent_total_fen);
  writer->I64(state.spend.day);
  writer->I64(state.spend.spent_day_fen);
  writer->I64(state.spend.rewarded_payments);
  writer->I64(state.spend.rewarded_gmv_fen);
}

bool ReadCampaign(ByteReader* reader, uint64_t expected_id, uint32_t version,
                  CampaignState* state) {
  Campaign& c = state->campaign;
  c.id = reader->U64();
  const std::string_view name = reader->LengthPrefixed();
  if (!reader->ok() || c.id != expected_id || name.size() > kMaxNameBytes) return false;
  c.name = std::string(name);
  c.type = static_cast<CampaignType>(reader->U8());
  c.status = static_cast<CampaignStatus>(reader->U8());
  ReadRule(reader, &c.rule);
  if (!ReadEligibility(reader, &c.eligibility)) return false;
  ReadCaps(reader, &c.caps);
  c.exclusive_group = reader->U32();
  c.priority = ReadI32(reader);
  if (version > kVersionWithoutTargeting) ReadTargeting(reader, &c.eligibility);
  if (version > kVersionWithoutLists) c.eligibility.customer_list = reader->U32();
  CampaignSpend& spend = state->spend;
  spend.spent_total_fen = reader->I64();
  spend.day = reader->I64();
  spend.spent_day_fen = reader->I64();
  if (version > kVersionWithoutFigures) {
    spend.rewarded_payments = reader->I64();
    spend.rewarded_gmv_fen = reader->I64();
  }
  if (!reader->ok() || !ValidateCampaign(c).ok()) return false;
  return spend.rewarded_payments >= 0 && spend.rewarded_gmv_fen >= 0 &&
         spend.spent_total_fen >= 0 && spend.spent_total_fen <= c.caps.budget_total_fen &&
         spend.spent_day_fen >= 0 && spend.spent_day_fen <= spend.spent_total_fen;
}

void WritePayment(uint64_t payment_id, const PaymentRecord& record, ByteWriter* writer) {
  writer->U64(payment_id);
  writer->U64(record.customer_id);
  writer->U64(record.device_hash);
  writer->U64(record.identity_hash);
  writer->I64(record.day);
  writer->I64(record.paid_fen);
  writer->I64(record.refunded_fen);
  writer->U32(static_cast<uint32_t>(record.rewards.size()));
  for (const PaymentRecord::Applied& applied : record.rewards) {
    writer->U64(applied.reward.campaign_id);
    writer->U64(applied.reward.coupon_id);
    writer->U8(static_cast<uint8_t>(applied.reward.kind));
    writer->I64(applied.reward.amount_fen);
    writer->I64(applied.reward.release_at_s);
    writer->I64(applied.reversed_fen);
    writer->U8(applied.counted);
  }
}

bool ValidApplied(const PaymentRecord::Applied& applied, size_t campaign_count,
                  const CouponBook& coupons, uint64_t payment_id) {
  const Reward& reward = applied.reward;
  if (reward.campaign_id == 0 || reward.campaign_id > campaign_count) return false;
  if (reward.kind < RewardKind::kDiscount || reward.kind > RewardKind::kCashbackHeld) return false;
  if (reward.amount_fen < 1 || applied.reversed_fen < 0 ||
      applied.reversed_fen > reward.amount_fen || applied.counted > 7) {
    return false;
  }
  if (reward.kind != RewardKind::kCoupon) return reward.coupon_id == 0;
  const Coupon* coupon = coupons.FindCoupon(reward.coupon_id);
  return coupon != nullptr && coupon->state == CouponState::kRedeemed &&
         coupon->redeemed_by_payment == payment_id;
}

bool ReadPayment(ByteReader* reader, size_t campaign_count, const CouponBook& coupons,
                 uint64_t* payment_id, PaymentRecord* record) {
  *payment_id = reader->U64();
  record->customer_id = reader->U64();
  record->device_hash = reader->U64();
  record->identity_hash = reader->U64();
  record->day = reader->I64();
  record->paid_fen = reader->I64();
  record->refunded_fen = reader->I64();
  const uint32_t count = reader->U32();
  if (!reader->ok() || count == 0 || count > reader->remaining() / kAppliedBytes) return false;
  if (*payment_id == 0 || record->paid_fen < 1 || record->refunded_fen < 0 ||
      record->refunded_fen >= record->paid_fen) {
    return false;
  }
  record->rewards.resize(count);
  for (PaymentRecord::Applied& applied : record->rewards) {
    applied.reward.campaign_id = reader->U64();
    applied.reward.coupon_id = reader->U64();
    applied.reward.kind = static_cast<RewardKind>(reader->U8());
    applied.reward.amount_fen = reader->I64();
    applied.reward.release_at_s = reader->I64();
    applied.reversed_fen = reader->I64();
    applied.counted = reader->U8();
    if (!ValidApplied(applied, campaign_count, coupons, *payment_id)) return false;
  }
  return reader->ok();
}

}  // namespace

void CouponBook::Serialize(ByteWriter* writer) const {
  writer->U64(templates_.size());
  for (const TemplateEntry& entry : templates_) {
    const CouponTemplate& t = entry.config;
    writer->U64(t.id);
    writer->U64(t.campaign_id);
    writer->LengthPrefixed(t.name);
    writer->U8(static_cast<uint8_t>(t.kind));
    writer->I64(t.threshold_fen);
    writer->I64(t.save_fen);
    WriteI32(writer, t.discount_bps);
    writer->I64(t.discount_cap_fen);
    writer->I64(t.stock);
    writer->U8(static_cast<uint8_t>(t.validity));
    writer->I64(t.valid_from_s);
    writer->I64(t.valid_until_s);
    writer->I64(t.valid_days);
    writer->I64(t.claim_start_s);
    writer->I64(t.claim_end_s);
    WriteI32(writer, t.per_customer_limit);
    writer->U8(t.issue_counts_toward_limit ? 1 : 0);
    writer->I64(entry.issued);
  }
  writer->U64(coupons_.size());
  for (const Coupon& coupon : coupons_) {
    writer->U64(coupon.id);
    writer->U64(coupon.template_id);
    writer->U64(coupon.customer_id);
    writer->I64(coupon.valid_from_s);
    writer->I64(coupon.valid_until_s);
    writer->U64(coupon.redeemed_by_payment);
    writer->U8(static_cast<uint8_t>(coupon.state));
  }
  std::vector<std::pair<ClaimKey, int64_t>> claims(claims_.begin(), claims_.end());
  std::sort(claims.begin(), claims.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.template_id, a.first.customer_id) <
           std::pair(b.first.template_id, b.first.customer_id);
  });
  writer->U64(claims.size());
  for (const auto& [key, count] : claims) {
    writer->U64(key.template_id);
    writer->U64(key.customer_id);
    writer->I64(count);
  }
}

bool CouponBook::Deserialize(ByteReader* reader) {
  *this = CouponBook();
  const uint64_t template_count = reader->U64();
  if (!reader->ok() || template_count > reader->remaining() / kTemplateBytes) return false;
  templates_.resize(template_count);
  for (uint64_t i = 0; i < template_count; ++i) {
    TemplateEntry& entry = templates_[i];
    CouponTemplate& t = entry.config;
    t.id = reader->U64();
    t.campaign_id = reader->U64();
    t.name = std::string(reader->LengthPrefixed());
    t.kind = static_cast<CouponKind>(reader->U8());
    t.threshold_fen = reader->I64();
    t.save_fen = reader->I64();
    t.discount_bps = ReadI32(reader);
    t.discount_cap_fen = reader->I64();
    t.stock = reader->I64();
    t.validity = static_cast<ValidityKind>(reader->U8());
    t.valid_from_s = reader->I64();
    t.valid_until_s = reader->I64();
    t.valid_days = reader->I64();
    t.claim_start_s = reader->I64();
    t.claim_end_s = reader->I64();
    t.per_customer_limit = ReadI32(reader);
    const uint8_t counts = reader->U8();
    t.issue_counts_toward_limit = counts == 1;
    entry.issued = reader->I64();
    if (!reader->ok() || t.id != i + 1 || counts > 1 || !ValidateCouponTemplate(t).ok() ||
        entry.issued < 0 || entry.issued > t.stock) {
      return false;
    }
  }
  const uint64_t coupon_count = reader->U64();
  if (!reader->ok() || coupon_count > reader->remaining() / kCouponBytes) return false;
  coupons_.resize(coupon_count);
  std::vector<int64_t> per_template(template_count, 0);
  for (uint64_t i = 0; i < coupon_count; ++i) {
    Coupon& coupon = coupons_[i];
    coupon.id = reader->U64();
    coupon.template_id = reader->U64();
    coupon.customer_id = reader->U64();
    coupon.valid_from_s = reader->I64();
    coupon.valid_until_s = reader->I64();
    coupon.redeemed_by_payment = reader->U64();
    coupon.state = static_cast<CouponState>(reader->U8());
    const bool redeemed = coupon.state == CouponState::kRedeemed;
    if (!reader->ok() || coupon.id != i + 1 || coupon.template_id == 0 ||
        coupon.template_id > template_count || coupon.state < CouponState::kAvailable ||
        coupon.state > CouponState::kVoided || redeemed != (coupon.redeemed_by_payment != 0) ||
        coupon.valid_until_s <= coupon.valid_from_s) {
      return false;
    }
    ++per_template[coupon.template_id - 1];
    by_customer_[coupon.customer_id].push_back(coupon.id);
  }
  for (uint64_t i = 0; i < template_count; ++i) {
    if (per_template[i] != templates_[i].issued) return false;
  }
  const uint64_t claim_count = reader->U64();
  if (!reader->ok() || claim_count > reader->remaining() / kClaimBytes) return false;
  claims_.reserve(claim_count);
  std::pair<uint64_t, uint64_t> previous{0, 0};
  for (uint64_t i = 0; i < claim_count; ++i) {
    ClaimKey key{reader->U64(), reader->U64()};
    const int64_t count = reader->I64();
    // Strictly increasing keys: the canonical order, which also rules out duplicates.
    const std::pair<uint64_t, uint64_t> current{key.template_id, key.customer_id};
    if (count < 1 || key.template_id == 0 || key.template_id > template_count ||
        (i > 0 && current <= previous)) {
      return false;
    }
    previous = current;
    claims_.emplace(key, count);
  }
  return reader->ok();
}

void CampaignBook::Serialize(std::string* out) const {
  out->clear();
  ByteWriter writer(out);
  writer.U32(kMagic);
  writer.U32(kVersion);
  writer.I64(last_commit_time_s_);
  writer.U64(campaigns_.size());
  for (const CampaignState& state : campaigns_) WriteCampaign(state, &writer);
  coupons_.Serialize(&writer);
  usage_.Serialize(&writer);
  std::vector<uint64_t> ids;
  ids.reserve(payments_.size());
  for (const auto& [id, record] : payments_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  writer.U64(ids.size());
  for (const uint64_t id : ids) WritePayment(id, payments_.at(id), &writer);
  lists_.Serialize(&writer);
}

bool CampaignBook::Deserialize(std::string_view bytes) {
  Clear();
  ByteReader reader(bytes);
  if (reader.U32() != kMagic) return false;
  const uint32_t version = reader.U32();
  if (version < kVersionWithoutFigures || version > kVersion) return false;
  last_commit_time_s_ = reader.I64();
  const uint64_t campaign_count = reader.U64();
  bool ok = reader.ok() && last_commit_time_s_ >= 0 && last_commit_time_s_ <= kMaxTimeS &&
            campaign_count <= reader.remaining() / kMinCampaignBytes;
  if (ok) campaigns_.resize(campaign_count);
  for (uint64_t i = 0; ok && i < campaign_count; ++i) {
    ok = ReadCampaign(&reader, i + 1, version, &campaigns_[i]);
  }
  ok = ok && coupons_.Deserialize(&reader) && usage_.Deserialize(&reader);
  for (uint64_t i = 0; ok && i < coupons_.template_count(); ++i) {
    const uint64_t campaign_id = coupons_.FindTemplate(i + 1)->campaign_id;
    ok = campaign_id != 0 && campaign_id <= campaign_count;
  }
  const uint64_t payment_count = ok ? reader.U64() : 0;
  ok = ok && reader.ok() && payment_count <= reader.remaining() / kPaymentBytes;
  uint64_t previous_id = 0;
  for (uint64_t i = 0; ok && i < payment_count; ++i) {
    uint64_t payment_id = 0;
    PaymentRecord record;
    ok = ReadPayment(&reader, campaign_count, coupons_, &payment_id, &record) &&
         payment_id > previous_id;
    previous_id = payment_id;
    if (ok) payments_.emplace(payment_id, std::move(record));
  }
  if (ok && version > kVersionWithoutLists) ok = lists_.Deserialize(&reader);
  // A campaign targets only a list that exists, unless it has ended (its list may be gone).
  for (uint64_t i = 0; ok && i < campaign_count; ++i) {
    const Campaign& c = campaigns_[i].campaign;
    ok = c.eligibility.customer_list == 0 || c.status == CampaignStatus::kEnded ||
         lists_.Find(c.eligibility.customer_list) != nullptr;
  }
  ok = ok && reader.ok() && reader.remaining() == 0;
  if (!ok) Clear();
  return ok;
}

void EncodeCampaignConfig(const Campaign& c, ByteWriter* writer) {
  writer->U64(c.id);
  writer->LengthPrefixed(c.name);
  writer->U8(static_cast<uint8_t>(c.type));
  writer->U8(static_cast<uint8_t>(c.status));
  WriteRule(c.rule, writer);
  WriteEligibility(c.eligibility, writer);
  WriteCaps(c.caps, writer);
  writer->U32(c.exclusive_group);
  WriteI32(writer, c.priority);
  // Age bands and win-back came later, custom lists later still: a configuration without them
  // is written as before.
  const bool list = c.eligibility.customer_list != 0;
  if (HasTargeting(c.eligibility) || list) WriteTargeting(c.eligibility, writer);
  if (list) writer->U32(c.eligibility.customer_list);
}

bool DecodeCampaignConfig(ByteReader* reader, Campaign* c) {
  c->id = reader->U64();
  const std::string_view name = reader->LengthPrefixed();
  if (!reader->ok() || name.size() > kMaxNameBytes) return false;
  c->name = std::string(name);
  c->type = static_cast<CampaignType>(reader->U8());
  c->status = static_cast<CampaignStatus>(reader->U8());
  ReadRule(reader, &c->rule);
  if (!ReadEligibility(reader, &c->eligibility)) return false;
  ReadCaps(reader, &c->caps);
  c->exclusive_group = reader->U32();
  c->priority = ReadI32(reader);
  if (reader->ok() && reader->remaining() > 0) {
    ReadTargeting(reader, &c->eligibility);
    if (reader->ok() && reader->remaining() > 0) {
      c->eligibility.customer_list = reader->U32();
      if (c->eligibility.customer_list == 0) return false;  // never written
    } else if (!HasTargeting(c->eligibility)) {
      return false;  // never written: one encoding per configuration
    }
  }
  return reader->ok();
}

void EncodeCouponTemplate(const CouponTemplate& t, ByteWriter* writer) {
  writer->U64(t.id);
  writer->U64(t.campaign_id);
  writer->LengthPrefixed(t.name);
  writer->U8(static_cast<uint8_t>(t.kind));
  writer->I64(t.threshold_fen);
  writer->I64(t.save_fen);
  WriteI32(writer, t.discount_bps);
  writer->I64(t.discount_cap_fen);
  writer->I64(t.stock);
  writer->U8(static_cast<uint8_t>(t.validity));
  writer->I64(t.valid_from_s);
  writer->I64(t.valid_until_s);
  writer->I64(t.valid_days);
  writer->I64(t.claim_start_s);
  writer->I64(t.claim_end_s);
  WriteI32(writer, t.per_customer_limit);
  writer->U8(t.issue_counts_toward_limit ? 1 : 0);
}

bool DecodeCouponTemplate(ByteReader* reader, CouponTemplate* t) {
  t->id = reader->U64();
  t->campaign_id = reader->U64();
  const std::string_view name = reader->LengthPrefixed();
  if (!reader->ok() || name.size() > kMaxNameBytes) return false;
  t->name = std::string(name);
  t->kind = static_cast<CouponKind>(reader->U8());
  t->threshold_fen = reader->I64();
  t->save_fen = reader->I64();
  t->discount_bps = ReadI32(reader);
  t->discount_cap_fen = reader->I64();
  t->stock = reader->I64();
  t->validity = static_cast<ValidityKind>(reader->U8());
  t->valid_from_s = reader->I64();
  t->valid_until_s = reader->I64();
  t->valid_days = reader->I64();
  t->claim_start_s = reader->I64();
  t->claim_end_s = reader->I64();
  t->per_customer_limit = ReadI32(reader);
  const uint8_t counts = reader->U8();
  t->issue_counts_toward_limit = counts == 1;
  return reader->ok() && counts <= 1;
}

}  // namespace qb::marketing
