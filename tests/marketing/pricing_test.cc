#include "marketing/pricing.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>
#include <utility>

#include "marketing/campaign_book.h"
#include "marketing_test_util.h"

namespace qb::marketing {
namespace {

using testing::AddLive;
using testing::kDay;
using testing::kT0;
using testing::MakeCampaign;
using testing::MakePayment;
using testing::MakeThresholdTemplate;
using testing::Pay;
using testing::Spent;

Campaign Percent(CampaignType type, int32_t bps, int64_t cap_fen) {
  Campaign campaign = MakeCampaign(type);
  campaign.rule.shape = AmountShape::kPercent;
  campaign.rule.percent_bps = bps;
  campaign.rule.percent_cap_fen = cap_fen;
  return campaign;
}

Campaign Fixed(CampaignType type, int64_t fixed_fen, int64_t budget_fen = 1'000'000) {
  Campaign campaign = MakeCampaign(type, budget_fen);
  campaign.rule.shape = AmountShape::kFixed;
  campaign.rule.fixed_fen = fixed_fen;
  return campaign;
}

TEST(PricingTest, NoCampaignsNoRewards) {
  CampaignBook book;
  const Plan plan = book.Quote(MakePayment(1, 10'000));
  EXPECT_TRUE(plan.rewards.empty());
  EXPECT_EQ(plan.customer_pays_fen, 10'000);
  EXPECT_EQ(plan.discount_fen, 0);
}

TEST(PricingTest, InstantDiscountFixed) {
  CampaignBook book;
  const uint64_t id = AddLive(&book, MakeCampaign(CampaignType::kInstantDiscount));
  const Plan plan = book.Quote(MakePayment(1, 10'000));
  ASSERT_EQ(plan.rewards.size(), 1u);
  EXPECT_EQ(plan.rewards[0], (Reward{id, 0, RewardKind::kDiscount, 500, 0}));
  EXPECT_EQ(plan.customer_pays_fen, 9'500);
}

TEST(PricingTest, InstantDiscountPercentWithCap) {
  CampaignBook book;
  AddLive(&book, Percent(CampaignType::kInstantDiscount, 1'000, 300));
  EXPECT_EQ(book.Quote(MakePayment(1, 2'000)).discount_fen, 200);
  EXPECT_EQ(book.Quote(MakePayment(1, 2'009)).discount_fen, 200);  // rounded down
  EXPECT_EQ(book.Quote(MakePayment(1, 10'000)).discount_fen, 300);
}

TEST(PricingTest, RandomRangeIsSeededAndInRange) {
  CampaignBook book;
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  campaign.rule.shape = AmountShape::kRandomRange;
  campaign.rule.random_lo_fen = 100;
  campaign.rule.random_hi_fen = 888;
  AddLive(&book, campaign);
  std::set<int64_t> seen;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    PaymentContext context = MakePayment(1, 10'000);
    context.seed = seed;
    const int64_t discount = book.Quote(context).discount_fen;
    ASSERT_GE(discount, 100);
    ASSERT_LE(discount, 888);
    EXPECT_EQ(book.Quote(context).discount_fen, discount);  // same seed, same draw
    seen.insert(discount);
  }
  EXPECT_GT(seen.size(), 100u);
}

TEST(PricingTest, ThresholdInstantDiscount) {
  CampaignBook book;
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  campaign.rule.shape = AmountShape::kThreshold;
  campaign.rule.threshold_fen = 20'000;
  campaign.rule.save_fen = 3'000;
  AddLive(&book, campaign);
  EXPECT_EQ(book.Quote(MakePayment(1, 19'999)).discount_fen, 0);
  EXPECT_EQ(book.Quote(MakePayment(1, 20'000)).discount_fen, 3'000);
}

TEST(PricingTest, FirstOrderEverOrAtMerchant) {
  CampaignBook book;
  AddLive(&book, Fixed(CampaignType::kFirstOrder, 1'000));
  Campaign at_merchant = Fixed(CampaignType::kFirstOrder, 300);
  at_merchant.rule.first_order_scope = FirstOrderScope::kAtMerchant;
  AddLive(&book, at_merchant);

  PaymentContext context = MakePayment(1, 10'000);
  EXPECT_EQ(book.Quote(context).discount_fen, 0);
  context.first_at_merchant = true;
  EXPECT_EQ(book.Quote(context).discount_fen, 300);
  context.first_payment_ever = true;
  EXPECT_EQ(book.Quote(context).discount_fen, 1'300);
}

TEST(PricingTest, CashbackOnWhatWasPaid) {
  // DESIGN.md's example: ¥100 with a ¥5 discount and 2% cashback → 95 paid, 1.90 back.
  CampaignBook book;
  const uint64_t discount = AddLive(&book, MakeCampaign(CampaignType::kInstantDiscount));
  const uint64_t cashback = AddLive(&book, MakeCampaign(CampaignType::kCashback));
  const Plan plan = book.Quote(MakePayment(1, 10'000));
  ASSERT_EQ(plan.rewards.size(), 2u);
  EXPECT_EQ(plan.rewards[0], (Reward{discount, 0, RewardKind::kDiscount, 500, 0}));
  EXPECT_EQ(plan.rewards[1], (Reward{cashback, 0, RewardKind::kCashbackNow, 190, 0}));
  EXPECT_EQ(plan.customer_pays_fen, 9'500);
  EXPECT_EQ(plan.cashback_fen, 190);
}

TEST(PricingTest, HeldCashbackCarriesItsReleaseTime) {
  CampaignBook book;
  Campaign campaign = Fixed(CampaignType::kCashback, 88);
  campaign.rule.hold_seconds = 7 * kDay;
  AddLive(&book, campaign);
  const Plan plan = book.Quote(MakePayment(1, 10'000));
  ASSERT_EQ(plan.rewards.size(), 1u);
  EXPECT_EQ(plan.rewards[0].kind, RewardKind::kCashbackHeld);
  EXPECT_EQ(plan.rewards[0].release_at_s, kT0 + 7 * kDay);
}

TEST(PricingTest, CustomerAlwaysPaysAtLeastOneFenAndCashbackNoMoreThanPaid) {
  CampaignBook book;
  AddLive(&book, Fixed(CampaignType::kInstantDiscount, 500));
  AddLive(&book, Fixed(CampaignType::kInstantDiscount, 500));
  AddLive(&book, Fixed(CampaignType::kCashback, 500));
  Plan plan = book.Quote(MakePayment(1, 700));
  EXPECT_EQ(plan.discount_fen, 699);
  EXPECT_EQ(plan.customer_pays_fen, 1);
  EXPECT_EQ(plan.cashback_fen, 1);
  ASSERT_EQ(plan.rewards.size(), 3u);
  EXPECT_EQ(plan.rewards[1].amount_fen, 199);  // the second discount is cut to fit
  plan = book.Quote(MakePayment(1, 1));
  EXPECT_EQ(plan.discount_fen, 0);
  EXPECT_EQ(plan.cashback_fen, 1);
}

TEST(PricingTest, StackingOrderDiscountThenCouponThenCashback) {
  CampaignBook book;
  AddLive(&book, MakeCampaign(CampaignType::kInstantDiscount));  // 500 off
  const uint64_t coupons = AddLive(&book, MakeCampaign(CampaignType::kThresholdCoupon));
  AddLive(&book, MakeCampaign(CampaignType::kCashback));  // 2%
  uint64_t reachable = 0;
  uint64_t unreachable = 0;
  ASSERT_TRUE(
      book.CreateCouponTemplate(MakeThresholdTemplate(coupons, 9'000, 1'000), &reachable).ok());
  ASSERT_TRUE(
      book.CreateCouponTemplate(MakeThresholdTemplate(coupons, 10'000, 2'000), &unreachable).ok());
  uint64_t coupon_a = 0;
  uint64_t coupon_b = 0;
  ASSERT_TRUE(book.ClaimCoupon(reachable, 1, kT0, &coupon_a).ok());
  ASSERT_TRUE(book.ClaimCoupon(unreachable, 1, kT0, &coupon_b).ok());

  PaymentContext context = MakePayment(1, 10'000);
  context.coupon_id = coupon_a;
  Plan plan = book.Quote(context);
  ASSERT_EQ(plan.rewards.size(), 3u);
  EXPECT_EQ(plan.rewards[0].kind, RewardKind::kDiscount);
  EXPECT_EQ(plan.rewards[1], (Reward{coupons, coupon_a, RewardKind::kCoupon, 1'000, 0}));
  EXPECT_EQ(plan.rewards[2].amount_fen, 170);  // 2% of 8500
  EXPECT_EQ(plan.customer_pays_fen, 8'500);

  // The 满10000 coupon is checked against 9500, after the instant discount: not usable.
  context.coupon_id = coupon_b;
  plan = book.Quote(context);
  EXPECT_EQ(plan.discount_fen, 500);
  EXPECT_EQ(plan.cashback_fen, 190);

  // Someone else's coupon is ignored.
  context.customer_id = 2;
  context.coupon_id = coupon_a;
  EXPECT_EQ(book.Quote(context).discount_fen, 500);
}

TEST(PricingTest, ExclusiveGroupPicksTheBestForTheCustomer) {
  CampaignBook book;
  Campaign small = Fixed(CampaignType::kInstantDiscount, 300);
  small.exclusive_group = 1;
  small.priority = 10;
  Campaign large = Percent(CampaignType::kInstantDiscount, 500, 0);  // 5%
  large.exclusive_group = 1;
  Campaign stackable = Fixed(CampaignType::kInstantDiscount, 10);
  AddLive(&book, small);
  const uint64_t large_id = AddLive(&book, large);
  const uint64_t stackable_id = AddLive(&book, stackable);

  Plan plan = book.Quote(MakePayment(1, 10'000));  // 300 vs 500: 5% wins
  ASSERT_EQ(plan.rewards.size(), 2u);
  EXPECT_EQ(plan.rewards[0].campaign_id, large_id);
  EXPECT_EQ(plan.rewards[0].amount_fen, 500);
  EXPECT_EQ(plan.rewards[1].campaign_id, stackable_id);
  plan = book.Quote(MakePayment(1, 4'000));  // 300 vs 200: the fixed one wins
  EXPECT_EQ(plan.discount_fen, 310);
  plan = book.Quote(MakePayment(1, 6'000));  // 300 vs 300: higher priority wins
  EXPECT_EQ(plan.rewards[0].campaign_id, 1u);
}

TEST(PricingTest, ExclusiveGroupSpansTypes) {
  CampaignBook book;
  Campaign discount = Fixed(CampaignType::kInstantDiscount, 100);
  discount.exclusive_group = 3;
  Campaign cashback = Percent(CampaignType::kCashback, 500, 0);
  cashback.exclusive_group = 3;
  AddLive(&book, discount);
  const uint64_t cashback_id = AddLive(&book, cashback);
  const Plan plan = book.Quote(MakePayment(1, 10'000));  // 100 off vs 500 back
  ASSERT_EQ(plan.rewards.size(), 1u);
  EXPECT_EQ(plan.rewards[0].campaign_id, cashback_id);
  EXPECT_EQ(plan.rewards[0].amount_fen, 500);
}

TEST(PricingTest, BudgetReducesThenStops) {
  CampaignBook book;
  const uint64_t id = AddLive(&book, Fixed(CampaignType::kInstantDiscount, 500, 700));
  EXPECT_EQ(Pay(&book, 1, MakePayment(1, 10'000)).discount_fen, 500);
  EXPECT_EQ(Pay(&book, 2, MakePayment(2, 10'000)).discount_fen, 200);
  EXPECT_EQ(Pay(&book, 3, MakePayment(3, 10'000)).discount_fen, 0);
  EXPECT_EQ(Spent(book, id), 700);
  ASSERT_TRUE(book.TopUp(id, 1'000).ok());
  EXPECT_EQ(Pay(&book, 4, MakePayment(4, 10'000)).discount_fen, 500);
}

TEST(PricingTest, DailyBudgetResetsOnTheChinaDay) {
  CampaignBook book;
  Campaign campaign = Fixed(CampaignType::kInstantDiscount, 500);
  campaign.caps.budget_daily_fen = 600;
  AddLive(&book, campaign);
  const int64_t midnight = (ChinaDay(kT0) + 1) * kDay - kChinaOffsetSeconds;  // 00:00 China
  EXPECT_EQ(Pay(&book, 1, MakePayment(1, 10'000, midnight - 10)).discount_fen, 500);
  EXPECT_EQ(Pay(&book, 2, MakePayment(2, 10'000, midnight - 5)).discount_fen, 100);
  EXPECT_EQ(Pay(&book, 3, MakePayment(3, 10'000, midnight - 1)).discount_fen, 0);
  EXPECT_EQ(Pay(&book, 4, MakePayment(4, 10'000, midnight)).discount_fen, 500);
}

TEST(PricingTest, PerCustomerCountCapsSkip) {
  CampaignBook book;
  Campaign campaign = Fixed(CampaignType::kInstantDiscount, 100);
  campaign.caps.customer_count_daily = 2;
  campaign.caps.customer_count_lifetime = 3;
  AddLive(&book, campaign);
  EXPECT_EQ(Pay(&book, 1, MakePayment(1, 1'000)).discount_fen, 100);
  EXPECT_EQ(Pay(&book, 2, MakePayment(1, 1'000)).discount_fen, 100);
  EXPECT_EQ(Pay(&book, 3, MakePayment(1, 1'000)).discount_fen, 0);  // daily count
  EXPECT_EQ(Pay(&book, 4, MakePayment(2, 1'000)).discount_fen, 100);
  EXPECT_EQ(Pay(&book, 5, MakePayment(1, 1'000, kT0 + kDay)).discount_fen, 100);
  EXPECT_EQ(Pay(&book, 6, MakePayment(1, 1'000, kT0 + kDay)).discount_fen, 0);  // lifetime
}

TEST(PricingTest, PerCustomerAmountCapsReduce) {
  CampaignBook book;
  Campaign campaign = Fixed(CampaignType::kInstantDiscount, 400);
  campaign.caps.customer_amount_daily_fen = 600;
  campaign.caps.customer_amount_lifetime_fen = 1'000;
  AddLive(&book, campaign);
  EXPECT_EQ(Pay(&book, 1, MakePayment(1, 9'000)).discount_fen, 400);
  EXPECT_EQ(Pay(&book, 2, MakePayment(1, 9'000)).discount_fen, 200);
  EXPECT_EQ(Pay(&book, 3, MakePayment(1, 9'000)).discount_fen, 0);
  EXPECT_EQ(Pay(&book, 4, MakePayment(1, 9'000, kT0 + kDay)).discount_fen, 400);
  EXPECT_EQ(Pay(&book, 5, MakePayment(1, 9'000, kT0 + 2 * kDay)).discount_fen, 0);
}

TEST(PricingTest, DeviceAndIdentityCapsAndUnknownHashes) {
  CampaignBook book;
  Campaign campaign = Fixed(CampaignType::kInstantDiscount, 100);
  campaign.caps.device_count_lifetime = 1;
  campaign.caps.identity_count_lifetime = 2;
  AddLive(&book, campaign);
  PaymentContext a = MakePayment(1, 1'000);
  PaymentContext b = MakePayment(2, 1'000);  // another account of the same person
  b.identity_hash = a.identity_hash;
  PaymentContext c = MakePayment(3, 1'000);  // same person again, on a third device
  c.identity_hash = a.identity_hash;
  PaymentContext d = MakePayment(4, 1'000);  // a new account on the first device
  d.device_hash = a.device_hash;
  EXPECT_EQ(Pay(&book, 1, a).discount_fen, 100);
  EXPECT_EQ(Pay(&book, 2, b).discount_fen, 100);
  EXPECT_EQ(Pay(&book, 3, c).discount_fen, 0);  // identity cap 2
  EXPECT_EQ(Pay(&book, 4, d).discount_fen, 0);  // device cap 1
  PaymentContext unknown = MakePayment(5, 1'000);
  unknown.device_hash = 0;
  EXPECT_EQ(book.Quote(unknown).discount_fen, 0);  // fail closed
}

TEST(PricingTest, HoldoutGetsNothing) {
  CampaignBook book;
  Campaign campaign = Fixed(CampaignType::kInstantDiscount, 100);
  campaign.eligibility.holdout_percent = 30;
  const uint64_t id = AddLive(&book, campaign);
  int held_out = 0;
  for (uint64_t customer = 1; customer <= 1'000; ++customer) {
    const bool in_holdout = HoldoutBucket(id, customer) < 30;
    EXPECT_EQ(book.Quote(MakePayment(customer, 1'000)).discount_fen, in_holdout ? 0 : 100);
    held_out += in_holdout;
  }
  EXPECT_GT(held_out, 230);
  EXPECT_LT(held_out, 370);
}

TEST(PricingTest, RegionsNestDistrictInCityInProvince) {
  for (const uint32_t listed : {350000u, 350100u, 350102u}) {
    CampaignBook book;
    Campaign campaign = Fixed(CampaignType::kInstantDiscount, 100);
    campaign.eligibility.regions = {listed};
    AddLive(&book, campaign);
    auto discount = [&](uint32_t region) {
      PaymentContext c = MakePayment(1, 1'000);
      c.region = region;
      return book.Quote(c).discount_fen;
    };
    SCOPED_TRACE(listed);
    EXPECT_EQ(discount(350102), 100);                         // Gulou district, Fuzhou
    EXPECT_EQ(discount(350100), listed == 350102 ? 0 : 100);  // Fuzhou itself
    EXPECT_EQ(discount(350203), listed == 350000 ? 100 : 0);  // Xiamen
    EXPECT_EQ(discount(350000), listed == 350000 ? 100 : 0);  // Fujian itself
    EXPECT_EQ(discount(310104), 0);                           // Shanghai
    EXPECT_EQ(discount(0), 0);                                // unknown
  }
}

TEST(PricingTest, EligibilityFilters) {
  CampaignBook book;
  Campaign campaign = Fixed(CampaignType::kInstantDiscount, 100);
  Eligibility& e = campaign.eligibility;
  e.hours_mask = (1u << 6) | (1u << 7);  // 06:00-07:59 China time; kT0 is 06:13
  e.channel_mask = ChannelBit(Channel::kQr) | ChannelBit(Channel::kNfc);
  e.merchant_ids = {77, 78};
  e.categories = {5812};
  e.regions = {310000};
  e.segment_mask = 0b100;
  e.min_amount_fen = 1'000;
  AddLive(&book, campaign);

  PaymentContext base = MakePayment(1, 1'000);
  base.segment_bits = 0b110;
  EXPECT_EQ(book.Quote(base).discount_fen, 100);
  auto expect_none = [&](PaymentContext context, const char* why) {
    EXPECT_EQ(book.Quote(context).discount_fen, 0) << why;
  };
  PaymentContext c = base;
  c.time_s = kT0 + 2 * 3'600;
  expect_none(c, "hour");
  c = base;
  c.channel = Channel::kOnline;
  expect_none(c, "channel");
  c = base;
  c.merchant_id = 79;
  expect_none(c, "merchant");
  c = base;
  c.merchant_category = 1;
  expect_none(c, "category");
  c = base;
  c.region = 1;
  expect_none(c, "region");
  c = base;
  c.segment_bits = 0b011;
  expect_none(c, "segment");
  c = base;
  c.amount_fen = 999;
  expect_none(c, "min amount");
  c = base;
  c.time_s = kT0 + 365 * kDay;
  expect_none(c, "window end");
  c = base;
  c.time_s = kT0 - 31 * kDay;
  expect_none(c, "window start");
}

// An age band takes customers of known age within it, bounds included; win-back takes those
// idle at least its days.
TEST(PricingTest, AgeBandAndWinBack) {
  // A book with one live ¥1 discount of `targeting`.
  auto live = [](auto targeting) {
    CampaignBook book;
    Campaign campaign = Fixed(CampaignType::kInstantDiscount, 100);
    targeting(&campaign.eligibility);
    AddLive(&book, campaign);
    return book;
  };
  CampaignBook book = live([](Eligibility* e) {
    e->age_min = 25;
    e->age_max = 34;
  });
  for (const auto& [age, rewarded] :
       {std::pair{-1, false}, std::pair{24, false}, std::pair{25, true}, std::pair{34, true},
        std::pair{35, false}}) {
    PaymentContext context = MakePayment(1, 1'000);
    context.age_years = age;
    EXPECT_EQ(book.Quote(context).discount_fen, rewarded ? 100 : 0) << age;
  }

  CampaignBook open_ended = live([](Eligibility* e) { e->age_min = 55; });
  PaymentContext elder = MakePayment(1, 1'000);
  elder.age_years = 90;
  EXPECT_EQ(open_ended.Quote(elder).discount_fen, 100);
  elder.age_years = -1;
  EXPECT_EQ(open_ended.Quote(elder).discount_fen, 0);

  CampaignBook win_back = live([](Eligibility* e) { e->inactive_days = 30; });
  PaymentContext context = MakePayment(1, 1'000);
  context.idle_days = 29;
  EXPECT_EQ(win_back.Quote(context).discount_fen, 0);
  context.idle_days = 30;
  EXPECT_EQ(win_back.Quote(context).discount_fen, 100);
}

TEST(PricingTest, AgeAndWinBackBoundsAreValidated) {
  for (const auto& [age_min, age_max, inactive, field] :
       {std::tuple{15, 0, 0, "eligibility.age_min"}, std::tuple{0, 121, 0, "eligibility.age_max"},
        std::tuple{40, 30, 0, "eligibility.age_max"},
        std::tuple{0, 0, 3'651, "eligibility.inactive_days"},
        std::tuple{0, 0, -1, "eligibility.inactive_days"}}) {
    Campaign campaign = Fixed(CampaignType::kInstantDiscount, 100);
    campaign.eligibility.age_min = age_min;
    campaign.eligibility.age_max = age_max;
    campaign.eligibility.inactive_days = inactive;
    const Error error = ValidateCampaign(campaign);
    EXPECT_EQ(error.code, "CAMPAIGN_INVALID_TARGETING") << field;
    EXPECT_EQ(error.field, field);
  }
  Campaign fine = Fixed(CampaignType::kInstantDiscount, 100);
  fine.eligibility.age_min = 16;
  fine.eligibility.age_max = 120;
  fine.eligibility.inactive_days = 3'650;
  EXPECT_TRUE(ValidateCampaign(fine).ok());
}

TEST(PricingTest, OnlyScheduledAndLiveCampaignsApply) {
  CampaignBook book;
  uint64_t id = 0;
  ASSERT_TRUE(book.CreateCampaign(Fixed(CampaignType::kInstantDiscount, 100), &id).ok());
  const PaymentContext context = MakePayment(1, 1'000);
  EXPECT_EQ(book.Quote(context).discount_fen, 0);  // draft
  ASSERT_TRUE(book.TransitionCampaign(id, CampaignStatus::kScheduled).ok());
  EXPECT_EQ(book.Quote(context).discount_fen, 100);  // scheduled and inside its window
  ASSERT_TRUE(book.TransitionCampaign(id, CampaignStatus::kPaused).ok());
  EXPECT_EQ(book.Quote(context).discount_fen, 0);
  ASSERT_TRUE(book.TransitionCampaign(id, CampaignStatus::kLive).ok());
  EXPECT_EQ(book.Quote(context).discount_fen, 100);
  ASSERT_TRUE(book.TransitionCampaign(id, CampaignStatus::kEnded).ok());
  EXPECT_EQ(book.Quote(context).discount_fen, 0);
}

TEST(PricingTest, CouponNeedsFullBudgetCoverageAndStaysInTheWallet) {
  CampaignBook book;
  const uint64_t campaign = AddLive(&book, MakeCampaign(CampaignType::kThresholdCoupon, 1'500));
  uint64_t template_id = 0;
  ASSERT_TRUE(
      book.CreateCouponTemplate(MakeThresholdTemplate(campaign, 0, 1'000), &template_id).ok());
  uint64_t first = 0;
  uint64_t second = 0;
  ASSERT_TRUE(book.ClaimCoupon(template_id, 1, kT0, &first).ok());
  ASSERT_TRUE(book.ClaimCoupon(template_id, 1, kT0, &second).ok());
  PaymentContext context = MakePayment(1, 5'000);
  context.coupon_id = first;
  EXPECT_EQ(Pay(&book, 1, context).discount_fen, 1'000);
  context.coupon_id = second;
  const Plan plan = Pay(&book, 2, context);  // 500 left < 1000: the coupon is not used
  EXPECT_EQ(plan.discount_fen, 0);
  EXPECT_EQ(book.coupons().FindCoupon(second)->state, CouponState::kAvailable);
}

TEST(PricingTest, PercentCouponOnTheDiscountedAmount) {
  CampaignBook book;
  AddLive(&book, MakeCampaign(CampaignType::kInstantDiscount));  // 500 off
  const uint64_t campaign = AddLive(&book, MakeCampaign(CampaignType::kDiscountCoupon));
  CouponTemplate t = MakeThresholdTemplate(campaign, 0, 0);
  t.kind = CouponKind::kPercent;
  t.discount_bps = 1'000;
  uint64_t template_id = 0;
  ASSERT_TRUE(book.CreateCouponTemplate(t, &template_id).ok());
  uint64_t coupon_id = 0;
  ASSERT_TRUE(book.ClaimCoupon(template_id, 1, kT0, &coupon_id).ok());
  PaymentContext context = MakePayment(1, 10'000);
  context.coupon_id = coupon_id;
  const Plan plan = book.Quote(context);
  EXPECT_EQ(plan.discount_fen, 500 + 950);
}

TEST(PricingTest, RuleAmountBuildingBlocks) {
  RewardRule rule;
  rule.shape = AmountShape::kPercent;
  rule.percent_bps = 10'000;
  EXPECT_EQ(RuleAmount(rule, kMaxPaymentFen, 0, 1), kMaxPaymentFen);
  EXPECT_EQ(RuleAmount(rule, 0, 0, 1), 0);
  EXPECT_EQ(RuleAmount(rule, kMaxPaymentFen + 1, 0, 1), 0);
  rule.shape = AmountShape::kNone;
  EXPECT_EQ(RuleAmount(rule, 100, 0, 1), 0);
}

}  // namespace
}  // namespace qb::marketing
