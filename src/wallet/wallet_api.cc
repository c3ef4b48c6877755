// The WalletApi object and the helpers every route file shares: authentication against the
// session cache, the worker pool, the engine's failure replies and the identity error table.
#include <chrono>
#include <thread>
#include <utility>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "identity/otp.h"
#include "identity/password.h"
#include "merchant/request_signing.h"
#include "payments/payment_book.h"
#include "server/log.h"
#include "wallet/auth_rate_limits.h"
#include "wallet/device_factor.h"
#include "wallet/handler_util.h"
#include "wallet/payment_internal.h"
#include "wallet/periodic_task.h"
#include "wallet/sessions.h"
#include "wallet/totp_internal.h"
#include "wallet/wallet_internal.h"
#include "wallet/worker_pool.h"

namespace qb::wallet {

// Jobs waiting for a worker at most; beyond, requests are answered 503 OVERLOADED.
inline constexpr size_t kWorkerQueueCapacity = 4096;
// Nonces of signed merchant requests remembered for replay protection (each for the 5-minute
// window); beyond, signed requests are refused until older nonces expire.
inline constexpr size_t kSignedRequestNonces = 1'000'000;

struct WalletContext {
  explicit WalletContext(WalletServices s)
      : services(std::move(s)),
        sessions(*services.clock, services.options.customer_idle_timeout_ns,
                 services.options.staff_idle_timeout_ns),
        workers(services.options.worker_threads, kWorkerQueueCapacity),
        idempotency(*services.clock),
        signed_requests(
            [this](std::string_view key_id) -> std::optional<std::string> {
              std::optional<PaymentSecrets::ApiKeySecret> key = payment_secrets.FindApiKey(key_id);
              if (!key) return std::nullopt;
              return std::move(key->secret);
            },
            kSignedRequestNonces) {}

  const WalletServices services;
  SessionCache sessions;
  WorkerPool workers;
  api::IdempotencyCache idempotency;
  std::string dummy_password_hash;
  PaymentSecrets payment_secrets;
  merchant::RequestVerifier signed_requests;
  std::unique_ptr<webhook::DeliveryLog> webhook_log = MakeOutboxDeliveryLog(services.store);
  std::unique_ptr<webhook::WebhookDispatcher> webhooks;
  std::unique_ptr<PeriodicTask> webhook_sweep;
  std::unique_ptr<PeriodicTask> settlement;
  std::unique_ptr<PeriodicTask> credit_invoices;
  std::unique_ptr<PeriodicTask> identity_purge;
  std::unique_ptr<PeriodicTask> cashback_release;
  std::unique_ptr<AuthRateLimits> rate_limits;  // Log-in, sign-up and OTP attempts.
};

PaymentSecrets& Secrets(WalletContext& context) { return context.payment_secrets; }
webhook::WebhookDispatcher& Webhooks(WalletContext& context) { return *context.webhooks; }

const WalletServices& Services(const WalletContext& context) { return context.services; }
api::IdempotencyCache& Idempotency(WalletContext& context) { return context.idempotency; }
SessionCache& Sessions(WalletContext& context) { return context.sessions; }
AuthRateLimits& RateLimits(WalletContext& context) { return *context.rate_limits; }
const std::string& DummyPasswordHash(const WalletContext& context) {
  return context.dummy_password_hash;
}

bool RunOnWorker(WalletContext& context, std::function<void()> work, const Responder& respond) {
  if (context.workers.TrySubmit(std::move(work))) return true;
  respond(api::ErrorResponse(api::ErrorCode::kOverloaded, "the server is busy; retry shortly"));
  return false;
}

HttpResponse EngineFailureResponse(const engine::Reply& reply) {
  switch (reply.status) {
    case engine::ReplyStatus::kOverloaded:
    case engine::ReplyStatus::kShuttingDown:
      return api::ErrorResponse(api::ErrorCode::kOverloaded, "the server is busy; retry shortly");
    case engine::ReplyStatus::kStoreFailed:
      return api::ErrorResponse(api::ErrorCode::kStoreUnavailable,
                                "the change could not be stored; its outcome is unknown");
    case engine::ReplyStatus::kOk:
    case engine::ReplyStatus::kInvalidCommand:
      break;
  }
  return api::ErrorResponse(api::ErrorCode::kInternal, "the request could not be executed");
}

void RevokeInEngine(WalletContext& context, std::vector<std::string> token_hashes,
                    engine::SignOut reason) {
  for (std::string& hash : token_hashes) {
    // Best effort: a revocation lost to a full queue only leaves the session to its absolute
    // expiry, and a restart gives it a fresh idle timer at worst.
    context.services.engine->Submit(engine::RevokeSession{std::move(hash), reason},
                                    [](engine::Reply&&) {});
  }
}

namespace {

// The token of "Authorization: Bearer <token>", or "" when absent or malformed.
std::string_view BearerToken(const HttpRequest& request) {
  std::string_view value = request.Header("Authorization");
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); i++) {
    const char c = value[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) return {};
  }
  value.remove_prefix(kScheme.size());
  if (value.size() != identity::kSessionTokenChars) return {};
  for (char c : value) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return {};
  }
  return value;
}

