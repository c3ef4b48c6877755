// The state machine's two-step log-in (TOTP) commands. The rules (step replay, single-use
// recovery codes, lockout) are the customer book's; this file only fills the reply. Same class
// and rules as state_machine.cc.
#include "base/assert.h"
#include "engine/state_machine.h"

namespace qb::engine {

Reply StateMachine::ApplyTotp(const Command& command) {
  using identity::IdentityResult;
  Reply reply;
  IdentityResult result = IdentityResult::kInvalid;
  uint64_t customer_id = 0;
  if (const auto* c = std::get_if<BeginTotpEnrolment>(&command)) {
    customer_id = c->customer_id;
    result = customers_.BeginTotpEnrolment(c->customer_id, c->secret_sealed);
  } else if (const auto* c = std::get_if<ConfirmTotp>(&command)) {
    customer_id = c->customer_id;
    result =
        customers_.ConfirmTotp(c->customer_id, c->secret_sealed, c->step, c->recovery_code_hashes);
  } else if (const auto* c = std::get_if<UseTotp>(&command)) {
    customer_id = c->customer_id;
    result = customers_.UseTotp(c->customer_id, c->use, batch_time_ns_);
  } else {
    QB_ASSERT(false && "not a TOTP command");
  }
  reply.results.push_back(static_cast<uint8_t>(result));
  // What the API needs to answer a refusal, without a second trip through the engine.
  if (const identity::Customer* customer = customers_.FindById(customer_id)) {
    if (result == IdentityResult::kTotpInvalid) reply.value = customer->totp_tries_left();
    if (result == IdentityResult::kTotpLocked) {
      reply.value = static_cast<uint64_t>(customer->totp_locked_until_ns);
    }
  }
  return reply;
}

}  // namespace qb::engine
