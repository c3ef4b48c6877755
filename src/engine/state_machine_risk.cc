// The risk engine inside the state machine (commands 62 to 64, engine/risk_command.h; the state
// in engine/risk_state.h). Pay, P2PTransfer, RegisterCustomer, RecordLogin, HoldFunds and
// ClaimCoupon ask it before anything moves:
//
//   Pay:       allow as before; challenge: held for a step-up exactly like PBoC No. 43's
//              (awaiting confirmation, confirming needs a factor above the one presented);
//              review: held as PaymentState::kUnderReview for kRiskReviewTimeoutS until an
//              analyst approves (posted) or rejects (voided) it, never confirmable by the
//              customer; deny: PaymentResult::kRiskDenied; deny_reward: paid without rewards.
//   P2P:       deny (and, for now, review: transfers have no review hold) → kRiskDenied;
//              challenge → kChallengeRequired for two factors, unless it carries them.
//   Register:  deny → IdentityResult::kRiskDenied. Challenge and review let it through: a
//              registration has no hold to put it in.
//   Log-in:    (a right password only) deny → IdentityResult::kRiskDenied, nothing recorded in
//              the customer book. Challenge and review let it through: the log-in has its own
//              second factor, and nothing to hold.
//   Hold:      a top-up (risk::TopUp) or withdrawal (risk::Withdrawal): deny, and for now
//              challenge and review too (a hold has no step-up or review of its own yet) →
//              MoneyResult::kRiskDenied, nothing held.
//   Claim:     a coupon claim (risk::CouponClaim): deny or deny_reward → MarketingResult::
//              kRiskDenied, nothing claimed (the claim is the reward).
//
// Anything on the block list (customer, device, IP, card, merchant, payee) is denied whatever
// the rule set says: a list entry is an analyst's explicit decision, and a rule set without the
// `blocked` rule must not quietly ignore it. Devices and IPs are named by RiskDeviceId of
// their keyed hashes; cards by the bound card's id.
//
// After the command, the event is recorded with its outcome (completed when money moved or the
// customer was registered or logged in; refused otherwise, holds included) — see
// StateMachine::Apply. A top-up or withdrawal hold that was made is recorded when the bank
// answers instead: SettleHold posting it completes it, voiding it refuses it (a failed top-up,
// what card testing counts). The event is rebuilt from the hold then (customer, card, amount):
// the device and IP of the hold are judged but not learnt.
#include <algorithm>
#include <string>
#include <utility>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"

