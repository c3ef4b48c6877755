// Marketing in the payment path: the plan a payment gets from the campaign book, the payment's
// one linked chain with its rewards, and the reversals a refund adds to its chain. Same class
// and rules as state_machine_payments.cc.
//
// A payment's chain, in order, all linked:
//   customer → merchant         what the customer pays (amount − discounts); from a hold, the
//                               post of that much (the rest of the hold is released)
//   budget(c) → merchant        each discount or coupon, from its campaign's budget account
//   budget(c) → customer        each cashback paid at once
//   points                      redeemed and earned (state_machine_points.cc)
//   merchant → fee income       the fee, on the full amount (the merchant receives all of it)
// The plan is committed to the campaign book only once the chain went through. If the chain
// fails only because a budget account lacks the money (the book and the ledger disagree, which
// a raw transfer out of a budget account could cause), the payment goes through at full price
// without marketing rather than failing: the customer came to pay, and the campaign is what
// is wrong. Held cashback (kCashbackHeld) is a pending budget → customer transfer in the same
// chain, posted at its release time (state_machine_cashback.cc).
//
// A refund's chain adds, after the refund itself, the reward shares the campaign book's
// remaining-amount method gives back: merchant → budget(c) for discounts and coupons,
// customer → budget(c) for cashback; for cashback still held, the void of the hold and a new
// hold of what is left instead. They are computed here from the book's record before the
// chain runs, and the book's own Refund, run after it went through, must agree (asserted).
#include <algorithm>
#include <span>
#include <string>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"
#include "identity/calendar_date.h"
#include "marketing/segments.h"
#include "merchant/merchant_category.h"
#include "merchant/merchant_code.h"

