// The risk engine's part of the engine state (engine/state_machine_risk.cc runs it): the
// RiskEngine itself (velocity, profiles, block/allow lists), the rule sets installed by
// SetRiskRules (kept as specs so a checkpoint can compile them again), the payments held for a
// review with the explanation analysts see, and the outcomes of closed reviews (labels for
// backtests).
//
// Off until the first SetRiskRules or SetRiskListEntry: before that nothing is evaluated or
// learned, and the state adds nothing to the checkpoint or the state hash, so journals and
// checkpoints from before the risk engine replay and verify as they did.
//
// The checkpoint trailer (after marketing's; see StateMachine::Serialize):
//
//   risk     := version:u64 active:spec? shadow:spec? engine_bytes:u64 engine
//               review_count:u64 review* outcome_count:u64 outcome*
//   spec?    := present:u8 [version:u64 rule_set (engine/risk_command.h)]
//   engine   := RiskEngine::Serialize (risk/risk_engine_codec.cc)
//   review   := payment:u64 customer:u64 merchant:u64 amount_fen:i64 channel:u8 created_s:i64
//               expires_s:i64 device_hash:str score:i64 rule_set_version:u64
//               rule_count:u32 (rule_id:u32 name:str score:i32 action:u8)*
//               feature_count:u32 (slot:u32 value:i64)* explanation:str step_up:u8
//                                                                         (ascending payment)
//   outcome  := payment:u64 state:u8 label:u8 staff:u64 at_s:i64 score:i64   (oldest first)
//   monitor? := RiskMonitor::Serialize (engine/risk_monitor.h): per-rule hits of both sets and
//               the shadow log; present only while not all zero, so trailers from before it
//               load (as a zero monitor) and re-encode to the same bytes.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/risk_command.h"
#include "engine/risk_monitor.h"
#include "risk/risk_engine.h"

namespace qb::engine {

enum class ReviewState : uint8_t { kOpen = 0, kApproved = 1, kRejected = 2, kExpired = 3 };
std::string_view ReviewStateName(ReviewState state);  // "open", "approved", ...

struct RiskReviewRule {
  uint32_t rule_id = 0;
  std::string name;
  int32_t score = 0;
  risk::Action action = risk::Action::kNone;
  bool operator==(const RiskReviewRule&) const = default;
};

// A payment held for review, with why.
struct RiskReview {
  uint64_t payment_id = 0;
  uint64_t customer_id = 0;
  uint64_t merchant_id = 0;
  int64_t amount_fen = 0;
  uint8_t channel = 0;  // payments::PaymentChannel
  int64_t created_s = 0;
  int64_t expires_s = 0;
  std::string device_hash;  // The paying device's keyed hash, "" when unknown.
  int64_t score = 0;
  uint64_t rule_set_version = 0;
  std::vector<RiskReviewRule> rules;         // The fired rules that are not in shadow.
  std::vector<risk::FeatureValue> features;  // The values those rules read, one per slot.
  std::string explanation;                   // RiskEngine::Explain.
  // PBoC No. 43: the identity::AuthStrength the customer must still confirm with once an
  // analyst approves (the day's spending needed more than was presented), 0 for none.
  uint8_t step_up = 0;
  bool operator==(const RiskReview&) const = default;
};

struct RiskReviewOutcome {
  uint64_t payment_id = 0;
  ReviewState state = ReviewState::kApproved;
  ReviewLabel label = ReviewLabel::kUnknown;
  uint64_t staff_id = 0;  // 0 for an expiry.
  int64_t at_s = 0;
  int64_t score = 0;
  bool operator==(const RiskReviewOutcome&) const = default;
};

class RiskState {
 public:
  // Open reviews beyond this are denied instead of held (a flood must not grow the state).
  static constexpr size_t kMaxOpenReviews = 100'000;
  // Closed reviews kept for backtests; the oldest go first.
  static constexpr size_t kMaxOutcomes = 10'000;

  bool on() const { return on_; }
  void TurnOn() { on_ = true; }

  risk::RiskEngine& engine() { return engine_; }
  const risk::RiskEngine& engine() const { return engine_; }
  // The last version assigned (0: no rule set was ever installed).
  uint64_t version() const { return version_; }
  const std::optional<risk::RuleSetSpec>& active() const { return active_; }
  const std::optional<risk::RuleSetSpec>& shadow() const { return shadow_; }
  // Installs `spec` as the active or shadow set under version() + 1; the compiler's status.
  Status Install(risk::RuleSetSpec spec, bool shadow);
  void ClearShadow();

  // Per-rule hits and the shadow log (engine/risk_monitor.h); the state machine feeds it.
  const RiskMonitor& monitor() const { return monitor_; }
  RiskMonitor& mutable_monitor() { return monitor_; }

  const std::map<uint64_t, RiskReview>& reviews() const { return reviews_; }
  const RiskReview* FindReview(uint64_t payment_id) const;
  const RiskReviewOutcome* FindOutcome(uint64_t payment_id) const;
  const std::deque<RiskReviewOutcome>& outcomes() const { return outcomes_; }
  void OpenReview(RiskReview review);
  // Moves an open review to the outcomes; false when it is not open.
  bool CloseReview(uint64_t payment_id, ReviewState state, ReviewLabel label, uint64_t staff_id,
                   int64_t at_s);

  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  bool on_ = false;
  risk::RiskEngine engine_;
  uint64_t version_ = 0;
  std::optional<risk::RuleSetSpec> active_;
  std::optional<risk::RuleSetSpec> shadow_;
  std::map<uint64_t, RiskReview> reviews_;
  std::deque<RiskReviewOutcome> outcomes_;
  RiskMonitor monitor_;
};

}  // namespace qb::engine
