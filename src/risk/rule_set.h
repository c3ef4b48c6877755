// A versioned set of risk rules and the decision it makes for one feature vector.
//
// A rule is a condition in the expression language (expression.h) with a score and/or an
// action. Evaluate runs every active rule in order, then decides:
//
//   verdict = the strongest of
//     - the actions of the fired rules (challenge -> kChallenge, review -> kReview,
//       deny -> kDeny), and
//     - the total score of the fired rules against the set's thresholds (score >= deny_at ->
//       kDeny, else >= review_at -> kReview, else >= challenge_at -> kChallenge),
//   with strength kAllow < kChallenge < kReview < kDeny.
//
// deny_reward is separate from the verdict: a fired kDenyReward rule withholds the payment's
// rewards (coupons, cashback, points) while the payment itself may go through. (A denied payment
// earns no rewards anyway, so the engine need not look at the flag then.)
//
// Shadow rules are evaluated and reported (Decision::fired, with shadow = true) but add no
// score and take no action: that is how a new rule is tried on live traffic. A whole candidate
// set runs in shadow by evaluating a second RuleSet beside the active one and only logging its
// Decision. A rule may also be limited in time (active_from_s / active_until_s, say for a
// Double-11 rule); outside that window it is skipped.
//
// A rule whose evaluation fails (overflow, division by zero) does not fire; it is listed in
// Decision::failures so the failure is visible rather than silent.
//
// Explanations: each fired rule comes with the values of the features its expression read, in
// Decision::values. Evaluate allocates nothing once the Decision has the capacity NewDecision()
// reserves; reuse one Decision per thread.
//
// Thread-safety: a RuleSet is immutable after Compile; Evaluate may run on any number of
// threads, each with its own Decision.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "risk/expression.h"

namespace qb::risk {

enum class Action : uint8_t { kNone, kChallenge, kReview, kDeny, kDenyReward };

// Ordered by strength: a larger verdict overrides a smaller one.
enum class Verdict : uint8_t { kAllow, kChallenge, kReview, kDeny };

std::string_view ActionName(Action action);
std::string_view VerdictName(Verdict verdict);

struct RuleSpec {
  uint32_t id = 0;         // unique within the set; stable across versions
  std::string name;        // 1..kMaxNameBytes bytes, e.g. "new_device_large_amount"
  std::string expression;  // must evaluate to a boolean
  int32_t score = 0;       // added to the total when the rule fires; may be negative
  Action action = Action::kNone;
  bool shadow = false;
  int64_t active_from_s = 0;   // 0: since always; else active when now_s >= active_from_s
  int64_t active_until_s = 0;  // 0: forever; else active while now_s < active_until_s
};

// A threshold left empty never applies. Those set must not decrease from challenge to deny.
struct ScoreThresholds {
  std::optional<int64_t> challenge_at = std::nullopt;
  std::optional<int64_t> review_at = std::nullopt;
  std::optional<int64_t> deny_at = std::nullopt;
};

struct RuleSetSpec {
  uint64_t version = 0;
  std::vector<RuleSpec> rules;
  ScoreThresholds thresholds;
};

struct FeatureValue {
  uint32_t slot = 0;
  int64_t value = 0;
  bool operator==(const FeatureValue&) const = default;
};

struct FiredRule {
  uint32_t rule_index = 0;  // position in the spec
  uint32_t rule_id = 0;
  int32_t score = 0;
  Action action = Action::kNone;
  bool shadow = false;
  uint32_t values_begin = 0;  // this rule's feature values are
  uint32_t values_count = 0;  // Decision::values[values_begin, values_begin + values_count)
};

struct RuleFailure {
  uint32_t rule_index = 0;
  uint32_t rule_id = 0;
  EvalError error = EvalError::kNone;
};

struct Decision {
  uint64_t rule_set_version = 0;
  int64_t evaluated_at_s = 0;
  Verdict verdict = Verdict::kAllow;
  bool deny_reward = false;
  int64_t total_score = 0;  // of the fired rules that are not in shadow
  Verdict verdict_from_actions = Verdict::kAllow;
  Verdict verdict_from_score = Verdict::kAllow;
  std::vector<FiredRule> fired;  // in rule order, shadow rules included
  std::vector<FeatureValue> values;
  std::vector<RuleFailure> failures;

  std::span<const FeatureValue> ValuesOf(const FiredRule& rule) const {
    return std::span<const FeatureValue>(values).subspan(rule.values_begin, rule.values_count);
  }
};

class RuleSet {
 public:
  static constexpr size_t kMaxRules = 256;
  static constexpr size_t kMaxNameBytes = 64;

  // Compiles every rule against `schema`, interning string literals into `symbols`.
  // kInvalidArgument naming the first bad rule ("rule 7 'burst': column 12: unknown feature
  // 'x'"), for: more than kMaxRules rules, a duplicate id, a bad name, an expression that does
  // not compile, an action out of range, an empty active window, or decreasing thresholds.
  static Status Compile(RuleSetSpec spec, const FeatureSchema& schema, SymbolTable* symbols,
                        RuleSet* out);

  // A Decision with room for every rule firing, so Evaluate does not allocate.
  Decision NewDecision() const;

  // Evaluates the rules active at `now_s` against `features` (at least feature_count() values;
  // asserted) and overwrites *decision.
  void Evaluate(std::span<const int64_t> features, int64_t now_s, Decision* decision) const;

  // A readable account of a decision, one fired rule per line with the values it read, e.g.
  //   verdict review (actions: review, score 70: challenge), rule set 3
  //   rule 12 velocity_1h +40 review: customer.count_1h=7 amount=120000
  // Symbol-valued features are shown by name when `symbols` is given.
  std::string Explain(const Decision& decision, const SymbolTable* symbols = nullptr) const;

  uint64_t version() const { return version_; }
  size_t rule_count() const { return rules_.size(); }
  const RuleSpec& rule(size_t index) const { return rules_.at(index).spec; }
  const ScoreThresholds& thresholds() const { return thresholds_; }
  size_t feature_count() const { return feature_count_; }

 private:
  struct CompiledRule {
    RuleSpec spec;
    CompiledExpression expression;
  };

  Verdict VerdictForScore(int64_t score) const;

  uint64_t version_ = 0;
  std::vector<CompiledRule> rules_;
  ScoreThresholds thresholds_;
  std::vector<FeatureDefinition> features_;  // the schema's, for explanations
  size_t feature_count_ = 0;
  size_t max_values_ = 0;  // sum over rules of the features each reads
};

}  // namespace qb::risk
