// A map from uint64 keys to values, bounded to a fixed capacity and kept in the order in which
// entries were last touched. Internal to src/risk: the velocity and amount-statistics tables
// build on it.
//
// Why an LRU list rather than a scan for the oldest entry: eviction must be deterministic (so a
// replay reproduces the state) and cheap on the hot path. The list order is fixed by the order of
// Touch calls alone, which the journal fixes, and the victim (the entry touched longest ago) is
// found in O(1). Hash-table iteration order is never observed.
//
// Memory: nodes live in chunks of kChunkNodes, allocated as the table grows up to `capacity` and
// then reused through a free list; each costs sizeof(Value) + 16 bytes, plus about 18 bytes in
// the index. Chunks, not one vector: growing never copies the nodes already there (a vector's
// doubling copied whole tables of 480-byte velocity entities on the engine thread, and touched
// twice the memory).
//
// Move-only: a table is moved (loading a checkpoint), never copied.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/assert.h"

namespace qb::risk {

template <typename Value>
class LruTable {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  static constexpr size_t kChunkNodes = 1024;
  static constexpr size_t kCacheLine = 64;

  explicit LruTable(size_t capacity) : capacity_(capacity) { QB_ASSERT(capacity >= 1); }
  LruTable(LruTable&&) noexcept = default;
  LruTable& operator=(LruTable&&) noexcept = default;

  // The value of `key`, made the most recently touched. A new key gets a value-initialized
  // Value (*created is set true); if the table is full, the least recently touched entry is
  // evicted first (and *evicted, when non-null, says so).
  Value& Touch(uint64_t key, bool* created, bool* evicted = nullptr) {
    if (evicted != nullptr) *evicted = false;
    const auto it = index_.find(key);
    if (it != index_.end()) {
      *created = false;
      MoveToNewest(it->second);
      return At(it->second).value;
    }
    *created = true;
    if (index_.size() >= capacity_) {
      if (evicted != nullptr) *evicted = true;
      PopOldest();
    }
    const uint32_t node = Allocate();
    At(node).key = key;
    At(node).value = Value{};
    Link(node);
    index_.emplace(key, node);
    return At(node).value;
  }

  // nullptr when absent. Does not change the order.
  const Value* Find(uint64_t key) const {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &At(it->second).value;
  }

  // Cache hints, for a caller about to look up several keys in several tables: each starts
  // loading memory and changes nothing, so a state never depends on them. Issue every table's
  // PrefetchIndex first, then every PrefetchNode, then the lookups: the cache misses overlap
  // instead of following one another.
  //
  //   PrefetchIndex:     the key's slot in the index.
  //   PrefetchNode:      the key's node, when present (waits for the index slot).
  //   PrefetchNeighbors: the first cache line of the nodes next to it in the LRU list, which
  //                      Touch rewrites (waits for the node).
  void PrefetchIndex(uint64_t key) const { index_.prefetch(key); }
  void PrefetchNode(uint64_t key) const {
    const auto it = index_.find(key);
    if (it == index_.end()) return;
    const char* node = reinterpret_cast<const char*>(&At(it->second));
    for (size_t offset = 0; offset < sizeof(Node); offset += kCacheLine) {
      __builtin_prefetch(node + offset);
    }
  }
  void PrefetchNeighbors(uint64_t key) const {
    const auto it = index_.find(key);
    if (it == index_.end() || it->second == newest_) return;
    const Node& node = At(it->second);
    if (node.older != kNone) __builtin_prefetch(&At(node.older), 1);
    if (node.newer != kNone) __builtin_prefetch(&At(node.newer), 1);
  }

  // nullptr when empty.
  const Value* Oldest(uint64_t* key) const {
    if (oldest_ == kNone) return nullptr;
    *key = At(oldest_).key;
    return &At(oldest_).value;
  }

  void PopOldest() {
    QB_ASSERT(oldest_ != kNone);
    const uint32_t node = oldest_;
    Unlink(node);
    index_.erase(At(node).key);
    At(node).newer = free_;
    free_ = node;
  }

  // Visits (key, value) from the least to the most recently touched.
  template <typename Visitor>
  void ForEachOldestFirst(Visitor&& visit) const {
    for (uint32_t node = oldest_; node != kNone; node = At(node).newer) {
      visit(At(node).key, At(node).value);
    }
  }

  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }

  // Same capacity, same keys and values in the same order.
  bool operator==(const LruTable& other) const {
    if (capacity_ != other.capacity_ || size() != other.size()) return false;
    uint32_t mine = oldest_;
    uint32_t theirs = other.oldest_;
    while (mine != kNone) {
      const Node& a = At(mine);
      const Node& b = other.At(theirs);
      if (a.key != b.key || !(a.value == b.value)) return false;
      mine = a.newer;
      theirs = b.newer;
    }
    return true;
  }

 private:
  struct Node {
    uint64_t key = 0;
    uint32_t older = kNone;
    uint32_t newer = kNone;  // also the free-list link
    Value value{};
  };

  Node& At(uint32_t node) { return chunks_[node / kChunkNodes][node % kChunkNodes]; }
  const Node& At(uint32_t node) const { return chunks_[node / kChunkNodes][node % kChunkNodes]; }

  uint32_t Allocate() {
    if (free_ != kNone) {
      const uint32_t node = free_;
      free_ = At(node).newer;
      return node;
    }
    QB_ASSERT(allocated_ < capacity_);
    // The last chunk holds only what the capacity leaves (a small table stays small).
    if (allocated_ % kChunkNodes == 0) {
      chunks_.push_back(std::make_unique<Node[]>(std::min(kChunkNodes, capacity_ - allocated_)));
    }
    return static_cast<uint32_t>(allocated_++);
  }

  // Appends `node` as the newest.
  void Link(uint32_t node) {
    At(node).older = newest_;
    At(node).newer = kNone;
    if (newest_ != kNone) At(newest_).newer = node;
    newest_ = node;
    if (oldest_ == kNone) oldest_ = node;
  }

  void Unlink(uint32_t node) {
    const uint32_t older = At(node).older;
    const uint32_t newer = At(node).newer;
    if (older != kNone) At(older).newer = newer;
    if (newer != kNone) At(newer).older = older;
    if (oldest_ == node) oldest_ = newer;
    if (newest_ == node) newest_ = older;
  }

  void MoveToNewest(uint32_t node) {
    if (newest_ == node) return;
    Unlink(node);
    Link(node);
  }

  size_t capacity_;
  std::vector<std::unique_ptr<Node[]>> chunks_;
  size_t allocated_ = 0;  // nodes handed out from the chunks (in use or on the free list)
  absl::flat_hash_map<uint64_t, uint32_t> index_;
  uint32_t oldest_ = kNone;
  uint32_t newest_ = kNone;
  uint32_t free_ = kNone;
};

}  // namespace qb::risk
