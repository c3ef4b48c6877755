// The merchant and payment commands of the state machine (see command.h for each command's
// contract): merchants and their users, orders, payments, confirmations and refunds; what comes
// after (red-letter invoices, settlement) is in state_machine_settlement.cc. Split from
// state_machine.cc only to keep files readable; same class, same rules: pure, deterministic,
// every money movement one linked ledger chain.
#include <algorithm>

#include "base/assert.h"
#include "base/checked.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"

namespace qb::engine {
namespace {

using internal::ChinaDay;
using internal::DerivedId;
using internal::kNsPerSecond;
using payments::Merchant;
using payments::MerchantStatus;
using payments::Order;
using payments::OrderStatus;
using payments::Payment;
using payments::PaymentChannel;
using payments::PaymentState;

bool ConfirmedByCustomer(PaymentChannel channel) {
  // The customer acted in the app (scan, checkout); a code or a tap is taken by the merchant.
  return channel != PaymentChannel::kPaymentCode && channel != PaymentChannel::kNfc;
}

bool IsActiveOwner(const payments::PaymentBook& book, uint64_t merchant_id, uint64_t user_id) {
  const identity::Staff* user = book.users().FindById(user_id);
  return user != nullptr && (user->roles & payments::kMerchantOwner) != 0 &&
         book.MerchantOfUser(user_id) == merchant_id && book.IsUserActive(user_id);
}

PaymentResult SetUserStatus(payments::PaymentBook& book, const SetMerchantUserStatus& c,
                            Reply* reply) {
  reply->value = 0;
  if (book.FindMerchant(c.merchant_id) == nullptr) return PaymentResult::kMerchantNotFound;
  const identity::Staff* user = book.users().FindById(c.user_id);
  if (user == nullptr || book.MerchantOfUser(c.user_id) != c.merchant_id) {
    return PaymentResult::kUserNotFound;
  }
  if (!IsActiveOwner(book, c.merchant_id, c.by_user_id)) return PaymentResult::kNotOwner;
  if (book.IsUserActive(c.user_id) == c.active) return PaymentResult::kOk;  // Nothing to do.
  if (!c.active && (user->roles & payments::kMerchantOwner) != 0) {
    // Every user of every merchant: the book keeps no per-merchant index of users, and a
    // status change is rare. Stops at the second active owner.
    size_t active_owners = 0;
    book.users().ForEach([&](const identity::Staff& other) {
      if (active_owners < 2 && IsActiveOwner(book, c.merchant_id, other.id)) active_owners++;
    });
    if (active_owners < 2) return PaymentResult::kLastOwner;
  }
  if (!c.active && c.user_id == c.by_user_id) return PaymentResult::kSelfDisable;
  book.SetUserActive(c.user_id, c.active);
  if (!c.active) {
    // The user's sessions end now; the API drops them from its cache on this reply.
    std::vector<std::string> hashes;
    book.users().ForEachSession([&](std::string_view hash, const identity::Session& session) {
      if (session.customer_id == c.user_id) hashes.emplace_back(hash);
    });
    for (const std::string& hash : hashes) {
      const identity::IdentityResult revoked = book.users().RevokeSession(hash);
      QB_ASSERT(revoked == identity::IdentityResult::kOk);
    }
  }
  reply->value = 1;
  return PaymentResult::kOk;
}

PaymentResult RotateSecret(payments::PaymentBook& book, const RotateWebhookSecret& c,
                           int64_t batch_time_ns, Reply* reply) {
  Merchant* merchant = book.MutableMerchant(c.merchant_id);
  if (merchant == nullptr) return PaymentResult::kMerchantNotFound;
  if (!IsActiveOwner(book, c.merchant_id, c.by_user_id)) return PaymentResult::kNotOwner;
  // Four billion rotations are out of reach of any owner; refused rather than wrapped to 0,
  // which would bring back the first secret.
  if (merchant->webhook_secret_version == UINT32_MAX) return PaymentResult::kInvalid;
  merchant->webhook_secret_version++;
  merchant->webhook_rotated_ns = batch_time_ns;
  reply->value = merchant->webhook_secret_version;
  return PaymentResult::kOk;
}

}  // namespace

PaymentResult StateMachine::Onboard(const ApplyMerchant& c, Reply* reply) {
  const payments::MerchantProfile& p = c.profile;
  if (p.legal_name.empty() || p.credit_code.empty() || p.category.empty() ||
      p.fee_bps > payments::kMaxFeeBps || c.owner.username.empty() ||
      c.owner.password_hash.empty() || (c.activate && c.staff_id == 0)) {
    return PaymentResult::kInvalid;
  }
  if (c.staff_id != 0 && staff_.FindById(c.staff_id) == nullptr) {
    return PaymentResult::kStaffNotFound;
  }
  if (payments_.users().FindByUsername(c.owner.username) != nullptr) {
    return PaymentResult::kUserTaken;
  }
  const uint64_t merchant_id = payments_.next_merchant_id();
  const uint64_t account_id = kMerchantAccountBase + merchant_id;
  if (ledger_.FindAccount(account_id) != nullptr) return PaymentResult::kInvalid;

  identity::StaffRegistration owner = c.owner;
  owner.roles = payments::kMerchantOwner;
  uint64_t user_id = 0;
  if (payments_.users().Create(owner, batch_time_ns_, &user_id) != identity::IdentityResult::kOk) {
    return PaymentResult::kUserTaken;
  }
  payments_.SetUserMerchant(user_id, merchant_id);

  ledger::Account account;
  account.id = account_id;
  account.user_data = merchant_id;
  account.ledger = ledger::kLedgerCny;
  account.kind = static_cast<uint16_t>(ledger::AccountKind::kMerchantSettlement);
  account.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  ledger_.CreateAccounts(std::span(&account, 1), batch_time_ns_, &account_results_);
  QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
  Touch(account_id);

  Merchant merchant;
  merchant.id = merchant_id;
  merchant.account_id = account_id;
  merchant.profile = p;
  merchant.status = c.activate ? MerchantStatus::kActive : MerchantStatus::kPendingReview;
  merchant.created_ns = batch_time_ns_;
  merchant.status_changed_ns = batch_time_ns_;
  merchant.onboarded_by_staff_id = c.staff_id;
  payments_.AddMerchant(std::move(merchant));
  ProjectMerchant(merchant_id);
  reply->value = merchant_id;
  reply->text = std::to_string(user_id);
  return PaymentResult::kOk;
}

PaymentResult StateMachine::ApplyOrder(const CreateOrder& c, Reply* reply) {
  if (c.merchant_order_no.empty() || c.amount_fen <= 0 || c.expires_ns <= batch_time_ns_) {
    return PaymentResult::kInvalid;
  }
  const Merchant* merchant = payments_.FindMerchant(c.merchant_id);
  if (merchant == nullptr) return PaymentResult::kMerchantNotFound;
  if (merchant->status != MerchantStatus::kActive) return PaymentResult::kMerchantNotActive;
  if (const uint64_t existing = payments_.FindOrderByMerchantNo(c.merchant_id, c.merchant_order_no);
      existing != 0) {
    if (payments_.FindOrder(existing)->amount_fen != c.amount_fen) {
      return PaymentResult::kOrderExists;
    }
    reply->value = existing;
    return PaymentResult::kDuplicate;
  }
  Order order;
  order.id = payments_.next_order_id();
  order.merchant_id = c.merchant_id;
  order.merchant_order_no = c.merchant_order_no;
  order.amount_fen = c.amount_fen;
  order.created_ns = batch_time_ns_;
  order.expires_ns = c.expires_ns;
  payments_.AddOrder(order);
  reply->value = order.id;
  if (projection_ != nullptr) {
    projection_->orders.push_back(OrderRow{order.id, order.merchant_id, order.merchant_order_no,
                                           order.amount_fen, c.description, c.notify_url,
                                           c.return_url, order.created_ns, order.expires_ns,
                                           static_cast<uint8_t>(order.status), 0});
  }
  return PaymentResult::kOk;
}

PaymentResult StateMachine::CheckPayer(const identity::Customer& customer,
                                       int64_t amount_fen) const {
  switch (identity::CheckOutgoing(tier_policies_.For(customer.tier), customer.spending, amount_fen,
                                  batch_time_ns_)) {
    case identity::LimitCheck::kOk:
      return PaymentResult::kOk;
    case identity::LimitCheck::kExceedsPerPayment:
      return PaymentResult::kExceedsPerPayment;
    case identity::LimitCheck::kExceedsDaily:
      return PaymentResult::kExceedsDaily;
    default:
      return PaymentResult::kExceedsYearly;
  }
}

StateMachine::AuthCheck StateMachine::PresentedStrength(const identity::Customer& customer,
                                                        const PaymentAuth& auth) {
  AuthCheck check;
  check.presented = auth.strength;
  if (!auth.otp_hash.empty()) {
    check.otp = customers_.ConsumeOtp(customer.phone, identity::OtpPurpose::kPayment, auth.otp_hash,
                                      batch_time_ns_);
    if (check.otp == identity::IdentityResult::kOk) {
      check.presented = std::max(check.presented, identity::AuthStrength::kTwoFactors);
    }
  }
  return check;
}

StateMachine::AuthCheck StateMachine::CheckAuth(const identity::Customer& customer,
                                                const PaymentAuth& auth, int64_t amount_fen,
                                                bool device_rule) {
  AuthCheck check = PresentedStrength(customer, auth);
  // A device signature meets every rule, the new-device one included: no need to look.
  const bool new_device = device_rule &&
                          check.presented < identity::AuthStrength::kDeviceSignature &&
                          known_devices_.IsNew(customer.id, auth.device_hash,
                                               auth_limits_.new_device_period_ns, batch_time_ns_);
  check.needed = identity::RequiredStrength(auth_limits_, customer.spending, amount_fen, new_device,
                                            batch_time_ns_);
  return check;
}

PaymentResult StateMachine::ApplyPay(const Pay& c, Reply* reply) {
  const bool by_code = c.channel == PaymentChannel::kPaymentCode;
  const bool by_nfc = c.channel == PaymentChannel::kNfc;
  const bool with_order =
      c.channel == PaymentChannel::kDynamicQr || c.channel == PaymentChannel::kOnline;
  if (c.payment_id == 0 || c.amount_fen <= 0 || ((by_code || by_nfc) != (c.customer_id == 0)) ||
      (with_order != (c.order_id != 0)) || (by_nfc && (c.nfc_token.empty() || c.nfc_atc == 0)) ||
      (by_code && (c.code_step_seconds <= 0 || c.code_step < 0 || c.code_window_steps > 10))) {
    return PaymentResult::kInvalid;
  }
  // A retry of a payment that went through answers as such, whatever changed since.
  if (payments_.FindPayment(c.payment_id) != nullptr ||
      ledger_.FindTransfer(c.payment_id) != nullptr) {
    return PaymentResult::kDuplicate;
  }
  const Merchant* merchant = payments_.FindMerchant(c.merchant_id);
  if (merchant == nullptr) return PaymentResult::kMerchantNotFound;
  if (merchant->status != MerchantStatus::kActive) return PaymentResult::kMerchantNotActive;

  uint64_t customer_id = c.customer_id;
  payments::PaymentDevice* device = nullptr;
  if (by_code) {
    device = payments_.MutableDeviceBySlot(c.device_slot);
    if (device == nullptr) return PaymentResult::kDeviceNotFound;
    const int64_t current = batch_time_ns_ / kNsPerSecond / c.code_step_seconds;
    const int64_t window = c.code_window_steps;
    if (c.code_step > current + window) return PaymentResult::kInvalid;
    if (c.code_step < current - window) return PaymentResult::kCodeExpired;
    if (c.code_step <= device->last_step) return PaymentResult::kCodeReused;
    customer_id = device->customer_id;
  }
  payments::NfcToken* nfc = nullptr;
  if (by_nfc) {
    nfc = payments_.MutableNfcToken(c.nfc_token);
    if (nfc == nullptr || !nfc->state.active) return PaymentResult::kNfcTokenNotFound;
    const paytoken::NfcTokenState& state = nfc->state;
    if (c.nfc_atc <= state.last_atc || c.nfc_atc < state.first_atc) {
      return PaymentResult::kNfcReplayed;
    }
    const uint64_t keys_end =
        uint64_t{state.first_atc} + uint64_t{state.luk_count} * state.uses_per_luk;
    if (c.nfc_atc >= keys_end) return PaymentResult::kNfcKeysExhausted;
    customer_id = nfc->customer_id;
  }
  identity::Customer* customer = customers_.MutableById(customer_id);
  if (customer == nullptr) return PaymentResult::kCustomerNotFound;

  Order* order = nullptr;
  if (with_order) {
    order = payments_.MutableOrder(c.order_id);
    if (order == nullptr || order->merchant_id != c.merchant_id) {
      return PaymentResult::kOrderNotFound;
    }
    if (order->status != OrderStatus::kOpen) return PaymentResult::kOrderNotOpen;
    if (batch_time_ns_ >= order->expires_ns) return PaymentResult::kOrderExpired;
    if (order->amount_fen != c.amount_fen) return PaymentResult::kAmountMismatch;
  }
  if (PaymentResult r = CheckPayer(*customer, c.amount_fen); r != PaymentResult::kOk) return r;
  // Points the customer cannot pay with refuse the payment before anything is consumed.
  if (c.points != 0) {
    PointsCharge charge;
    if (PaymentResult r = PricePoints(customer_id, c.points, c.amount_fen, &charge);
        r != PaymentResult::kOk) {
      return r;
    }
  }

  // PBoC No. 43: a payment the day's spending needs more than its authentication for is held
  // until the customer steps up (ConfirmPayment with the stronger factor) or the hold expires.
  // The new-device rule applies where the customer pays from the app: a payment code or an NFC
  // tap comes from the phone registered for it.
  const AuthCheck auth = CheckAuth(*customer, c.auth, c.amount_fen, ConfirmedByCustomer(c.channel));
  if (auth.otp != identity::IdentityResult::kOk) {
    reply->value = static_cast<uint64_t>(auth.otp);
    return PaymentResult::kSecondFactorRejected;
  }
  // The risk rules (state_machine_risk.cc): deny, hold for a review, or ask for a factor above
  // the one presented (held like a No. 43 step-up).
  const RiskCheck risk_check = CheckPaymentRisk(c, *customer, *merchant, auth.presented);
  if (risk_check.verdict == risk::Verdict::kDeny) return PaymentResult::kRiskDenied;
  const bool review = risk_check.verdict == risk::Verdict::kReview;
  const bool risk_step_up = risk_check.verdict == risk::Verdict::kChallenge;
  const bool step_up = !review && (auth.presented < auth.needed || risk_step_up);
  const identity::AuthStrength needed =
      risk_step_up ? std::max(auth.needed, risk_check.needed) : auth.needed;

  // Small payments (免密) go through untouched; larger code and NFC payments wait for the
  // customer to confirm in the app.
  payments::SmallPaymentSetting* small = nullptr;
  bool needs_confirmation = step_up || review;
  if (!ConfirmedByCustomer(c.channel)) {
    small = payments_.MutableSmallPayments(customer_id);
    const int64_t today = ChinaDay(batch_time_ns_);
    if (small->day != today) {
      small->day = today;
      small->spent_fen = 0;
    }
    const std::optional<int64_t> spent_after = CheckedAdd(small->spent_fen, c.amount_fen);
    needs_confirmation = needs_confirmation || !small->enabled ||
                         c.amount_fen > small->per_payment_fen || !spent_after ||
                         *spent_after > small->per_day_fen;
  }

  Payment payment;
  payment.id = c.payment_id;
  payment.merchant_id = c.merchant_id;
  payment.customer_id = customer_id;
  payment.order_id = c.order_id;
  payment.amount_fen = c.amount_fen;
  payment.fee_fen = payments::FeeFor(c.amount_fen, merchant->profile.fee_bps);
  payment.created_ns = batch_time_ns_;
  payment.channel = c.channel;
  // A held payment remembers the rules' verdict on its rewards for when it completes.
  payment.rewards_denied = needs_confirmation && risk_check.deny_reward;
  if (needs_confirmation) {
    payment.state = review ? PaymentState::kUnderReview : PaymentState::kAwaitingConfirmation;
    if (step_up) payment.step_up = static_cast<uint8_t>(needed);
    ledger::Transfer hold;
    hold.id = payment.id;
    hold.debit_account_id = customer->wallet_account_id;
    hold.credit_account_id = merchant->account_id;
    hold.amount = payment.amount_fen;
    hold.ledger = ledger::kLedgerCny;
    hold.code = ledger::transfer_codes::kPayment;
    hold.user_data = merchant->id;
    hold.flags = ledger::transfer_flags::kPending;
    hold.timeout_s = review    ? kRiskReviewTimeoutS
                     : step_up ? kStepUpTimeoutS
                               : kConfirmationTimeoutS;
    ledger_.CreateTransfers(std::span(&hold, 1), batch_time_ns_, &transfer_results_);
    if (transfer_results_[0] == ledger::CreateTransferResult::kExceedsCredits) {
      return PaymentResult::kInsufficientFunds;
    }
    if (transfer_results_[0] != ledger::CreateTransferResult::kOk) return PaymentResult::kInvalid;
    ProjectCreated(std::span(&hold, 1));
  } else {
    if (PaymentResult r = risk_check.deny_reward ? MoveMoneyWithoutRewards(payment, false, c.points)
                                                 : MoveMoney(payment, false, c.coupon_id,
                                                             c.auth.device_hash, c.points);
        r != PaymentResult::kOk) {
      return r;
    }
    if (small != nullptr) small->spent_fen += c.amount_fen;
    customer->last_money_ns = batch_time_ns_;
  }
  // The coupon a held payment names is used (or not) when the customer confirms.
  if (needs_confirmation && c.coupon_id != 0 && marketing_on() && !risk_check.deny_reward) {
    payment_marketing_[payment.id] = PaymentMarketing{c.coupon_id, 0, 0};
  }
  // So are the points it pays with.
  if (needs_confirmation) points_.SetPendingRedeem(payment.id, c.points);
  // The limits count a held payment at once, so holds cannot add up past them.
  identity::RecordOutgoing(&customer->spending, c.amount_fen, batch_time_ns_);
  if (device != nullptr) device->last_step = c.code_step;
  if (nfc != nullptr) nfc->state.last_atc = c.nfc_atc;
  if (order != nullptr) {
    order->status = OrderStatus::kPaid;
    order->payment_id = payment.id;
  }
  payments_.AddPayment(payment);
  // An approval still leaves a No. 43 step-up to the customer.
  if (review) {
    OpenRiskReview(payment, auth.presented < auth.needed ? static_cast<uint8_t>(auth.needed) : 0);
  }
  ProjectPayment(payment.id);
  reply->value = customer_id;
  reply->text = review               ? "under_review"
                : step_up            ? "challenge_required"
                : needs_confirmation ? "awaiting_confirmation"
                                     : "completed";
  return PaymentResult::kOk;
}

PaymentResult StateMachine::ApplyConfirm(const ConfirmPayment& c, Reply* reply) {
  Payment* payment = payments_.MutablePayment(c.payment_id);
  if (payment == nullptr || payment->customer_id != c.customer_id) {
    return PaymentResult::kPaymentNotFound;
  }
  if (payment->state != PaymentState::kAwaitingConfirmation) {
    return PaymentResult::kNotAwaitingConfirmation;
  }
  if (c.confirm) {
    const AuthCheck auth = PresentedStrength(*customers_.FindById(payment->customer_id), c.auth);
    if (auth.otp != identity::IdentityResult::kOk) {
      reply->value = static_cast<uint64_t>(auth.otp);
      return PaymentResult::kSecondFactorRejected;
    }
    if (static_cast<uint8_t>(auth.presented) < payment->step_up) {
      reply->value = payment->step_up;
      return PaymentResult::kChallengeRequired;
    }
    if (PaymentResult r = CompleteHeldPayment(*payment, c.auth.device_hash);
        r != PaymentResult::kOk) {
      return r;
    }
    payment->state = PaymentState::kCompleted;
  } else {
    const ledger::Transfer* hold = ledger_.FindTransfer(payment->id);
    ledger::Transfer release = *hold;
    release.id = DerivedId(payment->id, "void");
    release.pending_id = payment->id;
    release.amount = 0;
    release.timeout_s = 0;
    release.timestamp_ns = 0;
    release.flags = ledger::transfer_flags::kVoidPending;
    ledger_.CreateTransfers(std::span(&release, 1), batch_time_ns_, &transfer_results_);
    if (transfer_results_[0] != ledger::CreateTransferResult::kOk) {
      return PaymentResult::kNotAwaitingConfirmation;
    }
    ProjectCreated(std::span(&release, 1));
    payment->state = PaymentState::kCancelled;
    payment_marketing_.erase(payment->id);
    points_.DropPending(payment->id);
  }
  payment->step_up = 0;
  payment->rewards_denied = false;
  ProjectPayment(payment->id);
  return PaymentResult::kOk;
}

PaymentResult StateMachine::CompleteHeldPayment(const payments::Payment& payment,
                                                std::string_view device_hash) {
  const int64_t points = points_.PendingRedeem(payment.id);
  PaymentResult result;
  if (payment.rewards_denied) {
    result = MoveMoneyWithoutRewards(payment, true, points);
  } else {
    const PaymentMarketing* chosen = FindPaymentMarketing(payment.id);
    result =
        MoveMoney(payment, true, chosen != nullptr ? chosen->coupon_id : 0, device_hash, points);
  }
  if (result == PaymentResult::kOk) NoteMoneyMoved(payment.customer_id);
  return result;
}

PaymentResult StateMachine::ApplyRefund(const Refund& c, Reply* reply) {
  if (c.refund_id == 0 || c.amount_fen <= 0) return PaymentResult::kInvalid;
  Payment* payment = payments_.MutablePayment(c.payment_id);
  if (payment == nullptr || payment->merchant_id != c.merchant_id) {
    return PaymentResult::kPaymentNotFound;
  }
  if (ledger_.FindTransfer(c.refund_id) != nullptr) {
    reply->value = static_cast<uint64_t>(payment->refunded_fen);
    return PaymentResult::kDuplicate;
  }
  if (payment->state != PaymentState::kCompleted) return PaymentResult::kPaymentNotCompleted;
  // Cashback held past its release time is released first: the campaign book takes it as
  // released, so the refund claws it back from the wallet rather than voiding the hold.
  ReleaseDueCashback(payment->id, SIZE_MAX);
  // A discounted payment refunds at most what the customer paid; the merchant also gives back
  // the discount's share to the campaign (AppendReversals).
  const PaymentMarketing* marketing = FindPaymentMarketing(payment->id);
  const points::PaymentPoints* points_record = points_.FindPayment(payment->id);
  const int64_t paid_fen = payment->amount_fen -
                           (marketing != nullptr ? marketing->discount_fen : 0) -
                           (points_record != nullptr ? points_record->discount_fen : 0);
  const std::optional<int64_t> refunded_after = CheckedAdd(payment->refunded_fen, c.amount_fen);
  if (!refunded_after || *refunded_after > paid_fen) return PaymentResult::kRefundExceedsPayment;
  // A suspended merchant still refunds: customers get their money back either way.
  const Merchant& merchant = *payments_.FindMerchant(c.merchant_id);
  const identity::Customer& customer = *customers_.FindById(payment->customer_id);
  // The fee share follows the share of what was paid; rounded down, the last refund returns
  // the rest exactly (payments::FeeRefundFor, with what the customer paid as the whole).
  const int64_t fee_back = paid_fen == payment->amount_fen
                               ? payments::FeeRefundFor(*payment, *refunded_after)
                               : static_cast<int64_t>(static_cast<__int128>(payment->fee_fen) *
                                                      *refunded_after / paid_fen) -
                                     payment->fee_refunded_fen;
  // A closed wallet's ledger account takes nothing more: the refund goes to the customer's
  // closed-refund account, for support to pay out (PayOutClosedRefund).
  const uint64_t refund_to =
      customer.closed() ? EnsureClosedRefundAccount(customer.id) : customer.wallet_account_id;
  absl::InlinedVector<ledger::Transfer, 2> chain;
  if (fee_back > 0) {
    // First, so the fee share counts towards what the merchant can pay back.
    ledger::Transfer fee;
    fee.id = DerivedId(c.refund_id, "fee");
    fee.debit_account_id = kFeeIncomeAccountId;
    fee.credit_account_id = merchant.account_id;
    fee.amount = fee_back;
    fee.ledger = ledger::kLedgerCny;
    fee.code = ledger::transfer_codes::kRefundFee;
    fee.user_data = merchant.id;
    fee.flags = ledger::transfer_flags::kLinked;
    chain.push_back(fee);
  }
  ledger::Transfer back;
  back.id = c.refund_id;
  back.debit_account_id = merchant.account_id;
  back.credit_account_id = refund_to;
  back.amount = c.amount_fen;
  back.ledger = ledger::kLedgerCny;
  back.code = ledger::transfer_codes::kRefund;
  back.user_data = payment->id;
  chain.push_back(back);
  const size_t reversals_at = chain.size();
  int64_t discount_back =
      AppendReversals(*payment, *refunded_after, c.refund_id, refund_to, &chain);
  const size_t points_at = chain.size();
  int64_t clawed_back = 0;
  points::RefundShares points_shares;
  discount_back += AppendPointsReversals(*payment, *refunded_after, c.refund_id, customer.closed(),
                                         &chain, &clawed_back, &points_shares);
  for (size_t i = 0; i + 1 < chain.size(); i++) chain[i].flags |= ledger::transfer_flags::kLinked;
  ledger_.CreateTransfers(chain, batch_time_ns_, &transfer_results_);
  for (size_t i = 0; i < chain.size(); i++) {
    if (transfer_results_[i] != ledger::CreateTransferResult::kExceedsCredits) continue;
    // Cashback the customer already spent, beyond what the refund brings back.
    return chain[i].debit_account_id == refund_to ? PaymentResult::kInsufficientFunds
                                                  : PaymentResult::kMerchantInsufficientFunds;
  }
  for (ledger::CreateTransferResult r : transfer_results_) {
    if (r != ledger::CreateTransferResult::kOk) return PaymentResult::kInvalid;
  }
  ProjectCreated(chain);
  ReverseRewards(*payment, c.amount_fen, c.refund_id,
                 std::span(chain).subspan(reversals_at, points_at - reversals_at));
  if (points_record != nullptr) {
    points_.RecordRefund(payment->id, *refunded_after, clawed_back, points_shares);
  }
  payment->refunded_fen = *refunded_after;
  payment->fee_refunded_fen += fee_back;
  ClawBackReferral(*payment, *refunded_after);  // state_machine_referral.cc
  payments_.AddUnsettled(merchant.id, ChinaDay(batch_time_ns_),
                         -(c.amount_fen + discount_back - fee_back));
  if (projection_ != nullptr) {
    projection_->refunds.push_back(RefundRow{c.refund_id, payment->id, merchant.id, customer.id,
                                             c.amount_fen, fee_back, batch_time_ns_});
  }
  ProjectPayment(payment->id);
  reply->value = static_cast<uint64_t>(payment->refunded_fen);
  return PaymentResult::kOk;
}

Reply StateMachine::ApplyPayments(const Command& command) {
  Reply reply;
  PaymentResult r = PaymentResult::kInvalid;
  if (const auto* c = std::get_if<ApplyMerchant>(&command)) {
    r = Onboard(*c, &reply);
  } else if (const auto* c = std::get_if<ReviewMerchant>(&command)) {
    Merchant* merchant = payments_.MutableMerchant(c->merchant_id);
    if (staff_.FindById(c->staff_id) == nullptr) {
      r = PaymentResult::kStaffNotFound;
    } else if (merchant == nullptr) {
      r = PaymentResult::kMerchantNotFound;
    } else {
      if (merchant->status != c->status) {
        merchant->status = c->status;
        merchant->status_changed_ns = batch_time_ns_;
        ProjectMerchant(merchant->id);
      }
      r = PaymentResult::kOk;
    }
  } else if (const auto* c = std::get_if<RecordMerchantLogin>(&command)) {
    if (payments_.users().FindById(c->user_id) != nullptr && !payments_.IsUserActive(c->user_id)) {
      // Neither a failure nor a success is counted: the account is closed to log-ins.
      r = PaymentResult::kUserDisabled;
    } else {
      const identity::IdentityResult ir =
          payments_.users().RecordLogin(c->user_id, c->password_ok, batch_time_ns_);
      r = ir == identity::IdentityResult::kOk            ? PaymentResult::kOk
          : ir == identity::IdentityResult::kLoginLocked ? PaymentResult::kLoginLocked
                                                         : PaymentResult::kUserNotFound;
    }
  } else if (const auto* c = std::get_if<CreateMerchantSession>(&command)) {
    if (payments_.users().FindById(c->user_id) != nullptr && !payments_.IsUserActive(c->user_id)) {
      r = PaymentResult::kUserDisabled;
    } else {
      const identity::IdentityResult ir =
          payments_.users().CreateSession(c->token_hash, c->user_id, batch_time_ns_);
      r = ir == identity::IdentityResult::kOk              ? PaymentResult::kOk
          : ir == identity::IdentityResult::kSessionExists ? PaymentResult::kSessionExists
                                                           : PaymentResult::kUserNotFound;
    }
  } else if (const auto* c = std::get_if<IssueApiKey>(&command)) {
    payments::ApiKey key = c->key;
    key.created_ns = batch_time_ns_;
    key.revoked = false;
    if (key.key_id.empty() || key.secret_sealed.empty()) {
      r = PaymentResult::kInvalid;
    } else if (payments_.FindMerchant(c->merchant_id) == nullptr) {
      r = PaymentResult::kMerchantNotFound;
    } else {
      r = payments_.AddApiKey(c->merchant_id, std::move(key)) ? PaymentResult::kOk
                                                              : PaymentResult::kApiKeyRefused;
    }
  } else if (const auto* c = std::get_if<RevokeApiKey>(&command)) {
    r = PaymentResult::kApiKeyNotFound;
    if (Merchant* merchant = payments_.MutableMerchant(c->merchant_id); merchant != nullptr) {
      for (payments::ApiKey& key : merchant->api_keys) {
        if (key.key_id == c->key_id && !key.revoked) {
          key.revoked = true;
          r = PaymentResult::kOk;
        }
      }
    }
  } else if (const auto* c = std::get_if<RegisterPaymentDevice>(&command)) {
    if (c->secret_sealed.empty() || c->slot >= 10'000'000) {
      r = PaymentResult::kInvalid;
    } else if (customers_.FindById(c->customer_id) == nullptr) {
      r = PaymentResult::kCustomerNotFound;
    } else {
      r = payments_.RegisterDevice(payments::PaymentDevice{c->slot, c->customer_id,
                                                           c->secret_sealed, batch_time_ns_, -1})
              ? PaymentResult::kOk
              : PaymentResult::kSlotTaken;
    }
  } else if (const auto* c = std::get_if<SetSmallPayments>(&command)) {
    if (c->per_payment_fen <= 0 || c->per_day_fen <= 0 || c->per_payment_fen > c->per_day_fen ||
        c->per_payment_fen > payments::kMaxSmallPaymentPerPaymentFen ||
        c->per_day_fen > payments::kMaxSmallPaymentPerDayFen) {
      r = PaymentResult::kInvalid;
    } else if (customers_.FindById(c->customer_id) == nullptr) {
      r = PaymentResult::kCustomerNotFound;
    } else {
      payments::SmallPaymentSetting* s = payments_.MutableSmallPayments(c->customer_id);
      s->enabled = c->enabled;
      s->per_payment_fen = c->per_payment_fen;
      s->per_day_fen = c->per_day_fen;
      r = PaymentResult::kOk;
    }
  } else if (const auto* c = std::get_if<CreateOrder>(&command)) {
    r = ApplyOrder(*c, &reply);
  } else if (const auto* c = std::get_if<CloseOrder>(&command)) {
    Order* order = payments_.MutableOrder(c->order_id);
    if (order == nullptr || order->merchant_id != c->merchant_id) {
      r = PaymentResult::kOrderNotFound;
    } else if (order->status != OrderStatus::kOpen) {
      r = PaymentResult::kOrderNotOpen;
    } else {
      order->status = OrderStatus::kClosed;
      if (projection_ != nullptr) {
        projection_->order_states.push_back({order->id, static_cast<uint8_t>(order->status), 0});
      }
      r = PaymentResult::kOk;
    }
  } else if (const auto* c = std::get_if<Pay>(&command)) {
    r = ApplyPay(*c, &reply);
  } else if (const auto* c = std::get_if<ConfirmPayment>(&command)) {
    r = ApplyConfirm(*c, &reply);
  } else if (const auto* c = std::get_if<Refund>(&command)) {
    r = ApplyRefund(*c, &reply);
  } else if (const auto* c = std::get_if<RecordInvoice>(&command)) {
    Payment* payment = payments_.MutablePayment(c->invoice.payment_id);
    if (c->invoice.number.empty()) {
      r = PaymentResult::kInvalid;
    } else if (payment == nullptr || payment->customer_id != c->customer_id ||
               c->invoice.customer_id != c->customer_id ||
               c->invoice.merchant_id != payment->merchant_id) {
      r = PaymentResult::kPaymentNotFound;
    } else if (!payment->invoice_number.empty()) {
      r = PaymentResult::kDuplicate;
    } else if (payment->state != PaymentState::kCompleted) {
      r = PaymentResult::kPaymentNotCompleted;
    } else {
      payment->invoice_number = c->invoice.number;
      if (projection_ != nullptr) projection_->invoices.push_back(c->invoice);
      r = PaymentResult::kOk;
    }
  } else if (const auto* c = std::get_if<IssueNfcToken>(&command)) {
    if (!paytoken::IsTokenNumber(c->token) || c->luk_count == 0 ||
        c->luk_count > paytoken::kMaxLuksPerGeneration || c->uses_per_luk == 0 ||
        c->uses_per_luk > paytoken::kMaxUsesPerLuk) {
      r = PaymentResult::kInvalid;
    } else if (customers_.FindById(c->customer_id) == nullptr) {
      r = PaymentResult::kCustomerNotFound;
    } else {
      payments::NfcToken token;
      token.token = c->token;
      token.customer_id = c->customer_id;
      token.state.luk_count = c->luk_count;
      token.state.uses_per_luk = c->uses_per_luk;
      token.issued_ns = batch_time_ns_;
      r = payments_.IssueNfcToken(std::move(token)) ? PaymentResult::kOk
                                                    : PaymentResult::kNfcTokenTaken;
    }
  } else if (const auto* c = std::get_if<RefreshNfcToken>(&command)) {
    const payments::NfcToken* live = payments_.FindNfcTokenOf(c->customer_id);
    if (c->luk_count == 0 || c->luk_count > paytoken::kMaxLuksPerGeneration ||
        c->uses_per_luk == 0 || c->uses_per_luk > paytoken::kMaxUsesPerLuk) {
      r = PaymentResult::kInvalid;
    } else if (live == nullptr || !live->state.active || live->state.last_atc == UINT32_MAX) {
      r = PaymentResult::kNfcTokenNotFound;
    } else {
      payments::NfcToken* token = payments_.MutableNfcToken(live->token);
      token->state = paytoken::RefreshedState(token->state, c->luk_count, c->uses_per_luk);
      reply.value = token->state.generation;
      r = PaymentResult::kOk;
    }
  } else if (const auto* c = std::get_if<CreateMerchantUser>(&command)) {
    constexpr uint32_t kMerchantRoles = payments::kMerchantOwner | payments::kMerchantCashier;
    if (c->user.username.empty() || c->user.password_hash.empty() || c->user.roles == 0 ||
        (c->user.roles & ~kMerchantRoles) != 0) {
      r = PaymentResult::kInvalid;
    } else if (payments_.FindMerchant(c->merchant_id) == nullptr) {
      r = PaymentResult::kMerchantNotFound;
    } else if (payments_.users().Create(c->user, batch_time_ns_, &reply.value) !=
               identity::IdentityResult::kOk) {
      r = PaymentResult::kUserTaken;
    } else {
      payments_.SetUserMerchant(reply.value, c->merchant_id);
      r = PaymentResult::kOk;
    }
  } else if (const auto* c = std::get_if<SetMerchantUserStatus>(&command)) {
    r = SetUserStatus(payments_, *c, &reply);
  } else if (const auto* c = std::get_if<RecordCreditInvoice>(&command)) {
    r = ApplyRecordCreditInvoice(*c);
  } else if (const auto* c = std::get_if<RotateWebhookSecret>(&command)) {
    r = RotateSecret(payments_, *c, batch_time_ns_, &reply);
  } else if (const auto* c = std::get_if<StartSettlement>(&command)) {
    r = ApplyStartSettlement(*c, &reply);
  } else if (const auto* c = std::get_if<FinishSettlement>(&command)) {
    r = ApplyFinishSettlement(*c);
  } else {
    QB_ASSERT(false && "unhandled command type");
  }
  reply.results.push_back(static_cast<uint8_t>(r));
  return reply;
}

void StateMachine::EnsureFeeIncomeAccount() {
  if (ledger_.FindAccount(kFeeIncomeAccountId) != nullptr) return;
  ledger::Account fees;
  fees.id = kFeeIncomeAccountId;
  fees.ledger = ledger::kLedgerCny;
  fees.kind = static_cast<uint16_t>(ledger::AccountKind::kFeeIncome);
  fees.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  ledger_.CreateAccounts(std::span(&fees, 1), batch_time_ns_, &account_results_);
  // A fresh id below every customer and merchant range: only this creates it.
  QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
  Touch(kFeeIncomeAccountId);
}

void StateMachine::ProjectMerchant(uint64_t merchant_id) {
  if (projection_ == nullptr) return;
  const Merchant& m = *payments_.FindMerchant(merchant_id);
  projection_->merchants.push_back(MerchantRow{
      m.id, m.account_id, m.profile.legal_name, m.profile.credit_code, m.profile.category,
      m.profile.fee_bps, static_cast<uint8_t>(m.status), m.profile.settlement_bank_code,
      m.profile.settlement_account_last4, m.profile.contact_phone, m.onboarded_by_staff_id,
      m.created_ns, m.status_changed_ns});
}

void StateMachine::ProjectPayment(uint64_t payment_id) {
  if (projection_ == nullptr) return;
  const Payment& p = *payments_.FindPayment(payment_id);
  projection_->payments.push_back(PaymentRow{p.id, p.merchant_id, p.customer_id, p.order_id,
                                             static_cast<uint8_t>(p.channel),
                                             static_cast<uint8_t>(p.state), p.amount_fen, p.fee_fen,
                                             p.refunded_fen, p.fee_refunded_fen, p.created_ns});
  if (p.order_id != 0) {
    const Order& o = *payments_.FindOrder(p.order_id);
    projection_->order_states.push_back({o.id, static_cast<uint8_t>(o.status), o.payment_id});
  }
}

void StateMachine::ProjectCreated(std::span<const ledger::Transfer> transfers) {
  for (const ledger::Transfer& t : transfers) {
    if (projection_ != nullptr) projection_->transfers.push_back(*ledger_.FindTransfer(t.id));
    Touch(t.debit_account_id);
    Touch(t.credit_account_id);
  }
}

}  // namespace qb::engine
