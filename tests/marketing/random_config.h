// Random, valid campaign and coupon-template configurations for the property test. Every
// knob is drawn from ranges small enough that budgets and caps are actually reached.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "marketing/campaign.h"
#include "marketing/coupons.h"
#include "marketing_test_util.h"

namespace qb::marketing::testing {

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  // Uniform in [lo, hi], the same on every standard library.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(engine_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(int percent) { return Between(0, 99) < percent; }
  uint64_t Bits() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

inline Campaign RandomRule(Random& random, Campaign campaign) {
  RewardRule& rule = campaign.rule;
  rule = RewardRule{};
  auto fixed = [&] {
    rule.shape = AmountShape::kFixed;
    rule.fixed_fen = random.Between(10, 2'000);
  };
  auto percent = [&] {
    rule.shape = AmountShape::kPercent;
    rule.percent_bps = static_cast<int32_t>(random.Between(50, 3'000));
    rule.percent_cap_fen = random.Chance(50) ? 0 : random.Between(50, 3'000);
  };
  auto random_range = [&] {
    rule.shape = AmountShape::kRandomRange;
    rule.random_lo_fen = random.Between(1, 500);
    rule.random_hi_fen = rule.random_lo_fen + random.Between(0, 1'000);
  };
  const int64_t pick = random.Between(0, 3);
  switch (campaign.type) {
    case CampaignType::kInstantDiscount:
      if (pick == 0) fixed();
      if (pick == 1) percent();
      if (pick == 2) random_range();
      if (pick == 3) {
        rule.shape = AmountShape::kThreshold;
        rule.threshold_fen = random.Between(0, 20'000);
        rule.save_fen = random.Between(100, 3'000);
      }
      break;
    case CampaignType::kFirstOrder:
      pick == 0 ? fixed() : pick == 1 ? percent() : random_range();
      rule.first_order_scope =
          random.Chance(50) ? FirstOrderScope::kEver : FirstOrderScope::kAtMerchant;
      break;
    case CampaignType::kThresholdCoupon:
    case CampaignType::kDiscountCoupon:
      break;
    case CampaignType::kCashback:
      pick < 2 ? fixed() : percent();
      rule.hold_seconds = random.Chance(50) ? 0 : random.Between(1, 3 * kDay);
      break;
  }
  return campaign;
}

template <typename T>
inline std::vector<T> RandomSubset(Random& random, std::vector<T> pool) {
  if (random.Chance(70)) return {};
  std::vector<T> subset;
  for (const T value : pool) {
    if (random.Chance(50)) subset.push_back(value);
  }
  if (subset.empty()) subset.push_back(pool.front());
  return subset;
}

inline Campaign RandomCampaign(Random& random) {
  Campaign campaign;
  campaign.type = static_cast<CampaignType>(random.Between(1, 5));
  campaign.name = "c";
  campaign = RandomRule(random, campaign);
  Eligibility& e = campaign.eligibility;
  e.window_start_s =
      kT0 - random.Between(0, kDay) + (random.Chance(20) ? random.Between(0, 5 * kDay) : 0);
  e.window_end_s = e.window_start_s + random.Between(5, 60) * kDay;
  if (random.Chance(20)) e.hours_mask = static_cast<uint32_t>(random.Bits() & kAllHoursMask) | 1u;
  if (random.Chance(20)) e.channel_mask = static_cast<uint8_t>(random.Between(1, 15));
  e.merchant_ids = RandomSubset<uint64_t>(random, {1, 2, 3, 4, 5, 6});
  e.categories = RandomSubset<uint32_t>(random, {1, 2, 3});
  e.regions = RandomSubset<uint32_t>(random, {10, 20});
  if (random.Chance(20)) e.segment_mask = static_cast<uint64_t>(random.Between(1, 15));
  if (random.Chance(30)) e.min_amount_fen = random.Between(1, 5'000);
  if (random.Chance(20)) e.holdout_percent = static_cast<int32_t>(random.Between(10, 60));
  Caps& caps = campaign.caps;
  // Some budgets run dry within the run, others last: both edges get exercised.
  caps.budget_total_fen =
      random.Chance(30) ? random.Between(1'000, 10'000) : random.Between(20'000, 300'000);
  if (random.Chance(40)) caps.budget_daily_fen = random.Between(300, 5'000);
  if (random.Chance(40)) caps.customer_count_daily = random.Between(1, 3);
  if (random.Chance(40)) caps.customer_count_lifetime = random.Between(1, 6);
  if (random.Chance(40)) caps.customer_amount_daily_fen = random.Between(100, 3'000);
  if (random.Chance(40)) caps.customer_amount_lifetime_fen = random.Between(200, 8'000);
  if (random.Chance(30)) caps.device_count_lifetime = random.Between(1, 5);
  if (random.Chance(30)) caps.identity_count_lifetime = random.Between(1, 5);
  campaign.exclusive_group = static_cast<uint32_t>(random.Between(0, 2));
  campaign.priority = static_cast<int32_t>(random.Between(-2, 2));
  return campaign;
}

inline CouponTemplate RandomTemplate(Random& random, const Campaign& campaign) {
  CouponTemplate t;
  t.campaign_id = campaign.id;
  t.name = "t";
  t.threshold_fen = random.Chance(30) ? 0 : random.Between(100, 20'000);
  if (campaign.type == CampaignType::kThresholdCoupon) {
    t.kind = CouponKind::kThreshold;
    t.save_fen = random.Between(50, 3'000);
  } else {
    t.kind = CouponKind::kPercent;
    t.discount_bps = static_cast<int32_t>(random.Between(100, 5'000));
    t.discount_cap_fen = random.Chance(50) ? 0 : random.Between(100, 3'000);
  }
  t.stock = random.Between(3, 40);
  if (random.Chance(50)) {
    t.validity = ValidityKind::kFixedWindow;
    t.valid_from_s = kT0 - kDay;
    t.valid_until_s = kT0 + random.Between(2, 30) * kDay;
  } else {
    t.validity = ValidityKind::kDaysAfterClaim;
    t.valid_days = random.Between(1, 5);
  }
  t.claim_start_s = random.Chance(70) ? kT0 - 1 : kT0 + random.Between(0, 2 * kDay);  // flash
  t.claim_end_s = t.claim_start_s + random.Between(1, 40) * kDay;
  t.per_customer_limit = static_cast<int32_t>(random.Between(0, 3));
  t.issue_counts_toward_limit = random.Chance(50);
  return t;
}

}  // namespace qb::marketing::testing
