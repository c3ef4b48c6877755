// NFC (HCE-style): the customer's phone is issued a payment token and a generation of
// limited-use keys (paytoken/nfc_cryptogram.h); a terminal submits token + amount + counter +
// cryptogram through the merchant API. The cryptogram is checked against the engine's token
// state inside a Query; the payment then goes through the engine, which makes the counter rise
// (a replayed tap is refused even if two arrive at once) and applies the small-payment caps.
#include <sodium.h>

#include <memory>
#include <utility>

#include "engine/state_machine.h"
#include "paytoken/nfc_cryptogram.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

// Each key signs one tap (truly limited use); ten taps before the phone refreshes.
constexpr uint32_t kLuksPerGeneration = 10;
constexpr uint32_t kUsesPerLuk = 1;
constexpr int kTokenAttempts = 4;

std::string Hex(const identity::SecretKey& key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < identity::SecretKey::kSize; i++) {
    text.push_back(kDigits[key.data()[i] >> 4]);
    text.push_back(kDigits[key.data()[i] & 0xF]);
  }
  return text;
}

// The token and the current generation's keys, for the phone (shown once per generation).
void AnswerKeys(WalletContext& context, uint64_t customer_id, int status, Responder respond) {
  ReadEngine<std::optional<payments::NfcToken>>(
      context, respond,
      [customer_id](const engine::StateMachine& state) -> std::optional<payments::NfcToken> {
        const payments::NfcToken* token = state.payments().FindNfcTokenOf(customer_id);
        if (token == nullptr) return std::nullopt;
        return *token;
      },
      [&context, status, respond](std::optional<payments::NfcToken> token) {
        if (!token) return respond(PaymentError(PaymentResult::kNfcTokenNotFound));
        const paytoken::NfcTokenState& s = token->state;
        api::JsonArrayWriter keys;
        for (uint32_t i = 0; i < s.luk_count; i++) {
          keys.String(Hex(paytoken::DeriveLimitedUseKey(*Services(context).nfc_issuer_key,
                                                        token->token, s.generation, i)));
        }
        api::JsonObjectWriter body;
        body.String("token", token->token)
            .Int("generation", s.generation)
            .Int("first_atc", s.first_atc)
            .Int("last_atc", s.last_atc)
            .Int("luk_count", s.luk_count)
            .Int("uses_per_luk", s.uses_per_luk)
            .Array("keys", std::move(keys));
        HttpResponse response = api::JsonResponse(status, body);
        response.headers.emplace_back("Cache-Control", "no-store");
        respond(std::move(response));
      });
}

void IssueToken(WalletContext& context, uint64_t customer_id, int attempt, Responder respond) {
  std::string body = "9";
  for (int i = 0; i < 15; i++) body.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  std::optional<std::string> token = paytoken::MakeTokenNumber(body);
  if (!token) return respond(ErrorResponse(ErrorCode::kInternal, "no token number"));
  SubmitCommand(
      context, engine::IssueNfcToken{customer_id, *token, kLuksPerGeneration, kUsesPerLuk}, respond,
      [&context, customer_id, attempt, respond](uint8_t result, const engine::Reply&) {
        const auto code = static_cast<PaymentResult>(result);
        if (code == PaymentResult::kNfcTokenTaken && attempt + 1 < kTokenAttempts) {
          return IssueToken(context, customer_id, attempt + 1, respond);
        }
        if (code != PaymentResult::kOk) return respond(PaymentError(code));
        AnswerKeys(context, customer_id, 201, respond);
      });
}

void Refresh(WalletContext& context, uint64_t customer_id, Responder respond) {
  SubmitCommand(context, engine::RefreshNfcToken{customer_id, kLuksPerGeneration, kUsesPerLuk},
                respond, [&context, customer_id, respond](uint8_t result, const engine::Reply&) {
                  const auto code = static_cast<PaymentResult>(result);
                  if (code != PaymentResult::kOk) return respond(PaymentError(code));
                  AnswerKeys(context, customer_id, 200, respond);
                });
}

HttpResponse NfcError(paytoken::NfcResult result) {
  switch (result) {
    case paytoken::NfcResult::kReplayedCounter:
      return PaymentError(PaymentResult::kNfcReplayed);
    case paytoken::NfcResult::kKeysExhausted:
      return PaymentError(PaymentResult::kNfcKeysExhausted);
    default:
      return PaymentError(PaymentResult::kNfcTokenNotFound);
  }
}

// POST /merchant/nfc-payments: a terminal's tap.
void Tap(WalletContext& context, const MerchantCaller& caller, HttpRequest&& request,
         Responder respond) {
  if (!RequireIdempotencyKey(request, respond)) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string text = reader.RequiredString("request", paytoken::kMaxNfcRequestChars);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<Responder> answer =
      BeginIdempotent(context, request, caller.IdempotencyOwner(), respond);
  if (!answer) return;
  const uint64_t payment_id =
      DeriveTransferId(caller.merchant_id, request.Header("Idempotency-Key"), "nfc");
  const identity::SecretKey* issuer = Services(context).nfc_issuer_key;
  ReadEngine<paytoken::NfcVerification>(
      context, *answer,
      [text = std::move(text), issuer](const engine::StateMachine& state) {
        return paytoken::VerifyNfcRequest(text, state.payments(), *issuer);
      },
      [&context, merchant_id = caller.merchant_id, payment_id,
       respond = *answer](paytoken::NfcVerification verified) {
        // A retry of a tap that went through meets its own counter as a replay: answer the
        // payment it made instead.
        if (verified.result != paytoken::NfcResult::kOk &&
            verified.result != paytoken::NfcResult::kReplayedCounter) {
          return respond(NfcError(verified.result));
        }
        engine::Pay pay;
        pay.payment_id = payment_id;
        pay.merchant_id = merchant_id;
        pay.amount_fen = verified.request.amount_fen;
        pay.channel = payments::PaymentChannel::kNfc;
        pay.nfc_token = verified.request.token;
        pay.nfc_atc = verified.request.atc;
        SubmitCommand(context, pay, respond,
                      [&context, pay, respond](uint8_t result, const engine::Reply&) {
                        const auto code = static_cast<PaymentResult>(result);
                        if (code != PaymentResult::kOk && code != PaymentResult::kDuplicate) {
                          return respond(PaymentError(code));
                        }
                        AnswerCharged(context, pay, respond);
                      });
      });
}

}  // namespace

void AddNfcRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  router.Add("POST", "/api/v1/me/nfc-token", [shared](HttpRequest&& request, Responder respond) {
    std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
    if (principal) IssueToken(*shared, principal->id, 0, std::move(respond));
  });
  router.Add("POST", "/api/v1/me/nfc-token/refresh",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
               if (principal) Refresh(*shared, principal->id, std::move(respond));
             });
  router.Add("POST", "/api/v1/merchant/nfc-payments",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, false, true);
               if (caller) Tap(*shared, *caller, std::move(request), std::move(respond));
             });
}

}  // namespace qb::wallet
