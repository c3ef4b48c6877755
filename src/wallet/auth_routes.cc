// Sign-up and log-in: one-time codes, registration, customer and staff sessions.
//
// Secrets never reach the engine or a log in clear: codes and tokens are hashed here, passwords
// hashed (argon2id, on a worker) or verified against the hash the engine holds. Unknown names
// and wrong passwords get the same answer after the same work (a dummy hash is verified).
//
// Every handler here checks the in-memory rate limits (auth_rate_limits.h: per client address,
// per phone or username) once the body is read and before any engine command, argon2id hash or
// SMS; a refused attempt gets 429 RATE_LIMITED and nothing else happens. Those limits are only a
// cheap first line: the engine's own per-phone OTP rules and per-account lockout stay the
// authority on what a phone or an account may do.
#include <algorithm>
#include <array>
#include <memory>
#include <utility>

#include "engine/state_machine.h"
#include "identity/otp.h"
#include "identity/password.h"
#include "identity/phone.h"
#include "referral/invite_code.h"
#include "server/log.h"
#include "wallet/auth_rate_limits.h"
#include "wallet/device_factor.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/sessions.h"
#include "wallet/staff_access.h"
#include "wallet/step_up.h"
#include "wallet/totp_internal.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

constexpr size_t kMaxPhoneInput = 32;
constexpr size_t kMaxPasswordInput = 256;  // Longer is WEAK_PASSWORD, decided below.
constexpr size_t kMaxPasswordChars = 64;   // The contract's bound.
constexpr size_t kMaxUsername = 32;

size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// WEAK_PASSWORD with the rule that failed, or nullopt when the password is acceptable.
std::optional<api::ApiError> PasswordProblem(std::string_view password, std::string_view phone) {
  if (CodePoints(password) > kMaxPasswordChars) {
    return api::MakeError(ErrorCode::kWeakPassword, "password: at most 64 characters");
  }
  switch (identity::CheckPasswordStrength(password, phone)) {
    case identity::PasswordStrength::kOk:
      return std::nullopt;
    case identity::PasswordStrength::kTooShort:
      return api::MakeError(ErrorCode::kWeakPassword, "password: at least 8 characters");
    case identity::PasswordStrength::kTooLong:
      return api::MakeError(ErrorCode::kWeakPassword, "password: too long");
    case identity::PasswordStrength::kContainsPhone:
      return api::MakeError(ErrorCode::kWeakPassword, "password: must not contain the phone");
    case identity::PasswordStrength::kTooSimple:
      break;
  }
  return api::MakeError(ErrorCode::kWeakPassword, "password: use letters and digits");
}

HttpResponse InvalidCredentials() {
  return ErrorResponse(ErrorCode::kInvalidCredentials, "the name or the password is wrong");
}

