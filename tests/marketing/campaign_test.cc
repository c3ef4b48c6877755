#include "marketing/campaign.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "marketing_test_util.h"

namespace qb::marketing {
namespace {

using testing::kT0;
using testing::MakeCampaign;

TEST(CampaignTest, DefaultsOfEveryTypeAreValid) {
  for (const CampaignType type :
       {CampaignType::kInstantDiscount, CampaignType::kFirstOrder, CampaignType::kThresholdCoupon,
        CampaignType::kDiscountCoupon, CampaignType::kCashback}) {
    const Error error = ValidateCampaign(MakeCampaign(type));
    EXPECT_TRUE(error.ok()) << CampaignTypeName(type) << ": " << error.code << " " << error.field;
  }
}

struct BadField {
  std::string_view code;
  std::string_view field;
  std::function<void(Campaign*)> spoil;
};

TEST(CampaignTest, EachBadFieldHasItsCode) {
  const std::vector<BadField> cases = {
      {"CAMPAIGN_INVALID_NAME", "name", [](Campaign* c) { c->name.clear(); }},
      {"CAMPAIGN_INVALID_NAME", "name", [](Campaign* c) { c->name = std::string(129, 'x'); }},
      {"CAMPAIGN_INVALID_TYPE", "type",
       [](Campaign* c) { c->type = static_cast<CampaignType>(9); }},
      {"CAMPAIGN_INVALID_RULE", "rule.fixed_fen", [](Campaign* c) { c->rule.fixed_fen = 0; }},
      {"CAMPAIGN_INVALID_RULE", "rule.shape",
       [](Campaign* c) { c->rule.shape = AmountShape::kNone; }},
      {"CAMPAIGN_INVALID_RULE", "rule.percent_bps",
       [](Campaign* c) {
         c->rule.shape = AmountShape::kPercent;
         c->rule.percent_bps = 10'001;
       }},
      {"CAMPAIGN_INVALID_RULE", "rule.random_hi_fen",
       [](Campaign* c) {
         c->rule.shape = AmountShape::kRandomRange;
         c->rule.random_lo_fen = 100;
         c->rule.random_hi_fen = 99;
       }},
      {"CAMPAIGN_INVALID_RULE", "rule.save_fen",
       [](Campaign* c) {
         c->rule.shape = AmountShape::kThreshold;
         c->rule.threshold_fen = 100;
       }},
      {"CAMPAIGN_INVALID_RULE", "rule.hold_seconds",
       [](Campaign* c) { c->rule.hold_seconds = 60; }},
      {"CAMPAIGN_INVALID_WINDOW", "eligibility.window_end_s",
       [](Campaign* c) { c->eligibility.window_end_s = c->eligibility.window_start_s; }},
      {"CAMPAIGN_INVALID_WINDOW", "eligibility.window_start_s",
       [](Campaign* c) { c->eligibility.window_start_s = -1; }},
      {"CAMPAIGN_INVALID_HOURS", "eligibility.hours_mask",
       [](Campaign* c) { c->eligibility.hours_mask = 0; }},
      {"CAMPAIGN_INVALID_HOURS", "eligibility.hours_mask",
       [](Campaign* c) { c->eligibility.hours_mask = 1u << 24; }},
      {"CAMPAIGN_INVALID_CHANNEL", "eligibility.channel_mask",
       [](Campaign* c) { c->eligibility.channel_mask = 0x10; }},
      {"CAMPAIGN_INVALID_TARGETING", "eligibility.merchant_ids",
       [](Campaign* c) { c->eligibility.merchant_ids.assign(kMaxTargetListSize + 1, 1); }},
      {"CAMPAIGN_INVALID_MIN_AMOUNT", "eligibility.min_amount_fen",
       [](Campaign* c) { c->eligibility.min_amount_fen = -1; }},
      {"CAMPAIGN_INVALID_HOLDOUT", "eligibility.holdout_percent",
       [](Campaign* c) { c->eligibility.holdout_percent = 101; }},
      {"CAMPAIGN_INVALID_BUDGET", "caps.budget_total_fen",
       [](Campaign* c) { c->caps.budget_total_fen = 0; }},
      {"CAMPAIGN_INVALID_CAP", "caps.budget_daily_fen",
       [](Campaign* c) { c->caps.budget_daily_fen = -5; }},
      {"CAMPAIGN_INVALID_CAP", "caps.identity_count_lifetime",
       [](Campaign* c) { c->caps.identity_count_lifetime = -1; }},
  };
  for (const BadField& bad : cases) {
    Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
    bad.spoil(&campaign);
    const Error error = ValidateCampaign(campaign);
    EXPECT_EQ(error.code, bad.code) << bad.field;
    EXPECT_EQ(error.field, bad.field) << bad.code;
  }
}

TEST(CampaignTest, ShapesAreCheckedPerType) {
  Campaign coupon = MakeCampaign(CampaignType::kThresholdCoupon);
  coupon.rule.shape = AmountShape::kFixed;
  coupon.rule.fixed_fen = 100;
  EXPECT_EQ(ValidateCampaign(coupon).code, "CAMPAIGN_INVALID_RULE");

  Campaign cashback = MakeCampaign(CampaignType::kCashback);
  cashback.rule.hold_seconds = 7 * 86'400;
  EXPECT_TRUE(ValidateCampaign(cashback).ok());
  cashback.rule.shape = AmountShape::kRandomRange;
  cashback.rule.random_lo_fen = 1;
  cashback.rule.random_hi_fen = 5;
  EXPECT_EQ(ValidateCampaign(cashback).field, "rule.shape");

  Campaign first = MakeCampaign(CampaignType::kFirstOrder);
  first.rule.shape = AmountShape::kThreshold;
  first.rule.save_fen = 1;
  EXPECT_EQ(ValidateCampaign(first).field, "rule.shape");
}

TEST(CampaignTest, NormalizeSortsAndDeduplicatesTargeting) {
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  campaign.eligibility.merchant_ids = {9, 3, 9, 1};
  campaign.eligibility.regions = {2, 1};
  EXPECT_EQ(ValidateCampaign(campaign).code, "CAMPAIGN_INVALID_TARGETING");
  NormalizeCampaign(&campaign);
  EXPECT_EQ(campaign.eligibility.merchant_ids, (std::vector<uint64_t>{1, 3, 9}));
  EXPECT_EQ(campaign.eligibility.regions, (std::vector<uint32_t>{1, 2}));
  EXPECT_TRUE(ValidateCampaign(campaign).ok());
}

TEST(CampaignTest, LifecycleTransitions) {
  using S = CampaignStatus;
  const S all[] = {S::kDraft, S::kScheduled, S::kLive, S::kPaused, S::kEnded};
  const std::vector<std::pair<S, S>> allowed = {
      {S::kDraft, S::kScheduled}, {S::kDraft, S::kLive},     {S::kDraft, S::kEnded},
      {S::kScheduled, S::kDraft}, {S::kScheduled, S::kLive}, {S::kScheduled, S::kPaused},
      {S::kScheduled, S::kEnded}, {S::kLive, S::kPaused},    {S::kLive, S::kEnded},
      {S::kPaused, S::kLive},     {S::kPaused, S::kEnded},
  };
  for (const S from : all) {
    for (const S to : all) {
      const bool expected =
          std::find(allowed.begin(), allowed.end(), std::pair(from, to)) != allowed.end();
      EXPECT_EQ(IsTransitionAllowed(from, to), expected)
          << CampaignStatusName(from) << " -> " << CampaignStatusName(to);
    }
  }
}

TEST(CampaignTest, ChinaDayAndHour) {
  // 2023-11-14 15:59:59 UTC is 23:59:59 China time; one second later is the next China day.
  const int64_t before_midnight = 1'699'977'599;
  EXPECT_EQ(ChinaHour(before_midnight), 23);
  EXPECT_EQ(ChinaHour(before_midnight + 1), 0);
  EXPECT_EQ(ChinaDay(before_midnight + 1), ChinaDay(before_midnight) + 1);
  EXPECT_EQ(ChinaHour(kT0), 6);  // 22:13 UTC
  EXPECT_EQ(ChinaDay(0), 0);
  EXPECT_EQ(ChinaHour(0), 8);
}

TEST(CampaignTest, HoldoutBucketsAreStableAndSpread) {
  std::vector<int> per_bucket(100, 0);
  for (uint64_t customer = 1; customer <= 100'000; ++customer) {
    const int32_t bucket = HoldoutBucket(7, customer);
    ASSERT_GE(bucket, 0);
    ASSERT_LT(bucket, 100);
    ++per_bucket[bucket];
  }
  for (const int count : per_bucket) {
    EXPECT_GT(count, 800);
    EXPECT_LT(count, 1200);
  }
  EXPECT_EQ(HoldoutBucket(7, 42), HoldoutBucket(7, 42));
  int differs = 0;
  for (uint64_t customer = 1; customer <= 100; ++customer) {
    differs += HoldoutBucket(7, customer) != HoldoutBucket(8, customer);
  }
  EXPECT_GT(differs, 80);  // campaigns split customers independently
}

}  // namespace
}  // namespace qb::marketing
