// Velocity counters: how many events, and how much money, one entity (a customer, device, IP,
// card, merchant or payee: each just a uint64 key) saw over the last minute, hour, day and
// 30 days. The engine keeps one VelocityTable per kind of entity, so each kind has its own cap.
//
// Time is an input, in whole seconds (the engine's journal time); the table never reads a clock.
//
// Layout and granularity. Each window is a ring of fixed-width buckets:
//
//   window    bucket width   buckets   accurate to
//   1 min     10 s            7        10 s
//   1 h       10 min          7        10 min
//   24 h      2 h            13        2 h
//   30 d      3 d            11        3 d
//
// A window of length L with buckets of width g holds L/g + 1 buckets: the current, partly
// elapsed one and the L/g before it. Bucket n covers [n*g, (n+1)*g). An event at time t is
// counted in the window at time `now` while floor(now/g) - floor(t/g) <= L/g, that is, it drops
// out exactly when `now` reaches (floor(t/g) + L/g + 1) * g, a time in (t + L, t + L + g]. So
// an event is still counted at t + L and never after t + L + g - 1: the windows never undercount
// (a risk rule sees every event of the last L seconds) and overcount by at most one bucket.
//
// An entity is 38 buckets of (uint32 count, int64 amount) plus its last event time: 464 bytes,
// 480 with the LRU links, about 500 with the hash index. A bucket's count saturates at
// UINT32_MAX and its amount, like every sum, at INT64_MAX.
//
// Bounded memory, deterministic eviction. The table holds at most max_entities entities, in the
// order they last recorded an event. Advance(now) forgets the entities whose every window is
// empty at `now` (idle for more than 33 days: nothing is lost, a query would give zeroes), oldest
// first. Recording a new entity into a full table forgets the entity that recorded least
// recently. Both depend only on the sequence of calls, so a replay reproduces the same state.
//
// Times must not go backwards (the journal's do not). If they do, a time earlier than an
// entity's last event counts as that last event's time; the result is still deterministic.
//
// Thread-safety: none; the single engine thread owns the table.
//
// Serialized form (little-endian, ByteWriter):
//
//   table  := magic u32 ("QRV1" = 0x31565251) | max_entities u64 | entity_count u64 | entity*
//   entity := key u64 | last_event_s i64 | bucket * 38
//   bucket := count u32 | amount_fen i64
//
// Entities are written least recently used first; buckets window by window in the table above,
// each ring in slot order (slot = bucket number mod ring size).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/digest.h"
#include "base/status.h"
#include "risk/lru_table.h"

namespace qb::risk {

enum class Window : uint8_t { k1Minute = 0, k1Hour = 1, k24Hours = 2, k30Days = 3 };
inline constexpr size_t kWindowCount = 4;

struct WindowLayout {
  int64_t length_s;
  int64_t bucket_s;
  constexpr size_t buckets() const { return static_cast<size_t>(length_s / bucket_s) + 1; }
};

inline constexpr std::array<WindowLayout, kWindowCount> kWindowLayouts = {{
    {60, 10},
    {3600, 600},
    {24 * 3600, 2 * 3600},
    {30 * 24 * 3600, 3 * 24 * 3600},
}};

struct WindowTotals {
  int64_t count = 0;
  int64_t amount_fen = 0;
  bool operator==(const WindowTotals&) const = default;
};

struct VelocityTotals {
  std::array<WindowTotals, kWindowCount> windows{};
  const WindowTotals& operator[](Window window) const {
    return windows[static_cast<size_t>(window)];
  }
  bool operator==(const VelocityTotals&) const = default;
};

class VelocityTable {
 public:
  static constexpr size_t kBucketCount = 7 + 7 + 13 + 11;
  static constexpr size_t kMaxEntities = size_t{1} << 26;
  // Far beyond any real date; keeps bucket arithmetic clear of overflow.
  static constexpr int64_t kMaxTimeS = int64_t{1} << 40;

  // 1 <= max_entities <= kMaxEntities (asserted).
  explicit VelocityTable(size_t max_entities);

  // Counts one event of `amount_fen` (>= 0) for `key` at `now_s` (0..kMaxTimeS); both asserted.
  void Record(uint64_t key, int64_t now_s, int64_t amount_fen);

  // The totals of `key` at `now_s`; all zero for a key never seen or already forgotten.
  VelocityTotals Query(uint64_t key, int64_t now_s) const;

  // Cache hints, in this order, before a Query or Record of `key` (LruTable's): no effect on
  // the state.
  void PrefetchIndex(uint64_t key) const { entities_.PrefetchIndex(key); }
  void PrefetchNode(uint64_t key) const { entities_.PrefetchNode(key); }
  void PrefetchNeighbors(uint64_t key) const { entities_.PrefetchNeighbors(key); }

  // Forgets the entities all of whose windows are empty at `now_s`, least recently used first,
  // stopping at the first that still counts something. Returns how many were forgotten.
  size_t Advance(int64_t now_s);

  size_t size() const { return entities_.size(); }
  // Entities forgotten because the table was full (not counting Advance).
  uint64_t evicted_when_full() const { return evicted_when_full_; }

  // Appends the serialized form described above to *out.
  void Serialize(std::string* out) const;
  // Replaces *out with the table in `bytes`. kCorruption for truncated, trailing or invalid
  // bytes (duplicate keys, a count above max_entities, times out of range).
  static Status Deserialize(std::string_view bytes, VelocityTable* out);
  // BLAKE2b-256 of the serialized form: equal states have equal hashes.
  Digest StateHash() const;
  // Same capacity, same entities with the same buckets, in the same LRU order.
  bool operator==(const VelocityTable& other) const { return entities_ == other.entities_; }

 private:
  struct Entity {
    int64_t last_event_s = 0;
    std::array<uint32_t, kBucketCount> counts{};
    std::array<int64_t, kBucketCount> amounts_fen{};
    bool operator==(const Entity&) const = default;
  };
  static_assert(sizeof(Entity) == 464, "the per-entity cost documented above");

  static void RollForward(Entity* entity, int64_t now_s);
  static bool IsEmptyAt(const Entity& entity, int64_t now_s);

  LruTable<Entity> entities_;
  uint64_t evicted_when_full_ = 0;  // statistics only: not part of the state
};

}  // namespace qb::risk
