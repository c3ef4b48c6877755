#include "webhook/backoff.h"

#include <string>

#include "base/assert.h"

namespace qb::webhook {
namespace {

// A week: longer backoffs would outlive any sensible delivery promise, and the bound keeps
// exponential * jitter_percent well inside int64_t.
constexpr int64_t kMaxDelayLimitNs = 7 * 24 * 3600 * kNanosPerSecond;

}  // namespace

Status ValidateRetryPolicy(const RetryPolicy& policy) {
  if (policy.base_delay_ns <= 0 || policy.base_delay_ns > policy.max_delay_ns ||
      policy.max_delay_ns > kMaxDelayLimitNs) {
    return Status::InvalidArgument("retry delays must satisfy 0 < base <= max <= 7 days");
  }
  if (policy.max_attempts < 1 || policy.max_attempts > kMaxAttemptsLimit) {
    return Status::InvalidArgument("max_attempts must be 1.." + std::to_string(kMaxAttemptsLimit));
  }
  if (policy.jitter_percent > 100) return Status::InvalidArgument("jitter_percent above 100");
  return Status::Ok();
}

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

int64_t RetryDelayNs(uint32_t attempt, std::string_view event_id, const RetryPolicy& policy) {
  QB_ASSERT(attempt >= 1);
  QB_ASSERT(ValidateRetryPolicy(policy).ok());
  // Stops doubling at the cap, so it never overflows; the cap is reached within 63 doublings.
  int64_t exponential = policy.base_delay_ns;
  for (uint32_t i = 1; i < attempt && exponential < policy.max_delay_ns; ++i) {
    exponential = exponential > policy.max_delay_ns / 2 ? policy.max_delay_ns : exponential * 2;
  }

  const int64_t spread = exponential * policy.jitter_percent / 100;
  std::string key(event_id);
  key += ':';
  key += std::to_string(attempt);
  const uint64_t jitter = Fnv1a64(key) % (static_cast<uint64_t>(spread) + 1);
  return exponential - static_cast<int64_t>(jitter);
}

}  // namespace qb::webhook
