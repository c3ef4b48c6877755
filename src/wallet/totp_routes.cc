// Two-step log-in (issue 5): TOTP (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits, one step
// either side, never the same step twice) with single-use recovery codes.
//
//   GET    /api/v1/me/totp          the state: off, pending or on, recovery codes left
//   POST   /api/v1/me/totp          starts an enrolment: a fresh secret, shown once (base32 and
//                                   an otpauth:// URI for the authenticator app's QR scan)
//   POST   /api/v1/me/totp/confirm  {code}: the first code turns it on; answers the recovery
//                                   codes, shown once
//   DELETE /api/v1/me/totp          {code} or {recovery_code}: turns it off
// and RequireSecondFactor, the gate POST /api/v1/sessions passes after a right password.
//
// The secret is sealed here (CardVault, bound to the customer) before it reaches the engine, so
// the journal, checkpoints and logs never hold it in clear; it is opened only on a worker, to
// match a code against it. The engine decides what must be decided once, in journal order: a
// matched step must be later than the last used one (two racing requests with one code cannot
// both pass), a recovery code's hash must be unspent, and wrong codes count to a lockout (5
// wrong: 30 minutes). Recovery codes are kept as keyed BLAKE2b hashes (mfa/recovery_codes.h)
// under a pepper derived from the OTP pepper, which lives outside the database.
//
// Confirm and disable are limited like log-ins (auth_rate_limits.h, per address and per
// customer); log-in itself is limited before the password is checked.
#include <sodium.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "identity/phone.h"
#include "mfa/base32.h"
#include "mfa/otpauth.h"
#include "mfa/recovery_codes.h"
#include "mfa/totp.h"
#include "server/log.h"
#include "wallet/auth_rate_limits.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/sessions.h"
#include "wallet/totp_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using identity::IdentityResult;
using identity::TotpState;

constexpr std::string_view kIssuer = "qianbao";

// What the TOTP routes need from the engine, copied on the engine thread.
struct TotpCopy {
  bool found = false;
  std::string phone;
  TotpState state = TotpState::kOff;
  std::string secret_sealed;
  int64_t last_step = identity::kNoTotpStep;
  std::vector<std::string> recovery_hashes;
  int64_t locked_until_ns = 0;
};

void ReadTotp(WalletContext& context, uint64_t customer_id, const Responder& respond,
              std::function<void(TotpCopy)> then) {
  ReadEngine<TotpCopy>(
      context, respond,
      [customer_id](const engine::StateMachine& state) {
        TotpCopy copy;
        const identity::Customer* c = state.customers().FindById(customer_id);
        if (c == nullptr) return copy;
        copy.found = true;
        copy.phone = c->phone;
        copy.state = c->totp_state;
        copy.secret_sealed = c->totp_secret_sealed;
        copy.last_step = c->totp_last_step;
        copy.recovery_hashes = c->recovery_code_hashes;
        copy.locked_until_ns = c->totp_locked_until_ns;
        return copy;
      },
      [respond, then = std::move(then)](TotpCopy copy) {
        if (!copy.found) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
        then(std::move(copy));
      });
}

std::string SealContext(uint64_t customer_id) { return "totp:" + std::to_string(customer_id); }

std::string_view StateName(TotpState state) {
  switch (state) {
    case TotpState::kOff:
      return "off";
    case TotpState::kPending:
      return "pending";
    case TotpState::kOn:
      return "on";
  }
  return "off";
}

// The recovery codes' pepper: a BLAKE2b-256 subkey of the OTP pepper, so it lives outside the
// database like the OTP pepper and needs no key of its own.
identity::SecretKey RecoveryPepper(const WalletContext& context) {
  static constexpr std::string_view kLabel = "qianbao recovery codes v1";
  unsigned char derived[identity::SecretKey::kSize];
  crypto_generichash(derived, sizeof derived, reinterpret_cast<const unsigned char*>(kLabel.data()),
                     kLabel.size(), Services(context).otp_pepper->data(),
                     identity::SecretKey::kSize);
  std::optional<identity::SecretKey> key = identity::SecretKey::FromBytes(
      std::string_view(reinterpret_cast<const char*>(derived), sizeof derived));
  sodium_memzero(derived, sizeof derived);
  QB_ASSERT(key.has_value());
  return std::move(*key);
}

