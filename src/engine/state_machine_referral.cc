// Friend referral in the engine (好友推荐): the programme (SetReferralProgram, command 69), the
// referral a registration with an invite code makes, the rewards the invitee's first qualifying
// payment pays both sides, and the clawback when that payment is refunded. The book's rules are
// in referral/referral_book.h.
//
// Self-referral is refused whether or not the risk engine runs:
//   - at registration, when the invitee signs up on a device the inviter used: one of the
//     inviter's log-in devices (KnownDevices), or, with the risk engine on, any device it has
//     seen the inviter on (RiskEngine::ReferralChainDepth, depth 1); and when the risk rules'
//     verdict on the registration was not allow (referral_ring_registration holds a ring for
//     review: the sign-up goes through, the referral does not);
//   - at the qualifying payment, which counts only once the invitee is verified by real name
//     (unless the programme says otherwise): a resident ID verifies one wallet, so one person
//     is one invitee; and refused when both accounts carry the same verified identity (a
//     purged closed account's ID verifying anew),
//     when the payment is made on a device the inviter used, when the risk rules denied the
//     payment's rewards, or when they deny either reward (risk::Reward events, judged after the
//     payment's own event: referral_ring_reward, shared_device_reward).
//
// The rewards are one linked chain after the payment's: budget → wallet for cash (kReferralCash,
// from kReferralBudgetAccountId, which the programme's budget funds, so cash can never exceed
// it), pool → points account for points (kReferralPoints). A cash reward a wallet's balance cap
// cannot take is left out. A refund that leaves the qualifying payment below the programme's
// minimum takes both rewards back as far as the wallets and points accounts still hold them
// (kReferralCashClawback, kReferralPointsClawback); what was spent is the bank's loss, recorded.
#include <algorithm>
#include <string>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"
#include "referral/invite_code.h"

