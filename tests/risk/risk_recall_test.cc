// The default rules against the labelled synthetic stream of fraud_sim.h: recall per injected
// pattern, precision per pattern's rules, and how many legitimate payments get in the way.
// The same figures as `qianbao sim fraud --seed 7 --customers 15000 --days 30`, recorded in
// docs/RISK.md.
//
// The stream is not separable by construction. Legitimate behaviour includes the hard negatives
// the rules must let through (fraud_sim.h lists them): new phones paying on their first day,
// families sharing a phone for two accounts (one inviting the other, both claiming the same
// coupon), one-off large transfers to new payees (some to friends who just joined), food-court
// bursts, promotion days and small shops living off regulars, customers back after months away
// withdrawing their balance, and outreach events registering a dozen people from one network in
// an hour. And fraud uses what legitimate customers use: the same merchants, amounts inside the
// tier limits, ordinary channels and networks.
#include <gtest/gtest.h>

#include <cstdio>

#include "risk/default_rules.h"
#include "risk/fraud_sim.h"
#include "risk/risk_engine.h"

namespace qb::risk {
namespace {

TEST(RiskRecallTest, DefaultRulesCatchEveryPatternAndSpareLegitimatePayments) {
  FraudSimOptions options;
  options.seed = 7;
  options.customers = 15'000;
  options.days = 30;
  const std::vector<LabelledEvent> events = GenerateFraudDataset(options);
  RiskEngine engine(RiskEngineLimits::For(options.customers * 2));
  ASSERT_TRUE(engine.SetRules(DefaultRuleSet()).ok());
  const FraudSimReport report = ScoreFraudDataset(events, &engine);
  std::printf("%s", FormatFraudSimReport(report).c_str());

  for (size_t p = kFirstInjectedPattern; p < kFirstInjectedPattern + kInjectedPatternCount; ++p) {
    const auto pattern = static_cast<FraudPattern>(p);
    EXPECT_GE(report.patterns[p].events, 20u) << FraudPatternName(pattern);
    EXPECT_GE(report.Recall(pattern), 0.90) << FraudPatternName(pattern);
  }
  EXPECT_GT(report.legit_payments, 500'000u);
  EXPECT_LE(report.LegitPaymentsHeldRate(), 0.01);
}

TEST(RiskRecallTest, SameSeedSameStreamOtherSeedAnother) {
  FraudSimOptions options;
  options.customers = 500;
  options.days = 5;
  const std::vector<LabelledEvent> a = GenerateFraudDataset(options);
  const std::vector<LabelledEvent> b = GenerateFraudDataset(options);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(FraudSimCsvLine(a[i]), FraudSimCsvLine(b[i])) << i;
  }
  options.seed = 2;
  const std::vector<LabelledEvent> c = GenerateFraudDataset(options);
  EXPECT_TRUE(a.size() != c.size() ||
              FraudSimCsvLine(a[a.size() / 2]) != FraudSimCsvLine(c[c.size() / 2]));
  for (size_t i = 1; i < a.size(); ++i) ASSERT_LE(a[i - 1].time_s, a[i].time_s);
}

}  // namespace
}  // namespace qb::risk
