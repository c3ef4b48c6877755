// Rate limits for the API layer: login and OTP attempts per IP, per account, per phone.
//
// Algorithm: GCRA (the generic cell rate algorithm, a token bucket kept as one timestamp). A rule
// "limit per period" has an emission interval T = period / limit. Each key holds one int64, its
// theoretical arrival time (TAT). A request of `cost` units at `now` is allowed when
//     max(TAT, now) + cost * T - now <= period
// and then TAT becomes max(TAT, now) + cost * T. A denied request changes nothing. The state
// `TAT - now` is the key's debt; once TAT <= now the key is indistinguishable from a new one
// ("fully decayed"). Integer nanoseconds only; the caller passes the time in.
//
// What a rule guarantees: a burst of `limit` units, then one unit every T. Any interval of d ns
// admits at most limit + floor(d / T) units, so a rolling window of one period can see up to
// 2 * limit - 1 (a full burst at its start, the refill during it). A stricter rolling cap needs
// a lower limit over the same period.
//
// Bounded memory: a rule tracks at most `max_keys` keys. Keys are never stored: each is reduced
// to a 64-bit SipHash-2-4 (libsodium crypto_shorthash) under a random key drawn per limiter, so
// memory does not depend on key length and an attacker cannot aim keys at one hash bucket or at
// another key's state. Two keys colliding share one budget (stricter, never looser); with 10^6
// keys the chance of any collision is about 3e-8. Roughly 60 bytes per tracked key, before the
// hash table's growth slack.
//
// When a rule's table is full and a new key arrives:
//   1. a key that has fully decayed is replaced (nothing is lost: its state equals a new key's);
//   2. otherwise, by the rule's TableFullPolicy,
//      kRefuseNewKeys (fail closed, for authentication): the new key is denied until the
//        smallest debt in the table decays. Cost: an attacker who can mint many distinct keys
//        (random account names, a botnet's IPs) can block new keys of that rule for up to one
//        period. Size max_keys for the expected population, and check only keys worth tracking.
//      kEvictSmallestDebt: the key with the smallest remaining debt is forgotten. This is a
//        refinement of LRU that suits GCRA: it forgives the fewest requests possible, and a flood
//        of fresh keys (debt T each) mostly evicts itself. To get an exhausted key (debt D)
//        forgotten, an attacker must first give every other tracked key a debt above D, i.e.
//        spend about max_keys times what they would win back.
//
// Thread-safety: Check and Stats may be called from any thread. Each rule is split into
// `shard_count` shards chosen by the key's hash, each with its own mutex; max_keys is divided
// among them (so a shard may fill, and fail closed, slightly before the rule as a whole).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace qb::ratelimit {

// What happens when a rule's table holds max_keys keys, none fully decayed, and a new key comes.
enum class TableFullPolicy : uint8_t {
  kRefuseNewKeys,      // fail closed: deny the new key
  kEvictSmallestDebt,  // forget the key nearest to decayed
};

struct RuleConfig {
  std::string name;       // e.g. "login_ip"; unique within a limiter
  int64_t limit = 0;      // units allowed per period, also the burst size; >= 1
  int64_t period_ns = 0;  // a multiple of limit, at most kMaxPeriodNs
  int64_t max_keys = 0;   // >= shard_count, at most kMaxKeysPerRule
  TableFullPolicy when_full = TableFullPolicy::kRefuseNewKeys;
};

struct RateLimiterOptions {
  int32_t shard_count = 16;  // a power of two, 1..256
};

// Ordered by precedence: the first that applies is reported.
enum class Verdict : uint8_t {
  kAllowed,
  kCostAboveLimit,  // cost > limit: can never be allowed
  kTableFull,       // new key refused by kRefuseNewKeys
  kOverLimit,       // the key's budget is spent for now
};

struct Decision {
  bool allowed = false;
  // 0 when allowed. Otherwise the wait after which the same request would be allowed if nothing
  // else happened in between (for kTableFull: until the smallest debt decays); kNeverNs for
  // kCostAboveLimit. Suitable for a Retry-After header, rounded up to seconds.
  int64_t retry_after_ns = 0;
  // Units of cost that could still be spent right now, after this request.
  int64_t remaining = 0;
  Verdict verdict = Verdict::kOverLimit;
};

struct RuleStats {
  int64_t keys = 0;                // tracked now; never above max_keys
  int64_t evicted_decayed = 0;     // replaced with no loss of state
  int64_t evicted_live = 0;        // forgotten while in debt (kEvictSmallestDebt only)
  int64_t refused_table_full = 0;  // new keys denied (kRefuseNewKeys only)
};

class RateLimiter {
 public:
  static constexpr int64_t kNeverNs = std::numeric_limits<int64_t>::max();
  static constexpr int64_t kMaxPeriodNs = int64_t{366} * 24 * 3600 * 1'000'000'000;
  static constexpr int64_t kMaxKeysPerRule = int64_t{1} << 30;
  // Times must leave room for now + period without overflow (that is past the year 2100).
  static constexpr int64_t kMaxNowNs = std::numeric_limits<int64_t>::max() / 2;

  // kInvalidArgument for an empty or duplicate name, or a limit, period, max_keys or shard
  // count outside the bounds above.
  static Status Create(std::vector<RuleConfig> rules, const RateLimiterOptions& options,
                       std::unique_ptr<RateLimiter>* out);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Charges `cost` units to `key` under `rule` if the rule allows it at `now_ns`. `rule` must be
  // one of the configured names, cost >= 1 and 0 <= now_ns <= kMaxNowNs (programmer errors,
  // asserted). A `now_ns` slightly behind an earlier call (threads reading the clock in a
  // different order than they take the lock) only makes the decision stricter. Callers that
  // check several rules for one request (IP, then account) should stop at the first denial;
  // units already charged to earlier rules stay charged.
  Decision Check(std::string_view rule, std::string_view key, int64_t now_ns, int64_t cost = 1);

  // A consistent-per-shard snapshot for metrics and tests. `rule` must be configured.
  RuleStats Stats(std::string_view rule) const;

 private:
  struct Shard;
  struct Rule;

  explicit RateLimiter(std::vector<Rule> rules);
  const Rule& FindRule(std::string_view name) const;
  uint64_t HashKey(std::string_view key) const;

  std::vector<Rule> rules_;  // immutable after Create; the shards inside have their own locks
  unsigned char hash_key_[16];
};

}  // namespace qb::ratelimit