namespace qb::engine {
namespace {

using internal::DerivedId;
using internal::kNsPerSecond;
using payments::Payment;

// A stable 64-bit digest of an identifier the engine keeps as a string; 0 (unknown) for "".
uint64_t ShortHash(std::string_view purpose, std::string_view value) {
  if (value.empty()) return 0;
  Hasher hasher;
  hasher.Update(purpose);
  hasher.Update(value);
  const Digest digest = hasher.Finish();
  uint64_t result = 0;
  for (size_t i = 0; i < 8; ++i) result = (result << 8) | digest[i];
  return result == 0 ? 1 : result;
}

// Whether a campaign that may still reward draws its amounts at random (AmountShape
// kRandomRange): the only readers of PaymentContext::seed.
bool DrawsRandomAmounts(std::span<const marketing::CampaignState> campaigns) {
  return std::any_of(campaigns.begin(), campaigns.end(), [](const marketing::CampaignState& s) {
    return s.campaign.status != marketing::CampaignStatus::kEnded &&
           s.campaign.rule.shape == marketing::AmountShape::kRandomRange;
  });
}

marketing::Channel ChannelOf(payments::PaymentChannel channel) {
  switch (channel) {
    case payments::PaymentChannel::kPaymentCode:
      return marketing::Channel::kPaymentCode;
    case payments::PaymentChannel::kOnline:
      return marketing::Channel::kOnline;
    case payments::PaymentChannel::kNfc:
      return marketing::Channel::kNfc;
    default:
      return marketing::Channel::kQr;  // Static and dynamic QR.
  }
}

bool IsBudgetAccount(uint64_t account_id) {
  return account_id > kCampaignBudgetAccountBase && account_id < kCustomerWalletAccountBase;
}

// Whole days since money of the customer's last moved, or since they registered.
int64_t IdleDays(const identity::Customer& customer, int64_t now_ns) {
  const int64_t since_ns =
      customer.last_money_ns != 0 ? customer.last_money_ns : customer.registered_ns;
  return now_ns <= since_ns ? 0 : (now_ns - since_ns) / (kNsPerSecond * 86'400);
}

bool IsDiscount(marketing::RewardKind kind) {
  return kind == marketing::RewardKind::kDiscount || kind == marketing::RewardKind::kCoupon;
}

}  // namespace

bool StateMachine::QuotePaymentAt(const Payment& payment, uint64_t coupon_id,
                                  std::string_view device_hash, int64_t time_ns,
                                  marketing::Plan* plan) const {
  const int64_t now_s = time_ns / kNsPerSecond;
  // The book refuses commits that go back in time (its daily caps rely on it); a batch time
  // before the last commit's (a clock stepped back across a restart) prices without marketing.
  if (now_s < campaigns_.last_commit_time_s()) return false;
  const identity::Customer& customer = *customers_.FindById(payment.customer_id);
  const payments::Merchant& merchant = *payments_.FindMerchant(payment.merchant_id);
  marketing::PaymentContext context;
  context.customer_id = customer.id;
  context.device_hash = ShortHash("qianbao/marketing/device/v1", device_hash);
  if (customer.identity) context.identity_hash = customer.identity->counter_key;
  context.merchant_id = merchant.id;
  // Campaigns target categories by their ISO 18245 code, and regions by the division the
  // merchant was registered in (its credit code's).
  if (const merchant::MerchantCategory* category =
          merchant::FindMerchantCategoryById(merchant.profile.category)) {
    context.merchant_category = category->mcc;
  }
  context.region = merchant::RegionOfCreditCode(merchant.profile.credit_code);
  context.channel = ChannelOf(payment.channel);
  context.amount_fen = payment.amount_fen;
  context.time_s = now_s;
  context.first_payment_ever = !customers_paid_.contains(customer.id);
  context.first_at_merchant = !paid_at_merchant_.contains({customer.id, merchant.id});
  context.coupon_id = coupon_id;
  context.segment_bits =
      marketing::SegmentBitsOf({.registered_s = customer.registered_ns / kNsPerSecond,
                                .tier = static_cast<uint8_t>(customer.tier),
                                .verified = customer.verified(),
                                .channel = customer.channel},
                               now_s);
  context.list_bits = campaigns_.customer_lists().MembershipBits(customer.id);
  if (customer.identity) {
    context.age_years = identity::ChinaAgeAt(customer.identity->birth_date, time_ns);
  }
  context.idle_days = IdleDays(customer, time_ns);
  // Random-range rewards draw from a seed fixed by what the journal fixes: the payment id and
  // the batch time. Never a random source, so replay draws the same. Only those rewards read
  // it, and a hash is a tenth of a payment's time, so it is taken only when such a campaign
  // has not ended.
  if (DrawsRandomAmounts(campaigns_.campaigns())) {
    Hasher seed;
    seed.Update("qianbao/engine/marketing-seed/v1");
    seed.UpdateU64(payment.id);
    seed.UpdateU64(static_cast<uint64_t>(time_ns));
    const Digest digest = seed.Finish();
    for (size_t i = 0; i < 8; ++i) context.seed = (context.seed << 8) | digest[i];
  }
  *plan = campaigns_.Quote(context);
  return !plan->rewards.empty();
}

marketing::Plan StateMachine::QuoteMarketing(uint64_t customer_id, uint64_t merchant_id,
                                             payments::PaymentChannel channel, int64_t amount_fen,
                                             uint64_t coupon_id, int64_t time_ns) const {
  marketing::Plan plan;
  if (!marketing_on() || customers_.FindById(customer_id) == nullptr ||
      payments_.FindMerchant(merchant_id) == nullptr) {
    return plan;
  }
  Payment payment;
  payment.customer_id = customer_id;
  payment.merchant_id = merchant_id;
  payment.channel = channel;
  payment.amount_fen = amount_fen;
  QuotePaymentAt(payment, coupon_id, "", time_ns, &plan);
  return plan;
}

PaymentResult StateMachine::ChargePayment(const Payment& payment, bool from_hold,
                                          const marketing::Plan* plan, const PointsCharge& points,
                                          bool* budget_short) {
  const payments::Merchant& merchant = *payments_.FindMerchant(payment.merchant_id);
  const identity::Customer& customer = *customers_.FindById(payment.customer_id);
  absl::InlinedVector<ledger::Transfer, 2> chain(1);
  ledger::Transfer& pay = chain[0];
  pay.id = from_hold ? DerivedId(payment.id, "post") : payment.id;
  pay.pending_id = from_hold ? payment.id : 0;
  pay.debit_account_id = customer.wallet_account_id;
  pay.credit_account_id = merchant.account_id;
  // What the customer pays in cash: the points' worth comes from the bank (no campaign
  // applies when points pay: MoveMoney).
  const int64_t cash_fen =
      (plan != nullptr ? plan->customer_pays_fen : payment.amount_fen) - points.discount_fen;
  pay.amount = cash_fen;
  pay.ledger = ledger::kLedgerCny;
  pay.code = ledger::transfer_codes::kPayment;
  pay.user_data = merchant.id;
  pay.flags = from_hold ? ledger::transfer_flags::kPostPending : 0;
  if (plan != nullptr) {
    for (size_t i = 0; i < plan->rewards.size(); i++) {
      const marketing::Reward& reward = plan->rewards[i];
      ledger::Transfer t;
      // Held cashback: a hold with no timeout, posted at its release (state_machine_cashback.cc).
      t.id = HeldCashbackId(payment.id, i, 0);
      t.debit_account_id = kCampaignBudgetAccountBase + reward.campaign_id;
      t.credit_account_id =
          IsDiscount(reward.kind) ? merchant.account_id : customer.wallet_account_id;
      t.amount = reward.amount_fen;
      t.ledger = ledger::kLedgerCny;
      t.code = IsDiscount(reward.kind) ? ledger::transfer_codes::kCampaignDiscount
                                       : ledger::transfer_codes::kCashback;
      t.user_data = payment.id;
      if (reward.kind == marketing::RewardKind::kCashbackHeld) {
        t.flags = ledger::transfer_flags::kPending;
      }
      chain.push_back(t);
    }
  }
  const int64_t earned = AppendPoints(payment, points, cash_fen, &chain);
  if (payment.fee_fen > 0) {
    EnsureFeeIncomeAccount();
    ledger::Transfer fee;
    fee.id = DerivedId(payment.id, "fee");
    fee.debit_account_id = merchant.account_id;
    fee.credit_account_id = kFeeIncomeAccountId;
    fee.amount = payment.fee_fen;
    fee.ledger = ledger::kLedgerCny;
    fee.code = ledger::transfer_codes::kPaymentFee;
    fee.user_data = merchant.id;
    chain.push_back(fee);
  }
  for (size_t i = 0; i + 1 < chain.size(); i++) chain[i].flags |= ledger::transfer_flags::kLinked;
  ledger_.CreateTransfers(chain, batch_time_ns_, &transfer_results_);
  for (size_t i = 1; i < chain.size(); i++) {
    if (transfer_results_[i] == ledger::CreateTransferResult::kExceedsCredits &&
        IsBudgetAccount(chain[i].debit_account_id)) {
      *budget_short = true;
      return PaymentResult::kInsufficientFunds;
    }
  }
  if (transfer_results_[0] == ledger::CreateTransferResult::kExceedsCredits) {
    return PaymentResult::kInsufficientFunds;
  }
  if (transfer_results_[0] == ledger::CreateTransferResult::kPendingTransferExpired ||
      transfer_results_[0] == ledger::CreateTransferResult::kPendingTransferAlreadyVoided) {
    return PaymentResult::kNotAwaitingConfirmation;
  }
  // Anything else (an overflowing balance, an id a raw transfer took) moved nothing: the chain
  // is linked.
  for (ledger::CreateTransferResult r : transfer_results_) {
    if (r != ledger::CreateTransferResult::kOk) return PaymentResult::kInvalid;
  }
  ProjectCreated(chain);
  RecordPoints(payment, points, cash_fen, earned);
  payments_.AddUnsettled(merchant.id, internal::ChinaDay(batch_time_ns_),
                         payment.amount_fen - payment.fee_fen);
  return PaymentResult::kOk;
}

PaymentResult StateMachine::MoveMoney(const Payment& payment, bool from_hold, uint64_t coupon_id,
                                      std::string_view device_hash, int64_t points) {
  PointsCharge charge;
  if (PaymentResult r = PricePoints(payment.customer_id, points, payment.amount_fen, &charge);
      r != PaymentResult::kOk) {
    return r;
  }
  if (!marketing_on()) {
    const PaymentResult r = ChargePayment(payment, from_hold, nullptr, charge, nullptr);
    if (r == PaymentResult::kOk) {
      NoteQualifyingPayment(payment, device_hash, false);
      NoteLotteryPayment(payment);
      NoteRedPacketPayment(payment);
    }
    return r;
  }
  marketing::Plan plan;
  // Points do not combine with offers: a payment with points gets no campaign's reward.
  bool priced = charge.redeem == 0 && QuotePayment(payment, coupon_id, device_hash, &plan);
  PaymentResult r = PaymentResult::kOk;
  if (priced) {
    bool budget_short = false;
    r = ChargePayment(payment, from_hold, &plan, charge, &budget_short);
    priced = !budget_short;
  }
  if (!priced) r = ChargePayment(payment, from_hold, nullptr, charge, nullptr);
  if (r != PaymentResult::kOk) return r;
  NotePaid(payment.customer_id, payment.merchant_id);
  NoteQualifyingPayment(payment, device_hash, false);  // state_machine_referral.cc
  NoteLotteryPayment(payment);                         // state_machine_lottery.cc
  NoteRedPacketPayment(payment);                       // state_machine_redpacket.cc
  if (!priced) {
    payment_marketing_.erase(payment.id);
    return r;
  }
  // Quoted a moment ago on the same state: the book cannot find it stale.
  const marketing::Error committed = campaigns_.Commit(payment.id, plan);
  QB_ASSERT(committed.ok());
  // Only a plan with held cashback has holds to remember: no book look-up for the others.
  for (const marketing::Reward& reward : plan.rewards) {
    if (reward.kind == marketing::RewardKind::kCashbackHeld) {
      NoteCashbackHolds(payment.id);
      break;
    }
  }
  PaymentMarketing entry;
  for (const marketing::Reward& reward : plan.rewards) {
    if (reward.kind == marketing::RewardKind::kCoupon) entry.coupon_id = reward.coupon_id;
  }
  entry.discount_fen = plan.discount_fen;
  entry.cashback_fen = plan.cashback_fen;
  payment_marketing_[payment.id] = entry;
  return r;
}

int64_t StateMachine::AppendReversals(const Payment& payment, int64_t refunded_after_fen,
                                      uint64_t refund_id, uint64_t customer_account_id,
                                      absl::InlinedVector<ledger::Transfer, 2>* chain) {
  const marketing::PaymentRecord* record = campaigns_.FindPayment(payment.id);
  if (record == nullptr) return 0;
  QB_ASSERT(record->refunded_fen == payment.refunded_fen);
  const payments::Merchant& merchant = *payments_.FindMerchant(payment.merchant_id);
  const int64_t kept_share_fen = record->paid_fen - refunded_after_fen;
  int64_t from_merchant_fen = 0;
  for (size_t i = 0; i < record->rewards.size(); i++) {
    const marketing::PaymentRecord::Applied& applied = record->rewards[i];
    const marketing::Reward& reward = applied.reward;
    // The book's remaining-amount method: the reward keeps floor(amount * kept / paid).
    const auto kept_fen = static_cast<int64_t>(static_cast<__int128>(reward.amount_fen) *
                                               kept_share_fen / record->paid_fen);
    const int64_t reversal_fen = reward.amount_fen - applied.reversed_fen - kept_fen;
    QB_ASSERT(reversal_fen >= 0);
    if (reversal_fen == 0) continue;
    if (reward.kind == marketing::RewardKind::kCashbackHeld &&
        batch_time_ns_ / kNsPerSecond < reward.release_at_s) {
      // Still held (ApplyRefund released what was due): void the hold, hold the rest anew.
      const ledger::Transfer& hold =
          *ledger_.FindTransfer(HeldCashbackId(payment.id, i, applied.reversed_fen));
      ledger::Transfer drop = hold;
      drop.id = DerivedId(refund_id, "reversal-" + std::to_string(i));
      drop.pending_id = hold.id;
      drop.amount = 0;
      drop.timeout_s = 0;
      drop.timestamp_ns = 0;
      drop.flags = ledger::transfer_flags::kVoidPending;
      chain->push_back(drop);
      if (kept_fen > 0) {
        ledger::Transfer rest = hold;
        rest.id = HeldCashbackId(payment.id, i, applied.reversed_fen + reversal_fen);
        rest.amount = kept_fen;
        rest.timestamp_ns = 0;
        rest.flags = ledger::transfer_flags::kPending;
        chain->push_back(rest);
      }
      continue;
    }
    ledger::Transfer t;
    t.id = DerivedId(refund_id, "reversal-" + std::to_string(i));
    t.debit_account_id = IsDiscount(reward.kind) ? merchant.account_id : customer_account_id;
    t.credit_account_id = kCampaignBudgetAccountBase + reward.campaign_id;
    t.amount = reversal_fen;
    t.ledger = ledger::kLedgerCny;
    t.code = IsDiscount(reward.kind) ? ledger::transfer_codes::kDiscountReversal
                                     : ledger::transfer_codes::kCashbackReversal;
    t.user_data = payment.id;
    chain->push_back(t);
    if (IsDiscount(reward.kind)) from_merchant_fen += reversal_fen;
  }
  return from_merchant_fen;
}

void StateMachine::ReverseRewards(const Payment& payment, int64_t refund_fen, uint64_t refund_id,
                                  std::span<const ledger::Transfer> reversals) {
  const marketing::PaymentRecord* record = campaigns_.FindPayment(payment.id);
  if (record == nullptr) return;
  // The holds this refund may end: their keys in cashback_holds_.
  std::vector<std::tuple<int64_t, uint64_t, uint32_t>> holds;
  for (size_t i = 0; i < record->rewards.size(); i++) {
    const marketing::Reward& reward = record->rewards[i].reward;
    if (reward.kind == marketing::RewardKind::kCashbackHeld) {
      holds.emplace_back(reward.release_at_s, payment.id, static_cast<uint32_t>(i));
    }
  }
  marketing::RefundResult result;
  const marketing::Error e =
      campaigns_.Refund(payment.id, refund_fen, batch_time_ns_ / kNsPerSecond, &result);
  QB_ASSERT(e.ok());
  // Each reversal the book made, but of a hold, is one transfer back to its budget, in order.
  size_t next = 0;
  for (const marketing::Reversal& reversal : result.reversals) {
    if (reversal.kind == marketing::RewardKind::kCashbackHeld && !reversal.hold_released) continue;
    while (next < reversals.size() &&
           (reversals[next].flags &
            (ledger::transfer_flags::kVoidPending | ledger::transfer_flags::kPending)) != 0) {
      next++;
    }
    QB_ASSERT(next < reversals.size());
    QB_ASSERT(reversal.amount_fen == reversals[next].amount);
    QB_ASSERT(kCampaignBudgetAccountBase + reversal.campaign_id ==
              reversals[next].credit_account_id);
    next++;
  }
  // What a refund gives back to an ended campaign goes on to its funders
  // (state_machine_marketing.cc).
  for (const marketing::Reversal& reversal : result.reversals) {
    const int64_t swept_fen = campaigns_.SweepEnded(reversal.campaign_id);
    if (swept_fen == 0) continue;  // not ended, or this campaign's reversals already swept
    ReturnToFunders(reversal.campaign_id, swept_fen,
                    DerivedId(refund_id, "campaign-sweep-" + std::to_string(reversal.campaign_id)));
  }
  // A hold voided to the last fen is no longer waiting for its release.
  const marketing::PaymentRecord* after = campaigns_.FindPayment(payment.id);
  for (const auto& key : holds) {
    const marketing::PaymentRecord::Applied* applied =
        after != nullptr ? &after->rewards[std::get<2>(key)] : nullptr;
    if (applied == nullptr || applied->reversed_fen == applied->reward.amount_fen) {
      cashback_holds_.erase(key);
    }
  }
}

}  // namespace qb::engine