HttpResponse NoContent() {
  HttpResponse response;
  response.status = 204;
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// What a log-in needs from the engine, copied out on the engine thread.
struct AccountCopy {
  bool found = false;
  uint64_t id = 0;
  std::string password_hash;
  int64_t locked_until_ns = 0;
  identity::Staff staff;  // For staff log-ins.
  SessionOrigin origin;   // Where the log-in came from, for the session list.
  // Customer log-ins: the second factor sent, checked after a right password.
  SecondFactor second_factor;
};

struct CustomerCopy {
  bool found = false;
  identity::Customer customer;
  identity::TierPolicy policy;
};

// Reads a customer on the engine thread and calls `then` with the copy (or a failure reply).
void ReadCustomer(WalletContext& context, uint64_t customer_id,
                  std::function<void(const engine::Reply&, const CustomerCopy&)> then) {
  auto copy = std::make_shared<CustomerCopy>();
  engine::Query query;
  query.read = [copy, customer_id](const engine::StateMachine& state) {
    const identity::Customer* customer = state.customers().FindById(customer_id);
    if (customer == nullptr) return;
    copy->found = true;
    copy->customer = *customer;
    copy->policy = state.tier_policies().For(customer->tier);
  };
  Services(context).engine->Submit(
      std::move(query),
      [copy, then = std::move(then)](engine::Reply&& reply) { then(reply, *copy); });
}

HttpResponse CustomerResponse(WalletContext& context, int status, const engine::Reply& reply,
                              const CustomerCopy& copy) {
  if (reply.status != engine::ReplyStatus::kOk) return EngineFailureResponse(reply);
  if (!copy.found) return ErrorResponse(ErrorCode::kNotFound, "no such customer");
  return api::JsonResponse(
      status, CustomerJson(copy.customer, copy.policy, Services(context).clock->NowNs()));
}

// Opens a session for a customer who has just registered or proved their password, and
// answers 201 {"token","expires_at","customer"}.
void IssueCustomerSession(WalletContext& context, uint64_t customer_id, SessionOrigin origin,
                          Responder respond) {
  std::string token = identity::GenerateSessionToken();
  std::string token_hash = identity::HashSessionToken(token);
  engine::CreateSession command{token_hash, customer_id, DeviceHash(context, origin.device_id)};
  Services(context).engine->Submit(
      std::move(command),
      [&context, customer_id, token = std::move(token), token_hash = std::move(token_hash),
       origin = std::move(origin), respond = std::move(respond)](engine::Reply&& reply) mutable {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        const auto result = static_cast<identity::IdentityResult>(reply.results.at(0));
        if (result != identity::IdentityResult::kOk) {
          return respond(ErrorResponse(IdentityError(result)));
        }
        const int64_t expires_ns = reply.batch_time_ns + identity::kSessionLifetimeNs;
        CachedSession session{
            Principal::Kind::kCustomer, customer_id, 0,
            reply.batch_time_ns,        expires_ns,  Services(context).clock->NowNs()};
        session.origin = std::move(origin);
        Sessions(context).Put(token_hash, session);
        ReadCustomer(context, customer_id,
                     [&context, token = std::move(token), expires_ns, respond = std::move(respond)](
                         const engine::Reply& read, const CustomerCopy& copy) {
                       if (read.status != engine::ReplyStatus::kOk || !copy.found) {
                         return respond(CustomerResponse(context, 201, read, copy));
                       }
                       api::JsonObjectWriter body;
                       body.String("token", token)
                           .String("expires_at", Rfc3339(expires_ns))
                           .Object("customer", CustomerJson(copy.customer, copy.policy,
                                                            Services(context).clock->NowNs()));
                       respond(api::JsonResponse(201, body));
                     });
      });
}

void IssueStaffSession(WalletContext& context, identity::Staff staff, SessionOrigin origin,
                       Responder respond) {
  std::string token = identity::GenerateSessionToken();
  std::string token_hash = identity::HashSessionToken(token);
  engine::CreateStaffSession command{token_hash, staff.id};
  Services(context).engine->Submit(
      std::move(command), [&context, staff = std::move(staff), token = std::move(token),
                           token_hash = std::move(token_hash), origin = std::move(origin),
                           respond = std::move(respond)](engine::Reply&& reply) mutable {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        const auto result = static_cast<identity::IdentityResult>(reply.results.at(0));
        if (result != identity::IdentityResult::kOk) {
          return respond(ErrorResponse(IdentityError(result)));
        }
        const int64_t expires_ns = reply.batch_time_ns + identity::kStaffSessionLifetimeNs;
        CachedSession session{
            Principal::Kind::kStaff, staff.id,   staff.roles,
            reply.batch_time_ns,     expires_ns, Services(context).clock->NowNs()};
        session.origin = std::move(origin);
        Sessions(context).Put(token_hash, session);
        LogInfo("staff logged in", {{"staff_id", std::to_string(staff.id)}});
        api::JsonObjectWriter body;
        body.String("token", token)
            .String("expires_at", Rfc3339(expires_ns))
            .Object("staff", StaffJson(staff));
        respond(api::JsonResponse(201, body));
      });
}

// --- POST /api/v1/otp ---

void HandleIssueOtp(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string phone_input = reader.RequiredString("phone", kMaxPhoneInput);
  const std::string purpose_name = reader.RequiredEnum(
      "purpose", {"register", "login", "reset_password", "reset_pin", "payment", "close_account"});
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<std::string> phone = identity::NormalizePhone(phone_input);
  if (!phone) return respond(FieldInvalid("phone", "not a mainland mobile number"));
  if (!AdmitAuthAttempt(context, AuthAction::kSendOtp, request, *phone, respond)) return;

  identity::OtpPurpose purpose = identity::OtpPurpose::kRegister;
  if (purpose_name == "login") purpose = identity::OtpPurpose::kLogin;
  if (purpose_name == "reset_password") purpose = identity::OtpPurpose::kResetPassword;
  if (purpose_name == "reset_pin") purpose = identity::OtpPurpose::kResetPin;
  if (purpose_name == "payment") purpose = identity::OtpPurpose::kPayment;
  if (purpose_name == "close_account") purpose = identity::OtpPurpose::kCloseAccount;
  std::string code = identity::GenerateOtpCode();
  engine::IssueOtp command{*phone, purpose,
                           identity::HashOtp(code, *phone, *Services(context).otp_pepper)};
  Services(context).engine->Submit(
      std::move(command),
      [&context, phone = *phone, template_id = "otp_" + purpose_name, code = std::move(code),
       respond = std::move(respond)](engine::Reply&& reply) mutable {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        const auto result = static_cast<identity::IdentityResult>(reply.results.at(0));
        if (result != identity::IdentityResult::kOk) {
          return respond(ErrorResponse(IdentityError(result)));
        }
        // Sending may block on the provider's network: on a worker.
        identity::SmsMessage message{phone, template_id, {{"code", std::move(code)}}};
        RunOnWorker(
            context,
            [&context, message = std::move(message), respond]() {
              if (Status s = Services(context).sms->Send(message); !s.ok()) {
                LogError("the SMS gateway refused a code",
                         {{"template", message.template_id}, {"error", s.ToString()}});
                return respond(ErrorResponse(ErrorCode::kInternal,
                                             "the code could not be sent; try again later"));
              }
              api::JsonObjectWriter answer;
              answer.Int("expires_in_seconds", identity::kOtpLifetimeNs / identity::kNsPerSecond)
                  .Int("resend_after_seconds",
                       identity::kOtpResendIntervalNs / identity::kNsPerSecond);
              respond(api::JsonResponse(202, answer));
            },
            respond);
      });
}

// --- POST /api/v1/customers ---

constexpr std::array<std::string_view, 7> kChannels = {
    "social", "search_ad", "email", "offline_event", "campus", "outreach", "organic"};

HttpResponse InviteCodeInvalid() {
  return ErrorResponse(
      api::ApiError{422, "INVITE_CODE_INVALID", "invite_code: names no customer; check it"});
}

void SubmitRegistration(WalletContext& context, HttpRequest&& request, const std::string& phone,
                        const std::string& otp, const std::optional<std::string>& channel,
                        const std::string& invite, std::string password, Responder respond);

void HandleRegister(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string phone_input = reader.RequiredString("phone", kMaxPhoneInput);
  const std::string otp = reader.RequiredString("otp", 16);
  std::string password = reader.RequiredString("password", kMaxPasswordInput);
  const std::optional<std::string> invite_code = reader.OptionalString("invite_code", 32);
  const std::optional<std::string> channel = reader.OptionalString("channel", 32);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));

  std::optional<std::string> phone = identity::NormalizePhone(phone_input);
  if (!phone) return respond(FieldInvalid("phone", "not a mainland mobile number"));
  const bool otp_ok = otp.size() == identity::kOtpDigits &&
                      otp.find_first_not_of("0123456789") == std::string::npos;
  if (!otp_ok) return respond(FieldInvalid("otp", "six digits expected"));
  if (channel && std::find(kChannels.begin(), kChannels.end(), *channel) == kChannels.end()) {
    return respond(FieldInvalid("channel", "not a known channel"));
  }
  // An invite code names an open customer (referral/invite_code.h), or the sign-up is refused
  // so the customer can correct it; typed in lower case or with I, L, O, it is kept as printed.
  std::string invite;
  if (invite_code && !invite_code->empty()) {
    const std::optional<uint64_t> inviter = referral::ParseInviteCode(*invite_code);
    if (!inviter || *inviter > referral::kMaxInviteCustomerId) {
      return respond(InviteCodeInvalid());
    }
    invite = referral::InviteCode(*inviter);
  }
  if (auto problem = PasswordProblem(password, *phone)) return respond(ErrorResponse(*problem));
  if (!invite.empty()) {
    // The engine keeps a code that names nobody for attribution only; the API refuses it.
    auto inviter_open = [invite](const engine::StateMachine& state) {
      return state.InviterOf(invite) != 0;
    };
    auto held = std::make_shared<HttpRequest>(std::move(request));
    ReadEngine<bool>(context, respond, std::move(inviter_open),
                     [&context, held, phone = *phone, otp, channel, invite,
                      password = std::move(password), respond](bool open) mutable {
                       if (!open) return respond(InviteCodeInvalid());
                       SubmitRegistration(context, std::move(*held), phone, otp, channel, invite,
                                          std::move(password), respond);
                     });
    return;
  }
  SubmitRegistration(context, std::move(request), *phone, otp, channel, invite, std::move(password),
                     respond);
}

