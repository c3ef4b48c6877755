#include "marketing/campaign.h"

#include <algorithm>

#include "marketing/segments.h"

namespace qb::marketing {
namespace {

template <typename T>
void SortUnique(std::vector<T>* values) {
  std::sort(values->begin(), values->end());
  values->erase(std::unique(values->begin(), values->end()), values->end());
}

bool ValidMoney(int64_t fen, int64_t max_fen) { return fen >= 0 && fen <= max_fen; }

Error InvalidRule(std::string_view field) { return {"CAMPAIGN_INVALID_RULE", field}; }

// Which amount shapes each campaign type may use.
bool ShapeAllowed(CampaignType type, AmountShape shape) {
  switch (type) {
    case CampaignType::kInstantDiscount:
      return shape == AmountShape::kFixed || shape == AmountShape::kPercent ||
             shape == AmountShape::kRandomRange || shape == AmountShape::kThreshold;
    case CampaignType::kFirstOrder:
      return shape == AmountShape::kFixed || shape == AmountShape::kPercent ||
             shape == AmountShape::kRandomRange;
    case CampaignType::kThresholdCoupon:
    case CampaignType::kDiscountCoupon:
      return shape == AmountShape::kNone;
    case CampaignType::kCashback:
      return shape == AmountShape::kFixed || shape == AmountShape::kPercent;
  }
  return false;
}

Error ValidateRule(const Campaign& campaign) {
  const RewardRule& rule = campaign.rule;
  if (!ShapeAllowed(campaign.type, rule.shape)) return InvalidRule("rule.shape");
  switch (rule.shape) {
    case AmountShape::kNone:
      break;
    case AmountShape::kFixed:
      if (rule.fixed_fen < 1 || rule.fixed_fen > kMaxPaymentFen)
        return InvalidRule("rule.fixed_fen");
      break;
    case AmountShape::kPercent:
      if (rule.percent_bps < 1 || rule.percent_bps > kBpsDenominator) {
        return InvalidRule("rule.percent_bps");
      }
      if (!ValidMoney(rule.percent_cap_fen, kMaxPaymentFen))
        return InvalidRule("rule.percent_cap_fen");
      break;
    case AmountShape::kRandomRange:
      if (rule.random_lo_fen < 1 || rule.random_lo_fen > kMaxPaymentFen) {
        return InvalidRule("rule.random_lo_fen");
      }
      if (rule.random_hi_fen < rule.random_lo_fen || rule.random_hi_fen > kMaxPaymentFen) {
        return InvalidRule("rule.random_hi_fen");
      }
      break;
    case AmountShape::kThreshold:
      if (!ValidMoney(rule.threshold_fen, kMaxPaymentFen)) return InvalidRule("rule.threshold_fen");
      if (rule.save_fen < 1 || rule.save_fen > kMaxPaymentFen) return InvalidRule("rule.save_fen");
      break;
    default:
      return InvalidRule("rule.shape");
  }
  if (rule.first_order_scope != FirstOrderScope::kEver &&
      rule.first_order_scope != FirstOrderScope::kAtMerchant) {
    return InvalidRule("rule.first_order_scope");
  }
  const int64_t max_hold_seconds = 366 * kSecondsPerDay;
  if (rule.hold_seconds < 0 || rule.hold_seconds > max_hold_seconds ||
      (rule.hold_seconds != 0 && campaign.type != CampaignType::kCashback)) {
    return InvalidRule("rule.hold_seconds");
  }
  return kOk;
}

Error ValidateEligibility(const Eligibility& eligibility) {
  if (eligibility.window_start_s < 0)
    return {"CAMPAIGN_INVALID_WINDOW", "eligibility.window_start_s"};
  if (eligibility.window_end_s <= eligibility.window_start_s ||
      eligibility.window_end_s > kMaxTimeS) {
    return {"CAMPAIGN_INVALID_WINDOW", "eligibility.window_end_s"};
  }
  if (eligibility.hours_mask == 0 || (eligibility.hours_mask & ~kAllHoursMask) != 0) {
    return {"CAMPAIGN_INVALID_HOURS", "eligibility.hours_mask"};
  }
  if (eligibility.channel_mask == 0 || (eligibility.channel_mask & ~kAllChannelsMask) != 0) {
    return {"CAMPAIGN_INVALID_CHANNEL", "eligibility.channel_mask"};
  }
  if (eligibility.merchant_ids.size() > kMaxTargetListSize) {
    return {"CAMPAIGN_INVALID_TARGETING", "eligibility.merchant_ids"};
  }
  if (eligibility.categories.size() > kMaxTargetListSize) {
    return {"CAMPAIGN_INVALID_TARGETING", "eligibility.categories"};
  }
  if (eligibility.regions.size() > kMaxTargetListSize) {
    return {"CAMPAIGN_INVALID_TARGETING", "eligibility.regions"};
  }
  if (!IsKnownSegmentMask(eligibility.segment_mask)) {
    return {"CAMPAIGN_INVALID_TARGETING", "eligibility.segment_mask"};
  }
  for (const auto& [age, field] : {std::pair{eligibility.age_min, "eligibility.age_min"},
                                   std::pair{eligibility.age_max, "eligibility.age_max"}}) {
    if (age != 0 && (age < kMinTargetAge || age > kMaxTargetAge)) {
      return {"CAMPAIGN_INVALID_TARGETING", field};
    }
  }
  if (eligibility.age_min != 0 && eligibility.age_max != 0 &&
      eligibility.age_max < eligibility.age_min) {
    return {"CAMPAIGN_INVALID_TARGETING", "eligibility.age_max"};
  }
  if (eligibility.inactive_days < 0 || eligibility.inactive_days > kMaxInactiveDays) {
    return {"CAMPAIGN_INVALID_TARGETING", "eligibility.inactive_days"};
  }
  const bool sorted =
      std::is_sorted(eligibility.merchant_ids.begin(), eligibility.merchant_ids.end()) &&
      std::is_sorted(eligibility.categories.begin(), eligibility.categories.end()) &&
      std::is_sorted(eligibility.regions.begin(), eligibility.regions.end());
  if (!sorted) return {"CAMPAIGN_INVALID_TARGETING", "eligibility (lists not normalized)"};
  if (!ValidMoney(eligibility.min_amount_fen, kMaxPaymentFen)) {
    return {"CAMPAIGN_INVALID_MIN_AMOUNT", "eligibility.min_amount_fen"};
  }
  if (eligibility.holdout_percent < 0 || eligibility.holdout_percent > 100) {
    return {"CAMPAIGN_INVALID_HOLDOUT", "eligibility.holdout_percent"};
  }
  return kOk;
}

Error ValidateCaps(const Caps& caps, CampaignStatus status) {
  // Ending a campaign releases its unspent budget, which may leave nothing at all.
  const int64_t min_budget_fen = status == CampaignStatus::kEnded ? 0 : 1;
  if (caps.budget_total_fen < min_budget_fen || caps.budget_total_fen > kMaxBudgetFen) {
    return {"CAMPAIGN_INVALID_BUDGET", "caps.budget_total_fen"};
  }
  struct Field {
    int64_t value;
    std::string_view name;
  };
  const Field fields[] = {
      {caps.budget_daily_fen, "caps.budget_daily_fen"},
      {caps.customer_count_daily, "caps.customer_count_daily"},
      {caps.customer_count_lifetime, "caps.customer_count_lifetime"},
      {caps.customer_amount_daily_fen, "caps.customer_amount_daily_fen"},
      {caps.customer_amount_lifetime_fen, "caps.customer_amount_lifetime_fen"},
      {caps.device_count_lifetime, "caps.device_count_lifetime"},
      {caps.identity_count_lifetime, "caps.identity_count_lifetime"},
  };
  for (const Field& field : fields) {
    if (!ValidMoney(field.value, kMaxBudgetFen)) return {"CAMPAIGN_INVALID_CAP", field.name};
  }
  return kOk;
}

}  // namespace

bool IsTransitionAllowed(CampaignStatus from, CampaignStatus to) {
  using S = CampaignStatus;
  switch (from) {
    case S::kDraft:
      return to == S::kScheduled || to == S::kLive || to == S::kEnded;
    case S::kScheduled:
      return to == S::kDraft || to == S::kLive || to == S::kPaused || to == S::kEnded;
    case S::kLive:
      return to == S::kPaused || to == S::kEnded;
    case S::kPaused:
      return to == S::kLive || to == S::kEnded;
    case S::kEnded:
      return false;
  }
  return false;
}

void NormalizeCampaign(Campaign* campaign) {
  SortUnique(&campaign->eligibility.merchant_ids);
  SortUnique(&campaign->eligibility.categories);
  SortUnique(&campaign->eligibility.regions);
}

Error ValidateCampaign(const Campaign& campaign) {
  if (campaign.name.empty() || campaign.name.size() > kMaxNameBytes) {
    return {"CAMPAIGN_INVALID_NAME", "name"};
  }
  if (campaign.type < CampaignType::kInstantDiscount || campaign.type > CampaignType::kCashback) {
    return {"CAMPAIGN_INVALID_TYPE", "type"};
  }
  if (campaign.status < CampaignStatus::kDraft || campaign.status > CampaignStatus::kEnded) {
    return {"CAMPAIGN_INVALID_STATUS", "status"};
  }
  if (Error error = ValidateRule(campaign); !error.ok()) return error;
  if (Error error = ValidateEligibility(campaign.eligibility); !error.ok()) return error;
  return ValidateCaps(campaign.caps, campaign.status);
}

int64_t ChinaDay(int64_t unix_s) { return (unix_s + kChinaOffsetSeconds) / kSecondsPerDay; }

int32_t ChinaHour(int64_t unix_s) {
  return static_cast<int32_t>(((unix_s + kChinaOffsetSeconds) % kSecondsPerDay) / 3'600);
}

uint64_t Mix64(uint64_t value) {
  value += 0x9E3779B97F4A7C15ull;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
  return value ^ (value >> 31);
}

int32_t HoldoutBucket(uint64_t campaign_id, uint64_t customer_id) {
  return static_cast<int32_t>(Mix64(Mix64(campaign_id) ^ customer_id) % 100);
}

std::string_view CampaignTypeName(CampaignType type) {
  switch (type) {
    case CampaignType::kInstantDiscount:
      return "instant_discount";
    case CampaignType::kFirstOrder:
      return "first_order";
    case CampaignType::kThresholdCoupon:
      return "threshold_coupon";
    case CampaignType::kDiscountCoupon:
      return "discount_coupon";
    case CampaignType::kCashback:
      return "cashback";
  }
  return "unknown";
}

std::string_view CampaignStatusName(CampaignStatus status) {
  switch (status) {
    case CampaignStatus::kDraft:
      return "draft";
    case CampaignStatus::kScheduled:
      return "scheduled";
    case CampaignStatus::kLive:
      return "live";
    case CampaignStatus::kPaused:
      return "paused";
    case CampaignStatus::kEnded:
      return "ended";
  }
  return "unknown";
}

}  // namespace qb::marketing