// The live session behind the request's token, of `kind`, or nullopt after answering 401.
std::optional<Principal> Authenticate(WalletContext& context, const HttpRequest& request,
                                      const Responder& respond, Principal::Kind kind) {
  const std::string_view token = BearerToken(request);
  std::optional<CachedSession> session;
  std::string token_hash;
  if (!token.empty()) {
    token_hash = identity::HashSessionToken(token);
    std::vector<std::string> expired;
    session = context.sessions.Touch(token_hash, &expired);
    if (!expired.empty()) RevokeInEngine(context, std::move(expired));
  }
  if (!session || session->kind != kind) {
    respond(api::ErrorResponse(api::ErrorCode::kUnauthorized,
                               "a valid session token is required (Authorization: Bearer)"));
    return std::nullopt;
  }
  return Principal{session->kind, session->id, session->roles, std::move(token_hash),
                   session->merchant_id};
}

}  // namespace

std::optional<Principal> RequireCustomer(WalletContext& context, const HttpRequest& request,
                                         const Responder& respond) {
  return Authenticate(context, request, respond, Principal::Kind::kCustomer);
}

std::optional<Principal> RequireStaffRoles(WalletContext& context, const HttpRequest& request,
                                           const Responder& respond, uint32_t any_of) {
  std::optional<Principal> principal =
      Authenticate(context, request, respond, Principal::Kind::kStaff);
  if (!principal || (principal->roles & any_of) != 0) return principal;
  respond(api::ErrorResponse(api::ErrorCode::kForbidden, "your role does not allow this"));
  return std::nullopt;
}

std::optional<Principal> RequireStaff(WalletContext& context, const HttpRequest& request,
                                      const Responder& respond,
                                      std::initializer_list<identity::StaffRole> any_of) {
  uint32_t bits = any_of.size() == 0 ? identity::kAllStaffRoles : 0;
  for (identity::StaffRole role : any_of) bits |= static_cast<uint32_t>(role);
  return RequireStaffRoles(context, request, respond, bits);
}

