// The state machine's account closure (command 52, PIPL), the purge of closed accounts'
// identities once the AML keeping period ends (command 65), and the money that reaches a
// closed account afterwards (command 66). The checks that need more than the customer book are
// here: the wallet must hold nothing, posted or pending (so no held payment, top-up or
// withdrawal is in flight), and closing also closes the wallet's ledger account and drops the
// customer's device keys and remembered devices. A merchant may still refund a payment after
// that: ApplyRefund credits the customer's closed-refund account, and support pays it out
// through the bank (ApplyPayOutClosedRefund). The customer's points are forfeited to the pool.
// Same class and rules as state_machine.cc.
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "engine/state_machine.h"

namespace qb::engine {

Reply StateMachine::ApplyCloseCustomer(const CloseCustomer& command) {
  using identity::IdentityResult;
  Reply reply;
  auto finish = [&reply](IdentityResult result) {
    reply.results.push_back(static_cast<uint8_t>(result));
    return reply;
  };
  const identity::Customer* customer = customers_.FindById(command.customer_id);
  if (customer == nullptr) return finish(IdentityResult::kCustomerNotFound);
  if (customer->closed()) return finish(IdentityResult::kCustomerClosed);
  const ledger::Account* wallet = ledger_.FindAccount(customer->wallet_account_id);
  if (wallet == nullptr) return finish(IdentityResult::kInvalid);
  if (wallet->debits_posted != wallet->credits_posted || wallet->debits_pending != 0 ||
      wallet->credits_pending != 0) {
    return finish(IdentityResult::kBalanceNotZero);
  }

  std::vector<std::string> revoked;
  const IdentityResult result =
      customers_.Close(command.customer_id, command.otp_hash, batch_time_ns_, &revoked);
  if (result != IdentityResult::kOk) return finish(result);
  const bool ledger_closed = ledger_.CloseAccount(customer->wallet_account_id);
  QB_ASSERT(ledger_closed && "an empty wallet account closes");
  std::vector<uint64_t> device_ids;
  for (const mfa::DeviceKey* key : device_keys_.KeysOf(command.customer_id)) {
    device_ids.push_back(key->device_id);
  }
  for (uint64_t device_id : device_ids) device_keys_.Remove(command.customer_id, device_id);
  known_devices_.Forget(command.customer_id);
  ForfeitPoints(command.customer_id);  // state_machine_points.cc
  reply.value = revoked.size();
  Touch(customer->wallet_account_id);
  TouchCustomer(command.customer_id);
  return finish(IdentityResult::kOk);
}

Reply StateMachine::ApplyPurgeClosedIdentities() {
  std::vector<std::pair<uint64_t, int64_t>> purged;
  customers_.PurgeIdentities(batch_time_ns_, kMaxPurgesPerCommand, &purged);
  for (const auto& [customer_id, closed_ns] : purged) {
    TouchCustomer(customer_id);
    // An entry per customer, so the auditor sees whose identity went and when it had closed.
    Audit(audit::ActorKind::kSystem, 0, "customer.identity_purge",
          "customer:" + std::to_string(customer_id),
          "{\"closed_ns\":" + std::to_string(closed_ns) + "}");
  }
  Reply reply;
  reply.results.push_back(0);
  reply.value = purged.size();
  return reply;
}

uint64_t StateMachine::EnsureClosedRefundAccount(uint64_t customer_id) {
  const uint64_t id = kClosedRefundAccountBase + customer_id;
  if (ledger_.FindAccount(id) != nullptr) return id;
  ledger::Account owed;
  owed.id = id;
  owed.user_data = customer_id;
  owed.ledger = ledger::kLedgerCny;
  owed.kind = static_cast<uint16_t>(ledger::AccountKind::kSuspense);
  owed.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  ledger_.CreateAccounts(std::span(&owed, 1), batch_time_ns_, &account_results_);
  // Its own id range, below the wallets and above the merchants: only this creates it. If the
  // refund that needed it then fails, it stays, empty, as a replay would leave it.
  QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
  Touch(id);
  return id;
}

Reply StateMachine::ApplyPayOutClosedRefund(const PayOutClosedRefund& c) {
  Reply reply;
  auto finish = [&reply](PaymentResult result) {
    reply.results.push_back(static_cast<uint8_t>(result));
    return reply;
  };
  if (c.payout_id == 0 || c.amount_fen <= 0 || c.reference.empty() ||
      c.reference.size() > kMaxPayoutReferenceBytes) {
    return finish(PaymentResult::kInvalid);
  }
  if (staff_.FindById(c.staff_id) == nullptr) return finish(PaymentResult::kStaffNotFound);
  const identity::Customer* customer = customers_.FindById(c.customer_id);
  if (customer == nullptr || !customer->closed()) return finish(PaymentResult::kCustomerNotFound);
  if (ledger_.FindTransfer(c.payout_id) != nullptr) return finish(PaymentResult::kDuplicate);
  const uint64_t owed_id = kClosedRefundAccountBase + c.customer_id;
  if (ledger_.FindAccount(owed_id) == nullptr) return finish(PaymentResult::kInsufficientFunds);
  ledger::Transfer payout;
  payout.id = c.payout_id;
  payout.debit_account_id = owed_id;
  payout.credit_account_id = kBankClearingAccountId;
  payout.amount = c.amount_fen;
  payout.ledger = ledger::kLedgerCny;
  payout.code = ledger::transfer_codes::kClosedRefundPayout;
  payout.user_data = c.customer_id;
  ledger_.CreateTransfers(std::span(&payout, 1), batch_time_ns_, &transfer_results_);
  switch (transfer_results_[0]) {
    case ledger::CreateTransferResult::kOk:
      break;
    case ledger::CreateTransferResult::kExceedsCredits:
      return finish(PaymentResult::kInsufficientFunds);
    default:
      return finish(PaymentResult::kInvalid);
  }
  ProjectCreated(std::span(&payout, 1));
  // What is still owed after this payout. Audited by AuditCommand (state_machine_audit.cc).
  const ledger::Account& owed = *ledger_.FindAccount(owed_id);
  reply.value = static_cast<uint64_t>(owed.credits_posted - owed.debits_posted);
  return finish(PaymentResult::kOk);
}

}  // namespace qb::engine
