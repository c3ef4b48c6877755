// Merchants: onboarding (by staff, or self-service pending review), review, the merchant
// portal's log-in, API keys, and the merchant's static QR code.
//
// A merchant's routes accept two callers: a portal user (Bearer session) and the merchant's
// own server (a request signed with an API key); see RequireMerchant. Managing API keys needs
// the owner's portal session.
#include <sodium.h>

#include <memory>
#include <utility>

#include "api/cursor.h"
#include "api/json_reader.h"
#include "api/query.h"
#include "engine/state_machine.h"
#include "identity/otp.h"
#include "identity/password.h"
#include "identity/phone.h"
#include "merchant/merchant_category.h"
#include "merchant/merchant_code.h"
#include "server/log.h"
#include "wallet/auth_rate_limits.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/sessions.h"
#include "wallet/staff_access.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

constexpr size_t kMaxListLimit = 100;
constexpr size_t kDefaultListLimit = 20;

bool AllOf(std::string_view text, bool (*ok)(char)) {
  for (char c : text) {
    if (!ok(c)) return false;
  }
  return !text.empty();
}

// --- Onboarding ---

struct Application {
  payments::MerchantProfile profile;
  std::string username;
  std::string password;
  bool activate = false;
};

// Reads and checks an application; `staff` may also set fee_bps and activate.
api::ApiResult<Application> ReadApplication(WalletContext& context, const api::JsonObject& body,
                                            bool staff) {
  api::ObjectReader reader(body);
  Application a;
  a.profile.legal_name = reader.RequiredString("legal_name", 100, api::TextPolicy::kSingleLine, 2);
  std::string credit_code = reader.RequiredString("credit_code", 18);
  a.profile.category = reader.RequiredString("category", 32);
  a.profile.settlement_bank_code = reader.RequiredString("settlement_bank_code", 12);
  std::string account = reader.RequiredString("settlement_account", 30);
  std::string phone = reader.RequiredString("contact_phone", 32);
  a.username = LowerAscii(reader.RequiredString("username", 32));
  a.password = reader.RequiredString("password", 256);
  std::optional<int64_t> fee_bps;
  if (staff) {
    fee_bps = reader.OptionalInt64("fee_bps", 0, payments::kMaxFeeBps);
    a.activate = reader.OptionalBool("activate").value_or(false);
  }
  if (std::optional<api::ApiError> error = reader.Finish()) return *error;

  for (char& c : credit_code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  merchant::CreditCode parsed;
  if (merchant::ParseCreditCode(credit_code, &parsed) != merchant::CreditCodeError::kOk) {
    return api::MakeError(ErrorCode::kCreditCodeInvalid,
                          "credit_code is not a valid unified social credit code (GB 32100)");
  }
  a.profile.credit_code = std::move(credit_code);
  if (merchant::FindMerchantCategoryById(a.profile.category) == nullptr) {
    return api::MakeError(ErrorCode::kFieldInvalid, "category: not a merchant category");
  }
  if (a.profile.settlement_bank_code.size() < 2 ||
      !AllOf(a.profile.settlement_bank_code, [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return api::MakeError(ErrorCode::kFieldInvalid, "settlement_bank_code: 2-12 capital letters");
  }
  if (account.size() < 8 || !AllOf(account, [](char c) { return c >= '0' && c <= '9'; })) {
    return api::MakeError(ErrorCode::kFieldInvalid, "settlement_account: 8-30 digits");
  }
  a.profile.settlement_account_last4 = account.substr(account.size() - 4);
  a.profile.settlement_account_sealed =
      Services(context).vault->Encrypt(account, kSettlementSealContext);
  std::optional<std::string> normalized = identity::NormalizePhone(phone);
  if (!normalized) {
    return api::MakeError(ErrorCode::kFieldInvalid, "contact_phone: not a mainland mobile number");
  }
  a.profile.contact_phone = std::move(*normalized);
  a.profile.fee_bps =
      static_cast<uint32_t>(fee_bps.value_or(Services(context).options.default_fee_bps));
  if (!IsValidUsername(a.username)) {
    return api::MakeError(ErrorCode::kFieldInvalid,
                          "username: 3-32 of a-z, 0-9, _ . -, starting with a letter");
  }
  if (identity::CheckPasswordStrength(a.password, "") != identity::PasswordStrength::kOk ||
      a.password.size() > 64) {
    return api::MakeError(ErrorCode::kWeakPassword,
                          "password: 8-64 characters with letters and digits");
  }
  return a;
}

void Onboard(WalletContext& context, HttpRequest&& request, Responder respond, uint64_t staff_id) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ApiResult<Application> application = ReadApplication(context, *body, staff_id != 0);
  if (!application.ok()) return respond(ErrorResponse(application.error()));
  // A self-service application is anonymous: limited per client address (auth_rate_limits.h)
  // before the argon2id hash. Staff onboarding is authenticated and not limited.
  if (staff_id == 0 &&
      !AdmitAuthAttempt(context, AuthAction::kMerchantApplication, request, "", respond)) {
    return;
  }
  RunOnWorker(
      context,
      [&context, a = std::move(application).value(), staff_id, respond]() mutable {
        std::optional<std::string> hash = identity::HashPassword(a.password);
        if (!hash) return respond(ErrorResponse(ErrorCode::kOverloaded, "busy; retry"));
        engine::ApplyMerchant command;
        command.profile = std::move(a.profile);
        command.owner = {a.username, a.username, std::move(*hash), payments::kMerchantOwner};
        command.staff_id = staff_id;
        command.activate = a.activate;
        Services(context).engine->Submit(
            std::move(command), [&context, staff_id, respond](engine::Reply&& reply) {
              if (reply.status != engine::ReplyStatus::kOk) {
                return respond(EngineFailureResponse(reply));
              }
              const auto result = static_cast<PaymentResult>(reply.results.at(0));
              if (result != PaymentResult::kOk) return respond(PaymentError(result));
              const uint64_t merchant_id = reply.value;
              LogInfo("merchant onboarded", {{"merchant_id", std::to_string(merchant_id)},
                                             {"by_staff_id", std::to_string(staff_id)}});
              ReadEngine<std::optional<payments::Merchant>>(
                  context, respond,
                  [merchant_id](
                      const engine::StateMachine& state) -> std::optional<payments::Merchant> {
                    const payments::Merchant* m = state.payments().FindMerchant(merchant_id);
                    if (m == nullptr) return std::nullopt;
                    return *m;
                  },
                  [respond](std::optional<payments::Merchant> merchant) {
                    if (!merchant) return respond(PaymentError(PaymentResult::kMerchantNotFound));
                    respond(api::JsonResponse(201, MerchantJson(*merchant)));
                  });
            });
      },
      respond);
}

void ReadMerchantNow(WalletContext& context, uint64_t merchant_id, Responder respond) {
  ReadEngine<std::optional<payments::Merchant>>(
      context, respond,
      [merchant_id](const engine::StateMachine& state) -> std::optional<payments::Merchant> {
        const payments::Merchant* m = state.payments().FindMerchant(merchant_id);
        if (m == nullptr) return std::nullopt;
        return *m;
      },
      [respond](std::optional<payments::Merchant> merchant) {
        if (!merchant) return respond(PaymentError(PaymentResult::kMerchantNotFound));
        respond(api::JsonResponse(200, MerchantJson(*merchant)));
      });
}

void ListMerchants(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  uint8_t status = 0;
  const std::string_view status_name = query->GetOr("status");
  if (status_name == "pending_review") {
    status = 1;
  } else if (status_name == "active") {
    status = 2;
  } else if (status_name == "suspended") {
    status = 3;
  } else if (!status_name.empty()) {
    return respond(FieldInvalid("status", "pending_review, active or suspended"));
  }
  std::optional<uint64_t> before;
  if (std::string_view cursor = query->GetOr("cursor"); !cursor.empty()) {
    before = ParseId(cursor);
    if (!before) return respond(FieldInvalid("cursor", "not a cursor from this list"));
  }
  size_t limit = kDefaultListLimit;
  if (std::string_view text = query->GetOr("limit"); !text.empty()) {
    std::optional<uint64_t> parsed = ParseId(text);
    if (!parsed || *parsed > kMaxListLimit) return respond(FieldInvalid("limit", "1 to 100"));
    limit = static_cast<size_t>(*parsed);
  }
  RunOnWorker(
      context,
      [&context, status, before, limit, respond]() {
        std::vector<MerchantRow> rows;
        std::optional<uint64_t> next;
        Status s = Services(context).store->ListMerchants(status, before, limit, &rows, &next);
        if (!s.ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read merchants now"));
        }
        api::JsonArrayWriter list;
        for (const MerchantRow& row : rows) list.Object(MerchantJson(row));
        api::JsonObjectWriter body;
        body.Array("merchants", std::move(list));
        if (next) {
          body.String("next_cursor", std::to_string(*next));
        } else {
          body.Null("next_cursor");
        }
        respond(api::JsonResponse(200, body));
      },
      respond);
}

void SetStatus(WalletContext& context, const Principal& staff, HttpRequest&& request,
               Responder respond) {
  std::optional<uint64_t> merchant_id = ParseId(request.PathParam("id"));
  if (!merchant_id) return respond(PaymentError(PaymentResult::kMerchantNotFound));
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string status = reader.RequiredEnum("status", {"active", "suspended"});
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  const payments::MerchantStatus target =
      status == "active" ? payments::MerchantStatus::kActive : payments::MerchantStatus::kSuspended;
  SubmitCommand(context, engine::ReviewMerchant{*merchant_id, staff.id, target}, respond,
                [&context, id = *merchant_id, staff_id = staff.id, status, respond](
                    uint8_t result, const engine::Reply&) {
                  const auto code = static_cast<PaymentResult>(result);
                  if (code != PaymentResult::kOk) return respond(PaymentError(code));
                  LogInfo("merchant status changed", {{"merchant_id", std::to_string(id)},
                                                      {"status", status},
                                                      {"by_staff_id", std::to_string(staff_id)}});
                  ReadMerchantNow(context, id, respond);
                });
}

// --- Merchant portal log-in ---

struct UserCopy {
  bool found = false;
  identity::Staff user;
  uint64_t merchant_id = 0;
};

void LogIn(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string username = LowerAscii(reader.RequiredString("username", 32));
  std::string password = reader.RequiredString("password", 256);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  // Per address and per username (known or not), before the engine read and the argon2id check;
  // see auth_rate_limits.h. The engine's lockout stays the authority on the account.
  if (!AdmitAuthAttempt(context, AuthAction::kMerchantLogIn, request, username, respond)) return;
  ReadEngine<UserCopy>(
      context, respond,
      [username](const engine::StateMachine& state) {
        UserCopy copy;
        if (const identity::Staff* user = state.payments().users().FindByUsername(username)) {
          copy.found = true;
          copy.user = *user;
          copy.merchant_id = state.payments().MerchantOfUser(user->id);
        }
        return copy;
      },
      [&context, password = std::move(password), respond](UserCopy copy) mutable {
        if (copy.found && copy.user.locked_until_ns > Services(context).clock->NowNs()) {
          return respond(PaymentError(PaymentResult::kLoginLocked));
        }
        RunOnWorker(
            context,
            [&context, copy = std::move(copy), password = std::move(password), respond]() {
              const std::string& hash =
                  copy.found ? copy.user.password_hash : DummyPasswordHash(context);
              const bool password_ok = identity::VerifyPassword(hash, password) && copy.found;
              if (!copy.found) {
                return respond(ErrorResponse(ErrorCode::kInvalidCredentials,
                                             "the username or the password is wrong"));
              }
              SubmitCommand(
                  context, engine::RecordMerchantLogin{copy.user.id, password_ok}, respond,
                  [&context, copy, password_ok, respond](uint8_t result, const engine::Reply&) {
                    const auto code = static_cast<PaymentResult>(result);
                    if (code == PaymentResult::kLoginLocked) return respond(PaymentError(code));
                    // Only the right password learns that the account is disabled.
                    if (code == PaymentResult::kUserDisabled && password_ok) {
                      return respond(PaymentError(code));
                    }
                    if (code != PaymentResult::kOk || !password_ok) {
                      return respond(ErrorResponse(ErrorCode::kInvalidCredentials,
                                                   "the username or the password is wrong"));
                    }
                    std::string token = identity::GenerateSessionToken();
                    std::string token_hash = identity::HashSessionToken(token);
                    SubmitCommand(
                        context, engine::CreateMerchantSession{token_hash, copy.user.id}, respond,
                        [&context, copy, token, token_hash, respond](uint8_t created,
                                                                     const engine::Reply& reply) {
                          const auto code = static_cast<PaymentResult>(created);
                          if (code != PaymentResult::kOk) return respond(PaymentError(code));
                          const int64_t expires_ns =
                              reply.batch_time_ns + identity::kStaffSessionLifetimeNs;
                          Sessions(context).Put(
                              token_hash,
                              CachedSession{Principal::Kind::kMerchant, copy.user.id,
                                            copy.user.roles, reply.batch_time_ns, expires_ns,
                                            Services(context).clock->NowNs(), copy.merchant_id});
                          LogInfo("merchant user logged in",
                                  {{"merchant_id", std::to_string(copy.merchant_id)}});
                          api::JsonObjectWriter user;
                          user.String("id", std::to_string(copy.user.id))
                              .String("username", copy.user.username)
                              .String("role", (copy.user.roles & payments::kMerchantOwner) != 0
                                                  ? "owner"
                                                  : "cashier");
                          api::JsonObjectWriter body;
                          body.String("token", token)
                              .String("expires_at", Rfc3339(expires_ns))
                              .String("merchant_id", std::to_string(copy.merchant_id))
                              .Object("user", std::move(user));
                          respond(api::JsonResponse(201, body));
                        });
                  });
            },
            respond);
      });
}

void LogOut(WalletContext& context, const MerchantCaller& caller, Responder respond) {
  Sessions(context).Remove(caller.token_hash);
  Services(context).engine->Submit(engine::RevokeSession{caller.token_hash, engine::SignOut::kSelf},
                                   [respond](engine::Reply&& reply) {
                                     if (reply.status != engine::ReplyStatus::kOk) {
                                       return respond(EngineFailureResponse(reply));
                                     }
                                     HttpResponse response;
                                     response.status = 204;
                                     respond(std::move(response));
                                   });
}

// --- API keys ---

std::string RandomToken(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string text(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                   '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(text.find('\0'));
  sodium_memzero(raw.data(), raw.size());
  return text;
}

void IssueKey(WalletContext& context, const MerchantCaller& caller, Responder respond) {
  // Key ids are public and must fit the signing header's [A-Za-z0-9_-]{1,64}.
  std::string key_id = "mk_" + RandomToken(12);
  std::string secret = "sk_" + RandomToken(32);
  payments::ApiKey key;
  key.key_id = key_id;
  key.secret_sealed = Services(context).vault->Encrypt(secret, kApiKeySealContext);
  const uint64_t merchant_id = caller.merchant_id;
  SubmitCommand(
      context, engine::IssueApiKey{merchant_id, std::move(key)}, respond,
      [&context, merchant_id, key_id, secret, respond](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<PaymentResult>(result);
        if (code != PaymentResult::kOk) return respond(PaymentError(code));
        Secrets(context).PutApiKey(key_id, {merchant_id, secret});
        LogInfo("merchant API key issued",
                {{"merchant_id", std::to_string(merchant_id)}, {"key_id", key_id}});
        api::JsonObjectWriter body;
        body.String("key_id", key_id)
            .String("secret", secret)
            .String("created_at", Rfc3339(reply.batch_time_ns));
        HttpResponse response = api::JsonResponse(201, body);
        response.headers.emplace_back("Cache-Control", "no-store");
        respond(std::move(response));
      });
}

void ListKeys(WalletContext& context, const MerchantCaller& caller, Responder respond) {
  ReadEngine<std::vector<payments::ApiKey>>(
      context, respond,
      [id = caller.merchant_id](const engine::StateMachine& state) {
        std::vector<payments::ApiKey> keys;
        if (const payments::Merchant* m = state.payments().FindMerchant(id)) keys = m->api_keys;
        return keys;
      },
      [respond](std::vector<payments::ApiKey> keys) {
        api::JsonArrayWriter list;
        for (const payments::ApiKey& key : keys) {
          api::JsonObjectWriter json;
          json.String("key_id", key.key_id)
              .String("status", key.revoked ? "revoked" : "active")
              .String("created_at", Rfc3339(key.created_ns));
          list.Object(std::move(json));
        }
        api::JsonObjectWriter body;
        body.Array("keys", std::move(list));
        respond(api::JsonResponse(200, body));
      });
}

void RevokeKey(WalletContext& context, const MerchantCaller& caller, std::string key_id,
               Responder respond) {
  SubmitCommand(context, engine::RevokeApiKey{caller.merchant_id, key_id}, respond,
                [&context, key_id, respond](uint8_t result, const engine::Reply&) {
                  const auto code = static_cast<PaymentResult>(result);
                  if (code != PaymentResult::kOk) return respond(PaymentError(code));
                  Secrets(context).RevokeApiKey(key_id);
                  HttpResponse response;
                  response.status = 204;
                  respond(std::move(response));
                });
}

}  // namespace

void AddMerchantRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  // Staff.
  AddStaffRoute(router, context, "POST", "/api/v1/staff/merchants",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  Onboard(*shared, std::move(request), std::move(respond), staff.id);
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/merchants",
                [shared](const Principal&, HttpRequest&& request, Responder respond) {
                  ListMerchants(*shared, std::move(request), std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/merchants/{id}",
                [shared](const Principal&, HttpRequest&& request, Responder respond) {
                  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
                  if (!id) return respond(PaymentError(PaymentResult::kMerchantNotFound));
                  ReadMerchantNow(*shared, *id, std::move(respond));
                });
  AddStaffRoute(router, context, "POST", "/api/v1/staff/merchants/{id}/status",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  SetStatus(*shared, staff, std::move(request), std::move(respond));
                });
  // Self-service application: pending until staff review it.
  router.Add("POST", "/api/v1/merchant-applications",
             [shared](HttpRequest&& request, Responder respond) {
               Onboard(*shared, std::move(request), std::move(respond), 0);
             });
  // The merchant portal.
  router.Add("POST", "/api/v1/merchant/sessions",
             [shared](HttpRequest&& request, Responder respond) {
               LogIn(*shared, std::move(request), std::move(respond));
             });
  router.Add("DELETE", "/api/v1/merchant/sessions/current",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, false, false);
               if (caller) LogOut(*shared, *caller, std::move(respond));
             });
  router.Add("GET", "/api/v1/merchant/me", [shared](HttpRequest&& request, Responder respond) {
    std::optional<MerchantCaller> caller = RequireMerchant(*shared, request, respond, false, true);
    if (caller) ReadMerchantNow(*shared, caller->merchant_id, std::move(respond));
  });
  router.Add("GET", "/api/v1/merchant/qr", [shared](HttpRequest&& request, Responder respond) {
    std::optional<MerchantCaller> caller = RequireMerchant(*shared, request, respond, false, true);
    if (!caller) return;
    std::optional<api::QueryParams> query = QueryOf(request, respond);
    if (!query) return;
    const std::string_view format = query->GetOr("format");
    const std::string text = StaticQrText(*shared, caller->merchant_id);
    if (format == "png" || format == "svg") return respond(QrImageResponse(text, format));
    if (!format.empty() && format != "text") {
      return respond(FieldInvalid("format", "text, png or svg"));
    }
    api::JsonObjectWriter body;
    body.String("text", text);
    respond(api::JsonResponse(200, body));
  });
  router.Add("POST", "/api/v1/merchant/api-keys",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, true, false);
               if (caller) IssueKey(*shared, *caller, std::move(respond));
             });
  router.Add("GET", "/api/v1/merchant/api-keys",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, true, false);
               if (caller) ListKeys(*shared, *caller, std::move(respond));
             });
  router.Add("DELETE", "/api/v1/merchant/api-keys/{key_id}",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, true, false);
               if (caller) {
                 RevokeKey(*shared, *caller, std::string(request.PathParam("key_id")),
                           std::move(respond));
               }
             });
}

}  // namespace qb::wallet