std::optional<MerchantCaller> RequireMerchant(WalletContext& context, const HttpRequest& request,
                                              const Responder& respond, bool owner_only,
                                              bool allow_api_key) {
  const std::string_view authorization = request.Header("Authorization");
  if (authorization.starts_with(merchant::kSigningScheme)) {
    merchant::AuthorizationFields fields;
    if (merchant::ParseAuthorizationHeader(authorization, &fields) !=
        merchant::HeaderParseError::kOk) {
      respond(api::ErrorResponse(api::ErrorCode::kSignatureInvalid,
                                 "the Authorization header is not a valid QB-HMAC-SHA256 header"));
      return std::nullopt;
    }
    const std::string_view target = request.target;
    const size_t question = target.find('?');
    const merchant::RequestToSign to_sign{
        request.method, request.Path(),
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1),
        request.body};
    const int64_t now_s = context.services.clock->NowNs() / 1'000'000'000;
    const merchant::VerifyResult result = context.signed_requests.Verify(to_sign, fields, now_s);
    switch (result) {
      case merchant::VerifyResult::kOk:
        break;
      case merchant::VerifyResult::kStaleTimestamp:
        respond(api::ErrorResponse(api::ErrorCode::kTimestampStale,
                                   "the request's timestamp is more than 5 minutes off"));
        return std::nullopt;
      case merchant::VerifyResult::kReplayedNonce:
        respond(api::ErrorResponse(api::ErrorCode::kNonceReplayed,
                                   "this nonce was used already; sign every request anew"));
        return std::nullopt;
      case merchant::VerifyResult::kReplayCacheFull:
        respond(api::ErrorResponse(api::ErrorCode::kOverloaded, "the server is busy; retry"));
        return std::nullopt;
      default:
        respond(api::ErrorResponse(api::ErrorCode::kSignatureInvalid,
                                   "the request signature is not valid"));
        return std::nullopt;
    }
    std::optional<PaymentSecrets::ApiKeySecret> key =
        context.payment_secrets.FindApiKey(fields.key_id);
    if (!key) {  // Revoked between the check and now.
      respond(api::ErrorResponse(api::ErrorCode::kSignatureInvalid, "the API key is revoked"));
      return std::nullopt;
    }
    if (owner_only || !allow_api_key) {
      respond(api::ErrorResponse(api::ErrorCode::kForbidden,
                                 "only a merchant-portal session may do this"));
      return std::nullopt;
    }
    return MerchantCaller{key->merchant_id, 0, payments::kMerchantCashier, fields.key_id, ""};
  }
  std::optional<Principal> principal =
      Authenticate(context, request, respond, Principal::Kind::kMerchant);
  if (!principal) return std::nullopt;
  if (owner_only && (principal->roles & payments::kMerchantOwner) == 0) {
    respond(
        api::ErrorResponse(api::ErrorCode::kForbidden, "only the merchant's owner may do this"));
    return std::nullopt;
  }
  return MerchantCaller{principal->merchant_id, principal->id, principal->roles, "",
                        principal->token_hash};
}

