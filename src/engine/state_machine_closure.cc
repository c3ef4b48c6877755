// The state machine's account closure (command 52, PIPL) and the purge of closed accounts'
// identities once the AML keeping period ends (command 65). The checks that need more than the
// customer book are here: the wallet must hold nothing, posted or pending (so no held payment,
// top-up or withdrawal is in flight), and closing also closes the wallet's ledger account and
// drops the customer's device keys and remembered devices. Same class and rules as
// state_machine.cc.
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

}  // namespace qb::engine