namespace qb::engine {
namespace {

using internal::DerivedId;
using internal::kNsPerSecond;
using referral::Reason;

ledger::Transfer MakeTransfer(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount,
                              uint32_t ledger_id, uint16_t code, uint64_t user_data) {
  ledger::Transfer t;
  t.id = id;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount = amount;
  t.ledger = ledger_id;
  t.code = code;
  t.user_data = user_data;
  return t;
}

int64_t Available(const ledger::Account& account) {
  return account.credits_posted - account.debits_posted - account.debits_pending;
}

}  // namespace

bool StateMachine::CustomerUsedDevice(uint64_t customer_id, std::string_view device_hash) const {
  if (device_hash.empty()) return false;
  if (const auto* devices = known_devices_.Find(customer_id)) {
    for (const identity::KnownDevice& device : *devices) {
      if (device.hash == device_hash) return true;
    }
  }
  return risk_.on() &&
         risk_.engine().ReferralChainDepth(customer_id, RiskDeviceId(device_hash), 0) == 1;
}

uint64_t StateMachine::InviterOf(std::string_view invite_code) const {
  if (invite_code.empty()) return 0;
  const std::optional<uint64_t> id = referral::ParseInviteCode(invite_code);
  if (!id) return 0;
  const identity::Customer* inviter = customers_.FindById(*id);
  return inviter == nullptr || inviter->closed() ? 0 : *id;
}

Reply StateMachine::ApplySetReferralProgram(const SetReferralProgram& c) {
  Reply reply;
  PaymentResult r = PaymentResult::kOk;
  const int64_t budget_before = referrals_.version() == 0 ? 0 : referrals_.program().budget_fen;
  if (staff_.FindById(c.staff_id) == nullptr) {
    r = PaymentResult::kStaffNotFound;
  } else if (const referral::Error e =
                 referrals_.SetProgram(c.program, batch_time_ns_ / kNsPerSecond);
             !e.ok()) {
    r = PaymentResult::kInvalid;
    reply.text = std::string(e.code).append(":").append(e.field);
  } else {
    reply.value = referrals_.version();
    // Lowered never below what was spent (SetProgram checked).
    MoveProgramBudget(kReferralBudgetAccountId, c.program.budget_fen - budget_before, reply.value,
                      "referral-budget");
  }
  reply.results.push_back(static_cast<uint8_t>(r));
  return reply;
}

void StateMachine::NoteReferral(uint64_t invitee_id, uint64_t inviter_id,
                                std::string_view device_hash, bool risk_allowed) {
  Reason refused = Reason::kNone;
  if (CustomerUsedDevice(inviter_id, device_hash)) {
    refused = Reason::kSameDevice;
  } else if (!risk_allowed) {
    refused = Reason::kRisk;
  }
  referrals_.Add(invitee_id, inviter_id, batch_time_ns_ / kNsPerSecond, refused);
}

void StateMachine::NoteQualifyingPayment(const payments::Payment& payment,
                                         std::string_view device_hash, bool rewards_denied) {
  // Every payment asks: without referrals, one branch.
  if (!referrals_.on() || !referrals_.Qualifies(payment.customer_id, payment.amount_fen,
                                                batch_time_ns_ / kNsPerSecond)) {
    return;
  }
  // Unverified, the invitee's payment does not count: the referral stays pending.
  if (referrals_.program().invitee_verified &&
      !customers_.FindById(payment.customer_id)->verified()) {
    return;
  }
  referral_due_ =
      ReferralDue{payment.id, payment.customer_id, std::string(device_hash), rewards_denied};
}

void StateMachine::SettleReferral() {
  const ReferralDue due = std::move(*referral_due_);
  referral_due_.reset();
  const int64_t now_s = batch_time_ns_ / kNsPerSecond;
  const referral::Referral& referral = *referrals_.Find(due.invitee_id);
  const identity::Customer& invitee = *customers_.FindById(referral.invitee_id);
  const identity::Customer& inviter = *customers_.FindById(referral.inviter_id);
  const bool inviter_device = CustomerUsedDevice(inviter.id, due.device_hash);
  Reason refused = Reason::kNone;
  if (due.rewards_denied) {
    refused = Reason::kRisk;
  } else if (invitee.identity && inviter.identity &&
             invitee.identity->id_lookup_hash == inviter.identity->id_lookup_hash) {
    refused = Reason::kSameIdentity;
  } else if (inviter_device) {
    refused = Reason::kSameDevice;
  }
  referral::Grant grant;
  if (refused == Reason::kNone) {
    grant = referrals_.Evaluate(invitee.id, now_s, !inviter.closed());
    if (grant.reason == Reason::kBudget) refused = Reason::kBudget;
  }
  // The risk rules judge each reward: the inviter's bonus names the invitee whose registration
  // earned it. Each event is noted and recorded at once, with whether the referral paid.
  risk::Reward events[2];
  size_t event_count = 0;
  if (refused == Reason::kNone && risk_.on()) {
    const uint64_t device = RiskDeviceId(due.device_hash);
    events[event_count++] = risk::Reward{.customer = invitee.id,
                                         .device = device,
                                         .campaign = 0,
                                         .invitee = 0,
                                         .amount_fen = grant.invitee.cash_fen()};
    if (grant.inviter.kind != referral::RewardKind::kNone) {
      events[event_count++] = risk::Reward{.customer = inviter.id,
                                           .device = device,
                                           .campaign = 0,
                                           .invitee = invitee.id,
                                           .amount_fen = grant.inviter.cash_fen()};
    }
    for (size_t i = 0; i < event_count; ++i) {
      const risk::RiskEvent event(events[i]);
      const risk::Decision& decision = risk_.engine().Evaluate(event, now_s);
      risk_.mutable_monitor().Note(event, now_s, due.payment_id, risk_.active().has_value(),
                                   decision, risk_.engine().shadow_decision());
      if (risk_tap_ != nullptr) risk_tap_->OnEvaluate(event, now_s, due.payment_id, decision);
      if (decision.verdict == risk::Verdict::kDeny || decision.deny_reward ||
          RiskBlocked({{risk::EntityKind::kCustomer, events[i].customer},
                       {risk::EntityKind::kDevice, device}})) {
        refused = Reason::kRisk;
      }
    }
  }
  absl::InlinedVector<ledger::Transfer, 4> chain;
  if (refused == Reason::kNone) {
    struct Side {
      const identity::Customer& customer;
      referral::Reward* reward;
      std::string_view name;
    };
    for (const Side& side :
         {Side{inviter, &grant.inviter, "inviter"}, Side{invitee, &grant.invitee, "invitee"}}) {
      referral::Reward& reward = *side.reward;
      const uint64_t id =
          DerivedId(due.payment_id, std::string("referral-") + std::string(side.name));
      if (reward.kind == referral::RewardKind::kCash) {
        // A wallet its balance cap would overflow gets no cash (the bank cannot hold it there).
        if (!WalletCanTake(side.customer, reward.amount)) {
          reward = referral::Reward{};
          continue;
        }
        chain.push_back(MakeTransfer(id, kReferralBudgetAccountId, side.customer.wallet_account_id,
                                     reward.amount, ledger::kLedgerCny,
                                     ledger::transfer_codes::kReferralCash, due.payment_id));
      } else if (reward.kind == referral::RewardKind::kPoints) {
        EnsurePointsAccounts(side.customer.id);
        chain.push_back(MakeTransfer(
            id, kPointsPoolAccountId, kPointsAccountBase + side.customer.id, reward.amount,
            ledger::kLedgerPoints, ledger::transfer_codes::kReferralPoints, due.payment_id));
      }
    }
    for (size_t i = 0; i + 1 < chain.size(); i++) {
      chain[i].flags |= ledger::transfer_flags::kLinked;
    }
    if (!chain.empty()) {
      ledger_.CreateTransfers(chain, batch_time_ns_, &transfer_results_);
      for (ledger::CreateTransferResult r : transfer_results_) {
        // The book kept cash within the funded budget; anything else moved nothing (linked).
        if (r != ledger::CreateTransferResult::kOk) refused = Reason::kBudget;
      }
    }
  }
  for (size_t i = 0; i < event_count; ++i) {
    const risk::RiskEvent event(events[i]);
    const risk::Outcome outcome =
        refused == Reason::kNone ? risk::Outcome::kCompleted : risk::Outcome::kRefused;
    if (risk_tap_ != nullptr) risk_tap_->OnRecord(event, now_s, outcome);
    risk_.engine().Record(event, now_s, outcome);
  }
  if (refused != Reason::kNone) {
    referrals_.Refuse(invitee.id, due.payment_id, now_s, refused);
    return;
  }
  ProjectCreated(chain);
  referrals_.Reward(invitee.id, due.payment_id, now_s, grant);
  // An inviter rewarded may earn lottery draws too.
  if (lottery_.on() && grant.reason == Reason::kNone && !grant.inviter_capped) {
    lottery_.EarnByReferral(inviter.id, now_s);
  }
}

void StateMachine::ClawBackReferral(const payments::Payment& payment, int64_t refunded_after_fen) {
  if (!referrals_.on()) return;
  const referral::Referral* referral = referrals_.FindByPayment(payment.id);
  if (referral == nullptr || referral->status != referral::Status::kRewarded ||
      payment.amount_fen - refunded_after_fen >= referrals_.program().min_payment_fen) {
    return;
  }
  int64_t cash_back = 0;
  int64_t points_back = 0;
  absl::InlinedVector<ledger::Transfer, 4> back;
  struct Side {
    uint64_t customer_id;
    const referral::Reward& reward;
    std::string_view name;
  };
  for (const Side& side : {Side{referral->inviter_id, referral->inviter_reward, "inviter"},
                           Side{referral->invitee_id, referral->invitee_reward, "invitee"}}) {
    const identity::Customer& customer = *customers_.FindById(side.customer_id);
    if (customer.closed() || side.reward.kind == referral::RewardKind::kNone) continue;
    const uint64_t id =
        DerivedId(payment.id, std::string("referral-clawback-") + std::string(side.name));
    if (side.reward.kind == referral::RewardKind::kCash) {
      const int64_t amount =
          std::min(side.reward.amount, Available(*ledger_.FindAccount(customer.wallet_account_id)));
      if (amount <= 0) continue;
      back.push_back(MakeTransfer(id, customer.wallet_account_id, kReferralBudgetAccountId, amount,
                                  ledger::kLedgerCny, ledger::transfer_codes::kReferralCashClawback,
                                  payment.id));
      cash_back += amount;
    } else {
      const int64_t amount = std::min(side.reward.amount, PointsBalance(customer.id));
      if (amount <= 0) continue;
      back.push_back(MakeTransfer(id, kPointsAccountBase + customer.id, kPointsPoolAccountId,
                                  amount, ledger::kLedgerPoints,
                                  ledger::transfer_codes::kReferralPointsClawback, payment.id));
      points_back += amount;
    }
  }
  if (!back.empty()) {
    ledger_.CreateTransfers(back, batch_time_ns_, &transfer_results_);
    // Each within what its account holds, computed just now.
    for (ledger::CreateTransferResult r : transfer_results_) {
      QB_ASSERT(r == ledger::CreateTransferResult::kOk);
    }
    ProjectCreated(back);
  }
  referrals_.ClawBack(referral->invitee_id, cash_back, points_back);
}

}  // namespace qb::engine