void SubmitRegistration(WalletContext& context, HttpRequest&& request, const std::string& phone,
                        const std::string& otp, const std::optional<std::string>& channel,
                        const std::string& invite, std::string password, Responder respond) {
  // Before the argon2id hash below, the most expensive step of a sign-up.
  if (!AdmitAuthAttempt(context, AuthAction::kSignUp, request, phone, respond)) return;

  identity::Registration registration;
  registration.phone = phone;
  registration.otp_hash = identity::HashOtp(otp, phone, *Services(context).otp_pepper);
  registration.channel = channel.value_or("organic");
  registration.invite_code = invite;
  RunOnWorker(
      context,
      [&context, registration = std::move(registration), password = std::move(password),
       origin = OriginOf(request), respond]() mutable {
        std::optional<std::string> hash = identity::HashPassword(password);
        if (!hash) {
          return respond(ErrorResponse(ErrorCode::kOverloaded, "the server is busy; retry"));
        }
        registration.password_hash = std::move(*hash);
        // The device and the IP go along for the risk rules (a block-listed phone or network
        // cannot sign up). Hashed first: the callback below takes `origin` away.
        std::string device_hash = DeviceHash(context, origin.device_id);
        std::string ip_hash = IpHash(context, origin.ip);
        Services(context).engine->Submit(
            engine::RegisterCustomer{std::move(registration), std::move(device_hash),
                                     std::move(ip_hash)},
            [&context, origin = std::move(origin), respond](engine::Reply&& reply) {
              if (reply.status != engine::ReplyStatus::kOk) {
                return respond(EngineFailureResponse(reply));
              }
              const auto result = static_cast<identity::IdentityResult>(reply.results.at(0));
              if (result != identity::IdentityResult::kOk) {
                return respond(ErrorResponse(IdentityError(result)));
              }
              LogInfo("customer registered", {{"customer_id", std::to_string(reply.value)}});
              IssueCustomerSession(context, reply.value, origin, respond);
            });
      },
      respond);
}

