// Live bearer sessions, in memory, keyed by the token's hash (the token itself is never kept).
//
// The engine is the record of every session (CreateSession, RevokeSession, absolute expiry);
// this cache adds what the engine cannot know without a write per request: when a session was
// last used, for the idle timeout. The API loads every live session from the engine at start,
// adds each one it creates, and so can answer every authenticated request from memory.
//
// Memory is bounded: expired entries are swept now and then, and when the cache is full the
// least recently used session is dropped (its holder must log in again). Thread-safe.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {

// Where a session was opened, for the customer's list of signed-in devices: what the browser or
// app called itself (User-Agent, printable ASCII, at most kMaxDeviceChars) and the peer
// address. Kept in memory only: after a restart the sessions loaded from the engine show none.
struct SessionOrigin {
  static constexpr size_t kMaxDeviceChars = 160;
  std::string device;
  std::string ip;
  std::string device_id;  // The app's X-Device-Id (step_up.h), "" when none; never shown.
};
SessionOrigin OriginOf(const HttpRequest& request);

// The public name of a session in lists and for revoking it: the first 16 hex digits of its
// token hash. It reveals nothing usable (the hash itself does not authenticate).
std::string SessionId(std::string_view token_hash);

struct CachedSession {
  Principal::Kind kind = Principal::Kind::kCustomer;
  uint64_t id = 0;     // Customer or staff id.
  uint32_t roles = 0;  // For staff and merchant users.
  int64_t created_ns = 0;
  int64_t expires_ns = 0;  // Absolute expiry, as the engine holds it.
  int64_t last_seen_ns = 0;
  uint64_t merchant_id = 0;  // For merchant-portal users.
  SessionOrigin origin = {};
};

class SessionCache {
 public:
  static constexpr size_t kDefaultMaxEntries = 1'000'000;
  static constexpr int64_t kSweepIntervalNs = int64_t{60} * 1'000'000'000;

  // The clock must outlive the cache.
  SessionCache(const Clock& clock, int64_t customer_idle_ns, int64_t staff_idle_ns,
               size_t max_entries = kDefaultMaxEntries);

  void Put(std::string token_hash, const CachedSession& session);

  // The session if it is live, with its idle timer restarted. A session past its idle or
  // absolute expiry is removed, and its hash appended to `expired` (if given) so the caller
  // can revoke it in the engine: otherwise a restart would bring it back to life.
  std::optional<CachedSession> Touch(std::string_view token_hash,
                                     std::vector<std::string>* expired = nullptr);

  // True when the session was there.
  bool Remove(std::string_view token_hash);
  // Moves the session under `old_hash` to `new_hash` (session rotation); false when absent.
  bool Rename(std::string_view old_hash, std::string new_hash);

  // Removes every session of the principal (e.g. a disabled merchant-portal user); returns how
  // many. Walks the whole cache: for rare events only.
  size_t RemoveAllOf(Principal::Kind kind, uint64_t id);

  // The principal's live sessions (token hash, session), newest first. Walks the whole cache:
  // for a customer looking at their devices, not for every request.
  std::vector<std::pair<std::string, CachedSession>> ListOf(Principal::Kind kind,
                                                            uint64_t id) const;

  // Removes every expired session; returns their hashes.
  std::vector<std::string> Sweep();

  size_t size() const;

 private:
  bool ExpiredLocked(const CachedSession& session, int64_t now_ns) const;
  void SweepLocked(int64_t now_ns, std::vector<std::string>* expired);

  const Clock& clock_;
  const int64_t customer_idle_ns_;
  const int64_t staff_idle_ns_;
  const size_t max_entries_;
  mutable std::mutex mutex_;
  absl::flat_hash_map<std::string, CachedSession> sessions_;  // Guarded by mutex_.
  int64_t last_sweep_ns_ = 0;                                 // Guarded by mutex_.
};

// The context's cache (wallet_api.cc).
SessionCache& Sessions(WalletContext& context);

// The header a rotated session's new token comes back in.
inline constexpr std::string_view kSessionTokenHeader = "X-Session-Token";

// Session rotation on a privilege change (OWASP ASVS 3.3; session_rotation.cc). Wraps a
// customer route: when it answers 2xx, the caller's session moves to a new token (engine
// command RotateSession: same expiry, the old token stops working) and the answer carries the
// new token in kSessionTokenHeader. A failed rotation leaves the old session as it was and the
// answer without the header. Other answers pass through untouched.
HttpHandler RotatesSession(WalletContext& context, HttpHandler inner);

}  // namespace qb::wallet
