// Time as an input. The engine never reads the wall clock itself: the runtime asks a Clock for
// the time of each batch and writes it into the journal, so replay sees exactly the same time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace qb {

class Clock {
 public:
  virtual ~Clock() = default;
  // Nanoseconds since the Unix epoch (UTC). Thread-safe.
  virtual int64_t NowNs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowNs() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told to: for tests and simulations.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ns) : now_ns_(start_ns) {}
  int64_t NowNs() const override { return now_ns_.load(std::memory_order_relaxed); }
  void Advance(int64_t delta_ns) { now_ns_.fetch_add(delta_ns, std::memory_order_relaxed); }
  void Set(int64_t now_ns) { now_ns_.store(now_ns, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_ns_;
};

inline int64_t MonotonicNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace qb