HttpResponse TotpLocked(int64_t until_ns) {
  const std::string until = Rfc3339(until_ns);
  return ErrorWith(ErrorCode::kTotpLocked,
                   "too many wrong codes; two-step log-in is locked until " + until,
                   [&](api::JsonObjectWriter& json) { json.String("locked_until", until); });
}

HttpResponse TotpInvalid(uint64_t tries_left) {
  return ErrorWith(
      ErrorCode::kTotpInvalid,
      "the code is wrong or was used already; " + std::to_string(tries_left) + " tries left",
      [&](api::JsonObjectWriter& json) {
        json.Int("tries_left", static_cast<int64_t>(tries_left));
      });
}

HttpResponse TotpRefusal(IdentityResult result, const engine::Reply& reply) {
  if (result == IdentityResult::kTotpInvalid) return TotpInvalid(reply.value);
  if (result == IdentityResult::kTotpLocked) return TotpLocked(static_cast<int64_t>(reply.value));
  return ErrorResponse(IdentityError(result));
}

HttpResponse StateResponse(int status, const TotpCopy& copy, int64_t now_ns) {
  api::JsonObjectWriter json;
  json.String("state", StateName(copy.state));
  json.Int("recovery_codes_left",
           copy.state == TotpState::kOn ? static_cast<int64_t>(copy.recovery_hashes.size()) : 0);
  if (copy.locked_until_ns > now_ns) {
    json.String("locked_until", Rfc3339(copy.locked_until_ns));
  } else {
    json.Null("locked_until");
  }
  HttpResponse response = api::JsonResponse(status, json);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// On a worker: what the offered factor proves against the customer's sealed secret and
// recovery-code hashes. A code that cannot be checked (the secret does not open) is wrong.
identity::TotpUse MatchFactor(const WalletContext& context, uint64_t customer_id,
                              const TotpCopy& copy, const SecondFactor& factor) {
  identity::TotpUse use;
  if (factor.totp_code) {
    std::optional<std::string> secret =
        Services(context).vault->Decrypt(copy.secret_sealed, SealContext(customer_id));
    if (!secret) {
      LogWarn("TOTP secret does not open", {{"customer_id", std::to_string(customer_id)}});
      return use;
    }
    const int64_t now_s = Services(context).clock->NowNs() / kNsPerSecond;
    std::optional<int64_t> step = mfa::MatchTotp(*secret, *factor.totp_code, now_s, copy.last_step);
    sodium_memzero(secret->data(), secret->size());
    if (step) {
      use.proof = identity::TotpProof::kStep;
      use.step = *step;
    }
    return use;
  }
  if (factor.recovery_code) {
    const identity::SecretKey pepper = RecoveryPepper(context);
    std::optional<size_t> index =
        mfa::MatchRecoveryCode(*factor.recovery_code, copy.recovery_hashes, pepper);
    if (index) {
      use.proof = identity::TotpProof::kRecoveryCode;
      use.recovery_code_hash = copy.recovery_hashes[*index];
    }
  }
  return use;
}

// Checks the factor on a worker and spends it in the engine; `proceed` on success.
void CheckFactor(WalletContext& context, uint64_t customer_id, TotpCopy copy, SecondFactor factor,
                 bool disable, const Responder& respond, std::function<void()> proceed) {
  if (copy.state != TotpState::kOn) {
    return respond(ErrorResponse(IdentityError(IdentityResult::kTotpNotEnabled)));
  }
  if (copy.locked_until_ns > Services(context).clock->NowNs()) {
    return respond(TotpLocked(copy.locked_until_ns));
  }
  RunOnWorker(
      context,
      [&context, customer_id, copy = std::move(copy), factor = std::move(factor), disable, respond,
       proceed = std::move(proceed)]() mutable {
        identity::TotpUse use = MatchFactor(context, customer_id, copy, factor);
        use.disable = disable;
        SubmitCommand(
            context, engine::UseTotp{customer_id, std::move(use)}, respond,
            [respond, proceed = std::move(proceed)](uint8_t result, const engine::Reply& reply) {
              const auto code = static_cast<IdentityResult>(result);
              if (code == IdentityResult::kOk) return proceed();
              respond(TotpRefusal(code, reply));
            });
      },
      respond);
}

bool IsSixDigits(std::string_view code) {
  return code.size() == mfa::kTotpDigits &&
         code.find_first_not_of("0123456789") == std::string_view::npos;
}

// --- POST /me/totp ---

void BeginEnrolment(WalletContext& context, const Principal& principal, Responder respond) {
  const uint64_t id = principal.id;
  ReadTotp(context, id, respond, [&context, id, respond](TotpCopy copy) {
    if (copy.state == TotpState::kOn) {
      return respond(ErrorResponse(IdentityError(IdentityResult::kTotpAlreadyEnabled)));
    }
    std::string secret = mfa::GenerateTotpSecret();
    std::optional<std::string> uri =
        mfa::MakeTotpUri(kIssuer, identity::MaskPhone(copy.phone), secret);
    if (!uri) return respond(ErrorResponse(ErrorCode::kInternal, "the URI could not be made"));
    std::string sealed = Services(context).vault->Encrypt(secret, SealContext(id));
    std::string base32 = mfa::Base32Encode(secret);
    sodium_memzero(secret.data(), secret.size());
    SubmitCommand(context, engine::BeginTotpEnrolment{id, std::move(sealed)}, respond,
                  [id, uri = std::move(*uri), base32 = std::move(base32), respond](
                      uint8_t result, const engine::Reply& reply) {
                    const auto code = static_cast<IdentityResult>(result);
                    if (code != IdentityResult::kOk) return respond(TotpRefusal(code, reply));
                    LogInfo("TOTP enrolment started", {{"customer_id", std::to_string(id)}});
                    api::JsonObjectWriter json;
                    json.String("state", "pending");
                    json.String("secret", base32);
                    json.String("otpauth_uri", uri);
                    json.String("issuer", kIssuer);
                    json.Int("digits", static_cast<int64_t>(mfa::kTotpDigits));
                    json.Int("period", mfa::kTotpStepSeconds);
                    HttpResponse response = api::JsonResponse(201, json);
                    response.headers.emplace_back("Cache-Control", "no-store");
                    respond(std::move(response));
                  });
  });
}

// --- POST /me/totp/confirm ---

void Confirm(WalletContext& context, const Principal& principal, HttpRequest&& request,
             Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string code = reader.RequiredString("code", kMaxTotpCodeChars);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (!IsSixDigits(code)) return respond(FieldInvalid("code", "six digits expected"));
  const uint64_t id = principal.id;
  if (!AdmitAuthAttempt(context, AuthAction::kCustomerLogIn, request, SealContext(id), respond)) {
    return;
  }
  ReadTotp(context, id, respond, [&context, id, code = std::move(code), respond](TotpCopy copy) {
    if (copy.state == TotpState::kOn) {
      return respond(ErrorResponse(IdentityError(IdentityResult::kTotpAlreadyEnabled)));
    }
    if (copy.state != TotpState::kPending) {
      return respond(ErrorResponse(IdentityError(IdentityResult::kTotpNotPending)));
    }
    RunOnWorker(
        context,
        [&context, id, code, copy = std::move(copy), respond] {
          SecondFactor factor;
          factor.totp_code = code;
          const identity::TotpUse use = MatchFactor(context, id, copy, factor);
          // The enrolling customer holds the secret already: a wrong code here is a typo, not
          // a guess, so it is not counted (the rate limit still bounds it).
          if (use.proof != identity::TotpProof::kStep) {
            return respond(ErrorResponse(ErrorCode::kTotpInvalid, "the code is wrong"));
          }
          mfa::RecoveryCodes codes = mfa::GenerateRecoveryCodes(RecoveryPepper(context));
          SubmitCommand(
              context,
              engine::ConfirmTotp{id, use.step, copy.secret_sealed, std::move(codes.hashes)},
              respond,
              [id, shown = std::move(codes.codes), respond](uint8_t result,
                                                            const engine::Reply& reply) {
                const auto code = static_cast<IdentityResult>(result);
                if (code != IdentityResult::kOk) return respond(TotpRefusal(code, reply));
                LogInfo("TOTP turned on", {{"customer_id", std::to_string(id)}});
                api::JsonArrayWriter list;
                for (const std::string& recovery : shown) list.String(recovery);
                api::JsonObjectWriter json;
                json.String("state", "on");
                json.Array("recovery_codes", std::move(list));
                HttpResponse response = api::JsonResponse(200, json);
                response.headers.emplace_back("Cache-Control", "no-store");
                respond(std::move(response));
              });
        },
        respond);
  });
}

// --- DELETE /me/totp ---

// Reads {"code"} or {"recovery_code"} (exactly one); nullopt after answering the error.
std::optional<SecondFactor> ReadFactor(api::ObjectReader& reader, std::string_view code_field,
                                       const Responder& respond) {
  SecondFactor factor;
  factor.totp_code = reader.OptionalString(code_field, kMaxTotpCodeChars);
  factor.recovery_code = reader.OptionalString("recovery_code", kMaxRecoveryCodeChars);
  if (auto error = reader.Finish()) {
    respond(ErrorResponse(*error));
    return std::nullopt;
  }
  if (factor.totp_code.has_value() == factor.recovery_code.has_value()) {
    respond(FieldInvalid(code_field, "send either it or recovery_code"));
    return std::nullopt;
  }
  return factor;
}

void Disable(WalletContext& context, const Principal& principal, HttpRequest&& request,
             Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::optional<SecondFactor> factor = ReadFactor(reader, "code", respond);
  if (!factor) return;
  const uint64_t id = principal.id;
  if (!AdmitAuthAttempt(context, AuthAction::kCustomerLogIn, request, SealContext(id), respond)) {
    return;
  }
  ReadTotp(context, id, respond,
           [&context, id, factor = std::move(*factor), respond](TotpCopy copy) mutable {
             CheckFactor(context, id, std::move(copy), std::move(factor), /*disable=*/true, respond,
                         [&context, id, respond] {
                           LogInfo("TOTP turned off", {{"customer_id", std::to_string(id)}});
                           ReadTotp(context, id, respond, [&context, respond](TotpCopy after) {
                             respond(StateResponse(200, after, Services(context).clock->NowNs()));
                           });
                         });
           });
}

using CustomerHandler = void (*)(WalletContext&, const Principal&, HttpRequest&&, Responder);

}  // namespace