bool IsJson(const HttpRequest& request, const Responder& respond) {
  std::string_view type = request.Header("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  bool json = type.size() == 16;
  constexpr std::string_view kJson = "application/json";
  for (size_t i = 0; json && i < kJson.size(); i++) {
    const char c = type[i];
    json = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == kJson[i];
  }
  if (!json) {
    respond(api::ErrorResponse(api::ErrorCode::kUnsupportedMediaType,
                               "the body must be application/json"));
  }
  return json;
}

std::optional<api::JsonObject> ParseBody(const HttpRequest& request, const Responder& respond) {
  if (!IsJson(request, respond)) return std::nullopt;
  api::ApiResult<api::JsonObject> parsed = api::ParseJsonObject(request.body);
  if (!parsed.ok()) {
    respond(api::ErrorResponse(parsed.error()));
    return std::nullopt;
  }
  return std::move(parsed).value();
}

api::ApiError IdentityError(identity::IdentityResult result) {
  using api::ErrorCode;
  using identity::IdentityResult;
  switch (result) {
    case IdentityResult::kOtpTooFrequent:
      return api::MakeError(ErrorCode::kOtpTooFrequent, "wait a minute before asking again");
    case IdentityResult::kOtpDailyLimit:
      return api::MakeError(ErrorCode::kOtpDailyLimit, "too many codes today for this phone");
    case IdentityResult::kOtpNotFound:
      return api::MakeError(ErrorCode::kOtpNotFound, "no code is waiting; ask for a new one");
    case IdentityResult::kOtpExpired:
      return api::MakeError(ErrorCode::kOtpExpired, "the code has expired; ask for a new one");
    case IdentityResult::kOtpTooManyTries:
      return api::MakeError(ErrorCode::kOtpTooManyTries, "too many wrong codes; ask for a new one");
    case IdentityResult::kOtpMismatch:
      return api::MakeError(ErrorCode::kOtpInvalid, "the code is wrong");
    case IdentityResult::kPhoneTaken:
      return api::MakeError(ErrorCode::kPhoneTaken, "the phone number is already registered");
    case IdentityResult::kCustomerNotFound:
      return api::MakeError(ErrorCode::kNotFound, "no such customer");
    case IdentityResult::kLoginLocked:
      return api::MakeError(ErrorCode::kLoginLocked,
                            "too many wrong passwords; log-in is locked for 30 minutes");
    case IdentityResult::kSessionNotFound:
      return api::MakeError(ErrorCode::kUnauthorized, "the session has ended");
    case IdentityResult::kStaffTaken:
      return api::MakeError(ErrorCode::kConflict, "the username is taken");
    case IdentityResult::kAlreadyVerified:
      return api::MakeError(ErrorCode::kAlreadyVerified, "the identity is already verified");
    case IdentityResult::kIdentityTaken:
      return api::MakeError(ErrorCode::kIdentityTaken, "the identity verifies another wallet");
    case IdentityResult::kNotVerified:
      return api::MakeError(ErrorCode::kIdentityRequired, "verify the identity first");
    case IdentityResult::kCardTaken:
      return api::MakeError(ErrorCode::kCardTaken, "the card is already bound");
    case IdentityResult::kCardLimit:
      return api::MakeError(ErrorCode::kCardLimit, "the wallet has the most cards it may hold");
    case IdentityResult::kCardNotFound:
      return api::MakeError(ErrorCode::kCardNotFound, "no such card");
    case IdentityResult::kStaffNotFound:
      return api::MakeError(ErrorCode::kNotFound, "no such staff member");
    case IdentityResult::kPinNotSet:
      return api::MakeError(ErrorCode::kPinNotSet, "no payment PIN is set; set one first");
    case IdentityResult::kPinAlreadySet:
      return api::MakeError(ErrorCode::kPinAlreadySet,
                            "a payment PIN is set already; change or reset it");
    case IdentityResult::kPinLocked:
      return api::MakeError(ErrorCode::kPinLocked, "too many wrong PINs; paying is locked");
    case IdentityResult::kPinMismatch:
      return api::MakeError(ErrorCode::kPinWrong, "the payment PIN is wrong");
    case IdentityResult::kIdentityMismatch:
      return api::MakeError(ErrorCode::kIdentityMismatch,
                            "the resident ID is not the verified one");
    case IdentityResult::kTotpNotEnabled:
      return api::MakeError(ErrorCode::kTotpNotEnabled, "two-step log-in is not on");
    case IdentityResult::kTotpAlreadyEnabled:
      return api::MakeError(ErrorCode::kTotpAlreadyEnabled,
                            "two-step log-in is on already; turn it off first");
    case IdentityResult::kTotpNotPending:
      return api::MakeError(ErrorCode::kTotpNotPending, "start the enrolment first");
    case IdentityResult::kTotpInvalid:
      return api::MakeError(ErrorCode::kTotpInvalid, "the code is wrong or was used already");
    case IdentityResult::kTotpLocked:
      return api::MakeError(ErrorCode::kTotpLocked,
                            "too many wrong codes; two-step log-in is locked for 30 minutes");
    case IdentityResult::kBalanceNotZero:
      return api::MakeError(ErrorCode::kBalanceNotZero,
                            "the wallet still holds money; withdraw or spend it first");
    case IdentityResult::kCustomerClosed:
      return api::MakeError(ErrorCode::kNotFound, "the account is closed");
    case IdentityResult::kRiskDenied:
      return RiskDeniedError();  // risk_routes.cc
    case IdentityResult::kInvalid:
      return api::MakeError(ErrorCode::kBadRequest, "the request is not valid");
    case IdentityResult::kOk:
    case IdentityResult::kSessionExists:
      break;
  }
  return api::MakeError(ErrorCode::kInternal, "the request could not be executed");
}

bool IsValidUsername(std::string_view name) {
  if (name.size() < 3 || name.size() > 32 || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string LowerAscii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

HttpResponse ErrorWith(api::ErrorCode code, std::string message,
                       const std::function<void(api::JsonObjectWriter&)>& extra) {
  const api::ApiError error = api::MakeError(code, std::move(message));
  api::JsonObjectWriter inner;
  inner.String("code", error.code).String("message", error.message);
  extra(inner);
  api::JsonObjectWriter body;
  body.Object("error", std::move(inner));
  HttpResponse response = api::JsonResponse(error.http_status, body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse FieldInvalid(std::string_view field, std::string_view why) {
  return api::ErrorResponse(api::ErrorCode::kFieldInvalid,
                            std::string(field) + ": " + std::string(why));
}

std::optional<uint64_t> ParseId(std::string_view text) {
  // Up to 20 digits: payment and transfer ids use the whole 64 bits.
  if (text.empty() || text.size() > 20 || text.front() == '0') return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

api::JsonObjectWriter StaffJson(const identity::Staff& staff) {
  api::JsonArrayWriter roles;
  for (std::string_view name : identity::StaffRoleNames(staff.roles)) roles.String(name);
  api::JsonObjectWriter json;
  json.String("id", std::to_string(staff.id))
      .String("username", staff.username)
      .String("display_name", staff.display_name)
      .Array("roles", std::move(roles))
      .String("created_at", Rfc3339(staff.created_ns));
  return json;
}

bool WaitForProjection(const WalletContext& context, uint64_t seq, int64_t timeout_ns) {
  const int64_t deadline_ns = MonotonicNowNs() + timeout_ns;
  for (;;) {
    if (context.services.engine->stats().projected_seq >= seq) return true;
    if (MonotonicNowNs() >= deadline_ns) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

namespace {

// Every live session in the engine, so tokens issued before a restart keep working. Their idle
// timers start now: the engine does not record when a session was last used.
void LoadSessions(WalletContext& context) {
  struct Loaded {
    std::string hash;
    CachedSession session;
  };
  std::vector<Loaded> loaded;
  const int64_t now_ns = context.services.clock->NowNs();
  engine::Query query;
  query.read = [&loaded, now_ns](const engine::StateMachine& state) {
    state.customers().ForEachSession([&](std::string_view hash, const identity::Session& s) {
      if (s.expires_ns <= now_ns) return;
      loaded.push_back({std::string(hash), CachedSession{Principal::Kind::kCustomer, s.customer_id,
                                                         0, s.created_ns, s.expires_ns, now_ns}});
    });
    state.staff().ForEachSession([&](std::string_view hash, const identity::Session& s) {
      const identity::Staff* staff = state.staff().FindById(s.customer_id);
      if (s.expires_ns <= now_ns || staff == nullptr) return;
      loaded.push_back(
          {std::string(hash), CachedSession{Principal::Kind::kStaff, staff->id, staff->roles,
                                            s.created_ns, s.expires_ns, now_ns}});
    });
    const identity::StaffBook& users = state.payments().users();
    users.ForEachSession([&](std::string_view hash, const identity::Session& s) {
      const identity::Staff* user = users.FindById(s.customer_id);
      if (s.expires_ns <= now_ns || user == nullptr) return;
      loaded.push_back(
          {std::string(hash),
           CachedSession{Principal::Kind::kMerchant, user->id, user->roles, s.created_ns,
                         s.expires_ns, now_ns, state.payments().MerchantOfUser(user->id)}});
    });
  };
  engine::Reply reply = context.services.engine->Execute(std::move(query));
  if (reply.status != engine::ReplyStatus::kOk) {
    LogError("could not load sessions; everyone must log in again",
             {{"status", engine::ReplyStatusName(reply.status)}});
    return;
  }
  for (Loaded& entry : loaded) context.sessions.Put(std::move(entry.hash), entry.session);
  LogInfo("sessions loaded", {{"count", std::to_string(loaded.size())}});
}

}  // namespace

struct WalletApi::Impl {
  std::unique_ptr<WalletContext> context;
};

WalletApi::WalletApi(WalletServices services, Router& router) : impl_(std::make_unique<Impl>()) {
  QB_ASSERT(services.engine != nullptr && services.store != nullptr && services.clock != nullptr &&
            services.vault != nullptr && services.sms != nullptr && services.verifier != nullptr &&
            services.bank != nullptr && services.otp_pepper != nullptr &&
            !services.otp_pepper->empty() && services.qr_key != nullptr &&
            services.qr_keys != nullptr && services.webhook_key != nullptr &&
            services.invoices != nullptr && services.nfc_issuer_key != nullptr);
  impl_->context = std::make_unique<WalletContext>(std::move(services));
  WalletContext& context = *impl_->context;
  std::optional<std::string> dummy = identity::HashPassword("not-a-password-0");
  QB_ASSERT(dummy.has_value());
  context.dummy_password_hash = std::move(*dummy);
  Status limits =
      AuthRateLimits::Create(context.services.options.rate_limit_max_keys, &context.rate_limits);
  QB_ASSERT(limits.ok() && "invalid WalletOptions::rate_limit_max_keys");
  LoadSessions(context);
  LoadPaymentSecrets(context);
  Status webhooks =
      webhook::WebhookDispatcher::Create(context.services.options.webhooks, context.services.clock,
                                         context.webhook_log.get(), &context.webhooks);
  QB_ASSERT(webhooks.ok() && "invalid webhook dispatcher options");
  // The first sweep (at once) queues what was owed when the server stopped.
  context.webhook_sweep =
      std::make_unique<PeriodicTask>(context.services.options.webhook_sweep_interval_ns,
                                     [&context] { SweepWebhookOutbox(context); });
  context.settlement = std::make_unique<PeriodicTask>(
      context.services.options.settlement_check_interval_ns, MakeSettlementScheduler(context));
  context.credit_invoices =
      std::make_unique<PeriodicTask>(context.services.options.credit_invoice_interval_ns,
                                     [&context] { IssueOwedCreditInvoices(context); });
  context.identity_purge =
      std::make_unique<PeriodicTask>(context.services.options.identity_purge_interval_ns,
                                     [&context] { PurgeClosedIdentities(context); });
  context.cashback_release =
      std::make_unique<PeriodicTask>(context.services.options.cashback_release_interval_ns,
                                     [&context] { ReleaseDueCashback(context); });

  AddAuthRoutes(router, context);
  AddMoneyRoutes(router, context);
  AddConsoleRoutes(router, context);
  AddAuditRoutes(router, context);
  AddPiiRoutes(router, context);
  AddSecurityEventRoutes(router, context);
  AddDataExportRoutes(router, context);
  AddAccountClosureRoutes(router, context);
  AddSessionRoutes(router, context);
  AddTotpRoutes(router, context);
  AddDeviceKeyRoutes(router, context);  // device_key_routes.cc
  AddMerchantRoutes(router, context);
  AddMerchantUserRoutes(router, context);
  AddMerchantPaymentRoutes(router, context);
  AddPayRoutes(router, context);
  AddInvoiceRoutes(router, context);
  AddReportRoutes(router, context);
  AddSettlementRoutes(router, context);
  AddNfcRoutes(router, context);
  AddWebhookRoutes(router, context);
  AddMarketingRoutes(router, context);
  AddPointsRoutes(router, context);
  AddReferralRoutes(router, context);
  AddLotteryRoutes(router, context);
  AddRedPacketRoutes(router, context);
  AddCouponCodeRoutes(router, context);
  AddOfferRoutes(router, context);
  AddCustomerListRoutes(router, context);
  AddCampaignHistoryRoutes(router, context);
  AddRiskRoutes(router, context);
  AddAmlRoutes(router, context);
  router.Add("GET", "/api/openapi.json", [](HttpRequest&&, Responder respond) {
    HttpResponse response;
    response.body = std::string(OpenApiDocument());
    response.headers.emplace_back("Cache-Control", "public, max-age=300");
    respond(std::move(response));
  });
}

WalletApi::~WalletApi() {
  impl_->context->settlement->Stop();
  impl_->context->webhook_sweep->Stop();
  impl_->context->credit_invoices->Stop();
  impl_->context->identity_purge->Stop();
  impl_->context->cashback_release->Stop();
  // Queued jobs still run (each holds a client's Responder); then the threads stop.
  impl_->context->workers.Stop();
  impl_->context->webhooks->Stop();
}

}  // namespace qb::wallet
