// The merchant portal's users: the owner adds cashiers (payments, orders, refunds) or other
// owners, lists them, and disables or re-enables them; a disabled user's sessions end at once.
// Owner portal sessions only.
#include <utility>

#include "api/json_reader.h"
#include "engine/state_machine.h"
#include "identity/password.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/sessions.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

api::JsonObjectWriter UserJson(const identity::Staff& user, bool active) {
  api::JsonObjectWriter json;
  json.String("id", std::to_string(user.id))
      .String("username", user.username)
      .String("display_name", user.display_name)
      .String("role", (user.roles & payments::kMerchantOwner) != 0 ? "owner" : "cashier")
      .String("status", active ? "active" : "disabled")
      .String("created_at", Rfc3339(user.created_ns));
  return json;
}

struct UserWithStatus {
  identity::Staff user;
  bool active = true;
};

void AddUser(WalletContext& context, const MerchantCaller& caller, HttpRequest&& request,
             Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string username = LowerAscii(reader.RequiredString("username", 32));
  std::string display_name = reader.RequiredString("display_name", 64);
  std::string password = reader.RequiredString("password", 256);
  const std::string role = reader.RequiredEnum("role", {"cashier", "owner"});
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (!IsValidUsername(username)) {
    return respond(FieldInvalid("username", "3-32 of a-z, 0-9, _ . -, starting with a letter"));
  }
  if (identity::CheckPasswordStrength(password, "") != identity::PasswordStrength::kOk ||
      password.size() > 64) {
    return respond(ErrorResponse(ErrorCode::kWeakPassword,
                                 "password: 8-64 characters with letters and digits"));
  }
  identity::StaffRegistration user{
      std::move(username), std::move(display_name), "",
      role == "owner" ? payments::kMerchantOwner : payments::kMerchantCashier};
  RunOnWorker(
      context,
      [&context, user = std::move(user), password = std::move(password),
       merchant_id = caller.merchant_id, respond]() mutable {
        std::optional<std::string> hash = identity::HashPassword(password);
        if (!hash) return respond(ErrorResponse(ErrorCode::kOverloaded, "busy; retry"));
        user.password_hash = std::move(*hash);
        identity::Staff shown{0, user.username, user.display_name, "", user.roles};
        SubmitCommand(
            context, engine::CreateMerchantUser{merchant_id, std::move(user)}, respond,
            [shown, merchant_id, respond](uint8_t result, const engine::Reply& reply) mutable {
              const auto code = static_cast<PaymentResult>(result);
              if (code != PaymentResult::kOk) return respond(PaymentError(code));
              shown.id = reply.value;
              shown.created_ns = reply.batch_time_ns;
              LogInfo("merchant user created", {{"merchant_id", std::to_string(merchant_id)},
                                                {"user_id", std::to_string(shown.id)}});
              respond(api::JsonResponse(201, UserJson(shown, true)));
            });
      },
      respond);
}

void ListUsers(WalletContext& context, const MerchantCaller& caller, Responder respond) {
  ReadEngine<std::vector<UserWithStatus>>(
      context, respond,
      [merchant_id = caller.merchant_id](const engine::StateMachine& state) {
        std::vector<UserWithStatus> users;
        state.payments().users().ForEach([&](const identity::Staff& user) {
          if (state.payments().MerchantOfUser(user.id) == merchant_id) {
            users.push_back({user, state.payments().IsUserActive(user.id)});
          }
        });
        return users;
      },
      [respond](std::vector<UserWithStatus> users) {
        api::JsonArrayWriter list;
        for (const UserWithStatus& u : users) list.Object(UserJson(u.user, u.active));
        api::JsonObjectWriter body;
        body.Array("users", std::move(list));
        respond(api::JsonResponse(200, body));
      });
}

// The owner disables a user (its sessions end at once) or enables it again; answers the user.
void SetUserStatus(WalletContext& context, const MerchantCaller& caller, HttpRequest&& request,
                   Responder respond) {
  std::optional<uint64_t> user_id = ParseId(request.PathParam("user_id"));
  if (!user_id) return respond(PaymentError(PaymentResult::kUserNotFound));
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const bool active = reader.RequiredBool("active");
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  const uint64_t merchant_id = caller.merchant_id;
  SubmitCommand(
      context, engine::SetMerchantUserStatus{merchant_id, *user_id, active, caller.user_id},
      respond,
      [&context, merchant_id, id = *user_id, active, by = caller.user_id, respond](
          uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<PaymentResult>(result);
        if (code != PaymentResult::kOk) return respond(PaymentError(code));
        if (!active) {
          // The engine revoked the user's sessions; the cache must forget them too, or their
          // tokens would keep working until they idle out.
          Sessions(context).RemoveAllOf(Principal::Kind::kMerchant, id);
        }
        if (reply.value != 0) {
          LogInfo("merchant user status changed", {{"merchant_id", std::to_string(merchant_id)},
                                                   {"user_id", std::to_string(id)},
                                                   {"status", active ? "active" : "disabled"},
                                                   {"by_user_id", std::to_string(by)}});
        }
        ReadEngine<std::optional<UserWithStatus>>(
            context, respond,
            [id](const engine::StateMachine& state) -> std::optional<UserWithStatus> {
              const identity::Staff* user = state.payments().users().FindById(id);
              if (user == nullptr) return std::nullopt;
              return UserWithStatus{*user, state.payments().IsUserActive(id)};
            },
            [respond](std::optional<UserWithStatus> user) {
              if (!user) return respond(PaymentError(PaymentResult::kUserNotFound));
              respond(api::JsonResponse(200, UserJson(user->user, user->active)));
            });
      });
}

}  // namespace

void AddMerchantUserRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  router.Add("POST", "/api/v1/merchant/users", [shared](HttpRequest&& request, Responder respond) {
    std::optional<MerchantCaller> caller = RequireMerchant(*shared, request, respond, true, false);
    if (caller) AddUser(*shared, *caller, std::move(request), std::move(respond));
  });
  router.Add("GET", "/api/v1/merchant/users", [shared](HttpRequest&& request, Responder respond) {
    std::optional<MerchantCaller> caller = RequireMerchant(*shared, request, respond, true, false);
    if (caller) ListUsers(*shared, *caller, std::move(respond));
  });
  router.Add("POST", "/api/v1/merchant/users/{user_id}/status",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, true, false);
               if (caller) SetUserStatus(*shared, *caller, std::move(request), std::move(respond));
             });
}

}  // namespace qb::wallet
