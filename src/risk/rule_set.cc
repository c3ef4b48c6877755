#include "risk/rule_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "base/assert.h"

namespace qb::risk {

namespace {

Verdict VerdictForAction(Action action) {
  switch (action) {
    case Action::kChallenge:
      return Verdict::kChallenge;
    case Action::kReview:
      return Verdict::kReview;
    case Action::kDeny:
      return Verdict::kDeny;
    case Action::kNone:
    case Action::kDenyReward:
      return Verdict::kAllow;
  }
  return Verdict::kAllow;
}

Status CheckRule(const RuleSpec& rule) {
  if (rule.name.empty() || rule.name.size() > RuleSet::kMaxNameBytes) {
    return Status::InvalidArgument(
        fmt::format("rule {}: name must be 1 to {} bytes", rule.id, RuleSet::kMaxNameBytes));
  }
  if (static_cast<uint8_t>(rule.action) > static_cast<uint8_t>(Action::kDenyReward)) {
    return Status::InvalidArgument(fmt::format("rule {} '{}': bad action", rule.id, rule.name));
  }
  if (rule.active_from_s != 0 && rule.active_until_s != 0 &&
      rule.active_until_s <= rule.active_from_s) {
    return Status::InvalidArgument(
        fmt::format("rule {} '{}': active window is empty", rule.id, rule.name));
  }
  return Status::Ok();
}

Status CheckThresholds(const ScoreThresholds& thresholds) {
  std::optional<int64_t> previous;
  for (const std::optional<int64_t>& threshold :
       {thresholds.challenge_at, thresholds.review_at, thresholds.deny_at}) {
    if (!threshold) continue;
    if (previous && *threshold < *previous) {
      return Status::InvalidArgument("score thresholds must not decrease from challenge to deny");
    }
    previous = threshold;
  }
  return Status::Ok();
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kNone:
      return "none";
    case Action::kChallenge:
      return "challenge";
    case Action::kReview:
      return "review";
    case Action::kDeny:
      return "deny";
    case Action::kDenyReward:
      return "deny_reward";
  }
  return "unknown";
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllow:
      return "allow";
    case Verdict::kChallenge:
      return "challenge";
    case Verdict::kReview:
      return "review";
    case Verdict::kDeny:
      return "deny";
  }
  return "unknown";
}

Status RuleSet::Compile(RuleSetSpec spec, const FeatureSchema& schema, SymbolTable* symbols,
                        RuleSet* out) {
  if (spec.rules.size() > kMaxRules) {
    return Status::InvalidArgument(fmt::format("more than {} rules", kMaxRules));
  }
  if (Status status = CheckThresholds(spec.thresholds); !status.ok()) return status;
  RuleSet set;
  set.version_ = spec.version;
  set.thresholds_ = spec.thresholds;
  set.rules_.reserve(spec.rules.size());
  for (RuleSpec& rule : spec.rules) {
    if (Status status = CheckRule(rule); !status.ok()) return status;
    const bool duplicate = std::any_of(set.rules_.begin(), set.rules_.end(),
                                       [&](const CompiledRule& r) { return r.spec.id == rule.id; });
    if (duplicate) return Status::InvalidArgument(fmt::format("rule id {} used twice", rule.id));
    CompiledRule compiled;
    CompileError error;
    if (!CompiledExpression::Compile(rule.expression, schema, symbols, &compiled.expression, &error)
             .ok()) {
      return Status::InvalidArgument(
          fmt::format("rule {} '{}': {}", rule.id, rule.name, error.ToString()));
    }
    set.feature_count_ = std::max(set.feature_count_, compiled.expression.feature_count());
    set.max_values_ += compiled.expression.referenced_slots().size();
    compiled.spec = std::move(rule);
    set.rules_.push_back(std::move(compiled));
  }
  for (uint32_t slot = 0; slot < schema.size(); ++slot) set.features_.push_back(schema.at(slot));
  *out = std::move(set);
  return Status::Ok();
}

Decision RuleSet::NewDecision() const {
  Decision decision;
  decision.fired.reserve(rules_.size());
  decision.values.reserve(max_values_);
  decision.failures.reserve(rules_.size());
  return decision;
}

