#include "ratelimit/rate_limiter.h"

#include <absl/container/flat_hash_map.h>
#include <sodium.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <mutex>
#include <utility>

#include "base/assert.h"

namespace qb::ratelimit {

namespace {

constexpr int32_t kMaxShardCount = 256;

struct Slot {
  uint64_t key_hash = 0;
  int64_t tat_ns = 0;       // theoretical arrival time; the key has decayed once it is <= now
  uint32_t heap_index = 0;  // where this slot sits in Shard::heap
};

struct GcraResult {
  Decision decision;
  int64_t new_tat_ns = 0;  // meaningful only when allowed
};

// The whole algorithm, as a pure function of one key's state. See the header for the formula.
GcraResult Gcra(int64_t tat_ns, int64_t now_ns, int64_t cost, int64_t limit, int64_t interval_ns,
                int64_t period_ns) {
  const int64_t start_ns = std::max(tat_ns, now_ns);
  const int64_t debt_ns = start_ns - now_ns;
  // debt_ns can exceed the period only if now_ns went backwards; then nothing is available.
  const int64_t available = std::max<int64_t>(0, (period_ns - debt_ns) / interval_ns);
  GcraResult result;
  result.decision.remaining = available;
  if (cost > limit) {
    result.decision.verdict = Verdict::kCostAboveLimit;
    result.decision.retry_after_ns = RateLimiter::kNeverNs;
    return result;
  }
  const int64_t new_tat_ns = start_ns + cost * interval_ns;
  if (new_tat_ns - now_ns > period_ns) {
    result.decision.verdict = Verdict::kOverLimit;
    result.decision.retry_after_ns = new_tat_ns - period_ns - now_ns;
    return result;
  }
  result.decision.allowed = true;
  result.decision.verdict = Verdict::kAllowed;
  result.decision.retry_after_ns = 0;
  result.decision.remaining = available - cost;
  result.new_tat_ns = new_tat_ns;
  return result;
}

void EnsureSodiumInitialized() {
  static const bool initialized = [] { return sodium_init() >= 0; }();
  QB_ASSERT(initialized);
}

}  // namespace

// One lock's worth of a rule: the keys whose hash selects this shard. `heap` is a binary
// min-heap of slot numbers ordered by tat_ns, so the key nearest to decayed (or already
// decayed) is always heap[0]. Slots are never freed, only reused, so slots.size() only grows,
// up to capacity.
struct alignas(64) RateLimiter::Shard {
  std::mutex mutex;
  int64_t capacity = 0;
  absl::flat_hash_map<uint64_t, uint32_t> slot_of_key;  // guarded by mutex
  std::vector<Slot> slots;                              // guarded by mutex
  std::vector<uint32_t> heap;                           // guarded by mutex
  RuleStats counters;                                   // guarded by mutex; keys unused

  bool Less(size_t a, size_t b) const { return slots[heap[a]].tat_ns < slots[heap[b]].tat_ns; }

  void Swap(size_t a, size_t b) {
    std::swap(heap[a], heap[b]);
    slots[heap[a]].heap_index = static_cast<uint32_t>(a);
    slots[heap[b]].heap_index = static_cast<uint32_t>(b);
  }

  void SiftUp(size_t position) {
    while (position > 0) {
      const size_t parent = (position - 1) / 2;
      if (!Less(position, parent)) return;
      Swap(position, parent);
      position = parent;
    }
  }

  void SiftDown(size_t position) {
    while (true) {
      const size_t left = 2 * position + 1;
      if (left >= heap.size()) return;
      size_t smallest = left;
      if (left + 1 < heap.size() && Less(left + 1, left)) smallest = left + 1;
      if (!Less(smallest, position)) return;
      Swap(position, smallest);
      position = smallest;
    }
  }

  void Insert(uint64_t key_hash, int64_t tat_ns) {
    QB_ASSERT(static_cast<int64_t>(slots.size()) < capacity);
    const auto slot_number = static_cast<uint32_t>(slots.size());
    slots.push_back(Slot{key_hash, tat_ns, static_cast<uint32_t>(heap.size())});
    heap.push_back(slot_number);
    slot_of_key.emplace(key_hash, slot_number);
    SiftUp(heap.size() - 1);
  }

  // Gives the slot at the top of the heap to a new key.
  void ReplaceTop(uint64_t key_hash, int64_t tat_ns) {
    const uint32_t slot_number = heap[0];
    Slot& slot = slots[slot_number];
    slot_of_key.erase(slot.key_hash);
    slot.key_hash = key_hash;
    slot.tat_ns = tat_ns;
    slot_of_key.emplace(key_hash, slot_number);
    SiftDown(0);
  }

  // A charge only moves tat_ns later, so the slot can only move down the min-heap.
  void MoveLater(uint32_t slot_number, int64_t tat_ns) {
    Slot& slot = slots[slot_number];
    QB_ASSERT(tat_ns > slot.tat_ns);
    QB_ASSERT(heap[slot.heap_index] == slot_number);
    slot.tat_ns = tat_ns;
    SiftDown(slot.heap_index);
  }
};

struct RateLimiter::Rule {
  RuleConfig config;
  int64_t interval_ns = 0;
  uint32_t shard_mask = 0;
  std::unique_ptr<Shard[]> shards;

