// Pricing: which campaigns reward a payment, and by how much. Pure functions of their inputs.
//
// Stacking order (the plan lists rewards in this order):
//   1. instant discounts (立减, 首单立减), each computed on the original amount;
//   2. at most one coupon — the one the customer chose — computed on the amount left after
//      step 1 (its threshold is checked against that amount too);
//   3. cashback, computed on what the customer pays after steps 1 and 2.
// Exclusive groups: of the eligible campaigns sharing a non-zero exclusive_group only one
// applies, the best for the customer — the largest reward evaluated alone on the original
// amount (capped by what its caps leave) — ties broken by higher priority, then lower id. A
// winner that then gives nothing in its step (a coupon whose threshold the discounted amount no
// longer meets) leaves its group empty; the losers are not retried. Discounts of one step are
// applied by priority (higher first), then id.
//
// Caps (see Caps in campaign.h). For each campaign the headroom is the least of what its total
// budget, daily budget and per-customer daily/lifetime amount caps leave.
//   - Amount caps REDUCE a computed reward (instant discount, first order, cashback) to the
//     headroom; a reward reduced to 0 is dropped.
//   - Coupons are the exception: a coupon promises a fixed saving, so a coupon whose saving the
//     headroom cannot cover in full is not used (it stays in the wallet) rather than burned for
//     less.
//   - Count caps (per-customer per day and lifetime, per device, per identity) SKIP the
//     campaign when reached. A campaign with a device (identity) cap skips payments whose
//     device (identity) hash is 0, i.e. unknown: fail closed.
// Cashback in total never exceeds what the customer pays.
// The customer always pays at least 1 fen: total discount <= amount - 1, later discounts are
// reduced to fit. Besides closing the "free goods" hole, this keeps refund proportions defined
// (a refund is a share of what was paid).
//
// Eligibility: status kScheduled or kLive, time in the window and an allowed China-time hour,
// channel, merchant, category, region and segment lists, age band, inactivity, custom list,
// min amount on the original amount, not in the holdout, and for 首单 the matching
// first-payment flag.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "marketing/campaign.h"
#include "marketing/coupons.h"
#include "marketing/usage.h"

namespace qb::marketing {

// Everything pricing knows about a payment. The engine fills it; nothing here is read from a
// clock or a random source.
struct PaymentContext {
  uint64_t customer_id = 0;
  uint64_t device_hash = 0;    // 0 = unknown
  uint64_t identity_hash = 0;  // the real-name identity's hash; 0 = unknown
  uint64_t merchant_id = 0;
  uint32_t merchant_category = 0;
  uint32_t region = 0;
  Channel channel = Channel::kQr;
  int64_t amount_fen = 0;  // 1..kMaxPaymentFen; a plan for anything else is empty
  int64_t time_s = 0;      // unix seconds, 0..kMaxTimeS
  bool first_payment_ever = false;
  bool first_at_merchant = false;
  uint64_t coupon_id = 0;  // the coupon the customer chose; 0 = none
  uint64_t segment_bits = 0;
  // The custom lists holding the customer: bit CustomerListSlot(id) per list (customer_lists.h).
  uint64_t list_bits = 0;
  int32_t age_years = -1;  // whole years on the payment's China-time day; -1 = unknown
  // Whole days since money of the customer's last moved (since registration when it never
  // has), before this payment.
  int64_t idle_days = 0;
  uint64_t seed = 0;  // drives kRandomRange draws; fixed in the journal by the engine

  bool operator==(const PaymentContext&) const = default;
};

// Stable numeric values: serialized.
enum class RewardKind : uint8_t {
  kDiscount = 1,      // campaign → merchant, lowers what the customer pays
  kCoupon = 2,        // same, through a coupon
  kCashbackNow = 3,   // campaign → customer, at once
  kCashbackHeld = 4,  // campaign → customer, a hold released at release_at_s
};

struct Reward {
  uint64_t campaign_id = 0;  // the campaign whose budget pays
  uint64_t coupon_id = 0;    // kCoupon only
  RewardKind kind = RewardKind::kDiscount;
  int64_t amount_fen = 0;    // >= 1
  int64_t release_at_s = 0;  // kCashbackHeld only

  bool operator==(const Reward&) const = default;
};

// A plan is one linked ledger chain: customer → merchant customer_pays_fen; for each
// kDiscount/kCoupon reward, campaign budget → merchant; for each cashback reward, campaign
// budget → customer (kCashbackHeld as a pending transfer released at release_at_s).
struct Plan {
  PaymentContext context;
  std::vector<Reward> rewards;    // in stacking order
  int64_t discount_fen = 0;       // discounts and coupon
  int64_t customer_pays_fen = 0;  // context.amount_fen - discount_fen; >= 1 for a valid payment
  int64_t cashback_fen = 0;       // now and held
  // Which state of the CampaignBook quoted it (CampaignBook::Quote sets it; 0: none). Not part
  // of the plan's value: equality ignores it.
  uint64_t quoted_generation = 0;

  bool operator==(const Plan& other) const {
    return context == other.context && rewards == other.rewards &&
           discount_fen == other.discount_fen && customer_pays_fen == other.customer_pays_fen &&
           cashback_fen == other.cashback_fen;
  }
};

// A campaign as pricing sees it: its configuration and what it has spent.
struct CampaignState {
  Campaign campaign;
  CampaignSpend spend;
  bool operator==(const CampaignState&) const = default;
};

struct QuoteInputs {
  std::span<const CampaignState> campaigns;  // sorted by campaign id
  const UsageTable* usage = nullptr;
  const CouponBook* coupons = nullptr;
};

Plan Quote(const PaymentContext& context, const QuoteInputs& inputs);

// The building blocks, exposed for tests and for the console's cost simulation.

// The rule's reward on `base_fen`, before caps: see AmountShape. The random draw is a fixed
// function of (seed, campaign id).
int64_t RuleAmount(const RewardRule& rule, int64_t base_fen, uint64_t seed, uint64_t campaign_id);

// Status, window, hours, channel, targeting lists, segment, age band, inactivity, custom list,
// min amount, holdout, first-order flags. Coupons are checked separately.
bool IsEligible(const Campaign& campaign, const PaymentContext& context);

// Whether a customer of `age_years` (-1: unknown) is in the campaign's age band; true when it
// has none.
bool AgeMatches(const Eligibility& e, int32_t age_years);

struct Headroom {
  bool counts_ok = false;  // no count cap is reached
  int64_t amount_fen = 0;  // the most this campaign may still give on this payment; >= 0
};
Headroom ComputeHeadroom(const CampaignState& state, const UsageTable& usage,
                         const PaymentContext& context);

}  // namespace qb::marketing
