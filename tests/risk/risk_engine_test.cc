#include "risk/risk_engine.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "risk/default_rules.h"
#include "risk/fraud_sim.h"

namespace qb::risk {
namespace {

// Aligned to every velocity bucket (3 days divides it), so window edges are round offsets.
constexpr int64_t kT0 = int64_t{6559} * 3 * 24 * 3600;
constexpr int64_t kDay = 24 * 3600;

class RiskEngineTest : public ::testing::Test {
 protected:
  // Evaluates then records as completed; returns the feature the test looks at.
  int64_t Run(const RiskEvent& event, int64_t now_s, Feature feature,
              Outcome outcome = Outcome::kCompleted) {
    engine_.Evaluate(event, now_s);
    const int64_t value = engine_.feature(feature);
    engine_.Record(event, now_s, outcome);
    return value;
  }
  int64_t Peek(const RiskEvent& event, int64_t now_s, Feature feature) {
    engine_.Evaluate(event, now_s);
    return engine_.feature(feature);
  }
  static Payment Pay(uint64_t customer, int64_t amount, uint64_t device = 7,
                     uint64_t merchant = 500) {
    return Payment{
        customer, device, 99, merchant, amount, PaymentChannel::kQr, AuthStrength::kDeviceKey,
        2,        false};
  }

