// LruTable against a plain model (a std::list in touch order): 200,000 random touches, finds and
// evictions over a small key space and capacity, so entries are evicted, freed and reused; after
// every step the order, the values and the size match the model.
#include "risk/lru_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <list>
#include <random>
#include <utility>
#include <vector>

namespace qb::risk {
namespace {

struct Model {
  size_t capacity;
  std::list<std::pair<uint64_t, int64_t>> order;  // oldest first

  std::list<std::pair<uint64_t, int64_t>>::iterator Find(uint64_t key) {
    return std::find_if(order.begin(), order.end(), [&](const auto& e) { return e.first == key; });
  }
  // Returns (created, evicted).
  std::pair<bool, bool> Touch(uint64_t key, int64_t add) {
    auto it = Find(key);
    if (it != order.end()) {
      auto entry = *it;
      order.erase(it);
      entry.second += add;
      order.push_back(entry);
      return {false, false};
    }
    bool evicted = false;
    if (order.size() >= capacity) {
      order.pop_front();
      evicted = true;
    }
    order.emplace_back(key, add);
    return {true, evicted};
  }
};

std::vector<std::pair<uint64_t, int64_t>> Contents(const LruTable<int64_t>& table) {
  std::vector<std::pair<uint64_t, int64_t>> out;
  table.ForEachOldestFirst(
      [&](uint64_t key, const int64_t& value) { out.emplace_back(key, value); });
  return out;
}

TEST(LruTableTest, FollowsAPlainListThroughTouchesFindsAndEvictions) {
  for (const size_t capacity : {size_t{1}, size_t{7}, size_t{1500}}) {
    LruTable<int64_t> table(capacity);
    Model model{capacity, {}};
    std::mt19937_64 random(20261125 + capacity);
    const uint64_t keys = capacity * 3 + 2;
    for (int step = 0; step < 200'000 / static_cast<int>(capacity > 100 ? 1 : 4); step++) {
      const uint64_t key = 1 + random() % keys;
      const uint64_t op = random() % 10;
      if (op < 7) {
        const auto add = static_cast<int64_t>(random() % 100);
        bool created = false;
        bool evicted = false;
        table.Touch(key, &created, &evicted) += add;
        const auto [model_created, model_evicted] = model.Touch(key, add);
        ASSERT_EQ(created, model_created) << "step " << step;
        ASSERT_EQ(evicted, model_evicted) << "step " << step;
      } else if (op < 9) {
        const int64_t* found = table.Find(key);
        auto it = model.Find(key);
        ASSERT_EQ(found != nullptr, it != model.order.end());
        if (found != nullptr) {
          ASSERT_EQ(*found, it->second);
        }
      } else if (!model.order.empty()) {
        uint64_t oldest = 0;
        ASSERT_NE(table.Oldest(&oldest), nullptr);
        ASSERT_EQ(oldest, model.order.front().first);
        table.PopOldest();
        model.order.pop_front();
      }
      ASSERT_EQ(table.size(), model.order.size());
      if (step % 97 == 0 || capacity < 100) {
        const std::vector<std::pair<uint64_t, int64_t>> expected(model.order.begin(),
                                                                 model.order.end());
        ASSERT_EQ(Contents(table), expected) << "step " << step;
      }
    }
    // A table built by the same touches is equal; one touch more in another order is not.
    LruTable<int64_t> copy(capacity);
    for (const auto& [key, value] : model.order) {
      bool created = false;
      copy.Touch(key, &created) = value;
    }
    EXPECT_TRUE(copy == table);
    if (model.order.size() >= 2) {
      bool created = false;
      copy.Touch(model.order.front().first, &created);
      EXPECT_FALSE(copy == table);
    }
  }
}

}  // namespace
}  // namespace qb::risk
