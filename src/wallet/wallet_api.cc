// The WalletApi object and the helpers every route file shares: authentication against the
// session cache, the worker pool, the engine's failure replies and the identity error table.
#include <chrono>
#include <thread>
#include <utility>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "identity/otp.h"
#include "identity/password.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/sessions.h"
#include "wallet/wallet_internal.h"
#include "wallet/worker_pool.h"

namespace qb::wallet {

// Jobs waiting for a worker at most; beyond, requests are answered 503 OVERLOADED.
inline constexpr size_t kWorkerQueueCapacity = 4096;

struct WalletContext {
  explicit WalletContext(WalletServices s)
      : services(std::move(s)),
        sessions(*services.clock, services.options.customer_idle_timeout_ns,
                 services.options.staff_idle_timeout_ns),
        workers(services.options.worker_threads, kWorkerQueueCapacity),
        idempotency(*services.clock) {}

  const WalletServices services;
  SessionCache sessions;
  WorkerPool workers;
  api::IdempotencyCache idempotency;
  std::string dummy_password_hash;
};

const WalletServices& Services(const WalletContext& context) { return context.services; }
api::IdempotencyCache& Idempotency(WalletContext& context) { return context.idempotency; }
SessionCache& Sessions(WalletContext& context) { return context.sessions; }
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

void RevokeInEngine(WalletContext& context, std::vector<std::string> token_hashes) {
  for (std::string& hash : token_hashes) {
    // Best effort: a revocation lost to a full queue only leaves the session to its absolute
    // expiry, and a restart gives it a fresh idle timer at worst.
    context.services.engine->Submit(engine::RevokeSession{std::move(hash)}, [](engine::Reply&&) {});
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
  return Principal{session->kind, session->id, session->roles, std::move(token_hash)};
}

}  // namespace

std::optional<Principal> RequireCustomer(WalletContext& context, const HttpRequest& request,
                                         const Responder& respond) {
  return Authenticate(context, request, respond, Principal::Kind::kCustomer);
}

std::optional<Principal> RequireStaff(WalletContext& context, const HttpRequest& request,
                                      const Responder& respond,
                                      std::initializer_list<identity::StaffRole> any_of) {
  std::optional<Principal> principal =
      Authenticate(context, request, respond, Principal::Kind::kStaff);
  if (!principal || any_of.size() == 0) return principal;
  for (identity::StaffRole role : any_of) {
    if (identity::HasRole(principal->roles, role)) return principal;
  }
  respond(api::ErrorResponse(api::ErrorCode::kForbidden, "your role does not allow this"));
  return std::nullopt;
}

std::optional<api::JsonObject> ParseBody(const HttpRequest& request, const Responder& respond) {
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
    return std::nullopt;
  }
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
    case IdentityResult::kInvalid:
      return api::MakeError(ErrorCode::kBadRequest, "the request is not valid");
    case IdentityResult::kOk:
    case IdentityResult::kSessionExists:
      break;
  }
  return api::MakeError(ErrorCode::kInternal, "the request could not be executed");
}

std::optional<uint64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 19 || text.front() == '0') return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
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
            !services.otp_pepper->empty());
  impl_->context = std::make_unique<WalletContext>(std::move(services));
  WalletContext& context = *impl_->context;
  std::optional<std::string> dummy = identity::HashPassword("not-a-password-0");
  QB_ASSERT(dummy.has_value());
  context.dummy_password_hash = std::move(*dummy);
  LoadSessions(context);

  AddAuthRoutes(router, context);
  AddMoneyRoutes(router, context);
  AddConsoleRoutes(router, context);
  router.Add("GET", "/api/openapi.json", [](HttpRequest&&, Responder respond) {
    HttpResponse response;
    response.body = std::string(OpenApiDocument());
    response.headers.emplace_back("Cache-Control", "public, max-age=300");
    respond(std::move(response));
  });
}

WalletApi::~WalletApi() {
  // Queued jobs still run (each holds a client's Responder); then the threads stop.
  impl_->context->workers.Stop();
}

}  // namespace qb::wallet
