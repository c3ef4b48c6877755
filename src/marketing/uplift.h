// A campaign's measured uplift against its A/B holdout: the customers HoldoutBucket puts below
// the holdout percentage get nothing from the campaign, so comparing what the two groups spent
// on eligible payments while it ran says what the campaign itself brought. Pure: the caller
// gives the campaign's population (the customers it targets) and the payments of the period.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "marketing/campaign.h"
#include "marketing/dry_run.h"

namespace qb::marketing {

struct UpliftGroup {
  int64_t customers = 0;         // of the population
  int64_t paying_customers = 0;  // with at least one eligible payment
  int64_t payments = 0;          // eligible payments
  int64_t gmv_fen = 0;           // their original amounts
  bool operator==(const UpliftGroup&) const = default;
};

struct UpliftResult {
  UpliftGroup treated;
  UpliftGroup holdout;
  // GMV per customer of the treated group over the holdout's, less one, in basis points
  // (rounded toward zero); nullopt when either group is empty or the holdout spent nothing.
  std::optional<int64_t> gmv_per_customer_uplift_bps;
};

// `campaign` must have a holdout (holdout_percent >= 1); payments outside its window or not
// eligible (holdout aside), and payments of customers outside `population`, are not counted.
// `population` lists each customer once. Codes: CAMPAIGN_NO_HOLDOUT.
Error MeasureUplift(const Campaign& campaign, std::span<const uint64_t> population,
                    std::span<const DryRunPayment> payments, UpliftResult* result);

}  // namespace qb::marketing
