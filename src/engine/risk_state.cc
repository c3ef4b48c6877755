#include "engine/risk_state.h"

#include <algorithm>
#include <utility>

#include "base/bytes.h"
#include "identity/tier_limits.h"

namespace qb::engine {
namespace {

void WriteSpec(const std::optional<risk::RuleSetSpec>& spec, ByteWriter* writer) {
  writer->U8(spec ? 1 : 0);
  if (!spec) return;
  writer->U64(spec->version);
  EncodeRuleSetSpec(*spec, writer);
}

bool ReadSpec(ByteReader* reader, std::optional<risk::RuleSetSpec>* spec) {
  const uint8_t present = reader->U8();
  if (present > 1) return false;
  if (present == 0) return true;
  risk::RuleSetSpec decoded;
  decoded.version = reader->U64();
  if (!DecodeRuleSetSpec(reader, &decoded) || decoded.version == 0) return false;
  *spec = std::move(decoded);
  return true;
}

}  // namespace

std::string_view ReviewStateName(ReviewState state) {
  switch (state) {
    case ReviewState::kOpen:
      return "open";
    case ReviewState::kApproved:
      return "approved";
    case ReviewState::kRejected:
      return "rejected";
    case ReviewState::kExpired:
      return "expired";
  }
  return "unknown";
}

Status RiskState::Install(risk::RuleSetSpec spec, bool shadow) {
  spec.version = version_ + 1;
  risk::RuleSetSpec kept = spec;
  const Status status =
      shadow ? engine_.SetShadowRules(std::move(spec)) : engine_.SetRules(std::move(spec));
  if (!status.ok()) return status;
  version_++;
  if (shadow) {
    monitor_.ResetShadow(kept.rules.size());
  } else {
    monitor_.ResetActive(kept.rules.size());
  }
  (shadow ? shadow_ : active_) = std::move(kept);
  on_ = true;
  return status;
}

void RiskState::ClearShadow() {
  version_++;
  engine_.ClearShadowRules();
  shadow_.reset();
  monitor_.RemoveShadow();
  on_ = true;
}

const RiskReview* RiskState::FindReview(uint64_t payment_id) const {
  const auto it = reviews_.find(payment_id);
  return it == reviews_.end() ? nullptr : &it->second;
}

const RiskReviewOutcome* RiskState::FindOutcome(uint64_t payment_id) const {
  // Newest first: a reviewer looks at what they just closed.
  for (auto it = outcomes_.rbegin(); it != outcomes_.rend(); ++it) {
    if (it->payment_id == payment_id) return &*it;
  }
  return nullptr;
}

void RiskState::OpenReview(RiskReview review) {
  on_ = true;
  const uint64_t id = review.payment_id;
  reviews_.insert_or_assign(id, std::move(review));
}

bool RiskState::CloseReview(uint64_t payment_id, ReviewState state, ReviewLabel label,
                            uint64_t staff_id, int64_t at_s) {
  const auto it = reviews_.find(payment_id);
  if (it == reviews_.end()) return false;
  // The explanation goes with the open review; the outcome keeps what a backtest needs.
  outcomes_.push_back(
      RiskReviewOutcome{payment_id, state, label, staff_id, at_s, it->second.score});
  if (outcomes_.size() > kMaxOutcomes) outcomes_.pop_front();
  reviews_.erase(it);
  return true;
}

void RiskState::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U64(version_);
  WriteSpec(active_, &writer);
  WriteSpec(shadow_, &writer);
  std::string engine;
  engine_.Serialize(&engine);
  writer.U64(engine.size());
  writer.Bytes(engine);
  writer.U64(reviews_.size());
  for (const auto& [id, r] : reviews_) {
    writer.U64(r.payment_id);
    writer.U64(r.customer_id);
    writer.U64(r.merchant_id);
    writer.I64(r.amount_fen);
    writer.U8(r.channel);
    writer.I64(r.created_s);
    writer.I64(r.expires_s);
    writer.LengthPrefixed(r.device_hash);
    writer.I64(r.score);
    writer.U64(r.rule_set_version);
    writer.U32(static_cast<uint32_t>(r.rules.size()));
    for (const RiskReviewRule& rule : r.rules) {
      writer.U32(rule.rule_id);
      writer.LengthPrefixed(rule.name);
      writer.U32(static_cast<uint32_t>(rule.score));
      writer.U8(static_cast<uint8_t>(rule.action));
    }
    writer.U32(static_cast<uint32_t>(r.features.size()));
    for (const risk::FeatureValue& feature : r.features) {
      writer.U32(feature.slot);
      writer.I64(feature.value);
    }
    writer.LengthPrefixed(r.explanation);
    writer.U8(r.step_up);
  }
  writer.U64(outcomes_.size());
  for (const RiskReviewOutcome& o : outcomes_) {
    writer.U64(o.payment_id);
    writer.U8(static_cast<uint8_t>(o.state));
    writer.U8(static_cast<uint8_t>(o.label));
    writer.U64(o.staff_id);
    writer.I64(o.at_s);
    writer.I64(o.score);
  }
  if (!monitor_.Empty()) monitor_.Serialize(&writer);
}