// --- POST /api/v1/sessions and /api/v1/staff/sessions ---

// Verifies the password on a worker (against a dummy hash when there is no account), then
// records the outcome with `record` and, on success, calls `issue`.
void VerifyAndRecord(WalletContext& context, std::shared_ptr<AccountCopy> account,
                     std::string password, bool staff, Responder respond) {
  if (account->found && account->locked_until_ns > Services(context).clock->NowNs()) {
    return respond(ErrorResponse(IdentityError(identity::IdentityResult::kLoginLocked)));
  }
  RunOnWorker(
      context,
      [&context, account, password = std::move(password), staff, respond]() {
        const std::string& hash =
            account->found ? account->password_hash : DummyPasswordHash(context);
        const bool password_ok = identity::VerifyPassword(hash, password) && account->found;
        if (!account->found) return respond(InvalidCredentials());
        auto on_recorded = [&context, account, password_ok, staff, respond](engine::Reply&& reply) {
          if (reply.status != engine::ReplyStatus::kOk) {
            return respond(EngineFailureResponse(reply));
          }
          const auto result = static_cast<identity::IdentityResult>(reply.results.at(0));
          // 403 RISK_DENIED: the risk rules (or a block list) refused a right password.
          if (result == identity::IdentityResult::kLoginLocked ||
              result == identity::IdentityResult::kRiskDenied) {
            return respond(ErrorResponse(IdentityError(result)));
          }
          if (result != identity::IdentityResult::kOk || !password_ok) {
            return respond(InvalidCredentials());
          }
          if (staff) return IssueStaffSession(context, account->staff, account->origin, respond);
          RequireSecondFactor(
              context, account->id, account->second_factor, respond, [&context, account, respond] {
                IssueCustomerSession(context, account->id, account->origin, respond);
              });
        };
        // Keyed hashes of the device and the address, never the values: the audit entry
        // and, for customers, the risk rules see where the try came from.
        std::string device_hash = DeviceHash(context, account->origin.device_id);
        std::string ip_hash = IpHash(context, account->origin.ip);
        if (staff) {
          Services(context).engine->Submit(
              engine::RecordStaffLogin{account->id, password_ok, std::move(device_hash),
                                       std::move(ip_hash)},
              std::move(on_recorded));
        } else {
          // The risk engine judges a right password by its device and network.
          engine::RecordLogin command{account->id, password_ok, std::move(device_hash),
                                      std::move(ip_hash)};
          Services(context).engine->Submit(std::move(command), std::move(on_recorded));
        }
      },
      respond);
}

