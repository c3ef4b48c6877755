// The dry run: a candidate campaign priced over real past payments, as if it had been live
// then, to see what it would have cost and whom it would have reached before launching it.
// Pure: the caller loads the payments (the wallet reads them from the read models) and passes
// them in time order; a private CampaignBook applies the campaign's own rules and caps, so the
// budget, daily budget and per-customer caps run out as they would have.
//
// What history cannot say is approximated by the caller and listed in DryRunResult::notes:
// the device and real-name identity of a payment are unknown (campaigns capped per device or
// identity skip every payment, as live pricing does for an unknown device), and a customer's
// "first payment" is judged from the payments loaded. Coupon campaigns are refused: their
// rewards come from coupons customers hold, which history has no trace of.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "marketing/campaign.h"
#include "marketing/pricing.h"

namespace qb::marketing {

// One past payment as pricing saw it (see PaymentContext).
struct DryRunPayment {
  uint64_t payment_id = 0;  // >= 1, unique
  uint64_t customer_id = 0;
  uint64_t merchant_id = 0;
  uint32_t merchant_category = 0;  // ISO 18245
  uint32_t region = 0;             // GB/T 2260, from the merchant's credit code
  Channel channel = Channel::kQr;
  int64_t amount_fen = 0;
  int64_t time_s = 0;
  uint64_t segment_bits = 0;
  uint64_t list_bits = 0;  // the custom lists holding the customer (PaymentContext::list_bits)
  int32_t age_years = -1;  // -1 = unknown
  int64_t idle_days = 0;
  bool first_payment_ever = false;
  bool first_at_merchant = false;
};

// The payment as pricing sees it; the random-range seed is fixed by the payment id.
PaymentContext ContextOf(const DryRunPayment& payment);

struct DryRunDay {
  int64_t china_day = 0;  // ChinaDay
  int64_t rewarded_payments = 0;
  int64_t cost_fen = 0;
  bool operator==(const DryRunDay&) const = default;
};

struct DryRunResult {
  int64_t payments = 0;  // priced
  int64_t rewarded_payments = 0;
  int64_t customers_reached = 0;  // distinct customers rewarded
  int64_t holdout_customers = 0;  // distinct customers left out only by the holdout
  int64_t discount_fen = 0;
  int64_t cashback_fen = 0;
  int64_t gmv_fen = 0;             // original amounts of the rewarded payments
  int64_t budget_exhausted_s = 0;  // when the rewards first reached the total budget; 0 never
  std::vector<DryRunDay> days;     // days with rewarded payments, ascending
};

// Prices `payments` (ascending time, each within [from_s, to_s)) with `candidate` made live
// over [from_s, to_s): its window is replaced by that span, everything else is kept (its custom
// list is judged by each payment's list_bits alone: the list need not exist here). Codes:
// CAMPAIGN_DRY_RUN_UNSUPPORTED (field "type") for coupon campaigns, ValidateCampaign's for a
// bad configuration, CAMPAIGN_DRY_RUN_UNORDERED for payments out of order or out of the span.
Error DryRun(Campaign candidate, std::span<const DryRunPayment> payments, int64_t from_s,
             int64_t to_s, DryRunResult* result);

}  // namespace qb::marketing
