#include "audit/audit_chain.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"
#include "base/bytes.h"

namespace qb::audit {
namespace {

constexpr std::string_view kDomain = "qianbao audit v1\n";

bool IsActionCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

bool IsKnownActor(ActorKind kind) { return static_cast<uint8_t>(kind) <= 3; }

}  // namespace

std::string_view ActorKindName(ActorKind kind) {
  switch (kind) {
    case ActorKind::kSystem:
      return "system";
    case ActorKind::kStaff:
      return "staff";
    case ActorKind::kCustomer:
      return "customer";
    case ActorKind::kMerchantUser:
      return "merchant_user";
  }
  return "unknown";
}

bool IsValidEvent(const AuditEvent& e) {
  return IsKnownActor(e.actor_kind) && !e.action.empty() && e.action.size() <= kMaxActionBytes &&
         std::all_of(e.action.begin(), e.action.end(), IsActionCharacter) &&
         e.target.size() <= kMaxTargetBytes && e.detail.size() <= kMaxDetailBytes;
}

Digest AuditEntryHash(const AuditEntry& entry) {
  std::string bytes(kDomain);
  ByteWriter writer(&bytes);
  writer.U64(entry.seq);
  writer.I64(entry.event.time_ns);
  writer.U8(static_cast<uint8_t>(entry.event.actor_kind));
  writer.U64(entry.event.actor_id);
  writer.LengthPrefixed(entry.event.action);
  writer.LengthPrefixed(entry.event.target);
  writer.LengthPrefixed(entry.event.detail);
  writer.Bytes(std::string_view(reinterpret_cast<const char*>(entry.prev_hash.data()),
                                entry.prev_hash.size()));
  return HashBytes(bytes);
}

AuditEntry AuditChain::Append(AuditEvent event) {
  QB_ASSERT(IsValidEvent(event));
  AuditEntry entry;
  entry.seq = seq_ + 1;
  entry.event = std::move(event);
  entry.prev_hash = head_;
  entry.hash = AuditEntryHash(entry);
  seq_ = entry.seq;
  head_ = entry.hash;
  return entry;
}

AuditVerifyResult VerifyAuditChain(std::span<const AuditEntry> entries, uint64_t after_seq,
                                   const Digest& after_hash, std::optional<Digest> expected_head) {
  uint64_t seq = after_seq;
  Digest head = after_hash;
  for (const AuditEntry& entry : entries) {
    if (entry.seq != seq + 1) return {false, seq + 1, "sequence gap"};
    if (entry.prev_hash != head) return {false, entry.seq, "broken link"};
    if (!IsValidEvent(entry.event)) return {false, entry.seq, "invalid event"};
    if (AuditEntryHash(entry) != entry.hash) return {false, entry.seq, "hash mismatch"};
    seq = entry.seq;
    head = entry.hash;
  }
  if (expected_head && *expected_head != head) {
    return {false, seq + 1, "head mismatch: entries cut off or forged"};
  }
  return {};
}

}  // namespace qb::audit
