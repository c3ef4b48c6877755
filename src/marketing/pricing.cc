#include "marketing/pricing.h"

#include <algorithm>
#include <limits>

#include "base/assert.h"
#include "base/checked.h"

namespace qb::marketing {
namespace {

template <typename T>
bool InList(const std::vector<T>& list, T value) {
  return list.empty() || std::binary_search(list.begin(), list.end(), value);
}

// GB/T 2260 divisions nest: 350102 (a district) is in 350100 (its city), in 350000 (its
// province). A campaign listing any of the three applies in the district.
bool RegionMatches(const std::vector<uint32_t>& regions, uint32_t region) {
  if (regions.empty()) return true;
  for (const uint32_t level : {region, region / 100 * 100, region / 10'000 * 10'000}) {
    if (level != 0 && std::binary_search(regions.begin(), regions.end(), level)) return true;
  }
  return false;
}

// Lowers *headroom to `cap - used` when the cap is set.
void Limit(int64_t cap, int64_t used, int64_t* headroom) {
  if (cap != 0) *headroom = std::min(*headroom, cap - used);
}

bool Reached(int64_t cap, int64_t used) { return cap != 0 && used >= cap; }

enum class Step : uint8_t { kDiscount = 0, kCoupon = 1, kCashback = 2 };

struct Candidate {
  const CampaignState* state = nullptr;
  Step step = Step::kDiscount;
  int64_t standalone_fen = 0;  // the reward evaluated alone on the original amount, capped
  int64_t headroom_fen = 0;
  const CouponTemplate* coupon_template = nullptr;  // kCoupon only
};

// True when `a` should win an exclusive group over `b`.
bool BetterForCustomer(const Candidate& a, const Candidate& b) {
  if (a.standalone_fen != b.standalone_fen) return a.standalone_fen > b.standalone_fen;
  if (a.state->campaign.priority != b.state->campaign.priority) {
    return a.state->campaign.priority > b.state->campaign.priority;
  }
  return a.state->campaign.id < b.state->campaign.id;
}

// The customer's chosen coupon, if it can pay for this payment through `campaign`.
const CouponTemplate* UsableCoupon(const Campaign& campaign, const PaymentContext& context,
                                   const CouponBook& coupons) {
  if (context.coupon_id == 0) return nullptr;
  if (!coupons.CheckRedeemable(context.coupon_id, context.customer_id, context.time_s).ok()) {
    return nullptr;
  }
  const CouponTemplate* coupon_template =
      coupons.FindTemplate(coupons.FindCoupon(context.coupon_id)->template_id);
  if (coupon_template == nullptr || coupon_template->campaign_id != campaign.id) return nullptr;
  return coupon_template;
}

// Evaluates one campaign alone; false when it cannot reward this payment at all.
bool MakeCandidate(const CampaignState& state, const PaymentContext& context,
                   const QuoteInputs& inputs, Candidate* candidate) {
  const Campaign& campaign = state.campaign;
  if (!IsEligible(campaign, context)) return false;
  candidate->state = &state;
  int64_t value = 0;
  switch (campaign.type) {
    case CampaignType::kInstantDiscount:
    case CampaignType::kFirstOrder:
      candidate->step = Step::kDiscount;
      value = RuleAmount(campaign.rule, context.amount_fen, context.seed, campaign.id);
      break;
    case CampaignType::kThresholdCoupon:
    case CampaignType::kDiscountCoupon:
      candidate->step = Step::kCoupon;
      candidate->coupon_template = UsableCoupon(campaign, context, *inputs.coupons);
      if (candidate->coupon_template == nullptr) return false;
      value = CouponDiscount(*candidate->coupon_template, context.amount_fen);
      break;
    case CampaignType::kCashback:
      candidate->step = Step::kCashback;
      value = RuleAmount(campaign.rule, context.amount_fen, context.seed, campaign.id);
      break;
  }
  if (value <= 0) return false;
  const Headroom headroom = ComputeHeadroom(state, *inputs.usage, context);
  if (!headroom.counts_ok || headroom.amount_fen <= 0) return false;
  if (candidate->step == Step::kCoupon && value > headroom.amount_fen) return false;
  candidate->headroom_fen = headroom.amount_fen;
  candidate->standalone_fen = std::min(value, headroom.amount_fen);
  return true;
}

// Keeps, per non-zero exclusive group, only the best candidate; order is otherwise preserved.
void ResolveExclusiveGroups(std::vector<Candidate>* candidates) {
  std::vector<Candidate> kept;
  kept.reserve(candidates->size());
  for (const Candidate& candidate : *candidates) {
    const uint32_t group = candidate.state->campaign.exclusive_group;
    if (group == 0) {
      kept.push_back(candidate);
      continue;
    }
    auto rival = std::find_if(kept.begin(), kept.end(), [group](const Candidate& other) {
      return other.state->campaign.exclusive_group == group;
    });
    if (rival == kept.end()) {
      kept.push_back(candidate);
    } else if (BetterForCustomer(candidate, *rival)) {
      *rival = candidate;
    }
  }
  *candidates = std::move(kept);
}

bool StepOrder(const Candidate& a, const Candidate& b) {
  if (a.step != b.step) return a.step < b.step;
  if (a.state->campaign.priority != b.state->campaign.priority) {
    return a.state->campaign.priority > b.state->campaign.priority;
  }
  return a.state->campaign.id < b.state->campaign.id;
}

}  // namespace

int64_t RuleAmount(const RewardRule& rule, int64_t base_fen, uint64_t seed, uint64_t campaign_id) {
  if (base_fen < 1 || base_fen > kMaxPaymentFen) return 0;
  switch (rule.shape) {
    case AmountShape::kNone:
      return 0;
    case AmountShape::kFixed:
      return rule.fixed_fen;
    case AmountShape::kPercent: {
      const std::optional<int64_t> product = CheckedMul(base_fen, rule.percent_bps);
      QB_ASSERT(product.has_value());  // both bounded by validation
      const int64_t amount = *product / kBpsDenominator;
      return rule.percent_cap_fen != 0 ? std::min(amount, rule.percent_cap_fen) : amount;
    }
    case AmountShape::kRandomRange: {
      const uint64_t span = static_cast<uint64_t>(rule.random_hi_fen - rule.random_lo_fen) + 1;
      const uint64_t draw = Mix64(seed ^ Mix64(campaign_id)) % span;
      return rule.random_lo_fen + static_cast<int64_t>(draw);
    }
    case AmountShape::kThreshold:
      return base_fen >= rule.threshold_fen ? rule.save_fen : 0;
  }
  return 0;
}

bool AgeMatches(const Eligibility& e, int32_t age_years) {
  if (e.age_min == 0 && e.age_max == 0) return true;
  return age_years >= 0 && age_years >= e.age_min && (e.age_max == 0 || age_years <= e.age_max);
}

bool IsEligible(const Campaign& campaign, const PaymentContext& context) {
  if (campaign.status != CampaignStatus::kScheduled && campaign.status != CampaignStatus::kLive) {
    return false;
  }
  if (context.time_s < 0 || context.time_s > kMaxTimeS) return false;
  const Eligibility& e = campaign.eligibility;
  if (context.time_s < e.window_start_s || context.time_s >= e.window_end_s) return false;
  if ((e.hours_mask & (uint32_t{1} << ChinaHour(context.time_s))) == 0) return false;
  if ((e.channel_mask & ChannelBit(context.channel)) == 0) return false;
  if (!InList(e.merchant_ids, context.merchant_id)) return false;
  if (!InList(e.categories, context.merchant_category)) return false;
  if (!RegionMatches(e.regions, context.region)) return false;
  if (e.segment_mask != 0 && (e.segment_mask & context.segment_bits) == 0) return false;
  if (!AgeMatches(e, context.age_years)) return false;
  if (context.idle_days < e.inactive_days) return false;
  if (e.customer_list != 0 && (context.list_bits >> CustomerListSlot(e.customer_list) & 1) == 0) {
    return false;
  }
  if (context.amount_fen < e.min_amount_fen) return false;
  if (HoldoutBucket(campaign.id, context.customer_id) < e.holdout_percent) return false;
  if (campaign.type == CampaignType::kFirstOrder) {
    const bool first = campaign.rule.first_order_scope == FirstOrderScope::kEver
                           ? context.first_payment_ever
                           : context.first_at_merchant;
    if (!first) return false;
  }
  return true;
}

Headroom ComputeHeadroom(const CampaignState& state, const UsageTable& usage,
                         const PaymentContext& context) {
  const Caps& caps = state.campaign.caps;
  const int64_t day = ChinaDay(context.time_s);
  const uint64_t id = state.campaign.id;
  Headroom headroom;
  headroom.amount_fen = caps.budget_total_fen - state.spend.spent_total_fen;
  Limit(caps.budget_daily_fen, state.spend.SpentOn(day), &headroom.amount_fen);
  if (caps.HasCustomerCaps()) {
    CustomerUsage none;
    const CustomerUsage* found = usage.FindCustomer(id, context.customer_id);
    const CustomerUsage& used = found != nullptr ? *found : none;
    const bool today = used.day == day;
    if (Reached(caps.customer_count_daily, today ? used.count_day : 0) ||
        Reached(caps.customer_count_lifetime, used.count_lifetime)) {
      return {};
    }
    Limit(caps.customer_amount_daily_fen, today ? used.amount_day_fen : 0, &headroom.amount_fen);
    Limit(caps.customer_amount_lifetime_fen, used.amount_lifetime_fen, &headroom.amount_fen);
  }
  if (caps.device_count_lifetime != 0 &&
      (context.device_hash == 0 ||
       Reached(caps.device_count_lifetime, usage.DeviceCount(id, context.device_hash)))) {
    return {};
  }
  if (caps.identity_count_lifetime != 0 &&
      (context.identity_hash == 0 ||
       Reached(caps.identity_count_lifetime, usage.IdentityCount(id, context.identity_hash)))) {
    return {};
  }
  headroom.counts_ok = true;
  headroom.amount_fen = std::max<int64_t>(headroom.amount_fen, 0);
  return headroom;
}

Plan Quote(const PaymentContext& context, const QuoteInputs& inputs) {
  Plan plan;
  plan.context = context;
  plan.customer_pays_fen = context.amount_fen;
  if (context.amount_fen < 1 || context.amount_fen > kMaxPaymentFen || context.time_s < 0 ||
      context.time_s > kMaxTimeS) {
    return plan;
  }
  std::vector<Candidate> candidates;
  for (const CampaignState& state : inputs.campaigns) {
    Candidate candidate;
    if (MakeCandidate(state, context, inputs, &candidate)) candidates.push_back(candidate);
  }
  ResolveExclusiveGroups(&candidates);
  std::sort(candidates.begin(), candidates.end(), StepOrder);

  int64_t payable_fen = context.amount_fen;
  for (const Candidate& candidate : candidates) {
    const Campaign& campaign = candidate.state->campaign;
    Reward reward;
    reward.campaign_id = campaign.id;
    switch (candidate.step) {
      case Step::kDiscount:
        reward.kind = RewardKind::kDiscount;
        reward.amount_fen = std::min(candidate.standalone_fen, payable_fen - 1);
        break;
      case Step::kCoupon: {
        const int64_t value = CouponDiscount(*candidate.coupon_template, payable_fen);
        if (value > candidate.headroom_fen) continue;
        reward.kind = RewardKind::kCoupon;
        reward.coupon_id = context.coupon_id;
        reward.amount_fen = std::min(value, payable_fen - 1);
        break;
      }
      case Step::kCashback: {
        const int64_t value = RuleAmount(campaign.rule, payable_fen, context.seed, campaign.id);
        // Cashback never exceeds what the customer paid, so a fixed cashback on a tiny payment
        // cannot turn a purchase into income.
        reward.amount_fen =
            std::min({value, candidate.headroom_fen, payable_fen - plan.cashback_fen});
        const bool held = campaign.rule.hold_seconds != 0;
        reward.kind = held ? RewardKind::kCashbackHeld : RewardKind::kCashbackNow;
        reward.release_at_s = held ? context.time_s + campaign.rule.hold_seconds : 0;
        break;
      }
    }
    if (reward.amount_fen <= 0) continue;
    if (candidate.step == Step::kCashback) {
      plan.cashback_fen += reward.amount_fen;
    } else {
      payable_fen -= reward.amount_fen;
      plan.discount_fen += reward.amount_fen;
    }
    plan.rewards.push_back(reward);
  }
  plan.customer_pays_fen = payable_fen;
  QB_ASSERT(plan.customer_pays_fen >= 1 &&
            plan.customer_pays_fen + plan.discount_fen == context.amount_fen);
  return plan;
}

}  // namespace qb::marketing
