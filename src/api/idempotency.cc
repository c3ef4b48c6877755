#include "api/idempotency.h"

#include "base/assert.h"

namespace qb::api {
namespace {

// Length-prefixing the principal keeps ("ab", "c") and ("a", "bc") apart.
std::string EntryKey(std::string_view principal, std::string_view key) {
  std::string entry_key = std::to_string(principal.size());
  entry_key += ':';
  entry_key += principal;
  entry_key += key;
  return entry_key;
}

bool IsKeyCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

bool IsValidIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength) return false;
  for (char c : key) {
    if (!IsKeyCharacter(c)) return false;
  }
  return true;
}

Digest IdempotencyDigest(std::string_view method, std::string_view path, std::string_view body) {
  Hasher hasher;
  for (std::string_view part : {method, path, body}) {
    hasher.UpdateU64(part.size());
    hasher.Update(part);
  }
  return hasher.Finish();
}

IdempotencyCache::IdempotencyCache(const Clock& clock, IdempotencyOptions options)
    : clock_(clock), options_(options) {
  QB_ASSERT(options_.max_entries > 0);
  QB_ASSERT(options_.ttl_ns > 0);
}

void IdempotencyCache::EraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  order_.erase(it->second.order);
  entries_.erase(it);
}

void IdempotencyCache::ExpireLocked(int64_t now_ns) {
  // Each entry is dropped at most once, so the loop is bounded by the number of entries.
  while (!order_.empty()) {
    auto it = entries_.find(order_.front());
    QB_ASSERT(it != entries_.end());
    if (it->second.expires_ns > now_ns) break;
    EraseLocked(it);
  }
}

IdempotencyBegin IdempotencyCache::Begin(std::string_view principal, std::string_view key,
                                         const Digest& request_digest) {
  if (!IsValidIdempotencyKey(key)) return {IdempotencyOutcome::kInvalidKey, {}};
  int64_t now_ns = clock_.NowNs();
  std::string entry_key = EntryKey(principal, key);
  std::lock_guard lock(mutex_);
  ExpireLocked(now_ns);
  auto found = entries_.find(entry_key);
  // ExpireLocked stops at the first live entry; a wall clock that stepped back can leave an
  // expired one behind it.
  if (found != entries_.end() && found->second.expires_ns <= now_ns) {
    EraseLocked(found);
    found = entries_.end();
  }
  if (found != entries_.end()) {
    const Entry& entry = found->second;
    if (entry.request_digest != request_digest) return {IdempotencyOutcome::kMismatch, {}};
    if (!entry.completed) return {IdempotencyOutcome::kInProgress, {}};
    return {IdempotencyOutcome::kReplay, entry.response};
  }
  while (entries_.size() >= options_.max_entries) {
    EraseLocked(entries_.find(order_.front()));
  }
  order_.push_back(entry_key);
  Entry entry;
  entry.request_digest = request_digest;
  entry.expires_ns = now_ns + options_.ttl_ns;
  entry.order = std::prev(order_.end());
  entries_.emplace(std::move(entry_key), std::move(entry));
  return {IdempotencyOutcome::kNew, {}};
}

void IdempotencyCache::Complete(std::string_view principal, std::string_view key,
                                HttpResponse response) {
  int64_t now_ns = clock_.NowNs();
  std::lock_guard lock(mutex_);
  auto found = entries_.find(EntryKey(principal, key));
  if (found == entries_.end() || found->second.completed) return;
  Entry& entry = found->second;
  entry.completed = true;
  entry.response = std::move(response);
  entry.expires_ns = now_ns + options_.ttl_ns;
  // Moving to the back keeps order_ in expiry order.
  order_.splice(order_.end(), order_, entry.order);
}

void IdempotencyCache::Abandon(std::string_view principal, std::string_view key) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(EntryKey(principal, key));
  if (found == entries_.end() || found->second.completed) return;
  EraseLocked(found);
}

size_t IdempotencyCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace qb::api