void RequireSecondFactor(WalletContext& context, uint64_t customer_id, SecondFactor factor,
                         const Responder& respond, std::function<void()> proceed) {
  ReadTotp(context, customer_id, respond,
           [&context, customer_id, factor = std::move(factor), respond,
            proceed = std::move(proceed)](TotpCopy copy) mutable {
             if (copy.state != TotpState::kOn) return proceed();
             if (!factor.totp_code && !factor.recovery_code) {
               return respond(ErrorResponse(
                   ErrorCode::kTotpRequired,
                   "two-step log-in is on: send totp_code (6 digits) or recovery_code"));
             }
             CheckFactor(context, customer_id, std::move(copy), std::move(factor),
                         /*disable=*/false, respond, std::move(proceed));
           });
}

void RequireTotpCode(WalletContext& context, uint64_t customer_id, std::string code,
                     const Responder& respond, std::function<void()> proceed) {
  ReadTotp(context, customer_id, respond,
           [&context, customer_id, code = std::move(code), respond,
            proceed = std::move(proceed)](TotpCopy copy) mutable {
             SecondFactor factor;
             factor.totp_code = std::move(code);
             CheckFactor(context, customer_id, std::move(copy), std::move(factor),
                         /*disable=*/false, respond, std::move(proceed));
           });
}

void AddTotpRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  auto customer = [shared](CustomerHandler handler) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
      if (principal) handler(*shared, *principal, std::move(request), std::move(respond));
    };
  };
  router.Add("GET", "/api/v1/me/totp",
             customer([](WalletContext& c, const Principal& p, HttpRequest&&, Responder r) {
               ReadTotp(c, p.id, r, [&c, r](TotpCopy copy) {
                 r(StateResponse(200, copy, Services(c).clock->NowNs()));
               });
             }));
  router.Add("POST", "/api/v1/me/totp",
             customer([](WalletContext& c, const Principal& p, HttpRequest&&, Responder r) {
               BeginEnrolment(c, p, std::move(r));
             }));
  // Turning two-step log-in on or off rotates the session: sessions.h.
  router.Add("POST", "/api/v1/me/totp/confirm", RotatesSession(context, customer(Confirm)));
  router.Add("DELETE", "/api/v1/me/totp", RotatesSession(context, customer(Disable)));
}

}  // namespace qb::wallet
