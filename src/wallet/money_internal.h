// What money_routes.cc, identity_card_routes.cc and history_routes.cc share: engine access,
// the error helper, China time constants and the per-file route registration. Private to the
// wallet module, like wallet_internal.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "api/errors.h"
#include "engine/state_machine.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {

inline constexpr int64_t kNsPerSecond = 1'000'000'000;
inline constexpr int64_t kChinaOffsetSeconds = 8 * 3600;

// --- Engine access ---

// Runs `read` on the engine thread at its place in the command order, then `then` with the copy
// it made once everything before it is durable. An engine refusal answers through `respond`.
template <typename T>
void ReadEngine(WalletContext& context, const Responder& respond,
                std::function<T(const engine::StateMachine&)> read, std::function<void(T)> then) {
  auto value = std::make_shared<std::optional<T>>();
  engine::Query query{
      [value, read = std::move(read)](const engine::StateMachine& state) { *value = read(state); }};
  Services(context).engine->Submit(
      std::move(query), [value, respond, then = std::move(then)](engine::Reply&& reply) {
        if (reply.status != engine::ReplyStatus::kOk || !value->has_value()) {
          respond(EngineFailureResponse(reply));
          return;
        }
        then(std::move(**value));
      });
}

// Submits a command and calls `then` with its single result code; refusals answer `respond`.
inline void SubmitCommand(WalletContext& context, engine::Command command, const Responder& respond,
                          std::function<void(uint8_t result, const engine::Reply&)> then) {
  Services(context).engine->Submit(
      std::move(command), [respond, then = std::move(then)](engine::Reply&& reply) {
        if (reply.status != engine::ReplyStatus::kOk || reply.results.size() != 1) {
          respond(EngineFailureResponse(reply));
          return;
        }
        then(reply.results[0], reply);
      });
}

// A customer as the engine holds them, with their wallet and tier policy.
struct CustomerSnapshot {
  identity::Customer customer;
  ledger::Account wallet;
  identity::TierPolicy policy;
};

inline void ReadCustomer(WalletContext& context, uint64_t customer_id, const Responder& respond,
                         std::function<void(CustomerSnapshot)> then) {
  ReadEngine<std::optional<CustomerSnapshot>>(
      context, respond,
      [customer_id](const engine::StateMachine& state) -> std::optional<CustomerSnapshot> {
        const identity::Customer* customer = state.customers().FindById(customer_id);
        if (customer == nullptr) return std::nullopt;
        const ledger::Account* wallet = state.ledger().FindAccount(customer->wallet_account_id);
        if (wallet == nullptr) return std::nullopt;
        return CustomerSnapshot{*customer, *wallet, state.tier_policies().For(customer->tier)};
      },
      [respond, then = std::move(then)](std::optional<CustomerSnapshot> snapshot) {
        // A live session always belongs to a registered customer with a wallet.
        if (!snapshot) {
          respond(api::ErrorResponse(api::ErrorCode::kInternal, "the customer could not be read"));
          return;
        }
        then(std::move(*snapshot));
      });
}

// --- Answers ---

inline HttpResponse Error(api::ErrorCode code, std::string message) {
  return api::ErrorResponse(code, std::move(message));
}

// LIMIT_EXCEEDED with the contract's extra member: {"error":{"code","message","limit"}}.
HttpResponse LimitExceeded(std::string_view limit, std::string message);

// --- Idempotency-Key (money_routes.cc) ---

// 428-style IDEMPOTENCY_KEY_REQUIRED through `respond` when the header is missing.
bool RequireIdempotencyKey(const HttpRequest& request, const Responder& respond);
// Starts the idempotent handling of a money POST for `owner` (a caller's namespace for keys,
// e.g. "17" for customer 17, "m3" for merchant 3): the responder that records the answer, or
// nullopt after answering a replay, a conflict or a malformed key.
std::optional<Responder> BeginIdempotent(WalletContext& context, const HttpRequest& request,
                                         const std::string& owner, const Responder& respond);
// A transfer id from (owner id, Idempotency-Key, purpose), so a retry after a restart meets the
// ledger's own idempotency.
uint64_t DeriveTransferId(uint64_t customer_id, std::string_view key, std::string_view purpose);
uint64_t IdFromDigest(const Digest& digest);

// --- The payment PIN (pin_routes.cc) ---

// The most a "payment_pin" field may hold (a PIN is six digits; longer is simply wrong).
inline constexpr size_t kMaxPaymentPinChars = 16;
// The gate of every payment from the customer's balance: calls `proceed` when the customer has
// no PIN, or when `pin` is right and the engine recorded it (not locked). Otherwise answers
// PIN_REQUIRED, PIN_WRONG (tries left) or PIN_LOCKED (until when) through `respond`, and nothing
// moves. The PIN is verified on a worker; `proceed` runs on the engine's reply thread.
void RequirePaymentPin(WalletContext& context, uint64_t customer_id, std::optional<std::string> pin,
                       const Responder& respond, std::function<void()> proceed);

// --- Route registration, called by AddMoneyRoutes ---

// GET /me/balance, POST /me/identity, GET/POST /me/cards, DELETE /me/cards/{card_id}.
void AddIdentityCardRoutes(Router& router, WalletContext& context);  // identity_card_routes.cc
// GET /me/history.
void AddHistoryRoutes(Router& router, WalletContext& context);  // history_routes.cc
// GET /me/security, PUT /me/payment-pin, POST /me/payment-pin/reset.
void AddPinRoutes(Router& router, WalletContext& context);  // pin_routes.cc

}  // namespace qb::wallet
