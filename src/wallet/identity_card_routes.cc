// The customer's balance, identity verification and card routes (api_contract.md, "Customer:
// wallet"). Registered by AddMoneyRoutes (money_routes.cc) through AddIdentityCardRoutes.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/digest.h"
#include "engine/state_machine.h"
#include "identity/card.h"
#include "identity/identity_verifier.h"
#include "identity/resident_id.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/sessions.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

constexpr size_t kMaxCardNumberChars = 40;
constexpr size_t kMaxRealNameInputChars = 64;  // IsPlausibleRealName decides; this bounds work.
constexpr size_t kMaxResidentIdInputChars = 32;

// --- Derived ids ---

// The bank binding's request id: the same card for the same customer is the same request, so a
// retried binding gets the token issued the first time.
std::string BindingRequestId(uint64_t customer_id, std::string_view pan_lookup_hash) {
  Hasher hasher;
  hasher.Update("qianbao/wallet/card-binding/v1");
  hasher.UpdateU64(customer_id);
  hasher.Update(pan_lookup_hash);
  return "bind-" + DigestHex(hasher.Finish()).substr(0, 32);
}

// --- Balance ---

void GetBalance(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  ReadCustomer(context, principal->id, respond, [respond](CustomerSnapshot snapshot) {
    respond(api::JsonResponse(200, BalanceJson(snapshot.wallet)));
  });
}

// --- Identity ---

// "1101**********1234": the first 4 and last 4 of the 18 characters.
std::string MaskIdForDisplay(std::string_view normalized) {
  return std::string(normalized.substr(0, 4)) + std::string(normalized.size() - 8, '*') +
         std::string(normalized.substr(normalized.size() - 4));
}

HttpResponse VerificationError(identity::VerificationResult result) {
  switch (result) {
    case identity::VerificationResult::kNameMismatch:
      return Error(ErrorCode::kIdentityMismatch, "the name does not match the resident ID");
    case identity::VerificationResult::kIdNotFound:
      return Error(ErrorCode::kIdentityNotFound, "the resident ID was not found");
    case identity::VerificationResult::kUnavailable:
    case identity::VerificationResult::kVerified:
      break;
  }
  return Error(ErrorCode::kVerifierUnavailable, "identity verification is unavailable; retry");
}

void RecordIdentity(WalletContext& context, uint64_t customer_id, std::string real_name,
                    const std::string& resident_id, Responder respond) {
  const WalletServices& services = Services(context);
  engine::VerifyIdentity command;
  command.customer_id = customer_id;
  command.identity.real_name = std::move(real_name);
  command.identity.id_sealed =
      services.vault->Encrypt(resident_id, "resident_id:" + std::to_string(customer_id));
  command.identity.id_lookup_hash = services.vault->LookupHash(resident_id);
  command.identity.id_masked = MaskIdForDisplay(resident_id);
  // The birth date, for age-band campaigns: the one part of the number kept unsealed.
  identity::ResidentIdInfo info;
  if (identity::ParseResidentId(resident_id, identity::ChinaDateAt(services.clock->NowNs()),
                                &info) == identity::ResidentIdError::kOk) {
    command.identity.birth_date = identity::PackDate(info.birth_date);
  }
  SubmitCommand(
      context, std::move(command), respond,
      [&context, customer_id, respond](uint8_t result, const engine::Reply&) {
        const auto code = static_cast<identity::IdentityResult>(result);
        if (code != identity::IdentityResult::kOk) {
          respond(ErrorResponse(IdentityError(code)));
          return;
        }
        ReadCustomer(context, customer_id, respond, [&context, respond](CustomerSnapshot snapshot) {
          const int64_t now_ns = Services(context).clock->NowNs();
          respond(api::JsonResponse(200, CustomerJson(snapshot.customer, snapshot.policy, now_ns)));
        });
      });
}

void PostIdentity(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string real_name = reader.RequiredString("real_name", kMaxRealNameInputChars);
  std::string resident_id = reader.RequiredString("resident_id", kMaxResidentIdInputChars);
  if (std::optional<api::ApiError> error = reader.Finish()) return respond(ErrorResponse(*error));
  if (!identity::IsPlausibleRealName(real_name)) {
    return respond(Error(ErrorCode::kRealNameInvalid, "real_name is not a plausible real name"));
  }
  identity::ResidentIdInfo info;
  if (identity::ParseResidentId(resident_id,
                                identity::ChinaDateAt(Services(context).clock->NowNs()),
                                &info) != identity::ResidentIdError::kOk) {
    return respond(Error(ErrorCode::kResidentIdInvalid, "resident_id is not a valid ID number"));
  }
  const uint64_t customer_id = principal->id;
  // Asking the verifier costs money and time: a verified customer is refused before it.
  ReadCustomer(
      context, customer_id, respond,
      [&context, customer_id, respond, real_name = std::move(real_name),
       id = std::move(info.normalized)](CustomerSnapshot snapshot) mutable {
        if (snapshot.customer.verified()) {
          return respond(Error(ErrorCode::kAlreadyVerified, "your identity is already verified"));
        }
        RunOnWorker(
            context,
            [&context, customer_id, respond, real_name = std::move(real_name),
             id = std::move(id)]() mutable {
              const identity::VerificationResult result =
                  Services(context).verifier->Verify(real_name, id);
              if (result != identity::VerificationResult::kVerified) {
                return respond(VerificationError(result));
              }
              RecordIdentity(context, customer_id, std::move(real_name), id, respond);
            },
            respond);
      });
}

// --- Cards ---