  RiskEngine engine_;
};

TEST_F(RiskEngineTest, SchemaNamesEveryFeatureOnceAtItsSlot) {
  const FeatureSchema& schema = RiskEngine::Schema();
  ASSERT_EQ(schema.size(), kFeatureCount);
  std::set<std::string> names;
  for (uint32_t slot = 0; slot < schema.size(); ++slot) {
    EXPECT_EQ(schema.at(slot).name, kFeatureInfos[slot].name);
    EXPECT_FALSE(kFeatureInfos[slot].meaning.empty()) << schema.at(slot).name;
    names.insert(schema.at(slot).name);
  }
  EXPECT_EQ(names.size(), kFeatureCount);
  EXPECT_EQ(schema.Find("customer.count_1h")->slot,
            static_cast<uint32_t>(Feature::kCustomerCount1h));
  EXPECT_EQ(schema.Find("payee.new_senders_24h")->slot,
            static_cast<uint32_t>(Feature::kPayeeNewSenders24h));
}

TEST_F(RiskEngineTest, VelocityCountsAttemptsButOnlyCompletedAmounts) {
  engine_.Record(Registration{1, 7, 99, 13800000000, 0, 0}, kT0 - 10 * kDay, Outcome::kCompleted);
  Run(Pay(1, 1'000), kT0, Feature::kAmount);
  Run(Pay(1, 2'000), kT0 + 5, Feature::kAmount, Outcome::kRefused);
  EXPECT_EQ(Peek(Pay(1, 50), kT0 + 20, Feature::kCustomerCount1m), 2);
  EXPECT_EQ(engine_.feature(Feature::kCustomerAmount1m), 1'000);
  EXPECT_EQ(engine_.feature(Feature::kCustomerCount30d), 2);
  EXPECT_EQ(engine_.feature(Feature::kDeviceCount1h), 2);
  EXPECT_EQ(engine_.feature(Feature::kIpAmount24h), 1'000);
  EXPECT_EQ(engine_.feature(Feature::kMerchantCount1m), 2);
  EXPECT_EQ(engine_.feature(Feature::kMerchantAmount1m), 1'000);
  EXPECT_EQ(engine_.feature(Feature::kAmount), 50);
  // Two minutes on, the minute window is empty; the hour still counts both.
  EXPECT_EQ(Peek(Pay(1, 50), kT0 + 120, Feature::kCustomerCount1m), 0);
  EXPECT_EQ(engine_.feature(Feature::kCustomerCount1h), 2);
}

TEST_F(RiskEngineTest, AccountAgeAndIdleDays) {
  engine_.Record(Registration{1, 7, 99, 13800000000, 0, 0}, kT0, Outcome::kCompleted);
  EXPECT_EQ(Run(Pay(1, 100), kT0 + 3 * kDay + 5, Feature::kCustomerAgeDays), 3);
  EXPECT_EQ(Peek(Pay(1, 100), kT0 + 100 * kDay, Feature::kCustomerIdleDays), 96);
  // Logging in is not activity: the idle time is about money.
  engine_.Record(Login{1, 7, 99}, kT0 + 99 * kDay, Outcome::kCompleted);
  EXPECT_EQ(
      Peek(Withdrawal{1, 7, 99, 55, 300'000, 2}, kT0 + 100 * kDay, Feature::kCustomerIdleDays), 96);
  EXPECT_EQ(engine_.feature(Feature::kCardNewForCustomer), 1);
}

TEST_F(RiskEngineTest, NewDeviceForAnEstablishedCustomer) {
  engine_.Record(Registration{1, 7, 99, 13800000000, 0, 0}, kT0, Outcome::kCompleted);
  // A day-old customer on the registration device: not new. On another: new.
  EXPECT_EQ(Peek(Pay(1, 100, 7), kT0 + 2 * kDay, Feature::kDeviceNewForCustomer), 0);
  EXPECT_EQ(Peek(Pay(1, 100, 8), kT0 + 2 * kDay, Feature::kDeviceNewForCustomer), 1);
  // A login on the new device makes it known but still new for 24 hours.
  engine_.Record(Login{1, 8, 99}, kT0 + 2 * kDay, Outcome::kCompleted);
  EXPECT_EQ(Peek(Pay(1, 100, 8), kT0 + 2 * kDay + 3600, Feature::kDeviceNewForCustomer), 1);
  EXPECT_EQ(engine_.feature(Feature::kCustomerDevices), 2);
  EXPECT_EQ(Peek(Pay(1, 100, 8), kT0 + 3 * kDay + 1, Feature::kDeviceNewForCustomer), 0);
  EXPECT_EQ(engine_.feature(Feature::kDeviceCustomerDays), 1);
  // A brand-new customer's device is never "new for the customer".
  engine_.Record(Registration{2, 9, 99, 13900000000, 0, 0}, kT0 + 3 * kDay, Outcome::kCompleted);
  EXPECT_EQ(Peek(Pay(2, 100, 9), kT0 + 3 * kDay + 60, Feature::kDeviceNewForCustomer), 0);
}

TEST_F(RiskEngineTest, SharedDeviceRegistrationsAndPhoneBlocks) {
  for (uint64_t c = 1; c <= 3; ++c) {
    const Registration registration{c, 7, 99, 13800001200 + c, 0, 0};
    engine_.Evaluate(registration, kT0 + static_cast<int64_t>(c) * 60);
    EXPECT_EQ(engine_.feature(Feature::kDeviceAccounts), static_cast<int64_t>(c - 1));
    EXPECT_EQ(engine_.feature(Feature::kDeviceRegistrations24h), static_cast<int64_t>(c - 1));
    EXPECT_EQ(engine_.feature(Feature::kIpRegistrations1h), static_cast<int64_t>(c - 1));
    EXPECT_EQ(engine_.feature(Feature::kPhoneBlockRegistrations24h), static_cast<int64_t>(c - 1));
    engine_.Record(registration, kT0 + static_cast<int64_t>(c) * 60, Outcome::kCompleted);
  }
  // Another block of numbers, another device: nothing shared.
  EXPECT_EQ(Peek(Registration{4, 8, 98, 13800001300, 0, 0}, kT0 + 600,
                 Feature::kPhoneBlockRegistrations24h),
            0);
  EXPECT_EQ(engine_.feature(Feature::kDeviceAccounts), 0);
  // The third customer registered on a device that carried two accounts.
  EXPECT_EQ(Peek(Reward{3, 7, 1, 0, 1000}, kT0 + 900, Feature::kCustomerRegDeviceAccounts), 2);
  EXPECT_EQ(engine_.feature(Feature::kDeviceAccounts), 3);
}

TEST_F(RiskEngineTest, ReferralChainOnAReusedDevice) {
  // A registers on phone 1 and invites B on phone 2; B invites C back on phone 1.
  engine_.Record(Registration{1, 1, 99, 13800000000, 0, 111}, kT0, Outcome::kCompleted);
  EXPECT_EQ(
      Run(Registration{2, 2, 99, 13900000000, 1, 222}, kT0 + 60, Feature::kReferralChainDepth), 0);
  EXPECT_EQ(engine_.feature(Feature::kReferralHasInviter), 1);
  EXPECT_EQ(engine_.feature(Feature::kReferralInviterAgeDays), 0);
  EXPECT_EQ(
      Run(Registration{3, 1, 99, 13700000000, 2, 333}, kT0 + 120, Feature::kReferralChainDepth), 2);
  // D on a new phone but with A's identity: depth 3.
  EXPECT_EQ(
      Peek(Registration{4, 4, 99, 13600000000, 3, 111}, kT0 + 180, Feature::kReferralChainDepth),
      3);
  EXPECT_EQ(engine_.feature(Feature::kIdentityAccounts), 1);
  EXPECT_EQ(engine_.feature(Feature::kReferralInviterInvitees24h), 0);
  // B's inviter bonus for C carries C's registration signal; B invited one today.
  EXPECT_EQ(Peek(Reward{2, 2, 5, 3, 2000}, kT0 + 300, Feature::kInviteeRegChainDepth), 2);
  EXPECT_EQ(engine_.feature(Feature::kCustomerInvitees24h), 1);
}

TEST_F(RiskEngineTest, PayeeIsNewUntilAMoneyTransferCompletes) {
  engine_.Record(Registration{2, 8, 98, 13900000000, 0, 0}, kT0 - 5 * kDay, Outcome::kCompleted);
  const Transfer transfer{1, 2, 7, 99, 300'000, AuthStrength::kDeviceKey, 1};
  EXPECT_EQ(Run(transfer, kT0, Feature::kPayeeNewForCustomer, Outcome::kRefused), 1);
  EXPECT_EQ(engine_.feature(Feature::kPayeeAgeDays), 5);
  EXPECT_EQ(Run(transfer, kT0 + 60, Feature::kPayeeNewForCustomer), 1);
  EXPECT_EQ(engine_.feature(Feature::kPayeeCount1h), 1);
  EXPECT_EQ(engine_.feature(Feature::kPayeeAmount1h), 0);
  EXPECT_EQ(Peek(transfer, kT0 + 120, Feature::kPayeeNewForCustomer), 0);
  EXPECT_EQ(engine_.feature(Feature::kPayeeNewSenders24h), 1);
  EXPECT_EQ(engine_.feature(Feature::kPayeeAmount1h), 300'000);
}

TEST_F(RiskEngineTest, FailedTopUpsAndNewCards) {
  for (uint64_t card = 1; card <= 3; ++card) {
    Run(TopUp{1, 7, card, 100}, kT0 + static_cast<int64_t>(card) * 60, Feature::kAmount,
        Outcome::kRefused);
  }
  EXPECT_EQ(Peek(TopUp{1, 7, 4, 100}, kT0 + 300, Feature::kCustomerFailedTopUps1h), 3);
  EXPECT_EQ(engine_.feature(Feature::kCustomerNewCards24h), 3);
  EXPECT_EQ(engine_.feature(Feature::kCardNewForCustomer), 1);
  EXPECT_EQ(Peek(TopUp{2, 8, 2, 100}, kT0 + 300, Feature::kCardFailed24h), 1);
  Run(TopUp{1, 7, 1, 5'000}, kT0 + 400, Feature::kAmount);
  EXPECT_EQ(Peek(Pay(1, 100), kT0 + 500, Feature::kCustomerTopUpAmount24h), 5'000);
}

TEST_F(RiskEngineTest, MerchantShareAndAmountZScore) {
  // Five customers pay 10.00 each; then customer 1 pays 20.00 more twice.
  for (uint64_t c = 1; c <= 5; ++c)
    Run(Pay(c, 1'000), kT0 + static_cast<int64_t>(c), Feature::kAmount);
  EXPECT_EQ(Peek(Pay(6, 1'000), kT0 + 10, Feature::kMerchantCustomers30d), 5);
  Run(Pay(1, 2'000), kT0 + 20, Feature::kAmount);
  EXPECT_EQ(Peek(Pay(1, 1'000), kT0 + 30, Feature::kMerchantCustomerCount30d), 2);
  // Customer 1: 30.00 of the merchant's 70.00.
  EXPECT_EQ(engine_.feature(Feature::kMerchantCustomerSharePct), 42);
  // Six samples, 10.00 five times and 20.00 once: mean 11.67, sd 4.08; 1,000.00 is far out.
  EXPECT_GT(Peek(Pay(7, 100'000), kT0 + 40, Feature::kMerchantAmountZ), 200'000);
  EXPECT_EQ(engine_.feature(Feature::kCustomerAmountZ), 0);  // customer 7 has no history
}

TEST_F(RiskEngineTest, BlockListAndCouponClaims) {
  ASSERT_TRUE(engine_.lists().Add(ListType::kBlock, EntityKind::kDevice, 66, kT0, 0, "farm").ok());
  EXPECT_EQ(Peek(Pay(1, 100, 66), kT0 + 1, Feature::kBlocked), 1);
  EXPECT_EQ(Peek(Pay(1, 100, 67), kT0 + 1, Feature::kBlocked), 0);
  for (uint64_t c = 1; c <= 3; ++c) {
    Run(CouponClaim{c, 67, 900}, kT0 + static_cast<int64_t>(c), Feature::kAmount);
  }
  EXPECT_EQ(Peek(CouponClaim{4, 67, 900}, kT0 + 10, Feature::kDeviceCampaignClaims30d), 3);
  EXPECT_EQ(engine_.feature(Feature::kDeviceClaims24h), 3);
  EXPECT_EQ(engine_.feature(Feature::kDeviceAccounts), 3);
  EXPECT_EQ(Peek(CouponClaim{4, 67, 901}, kT0 + 10, Feature::kDeviceCampaignClaims30d), 0);
}

TEST_F(RiskEngineTest, EvaluateChangesNoState) {
  engine_.Record(Registration{1, 7, 99, 13800000000, 0, 0}, kT0, Outcome::kCompleted);
  const Digest before = engine_.StateHash();
  engine_.Evaluate(Pay(1, 100), kT0 + 5);
  engine_.Evaluate(Transfer{1, 2, 7, 99, 100, AuthStrength::kDeviceKey, 2}, kT0 + 5);
  EXPECT_EQ(engine_.StateHash(), before);
}

TEST_F(RiskEngineTest, DefaultRulesCompileAndExplain) {
  ASSERT_TRUE(engine_.SetRules(DefaultRuleSet()).ok());
  engine_.Record(Registration{1, 7, 99, 13800000000, 0, 0}, kT0, Outcome::kCompleted);
  for (int k = 0; k < 3; ++k) engine_.Record(Pay(1, 100), kT0 + 10 * kDay + k, Outcome::kCompleted);
  const Decision& decision = engine_.Evaluate(Pay(1, 100), kT0 + 10 * kDay + 5);
  EXPECT_EQ(decision.verdict, Verdict::kChallenge);
  EXPECT_NE(engine_.Explain().find("burst_1m"), std::string::npos) << engine_.Explain();
  EXPECT_NE(engine_.Explain().find("customer.count_1m=3"), std::string::npos);
  EXPECT_FALSE(CustomerMessage(Verdict::kChallenge).empty());
  EXPECT_EQ(CustomerMessage(Verdict::kChallenge).find("burst"), std::string_view::npos);
  for (const RuleSpec& rule : DefaultRuleSet().rules) {
    EXPECT_NE(PatternOfRule(rule.id), FraudPattern::kNone) << rule.name;
  }
}

TEST_F(RiskEngineTest, ShadowRulesAreReportedNotEnforced) {
  ASSERT_TRUE(engine_.SetRules(DefaultRuleSet()).ok());
  RuleSetSpec strict;
  strict.version = 2;
  strict.rules = {{.id = 1,
                   .name = "deny_over_100",
                   .expression = "event == \"payment\" and amount > 10_000",
                   .action = Action::kDeny}};
  ASSERT_TRUE(engine_.SetShadowRules(strict).ok());
  const Decision& decision = engine_.Evaluate(Pay(1, 20'000), kT0);
  EXPECT_EQ(decision.verdict, Verdict::kAllow);
  ASSERT_NE(engine_.shadow_decision(), nullptr);
  EXPECT_EQ(engine_.shadow_decision()->verdict, Verdict::kDeny);
  EXPECT_EQ(engine_.shadow_decision()->rule_set_version, 2u);
  EXPECT_NE(engine_.Explain(/*shadow=*/true).find("deny_over_100"), std::string::npos);
  engine_.ClearShadowRules();
  EXPECT_EQ(engine_.shadow_decision(), nullptr);
  // A rule that does not compile leaves the shadow set unset.
  strict.rules[0].expression = "amount > nonsense";
  EXPECT_FALSE(engine_.SetShadowRules(strict).ok());
  EXPECT_EQ(engine_.shadow_decision(), nullptr);
}

// Same stream, same state; a checkpoint taken mid-stream and loaded elsewhere makes the same
// decisions afterwards and ends in the same state.
TEST(RiskEngineDeterminismTest, ReplayAndCheckpointGiveTheSameDecisions) {
  FraudSimOptions options;
  options.customers = 1'000;
  options.days = 6;
  options.warmup_days = 2;
  const std::vector<LabelledEvent> events = GenerateFraudDataset(options);
  const RiskEngineLimits limits = RiskEngineLimits::For(500);  // small: eviction happens
  RiskEngine first(limits);
  RiskEngine second(limits);
  RiskEngine resumed(limits);
  for (RiskEngine* engine : {&first, &second, &resumed}) {
    ASSERT_TRUE(engine->SetRules(DefaultRuleSet()).ok());
  }
  const size_t half = events.size() / 2;
  std::string checkpoint;
  size_t differing = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const LabelledEvent& e = events[i];
    if (i == half) {
      first.Serialize(&checkpoint);
      ASSERT_TRUE(resumed.Deserialize(checkpoint).ok());
      ASSERT_EQ(resumed.StateHash(), first.StateHash());
    }
    const Decision a = first.Evaluate(e.event, e.time_s);
    const Decision b = second.Evaluate(e.event, e.time_s);
    EXPECT_EQ(a.verdict, b.verdict);
    if (i >= half) {
      const Decision& c = resumed.Evaluate(e.event, e.time_s);
      differing += c.verdict != a.verdict || c.total_score != a.total_score ||
                   c.deny_reward != a.deny_reward || c.fired.size() != a.fired.size();
      resumed.Record(e.event, e.time_s, Outcome::kCompleted);
    }
    first.Record(e.event, e.time_s, Outcome::kCompleted);
    second.Record(e.event, e.time_s, Outcome::kCompleted);
  }
  EXPECT_EQ(differing, 0u);
  EXPECT_EQ(first.StateHash(), second.StateHash());
  EXPECT_EQ(first.StateHash(), resumed.StateHash());
  EXPECT_GT(first.profile_count(), 100u);
}

// With rules installed Evaluate computes only the features they read; those must equal what an
// engine computing every feature sees.
TEST(RiskEngineDeterminismTest, SkippedFeaturesChangeNoRuleInput) {
  FraudSimOptions options;
  options.customers = 500;
  options.days = 5;
  options.warmup_days = 2;
  const std::vector<LabelledEvent> events = GenerateFraudDataset(options);
  RiskEngine all_features;
  RiskEngine with_rules;
  ASSERT_TRUE(with_rules.SetRules(DefaultRuleSet()).ok());
  std::vector<uint32_t> read;
  for (const RuleSpec& rule : DefaultRuleSet().rules) {
    SymbolTable symbols;
    CompiledExpression expression;
    ASSERT_TRUE(
        CompiledExpression::Compile(rule.expression, RiskEngine::Schema(), &symbols, &expression)
            .ok());
    for (const uint32_t slot : expression.referenced_slots()) read.push_back(slot);
  }
  size_t compared = 0;
  for (const LabelledEvent& e : events) {
    all_features.Evaluate(e.event, e.time_s);
    with_rules.Evaluate(e.event, e.time_s);
    for (const uint32_t slot : read) {
      // Symbols are interned per engine in the same order, so their codes match too.
      ASSERT_EQ(all_features.features()[slot], with_rules.features()[slot])
          << RiskEngine::Schema().at(slot).name;
      ++compared;
    }
    all_features.Record(e.event, e.time_s, Outcome::kCompleted);
    with_rules.Record(e.event, e.time_s, Outcome::kCompleted);
  }
  EXPECT_GT(compared, 100'000u);
  EXPECT_EQ(all_features.StateHash(), with_rules.StateHash());
}

TEST(RiskEngineDeterminismTest, CorruptCheckpointsAreRefused) {
  RiskEngine engine;
  engine.Record(Registration{1, 7, 99, 13800000000, 0, 0}, kT0, Outcome::kCompleted);
  std::string bytes;
  engine.Serialize(&bytes);
  const Digest hash = engine.StateHash();
  RiskEngine other;
  EXPECT_FALSE(other.Deserialize(bytes.substr(0, bytes.size() - 1)).ok());
  EXPECT_FALSE(other.Deserialize(bytes + "x").ok());
  std::string bad_magic = bytes;
  bad_magic[0] ^= 1;
  EXPECT_FALSE(other.Deserialize(bad_magic).ok());
  ASSERT_TRUE(other.Deserialize(bytes).ok());
  EXPECT_EQ(other.StateHash(), hash);
}

}  // namespace
}  // namespace qb::risk
