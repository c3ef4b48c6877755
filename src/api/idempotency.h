// Idempotency-Key support: the same key with the same request gets the first response again;
// the same key with another request gets IDEMPOTENCY_KEY_REUSED.
//
// Flow for a request that moves money:
//   switch (Begin(principal, key, IdempotencyDigest(method, path, body)).outcome) {
//     kNew:        do the work, then Complete(principal, key, response) with the answer, or
//                  Abandon(principal, key) if it failed in a way a retry may fix (503, 500);
//     kReplay:     answer the stored response;
//     kMismatch:   IDEMPOTENCY_KEY_REUSED (409);
//     kInProgress: IDEMPOTENCY_KEY_IN_PROGRESS (409);
//     kInvalidKey: BAD_REQUEST.
//   }
//
// Keys are scoped by principal, so two customers can use the same key. Entries live for the TTL
// (counted from Complete, or from Begin while in progress) and at most max_entries are kept:
// when full, the oldest entry goes first, even one still in progress (its Complete is then
// dropped). All methods are thread-safe (one mutex; every operation is O(1) amortized).
//
// This cache is in memory only: it is lost on restart and not shared between processes.
// Persistence across restarts comes later, engine-backed (the key journaled with the command),
// and until then the ledger's own transfer ids are what stop a retried payment twice.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.h"
#include "base/digest.h"
#include "server/http_server.h"

namespace qb::api {

inline constexpr size_t kMaxIdempotencyKeyLength = 64;

// 1–64 characters of [A-Za-z0-9_-].
bool IsValidIdempotencyKey(std::string_view key);

// BLAKE2b-256 over the method, path and body, each length-prefixed so no two different
// requests share an encoding.
Digest IdempotencyDigest(std::string_view method, std::string_view path, std::string_view body);

struct IdempotencyOptions {
  size_t max_entries = 100'000;
  int64_t ttl_ns = int64_t{24} * 3600 * 1'000'000'000;
};

enum class IdempotencyOutcome : uint8_t { kNew, kReplay, kMismatch, kInProgress, kInvalidKey };

struct IdempotencyBegin {
  IdempotencyOutcome outcome;
  HttpResponse response;  // The stored response, for kReplay only.
};

class IdempotencyCache {
 public:
  // The clock must outlive the cache.
  explicit IdempotencyCache(const Clock& clock, IdempotencyOptions options = {});
  IdempotencyCache(const IdempotencyCache&) = delete;
  IdempotencyCache& operator=(const IdempotencyCache&) = delete;

  IdempotencyBegin Begin(std::string_view principal, std::string_view key,
                         const Digest& request_digest);
  // Stores the response for replay. Does nothing unless the entry is in progress (it may have
  // been evicted or have expired meanwhile).
  void Complete(std::string_view principal, std::string_view key, HttpResponse response);
  // Forgets an in-progress entry so that a retry with the key starts afresh.
  void Abandon(std::string_view principal, std::string_view key);

  size_t size() const;

 private:
  struct Entry {
    Digest request_digest;
    bool completed = false;
    int64_t expires_ns = 0;
    HttpResponse response;
    std::list<std::string>::iterator order;  // Position in order_.
  };

  // Drops expired entries from the front of order_. Requires mutex_.
  void ExpireLocked(int64_t now_ns);
  void EraseLocked(std::unordered_map<std::string, Entry>::iterator it);

  const Clock& clock_;
  const IdempotencyOptions options_;
  mutable std::mutex mutex_;
  // Oldest first. Because every entry gets the same TTL and a completed entry moves to the
  // back, this is also expiry order.
  std::list<std::string> order_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace qb::api
