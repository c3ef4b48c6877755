#include "risk/rule_set.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace qb::risk {
namespace {

constexpr int64_t kNowS = 1'700'000'000;

enum Slot : uint32_t {
  kAmount,
  kCount1h,
  kDeviceAccounts,
  kBlocked,
  kRewardEligible,
  kChannel,
  kZero,
  kSlotCount,
};

class RiskRuleSetTest : public ::testing::Test {
 protected:
  RiskRuleSetTest() {
    EXPECT_TRUE(schema_.Add("amount", ValueType::kInt).ok());
    EXPECT_TRUE(schema_.Add("customer.count_1h", ValueType::kInt).ok());
    EXPECT_TRUE(schema_.Add("device.accounts", ValueType::kInt).ok());
    EXPECT_TRUE(schema_.Add("customer.blocked", ValueType::kBool).ok());
    EXPECT_TRUE(schema_.Add("reward.eligible", ValueType::kBool).ok());
    EXPECT_TRUE(schema_.Add("channel", ValueType::kSymbol).ok());
    EXPECT_TRUE(schema_.Add("zero", ValueType::kInt).ok());
    features_.assign(kSlotCount, 0);
  }

  static RuleSetSpec DefaultSpec() {
    RuleSetSpec spec;
    spec.version = 3;
    spec.rules = {
        {.id = 1, .name = "large_amount", .expression = "amount >= 500_000", .score = 30},
        {.id = 2,
         .name = "velocity_1h",
         .expression = "customer.count_1h >= 10",
         .score = 40,
         .action = Action::kChallenge},
        {.id = 3,
         .name = "device_farm",
         .expression = "device.accounts > 5",
         .action = Action::kReview},
        {.id = 4, .name = "blocked", .expression = "customer.blocked", .action = Action::kDeny},
        {.id = 5,
         .name = "reward_abuse",
         .expression = "device.accounts > 2 and reward.eligible",
         .action = Action::kDenyReward},
        {.id = 6,
         .name = "nfc_large",
         .expression = "channel == \"NFC\" and amount > 100_000",
         .score = 15},
    };
    spec.thresholds = {.challenge_at = 30, .review_at = 60, .deny_at = 100};
    return spec;
  }

  RuleSet MustCompile(RuleSetSpec spec) {
    RuleSet set;
    const Status status = RuleSet::Compile(std::move(spec), schema_, &symbols_, &set);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return set;
  }

  Status CompileStatus(RuleSetSpec spec) {
    RuleSet set;
    return RuleSet::Compile(std::move(spec), schema_, &symbols_, &set);
  }

  static std::vector<uint32_t> FiredIds(const Decision& decision) {
    std::vector<uint32_t> ids;
    for (const FiredRule& fired : decision.fired) ids.push_back(fired.rule_id);
    return ids;
  }

  FeatureSchema schema_;
  SymbolTable symbols_;
  std::vector<int64_t> features_;
};

TEST_F(RiskRuleSetTest, NothingFiresMeansAllow) {
  const RuleSet set = MustCompile(DefaultSpec());
  Decision decision = set.NewDecision();
  features_[kAmount] = 1000;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kAllow);
  EXPECT_FALSE(decision.deny_reward);
  EXPECT_EQ(decision.total_score, 0);
  EXPECT_TRUE(decision.fired.empty());
  EXPECT_TRUE(decision.failures.empty());
  EXPECT_EQ(decision.rule_set_version, 3u);
  EXPECT_EQ(decision.evaluated_at_s, kNowS);
}

TEST_F(RiskRuleSetTest, ScoreAloneReachesTheChallengeThreshold) {
  const RuleSet set = MustCompile(DefaultSpec());
  Decision decision = set.NewDecision();
  features_[kAmount] = 500'000;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(FiredIds(decision), (std::vector<uint32_t>{1}));
  EXPECT_EQ(decision.total_score, 30);
  EXPECT_EQ(decision.verdict_from_score, Verdict::kChallenge);
  EXPECT_EQ(decision.verdict_from_actions, Verdict::kAllow);
  EXPECT_EQ(decision.verdict, Verdict::kChallenge);
  features_[kAmount] = 499'999;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kAllow);
}

