// When to try a webhook again after a failed attempt.
//
// The delay after attempt n (1-based) is base_delay * 2^(n-1), capped at max_delay, minus a
// jitter of up to jitter_percent of that delay. The jitter is derived from a hash of the event id
// and n, not from a random source: the schedule of an event is reproducible (tests, support
// questions), while events that failed together (a merchant's outage) still spread out instead
// of all hitting the merchant again at the same instant. The jitter only ever shortens the delay,
// so max_delay is a true upper bound.
//
// With the defaults an event is tried 8 times over about 10.5 minutes (5 s, 10 s, 20 s, ... 320 s
// between attempts), then marked failed; a manual re-send is still possible.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace qb::webhook {

inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr uint32_t kMaxAttemptsLimit = 64;

struct RetryPolicy {
  int64_t base_delay_ns = 5 * kNanosPerSecond;
  int64_t max_delay_ns = 3600 * kNanosPerSecond;
  uint32_t max_attempts = 8;  // attempts in all, the first included
  uint32_t jitter_percent = 10;
};

// kInvalidArgument unless 0 < base_delay_ns <= max_delay_ns <= 7 days,
// 1 <= max_attempts <= kMaxAttemptsLimit and jitter_percent <= 100.
Status ValidateRetryPolicy(const RetryPolicy& policy);

// FNV-1a, 64 bits, of `bytes`: the jitter's hash, exposed so tests can check it exactly.
uint64_t Fnv1a64(std::string_view bytes);

// The delay between attempt `attempt` (1-based, the one that just failed) and the next:
//   exponential = min(base_delay_ns << (attempt - 1), max_delay_ns)
//   spread      = exponential * jitter_percent / 100
//   delay       = exponential - Fnv1a64("<event_id>:<attempt>") % (spread + 1)
// Preconditions: attempt >= 1 and ValidateRetryPolicy(policy).ok().
int64_t RetryDelayNs(uint32_t attempt, std::string_view event_id, const RetryPolicy& policy);

}  // namespace qb::webhook
