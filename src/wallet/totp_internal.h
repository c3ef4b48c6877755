// Two-step log-in (TOTP) as the other route files see it. Private to the wallet module, like
// wallet_internal.h; implemented in totp_routes.cc.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "server/http_server.h"

namespace qb::wallet {

struct WalletContext;

// The second factor a log-in request may carry: "totp_code" (6 digits) or "recovery_code".
struct SecondFactor {
  std::optional<std::string> totp_code;
  std::optional<std::string> recovery_code;
};
inline constexpr size_t kMaxTotpCodeChars = 16;
inline constexpr size_t kMaxRecoveryCodeChars = 32;

// The log-in gate after a right password: calls `proceed` when the customer has two-step log-in
// off, or when the code (or an unspent recovery code) is right and the engine accepted its step
// (never one used before) or spent the recovery code. Otherwise answers TOTP_REQUIRED,
// TOTP_INVALID (counted) or TOTP_LOCKED through `respond`. The secret is opened and the code
// matched on a worker; `proceed` runs on the engine's reply thread.
void RequireSecondFactor(WalletContext& context, uint64_t customer_id, SecondFactor factor,
                         const Responder& respond, std::function<void()> proceed);

// A TOTP code offered as the second factor of a payment: calls `proceed` when two-step log-in
// is on and the code is right for a step never used before (spent in the engine); otherwise
// TOTP_NOT_ENABLED, TOTP_INVALID (counted) or TOTP_LOCKED. Recovery codes do not pay.
void RequireTotpCode(WalletContext& context, uint64_t customer_id, std::string code,
                     const Responder& respond, std::function<void()> proceed);

// GET/POST/DELETE /api/v1/me/totp and POST /api/v1/me/totp/confirm.
void AddTotpRoutes(Router& router, WalletContext& context);

}  // namespace qb::wallet
