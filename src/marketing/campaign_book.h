// The marketing engine's state: campaigns, coupon templates and instances, usage counters and
// the rewards of committed payments, with every operation the engine's writer thread needs.
//
// Contract:
// - Not thread-safe: exactly one thread (the engine's writer) owns a CampaignBook.
// - Deterministic: no clock, no random source. Times (unix seconds) and the payment seed are
//   inputs, so replaying the same calls gives the same state (same StateHash).
// - Every operation either succeeds or changes nothing and returns an Error with a stable code.
// - Invariants after every call, asserted on commit: for each campaign spent_total_fen <=
//   budget_total_fen and the day's spend <= budget_daily_fen; every per-customer, per-device and
//   per-identity cap holds; a coupon is held by at most one unrefunded payment.
// - Ledger mirror: a campaign's budget account balance is budget_total_fen - spent_total_fen.
//   Commit's rewards are the transfers out of it (held cashback as a pending transfer), Refund's
//   reversals the transfers back, TopUp a transfer in, EndCampaign the transfer of the unspent
//   remainder out.
//
// Payment flow in the writer: plan = Quote(context); build the ledger chain from the plan;
// Commit(payment_id, plan). Commit refuses a plan that a fresh quote would not give
// (MARKETING_PLAN_STALE): a plan quoted earlier (shown at checkout) can have gone stale because
// a budget, cap or coupon changed meanwhile, and the engine must quote again. Every change to
// the book advances its generation, and a plan remembers the generation that quoted it: a plan
// quoted on the very state it is committed to (the engine's payment path) is taken as it is;
// any other is quoted again and compared, at the cost of one more quote.
//
// Memory: a campaign costs ~300 bytes plus its targeting lists; a payment with rewards keeps a
// record (~80 bytes + 48 per reward) until it is fully refunded. Usage counters: see usage.h;
// coupons: see coupons.h.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/digest.h"
#include "base/huge_page_allocator.h"
#include "marketing/campaign.h"
#include "marketing/coupons.h"
#include "marketing/customer_lists.h"
#include "marketing/pricing.h"
#include "marketing/usage.h"

namespace qb::marketing {

// What a refund gives back to one campaign.
struct Reversal {
  uint64_t campaign_id = 0;
  uint64_t coupon_id = 0;                   // kCoupon only
  RewardKind kind = RewardKind::kDiscount;  // the kind of the reward being reversed
  int64_t amount_fen = 0;                   // >= 1
  // kCashbackHeld only: whether the hold had already been released at the refund time (then
  // the engine claws the amount back from the customer instead of voiding part of the hold).
  bool hold_released = false;

  bool operator==(const Reversal&) const = default;
};

struct RefundResult {
  std::vector<Reversal> reversals;
  bool fully_refunded = false;
  bool coupon_restored = false;  // the coupon is back in the wallet (still valid)
};

// A committed payment that received rewards, kept until it is fully refunded.
struct PaymentRecord {
  struct Applied {
    Reward reward;
    int64_t reversed_fen = 0;
    uint8_t counted = 0;  // which UsageTable counters the reward incremented: kCounted* bits

    bool operator==(const Applied&) const = default;
  };
  static constexpr uint8_t kCountedCustomer = 1;
  static constexpr uint8_t kCountedDevice = 2;
  static constexpr uint8_t kCountedIdentity = 4;

  uint64_t customer_id = 0;
  uint64_t device_hash = 0;
  uint64_t identity_hash = 0;
  int64_t day = 0;       // China day of the payment
  int64_t paid_fen = 0;  // what the customer paid: the base of refund proportions
  int64_t refunded_fen = 0;
  std::vector<Applied> rewards;

  bool operator==(const PaymentRecord&) const = default;
};

class CampaignBook {
 public:
  CampaignBook() = default;

  // --- Campaigns ---------------------------------------------------------------------------

