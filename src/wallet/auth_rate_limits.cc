#include "wallet/auth_rate_limits.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "api/errors.h"
#include "base/assert.h"
#include "ratelimit/ip_key.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

// The key for a peer address the socket layer did not give in a form IpRateLimitKey reads. It
// does not happen with the Beast server; if it did, such clients would share one budget.
constexpr std::string_view kUnknownAddressKey = "unknown";

constexpr bool RulesAreInActionOrder() {
  for (size_t i = 0; i < kAuthRateRules.size(); ++i) {
    if (static_cast<size_t>(kAuthRateRules[i].action) != i) return false;
  }
  return true;
}
static_assert(RulesAreInActionOrder(), "kAuthRateRules must list the actions in enum order");

}  // namespace

Status AuthRateLimits::Create(int64_t max_keys, std::unique_ptr<AuthRateLimits>* out) {
  std::vector<ratelimit::RuleConfig> configs;
  std::array<std::string, kAuthActionCount> ip_rule;
  std::array<std::string, kAuthActionCount> subject_rule;
  for (const AuthRateRules& rules : kAuthRateRules) {
    const size_t index = static_cast<size_t>(rules.action);
    ip_rule[index] = std::string(rules.name) + "_ip";
    configs.push_back(ratelimit::RuleConfig{ip_rule[index], rules.per_ip_limit,
                                            rules.per_ip_period_ns, max_keys,
                                            ratelimit::TableFullPolicy::kRefuseNewKeys});
    if (rules.per_subject_limit == 0) continue;
    subject_rule[index] = std::string(rules.name) + "_subject";
    configs.push_back(ratelimit::RuleConfig{subject_rule[index], rules.per_subject_limit,
                                            rules.per_subject_period_ns, max_keys,
                                            ratelimit::TableFullPolicy::kRefuseNewKeys});
  }
  std::unique_ptr<ratelimit::RateLimiter> limiter;
  Status s =
      ratelimit::RateLimiter::Create(std::move(configs), ratelimit::RateLimiterOptions(), &limiter);
  if (!s.ok()) return s;
  out->reset(new AuthRateLimits(std::move(limiter)));
  (*out)->ip_rule_ = std::move(ip_rule);
  (*out)->subject_rule_ = std::move(subject_rule);
  return Status::Ok();
}

AuthRateLimits::AuthRateLimits(std::unique_ptr<ratelimit::RateLimiter> limiter)
    : limiter_(std::move(limiter)) {}

int64_t AuthRateLimits::Check(AuthAction action, std::string_view remote_address,
                              std::string_view subject, int64_t now_ns) {
  const size_t index = static_cast<size_t>(action);
  QB_ASSERT(index < kAuthActionCount);
  const std::optional<std::string> ip_key = ratelimit::IpRateLimitKey(remote_address);
  const ratelimit::Decision by_ip = limiter_->Check(
      ip_rule_[index], ip_key ? std::string_view(*ip_key) : kUnknownAddressKey, now_ns);
  if (!by_ip.allowed) return std::max<int64_t>(1, by_ip.retry_after_ns);
  if (subject_rule_[index].empty() || subject.empty()) return 0;
  const ratelimit::Decision by_subject = limiter_->Check(subject_rule_[index], subject, now_ns);
  return by_subject.allowed ? 0 : std::max<int64_t>(1, by_subject.retry_after_ns);
}

HttpResponse RateLimitedResponse(int64_t retry_after_ns) {
  // Whole seconds, rounded up: a client that waits exactly this long is allowed.
  int64_t seconds = retry_after_ns / kNsPerSecond + (retry_after_ns % kNsPerSecond != 0);
  if (seconds < 1) seconds = 1;
  const std::string text = std::to_string(seconds);
  HttpResponse response = api::ErrorResponse(api::ErrorCode::kRateLimited,
                                             "too many attempts; retry after " + text + " s");
  response.headers.emplace_back("Retry-After", text);
  return response;
}

bool AdmitAuthAttempt(WalletContext& context, AuthAction action, const HttpRequest& request,
                      std::string_view subject, const Responder& respond) {
  if (!Services(context).options.auth_rate_limits) return true;
  const int64_t now_ns = Services(context).clock->NowNs();
  const int64_t retry_after_ns =
      RateLimits(context).Check(action, request.remote_address, subject, now_ns);
  if (retry_after_ns == 0) return true;
  respond(RateLimitedResponse(retry_after_ns));
  return false;
}

}  // namespace qb::wallet