Verdict RuleSet::VerdictForScore(int64_t score) const {
  if (thresholds_.deny_at && score >= *thresholds_.deny_at) return Verdict::kDeny;
  if (thresholds_.review_at && score >= *thresholds_.review_at) return Verdict::kReview;
  if (thresholds_.challenge_at && score >= *thresholds_.challenge_at) return Verdict::kChallenge;
  return Verdict::kAllow;
}

void RuleSet::Evaluate(std::span<const int64_t> features, int64_t now_s, Decision* decision) const {
  QB_ASSERT(features.size() >= feature_count_);
  decision->rule_set_version = version_;
  decision->evaluated_at_s = now_s;
  decision->deny_reward = false;
  decision->total_score = 0;
  decision->fired.clear();
  decision->values.clear();
  decision->failures.clear();
  Verdict from_actions = Verdict::kAllow;
  for (size_t index = 0; index < rules_.size(); ++index) {
    const CompiledRule& rule = rules_[index];
    if (rule.spec.active_from_s != 0 && now_s < rule.spec.active_from_s) continue;
    if (rule.spec.active_until_s != 0 && now_s >= rule.spec.active_until_s) continue;
    const EvalResult result = rule.expression.Evaluate(features);
    if (result.error != EvalError::kNone) {
      decision->failures.push_back({static_cast<uint32_t>(index), rule.spec.id, result.error});
      continue;
    }
    if (!result.fired) continue;
    const auto values_begin = static_cast<uint32_t>(decision->values.size());
    for (const uint32_t slot : rule.expression.referenced_slots()) {
      decision->values.push_back({slot, features[slot]});
    }
    decision->fired.push_back({static_cast<uint32_t>(index), rule.spec.id, rule.spec.score,
                               rule.spec.action, rule.spec.shadow, values_begin,
                               static_cast<uint32_t>(decision->values.size() - values_begin)});
    if (rule.spec.shadow) continue;
    // At most kMaxRules int32 scores: the sum cannot overflow int64.
    decision->total_score += rule.spec.score;
    from_actions = std::max(from_actions, VerdictForAction(rule.spec.action));
    if (rule.spec.action == Action::kDenyReward) decision->deny_reward = true;
  }
  decision->verdict_from_actions = from_actions;
  decision->verdict_from_score = VerdictForScore(decision->total_score);
  decision->verdict = std::max(from_actions, decision->verdict_from_score);
}

std::string RuleSet::Explain(const Decision& decision, const SymbolTable* symbols) const {
  std::string text =
      fmt::format("verdict {} (actions: {}, score {}: {}){}, rule set {}",
                  VerdictName(decision.verdict), VerdictName(decision.verdict_from_actions),
                  decision.total_score, VerdictName(decision.verdict_from_score),
                  decision.deny_reward ? ", rewards denied" : "", decision.rule_set_version);
  for (const FiredRule& fired : decision.fired) {
    const RuleSpec& spec = rules_.at(fired.rule_index).spec;
    text += fmt::format("\nrule {} {}{} {:+} {}:", spec.id, spec.name,
                        fired.shadow ? " (shadow)" : "", fired.score, ActionName(fired.action));
    for (const FeatureValue& value : decision.ValuesOf(fired)) {
      const FeatureDefinition& feature = features_.at(value.slot);
      if (feature.type == ValueType::kSymbol && symbols != nullptr &&
          !symbols->Name(value.value).empty()) {
        text += fmt::format(" {}=\"{}\"", feature.name, symbols->Name(value.value));
      } else if (feature.type == ValueType::kBool) {
        text += fmt::format(" {}={}", feature.name, value.value != 0 ? "true" : "false");
      } else {
        text += fmt::format(" {}={}", feature.name, value.value);
      }
    }
  }
  for (const RuleFailure& failure : decision.failures) {
    const RuleSpec& spec = rules_.at(failure.rule_index).spec;
    text +=
        fmt::format("\nrule {} {} failed: {}", spec.id, spec.name, EvalErrorName(failure.error));
  }
  return text;
}

}  // namespace qb::risk
