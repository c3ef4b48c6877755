// The state machine's payment-PIN commands: setting, changing or resetting the PIN and recording
// a PIN entered to pay. The rules (lockout, escalation, what a reset needs) are the customer
// book's; this file only fills the reply. Same class and rules as state_machine.cc.
#include "base/assert.h"
#include "engine/state_machine.h"

namespace qb::engine {

Reply StateMachine::ApplyPaymentPin(const Command& command) {
  using identity::IdentityResult;
  Reply reply;
  IdentityResult result = IdentityResult::kInvalid;
  uint64_t customer_id = 0;
  if (const auto* c = std::get_if<SetPaymentPin>(&command)) {
    customer_id = c->customer_id;
    result = customers_.SetPaymentPin(c->customer_id, c->change, batch_time_ns_);
  } else if (const auto* c = std::get_if<RecordPinAttempt>(&command)) {
    customer_id = c->customer_id;
    result = customers_.RecordPinAttempt(c->customer_id, c->pin_ok, batch_time_ns_);
  } else {
    QB_ASSERT(false && "not a payment-PIN command");
  }
  reply.results.push_back(static_cast<uint8_t>(result));
  // What the API needs to answer a refusal, without a second trip through the engine.
  if (const identity::Customer* customer = customers_.FindById(customer_id)) {
    if (result == IdentityResult::kPinMismatch) reply.value = customer->pin_tries_left();
    if (result == IdentityResult::kPinLocked) {
      reply.value = static_cast<uint64_t>(customer->pin_locked_until_ns);
    }
  }
  return reply;
}

}  // namespace qb::engine
