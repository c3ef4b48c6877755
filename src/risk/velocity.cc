#include "risk/velocity.h"

#include <absl/container/flat_hash_set.h>

#include <algorithm>

#include "base/assert.h"
#include "base/bytes.h"

namespace qb::risk {

namespace {

constexpr uint32_t kMagic = 0x31565251;  // "QRV1"

// Where each window's ring starts in an entity's bucket arrays.
constexpr std::array<size_t, kWindowCount> RingOffsets() {
  std::array<size_t, kWindowCount> offsets{};
  size_t offset = 0;
  for (size_t w = 0; w < kWindowCount; ++w) {
    offsets[w] = offset;
    offset += kWindowLayouts[w].buckets();
  }
  return offsets;
}
constexpr std::array<size_t, kWindowCount> kRingOffsets = RingOffsets();

static_assert(kRingOffsets[kWindowCount - 1] + kWindowLayouts[kWindowCount - 1].buckets() ==
              VelocityTable::kBucketCount);
// The 30-day window is the longest: an entity empty there is empty everywhere.
static_assert(kWindowLayouts[3].length_s + kWindowLayouts[3].bucket_s >=
              kWindowLayouts[2].length_s + kWindowLayouts[2].bucket_s);
static_assert(kWindowLayouts[2].length_s + kWindowLayouts[2].bucket_s >=
              kWindowLayouts[1].length_s + kWindowLayouts[1].bucket_s);
static_assert(kWindowLayouts[1].length_s + kWindowLayouts[1].bucket_s >=
              kWindowLayouts[0].length_s + kWindowLayouts[0].bucket_s);

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum;
  return __builtin_add_overflow(a, b, &sum) ? INT64_MAX : sum;
}

}  // namespace

VelocityTable::VelocityTable(size_t max_entities) : entities_(max_entities) {
  QB_ASSERT(max_entities >= 1 && max_entities <= kMaxEntities);
}

namespace {

// Clears, in window W's ring, the buckets after last_event_s's up to now_s's (at most the whole
// ring), walking slots rather than taking a remainder per bucket (see SumWindow).
template <size_t W>
void ClearWindow(uint32_t* counts, int64_t* amounts_fen, int64_t last_event_s, int64_t now_s) {
  constexpr WindowLayout kLayout = kWindowLayouts[W];
  constexpr auto kRingSize = static_cast<int64_t>(kLayout.buckets());
  const int64_t last_bucket = last_event_s / kLayout.bucket_s;
  const int64_t now_bucket = now_s / kLayout.bucket_s;
  const int64_t first_to_clear = std::max(last_bucket + 1, now_bucket - kRingSize + 1);
  if (first_to_clear > now_bucket) return;
  auto slot = static_cast<size_t>(first_to_clear % kRingSize);
  for (int64_t bucket = first_to_clear; bucket <= now_bucket; ++bucket) {
    counts[kRingOffsets[W] + slot] = 0;
    amounts_fen[kRingOffsets[W] + slot] = 0;
    if (++slot == static_cast<size_t>(kRingSize)) slot = 0;
  }
}

}  // namespace

// Clears the buckets that the time between the entity's last event and `now_s` has moved past,
// so that each ring again holds buckets floor(now/g) - (size - 1) .. floor(now/g).
void VelocityTable::RollForward(Entity* entity, int64_t now_s) {
  uint32_t* counts = entity->counts.data();
  int64_t* amounts = entity->amounts_fen.data();
  ClearWindow<0>(counts, amounts, entity->last_event_s, now_s);
  ClearWindow<1>(counts, amounts, entity->last_event_s, now_s);
  ClearWindow<2>(counts, amounts, entity->last_event_s, now_s);
  ClearWindow<3>(counts, amounts, entity->last_event_s, now_s);
  static_assert(kWindowCount == 4);
  entity->last_event_s = now_s;
}

bool VelocityTable::IsEmptyAt(const Entity& entity, int64_t now_s) {
  const WindowLayout& longest = kWindowLayouts[kWindowCount - 1];
  const int64_t age_buckets = now_s / longest.bucket_s - entity.last_event_s / longest.bucket_s;
  return age_buckets >= static_cast<int64_t>(longest.buckets());
}

void VelocityTable::Record(uint64_t key, int64_t now_s, int64_t amount_fen) {
  QB_ASSERT(now_s >= 0 && now_s <= kMaxTimeS);
  QB_ASSERT(amount_fen >= 0);
  bool created = false;
  bool evicted = false;
  Entity& entity = entities_.Touch(key, &created, &evicted);
  if (evicted) ++evicted_when_full_;
  if (created) entity.last_event_s = now_s;
  RollForward(&entity, std::max(now_s, entity.last_event_s));
  for (size_t w = 0; w < kWindowCount; ++w) {
    const WindowLayout& layout = kWindowLayouts[w];
    const auto ring_size = static_cast<int64_t>(layout.buckets());
    const size_t slot =
        kRingOffsets[w] + static_cast<size_t>((entity.last_event_s / layout.bucket_s) % ring_size);
    if (entity.counts[slot] != UINT32_MAX) ++entity.counts[slot];
    entity.amounts_fen[slot] = SaturatingAdd(entity.amounts_fen[slot], amount_fen);
  }
}

