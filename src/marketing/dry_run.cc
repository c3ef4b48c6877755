#include "marketing/dry_run.h"

#include <absl/container/flat_hash_set.h>

#include "marketing/campaign_book.h"

namespace qb::marketing {

PaymentContext ContextOf(const DryRunPayment& p) {
  PaymentContext context;
  context.customer_id = p.customer_id;
  context.merchant_id = p.merchant_id;
  context.merchant_category = p.merchant_category;
  context.region = p.region;
  context.channel = p.channel;
  context.amount_fen = p.amount_fen;
  context.time_s = p.time_s;
  context.first_payment_ever = p.first_payment_ever;
  context.first_at_merchant = p.first_at_merchant;
  context.segment_bits = p.segment_bits;
  context.list_bits = p.list_bits;
  context.age_years = p.age_years;
  context.idle_days = p.idle_days;
  context.seed = Mix64(p.payment_id);  // Random-range rewards draw as a payment would.
  return context;
}

Error DryRun(Campaign candidate, std::span<const DryRunPayment> payments, int64_t from_s,
             int64_t to_s, DryRunResult* result) {
  *result = DryRunResult();
  if (candidate.type == CampaignType::kThresholdCoupon ||
      candidate.type == CampaignType::kDiscountCoupon) {
    return Error{"CAMPAIGN_DRY_RUN_UNSUPPORTED", "type"};
  }
  candidate.eligibility.window_start_s = from_s;
  candidate.eligibility.window_end_s = to_s;
  // The private book holds no lists: it prices the campaign without its list, and only the
  // payments of the list's members reach it.
  const uint32_t list = candidate.eligibility.customer_list;
  candidate.eligibility.customer_list = 0;
  CampaignBook book;
  uint64_t id = 0;
  if (Error e = book.CreateCampaign(std::move(candidate), &id); !e.ok()) return e;
  if (Error e = book.TransitionCampaign(id, CampaignStatus::kLive); !e.ok()) return e;
  // Who the holdout alone leaves out: the same campaign without one.
  Campaign without_holdout = book.FindCampaign(id)->campaign;
  without_holdout.eligibility.holdout_percent = 0;

  absl::flat_hash_set<uint64_t> reached;
  absl::flat_hash_set<uint64_t> held_out;
  int64_t last_s = from_s;
  for (const DryRunPayment& p : payments) {
    if (p.time_s < last_s || p.time_s >= to_s) return Error{"CAMPAIGN_DRY_RUN_UNORDERED", ""};
    last_s = p.time_s;
    const PaymentContext context = ContextOf(p);
    result->payments++;
    if (list != 0 && (p.list_bits >> CustomerListSlot(list) & 1) == 0) continue;
    const Plan plan = book.Quote(context);
    if (plan.rewards.empty()) {
      const Campaign& campaign = book.FindCampaign(id)->campaign;
      if (!IsEligible(campaign, context) && IsEligible(without_holdout, context)) {
        held_out.insert(p.customer_id);
      }
      continue;
    }
    if (Error e = book.Commit(p.payment_id, plan); !e.ok()) return e;
    reached.insert(p.customer_id);
    const int64_t cost = plan.discount_fen + plan.cashback_fen;
    result->rewarded_payments++;
    result->discount_fen += plan.discount_fen;
    result->cashback_fen += plan.cashback_fen;
    result->gmv_fen += p.amount_fen;
    const int64_t day = ChinaDay(p.time_s);
    if (result->days.empty() || result->days.back().china_day != day) {
      result->days.push_back(DryRunDay{day, 0, 0});
    }
    result->days.back().rewarded_payments++;
    result->days.back().cost_fen += cost;
    const CampaignState& state = *book.FindCampaign(id);
    if (result->budget_exhausted_s == 0 &&
        state.spend.spent_total_fen >= state.campaign.caps.budget_total_fen) {
      result->budget_exhausted_s = p.time_s;
    }
  }
  result->customers_reached = static_cast<int64_t>(reached.size());
  result->holdout_customers = static_cast<int64_t>(held_out.size());
  return Error{};
}

}  // namespace qb::marketing