  Decision Charge(Shard& shard, uint64_t key_hash, int64_t now_ns, int64_t cost) const {
    const auto found = shard.slot_of_key.find(key_hash);
    if (found != shard.slot_of_key.end()) {
      const uint32_t slot_number = found->second;
      const GcraResult result = Gcra(shard.slots[slot_number].tat_ns, now_ns, cost, config.limit,
                                     interval_ns, config.period_ns);
      if (result.decision.allowed) shard.MoveLater(slot_number, result.new_tat_ns);
      return result.decision;
    }
    // A new key has no debt: its state is the same as TAT = now.
    const GcraResult result =
        Gcra(now_ns, now_ns, cost, config.limit, interval_ns, config.period_ns);
    if (!result.decision.allowed) return result.decision;
    if (static_cast<int64_t>(shard.slots.size()) < shard.capacity) {
      shard.Insert(key_hash, result.new_tat_ns);
      return result.decision;
    }
    const int64_t smallest_tat_ns = shard.slots[shard.heap[0]].tat_ns;
    if (smallest_tat_ns <= now_ns) {
      shard.counters.evicted_decayed++;
    } else if (config.when_full == TableFullPolicy::kRefuseNewKeys) {
      shard.counters.refused_table_full++;
      return Decision{.allowed = false,
                      .retry_after_ns = smallest_tat_ns - now_ns,
                      .remaining = 0,
                      .verdict = Verdict::kTableFull};
    } else {
      shard.counters.evicted_live++;
    }
    shard.ReplaceTop(key_hash, result.new_tat_ns);
    return result.decision;
  }
};

Status RateLimiter::Create(std::vector<RuleConfig> configs, const RateLimiterOptions& options,
                           std::unique_ptr<RateLimiter>* out) {
  const int32_t shard_count = options.shard_count;
  if (shard_count < 1 || shard_count > kMaxShardCount ||
      !std::has_single_bit(static_cast<uint32_t>(shard_count))) {
    return Status::InvalidArgument("shard_count must be a power of two in 1..256");
  }
  std::vector<Rule> rules;
  rules.reserve(configs.size());
  for (RuleConfig& config : configs) {
    const std::string& name = config.name;
    if (name.empty()) return Status::InvalidArgument("rate limit rule without a name");
    for (const Rule& existing : rules) {
      if (existing.config.name == name) {
        return Status::InvalidArgument("duplicate rate limit rule: " + name);
      }
    }
    if (config.limit < 1 || config.period_ns < 1 || config.period_ns > kMaxPeriodNs ||
        config.limit > config.period_ns || config.period_ns % config.limit != 0) {
      return Status::InvalidArgument("rule " + name +
                                     ": limit must be >= 1 and divide a period of at most "
                                     "366 days exactly");
    }
    if (config.max_keys < shard_count || config.max_keys > kMaxKeysPerRule) {
      return Status::InvalidArgument("rule " + name + ": max_keys must be in shard_count..2^30");
    }
    Rule rule;
    rule.interval_ns = config.period_ns / config.limit;
    rule.shard_mask = static_cast<uint32_t>(shard_count - 1);
    rule.shards = std::make_unique<Shard[]>(static_cast<size_t>(shard_count));
    // Split max_keys so that the capacities add up to it exactly.
    for (int32_t i = 0; i < shard_count; ++i) {
      rule.shards[i].capacity = config.max_keys / shard_count + (i < config.max_keys % shard_count);
    }
    rule.config = std::move(config);
    rules.push_back(std::move(rule));
  }
  out->reset(new RateLimiter(std::move(rules)));
  return Status::Ok();
}

RateLimiter::RateLimiter(std::vector<Rule> rules) : rules_(std::move(rules)) {
  EnsureSodiumInitialized();
  crypto_shorthash_keygen(hash_key_);
}

RateLimiter::~RateLimiter() { sodium_memzero(hash_key_, sizeof(hash_key_)); }

const RateLimiter::Rule& RateLimiter::FindRule(std::string_view name) const {
  // A handful of rules: a scan beats hashing the name.
  for (const Rule& rule : rules_) {
    if (rule.config.name == name) return rule;
  }
  AssertFailed("rate limit rule is configured", __FILE__, __LINE__);
}

uint64_t RateLimiter::HashKey(std::string_view key) const {
  static_assert(crypto_shorthash_BYTES == sizeof(uint64_t));
  static_assert(crypto_shorthash_KEYBYTES == sizeof(hash_key_));
  unsigned char digest[crypto_shorthash_BYTES];
  crypto_shorthash(digest, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                   hash_key_);
  uint64_t key_hash = 0;
  std::memcpy(&key_hash, digest, sizeof(key_hash));
  return key_hash;
}

Decision RateLimiter::Check(std::string_view rule_name, std::string_view key, int64_t now_ns,
                            int64_t cost) {
  QB_ASSERT(cost >= 1);
  QB_ASSERT(now_ns >= 0 && now_ns <= kMaxNowNs);
  const Rule& rule = FindRule(rule_name);
  const uint64_t key_hash = HashKey(key);
  // The high bits pick the shard; the hash map inside re-hashes the whole value.
  Shard& shard = rule.shards[(key_hash >> 32) & rule.shard_mask];
  std::lock_guard lock(shard.mutex);
  const Decision decision = rule.Charge(shard, key_hash, now_ns, cost);
  QB_ASSERT(static_cast<int64_t>(shard.slots.size()) <= shard.capacity);
  QB_ASSERT(shard.slot_of_key.size() == shard.slots.size());
  return decision;
}

RuleStats RateLimiter::Stats(std::string_view rule_name) const {
  const Rule& rule = FindRule(rule_name);
  RuleStats total;
  for (uint32_t i = 0; i <= rule.shard_mask; ++i) {
    Shard& shard = rule.shards[i];
    std::lock_guard lock(shard.mutex);
    total.keys += static_cast<int64_t>(shard.slots.size());
    total.evicted_decayed += shard.counters.evicted_decayed;
    total.evicted_live += shard.counters.evicted_live;
    total.refused_table_full += shard.counters.refused_table_full;
  }
  return total;
}

}  // namespace qb::ratelimit