void HandleLogIn(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string phone_input = reader.RequiredString("phone", kMaxPhoneInput);
  std::string password = reader.RequiredString("password", kMaxPasswordInput);
  SecondFactor second_factor;
  second_factor.totp_code = reader.OptionalString("totp_code", kMaxTotpCodeChars);
  second_factor.recovery_code = reader.OptionalString("recovery_code", kMaxRecoveryCodeChars);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  // A malformed phone is just an account that does not exist.
  const std::string phone = identity::NormalizePhone(phone_input).value_or("");
  // Keyed on the phone whether or not it is registered (so a refusal tells nothing), before the
  // engine read and the argon2id check. A malformed phone is limited per address only.
  if (!AdmitAuthAttempt(context, AuthAction::kCustomerLogIn, request, phone, respond)) return;

  auto account = std::make_shared<AccountCopy>();
  account->origin = OriginOf(request);
  account->second_factor = std::move(second_factor);
  engine::Query query;
  query.read = [account, phone](const engine::StateMachine& state) {
    const identity::Customer* customer = state.customers().FindByPhone(phone);
    if (customer == nullptr) return;
    account->found = true;
    account->id = customer->id;
    account->password_hash = customer->password_hash;
    account->locked_until_ns = customer->locked_until_ns;
  };
  Services(context).engine->Submit(
      std::move(query), [&context, account, password = std::move(password),
                         respond = std::move(respond)](engine::Reply&& reply) mutable {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        VerifyAndRecord(context, account, std::move(password), /*staff=*/false, std::move(respond));
      });
}