  // Stores a validated copy as kDraft (config.id and config.status are ignored); ids count
  // from 1. Codes: see ValidateCampaign; CAMPAIGN_INVALID_TARGETING (eligibility.customer_list)
  // also when the custom list it names does not exist (so for UpdateCampaign).
  Error CreateCampaign(Campaign config, uint64_t* campaign_id);
  // Replaces the configuration of campaign config.id; its status is kept (use Transition).
  // Type and total budget change only in kDraft (then TopUp). Lowering a cap below what is
  // already used is allowed: the campaign just gives nothing more under that cap. Per-customer,
  // device and identity usage is tracked only while such a cap is set (see usage.h), so a cap
  // added to a running campaign counts from the moment it is added. Codes:
  // CAMPAIGN_NOT_FOUND, CAMPAIGN_ENDED, CAMPAIGN_TYPE_FIXED, CAMPAIGN_BUDGET_USE_TOP_UP, and
  // ValidateCampaign's.
  Error UpdateCampaign(Campaign config);
  // Moves along the lifecycle (IsTransitionAllowed). Moving to kEnded is EndCampaign.
  // Codes: CAMPAIGN_NOT_FOUND, CAMPAIGN_INVALID_TRANSITION.
  Error TransitionCampaign(uint64_t campaign_id, CampaignStatus to);
  // Raises the total budget. Codes: CAMPAIGN_NOT_FOUND, CAMPAIGN_ENDED, CAMPAIGN_INVALID_TOP_UP
  // (amount < 1, or the budget would pass kMaxBudgetFen).
  Error TopUp(uint64_t campaign_id, int64_t amount_fen);
  // Ends the campaign and releases its unspent budget: *unspent_fen = budget - spent, and the
  // budget becomes what was spent. Refunds after the end still reverse rewards; what they return
  // shows up as UnspentFen again for the engine to sweep. Codes: CAMPAIGN_NOT_FOUND,
  // CAMPAIGN_INVALID_TRANSITION (already ended).
  Error EndCampaign(uint64_t campaign_id, int64_t* unspent_fen);
  // The sweep: for an ended campaign, what refunds gave back since it ended (UnspentFen) leaves
  // its budget, which becomes what was spent again. Returns that amount; 0 for a campaign not
  // ended.
  int64_t SweepEnded(uint64_t campaign_id);
  // Sizes the table of rewarded payments (a hint: it still grows past it).
  void Reserve(size_t payments) { payments_.reserve(payments); }

  const CampaignState* FindCampaign(uint64_t campaign_id) const;
  int64_t UnspentFen(uint64_t campaign_id) const;  // 0 for an unknown campaign
  std::span<const CampaignState> campaigns() const { return campaigns_; }

  // --- Coupons -----------------------------------------------------------------------------

  // The template's campaign must exist, not be ended, and be kThresholdCoupon for kThreshold
  // templates or kDiscountCoupon for kPercent ones. Codes: COUPON_CAMPAIGN_NOT_FOUND,
  // COUPON_CAMPAIGN_MISMATCH, CAMPAIGN_ENDED, and ValidateCouponTemplate's.
  Error CreateCouponTemplate(CouponTemplate config, uint64_t* template_id);
  // A customer's claim: the campaign must be kScheduled or kLive (CAMPAIGN_NOT_LIVE), then see
  // CouponBook::Claim.
  Error ClaimCoupon(uint64_t template_id, uint64_t customer_id, int64_t now_s, uint64_t* coupon_id);
  // Ops issue to many customers at once, all or nothing: any campaign status but kEnded
  // (CAMPAIGN_ENDED), then see CouponBook::Issue. O(n) in the number of customers.
  Error IssueCoupons(uint64_t template_id, std::span<const uint64_t> customer_ids, int64_t now_s,
                     uint64_t* first_coupon_id);
  Error VoidCoupon(uint64_t coupon_id) {
    Changed();
    return coupons_.Void(coupon_id);
  }
  const CouponBook& coupons() const { return coupons_; }

  // --- Custom lists (customer_lists.h) --------------------------------------------------------

  Error CreateCustomerList(std::string name, uint64_t staff_id, int64_t now_s, uint32_t* list_id) {
    Changed();
    return lists_.Create(std::move(name), staff_id, now_s, list_id);
  }
  Error AddToCustomerList(uint32_t list_id, std::span<const uint64_t> customers, int64_t now_s,
                          int64_t* added) {
    Changed();
    return lists_.Add(list_id, customers, now_s, added);
  }
  Error RemoveFromCustomerList(uint32_t list_id, std::span<const uint64_t> customers, int64_t now_s,
                               int64_t* removed) {
    Changed();
    return lists_.Remove(list_id, customers, now_s, removed);
  }
  // Codes: CUSTOMER_LIST_NOT_FOUND, CUSTOMER_LIST_IN_USE (a campaign that has not ended
  // targets it).
  Error DeleteCustomerList(uint32_t list_id);
  const CustomerLists& customer_lists() const { return lists_; }

