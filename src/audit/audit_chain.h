// The audit log's hash chain: every staff action and security event (DESIGN.md, security) is an
// AuditEntry that commits to the entry before it, so changing, removing, inserting or reordering
// any entry breaks the chain from there on, and cutting entries off the end is caught against a
// head hash kept elsewhere (the engine's state, which the journal makes durable).
//
// An entry's hash is BLAKE2b-256 over its canonical encoding (all integers little-endian):
//
//   "qianbao audit v1\n"
//   u64 seq | i64 time_ns | u8 actor kind | u64 actor id |
//   u32 len | action | u32 len | target | u32 len | detail | 32 bytes prev_hash
//
// The first entry's prev_hash is 32 zero bytes. Entries hold no secrets: detail names what
// happened ("reason": "...", ids, masked values), never a password, code, key or full PAN.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/digest.h"

namespace qb::audit {

inline constexpr size_t kMaxActionBytes = 64;
inline constexpr size_t kMaxTargetBytes = 128;
inline constexpr size_t kMaxDetailBytes = 4096;

// Who acted. Stable values: they are hashed.
enum class ActorKind : uint8_t {
  kSystem = 0,  // the server itself (scheduler, sweeps)
  kStaff = 1,
  kCustomer = 2,
  kMerchantUser = 3,
};
std::string_view ActorKindName(ActorKind kind);  // "system", "staff", "customer", "merchant_user"

// What happened, before it takes its place in the chain.
struct AuditEvent {
  int64_t time_ns = 0;
  ActorKind actor_kind = ActorKind::kSystem;
  uint64_t actor_id = 0;
  std::string action;  // 1-64 bytes of [a-z0-9_.], e.g. "staff.login", "pii.reveal"
  std::string target;  // 0-128 bytes, e.g. "customer:42"
  std::string detail;  // 0-4096 bytes, usually a small JSON object
  bool operator==(const AuditEvent&) const = default;
};

// Whether `event` may be recorded: the lengths and the action's alphabet above.
bool IsValidEvent(const AuditEvent& event);

struct AuditEntry {
  uint64_t seq = 0;  // 1, 2, 3, ... without gaps
  AuditEvent event;
  Digest prev_hash{};
  Digest hash{};
  bool operator==(const AuditEntry&) const = default;
};

// The hash `entry` must carry, from its other fields.
Digest AuditEntryHash(const AuditEntry& entry);

// The chain's growing end. Not thread-safe: it lives in the single-writer engine.
class AuditChain {
 public:
  AuditChain() = default;
  // Continues a chain whose last entry was `seq` with hash `head` (after a checkpoint).
  AuditChain(uint64_t seq, const Digest& head) : seq_(seq), head_(head) {}

  // The next entry for `event`. Precondition: IsValidEvent(event).
  AuditEntry Append(AuditEvent event);

  uint64_t seq() const { return seq_; }         // of the last entry; 0 when empty
  const Digest& head() const { return head_; }  // its hash; zeros when empty

 private:
  uint64_t seq_ = 0;
  Digest head_{};
};

struct AuditVerifyResult {
  bool ok = true;
  uint64_t first_bad_seq = 0;  // the first entry found wrong (or, for a cut tail, the last+1)
  std::string problem;         // "sequence gap", "broken link", "hash mismatch", ...
};

// Checks `entries` (in order) as a stretch of the chain that follows (`after_seq`,
// `after_hash`) — (0, zeros) for the whole chain: contiguous seqs, each prev_hash the hash
// before it, each hash recomputed, each event valid. With `expected_head`, also that the
// stretch ends at that hash (nothing was cut off the end, and no suffix was forged by
// recomputing hashes).
AuditVerifyResult VerifyAuditChain(std::span<const AuditEntry> entries, uint64_t after_seq,
                                   const Digest& after_hash,
                                   std::optional<Digest> expected_head = std::nullopt);

}  // namespace qb::audit
