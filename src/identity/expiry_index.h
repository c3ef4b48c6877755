// Keys ordered by deadline, so the books can drop what has expired without scanning every
// entry: each batch pops only what is due. Derived data: never serialized, rebuilt from the
// tables it indexes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace qb::identity {

class ExpiryIndex {
 public:
  void Add(int64_t deadline_ns, std::string_view key) { set_.emplace(deadline_ns, key); }
  void Remove(int64_t deadline_ns, std::string_view key) {
    set_.erase(std::pair<int64_t, std::string>(deadline_ns, key));
  }
  // Calls `due(key)` for each key whose deadline is <= now_ns, earliest first, at most `limit`
  // of them, removing them from the index; returns how many.
  template <typename Due>
  size_t PopDue(int64_t now_ns, size_t limit, Due&& due) {
    size_t popped = 0;
    while (popped < limit && !set_.empty() && set_.begin()->first <= now_ns) {
      auto node = set_.extract(set_.begin());
      due(node.value().second);
      popped++;
    }
    return popped;
  }
  void Clear() { set_.clear(); }
  size_t size() const { return set_.size(); }

 private:
  // Ties on the deadline break by key, so the order never depends on insertion order.
  std::set<std::pair<int64_t, std::string>> set_;
};

}  // namespace qb::identity
