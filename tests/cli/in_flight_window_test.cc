// The load generators' in-flight bound (cli/bench_util.h): the window is never exceeded, every
// command is acknowledged, and a waiting submitter is woken by the reply that frees its slice
// (a lost wake-up would hang the test, which ctest's timeout turns into a failure).
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

#include "cli/bench_util.h"

namespace qb::cli {
namespace {

TEST(InFlightWindowTest, NeverMoreInFlightThanTheCapacityAndEveryCommandAcknowledged) {
  constexpr uint64_t kCapacity = 64;
  constexpr uint64_t kCommands = 200'000;
  InFlightWindow window(kCapacity);
  std::mutex mutex;
  std::deque<uint64_t> queue;  // submitted, not yet acknowledged
  std::atomic<uint64_t> submitted{0};
  std::atomic<bool> exceeded{false};
  std::thread replier([&] {
    uint64_t acknowledged = 0;
    while (acknowledged < kCommands) {
      bool got = false;
      {
        std::lock_guard lock(mutex);
        if (!queue.empty()) {
          queue.pop_front();
          got = true;
        }
      }
      if (!got) {
        std::this_thread::yield();
        continue;
      }
      ++acknowledged;
      window.Acknowledge();
    }
  });
  for (uint64_t i = 0; i < kCommands; ++i) {
    window.WaitForRoom(i);
    {
      std::lock_guard lock(mutex);
      queue.push_back(i);
      if (queue.size() > kCapacity) exceeded = true;
    }
    submitted.fetch_add(1);
  }
  window.WaitForAll(kCommands);
  replier.join();
  EXPECT_FALSE(exceeded.load());
  EXPECT_EQ(window.acknowledged(), kCommands);
  EXPECT_EQ(submitted.load(), kCommands);
}

TEST(InFlightWindowTest, ASubmitterBelowTheCapacityDoesNotWait) {
  InFlightWindow window(4);
  for (uint64_t i = 0; i < 4; ++i) window.WaitForRoom(i);  // would hang if it waited
  window.Acknowledge();
  window.WaitForRoom(4);  // 4 submitted, 1 acknowledged: 3 in flight
  EXPECT_EQ(window.acknowledged(), 1u);
  for (int i = 0; i < 3; ++i) window.Acknowledge();
  window.WaitForAll(4);
  EXPECT_EQ(window.acknowledged(), 4u);
}

}  // namespace
}  // namespace qb::cli
