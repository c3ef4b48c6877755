// Block and allow lists of the risk engine: "this device is blocked until Friday (reason: used
// in a fraud ring)", "this merchant is allowed (reason: bank's own canteen)". An entry names a
// kind of entity and its uint64 key, and may expire.
//
// Expiry is evaluated at the time the caller passes (the engine's journal time): an entry with
// expires_at_s = E is in force while now_s < E; E = 0 means it never expires. Expired entries
// stay stored (and serialized) until PurgeExpired removes them, so a lookup is a pure function
// of the state and the time.
//
// Bounded: at most max_entries entries over all lists together; reasons of at most
// kMaxReasonBytes bytes.
//
// Thread-safety: none; the single engine thread owns the lists.
//
// Serialized form (little-endian, ByteWriter), entries sorted by (list, kind, key) so equal
// states serialize identically whatever the hash tables' order:
//
//   lists := magic u32 ("QRL1" = 0x314c5251) | max_entries u64 | count u64 | entry*
//   entry := list u8 | kind u8 | key u64 | expires_at_s i64 | added_at_s i64 | reason (u32 + bytes)
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/digest.h"
#include "base/status.h"

namespace qb::risk {

enum class ListType : uint8_t { kBlock = 0, kAllow = 1 };
inline constexpr size_t kListTypeCount = 2;

enum class EntityKind : uint8_t {
  kCustomer = 0,
  kDevice = 1,
  kIp = 2,
  kCard = 3,
  kMerchant = 4,
  kPayee = 5,
};
inline constexpr size_t kEntityKindCount = 6;

std::string_view EntityKindName(EntityKind kind);

struct ListEntry {
  int64_t expires_at_s = 0;  // 0: never
  int64_t added_at_s = 0;
  std::string reason;
  bool operator==(const ListEntry&) const = default;
};

class RiskLists {
 public:
  static constexpr size_t kMaxReasonBytes = 200;
  static constexpr size_t kMaxEntries = size_t{1} << 24;

  // 1 <= max_entries <= kMaxEntries (asserted).
  explicit RiskLists(size_t max_entries);

  // Puts `key` on the list, replacing an entry already there. kInvalidArgument for a reason
  // longer than kMaxReasonBytes, an expiry that is neither 0 nor after `now_s`, or a full table
  // (when the key is new).
  Status Add(ListType list, EntityKind kind, uint64_t key, int64_t now_s, int64_t expires_at_s,
             std::string_view reason);
  // False when the key was not on the list.
  bool Remove(ListType list, EntityKind kind, uint64_t key);

  // The entry in force at `now_s`; nullptr when there is none or it has expired.
  const ListEntry* Find(ListType list, EntityKind kind, uint64_t key, int64_t now_s) const;
  bool IsBlocked(EntityKind kind, uint64_t key, int64_t now_s) const {
    return Find(ListType::kBlock, kind, key, now_s) != nullptr;
  }
  bool IsAllowed(EntityKind kind, uint64_t key, int64_t now_s) const {
    return Find(ListType::kAllow, kind, key, now_s) != nullptr;
  }

  // Removes the entries expired at `now_s`; returns how many.
  size_t PurgeExpired(int64_t now_s);

  size_t size() const { return size_; }

  void Serialize(std::string* out) const;
  // kCorruption for truncated, trailing or invalid bytes.
  static Status Deserialize(std::string_view bytes, RiskLists* out);
  Digest StateHash() const;
  bool operator==(const RiskLists& other) const {
    return max_entries_ == other.max_entries_ && maps_ == other.maps_;
  }

 private:
  using Map = absl::flat_hash_map<uint64_t, ListEntry>;
  Map& MapFor(ListType list, EntityKind kind);
  const Map& MapFor(ListType list, EntityKind kind) const;

  size_t max_entries_;
  size_t size_ = 0;
  std::array<Map, kListTypeCount * kEntityKindCount> maps_;
};

}  // namespace qb::risk
