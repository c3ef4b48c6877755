// The payment PIN (支付密码): GET /me/security, PUT /me/payment-pin (first set, or change with the
// current PIN), POST /me/payment-pin/reset (an SMS code of purpose reset_pin plus the verified
// resident ID), and RequirePaymentPin, the gate every payment from the balance passes.
//
// Like passwords, a PIN is hashed (argon2id) and verified on a worker, never on an I/O thread
// or the engine thread; the engine only hears "right" or "wrong" (RecordPinAttempt, or
// SetPaymentPin for a change) and keeps the count, the lock and its escalation, journaled, so a
// lockout survives restarts and replays the same way. The lock is also checked here from the
// engine's copy before any argon2id work, but the engine's answer is the authority: a locked
// PIN is refused even when it is right.
//
// Customers who never set a PIN pay as before (the H5 app asks them to set one; a real rollout
// would make it mandatory). Payments the merchant takes by payment code or NFC stay 免密 within
// the small-payment caps the customer chose; larger ones wait for the customer's confirmation.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "engine/state_machine.h"
#include "identity/otp.h"
#include "identity/password.h"
#include "identity/phone.h"
#include "identity/resident_id.h"
#include "mfa/payment_pin.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/sessions.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using identity::IdentityResult;

constexpr size_t kMaxPinInputChars = 16;  // Longer is not six digits either; bounded anyway.
constexpr size_t kMaxResidentIdInputChars = 32;

// What the PIN routes need from the engine, copied on the engine thread.
struct PinCopy {
  bool found = false;
  std::string phone;
  std::string pin_hash;
  int64_t locked_until_ns = 0;
  uint32_t tries_left = 0;
  bool verified = false;
  std::string id_sealed;
  identity::TotpState totp = identity::TotpState::kOff;  // Two-step log-in (totp_routes.cc).
  size_t recovery_codes_left = 0;
};

void ReadPin(WalletContext& context, uint64_t customer_id, const Responder& respond,
             std::function<void(PinCopy)> then) {
  ReadEngine<PinCopy>(
      context, respond,
      [customer_id](const engine::StateMachine& state) {
        PinCopy copy;
        const identity::Customer* c = state.customers().FindById(customer_id);
        if (c == nullptr) return copy;
        copy.found = true;
        copy.phone = c->phone;
        copy.pin_hash = c->pin_hash;
        copy.locked_until_ns = c->pin_locked_until_ns;
        copy.tries_left = c->pin_tries_left();
        copy.verified = c->verified();
        if (c->identity) copy.id_sealed = c->identity->id_sealed;
        copy.totp = c->totp_state;
        copy.recovery_codes_left = c->totp_on() ? c->recovery_code_hashes.size() : 0;
        return copy;
      },
      [respond, then = std::move(then)](PinCopy copy) {
        if (!copy.found) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
        then(std::move(copy));
      });
}

bool IsSixDigits(std::string_view pin) {
  return pin.size() == mfa::kPaymentPinDigits &&
         pin.find_first_not_of("0123456789") == std::string_view::npos;
}

HttpResponse PinLocked(int64_t until_ns) {
  const std::string until = Rfc3339(until_ns);
  return ErrorWith(ErrorCode::kPinLocked,
                   "too many wrong payment PINs; paying is locked until " + until,
                   [&](api::JsonObjectWriter& json) { json.String("locked_until", until); });
}

HttpResponse PinWrong(uint64_t tries_left) {
  return ErrorWith(ErrorCode::kPinWrong,
                   "the payment PIN is wrong; " + std::to_string(tries_left) + " tries left",
                   [&](api::JsonObjectWriter& json) {
                     json.Int("tries_left", static_cast<int64_t>(tries_left));
                   });
}

// The answer for a PIN command that did not succeed.
HttpResponse PinRefusal(IdentityResult result, const engine::Reply& reply) {
  if (result == IdentityResult::kPinMismatch) return PinWrong(reply.value);
  if (result == IdentityResult::kPinLocked) {
    return PinLocked(static_cast<int64_t>(reply.value));
  }
  return ErrorResponse(IdentityError(result));
}

// PIN_TOO_WEAK naming the verdict, or nullopt when the policy accepts the PIN.
std::optional<HttpResponse> PinPolicyProblem(std::string_view pin, std::string_view resident_id) {
  const mfa::PaymentPinVerdict verdict = mfa::CheckPaymentPin(pin, resident_id);
  if (verdict == mfa::PaymentPinVerdict::kOk) return std::nullopt;
  const std::string name(mfa::PaymentPinVerdictName(verdict));
  return ErrorWith(ErrorCode::kPinTooWeak, "pin: too easy to guess (" + name + ")",
                   [&](api::JsonObjectWriter& json) { json.String("verdict", name); });
}