namespace qb::engine {
namespace {

using internal::DerivedId;
using internal::kNsPerSecond;

risk::PaymentChannel RiskChannel(payments::PaymentChannel channel) {
  switch (channel) {
    case payments::PaymentChannel::kPaymentCode:
      return risk::PaymentChannel::kPaymentCode;
    case payments::PaymentChannel::kOnline:
      return risk::PaymentChannel::kOnline;
    case payments::PaymentChannel::kNfc:
      return risk::PaymentChannel::kNfc;
    default:
      return risk::PaymentChannel::kQr;
  }
}

// identity::AuthStrength and risk::AuthStrength share their numbers (1, 2, 3).
risk::AuthStrength RiskAuth(identity::AuthStrength strength) {
  return static_cast<risk::AuthStrength>(static_cast<uint8_t>(strength));
}

identity::AuthStrength Stronger(identity::AuthStrength presented) {
  return presented < identity::AuthStrength::kDeviceSignature
             ? static_cast<identity::AuthStrength>(static_cast<uint8_t>(presented) + 1)
             : identity::AuthStrength::kDeviceSignature;
}

// The phone number as the risk engine wants it: its digits as an integer, 0 if not all digits.
uint64_t PhoneNumber(std::string_view phone) {
  if (phone.empty() || phone.size() > 15) return 0;
  uint64_t value = 0;
  for (char c : phone) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

// The payment, transfer or hold (top-up, withdrawal) a command's risk event is about; 0 for
// other commands.
uint64_t RiskSubjectId(const Command& command) {
  if (const auto* c = std::get_if<Pay>(&command)) return c->payment_id;
  if (const auto* c = std::get_if<P2PTransfer>(&command)) return c->transfer_id;
  if (const auto* c = std::get_if<HoldFunds>(&command)) return c->transfer_id;
  return 0;
}

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}

}  // namespace

bool StateMachine::IsRiskCommand(const Command& command) {
  return std::holds_alternative<SetRiskRules>(command) ||
         std::holds_alternative<SetRiskListEntry>(command) ||
         std::holds_alternative<ReviewPayment>(command);
}

bool StateMachine::IsValidRiskCommand(const Command& command) {
  if (const auto* c = std::get_if<SetRiskRules>(&command)) {
    if (c->spec.rules.size() > risk::RuleSet::kMaxRules) return false;
    for (const risk::RuleSpec& rule : c->spec.rules) {
      if (rule.name.size() > risk::RuleSet::kMaxNameBytes ||
          rule.expression.size() > kMaxRiskExpressionBytes) {
        return false;
      }
    }
  }
  if (const auto* c = std::get_if<SetRiskListEntry>(&command)) {
    return c->reason.size() <= risk::RiskLists::kMaxReasonBytes;
  }
  return true;
}

int64_t StateMachine::RiskNow() const { return batch_time_ns_ / kNsPerSecond; }

bool StateMachine::RiskBlocked(
    std::initializer_list<std::pair<risk::EntityKind, uint64_t>> entities) const {
  for (const auto& [kind, id] : entities) {
    if (id != 0 && risk_.engine().lists().IsBlocked(kind, id, RiskNow())) return true;
  }
  return false;
}

StateMachine::RiskCheck StateMachine::CheckPaymentRisk(const Pay& c,
                                                       const identity::Customer& customer,
                                                       const payments::Merchant& merchant,
                                                       identity::AuthStrength presented) {
  RiskCheck check;
  risk_pending_.reset();
  risk_review_pending_.reset();
  if (!risk_.on()) return check;
  risk::Payment event;
  event.customer = customer.id;
  event.device = RiskDeviceId(c.auth.device_hash);
  event.ip = RiskDeviceId(c.auth.ip_hash);
  event.merchant = c.merchant_id;
  event.amount_fen = c.amount_fen;
  event.channel = RiskChannel(c.channel);
  event.auth = RiskAuth(presented);
  event.tier = static_cast<uint8_t>(customer.tier);
  // Pricing the payment costs a full marketing quote: only when a rule reads the answer.
  if (marketing_on() && risk_.engine().Reads(risk::Feature::kRewardPresent)) {
    payments::Payment quoted;
    quoted.id = c.payment_id;
    quoted.merchant_id = c.merchant_id;
    quoted.customer_id = customer.id;
    quoted.order_id = c.order_id;
    quoted.amount_fen = c.amount_fen;
    quoted.fee_fen = payments::FeeFor(c.amount_fen, merchant.profile.fee_bps);
    quoted.created_ns = batch_time_ns_;
    quoted.channel = c.channel;
    marketing::Plan plan;
    event.reward_present = QuotePayment(quoted, c.coupon_id, c.auth.device_hash, &plan);
  }
  const risk::Decision& decision = risk_.engine().Evaluate(event, RiskNow());
  check.verdict = decision.verdict;
  check.deny_reward = decision.deny_reward;
  if (RiskBlocked({{risk::EntityKind::kCustomer, event.customer},
                   {risk::EntityKind::kDevice, event.device},
                   {risk::EntityKind::kIp, event.ip},
                   {risk::EntityKind::kMerchant, event.merchant}})) {
    check.verdict = risk::Verdict::kDeny;
  }
  check.needed = Stronger(presented);
  if (check.verdict == risk::Verdict::kReview) {
    if (risk_.reviews().size() >= RiskState::kMaxOpenReviews) {
      check.verdict = risk::Verdict::kDeny;
    } else {
      risk_review_pending_ = ReviewOf(decision, c.auth.device_hash);
    }
  }
  risk_pending_ = risk::RiskEvent(event);
  return check;
}

RiskReview StateMachine::ReviewOf(const risk::Decision& decision, std::string_view device_hash) {
  RiskReview review;
  review.device_hash = std::string(device_hash);
  review.score = decision.total_score;
  review.rule_set_version = decision.rule_set_version;
  const risk::RuleSet* rules = risk_.engine().rules();
  for (const risk::FiredRule& fired : decision.fired) {
    if (fired.shadow) continue;
    RiskReviewRule rule;
    rule.rule_id = fired.rule_id;
    rule.name = rules != nullptr ? rules->rule(fired.rule_index).name : "";
    rule.score = fired.score;
    rule.action = fired.action;
    review.rules.push_back(std::move(rule));
    for (const risk::FeatureValue& value : decision.ValuesOf(fired)) {
      const bool seen =
          std::any_of(review.features.begin(), review.features.end(),
                      [&](const risk::FeatureValue& v) { return v.slot == value.slot; });
      if (!seen) review.features.push_back(value);
    }
  }
  std::sort(
      review.features.begin(), review.features.end(),
      [](const risk::FeatureValue& a, const risk::FeatureValue& b) { return a.slot < b.slot; });
  review.explanation = risk_.engine().Explain();
  return review;
}

void StateMachine::OpenRiskReview(const payments::Payment& payment, uint8_t step_up) {
  QB_ASSERT(risk_review_pending_.has_value());
  RiskReview review = std::move(*risk_review_pending_);
  risk_review_pending_.reset();
  review.step_up = step_up;
  review.payment_id = payment.id;
  review.customer_id = payment.customer_id;
  review.merchant_id = payment.merchant_id;
  review.amount_fen = payment.amount_fen;
  review.channel = static_cast<uint8_t>(payment.channel);
  review.created_s = RiskNow();
  review.expires_s = RiskNow() + kRiskReviewTimeoutS;
  risk_.OpenReview(std::move(review));
}

MoneyResult StateMachine::CheckTransferRisk(const P2PTransfer& c, const identity::Customer& sender,
                                            const identity::Customer& receiver,
                                            identity::AuthStrength presented, Reply* reply) {
  risk_pending_.reset();
  if (!risk_.on()) return MoneyResult::kOk;
  risk::Transfer event;
  event.customer = sender.id;
  event.payee = receiver.id;
  event.device = RiskDeviceId(c.auth.device_hash);
  event.ip = RiskDeviceId(c.auth.ip_hash);
  event.amount_fen = c.amount_fen;
  event.auth = RiskAuth(presented);
  event.tier = static_cast<uint8_t>(sender.tier);
  risk::Verdict verdict = risk_.engine().Evaluate(event, RiskNow()).verdict;
  if (RiskBlocked({{risk::EntityKind::kCustomer, event.customer},
                   {risk::EntityKind::kDevice, event.device},
                   {risk::EntityKind::kIp, event.ip},
                   {risk::EntityKind::kPayee, event.payee}})) {
    verdict = risk::Verdict::kDeny;
  }
  risk_pending_ = risk::RiskEvent(event);
  switch (verdict) {
    case risk::Verdict::kAllow:
      return MoneyResult::kOk;
    case risk::Verdict::kChallenge:
      // Nothing is held for a transfer: the customer repeats it with a second factor, and the
      // repeat (which the rules judge again, and challenge again) passes with it.
      if (presented >= identity::AuthStrength::kTwoFactors) return MoneyResult::kOk;
      reply->value = static_cast<uint64_t>(identity::AuthStrength::kTwoFactors);
      return MoneyResult::kChallengeRequired;
    default:
      // Review included: transfers have no review hold yet, so they are refused.
      return MoneyResult::kRiskDenied;
  }
}

bool StateMachine::CheckRegistrationRisk(const RegisterCustomer& c, uint64_t customer_id,
                                         uint64_t inviter, bool* allowed) {
  risk_pending_.reset();
  *allowed = true;
  if (!risk_.on()) return true;
  risk::Registration event;
  event.customer = customer_id;
  event.device = RiskDeviceId(c.device_hash);
  event.ip = RiskDeviceId(c.ip_hash);
  event.phone = PhoneNumber(c.registration.phone);
  event.inviter = inviter;
  risk::Verdict verdict = risk_.engine().Evaluate(event, RiskNow()).verdict;
  *allowed = verdict == risk::Verdict::kAllow;
  if (RiskBlocked({{risk::EntityKind::kDevice, event.device}, {risk::EntityKind::kIp, event.ip}})) {
    verdict = risk::Verdict::kDeny;
  }
  risk_pending_ = risk::RiskEvent(event);
  return verdict != risk::Verdict::kDeny;
}

bool StateMachine::CheckLoginRisk(const RecordLogin& c) {
  risk_pending_.reset();
  if (!risk_.on() || customers_.FindById(c.customer_id) == nullptr) return true;
  risk::Login event;
  event.customer = c.customer_id;
  event.device = RiskDeviceId(c.device_hash);
  event.ip = RiskDeviceId(c.ip_hash);
  risk::Verdict verdict = risk_.engine().Evaluate(event, RiskNow()).verdict;
  if (RiskBlocked({{risk::EntityKind::kCustomer, event.customer},
                   {risk::EntityKind::kDevice, event.device},
                   {risk::EntityKind::kIp, event.ip}})) {
    verdict = risk::Verdict::kDeny;
  }
  risk_pending_ = risk::RiskEvent(event);
  return verdict != risk::Verdict::kDeny;
}

bool StateMachine::CheckHoldRisk(const HoldFunds& c, const identity::Customer& customer) {
  risk_pending_.reset();
  if (!risk_.on()) return true;
  const uint64_t device = RiskDeviceId(c.device_hash);
  const uint64_t ip = RiskDeviceId(c.ip_hash);
  risk::Verdict verdict = risk::Verdict::kAllow;
  if (c.kind == HoldKind::kTopUp) {
    // risk::TopUp has no IP: the block list below still judges it.
    risk::TopUp event;
    event.customer = customer.id;
    event.device = device;
    event.card = c.card_id;
    event.amount_fen = c.amount_fen;
    verdict = risk_.engine().Evaluate(event, RiskNow()).verdict;
    risk_pending_ = risk::RiskEvent(event);
  } else {
    risk::Withdrawal event;
    event.customer = customer.id;
    event.device = device;
    event.ip = ip;
    event.card = c.card_id;
    event.amount_fen = c.amount_fen;
    event.tier = static_cast<uint8_t>(customer.tier);
    verdict = risk_.engine().Evaluate(event, RiskNow()).verdict;
    risk_pending_ = risk::RiskEvent(event);
  }
  if (RiskBlocked({{risk::EntityKind::kCustomer, customer.id},
                   {risk::EntityKind::kDevice, device},
                   {risk::EntityKind::kIp, ip},
                   {risk::EntityKind::kCard, c.card_id}})) {
    verdict = risk::Verdict::kDeny;
  }
  // A hold has no step-up or review of its own yet: anything but allow refuses it.
  return verdict == risk::Verdict::kAllow;
}

void StateMachine::SettledHoldRisk(const ledger::Transfer& hold) {
  risk_pending_.reset();
  if (!risk_.on()) return;
  const bool top_up = hold.code == kTransferCodeTopUp;
  const ledger::Account* wallet =
      ledger_.FindAccount(top_up ? hold.credit_account_id : hold.debit_account_id);
  if (wallet == nullptr || wallet->user_data == 0) return;
  if (top_up) {
    risk::TopUp event;
    event.customer = wallet->user_data;
    event.card = hold.user_data;
    event.amount_fen = hold.amount;
    risk_pending_ = risk::RiskEvent(event);
  } else {
    risk::Withdrawal event;
    event.customer = wallet->user_data;
    event.card = hold.user_data;
    event.amount_fen = hold.amount;
    risk_pending_ = risk::RiskEvent(event);
  }
}

bool StateMachine::CheckClaimRisk(const ClaimCoupon& c) {
  risk_pending_.reset();
  if (!risk_.on()) return true;
  const marketing::CouponTemplate* coupon = campaigns_.coupons().FindTemplate(c.template_id);
  if (coupon == nullptr) return true;  // The campaign book refuses it.
  risk::CouponClaim event;
  event.customer = c.customer_id;
  event.device = RiskDeviceId(c.device_hash);
  event.campaign = coupon->campaign_id;
  const risk::Decision& decision = risk_.engine().Evaluate(event, RiskNow());
  bool denied = decision.verdict == risk::Verdict::kDeny || decision.deny_reward;
  if (RiskBlocked({{risk::EntityKind::kCustomer, event.customer},
                   {risk::EntityKind::kDevice, event.device}})) {
    denied = true;
  }
  risk_pending_ = risk::RiskEvent(event);
  return !denied;
}

void StateMachine::NoteRiskEvaluation(const Command& command) {
  // Only an event this command evaluated: some are recorded later, without a new evaluation.
  if (risk_.engine().evaluations() == risk_evaluations_before_) return;
  // The check that set risk_pending_ evaluated it last: the engine still holds its decisions.
  // Per-rule hits and the shadow log (risk_monitor.h), then any tap, see them.
  const risk::Decision& live = risk_.engine().last_decision();
  const uint64_t subject = RiskSubjectId(command);
  risk_.mutable_monitor().Note(*risk_pending_, RiskNow(), subject, risk_.active().has_value(), live,
                               risk_.engine().shadow_decision());
  if (risk_tap_ != nullptr) risk_tap_->OnEvaluate(*risk_pending_, RiskNow(), subject, live);
}

void StateMachine::RecordPendingRisk(const Command& command, const Reply& reply) {
  if (!risk_pending_) return;
  NoteRiskEvaluation(command);
  bool completed = !reply.results.empty() && reply.results[0] == 0;
  // A held payment moved nothing yet: refused, as risk_events.h counts holds.
  if (std::holds_alternative<Pay>(command)) completed = completed && reply.text == "completed";
  // A top-up or withdrawal held for the bank is recorded when the bank answers, below.
  if (std::holds_alternative<HoldFunds>(command) && completed) {
    risk_pending_.reset();
    return;
  }
  if (const auto* settle = std::get_if<SettleHold>(&command)) {
    if (!completed) {  // Not settled now (settled before, unknown...): nothing to learn.
      risk_pending_.reset();
      return;
    }
    completed = settle->post;  // Voided: the bank refused it (a failed top-up).
  }
  const risk::Outcome outcome = completed ? risk::Outcome::kCompleted : risk::Outcome::kRefused;
  if (risk_tap_ != nullptr) risk_tap_->OnRecord(*risk_pending_, RiskNow(), outcome);
  risk_.engine().Record(*risk_pending_, RiskNow(), outcome);
  risk_pending_.reset();
  risk_review_pending_.reset();
}

void StateMachine::ExpireRiskReview(uint64_t payment_id) {
  risk_.CloseReview(payment_id, ReviewState::kExpired, ReviewLabel::kUnknown, 0, RiskNow());
}

PaymentResult StateMachine::MoveMoneyWithoutRewards(const payments::Payment& payment,
                                                    bool from_hold, int64_t points) {
  // The customer may still pay with points they hold; they earn none.
  PointsCharge charge;
  if (PaymentResult r = PricePoints(payment.customer_id, points, payment.amount_fen, &charge);
      r != PaymentResult::kOk) {
    return r;
  }
  charge.earn = false;
  const PaymentResult r = ChargePayment(payment, from_hold, nullptr, charge, nullptr);
  if (r != PaymentResult::kOk) return r;
  if (marketing_on()) NotePaid(payment.customer_id, payment.merchant_id);
  // Rewards denied: a referral this payment would qualify is refused.
  NoteQualifyingPayment(payment, "", true);
  payment_marketing_.erase(payment.id);
  return r;
}

bool StateMachine::VoidHeldPayment(payments::Payment* payment) {
  const ledger::Transfer* hold = ledger_.FindTransfer(payment->id);
  if (hold == nullptr) return false;
  ledger::Transfer release = *hold;
  release.id = DerivedId(payment->id, "void");
  release.pending_id = payment->id;
  release.amount = 0;
  release.timeout_s = 0;
  release.timestamp_ns = 0;
  release.flags = ledger::transfer_flags::kVoidPending;
  ledger_.CreateTransfers(std::span(&release, 1), batch_time_ns_, &transfer_results_);
  if (transfer_results_[0] != ledger::CreateTransferResult::kOk) return false;
  ProjectCreated(std::span(&release, 1));
  payment->state = payments::PaymentState::kCancelled;
  payment->rewards_denied = false;
  payment_marketing_.erase(payment->id);
  points_.DropPending(payment->id);
  return true;
}

RiskResult StateMachine::ApplyReviewPayment(const ReviewPayment& c, Reply* reply) {
  if (c.payment_id == 0) return RiskResult::kInvalid;
  if (staff_.FindById(c.staff_id) == nullptr) return RiskResult::kStaffNotFound;
  const RiskReview* review = risk_.FindReview(c.payment_id);
  if (review == nullptr) {
    return risk_.FindOutcome(c.payment_id) != nullptr ? RiskResult::kReviewClosed
                                                      : RiskResult::kReviewNotFound;
  }
  payments::Payment* payment = payments_.MutablePayment(c.payment_id);
  QB_ASSERT(payment != nullptr && payment->state == payments::PaymentState::kUnderReview);
  const std::string device_hash = review->device_hash;
  if (c.approve && review->step_up != 0) {
    // The analyst clears the payment; the customer still owes the stronger factor the day's
    // spending needs (No. 43), so it now awaits their confirmation, the hold unchanged.
    payment->state = payments::PaymentState::kAwaitingConfirmation;
    payment->step_up = review->step_up;
    reply->text = "awaiting_confirmation";
  } else if (c.approve) {
    if (PaymentResult r = CompleteHeldPayment(*payment, device_hash); r != PaymentResult::kOk) {
      reply->value = static_cast<uint64_t>(r);
      return RiskResult::kPaymentFailed;
    }
    payment->state = payments::PaymentState::kCompleted;
    payment->rewards_denied = false;
  } else if (!VoidHeldPayment(payment)) {
    // The hold expired and waits, past one batch's expiry limit, to be cancelled: gone anyway.
    reply->value = static_cast<uint64_t>(PaymentResult::kNotAwaitingConfirmation);
    return RiskResult::kPaymentFailed;
  }
  ProjectPayment(payment->id);
  if (c.block_device) {
    if (const uint64_t device = RiskDeviceId(device_hash); device != 0) {
      // A full list leaves the device off it; the review itself stands.
      const std::string reason = "review of payment " + std::to_string(c.payment_id);
      const Status added = risk_.engine().lists().Add(
          risk::ListType::kBlock, risk::EntityKind::kDevice, device, RiskNow(), 0, reason);
      if (added.ok() && risk_tap_ != nullptr) {
        risk_tap_->OnListChange(RiskListChange{false, risk::ListType::kBlock,
                                               risk::EntityKind::kDevice, device, RiskNow(), 0,
                                               reason});
      }
    }
  }
  risk_.CloseReview(c.payment_id, c.approve ? ReviewState::kApproved : ReviewState::kRejected,
                    c.label, c.staff_id, RiskNow());
  return RiskResult::kOk;
}

Reply StateMachine::ApplyRisk(const Command& command) {
  Reply reply;
  RiskResult r = RiskResult::kInvalid;
  if (const auto* c = std::get_if<SetRiskRules>(&command)) {
    if (c->staff_id != 0 && staff_.FindById(c->staff_id) == nullptr) {
      r = RiskResult::kStaffNotFound;
    } else if (c->shadow && c->spec.rules.empty()) {
      risk_.ClearShadow();
      reply.value = risk_.version();
      r = RiskResult::kOk;
    } else if (const Status status = risk_.Install(c->spec, c->shadow); !status.ok()) {
      reply.text = status.message();
      r = RiskResult::kRulesInvalid;
    } else {
      reply.value = risk_.version();
      r = RiskResult::kOk;
    }
  } else if (const auto* c = std::get_if<SetRiskListEntry>(&command)) {
    if (c->entity_id == 0 || c->expires_at_s < 0) {
      r = RiskResult::kInvalid;
    } else if (staff_.FindById(c->staff_id) == nullptr) {
      r = RiskResult::kStaffNotFound;
    } else if (c->remove) {
      r = risk_.engine().lists().Remove(c->list, c->kind, c->entity_id) ? RiskResult::kOk
                                                                        : RiskResult::kNotListed;
    } else if (const Status status = risk_.engine().lists().Add(
                   c->list, c->kind, c->entity_id, RiskNow(), c->expires_at_s, c->reason);
               !status.ok()) {
      reply.text = status.message();
      r = RiskResult::kListRefused;
    } else {
      risk_.TurnOn();
      r = RiskResult::kOk;
    }
    if (r == RiskResult::kOk && risk_tap_ != nullptr) {
      risk_tap_->OnListChange(RiskListChange{c->remove, c->list, c->kind, c->entity_id, RiskNow(),
                                             c->expires_at_s, c->reason});
    }
  } else if (const auto* c = std::get_if<ReviewPayment>(&command)) {
    r = ApplyReviewPayment(*c, &reply);
  } else {
    QB_ASSERT(false && "unhandled risk command");
  }
  reply.results.push_back(static_cast<uint8_t>(r));
  return reply;
}

void StateMachine::AuditRisk(const Command& command, const Reply& reply) {
  using audit::ActorKind;
  if (const auto* c = std::get_if<SetRiskRules>(&command)) {
    Audit(c->staff_id != 0 ? ActorKind::kStaff : ActorKind::kSystem, c->staff_id, "risk.rules",
          "risk_rules:" + std::to_string(reply.value),
          std::string("{\"shadow\":") + (c->shadow ? "true" : "false") +
              ",\"rules\":" + std::to_string(c->spec.rules.size()) + "}");
  } else if (const auto* c = std::get_if<SetRiskListEntry>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "risk.list",
          std::string(risk::EntityKindName(c->kind)) + ":" + std::to_string(c->entity_id),
          std::string("{\"list\":") +
              (c->list == risk::ListType::kBlock ? "\"block\"" : "\"allow\"") +
              ",\"remove\":" + (c->remove ? "true" : "false") + ",\"expires_at_s\":" +
              std::to_string(c->expires_at_s) + ",\"reason\":" + Quoted(c->reason) + "}");
  } else if (const auto* c = std::get_if<ReviewPayment>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "risk.review", "payment:" + std::to_string(c->payment_id),
          std::string("{\"approve\":") + (c->approve ? "true" : "false") + ",\"label\":\"" +
              std::string(ReviewLabelName(c->label)) +
              "\",\"block_device\":" + (c->block_device ? "true" : "false") + "}");
  }
}

}  // namespace qb::engine
