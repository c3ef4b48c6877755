// In-memory rate limits in front of the endpoints that check a password or send an SMS: a cheap
// first line that refuses a flood before it costs an engine command, an argon2id hash or an SMS.
// Not part of the module's public header.
//
// Layering. The engine keeps its own rules as journaled, deterministic state (the same after a
// restart and on a replica): one code a minute and ten a day per phone
// (identity::kOtpResendIntervalNs, kOtpMaxPerDay), five tries per code, and the log-in lockout
// after five wrong passwords (identity::kMaxFailedLogins, kLoginLockNs). Those decide what a
// phone or an account may have; they stay the authority. The rules here only bound how often
// anyone may ask, counting the attempts the engine would refuse too, and they live in memory
// only (a restart gives every key a fresh budget, which the engine rules still bound). They are
// set above what the engine rules let a legitimate client use, so a client that merely retries
// too soon still hears the engine's answer (OTP_TOO_FREQUENT, OTP_DAILY_LIMIT, LOGIN_LOCKED):
// e.g. a phone may ask for a code 20 times an hour here, the engine sends it at most 10.
//
// Keys. Every action is limited per client address and most also per what the request names
// (the phone or the username, normalized as the handler looks it up, whether or not such an
// account exists: refusing only known names would tell an attacker which names exist). The
// address is the TCP peer (HttpRequest::remote_address) reduced by ratelimit::IpRateLimitKey
// (the IPv4 address, or the IPv6 /64). X-Forwarded-For is never read: any client can send it.
// Behind a reverse proxy every client would share the proxy's address, so trusting the proxy's
// header needs a config option naming the trusted proxies (a noted follow-up, not done).
//
// The address is charged first and the name only if the address was allowed, so a refused
// address spends nobody's per-name budget. Nothing is ever given back: in particular a
// successful log-in does not reset the per-address budget, or an attacker holding one valid
// account could interleave its log-ins with guesses at other accounts and never be stopped.
//
// Every rule fails closed: when a rule's table holds max_keys keys that are all still in debt, a
// new key is refused until the oldest debt decays (see ratelimit::TableFullPolicy). An attacker
// who mints many names can so block new names for at most one period; size max_keys
// (WalletOptions::rate_limit_max_keys) for the expected population.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ratelimit/rate_limiter.h"
#include "server/http_server.h"

namespace qb::wallet {

struct WalletContext;

enum class AuthAction : uint8_t {
  kSendOtp,              // POST /api/v1/otp, per phone
  kSignUp,               // POST /api/v1/customers, per phone
  kCustomerLogIn,        // POST /api/v1/sessions, per phone
  kStaffLogIn,           // POST /api/v1/staff/sessions, per username
  kMerchantLogIn,        // POST /api/v1/merchant/sessions, per username
  kMerchantApplication,  // POST /api/v1/merchant-applications, per address only
  kRedeemCode,           // POST /api/v1/me/coupon-codes, per customer
};
inline constexpr size_t kAuthActionCount = 7;

// The limits of one action. A rule allows a burst of `limit` and then one more every
// period / limit (GCRA; see rate_limiter.h for what that means over a rolling window).
struct AuthRateRules {
  AuthAction action;
  std::string_view name;  // Rules are named "<name>_ip" and "<name>_subject".
  int64_t per_ip_limit;
  int64_t per_ip_period_ns;
  int64_t per_subject_limit;  // 0: no per-subject rule.
  int64_t per_subject_period_ns;
};

inline constexpr int64_t kRateMinuteNs = int64_t{60} * 1'000'000'000;
inline constexpr int64_t kRateHourNs = 60 * kRateMinuteNs;

// The defaults, in AuthAction order. Sign-up per phone is bounded anyway by the codes a phone
// can get; the per-phone OTP rule sits above the engine's 10 codes an hour (see above).
inline constexpr std::array<AuthRateRules, kAuthActionCount> kAuthRateRules = {{
    {AuthAction::kSendOtp, "otp", 30, kRateHourNs, 20, kRateHourNs},
    {AuthAction::kSignUp, "sign_up", 10, kRateHourNs, 10, kRateHourNs},
    {AuthAction::kCustomerLogIn, "customer_log_in", 20, kRateMinuteNs, 10, 15 * kRateMinuteNs},
    {AuthAction::kStaffLogIn, "staff_log_in", 20, kRateMinuteNs, 10, 15 * kRateMinuteNs},
    {AuthAction::kMerchantLogIn, "merchant_log_in", 20, kRateMinuteNs, 10, 15 * kRateMinuteNs},
    {AuthAction::kMerchantApplication, "merchant_application", 5, kRateHourNs, 0, 0},
    // Every attempt counts, right or wrong: a person redeems a few codes, a guesser millions.
    {AuthAction::kRedeemCode, "redeem_code", 60, kRateHourNs, 20, kRateHourNs},
}};

// Thread-safe: Check may be called from any I/O thread.
class AuthRateLimits {
 public:
  // `max_keys` is per rule; kInvalidArgument when it is below 16 or above 2^30.
  static Status Create(int64_t max_keys, std::unique_ptr<AuthRateLimits>* out);

  // Charges one attempt at `action` to the client address and then, when the action has a
  // per-subject rule and `subject` is not empty, to `subject`. Returns 0 when both allow it,
  // else the wait in ns before the same attempt would be allowed.
  int64_t Check(AuthAction action, std::string_view remote_address, std::string_view subject,
                int64_t now_ns);

 private:
  explicit AuthRateLimits(std::unique_ptr<ratelimit::RateLimiter> limiter);

  std::unique_ptr<ratelimit::RateLimiter> limiter_;
  std::array<std::string, kAuthActionCount> ip_rule_;
  std::array<std::string, kAuthActionCount> subject_rule_;  // "" when there is none.
};

// 429 RATE_LIMITED with Retry-After: the wait rounded up to whole seconds (at least 1). The
// message does not say which rule refused.
HttpResponse RateLimitedResponse(int64_t retry_after_ns);

// Checks the attempt against the context's limits at the wallet clock's now. Returns true when
// allowed; otherwise answers RateLimitedResponse through `respond` and returns false, and the
// handler must do nothing more.
bool AdmitAuthAttempt(WalletContext& context, AuthAction action, const HttpRequest& request,
                      std::string_view subject, const Responder& respond);

// The context's limits; defined in wallet_api.cc.
AuthRateLimits& RateLimits(WalletContext& context);

}  // namespace qb::wallet