  // --- Payments ----------------------------------------------------------------------------

  // The rewards this payment would get now. Read-only.
  Plan Quote(const PaymentContext& context) const;
  // Applies a plan from Quote to the counters and the coupon, and records it for refunds.
  // A plan without rewards is accepted and not recorded. Codes: MARKETING_INVALID_PAYMENT
  // (payment id 0 or an amount/time out of range), MARKETING_DUPLICATE_PAYMENT (the id has an
  // unrefunded record), MARKETING_TIME_WENT_BACK (time before the latest commit's: daily caps
  // rely on it), MARKETING_PLAN_STALE.
  Error Commit(uint64_t payment_id, const Plan& plan);
  // Reverses rewards in proportion to refund_fen / paid_fen with the remaining-amount method:
  // after the refunds so far total R, each reward keeps floor(amount * (paid - R) / paid), and
  // each refund reverses the difference from what it kept before. So any sequence of partial
  // refunds reverses exactly the whole reward once the payment is fully refunded, and held
  // cashback is voided entirely then. Amount counters drop by what is reversed; count counters
  // (per customer, device, identity) and the coupon only on the full refund, when the coupon
  // returns to the wallet if it is still valid at now_s (else it becomes kExpired). The record
  // is dropped then. Codes: MARKETING_PAYMENT_NOT_FOUND (unknown, committed without rewards, or
  // already fully refunded: nothing to reverse), MARKETING_INVALID_REFUND (refund_fen < 1 or
  // more than is left to refund).
  Error Refund(uint64_t payment_id, int64_t refund_fen, int64_t now_s, RefundResult* result);
  const PaymentRecord* FindPayment(uint64_t payment_id) const;
  // A cache hint before a payment is quoted and committed: its record's slot and the coupon it
  // offers (0 for none). Changes nothing.
  void PrefetchPayment(uint64_t payment_id, uint64_t coupon_id) const {
    payments_.prefetch(payment_id);
    coupons_.PrefetchCoupon(coupon_id);
  }
  size_t payment_count() const { return payments_.size(); }
  // Calls f(payment_id, record) for every recorded payment, in no particular order.
  template <typename F>
  void ForEachPayment(F&& f) const {
    for (const auto& [payment_id, record] : payments_) f(payment_id, record);
  }

  const UsageTable& usage() const { return usage_; }
  int64_t last_commit_time_s() const { return last_commit_time_s_; }

  // --- Checkpoints and replay checks -------------------------------------------------------

  // The whole book as canonical bytes (grammar in campaign_book_codec.cc): equal books give
  // equal bytes whatever their hash tables' iteration order.
  void Serialize(std::string* out) const;
  // Replaces this book with the decoded one; false (book cleared) on malformed input.
  bool Deserialize(std::string_view bytes);
  // BLAKE2b-256 of the serialized book.
  Digest StateHash() const;
  // Compares the canonical bytes: O(state), for tests and replay checks.
  bool operator==(const CampaignBook& other) const;

 private:
  CampaignState* MutableCampaign(uint64_t campaign_id);
  Error CheckListExists(const Campaign& config) const;
  void ApplyReward(const PaymentContext& context, PaymentRecord::Applied* applied);
  // Adds (sign 1) or removes (sign -1, on the full refund) the payment in the reporting figures
  // of each campaign that rewarded it; amount_fen is the payment's original amount.
  void CountRewardedPayment(const PaymentRecord& record, int64_t amount_fen, int64_t sign);
  void ReverseReward(PaymentRecord* record, PaymentRecord::Applied* applied, int64_t target_fen,
                     bool fully, int64_t now_s, RefundResult* result);
  void Clear();
  // Called by every operation that may change the book, before it does.
  void Changed() { ++generation_; }

  std::vector<CampaignState> campaigns_;  // campaign id = index + 1
  CouponBook coupons_;
  UsageTable usage_;
  CustomerLists lists_;
  absl::flat_hash_map<uint64_t, PaymentRecord, absl::Hash<uint64_t>, std::equal_to<uint64_t>,
                      HugePageAllocator<std::pair<const uint64_t, PaymentRecord>>>
      payments_;
  int64_t last_commit_time_s_ = 0;
  // Counts the changes (Changed): not state, never serialized. Starts at 1 so that a plan
  // nobody quoted (quoted_generation 0) is always quoted again.
  uint64_t generation_ = 1;
};

}  // namespace qb::marketing
