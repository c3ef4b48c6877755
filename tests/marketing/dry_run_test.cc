// The dry run: a candidate campaign over past payments, with its own caps running out as they
// would have, the holdout left out and counted, and what cannot be simulated refused.
#include "marketing/dry_run.h"

#include <gtest/gtest.h>

#include <vector>

namespace qb::marketing {
namespace {

constexpr int64_t kDay = 86'400;
// 2026-11-01 00:00 China time.
constexpr int64_t kFrom = 1'793'462'400;
constexpr int64_t kTo = kFrom + 30 * kDay;

Campaign Instant(int64_t fixed_fen, int64_t budget_fen) {
  Campaign c;
  c.name = "立减";
  c.type = CampaignType::kInstantDiscount;
  c.rule.shape = AmountShape::kFixed;
  c.rule.fixed_fen = fixed_fen;
  // A window in the future: the dry run moves it over the history.
  c.eligibility.window_start_s = kTo + 10 * kDay;
  c.eligibility.window_end_s = kTo + 20 * kDay;
  c.caps.budget_total_fen = budget_fen;
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

TEST(DryRunTest, TheBudgetRunsOutAsItWouldHaveAndTheDaysAddUp) {
  Campaign c = Instant(500, 1'200);
  c.eligibility.min_amount_fen = 1'000;
  const std::vector<DryRunPayment> payments = {
      At(1, 1, 2'000, kFrom + 100),       At(2, 2, 999, kFrom + 200),  // under the minimum
      At(3, 3, 5'000, kFrom + kDay + 10), At(4, 1, 1'500, kFrom + 2 * kDay),
      At(5, 4, 3'000, kFrom + 3 * kDay),
  };
  DryRunResult r;
  ASSERT_TRUE(DryRun(c, payments, kFrom, kTo, &r).ok());
  EXPECT_EQ(r.payments, 5);
  // 5.00 + 5.00, then the 2.00 left of the budget, then nothing.
  EXPECT_EQ(r.rewarded_payments, 3);
  EXPECT_EQ(r.discount_fen, 1'200);
  EXPECT_EQ(r.cashback_fen, 0);
  EXPECT_EQ(r.gmv_fen, 2'000 + 5'000 + 1'500);
  EXPECT_EQ(r.customers_reached, 2);  // Customers 1 and 3.
  EXPECT_EQ(r.budget_exhausted_s, kFrom + 2 * kDay);
  const std::vector<DryRunDay> days = {{ChinaDay(kFrom), 1, 500},
                                       {ChinaDay(kFrom + kDay), 1, 500},
                                       {ChinaDay(kFrom + 2 * kDay), 1, 200}};
  EXPECT_EQ(r.days, days);
}

TEST(DryRunTest, CapsFirstOrdersAndCashbackFollowTheCampaignsRules) {
  Campaign first = Instant(800, 1'000'000);
  first.type = CampaignType::kFirstOrder;
  first.rule.first_order_scope = FirstOrderScope::kEver;
  std::vector<DryRunPayment> payments;
  for (uint64_t i = 1; i <= 10; i++) {
    DryRunPayment p = At(i, 1 + i % 3, 5'000, kFrom + static_cast<int64_t>(i) * 3'600);
    p.first_payment_ever = i <= 3;  // Each customer's first.
    payments.push_back(p);
  }
  DryRunResult r;
  ASSERT_TRUE(DryRun(first, payments, kFrom, kTo, &r).ok());
  EXPECT_EQ(r.rewarded_payments, 3);
  EXPECT_EQ(r.customers_reached, 3);

  Campaign cashback = Instant(0, 1'000'000);
  cashback.type = CampaignType::kCashback;
  cashback.rule.shape = AmountShape::kPercent;
  cashback.rule.fixed_fen = 0;
  cashback.rule.percent_bps = 1'000;  // 10 %
  cashback.caps.customer_amount_daily_fen = 700;
  ASSERT_TRUE(DryRun(cashback, payments, kFrom, kTo, &r).ok());
  // Ten payments of ¥50 on one day among 3 customers: ¥5 each, at most ¥7 a customer a day.
  EXPECT_EQ(r.cashback_fen, 3 * 700);
  EXPECT_EQ(r.discount_fen, 0);
}

TEST(DryRunTest, TheHoldoutIsLeftOutAndCounted) {
  Campaign c = Instant(100, 1'000'000);
  c.eligibility.holdout_percent = 50;
  std::vector<DryRunPayment> payments;
  for (uint64_t customer = 1; customer <= 200; customer++) {
    payments.push_back(At(customer, customer, 1'000, kFrom + static_cast<int64_t>(customer)));
  }
  DryRunResult r;
  ASSERT_TRUE(DryRun(c, payments, kFrom, kTo, &r).ok());
  EXPECT_EQ(r.customers_reached + r.holdout_customers, 200);
  int64_t held_out = 0;
  for (uint64_t customer = 1; customer <= 200; customer++) {
    held_out += HoldoutBucket(1, customer) < 50 ? 1 : 0;  // The book gives the candidate id 1.
  }
  EXPECT_EQ(r.holdout_customers, held_out);
  EXPECT_GT(held_out, 50);
  EXPECT_LT(held_out, 150);
}

TEST(DryRunTest, CouponCampaignsBadConfigurationsAndUnorderedHistoryAreRefused) {
  DryRunResult r;
  Campaign coupons = Instant(0, 1'000);
  coupons.type = CampaignType::kThresholdCoupon;
  coupons.rule.shape = AmountShape::kNone;
  coupons.rule.fixed_fen = 0;
  Error e = DryRun(coupons, {}, kFrom, kTo, &r);
  EXPECT_EQ(e.code, "CAMPAIGN_DRY_RUN_UNSUPPORTED");
  EXPECT_EQ(e.field, "type");
  e = DryRun(Instant(500, 0), {}, kFrom, kTo, &r);
  EXPECT_EQ(e.code, "CAMPAIGN_INVALID_BUDGET");
  const std::vector<DryRunPayment> backwards = {At(1, 1, 1'000, kFrom + 10),
                                                At(2, 1, 1'000, kFrom + 5)};
  EXPECT_EQ(DryRun(Instant(500, 1'000), backwards, kFrom, kTo, &r).code,
            "CAMPAIGN_DRY_RUN_UNORDERED");
  const std::vector<DryRunPayment> outside = {At(1, 1, 1'000, kTo)};
  EXPECT_EQ(DryRun(Instant(500, 1'000), outside, kFrom, kTo, &r).code,
            "CAMPAIGN_DRY_RUN_UNORDERED");
  // Nothing to price: nothing spent.
  ASSERT_TRUE(DryRun(Instant(500, 1'000), {}, kFrom, kTo, &r).ok());
  EXPECT_EQ(r.rewarded_payments, 0);
  EXPECT_TRUE(r.days.empty());
}

}  // namespace
}  // namespace qb::marketing