void GetCards(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  ReadCustomer(context, principal->id, respond, [respond](CustomerSnapshot snapshot) {
    api::JsonArrayWriter cards;
    for (const identity::BoundCard& card : snapshot.customer.cards) cards.Object(CardJson(card));
    api::JsonObjectWriter body;
    body.Array("cards", std::move(cards));
    respond(api::JsonResponse(200, body));
  });
}

HttpResponse BindingError(bank::BankResultCode code) {
  switch (code) {
    case bank::BankResultCode::kDeclinedInvalidCard:
    case bank::BankResultCode::kDeclinedCardBlocked:
    case bank::BankResultCode::kDeclinedLimit:
    case bank::BankResultCode::kDeclinedInsufficientFunds:
      return Error(ErrorCode::kBankDeclined,
                   "the bank did not confirm this card for your verified name, ID and phone");
    case bank::BankResultCode::kTimeout:
    case bank::BankResultCode::kUnavailable:
      return Error(ErrorCode::kBankUnavailable, "the bank is unavailable; retry shortly");
    default:
      break;
  }
  LogError("card binding refused", {{"bank_result", bank::BankResultCodeName(code)}});
  return Error(ErrorCode::kInternal, "the card could not be bound");
}

// On a worker: the bank's four-element check, then the binding in the engine.
void BindAtBank(WalletContext& context, uint64_t customer_id, const identity::Customer& customer,
                const std::string& pan, Responder respond) {
  const WalletServices& services = Services(context);
  std::optional<std::string> resident_id = services.vault->Decrypt(
      customer.identity->id_sealed, "resident_id:" + std::to_string(customer_id));
  if (!resident_id) {
    LogError("sealed resident ID does not open", {{"customer", std::to_string(customer_id)}});
    return respond(Error(ErrorCode::kInternal, "the card could not be bound"));
  }
  engine::BindCard command;
  command.customer_id = customer_id;
  identity::BoundCard& card = command.card;
  card.lookup_hash = services.vault->LookupHash(pan);
  const bank::BankResult bound = services.bank->BindCard(
      bank::CardBindingRequest{BindingRequestId(customer_id, card.lookup_hash), pan,
                               customer.identity->real_name, *resident_id, customer.phone});
  if (!bound.approved()) return respond(BindingError(bound.code));
  card.pan_sealed = services.vault->Encrypt(pan, "card:" + std::to_string(customer_id));
  card.first6 = pan.substr(0, 6);
  card.last4 = pan.substr(pan.size() - 4);
  card.bank_code = std::string(identity::CardBrandAndBank(pan).bank_code);
  card.bank_token = bound.bank_reference;
  identity::BoundCard shown = card;
  SubmitCommand(
      context, std::move(command), respond,
      [respond, shown = std::move(shown)](uint8_t result, const engine::Reply& reply) mutable {
        const auto code = static_cast<identity::IdentityResult>(result);
        if (code != identity::IdentityResult::kOk) {
          return respond(ErrorResponse(IdentityError(code)));
        }
        shown.id = reply.value;
        shown.bound_ns = reply.batch_time_ns;
        respond(api::JsonResponse(201, CardJson(shown)));
      });
}

void PostCard(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string number = reader.RequiredString("card_number", kMaxCardNumberChars);
  if (std::optional<api::ApiError> error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<std::string> pan = identity::NormalizePan(number);
  if (!pan) {
    return respond(Error(ErrorCode::kCardInvalid, "card_number is not a valid card number"));
  }
  const uint64_t customer_id = principal->id;
  ReadCustomer(
      context, customer_id, respond,
      [&context, customer_id, respond, pan = std::move(*pan)](CustomerSnapshot snapshot) {
        const identity::Customer& customer = snapshot.customer;
        if (!customer.verified()) {
          return respond(
              Error(ErrorCode::kIdentityRequired, "verify your identity before binding a card"));
        }
        if (customer.cards.size() >= identity::kMaxCardsPerCustomer) {
          return respond(ErrorResponse(IdentityError(identity::IdentityResult::kCardLimit)));
        }
        RunOnWorker(
            context,
            [&context, customer_id, respond, pan, customer = std::move(snapshot.customer)] {
              BindAtBank(context, customer_id, customer, pan, respond);
            },
            respond);
      });
}

void DeleteCard(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  std::optional<uint64_t> card_id = ParseId(request.PathParam("card_id"));
  if (!card_id) return respond(Error(ErrorCode::kCardNotFound, "no such card"));
  SubmitCommand(context, engine::UnbindCard{principal->id, *card_id}, respond,
                [respond](uint8_t result, const engine::Reply&) {
                  const auto code = static_cast<identity::IdentityResult>(result);
                  if (code != identity::IdentityResult::kOk) {
                    return respond(ErrorResponse(IdentityError(code)));
                  }
                  HttpResponse response;
                  response.status = 204;
                  response.headers.emplace_back("Cache-Control", "no-store");
                  respond(std::move(response));
                });
}

}  // namespace

void AddIdentityCardRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  auto route = [shared](void (*handler)(WalletContext&, HttpRequest&&, Responder)) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      handler(*shared, std::move(request), std::move(respond));
    };
  };
  router.Add("GET", "/api/v1/me/balance", route(GetBalance));
  // Raising the tier (verification, a first card) rotates the session: sessions.h.
  router.Add("POST", "/api/v1/me/identity", RotatesSession(context, route(PostIdentity)));
  router.Add("GET", "/api/v1/me/cards", route(GetCards));
  router.Add("POST", "/api/v1/me/cards", RotatesSession(context, route(PostCard)));
  router.Add("DELETE", "/api/v1/me/cards/{card_id}", route(DeleteCard));
}

}  // namespace qb::wallet
