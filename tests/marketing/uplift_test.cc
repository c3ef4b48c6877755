// The holdout uplift: the population split by HoldoutBucket, eligible payments counted per
// group, and GMV per customer compared exactly.
#include "marketing/uplift.h"

#include <gtest/gtest.h>

#include <vector>

namespace qb::marketing {
namespace {

constexpr int64_t kStart = 1'793'462'400;  // 2026-11-01 00:00 China time.

Campaign WithHoldout(int32_t percent) {
  Campaign c;
  c.id = 7;
  c.name = "立减";
  c.type = CampaignType::kInstantDiscount;
  c.status = CampaignStatus::kLive;
  c.rule.shape = AmountShape::kFixed;
  c.rule.fixed_fen = 100;
  c.eligibility.window_start_s = kStart;
  c.eligibility.window_end_s = kStart + 30 * 86'400;
  c.eligibility.min_amount_fen = 1'000;
  c.eligibility.holdout_percent = percent;
  c.caps.budget_total_fen = 1'000'000;
  return c;
}

DryRunPayment At(uint64_t id, uint64_t customer, int64_t amount_fen, int64_t time_s) {
  DryRunPayment p;
  p.payment_id = id;
  p.customer_id = customer;
  p.merchant_id = 1;
  p.amount_fen = amount_fen;
  p.time_s = time_s;
  return p;
}

TEST(UpliftTest, GroupsFollowTheBucketsAndOnlyEligiblePaymentsCount) {
  const Campaign c = WithHoldout(20);
  std::vector<uint64_t> population;
  std::vector<uint64_t> treated;
  std::vector<uint64_t> held;
  for (uint64_t customer = 1; customer <= 100; customer++) {
    population.push_back(customer);
    (HoldoutBucket(c.id, customer) < 20 ? held : treated).push_back(customer);
  }
  ASSERT_FALSE(held.empty());
  ASSERT_GE(treated.size(), 2u);
  std::vector<DryRunPayment> payments = {
      At(1, treated[0], 5'000, kStart + 10),
      At(2, treated[0], 3'000, kStart + 20),
      At(3, treated[1], 999, kStart + 30),  // Under the minimum: not eligible.
      At(4, held[0], 2'000, kStart + 40),
      At(5, held[0], 2'000, kStart - 1),  // Before the window.
      At(6, 1'000, 9'000, kStart + 50),   // Not in the population.
  };
  UpliftResult r;
  ASSERT_TRUE(MeasureUplift(c, population, payments, &r).ok());
  EXPECT_EQ(r.treated, (UpliftGroup{static_cast<int64_t>(treated.size()), 1, 2, 8'000}));
  EXPECT_EQ(r.holdout, (UpliftGroup{static_cast<int64_t>(held.size()), 1, 1, 2'000}));
  // (8000 / nt) / (2000 / nh) - 1, exactly.
  const int64_t nt = static_cast<int64_t>(treated.size());
  const int64_t nh = static_cast<int64_t>(held.size());
  EXPECT_EQ(r.gmv_per_customer_uplift_bps, (8'000 * nh - 2'000 * nt) * 10'000 / (2'000 * nt));
}

TEST(UpliftTest, NoHoldoutNoSpendOrEmptyGroupsGiveNoUplift) {
  UpliftResult r;
  EXPECT_EQ(MeasureUplift(WithHoldout(0), {}, {}, &r).code, "CAMPAIGN_NO_HOLDOUT");
  const std::vector<uint64_t> population = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  ASSERT_TRUE(MeasureUplift(WithHoldout(50), population, {}, &r).ok());
  EXPECT_EQ(r.treated.customers + r.holdout.customers, 10);
  EXPECT_FALSE(r.gmv_per_customer_uplift_bps.has_value());
  // Everyone held out: no treated group to compare.
  const std::vector<DryRunPayment> one = {At(1, 1, 5'000, kStart + 1)};
  ASSERT_TRUE(MeasureUplift(WithHoldout(100), population, one, &r).ok());
  EXPECT_EQ(r.treated.customers, 0);
  EXPECT_EQ(r.holdout.payments, 1);
  EXPECT_FALSE(r.gmv_per_customer_uplift_bps.has_value());
  // A customer listed twice counts once.
  const std::vector<uint64_t> twice = {1, 1};
  ASSERT_TRUE(MeasureUplift(WithHoldout(100), twice, {}, &r).ok());
  EXPECT_EQ(r.holdout.customers, 1);
}

}  // namespace
}  // namespace qb::marketing
