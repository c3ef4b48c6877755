// The rule set qianbao ships with, and what the customer is told for each decision.
//
// Every rule is an expression over RiskEngine::Schema()'s features (risk_features.h), tagged
// with the fraud pattern it is meant to catch so that `qianbao sim fraud` and the recall test
// can report precision per pattern. docs/RISK.md has the table and the measured figures.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "risk/rule_set.h"

namespace qb::risk {

// The patterns the default rules target, in report order. kLimits is policy (tier and
// authentication limits), not fraud.
enum class FraudPattern : uint8_t {
  kNone = 0,  // legitimate
  kVelocityBurst,
  kScamTransfer,
  kNewDeviceLarge,
  kDeviceFarm,
  kReferralRing,
  kCouponFarm,
  kCardTesting,
  kCashOut,
  kDormantWithdrawal,
  kLimits,
  kAmountAnomaly,
};
inline constexpr size_t kFraudPatternCount = 12;
// The patterns the generator injects (kVelocityBurst .. kDormantWithdrawal).
inline constexpr size_t kFirstInjectedPattern = 1;
inline constexpr size_t kInjectedPatternCount = 9;

std::string_view FraudPatternName(FraudPattern pattern);

// Version 1 of the default rules.
RuleSetSpec DefaultRuleSet();

// The pattern a default rule targets (kNone for an id that is not a default rule).
FraudPattern PatternOfRule(uint32_t rule_id);

// What the customer sees: what they can do, never which rule fired (that would teach fraudsters
// the thresholds). Empty for kAllow without a withheld reward.
std::string_view CustomerMessage(Verdict verdict);
std::string_view RewardWithheldMessage();

}  // namespace qb::risk