// The holder's resident ID in clear for the birth-date rule, or "" when unverified (or the
// blob cannot be opened, which only skips that one rule).
std::string ResidentIdOf(WalletContext& context, uint64_t customer_id, const PinCopy& copy) {
  if (!copy.verified || copy.id_sealed.empty()) return "";
  return Services(context)
      .vault->Decrypt(copy.id_sealed, "resident_id:" + std::to_string(customer_id))
      .value_or("");
}

void AnswerSecurity(WalletContext& context, uint64_t customer_id, int status, Responder respond) {
  ReadPin(context, customer_id, respond, [&context, status, respond](PinCopy copy) {
    const int64_t now_ns = Services(context).clock->NowNs();
    api::JsonObjectWriter json;
    json.Bool("payment_pin_set", !copy.pin_hash.empty());
    if (copy.locked_until_ns > now_ns) {
      json.String("payment_pin_locked_until", Rfc3339(copy.locked_until_ns));
      json.Int("payment_pin_tries_left", 0);
    } else {
      json.Null("payment_pin_locked_until");
      json.Int("payment_pin_tries_left", copy.pin_hash.empty() ? 0 : copy.tries_left);
    }
    json.Bool("identity_verified", copy.verified);
    json.String("totp", copy.totp == identity::TotpState::kOn        ? "on"
                        : copy.totp == identity::TotpState::kPending ? "pending"
                                                                     : "off");
    json.Int("totp_recovery_codes_left", static_cast<int64_t>(copy.recovery_codes_left));
    respond(api::JsonResponse(status, json));
  });
}

// Hashes `pin` on this (worker) thread and submits the change; answers the security view.
void HashAndSet(WalletContext& context, uint64_t customer_id, identity::PinChange change,
                const std::string& pin, const Responder& respond) {
  std::optional<std::string> hash = identity::HashPassword(pin);
  if (!hash) return respond(ErrorResponse(ErrorCode::kOverloaded, "the server is busy; retry"));
  change.pin_hash = std::move(*hash);
  const identity::PinAuthorization how = change.how;
  SubmitCommand(context, engine::SetPaymentPin{customer_id, std::move(change)}, respond,
                [&context, customer_id, how, respond](uint8_t result, const engine::Reply& reply) {
                  const auto code = static_cast<IdentityResult>(result);
                  if (code != IdentityResult::kOk) return respond(PinRefusal(code, reply));
                  LogInfo("payment PIN set", {{"customer_id", std::to_string(customer_id)},
                                              {"how", std::to_string(static_cast<int>(how))}});
                  AnswerSecurity(context, customer_id, 200, respond);
                });
}

// --- PUT /me/payment-pin ---

void PutPin(WalletContext& context, const Principal& principal, HttpRequest&& request,
            Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string pin = reader.RequiredString("pin", kMaxPinInputChars);
  std::optional<std::string> current = reader.OptionalString("current_pin", kMaxPinInputChars);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (!IsSixDigits(pin)) return respond(FieldInvalid("pin", "six digits expected"));
  const uint64_t id = principal.id;
  ReadPin(context, id, respond,
          [&context, id, pin = std::move(pin), current = std::move(current),
           respond](PinCopy copy) mutable {
            if (auto problem = PinPolicyProblem(pin, ResidentIdOf(context, id, copy))) {
              return respond(std::move(*problem));
            }
            identity::PinChange change;
            if (copy.pin_hash.empty()) {
              change.how = identity::PinAuthorization::kFirstSet;
              return (void)RunOnWorker(
                  context,
                  [&context, id, change = std::move(change), pin = std::move(pin), respond] {
                    HashAndSet(context, id, change, pin, respond);
                  },
                  respond);
            }
            if (!current) {
              return respond(ErrorResponse(ErrorCode::kPinRequired,
                                           "current_pin: required to change the payment PIN"));
            }
            if (copy.locked_until_ns > Services(context).clock->NowNs()) {
              return respond(PinLocked(copy.locked_until_ns));
            }
            RunOnWorker(
                context,
                [&context, id, copy = std::move(copy), pin = std::move(pin),
                 current = std::move(*current), respond] {
                  const bool ok =
                      IsSixDigits(current) && identity::VerifyPassword(copy.pin_hash, current);
                  if (!ok) {
                    // Counted like a wrong PIN at a payment, with no new hash made.
                    return SubmitCommand(
                        context, engine::RecordPinAttempt{id, false}, respond,
                        [respond](uint8_t result, const engine::Reply& reply) {
                          respond(PinRefusal(static_cast<IdentityResult>(result), reply));
                        });
                  }
                  identity::PinChange change;
                  change.how = identity::PinAuthorization::kChange;
                  change.current_pin_ok = true;
                  HashAndSet(context, id, std::move(change), pin, respond);
                },
                respond);
          });
}