void HandleStaffLogIn(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string username = LowerAscii(reader.RequiredString("username", kMaxUsername));
  std::string password = reader.RequiredString("password", kMaxPasswordInput);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (!AdmitAuthAttempt(context, AuthAction::kStaffLogIn, request, username, respond)) return;

  auto account = std::make_shared<AccountCopy>();
  account->origin = OriginOf(request);
  engine::Query query;
  query.read = [account, username](const engine::StateMachine& state) {
    const identity::Staff* staff = state.staff().FindByUsername(username);
    if (staff == nullptr) return;
    account->found = true;
    account->id = staff->id;
    account->password_hash = staff->password_hash;
    account->locked_until_ns = staff->locked_until_ns;
    account->staff = *staff;
    account->staff.password_hash.clear();
  };
  Services(context).engine->Submit(
      std::move(query), [&context, account, password = std::move(password),
                         respond = std::move(respond)](engine::Reply&& reply) mutable {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        VerifyAndRecord(context, account, std::move(password), /*staff=*/true, std::move(respond));
      });
}

// --- DELETE .../sessions/current ---

void EndSession(WalletContext& context, const Principal& principal, Responder respond) {
  Sessions(context).Remove(principal.token_hash);
  Services(context).engine->Submit(
      engine::RevokeSession{principal.token_hash, engine::SignOut::kSelf},
      [respond = std::move(respond)](engine::Reply&& reply) {
        if (reply.status != engine::ReplyStatus::kOk) {
          return respond(EngineFailureResponse(reply));
        }
        respond(NoContent());
      });
}

}  // namespace

void IssueDeviceLogInSession(WalletContext& context, uint64_t customer_id,
                             const HttpRequest& request, Responder respond) {
  IssueCustomerSession(context, customer_id, OriginOf(request), std::move(respond));
}

void AddAuthRoutes(Router& router, WalletContext& context) {
  router.Add("POST", "/api/v1/otp", [&context](HttpRequest&& request, Responder respond) {
    HandleIssueOtp(context, std::move(request), std::move(respond));
  });
  router.Add("POST", "/api/v1/customers", [&context](HttpRequest&& request, Responder respond) {
    HandleRegister(context, std::move(request), std::move(respond));
  });
  router.Add("POST", "/api/v1/sessions", [&context](HttpRequest&& request, Responder respond) {
    HandleLogIn(context, std::move(request), std::move(respond));
  });
  router.Add("DELETE", "/api/v1/sessions/current",
             [&context](HttpRequest&& request, Responder respond) {
               std::optional<Principal> principal = RequireCustomer(context, request, respond);
               if (principal) EndSession(context, *principal, std::move(respond));
             });
  router.Add("GET", "/api/v1/me", [&context](HttpRequest&& request, Responder respond) {
    std::optional<Principal> principal = RequireCustomer(context, request, respond);
    if (!principal) return;
    ReadCustomer(context, principal->id,
                 [&context, respond = std::move(respond)](const engine::Reply& reply,
                                                          const CustomerCopy& copy) {
                   respond(CustomerResponse(context, 200, reply, copy));
                 });
  });
  router.Add("POST", "/api/v1/staff/sessions",
             [&context](HttpRequest&& request, Responder respond) {
               HandleStaffLogIn(context, std::move(request), std::move(respond));
             });
  AddStaffRoute(router, context, "DELETE", "/api/v1/staff/sessions/current",
                [&context](const Principal& staff, HttpRequest&&, Responder respond) {
                  EndSession(context, staff, std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/me",
                [&context](const Principal& principal, HttpRequest&&, Responder respond) {
                  auto staff = std::make_shared<std::optional<identity::Staff>>();
                  engine::Query query;
                  query.read = [staff, id = principal.id](const engine::StateMachine& state) {
                    if (const identity::Staff* found = state.staff().FindById(id)) *staff = *found;
                  };
                  Services(context).engine->Submit(
                      std::move(query),
                      [staff, respond = std::move(respond)](engine::Reply&& reply) {
                        if (reply.status != engine::ReplyStatus::kOk) {
                          return respond(EngineFailureResponse(reply));
                        }
                        if (!*staff)
                          return respond(ErrorResponse(ErrorCode::kNotFound, "no such staff"));
                        respond(api::JsonResponse(200, StaffJson(**staff)));
                      });
                });
}

}  // namespace qb::wallet
