// Device-key step-up as the other route files see it (issue 5). Private to the wallet module,
// like wallet_internal.h; implemented in device_key_routes.cc.
//
// A request that needs a device signature (a held payment's confirmation, a security change)
// carries an optional member
//   "device_signature": {"device_id": "17", "nonce": "<64 hex>", "signature": "<86 base64url>"}
// or, for a WebAuthn key, also "authenticator_data" and "client_data_json" (base64url) with the
// assertion's signature as "signature"
// answering a challenge the customer asked for beforehand (POST
// /api/v1/me/device-keys/{device_id}/challenge). The device id travels as a decimal string,
// like every other id in the API; a JSON integer is accepted too.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "api/json_reader.h"
#include "mfa/device_key.h"
#include "server/http_server.h"
#include "server/routes.h"

namespace qb::wallet {

struct WalletContext;

struct DeviceSignature {
  uint64_t device_id = 0;
  std::string nonce_hex;  // 64 lower-case hex digits
  std::string signature;  // base64url, no padding (86 characters)
  // WebAuthn answers only (base64url, both or neither).
  std::string authenticator_data{};
  std::string client_data_json{};
};

// Reads the optional "device_signature" object from `reader`'s body and marks it read. nullopt
// when absent (or null) or malformed; a malformed one leaves FIELD_REQUIRED / FIELD_INVALID /
// UNKNOWN_FIELD as the reader's error, so reader.Finish() reports it.
std::optional<DeviceSignature> ReadDeviceSignature(api::ObjectReader& reader);

// Verifies `signature` as the answer to an outstanding challenge of `purpose` whose context is
// `expected_context`, issued for one of `customer_id`'s active device keys (engine command 50,
// AnswerDeviceChallenge, which consumes the challenge). Calls `proceed` on the engine's reply
// thread on success; otherwise answers through `respond` with DEVICE_KEY_NOT_FOUND (not this
// customer's key), DEVICE_KEY_SUSPENDED, CHALLENGE_INVALID (unknown nonce, or one for another
// device, purpose or context), CHALLENGE_REPLAYED, CHALLENGE_EXPIRED or DEVICE_SIGNATURE_INVALID
// (counted towards the device's lockout; the fifth suspends the key).
void RequireDeviceSignature(WalletContext& context, uint64_t customer_id,
                            const DeviceSignature& signature, mfa::ChallengePurpose purpose,
                            std::string expected_context, const Responder& respond,
                            std::function<void()> proceed);

// The context a payment confirmation challenge binds: ASCII "payment:<payment_id>:<amount_fen>".
std::string PaymentChallengeContext(uint64_t payment_id, int64_t amount_fen);
// The context a transfer's challenge binds: ASCII "transfer:<key>:<to_phone>:<amount_fen>", where
// <key> is the first 16 hex digits of the digest of the Idempotency-Key the transfer will be
// sent with. A transfer holds nothing while it waits, so the signature binds what will be sent:
// the payee, the amount and the one request that may carry it.
std::string TransferChallengeContext(std::string_view idempotency_key, std::string_view to_phone,
                                     int64_t amount_fen);

// Opens a customer session after a device-key log-in, exactly as POST /api/v1/sessions does
// after a right password (and second factor): 201 {"token","expires_at","customer"}.
// Implemented in auth_routes.cc.
void IssueDeviceLogInSession(WalletContext& context, uint64_t customer_id,
                             const HttpRequest& request, Responder respond);

// POST/GET /api/v1/me/device-keys, DELETE /api/v1/me/device-keys/{device_id},
// POST /api/v1/me/device-keys/challenge, POST /api/v1/me/device-keys/{device_id}/challenge,
// POST /api/v1/auth/device-challenge and POST /api/v1/auth/device-login.
void AddDeviceKeyRoutes(Router& router, WalletContext& context);

}  // namespace qb::wallet
