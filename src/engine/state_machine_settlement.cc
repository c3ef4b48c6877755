// The state machine's commands for what follows a payment: red-letter invoices for refunds of
// invoiced payments, and T+1 settlement (a hold merchant → bank clearing, then posted or voided
// on the bank's answer); and the payment results' names. Same class and rules as
// state_machine_payments.cc.
#include "base/assert.h"
#include "base/checked.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"

namespace qb::engine {

using internal::ChinaDay;
using internal::DerivedId;
using payments::Merchant;
using payments::MerchantStatus;
using payments::Payment;

PaymentResult StateMachine::ApplyRecordCreditInvoice(const RecordCreditInvoice& c) {
  const CreditInvoiceRow& row = c.invoice;
  if (row.number.empty() || row.original_number.empty() || row.refund_id != c.refund_id ||
      row.amount_fen <= 0) {
    return PaymentResult::kInvalid;
  }
  // A refund is its merchant → customer ledger transfer; user_data names the payment.
  const ledger::Transfer* refund = ledger_.FindTransfer(c.refund_id);
  if (refund == nullptr || refund->code != ledger::transfer_codes::kRefund ||
      refund->user_data != row.payment_id) {
    return PaymentResult::kPaymentNotFound;
  }
  const Payment* payment = payments_.FindPayment(row.payment_id);
  if (payment == nullptr || payment->merchant_id != row.merchant_id ||
      payment->customer_id != row.customer_id || payment->invoice_number.empty()) {
    return PaymentResult::kPaymentNotFound;
  }
  if (payments_.FindCreditInvoiceOf(c.refund_id) != nullptr) return PaymentResult::kDuplicate;
  if (payment->invoice_number != row.original_number) return PaymentResult::kInvalid;
  if (static_cast<int64_t>(refund->amount) != row.amount_fen) {
    return PaymentResult::kAmountMismatch;
  }
  payments_.AddCreditInvoice(c.refund_id, row.number);
  if (projection_ != nullptr) projection_->credit_invoices.push_back(row);
  return PaymentResult::kOk;
}

PaymentResult StateMachine::ApplyStartSettlement(const StartSettlement& c, Reply* reply) {
  if (c.settlement_id == 0 || c.business_day >= ChinaDay(batch_time_ns_)) {
    return PaymentResult::kInvalid;  // T+1: a day is settled once it is over.
  }
  const Merchant* merchant = payments_.FindMerchant(c.merchant_id);
  if (merchant == nullptr) return PaymentResult::kMerchantNotFound;
  if (const uint64_t existing = payments_.FindSettlementOf(c.merchant_id, c.business_day);
      existing != 0) {
    reply->value = existing;
    return PaymentResult::kDuplicate;
  }
  // Payouts of a suspended merchant wait until it is reinstated (risk may be looking at it).
  if (merchant->status != MerchantStatus::kActive) return PaymentResult::kMerchantNotActive;
  if (ledger_.FindTransfer(c.settlement_id) != nullptr) return PaymentResult::kDuplicate;
  const ledger::Account& account = *ledger_.FindAccount(merchant->account_id);
  const int64_t available = account.CreditBalance() - account.debits_pending;
  const int64_t amount =
      std::min(payments_.UnsettledUpTo(c.merchant_id, c.business_day), available);
  if (amount <= 0) return PaymentResult::kNothingToSettle;
  ledger::Transfer hold;
  hold.id = c.settlement_id;
  hold.debit_account_id = merchant->account_id;
  hold.credit_account_id = kBankClearingAccountId;
  hold.amount = amount;
  hold.ledger = ledger::kLedgerCny;
  hold.code = ledger::transfer_codes::kSettlement;
  hold.user_data = merchant->id;
  hold.flags = ledger::transfer_flags::kPending;
  EnsureBankClearingAccount();
  ledger_.CreateTransfers(std::span(&hold, 1), batch_time_ns_, &transfer_results_);
  if (transfer_results_[0] != ledger::CreateTransferResult::kOk) return PaymentResult::kInvalid;
  ProjectCreated(std::span(&hold, 1));
  payments_.TakeUnsettled(c.merchant_id, c.business_day, amount);
  payments_.AddSettlement(payments::Settlement{c.settlement_id, c.merchant_id, c.business_day,
                                               amount, batch_time_ns_,
                                               payments::SettlementState::kProcessing});
  ProjectSettlement(c.settlement_id);
  reply->value = static_cast<uint64_t>(amount);
  return PaymentResult::kOk;
}

PaymentResult StateMachine::ApplyFinishSettlement(const FinishSettlement& c) {
  payments::Settlement* settlement = payments_.MutableSettlement(c.settlement_id);
  if (settlement == nullptr) return PaymentResult::kSettlementNotFound;
  if (settlement->state != payments::SettlementState::kProcessing) {
    return PaymentResult::kSettlementFinished;
  }
  const ledger::Transfer& hold = *ledger_.FindTransfer(settlement->id);
  ledger::Transfer finish = hold;
  finish.id = DerivedId(settlement->id, c.paid ? "post" : "void");
  finish.pending_id = settlement->id;
  finish.amount = c.paid ? hold.amount : 0;
  finish.timestamp_ns = 0;
  finish.timeout_s = 0;
  finish.flags =
      c.paid ? ledger::transfer_flags::kPostPending : ledger::transfer_flags::kVoidPending;
  ledger_.CreateTransfers(std::span(&finish, 1), batch_time_ns_, &transfer_results_);
  if (transfer_results_[0] != ledger::CreateTransferResult::kOk) return PaymentResult::kInvalid;
  ProjectCreated(std::span(&finish, 1));
  if (c.paid) {
    settlement->state = payments::SettlementState::kPaid;
  } else {
    settlement->state = payments::SettlementState::kFailed;
    // Not paid: the money is the merchant's to settle again, with its day.
    payments_.AddUnsettled(settlement->merchant_id, settlement->business_day,
                           settlement->amount_fen);
  }
  ProjectSettlement(settlement->id);
  return PaymentResult::kOk;
}

void StateMachine::ProjectSettlement(uint64_t settlement_id) {
  if (projection_ == nullptr) return;
  const payments::Settlement& t = *payments_.FindSettlement(settlement_id);
  projection_->settlements.push_back(SettlementRow{t.id, t.merchant_id, t.business_day,
                                                   t.amount_fen, t.created_ns,
                                                   static_cast<uint8_t>(t.state)});
}

std::string_view PaymentResultName(PaymentResult result) {
  switch (result) {
    case PaymentResult::kNothingToSettle:
      return "nothing_to_settle";
    case PaymentResult::kNfcTokenNotFound:
      return "nfc_token_not_found";
    case PaymentResult::kNfcReplayed:
      return "nfc_replayed";
    case PaymentResult::kNfcKeysExhausted:
      return "nfc_keys_exhausted";
    case PaymentResult::kNfcTokenTaken:
      return "nfc_token_taken";
    case PaymentResult::kUserDisabled:
      return "user_disabled";
    case PaymentResult::kLastOwner:
      return "last_owner";
    case PaymentResult::kSelfDisable:
      return "self_disable";
    case PaymentResult::kNotOwner:
      return "not_owner";
    case PaymentResult::kChallengeRequired:
      return "challenge_required";
    case PaymentResult::kSecondFactorRejected:
      return "second_factor_rejected";
    case PaymentResult::kRiskDenied:
      return "risk_denied";
    case PaymentResult::kPointsNotAccepted:
      return "points_not_accepted";
    case PaymentResult::kPointsInsufficient:
      return "points_insufficient";
    case PaymentResult::kSettlementNotFound:
      return "settlement_not_found";
    case PaymentResult::kSettlementFinished:
      return "settlement_finished";
    case PaymentResult::kOk:
      return "ok";
    case PaymentResult::kInvalid:
      return "invalid";
    case PaymentResult::kStaffNotFound:
      return "staff_not_found";
    case PaymentResult::kUserTaken:
      return "user_taken";
    case PaymentResult::kMerchantNotFound:
      return "merchant_not_found";
    case PaymentResult::kMerchantNotActive:
      return "merchant_not_active";
    case PaymentResult::kUserNotFound:
      return "user_not_found";
    case PaymentResult::kLoginLocked:
      return "login_locked";
    case PaymentResult::kSessionExists:
      return "session_exists";
    case PaymentResult::kApiKeyRefused:
      return "api_key_refused";
    case PaymentResult::kApiKeyNotFound:
      return "api_key_not_found";
    case PaymentResult::kCustomerNotFound:
      return "customer_not_found";
    case PaymentResult::kSlotTaken:
      return "slot_taken";
    case PaymentResult::kOrderExists:
      return "order_exists";
    case PaymentResult::kOrderNotFound:
      return "order_not_found";
    case PaymentResult::kOrderNotOpen:
      return "order_not_open";
    case PaymentResult::kOrderExpired:
      return "order_expired";
    case PaymentResult::kAmountMismatch:
      return "amount_mismatch";
    case PaymentResult::kDeviceNotFound:
      return "device_not_found";
    case PaymentResult::kCodeExpired:
      return "code_expired";
    case PaymentResult::kCodeReused:
      return "code_reused";
    case PaymentResult::kExceedsPerPayment:
      return "exceeds_per_payment";
    case PaymentResult::kExceedsDaily:
      return "exceeds_daily";
    case PaymentResult::kExceedsYearly:
      return "exceeds_yearly";
    case PaymentResult::kInsufficientFunds:
      return "insufficient_funds";
    case PaymentResult::kDuplicate:
      return "duplicate";
    case PaymentResult::kPaymentNotFound:
      return "payment_not_found";
    case PaymentResult::kNotAwaitingConfirmation:
      return "not_awaiting_confirmation";
    case PaymentResult::kRefundExceedsPayment:
      return "refund_exceeds_payment";
    case PaymentResult::kMerchantInsufficientFunds:
      return "merchant_insufficient_funds";
    case PaymentResult::kPaymentNotCompleted:
      return "payment_not_completed";
  }
  return "unknown";
}

}  // namespace qb::engine