TEST_F(RiskRuleSetTest, ScoreAboveTheActionsWins) {
  const RuleSet set = MustCompile(DefaultSpec());
  Decision decision = set.NewDecision();
  features_[kAmount] = 600'000;
  features_[kCount1h] = 12;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(FiredIds(decision), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(decision.total_score, 70);
  EXPECT_EQ(decision.verdict_from_actions, Verdict::kChallenge);
  EXPECT_EQ(decision.verdict_from_score, Verdict::kReview);
  EXPECT_EQ(decision.verdict, Verdict::kReview);
  // Add the NFC rule's 15: 85 is still a review, below deny_at = 100.
  features_[kChannel] = symbols_.Find("NFC");
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.total_score, 85);
  EXPECT_EQ(decision.verdict, Verdict::kReview);
}

TEST_F(RiskRuleSetTest, StrongestActionWins) {
  const RuleSet set = MustCompile(DefaultSpec());
  Decision decision = set.NewDecision();
  features_[kCount1h] = 10;        // challenge
  features_[kDeviceAccounts] = 6;  // review
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.verdict_from_actions, Verdict::kReview);
  EXPECT_EQ(decision.verdict, Verdict::kReview);
  features_[kBlocked] = 1;  // deny beats both
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kDeny);
  EXPECT_EQ(FiredIds(decision), (std::vector<uint32_t>{2, 3, 4}));
  // The decision is overwritten, not accumulated, on the next call.
  features_[kBlocked] = 0;
  features_[kCount1h] = 0;
  features_[kDeviceAccounts] = 0;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kAllow);
  EXPECT_TRUE(decision.fired.empty());
  EXPECT_TRUE(decision.values.empty());
}

TEST_F(RiskRuleSetTest, DenyRewardIsAFlagBesideTheVerdict) {
  const RuleSet set = MustCompile(DefaultSpec());
  Decision decision = set.NewDecision();
  features_[kDeviceAccounts] = 3;
  features_[kRewardEligible] = 1;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(FiredIds(decision), (std::vector<uint32_t>{5}));
  EXPECT_TRUE(decision.deny_reward);
  EXPECT_EQ(decision.verdict, Verdict::kAllow);  // the payment itself goes through
  features_[kRewardEligible] = 0;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_FALSE(decision.deny_reward);
}

