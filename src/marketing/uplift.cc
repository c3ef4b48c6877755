#include "marketing/uplift.h"

#include <absl/container/flat_hash_map.h>

#include "marketing/pricing.h"

namespace qb::marketing {

Error MeasureUplift(const Campaign& campaign, std::span<const uint64_t> population,
                    std::span<const DryRunPayment> payments, UpliftResult* result) {
  *result = UpliftResult();
  const int32_t holdout_percent = campaign.eligibility.holdout_percent;
  if (holdout_percent < 1) return Error{"CAMPAIGN_NO_HOLDOUT", "eligibility.holdout_percent"};
  // Whether each customer is held out, and whether they paid yet.
  struct Member {
    bool held_out = false;
    bool paid = false;
  };
  absl::flat_hash_map<uint64_t, Member> members;
  members.reserve(population.size());
  for (const uint64_t customer : population) {
    const bool held_out = HoldoutBucket(campaign.id, customer) < holdout_percent;
    if (!members.emplace(customer, Member{held_out, false}).second) continue;
    (held_out ? result->holdout : result->treated).customers++;
  }
  // Eligibility as the campaign's, with the holdout itself set aside.
  Campaign everyone = campaign;
  everyone.eligibility.holdout_percent = 0;
  everyone.status = CampaignStatus::kLive;
  for (const DryRunPayment& p : payments) {
    const auto member = members.find(p.customer_id);
    if (member == members.end()) continue;
    if (!IsEligible(everyone, ContextOf(p))) continue;
    UpliftGroup& group = member->second.held_out ? result->holdout : result->treated;
    group.payments++;
    group.gmv_fen += p.amount_fen;
    if (!member->second.paid) {
      member->second.paid = true;
      group.paying_customers++;
    }
  }
  const UpliftGroup& t = result->treated;
  const UpliftGroup& h = result->holdout;
  if (t.customers > 0 && h.customers > 0 && h.gmv_fen > 0) {
    // (gmv_t / n_t) / (gmv_h / n_h) - 1 = (gmv_t n_h - gmv_h n_t) / (gmv_h n_t).
    const __int128 numerator = static_cast<__int128>(t.gmv_fen) * h.customers -
                               static_cast<__int128>(h.gmv_fen) * t.customers;
    const __int128 denominator = static_cast<__int128>(h.gmv_fen) * t.customers;
    result->gmv_per_customer_uplift_bps =
        static_cast<int64_t>(numerator * kBpsDenominator / denominator);
  }
  return Error{};
}

}  // namespace qb::marketing
