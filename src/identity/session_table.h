// Log-in sessions by token hash, for customers and staff alike: creation, revocation, lookup
// that honours the absolute expiry, and a bounded sweep of expired ones in expiry order. Pure
// and deterministic, like the books that hold one.
//
// Encoding (part of the holder's Serialize, hashed by its StateHash), sorted by token hash:
//   sessions := count:u64 (token_hash:str principal_id:u64 created_ns:i64 expires_ns:i64)*
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "identity/expiry_index.h"

namespace qb::identity {

struct Session {
  uint64_t customer_id = 0;  // The principal: a customer id, or a staff id in the StaffBook.
  int64_t created_ns = 0;
  int64_t expires_ns = 0;
  bool operator==(const Session&) const = default;
};

class SessionTable {
 public:
  // False when a session with this hash exists already (nothing changes).
  bool Create(std::string_view token_hash, uint64_t principal_id, int64_t now_ns,
              int64_t lifetime_ns);
  // False when there is no such session.
  bool Revoke(std::string_view token_hash);
  // Moves the session under `old_hash` to `new_hash`, keeping its principal, creation and
  // absolute expiry (a rotated token does not live longer). False when there is no session
  // under `old_hash` or one under `new_hash` already.
  bool Rotate(std::string_view old_hash, std::string_view new_hash);
  // The session if it exists and has not reached its absolute expiry.
  const Session* Find(std::string_view token_hash, int64_t now_ns) const;
  // The token hashes of every session of `principal_id`, sorted. Walks the whole table: for
  // rare events (an account closing), not for requests.
  std::vector<std::string> HashesOf(uint64_t principal_id) const;
  // Drops sessions past their expiry, at most `limit`, earliest first; returns how many.
  size_t Sweep(int64_t now_ns, size_t limit);

  // Visits every session (token hash, session), in no particular order.
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    for (const auto& [hash, session] : sessions_) visit(std::string_view(hash), session);
  }
  size_t size() const { return sessions_.size(); }

  void Clear();
  void Serialize(ByteWriter* writer) const;
  // Replaces the contents; false when the bytes are malformed.
  bool Deserialize(ByteReader* reader);

 private:
  absl::flat_hash_map<std::string, Session> sessions_;  // token hash → session.
  ExpiryIndex expiry_;  // Derived: rebuilt by Deserialize, never serialized.
};

}  // namespace qb::identity
