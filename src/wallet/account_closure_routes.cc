// POST /api/v1/me/close-account: the customer closes the wallet (PIPL art. 47, the right to
// have personal information deleted once the service ends). The body is
//   {"sms_code": "123456", "payment_pin": "......"}
// with a code sent by POST /api/v1/otp {"purpose": "close_account"} (so a stolen session alone
// cannot close the account) and the payment PIN once one is set (checked and counted like any
// PIN entry). The engine closes only an empty wallet: 409 BALANCE_NOT_ZERO while it holds
// money or a pending hold. On success every session of the customer ends, here and in the
// engine, and the answer is 200 {"closed_at", "sessions_revoked"}. The audit chain records it
// ("customer.close"); what is erased and what the law makes us keep is in
// identity/customer_book_closure.cc and docs/SECURITY.md.
#include <string>
#include <utility>

#include "api/json_writer.h"
#include "engine/command.h"
#include "identity/otp.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/sessions.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

constexpr size_t kMaxCodeChars = 16;

bool IsSixDigits(const std::string& code) {
  if (code.size() != 6) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void SubmitClose(WalletContext& context, uint64_t customer_id, std::string otp_hash,
                 const Responder& respond) {
  SubmitCommand(context, engine::CloseCustomer{customer_id, std::move(otp_hash)}, respond,
                [&context, customer_id, respond](uint8_t result, const engine::Reply& reply) {
                  const auto code = static_cast<identity::IdentityResult>(result);
                  if (code != identity::IdentityResult::kOk) {
                    return respond(ErrorResponse(IdentityError(code)));
                  }
                  Sessions(context).RemoveAllOf(Principal::Kind::kCustomer, customer_id);
                  api::JsonObjectWriter body;
                  body.String("closed_at", Rfc3339(reply.batch_time_ns))
                      .Int("sessions_revoked", static_cast<int64_t>(reply.value));
                  HttpResponse response = api::JsonResponse(200, body);
                  response.headers.emplace_back("Cache-Control", "no-store");
                  respond(std::move(response));
                });
}

void HandleClose(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> me = RequireCustomer(context, request, respond);
  if (!me) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string sms_code = reader.RequiredString("sms_code", kMaxCodeChars);
  std::optional<std::string> pin = reader.OptionalString("payment_pin", kMaxPaymentPinChars);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (!IsSixDigits(sms_code)) return respond(FieldInvalid("sms_code", "six digits expected"));
  const uint64_t customer_id = me->id;
  ReadCustomer(context, customer_id, respond,
               [&context, customer_id, sms_code = std::move(sms_code), pin = std::move(pin),
                respond](CustomerSnapshot snapshot) mutable {
                 std::string otp_hash = identity::HashOtp(sms_code, snapshot.customer.phone,
                                                          *Services(context).otp_pepper);
                 RequirePaymentPin(
                     context, customer_id, std::move(pin), respond,
                     [&context, customer_id, otp_hash = std::move(otp_hash), respond]() mutable {
                       SubmitClose(context, customer_id, std::move(otp_hash), respond);
                     });
               });
}

}  // namespace

void PurgeClosedIdentities(WalletContext& context) {
  for (;;) {
    engine::Reply reply = Services(context).engine->Execute(engine::PurgeClosedIdentities{});
    if (reply.status != engine::ReplyStatus::kOk) {
      // Busy or stopping: the next run tries again.
      LogWarn("identity purge not run",
              {{"status", std::string(engine::ReplyStatusName(reply.status))}});
      return;
    }
    if (reply.value == 0) return;
    LogInfo("closed identities purged", {{"count", std::to_string(reply.value)}});
    if (reply.value < engine::kMaxPurgesPerCommand) return;
  }
}

void AddAccountClosureRoutes(Router& router, WalletContext& context) {
  router.Add("POST", "/api/v1/me/close-account",
             [&context](HttpRequest&& request, Responder respond) {
               HandleClose(context, std::move(request), std::move(respond));
             });
}

}  // namespace qb::wallet