namespace {

// The totals of window W, with its layout as compile-time constants so that the divisions
// become multiplications, and the ring walked slot by slot rather than with a remainder per
// bucket: Query runs several times per payment, and this was most of its cost.
template <size_t W>
void SumWindow(const uint32_t* counts, const int64_t* amounts_fen, int64_t last_event_s,
               int64_t now_s, WindowTotals* window) {
  constexpr WindowLayout kLayout = kWindowLayouts[W];
  constexpr auto kRingSize = static_cast<int64_t>(kLayout.buckets());
  const int64_t last_bucket = last_event_s / kLayout.bucket_s;
  const int64_t oldest_counted = now_s / kLayout.bucket_s - kRingSize + 1;
  // The ring holds buckets last_bucket - (ring_size - 1) .. last_bucket; those before
  // oldest_counted have slid out of the window since the last event.
  const int64_t first = std::max(last_bucket - kRingSize + 1, oldest_counted);
  if (first > last_bucket) return;
  auto slot = static_cast<size_t>(first % kRingSize);
  int64_t count = 0;
  int64_t amount_fen = 0;
  for (int64_t bucket = first; bucket <= last_bucket; ++bucket) {
    count += counts[kRingOffsets[W] + slot];
    amount_fen = SaturatingAdd(amount_fen, amounts_fen[kRingOffsets[W] + slot]);
    if (++slot == static_cast<size_t>(kRingSize)) slot = 0;
  }
  window->count = count;
  window->amount_fen = amount_fen;
}

}  // namespace

VelocityTotals VelocityTable::Query(uint64_t key, int64_t now_s) const {
  QB_ASSERT(now_s >= 0 && now_s <= kMaxTimeS);
  VelocityTotals totals;
  const Entity* entity = entities_.Find(key);
  if (entity == nullptr) return totals;
  now_s = std::max(now_s, entity->last_event_s);
  const uint32_t* counts = entity->counts.data();
  const int64_t* amounts = entity->amounts_fen.data();
  SumWindow<0>(counts, amounts, entity->last_event_s, now_s, &totals.windows[0]);
  SumWindow<1>(counts, amounts, entity->last_event_s, now_s, &totals.windows[1]);
  SumWindow<2>(counts, amounts, entity->last_event_s, now_s, &totals.windows[2]);
  SumWindow<3>(counts, amounts, entity->last_event_s, now_s, &totals.windows[3]);
  static_assert(kWindowCount == 4);
  return totals;
}

size_t VelocityTable::Advance(int64_t now_s) {
  QB_ASSERT(now_s >= 0 && now_s <= kMaxTimeS);
  size_t forgotten = 0;
  uint64_t key = 0;
  for (const Entity* oldest = entities_.Oldest(&key);
       oldest != nullptr && IsEmptyAt(*oldest, now_s); oldest = entities_.Oldest(&key)) {
    entities_.PopOldest();
    ++forgotten;
  }
  return forgotten;
}

void VelocityTable::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U32(kMagic);
  writer.U64(entities_.capacity());
  writer.U64(entities_.size());
  entities_.ForEachOldestFirst([&](uint64_t key, const Entity& entity) {
    writer.U64(key);
    writer.I64(entity.last_event_s);
    for (size_t slot = 0; slot < kBucketCount; ++slot) {
      writer.U32(entity.counts[slot]);
      writer.I64(entity.amounts_fen[slot]);
    }
  });
}

Status VelocityTable::Deserialize(std::string_view bytes, VelocityTable* out) {
  ByteReader reader(bytes);
  if (reader.U32() != kMagic) return Status::Corruption("velocity table: bad magic");
  const uint64_t capacity = reader.U64();
  const uint64_t count = reader.U64();
  if (!reader.ok() || capacity < 1 || capacity > kMaxEntities || count > capacity) {
    return Status::Corruption("velocity table: bad header");
  }
  constexpr size_t kEntityBytes = 16 + kBucketCount * 12;
  if (reader.remaining() != count * kEntityBytes) {
    return Status::Corruption("velocity table: size does not match the entity count");
  }
  VelocityTable table(capacity);
  absl::flat_hash_set<uint64_t> seen;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t key = reader.U64();
    const int64_t last_event_s = reader.I64();
    if (last_event_s < 0 || last_event_s > kMaxTimeS || !seen.insert(key).second) {
      return Status::Corruption("velocity table: bad entity");
    }
    bool created = false;
    Entity& entity = table.entities_.Touch(key, &created);
    entity.last_event_s = last_event_s;
    for (size_t slot = 0; slot < kBucketCount; ++slot) {
      entity.counts[slot] = reader.U32();
      entity.amounts_fen[slot] = reader.I64();
      if (entity.amounts_fen[slot] < 0) return Status::Corruption("velocity table: bad bucket");
    }
  }
  QB_ASSERT(reader.ok() && reader.remaining() == 0);
  *out = std::move(table);
  return Status::Ok();
}

Digest VelocityTable::StateHash() const {
  std::string bytes;
  Serialize(&bytes);
  return HashBytes(bytes);
}

}  // namespace qb::risk
