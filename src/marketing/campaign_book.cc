#include "marketing/campaign_book.h"

#include <utility>

#include "base/assert.h"
#include "base/checked.h"

namespace qb::marketing {
namespace {

// floor(amount * numerator / denominator) without overflow: amount <= kMaxBudgetFen and
// numerator <= denominator <= kMaxPaymentFen, so the 128-bit product is exact.
int64_t ScaleDown(int64_t amount, int64_t numerator, int64_t denominator) {
  QB_ASSERT(amount >= 0 && numerator >= 0 && numerator <= denominator && denominator > 0);
  const __int128 product = static_cast<__int128>(amount) * numerator;
  return static_cast<int64_t>(product / denominator);
}

}  // namespace

CampaignState* CampaignBook::MutableCampaign(uint64_t campaign_id) {
  if (campaign_id == 0 || campaign_id > campaigns_.size()) return nullptr;
  return &campaigns_[campaign_id - 1];
}

const CampaignState* CampaignBook::FindCampaign(uint64_t campaign_id) const {
  if (campaign_id == 0 || campaign_id > campaigns_.size()) return nullptr;
  return &campaigns_[campaign_id - 1];
}

int64_t CampaignBook::UnspentFen(uint64_t campaign_id) const {
  const CampaignState* state = FindCampaign(campaign_id);
  return state == nullptr ? 0
                          : state->campaign.caps.budget_total_fen - state->spend.spent_total_fen;
}

Error CampaignBook::CreateCampaign(Campaign config, uint64_t* campaign_id) {
  Changed();
  config.id = campaigns_.size() + 1;
  config.status = CampaignStatus::kDraft;
  NormalizeCampaign(&config);
  if (Error error = ValidateCampaign(config); !error.ok()) return error;
  if (Error error = CheckListExists(config); !error.ok()) return error;
  *campaign_id = config.id;
  campaigns_.push_back(CampaignState{std::move(config), CampaignSpend{}});
  return kOk;
}

Error CampaignBook::UpdateCampaign(Campaign config) {
  Changed();
  CampaignState* state = MutableCampaign(config.id);
  if (state == nullptr) return {"CAMPAIGN_NOT_FOUND", "id"};
  const Campaign& current = state->campaign;
  if (current.status == CampaignStatus::kEnded) return {"CAMPAIGN_ENDED", ""};
  const bool draft = current.status == CampaignStatus::kDraft;
  if (!draft && config.type != current.type) return {"CAMPAIGN_TYPE_FIXED", "type"};
  if (!draft && config.caps.budget_total_fen != current.caps.budget_total_fen) {
    return {"CAMPAIGN_BUDGET_USE_TOP_UP", "caps.budget_total_fen"};
  }
  config.status = current.status;
  NormalizeCampaign(&config);
  if (Error error = ValidateCampaign(config); !error.ok()) return error;
  if (Error error = CheckListExists(config); !error.ok()) return error;
  state->campaign = std::move(config);
  return kOk;
}

Error CampaignBook::CheckListExists(const Campaign& config) const {
  const uint32_t list = config.eligibility.customer_list;
  if (list != 0 && lists_.Find(list) == nullptr) {
    return {"CAMPAIGN_INVALID_TARGETING", "eligibility.customer_list"};
  }
  return kOk;
}

Error CampaignBook::DeleteCustomerList(uint32_t list_id) {
  Changed();
  if (lists_.Find(list_id) == nullptr) return {"CUSTOMER_LIST_NOT_FOUND", ""};
  for (const CampaignState& state : campaigns_) {
    if (state.campaign.eligibility.customer_list == list_id &&
        state.campaign.status != CampaignStatus::kEnded) {
      return {"CUSTOMER_LIST_IN_USE", ""};
    }
  }
  return lists_.Delete(list_id);
}

Error CampaignBook::TransitionCampaign(uint64_t campaign_id, CampaignStatus to) {
  Changed();
  if (to == CampaignStatus::kEnded) {
    int64_t unspent_fen = 0;
    return EndCampaign(campaign_id, &unspent_fen);
  }
  CampaignState* state = MutableCampaign(campaign_id);
  if (state == nullptr) return {"CAMPAIGN_NOT_FOUND", "id"};
  if (!IsTransitionAllowed(state->campaign.status, to)) return {"CAMPAIGN_INVALID_TRANSITION", ""};
  state->campaign.status = to;
  return kOk;
}

Error CampaignBook::TopUp(uint64_t campaign_id, int64_t amount_fen) {
  Changed();
  CampaignState* state = MutableCampaign(campaign_id);
  if (state == nullptr) return {"CAMPAIGN_NOT_FOUND", "id"};
  if (state->campaign.status == CampaignStatus::kEnded) return {"CAMPAIGN_ENDED", ""};
  const std::optional<int64_t> budget =
      CheckedAdd(state->campaign.caps.budget_total_fen, amount_fen);
  if (amount_fen < 1 || !budget.has_value() || *budget > kMaxBudgetFen) {
    return {"CAMPAIGN_INVALID_TOP_UP", "amount_fen"};
  }
  state->campaign.caps.budget_total_fen = *budget;
  return kOk;
}

Error CampaignBook::EndCampaign(uint64_t campaign_id, int64_t* unspent_fen) {
  Changed();
  CampaignState* state = MutableCampaign(campaign_id);
  if (state == nullptr) return {"CAMPAIGN_NOT_FOUND", "id"};
  if (!IsTransitionAllowed(state->campaign.status, CampaignStatus::kEnded)) {
    return {"CAMPAIGN_INVALID_TRANSITION", ""};
  }
  *unspent_fen = state->campaign.caps.budget_total_fen - state->spend.spent_total_fen;
  state->campaign.caps.budget_total_fen = state->spend.spent_total_fen;
  state->campaign.status = CampaignStatus::kEnded;
  return kOk;
}

int64_t CampaignBook::SweepEnded(uint64_t campaign_id) {
  CampaignState* state = MutableCampaign(campaign_id);
  if (state == nullptr || state->campaign.status != CampaignStatus::kEnded) return 0;
  const int64_t unspent_fen = state->campaign.caps.budget_total_fen - state->spend.spent_total_fen;
  if (unspent_fen == 0) return 0;
  Changed();
  state->campaign.caps.budget_total_fen = state->spend.spent_total_fen;
  return unspent_fen;
}

Error CampaignBook::CreateCouponTemplate(CouponTemplate config, uint64_t* template_id) {
  Changed();
  const CampaignState* state = FindCampaign(config.campaign_id);
  if (state == nullptr) return {"COUPON_CAMPAIGN_NOT_FOUND", "campaign_id"};
  const CampaignType type = state->campaign.type;
  const bool matches =
      (type == CampaignType::kThresholdCoupon && config.kind == CouponKind::kThreshold) ||
      (type == CampaignType::kDiscountCoupon && config.kind == CouponKind::kPercent);
  if (!matches) return {"COUPON_CAMPAIGN_MISMATCH", "kind"};
  if (state->campaign.status == CampaignStatus::kEnded) return {"CAMPAIGN_ENDED", ""};
  return coupons_.CreateTemplate(std::move(config), template_id);
}

Error CampaignBook::ClaimCoupon(uint64_t template_id, uint64_t customer_id, int64_t now_s,
                                uint64_t* coupon_id) {
  Changed();
  const CouponTemplate* coupon_template = coupons_.FindTemplate(template_id);
  if (coupon_template == nullptr) return {"COUPON_TEMPLATE_NOT_FOUND", ""};
  const CampaignStatus status = FindCampaign(coupon_template->campaign_id)->campaign.status;
  if (status != CampaignStatus::kScheduled && status != CampaignStatus::kLive) {
    return {"CAMPAIGN_NOT_LIVE", ""};
  }
  return coupons_.Claim(template_id, customer_id, now_s, coupon_id);
}

Error CampaignBook::IssueCoupons(uint64_t template_id, std::span<const uint64_t> customer_ids,
                                 int64_t now_s, uint64_t* first_coupon_id) {
  Changed();
  const CouponTemplate* coupon_template = coupons_.FindTemplate(template_id);
  if (coupon_template == nullptr) return {"COUPON_TEMPLATE_NOT_FOUND", ""};
  const CampaignStatus status = FindCampaign(coupon_template->campaign_id)->campaign.status;
  if (status == CampaignStatus::kEnded) return {"CAMPAIGN_ENDED", ""};
  return coupons_.Issue(template_id, customer_ids, now_s, first_coupon_id);
}

Plan CampaignBook::Quote(const PaymentContext& context) const {
  Plan plan = marketing::Quote(context, QuoteInputs{campaigns_, &usage_, &coupons_});
  plan.quoted_generation = generation_;
  return plan;
}

void CampaignBook::ApplyReward(const PaymentContext& context, PaymentRecord::Applied* applied) {
  const Reward& reward = applied->reward;
  CampaignState* state = MutableCampaign(reward.campaign_id);
  QB_ASSERT(state != nullptr && reward.amount_fen > 0);
  const Caps& caps = state->campaign.caps;
  const int64_t day = ChinaDay(context.time_s);
  CampaignSpend& spend = state->spend;
  if (spend.day != day) {
    spend.day = day;
    spend.spent_day_fen = 0;
  }
  spend.spent_total_fen += reward.amount_fen;
  spend.spent_day_fen += reward.amount_fen;
  QB_ASSERT(spend.spent_total_fen <= caps.budget_total_fen);
  QB_ASSERT(caps.budget_daily_fen == 0 || spend.spent_day_fen <= caps.budget_daily_fen);
  if (caps.HasCustomerCaps()) {
    usage_.AddCustomer(reward.campaign_id, context.customer_id, day, reward.amount_fen);
    applied->counted |= PaymentRecord::kCountedCustomer;
  }
  if (caps.device_count_lifetime != 0) {
    usage_.AddDevice(reward.campaign_id, context.device_hash, 1);
    applied->counted |= PaymentRecord::kCountedDevice;
  }
  if (caps.identity_count_lifetime != 0) {
    usage_.AddIdentity(reward.campaign_id, context.identity_hash, 1);
    applied->counted |= PaymentRecord::kCountedIdentity;
  }
}

Error CampaignBook::Commit(uint64_t payment_id, const Plan& plan) {
  const PaymentContext& context = plan.context;
  if (payment_id == 0 || context.amount_fen < 1 || context.amount_fen > kMaxPaymentFen ||
      context.time_s < 0 || context.time_s > kMaxTimeS) {
    return {"MARKETING_INVALID_PAYMENT", ""};
  }
  if (payments_.contains(payment_id)) return {"MARKETING_DUPLICATE_PAYMENT", ""};
  if (context.time_s < last_commit_time_s_) return {"MARKETING_TIME_WENT_BACK", ""};
  // Quoting is a pure function of the book and the context: a plan quoted on this very state
  // is what a fresh quote would give.
  if (plan.quoted_generation != generation_ && Quote(context) != plan) {
    return {"MARKETING_PLAN_STALE", ""};
  }
  Changed();
  last_commit_time_s_ = context.time_s;
  if (plan.rewards.empty()) return kOk;

  PaymentRecord record;
  record.customer_id = context.customer_id;
  record.device_hash = context.device_hash;
  record.identity_hash = context.identity_hash;
  record.day = ChinaDay(context.time_s);
  record.paid_fen = plan.customer_pays_fen;
  record.rewards.reserve(plan.rewards.size());
  for (const Reward& reward : plan.rewards) {
    PaymentRecord::Applied applied{reward, 0, 0};
    ApplyReward(context, &applied);
    if (reward.kind == RewardKind::kCoupon) coupons_.MarkRedeemed(reward.coupon_id, payment_id);
    record.rewards.push_back(applied);
  }
  CountRewardedPayment(record, context.amount_fen, 1);
  payments_.emplace(payment_id, std::move(record));
  return kOk;
}

void CampaignBook::CountRewardedPayment(const PaymentRecord& record, int64_t amount_fen,
                                        int64_t sign) {
  // Once per campaign, however many rewards it gave the payment.
  for (size_t i = 0; i < record.rewards.size(); ++i) {
    const uint64_t campaign_id = record.rewards[i].reward.campaign_id;
    bool seen = false;
    for (size_t j = 0; j < i; ++j) seen |= record.rewards[j].reward.campaign_id == campaign_id;
    if (seen) continue;
    CampaignSpend& spend = MutableCampaign(campaign_id)->spend;
    spend.rewarded_payments += sign;
    spend.rewarded_gmv_fen += sign * amount_fen;
    QB_ASSERT(spend.rewarded_payments >= 0 && spend.rewarded_gmv_fen >= 0);
  }
}

void CampaignBook::ReverseReward(PaymentRecord* record, PaymentRecord::Applied* applied,
                                 int64_t target_fen, bool fully, int64_t now_s,
                                 RefundResult* result) {
  const Reward& reward = applied->reward;
  const int64_t reversal_fen = reward.amount_fen - applied->reversed_fen - target_fen;
  QB_ASSERT(reversal_fen >= 0);
  applied->reversed_fen += reversal_fen;
  CampaignSpend& spend = MutableCampaign(reward.campaign_id)->spend;
  spend.spent_total_fen -= reversal_fen;
  if (spend.day == record->day) spend.spent_day_fen -= reversal_fen;
  QB_ASSERT(spend.spent_total_fen >= 0 && spend.spent_day_fen >= 0);
  const int64_t count = fully ? 1 : 0;
  if ((applied->counted & PaymentRecord::kCountedCustomer) != 0 && (reversal_fen > 0 || fully)) {
    usage_.SubtractCustomer(reward.campaign_id, record->customer_id, record->day, reversal_fen,
                            count);
  }
  if (fully && (applied->counted & PaymentRecord::kCountedDevice) != 0) {
    usage_.AddDevice(reward.campaign_id, record->device_hash, -1);
  }
  if (fully && (applied->counted & PaymentRecord::kCountedIdentity) != 0) {
    usage_.AddIdentity(reward.campaign_id, record->identity_hash, -1);
  }
  if (fully && reward.kind == RewardKind::kCoupon) {
    result->coupon_restored = coupons_.Restore(reward.coupon_id, now_s);
  }
  if (reversal_fen == 0) return;
  Reversal reversal;
  reversal.campaign_id = reward.campaign_id;
  reversal.coupon_id = reward.coupon_id;
  reversal.kind = reward.kind;
  reversal.amount_fen = reversal_fen;
  reversal.hold_released = reward.kind == RewardKind::kCashbackHeld && now_s >= reward.release_at_s;
  result->reversals.push_back(reversal);
}

Error CampaignBook::Refund(uint64_t payment_id, int64_t refund_fen, int64_t now_s,
                           RefundResult* result) {
  Changed();
  *result = RefundResult{};
  const auto it = payments_.find(payment_id);
  if (it == payments_.end()) return {"MARKETING_PAYMENT_NOT_FOUND", ""};
  PaymentRecord& record = it->second;
  if (refund_fen < 1 || refund_fen > record.paid_fen - record.refunded_fen) {
    return {"MARKETING_INVALID_REFUND", "refund_fen"};
  }
  record.refunded_fen += refund_fen;
  const bool fully = record.refunded_fen == record.paid_fen;
  const int64_t kept_share_fen = record.paid_fen - record.refunded_fen;
  for (PaymentRecord::Applied& applied : record.rewards) {
    const int64_t target_fen =
        ScaleDown(applied.reward.amount_fen, kept_share_fen, record.paid_fen);
    ReverseReward(&record, &applied, target_fen, fully, now_s, result);
  }
  result->fully_refunded = fully;
  if (fully) {
    // The original amount: what was paid plus the discounts (cashback came after paying).
    int64_t amount_fen = record.paid_fen;
    for (const PaymentRecord::Applied& applied : record.rewards) {
      if (applied.reward.kind == RewardKind::kDiscount ||
          applied.reward.kind == RewardKind::kCoupon) {
        amount_fen += applied.reward.amount_fen;
      }
    }
    CountRewardedPayment(record, amount_fen, -1);
    payments_.erase(it);
  }
  return kOk;
}

const PaymentRecord* CampaignBook::FindPayment(uint64_t payment_id) const {
  const auto it = payments_.find(payment_id);
  return it == payments_.end() ? nullptr : &it->second;
}

Digest CampaignBook::StateHash() const {
  std::string bytes;
  Serialize(&bytes);
  return HashBytes(bytes);
}

bool CampaignBook::operator==(const CampaignBook& other) const {
  std::string mine;
  std::string theirs;
  Serialize(&mine);
  other.Serialize(&theirs);
  return mine == theirs;
}

void CampaignBook::Clear() {
  Changed();
  campaigns_.clear();
  coupons_ = CouponBook();
  usage_ = UsageTable();
  lists_ = CustomerLists();
  payments_.clear();
  last_commit_time_s_ = 0;
}

}  // namespace qb::marketing