// --- POST /me/payment-pin/reset ---

void ResetPin(WalletContext& context, const Principal& principal, HttpRequest&& request,
              Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string code = reader.RequiredString("sms_code", 16);
  const std::string resident_id = reader.RequiredString("resident_id", kMaxResidentIdInputChars);
  std::string pin = reader.RequiredString("pin", kMaxPinInputChars);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (code.size() != identity::kOtpDigits || !IsSixDigits(code)) {
    return respond(FieldInvalid("sms_code", "six digits expected"));
  }
  identity::ResidentIdInfo info;
  if (identity::ParseResidentId(resident_id,
                                identity::ChinaDateAt(Services(context).clock->NowNs()),
                                &info) != identity::ResidentIdError::kOk) {
    return respond(Error(ErrorCode::kResidentIdInvalid, "resident_id is not a valid ID number"));
  }
  if (!IsSixDigits(pin)) return respond(FieldInvalid("pin", "six digits expected"));
  if (auto problem = PinPolicyProblem(pin, info.normalized)) return respond(std::move(*problem));
  const uint64_t id = principal.id;
  ReadPin(context, id, respond,
          [&context, id, code, normalized = std::move(info.normalized), pin = std::move(pin),
           respond](PinCopy copy) mutable {
            // Without a verified identity there is nothing to check the ID against.
            if (!copy.verified) {
              return respond(Error(ErrorCode::kIdentityRequired,
                                   "verify your identity first: a PIN reset checks the resident "
                                   "ID against the verified one"));
            }
            identity::PinChange change;
            change.how = identity::PinAuthorization::kReset;
            change.otp_hash = identity::HashOtp(code, copy.phone, *Services(context).otp_pepper);
            change.id_lookup_hash = Services(context).vault->LookupHash(normalized);
            RunOnWorker(
                context,
                [&context, id, change = std::move(change), pin = std::move(pin), respond] {
                  HashAndSet(context, id, change, pin, respond);
                },
                respond);
          });
}

using CustomerHandler = void (*)(WalletContext&, const Principal&, HttpRequest&&, Responder);

}  // namespace

void RequirePaymentPin(WalletContext& context, uint64_t customer_id, std::optional<std::string> pin,
                       const Responder& respond, std::function<void()> proceed) {
  ReadPin(context, customer_id, respond,
          [&context, customer_id, pin = std::move(pin), respond,
           proceed = std::move(proceed)](PinCopy copy) mutable {
            if (copy.pin_hash.empty()) return proceed();  // No PIN set: pays as before.
            if (!pin) {
              return respond(ErrorResponse(ErrorCode::kPinRequired,
                                           "payment_pin: this wallet pays with its payment PIN"));
            }
            if (copy.locked_until_ns > Services(context).clock->NowNs()) {
              return respond(PinLocked(copy.locked_until_ns));
            }
            RunOnWorker(
                context,
                [&context, customer_id, copy = std::move(copy), pin = std::move(*pin), respond,
                 proceed = std::move(proceed)]() mutable {
                  const bool ok = IsSixDigits(pin) && identity::VerifyPassword(copy.pin_hash, pin);
                  SubmitCommand(context, engine::RecordPinAttempt{customer_id, ok}, respond,
                                [respond, proceed = std::move(proceed)](
                                    uint8_t result, const engine::Reply& reply) {
                                  const auto code = static_cast<IdentityResult>(result);
                                  if (code == IdentityResult::kOk) return proceed();
                                  respond(PinRefusal(code, reply));
                                });
                },
                respond);
          });
}

void AddPinRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  auto customer = [shared](CustomerHandler handler) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
      if (principal) handler(*shared, *principal, std::move(request), std::move(respond));
    };
  };
  router.Add("GET", "/api/v1/me/security",
             customer([](WalletContext& c, const Principal& p, HttpRequest&&, Responder a) {
               AnswerSecurity(c, p.id, 200, std::move(a));
             }));
  // Setting or resetting the PIN rotates the session: sessions.h.
  router.Add("PUT", "/api/v1/me/payment-pin", RotatesSession(context, customer(PutPin)));
  router.Add("POST", "/api/v1/me/payment-pin/reset", RotatesSession(context, customer(ResetPin)));
}

}  // namespace qb::wallet
