// PBoC 2015 No. 43 at the API (the engine holds the rules: identity/tier_limits.h,
// RequiredStrength): which device pays, the factors a payment from the balance may carry, and
// the CHALLENGE_REQUIRED answer. Private to the wallet module, like wallet_internal.h.
//
// A payment, a transfer or the confirmation of a held payment may carry, besides its PIN:
//   "sms_code":         6 digits sent with POST /api/v1/otp {"purpose": "payment"}
//   "totp_code":        6 digits from the authenticator app (two-step log-in must be on)
//   "device_signature": {"device_id","nonce","signature"} over a payment_confirmation
//                       challenge (device_factor.h); only when confirming a held payment,
//                       since the challenge binds the payment's id and amount.
// An SMS or TOTP code makes the payment two-factor; a device signature is the strongest.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/json_reader.h"
#include "engine/command.h"
#include "identity/tier_limits.h"
#include "server/http_server.h"
#include "wallet/device_factor.h"

namespace qb::wallet {

struct WalletContext;

// The app names the device it runs on with a random id it keeps (1-64 of [A-Za-z0-9_-]).
inline constexpr std::string_view kDeviceIdHeader = "X-Device-Id";

// The request's device id, or "" when it sends none (or a malformed one).
std::string DeviceIdOf(const HttpRequest& request);
// The keyed hash the engine remembers a device by (never the id itself); "" for "".
std::string DeviceHash(WalletContext& context, std::string_view device_id);
// The keyed hash the risk engine knows a client's IP address by (never the address itself):
// of the address reduced as the rate limits key it (an IPv6 /64, a v4-mapped address as IPv4);
// "" for an address that does not parse.
std::string IpHash(WalletContext& context, std::string_view remote_address);

// How audit entries name the network a request came from, as their "ip" field: the first 16 hex
// digits of IpHash, or "" when the address does not parse. The engine's log-in entries use the
// same field, so GET /api/v1/staff/audit?ip= finds an address's entries of either kind.
std::string AuditIpTag(WalletContext& context, std::string_view remote_address);

struct PaymentFactors {
  std::optional<std::string> sms_code;
  std::optional<std::string> totp_code;
  std::optional<DeviceSignature> device_signature;
};

// Reads the optional factor fields; problems surface through reader.Finish() and then
// FactorProblem.
PaymentFactors ReadPaymentFactors(api::ObjectReader& reader);
// 400 FIELD_INVALID for a code that is not six digits.
std::optional<HttpResponse> FactorProblem(const PaymentFactors& factors);

// Checks the TOTP code (its step is spent in the engine) or the device signature, hashes the
// SMS code for the engine to consume, and calls `proceed` with the PaymentAuth for the command.
// `device_context` is what a device signature must be bound to (PaymentChallengeContext of the
// held payment, TransferChallengeContext of a transfer), "" where none can be. Refusals answer
// through `respond`.
void AuthenticatePayment(WalletContext& context, uint64_t customer_id, const HttpRequest& request,
                         PaymentFactors factors, std::string device_context,
                         const Responder& respond,
                         std::function<void(engine::PaymentAuth)> proceed);

// 403 {"error": {"code": "CHALLENGE_REQUIRED", "message", "needed", "factors": [...]
// [, "payment_id", "expires_at"]}}: `needed` is "two_factors" or "device_key"; `factors` the
// fields that would do. payment_id 0: nothing is held (a transfer), so the request is to be
// repeated, under a new Idempotency-Key, with a factor; `transfer` offers a device signature
// over that repeat (device_factor.h, TransferChallengeContext).
HttpResponse ChallengeRequired(identity::AuthStrength needed, uint64_t payment_id,
                               int64_t expires_ns, bool transfer = false);

}  // namespace qb::wallet
