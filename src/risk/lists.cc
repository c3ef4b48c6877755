#include "risk/lists.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "base/bytes.h"

namespace qb::risk {

namespace {

constexpr uint32_t kMagic = 0x314c5251;  // "QRL1"

bool InForce(const ListEntry& entry, int64_t now_s) {
  return entry.expires_at_s == 0 || now_s < entry.expires_at_s;
}

}  // namespace

std::string_view EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kCustomer:
      return "customer";
    case EntityKind::kDevice:
      return "device";
    case EntityKind::kIp:
      return "ip";
    case EntityKind::kCard:
      return "card";
    case EntityKind::kMerchant:
      return "merchant";
    case EntityKind::kPayee:
      return "payee";
  }
  return "unknown";
}

RiskLists::RiskLists(size_t max_entries) : max_entries_(max_entries) {
  QB_ASSERT(max_entries >= 1 && max_entries <= kMaxEntries);
}

RiskLists::Map& RiskLists::MapFor(ListType list, EntityKind kind) {
  const size_t index = static_cast<size_t>(list) * kEntityKindCount + static_cast<size_t>(kind);
  QB_ASSERT(index < maps_.size());
  return maps_[index];
}

const RiskLists::Map& RiskLists::MapFor(ListType list, EntityKind kind) const {
  return const_cast<RiskLists*>(this)->MapFor(list, kind);
}

Status RiskLists::Add(ListType list, EntityKind kind, uint64_t key, int64_t now_s,
                      int64_t expires_at_s, std::string_view reason) {
  if (reason.size() > kMaxReasonBytes) {
    return Status::InvalidArgument(fmt::format("reason longer than {} bytes", kMaxReasonBytes));
  }
  if (expires_at_s != 0 && expires_at_s <= now_s) {
    return Status::InvalidArgument("expiry must be 0 (never) or after now");
  }
  Map& map = MapFor(list, kind);
  const auto it = map.find(key);
  if (it == map.end() && size_ >= max_entries_) {
    return Status::InvalidArgument(fmt::format("risk lists full ({} entries)", max_entries_));
  }
  ListEntry entry{expires_at_s, now_s, std::string(reason)};
  if (it != map.end()) {
    it->second = std::move(entry);
  } else {
    map.emplace(key, std::move(entry));
    ++size_;
  }
  return Status::Ok();
}

bool RiskLists::Remove(ListType list, EntityKind kind, uint64_t key) {
  if (MapFor(list, kind).erase(key) == 0) return false;
  --size_;
  return true;
}

const ListEntry* RiskLists::Find(ListType list, EntityKind kind, uint64_t key,
                                 int64_t now_s) const {
  const Map& map = MapFor(list, kind);
  const auto it = map.find(key);
  if (it == map.end() || !InForce(it->second, now_s)) return nullptr;
  return &it->second;
}

size_t RiskLists::PurgeExpired(int64_t now_s) {
  size_t purged = 0;
  for (Map& map : maps_) {
    purged +=
        absl::erase_if(map, [now_s](const auto& item) { return !InForce(item.second, now_s); });
  }
  size_ -= purged;
  return purged;
}

void RiskLists::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U32(kMagic);
  writer.U64(max_entries_);
  writer.U64(size_);
  std::vector<uint64_t> keys;
  for (size_t index = 0; index < maps_.size(); ++index) {
    keys.clear();
    for (const auto& [key, entry] : maps_[index]) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    for (const uint64_t key : keys) {
      const ListEntry& entry = maps_[index].at(key);
      writer.U8(static_cast<uint8_t>(index / kEntityKindCount));
      writer.U8(static_cast<uint8_t>(index % kEntityKindCount));
      writer.U64(key);
      writer.I64(entry.expires_at_s);
      writer.I64(entry.added_at_s);
      writer.LengthPrefixed(entry.reason);
    }
  }
}

Status RiskLists::Deserialize(std::string_view bytes, RiskLists* out) {
  ByteReader reader(bytes);
  if (reader.U32() != kMagic) return Status::Corruption("risk lists: bad magic");
  const uint64_t max_entries = reader.U64();
  const uint64_t count = reader.U64();
  if (!reader.ok() || max_entries < 1 || max_entries > kMaxEntries || count > max_entries) {
    return Status::Corruption("risk lists: bad header");
  }
  RiskLists lists(max_entries);
  // Entries must come in strictly increasing (list, kind, key) order, as Serialize writes them:
  // that also rules out duplicates.
  std::tuple<uint8_t, uint8_t, uint64_t> previous{};
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t list = reader.U8();
    const uint8_t kind = reader.U8();
    const uint64_t key = reader.U64();
    ListEntry entry;
    entry.expires_at_s = reader.I64();
    entry.added_at_s = reader.I64();
    entry.reason = std::string(reader.LengthPrefixed());
    const std::tuple<uint8_t, uint8_t, uint64_t> current{list, kind, key};
    if (!reader.ok() || list >= kListTypeCount || kind >= kEntityKindCount ||
        entry.reason.size() > kMaxReasonBytes || (i > 0 && current <= previous)) {
      return Status::Corruption("risk lists: bad entry");
    }
    previous = current;
    lists.MapFor(static_cast<ListType>(list), static_cast<EntityKind>(kind))
        .emplace(key, std::move(entry));
    ++lists.size_;
  }
  if (!reader.ok() || reader.remaining() != 0) {
    return Status::Corruption("risk lists: truncated or trailing bytes");
  }
  *out = std::move(lists);
  return Status::Ok();
}

Digest RiskLists::StateHash() const {
  std::string bytes;
  Serialize(&bytes);
  return HashBytes(bytes);
}

}  // namespace qb::risk