bool RiskState::Deserialize(std::string_view bytes) {
  *this = RiskState();
  on_ = true;
  ByteReader reader(bytes);
  version_ = reader.U64();
  if (!ReadSpec(&reader, &active_) || !ReadSpec(&reader, &shadow_)) return false;
  for (const std::optional<risk::RuleSetSpec>* spec : {&active_, &shadow_}) {
    if (*spec && (*spec)->version > version_) return false;
  }
  const uint64_t engine_bytes = reader.U64();
  if (!reader.ok() || engine_bytes > reader.remaining()) return false;
  if (!engine_.Deserialize(reader.Bytes(engine_bytes)).ok()) return false;
  // The rule sets are configuration to the RiskEngine: compiled again here.
  if (active_ && !engine_.SetRules(*active_).ok()) return false;
  if (shadow_ && !engine_.SetShadowRules(*shadow_).ok()) return false;
  uint64_t count = reader.U64();
  if (!reader.ok() || count > reader.remaining() / 80) return false;
  uint64_t previous = 0;
  for (uint64_t i = 0; i < count; i++) {
    RiskReview r;
    r.payment_id = reader.U64();
    r.customer_id = reader.U64();
    r.merchant_id = reader.U64();
    r.amount_fen = reader.I64();
    r.channel = reader.U8();
    r.created_s = reader.I64();
    r.expires_s = reader.I64();
    r.device_hash = std::string(reader.LengthPrefixed());
    r.score = reader.I64();
    r.rule_set_version = reader.U64();
    const uint32_t rules = reader.U32();
    if (!reader.ok() || rules > risk::RuleSet::kMaxRules) return false;
    for (uint32_t j = 0; j < rules; j++) {
      RiskReviewRule rule;
      rule.rule_id = reader.U32();
      rule.name = std::string(reader.LengthPrefixed());
      rule.score = static_cast<int32_t>(reader.U32());
      const uint8_t action = reader.U8();
      if (action > static_cast<uint8_t>(risk::Action::kDenyReward)) return false;
      rule.action = static_cast<risk::Action>(action);
      r.rules.push_back(std::move(rule));
    }
    const uint32_t features = reader.U32();
    if (!reader.ok() || features > risk::kFeatureCount) return false;
    for (uint32_t j = 0; j < features; j++) {
      risk::FeatureValue feature;
      feature.slot = reader.U32();
      feature.value = reader.I64();
      if (feature.slot >= risk::kFeatureCount) return false;
      r.features.push_back(feature);
    }
    r.explanation = std::string(reader.LengthPrefixed());
    r.step_up = reader.U8();
    if (r.step_up > identity::kMaxAuthStrength) return false;
    if (!reader.ok() || (i > 0 && r.payment_id <= previous) || r.payment_id == 0) return false;
    previous = r.payment_id;
    reviews_.emplace(r.payment_id, std::move(r));
  }
  count = reader.U64();
  if (!reader.ok() || count > kMaxOutcomes || count > reader.remaining() / 34) return false;
  for (uint64_t i = 0; i < count; i++) {
    RiskReviewOutcome o;
    o.payment_id = reader.U64();
    const uint8_t state = reader.U8();
    const uint8_t label = reader.U8();
    if (state == 0 || state > static_cast<uint8_t>(ReviewState::kExpired) ||
        label > kMaxReviewLabel) {
      return false;
    }
    o.state = static_cast<ReviewState>(state);
    o.label = static_cast<ReviewLabel>(label);
    o.staff_id = reader.U64();
    o.at_s = reader.I64();
    o.score = reader.I64();
    outcomes_.push_back(o);
  }
  if (!reader.ok()) return false;
  const size_t active_rules = active_ ? active_->rules.size() : 0;
  const size_t shadow_rules = shadow_ ? shadow_->rules.size() : 0;
  monitor_.ResetActive(active_rules);
  monitor_.ResetShadow(shadow_rules);
  // Trailers from before the monitor end here.
  if (reader.remaining() == 0) return true;
  return monitor_.Deserialize(&reader, active_rules, shadow_rules) && reader.ok() &&
         reader.remaining() == 0;
}

}  // namespace qb::engine
