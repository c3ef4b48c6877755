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
//
// POST /api/v1/staff/customers/{id}/refund-payouts: a merchant may refund a payment after the
// account closed; the engine keeps that money in the customer's closed-refund account (see
// engine::PayOutClosedRefund). Support, having paid the former customer through the bank,
// records it with {"amount": <fen>, "currency": "CNY", "reference": "<the bank's reference>"}
// and an Idempotency-Key; 201 {"id", "customer_id", "amount", "currency", "reference",
// "still_owed", "created_at"}. More than is owed: 422 INSUFFICIENT_FUNDS; an open or unknown
// account: 404 NOT_FOUND. The customer record (GET /api/v1/staff/customers/{id}) shows what is
// owed as "refunds_owed".
#include <string>
#include <utility>

#include "api/json_writer.h"
#include "engine/command.h"
#include "identity/otp.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/sessions.h"
#include "wallet/staff_access.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

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

// --- POST /api/v1/staff/customers/{id}/refund-payouts ---

HttpResponse PayoutResponse(const engine::PayOutClosedRefund& payout, int64_t still_owed_fen,
                            int64_t created_ns) {
  api::JsonObjectWriter body;
  body.String("id", std::to_string(payout.payout_id))
      .String("customer_id", std::to_string(payout.customer_id))
      .Amount("amount", payout.amount_fen)
      .String("currency", "CNY")
      .String("reference", payout.reference)
      .Amount("still_owed", still_owed_fen)
      .String("created_at", Rfc3339(created_ns));
  return api::JsonResponse(201, body);
}

void HandleRefundPayout(WalletContext& context, const Principal& staff, uint64_t customer_id,
                        HttpRequest&& request, Responder respond) {
  if (!RequireIdempotencyKey(request, respond)) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const int64_t amount = reader.RequiredAmount("amount");
  reader.RequiredEnum("currency", {"CNY"});
  std::string reference = reader.RequiredString("reference", engine::kMaxPayoutReferenceBytes);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  // Staff keys have their own namespace in the idempotency cache ("s" and the staff id).
  std::string owner = "s";
  owner.append(std::to_string(staff.id));
  std::optional<Responder> answer = BeginIdempotent(context, request, owner, respond);
  if (!answer) return;
  std::string purpose = "refund-payout-";
  purpose.append(std::to_string(customer_id));
  engine::PayOutClosedRefund payout;
  payout.staff_id = staff.id;
  payout.customer_id = customer_id;
  // From the key, so a retry the idempotency cache forgot (a restart) meets the ledger's own
  // duplicate check and pays nothing twice.
  payout.payout_id = DeriveTransferId(staff.id, request.Header("Idempotency-Key"), purpose);
  payout.amount_fen = amount;
  payout.reference = std::move(reference);
  SubmitCommand(
      context, payout, *answer,
      [&context, payout, respond = *answer](uint8_t result, const engine::Reply& reply) {
        switch (static_cast<PaymentResult>(result)) {
          case PaymentResult::kOk:
            LogInfo("closed-account refund paid out",
                    {{"customer_id", std::to_string(payout.customer_id)},
                     {"amount_fen", std::to_string(payout.amount_fen)}});
            return respond(
                PayoutResponse(payout, static_cast<int64_t>(reply.value), reply.batch_time_ns));
          case PaymentResult::kDuplicate:
            break;
          case PaymentResult::kCustomerNotFound:
            return respond(ErrorResponse(ErrorCode::kNotFound, "no closed account with that id"));
          case PaymentResult::kInsufficientFunds:
            return respond(ErrorResponse(ErrorCode::kInsufficientFunds,
                                         "more than the refunds owed to this customer"));
          default:
            return respond(PaymentError(static_cast<PaymentResult>(result)));
        }
        // The same key again after the cache forgot it: the same payout, or a reused key.
        struct Seen {
          std::optional<ledger::Transfer> transfer;
          int64_t owed_fen = 0;
        };
        ReadEngine<Seen>(
            context, respond,
            [payout](const engine::StateMachine& state) {
              Seen seen;
              if (const ledger::Transfer* t = state.ledger().FindTransfer(payout.payout_id)) {
                seen.transfer = *t;
              }
              const uint64_t owed_id = engine::kClosedRefundAccountBase + payout.customer_id;
              if (const ledger::Account* owed = state.ledger().FindAccount(owed_id)) {
                seen.owed_fen = owed->credits_posted - owed->debits_posted;
              }
              return seen;
            },
            [payout, respond](Seen seen) {
              if (!seen.transfer ||
                  seen.transfer->code != ledger::transfer_codes::kClosedRefundPayout ||
                  seen.transfer->user_data != payout.customer_id ||
                  seen.transfer->amount != payout.amount_fen) {
                return respond(ErrorResponse(ErrorCode::kIdempotencyKeyReused,
                                             "this Idempotency-Key was used for another request"));
              }
              respond(PayoutResponse(payout, seen.owed_fen, seen.transfer->timestamp_ns));
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
  AddStaffRoute(router, context, "POST", "/api/v1/staff/customers/{id}/refund-payouts",
                [&context](const Principal& staff, HttpRequest&& request, Responder respond) {
                  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
                  if (!id) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
                  HandleRefundPayout(context, staff, *id, std::move(request), std::move(respond));
                });
}

}  // namespace qb::wallet