TEST_F(RiskRuleSetTest, ExplanationCarriesTheValuesEachRuleRead) {
  const RuleSet set = MustCompile(DefaultSpec());
  Decision decision = set.NewDecision();
  features_[kAmount] = 600'000;
  features_[kCount1h] = 12;
  features_[kDeviceAccounts] = 4;
  features_[kRewardEligible] = 1;
  features_[kChannel] = symbols_.Find("NFC");
  set.Evaluate(features_, kNowS, &decision);
  ASSERT_EQ(FiredIds(decision), (std::vector<uint32_t>{1, 2, 5, 6}));
  const auto values = [&](size_t i) {
    const auto span = decision.ValuesOf(decision.fired[i]);
    return std::vector<FeatureValue>(span.begin(), span.end());
  };
  EXPECT_EQ(values(0), (std::vector<FeatureValue>{{kAmount, 600'000}}));
  EXPECT_EQ(values(1), (std::vector<FeatureValue>{{kCount1h, 12}}));
  EXPECT_EQ(values(2), (std::vector<FeatureValue>{{kDeviceAccounts, 4}, {kRewardEligible, 1}}));
  EXPECT_EQ(values(3),
            (std::vector<FeatureValue>{{kChannel, symbols_.Find("NFC")}, {kAmount, 600'000}}));
  EXPECT_EQ(decision.fired[1].score, 40);
  EXPECT_EQ(decision.fired[1].action, Action::kChallenge);
  EXPECT_EQ(decision.fired[1].rule_index, 1u);

  const std::string text = set.Explain(decision, &symbols_);
  EXPECT_EQ(text,
            "verdict review (actions: challenge, score 85: review), rewards denied, rule set 3\n"
            "rule 1 large_amount +30 none: amount=600000\n"
            "rule 2 velocity_1h +40 challenge: customer.count_1h=12\n"
            "rule 5 reward_abuse +0 deny_reward: device.accounts=4 reward.eligible=true\n"
            "rule 6 nfc_large +15 none: channel=\"NFC\" amount=600000")
      << text;
}

TEST_F(RiskRuleSetTest, ShadowRulesAreReportedButDecideNothing) {
  RuleSetSpec spec = DefaultSpec();
  spec.rules.push_back({.id = 7,
                        .name = "try_deny_small",
                        .expression = "amount < 100",
                        .score = 500,
                        .action = Action::kDeny,
                        .shadow = true});
  const RuleSet set = MustCompile(std::move(spec));
  Decision decision = set.NewDecision();
  features_[kAmount] = 50;
  set.Evaluate(features_, kNowS, &decision);
  ASSERT_EQ(FiredIds(decision), (std::vector<uint32_t>{7}));
  EXPECT_TRUE(decision.fired[0].shadow);
  EXPECT_EQ(decision.total_score, 0);
  EXPECT_EQ(decision.verdict, Verdict::kAllow);
  EXPECT_NE(set.Explain(decision).find("rule 7 try_deny_small (shadow) +500 deny: amount=50"),
            std::string::npos);
}

TEST_F(RiskRuleSetTest, RulesOutsideTheirActiveWindowAreSkipped) {
  RuleSetSpec spec;
  spec.rules.push_back({.id = 1,
                        .name = "double11",
                        .expression = "amount > 0",
                        .action = Action::kChallenge,
                        .active_from_s = kNowS,
                        .active_until_s = kNowS + 86400});
  const RuleSet set = MustCompile(std::move(spec));
  Decision decision = set.NewDecision();
  features_[kAmount] = 1;
  set.Evaluate(features_, kNowS - 1, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kAllow);
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kChallenge);
  set.Evaluate(features_, kNowS + 86399, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kChallenge);
  set.Evaluate(features_, kNowS + 86400, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kAllow);
}

TEST_F(RiskRuleSetTest, FailingRulesDoNotFireAndAreListed) {
  RuleSetSpec spec = DefaultSpec();
  spec.rules.push_back(
      {.id = 8, .name = "ratio", .expression = "amount / zero > 10", .action = Action::kDeny});
  const RuleSet set = MustCompile(std::move(spec));
  Decision decision = set.NewDecision();
  features_[kAmount] = 500'000;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kChallenge);  // rule 1's score; rule 8 did not deny
  ASSERT_EQ(decision.failures.size(), 1u);
  EXPECT_EQ(decision.failures[0].rule_id, 8u);
  EXPECT_EQ(decision.failures[0].error, EvalError::kDivisionByZero);
  EXPECT_NE(set.Explain(decision).find("rule 8 ratio failed: division by zero"), std::string::npos);
}

TEST_F(RiskRuleSetTest, EvaluateDoesNotAllocateOnceTheDecisionHasItsCapacity) {
  const RuleSet set = MustCompile(DefaultSpec());
  Decision decision = set.NewDecision();
  const FiredRule* fired = decision.fired.data();
  const FeatureValue* values = decision.values.data();
  for (int64_t& feature : features_) feature = 1'000'000;  // everything fires
  features_[kChannel] = symbols_.Find("NFC");
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.fired.size(), 6u);
  EXPECT_EQ(decision.fired.data(), fired);
  EXPECT_EQ(decision.values.data(), values);
}

TEST_F(RiskRuleSetTest, CompileErrorsNameTheRule) {
  RuleSetSpec spec = DefaultSpec();
  spec.rules[2].expression = "device.acounts > 5";
  Status status = CompileStatus(spec);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "rule 3 'device_farm': column 1: unknown feature 'device.acounts'");

  spec = DefaultSpec();
  spec.rules[4].id = 1;
  EXPECT_EQ(CompileStatus(spec).message(), "rule id 1 used twice");

  spec = DefaultSpec();
  spec.rules[0].name = "";
  EXPECT_FALSE(CompileStatus(spec).ok());

  spec = DefaultSpec();
  spec.thresholds.review_at = 20;  // below challenge_at = 30
  EXPECT_FALSE(CompileStatus(spec).ok());

  spec = DefaultSpec();
  spec.rules[0].active_from_s = 10;
  spec.rules[0].active_until_s = 10;
  EXPECT_FALSE(CompileStatus(spec).ok());

  spec = DefaultSpec();
  const RuleSpec copy = spec.rules[0];
  spec.rules.resize(RuleSet::kMaxRules + 1, copy);
  EXPECT_FALSE(CompileStatus(spec).ok());
}

TEST_F(RiskRuleSetTest, ThresholdsLeftEmptyNeverApply) {
  RuleSetSpec spec = DefaultSpec();
  spec.thresholds = {.deny_at = 70};
  const RuleSet set = MustCompile(std::move(spec));
  Decision decision = set.NewDecision();
  features_[kAmount] = 500'000;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.verdict, Verdict::kAllow);  // 30 reaches no threshold
  features_[kCount1h] = 10;
  set.Evaluate(features_, kNowS, &decision);
  EXPECT_EQ(decision.total_score, 70);
  EXPECT_EQ(decision.verdict, Verdict::kDeny);
}

}  // namespace
}  // namespace qb::risk
