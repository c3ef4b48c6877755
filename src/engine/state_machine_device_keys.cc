// The state machine's device-key commands (48 to 51) and their audit entries. The rules
// (limits, proof of possession, single-use challenges, lockout) are the device-key book's
// (mfa/device_key_book.h); this file passes the batch time and fills the reply. Same class and
// rules as state_machine.cc.
#include <string>

#include "base/assert.h"
#include "engine/state_machine.h"

namespace qb::engine {
namespace {

using mfa::DeviceKeyResult;

std::string DeviceDetail(uint64_t device_id, std::string_view extra = "") {
  return "{\"device_id\":" + std::to_string(device_id) + std::string(extra) + "}";
}

}  // namespace

bool StateMachine::IsDeviceKeyCommand(const Command& command) {
  return std::holds_alternative<IssueDeviceChallenge>(command) ||
         std::holds_alternative<RegisterDeviceKey>(command) ||
         std::holds_alternative<AnswerDeviceChallenge>(command) ||
         std::holds_alternative<RemoveDeviceKey>(command);
}

Reply StateMachine::ApplyDeviceKeys(const Command& command) {
  Reply reply;
  DeviceKeyResult result = DeviceKeyResult::kInvalid;
  if (const auto* c = std::get_if<IssueDeviceChallenge>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    const bool exists = customer != nullptr && !customer->closed();
    mfa::Challenge issued;
    result =
        device_keys_.IssueChallenge(c->customer_id, exists, c->challenge, batch_time_ns_, &issued);
    if (result == DeviceKeyResult::kOk) reply.value = issued.device_id;
  } else if (const auto* c = std::get_if<RegisterDeviceKey>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    if (customer == nullptr || customer->closed()) {
      result = DeviceKeyResult::kCustomerNotFound;
    } else if (c->key_kind == static_cast<uint8_t>(mfa::DeviceKeyKind::kWebAuthn)) {
      result = device_keys_.RegisterWebAuthn(
          c->customer_id, c->device_id, c->name, c->nonce,
          mfa::WebAuthnProof{.authenticator_data = c->authenticator_data,
                             .client_data_json = c->client_data_json,
                             .signature = {},
                             .rp_id = c->rp_id,
                             .origin = c->origin},
          batch_time_ns_);
    } else {
      result = device_keys_.Register(c->customer_id, c->device_id, c->public_key, c->name, c->nonce,
                                     c->signature, batch_time_ns_);
    }
    if (result == DeviceKeyResult::kOk) reply.value = c->device_id;
  } else if (const auto* c = std::get_if<AnswerDeviceChallenge>(&command)) {
    uint32_t tries_left = 0;
    if (c->webauthn) {
      result = device_keys_.AnswerWebAuthn(
          c->customer_id, c->device_id, c->purpose, c->context, c->nonce,
          mfa::WebAuthnProof{.authenticator_data = c->authenticator_data,
                             .client_data_json = c->client_data_json,
                             .signature = c->signature,
                             .rp_id = c->rp_id,
                             .origin = c->origin},
          batch_time_ns_, &tries_left);
    } else {
      result = device_keys_.Answer(c->customer_id, c->device_id, c->purpose, c->context, c->nonce,
                                   c->signature, batch_time_ns_, &tries_left);
    }
    if (result == DeviceKeyResult::kBadSignature) reply.value = tries_left;
  } else if (const auto* c = std::get_if<RemoveDeviceKey>(&command)) {
    result = device_keys_.Remove(c->customer_id, c->device_id);
  } else {
    QB_ASSERT(false && "not a device-key command");
  }
  reply.results.push_back(static_cast<uint8_t>(result));
  return reply;
}

// Binding and removal, every wrong signature, the one that suspends a key, and a log-in with a
// device key. Challenges issued and refused answers that consumed nothing leave no entry.
void StateMachine::AuditDeviceKey(const Command& command, const Reply& reply) {
  if (reply.results.empty()) return;
  const auto result = static_cast<DeviceKeyResult>(reply.results[0]);
  const bool ok = result == DeviceKeyResult::kOk;
  auto audit = [&](uint64_t customer_id, std::string_view action, std::string detail) {
    Audit(audit::ActorKind::kCustomer, customer_id, std::string(action),
          "customer:" + std::to_string(customer_id), std::move(detail));
  };
  if (const auto* c = std::get_if<RegisterDeviceKey>(&command)) {
    if (ok) {
      const mfa::DeviceKey* key = device_keys_.Find(c->device_id);
      QB_ASSERT(key != nullptr);
      audit(c->customer_id, "customer.device_key_bind",
            DeviceDetail(c->device_id,
                         key->public_key
                             ? ",\"public_key\":\"" + key->public_key->ToBase64Url() + "\""
                             : ",\"kind\":\"webauthn\",\"credential_id\":\"" +
                                   mfa::EncodeBase64Url(key->credential_id) + "\""));
    } else if (result == DeviceKeyResult::kBadSignature) {
      audit(c->customer_id, "customer.device_key_bad_signature",
            DeviceDetail(c->device_id, R"(,"purpose":"device_binding")"));
    }
  } else if (const auto* c = std::get_if<RemoveDeviceKey>(&command)) {
    if (ok) audit(c->customer_id, "customer.device_key_remove", DeviceDetail(c->device_id));
  } else if (const auto* c = std::get_if<AnswerDeviceChallenge>(&command)) {
    const std::string purpose =
        ",\"purpose\":\"" + std::string(mfa::ChallengePurposeName(c->purpose)) + "\"";
    if (ok && c->purpose == mfa::ChallengePurpose::kLogin) {
      audit(c->customer_id, "customer.device_login", DeviceDetail(c->device_id));
    } else if (ok) {
      audit(c->customer_id, "customer.device_key_use", DeviceDetail(c->device_id, purpose));
    } else if (result == DeviceKeyResult::kBadSignature) {
      audit(c->customer_id, "customer.device_key_bad_signature",
            DeviceDetail(c->device_id, purpose));
    } else if (result == DeviceKeyResult::kCloneWarning) {
      audit(c->customer_id, "customer.device_key_clone_warning",
            DeviceDetail(c->device_id, purpose));
    } else if (result == DeviceKeyResult::kSuspendedNow) {
      audit(c->customer_id, "customer.device_key_bad_signature",
            DeviceDetail(c->device_id, purpose));
      audit(c->customer_id, "customer.device_key_locked", DeviceDetail(c->device_id));
    }
  }
}

}  // namespace qb::engine
