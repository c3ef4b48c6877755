// Server-to-server request signing for merchant API keys (HMAC-SHA256, timestamp + nonce).
//
// The client sends
//
//   Authorization: QB-HMAC-SHA256 key_id=<id>,timestamp=<s>,nonce=<nonce>,signature=<hex>
//
// with the timestamp in decimal Unix seconds. signature is the lowercase hex
// HMAC-SHA256(secret, canonical), where canonical is these six lines joined by '\n' (no
// trailing newline):
//
//   METHOD               as sent, e.g. "POST" (HTTP methods are case-sensitive)
//   path                 the request target's path, as sent, without '?' and query
//   canonical query      the query's '&'-separated parameters, each split at its first '=' into
//                        (name, value), sorted by name then value (bytewise, still URL-encoded),
//                        rejoined as name=value with '&'; empty parameters are dropped
//   timestamp            decimal Unix seconds
//   nonce                as sent
//   body hash            lowercase hex SHA-256 of the raw body bytes
//
// The header grammar is strict: the scheme, one space, then exactly the four fields in the
// order above, separated by ',' with no spaces. key_id and nonce are 1-64 characters of
// [A-Za-z0-9_-]; timestamp is 1-12 digits without a leading zero; signature is 64 lowercase hex
// digits. Anything else is rejected, so two different headers never mean the same thing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace qb::merchant {

inline constexpr std::string_view kSigningScheme = "QB-HMAC-SHA256";
inline constexpr int64_t kSignatureWindowSeconds = 5 * 60;
inline constexpr size_t kMinNonceChars = 16;
inline constexpr size_t kMaxNonceChars = 64;
inline constexpr size_t kMaxKeyIdChars = 64;
inline constexpr size_t kSignatureHexChars = 64;

// The parts of an HTTP request the signature covers. Views: the caller keeps them alive.
struct RequestToSign {
  std::string_view method;
  std::string_view path;
  std::string_view query;  // without the leading '?'; empty when there is none
  std::string_view body;
};

struct AuthorizationFields {
  std::string key_id;
  int64_t timestamp_s = 0;
  std::string nonce;
  std::string signature_hex;
};

// Lowercase hex HMAC-SHA256 (RFC 2104 / FIPS 198-1) of `message` under `key` of any length.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// The query part of the canonical string (see the grammar above).
std::string CanonicalQuery(std::string_view query);

// The full canonical string. Precondition: timestamp_s >= 0.
std::string CanonicalString(const RequestToSign& request, int64_t timestamp_s,
                            std::string_view nonce);

// The client side: lowercase hex signature of the request under `secret`.
std::string SignRequest(std::string_view secret, const RequestToSign& request, int64_t timestamp_s,
                        std::string_view nonce);

// The header value for `fields`, e.g. "QB-HMAC-SHA256 key_id=k1,timestamp=...,...".
std::string FormatAuthorizationHeader(const AuthorizationFields& fields);

enum class HeaderParseError : uint8_t {
  kOk = 0,
  kBadScheme,     // does not start with "QB-HMAC-SHA256 "
  kBadStructure,  // fields missing, extra, out of order, duplicated or badly separated
  kBadKeyId,
  kBadTimestamp,
  kBadNonce,
  kBadSignature,
};

std::string_view HeaderParseErrorName(HeaderParseError error);

// Parses an Authorization header value. On kOk fills `*fields`; leaves it untouched otherwise.
HeaderParseError ParseAuthorizationHeader(std::string_view header, AuthorizationFields* fields);

// Ordered by precedence: the first failing check is reported. Names are stable.
enum class VerifyResult : uint8_t {
  kOk = 0,
  kBadNonce,         // nonce not 16-64 characters of [A-Za-z0-9_-]
  kUnknownKey,       // key_id malformed, or no secret for it (unknown or revoked)
  kStaleTimestamp,   // more than kSignatureWindowSeconds away from now
  kBadSignature,     // signature does not match
  kReplayedNonce,    // nonce already accepted for this key within the window
  kReplayCacheFull,  // busy: cannot remember one more live nonce; retry later
};

// "ok", "bad_nonce", "unknown_key", "stale_timestamp", "bad_signature", "replayed_nonce",
// "replay_cache_full".
std::string_view VerifyResultName(VerifyResult result);

// Checks signed requests and remembers accepted nonces.
//
// Replay protection. A request's timestamp must lie within ±window of `now`, so a nonce accepted
// with timestamp t could only be replayed while now <= t + window; the verifier remembers each
// accepted (key_id, nonce) until then and forgets it afterwards. Memory is bounded by
// `max_entries`: when the cache is full of nonces that are all still live, new requests are
// refused with kReplayCacheFull instead of evicting a live nonce, because forgetting one would
// let its replay through. Only requests with a valid signature reach the cache, so filling it
// takes a key holder; per-key quotas belong to the caller (rate limits).
//
// Time. `now_s` is passed in (Unix seconds). The verifier treats time as never going backwards:
// a `now_s` earlier than the latest one seen is raised to it, so a nonce, once forgotten, can
// never fall back inside the window.
//
// Thread-safety: Verify may be called from any number of threads; a mutex guards the cache,
// and the signature is computed outside it. `secret_lookup` is called without the lock held,
// from the calling thread, and must itself be thread-safe.
class RequestVerifier {
 public:
  // Returns the secret for a key id, or nullopt when the key is unknown or revoked.
  using SecretLookup = std::function<std::optional<std::string>(std::string_view key_id)>;

  RequestVerifier(SecretLookup secret_lookup, size_t max_entries);

  // Precondition: 0 <= now_s < 10^12 (a Unix time in seconds, not milliseconds).
  VerifyResult Verify(const RequestToSign& request, const AuthorizationFields& fields,
                      int64_t now_s);

  // Live nonces currently remembered (after the last purge). For tests and metrics.
  size_t ReplayCacheSize() const;

 private:
  // Records the nonce, or reports a replay or a full cache. Caller holds mutex_.
  VerifyResult RememberNonceLocked(const AuthorizationFields& fields, int64_t now_s);
  void PurgeExpiredLocked(int64_t now_s);

  const SecretLookup secret_lookup_;
  const size_t max_entries_;

  mutable std::mutex mutex_;
  int64_t latest_now_s_ = std::numeric_limits<int64_t>::min();  // guarded by mutex_
  // "key_id:nonce" → the last second the nonce is live (timestamp + window). The ':' cannot
  // occur in a key id, so the joined key is unambiguous. Guarded by mutex_.
  absl::flat_hash_map<std::string, int64_t> expiry_by_nonce_;
  // The same entries ordered by expiry, for purging the oldest first. Guarded by mutex_.
  std::set<std::pair<int64_t, std::string>> nonces_by_expiry_;
};

}  // namespace qb::merchant
