// What the engine benchmarks share: a seeded generator, submitting set-up commands all in flight
// with a check of every result, percentiles and the progress bar.
#pragma once

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace qb::cli {

class Rng {  // xorshift64*: fast and seeded, for reproducible workloads.
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

// Bounds the commands a load generator has in flight, without a system call per reply. A
// submitter that finds the window full sleeps until a slice of it (an eighth) has drained, and
// only the reply that drains the slice wakes it. Waking it on every reply, as an atomic's
// notify does, cost a futex call per reply on the thread that delivers them and a yield loop on
// the submitter: a third busy thread on a machine whose two cores the engine needs.
class InFlightWindow {
 public:
  explicit InFlightWindow(uint64_t capacity)
      : capacity_(std::max<uint64_t>(capacity, 1)), slice_(std::max<uint64_t>(capacity_ / 8, 1)) {}
  InFlightWindow(const InFlightWindow&) = delete;
  InFlightWindow& operator=(const InFlightWindow&) = delete;

  // Before submitting the command numbered `submitted` (from 0).
  void WaitForRoom(uint64_t submitted) {
    if (submitted - acknowledged_.load() < capacity_) return;
    WaitUntil(submitted - capacity_ + slice_);
  }
  void WaitForAll(uint64_t submitted) { WaitUntil(submitted); }

  // From the reply callback, once per command.
  void Acknowledge() {
    // Both sides use sequentially consistent operations: either this reply sees the waiter's
    // target, or the waiter, checking after it set the target, sees this reply's count.
    const uint64_t now = acknowledged_.fetch_add(1) + 1;
    if (now >= wake_at_.load()) {
      std::lock_guard lock(mutex_);
      wakeup_.notify_all();
    }
  }
  uint64_t acknowledged() const { return acknowledged_.load(); }

 private:
  static constexpr uint64_t kNobodyWaits = std::numeric_limits<uint64_t>::max();

  void WaitUntil(uint64_t count) {
    std::unique_lock lock(mutex_);
    wake_at_.store(count);
    wakeup_.wait(lock, [&] { return acknowledged_.load() >= count; });
    wake_at_.store(kNobodyWaits);
  }

  const uint64_t capacity_;
  const uint64_t slice_;
  std::atomic<uint64_t> acknowledged_{0};
  std::atomic<uint64_t> wake_at_{kNobodyWaits};
  std::mutex mutex_;
  std::condition_variable wakeup_;
};

// Submits set-up commands, up to kMaxInFlight at once (the engine's queue is bounded), and
// counts any reply that is not ok with every result 0. `on_reply` (optional) sees each reply
// with the index of its command.
class SetUpBatch {
 public:
  explicit SetUpBatch(engine::Engine* engine) : engine_(engine) {}
  SetUpBatch(const SetUpBatch&) = delete;
  SetUpBatch& operator=(const SetUpBatch&) = delete;

  static constexpr uint64_t kMaxInFlight = 8'192;

  template <typename OnReply>
  void Submit(engine::Command command, OnReply on_reply) {
    window_.WaitForRoom(submitted_);
    const uint64_t index = submitted_++;
    engine_->Submit(std::move(command), [this, index, on_reply](engine::Reply&& reply) {
      const bool ok =
          reply.status == engine::ReplyStatus::kOk &&
          std::none_of(reply.results.begin(), reply.results.end(), [](uint8_t r) { return r; });
      if (!ok && failed_.fetch_add(1) == 0) {
        first_failure_.store(reply.results.empty() ? 255 : reply.results[0]);
      }
      on_reply(index, reply);
      window_.Acknowledge();
    });
  }
  void Submit(engine::Command command) {
    Submit(std::move(command), [](uint64_t, const engine::Reply&) {});
  }
  // Waits for every reply; false when any failed (printed with `what`).
  bool Wait(const char* what) {
    window_.WaitForAll(submitted_);
    if (failed_.load() == 0) return true;
    fmt::print(stderr, "bench: {}: {} of {} failed (first result {})\n", what, failed_.load(),
               submitted_, first_failure_.load());
    return false;
  }

 private:
  engine::Engine* engine_;
  uint64_t submitted_ = 0;
  InFlightWindow window_{kMaxInFlight};
  std::atomic<uint64_t> failed_{0};
  std::atomic<uint8_t> first_failure_{0};
};

inline int64_t Percentile(const std::vector<int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(q * sorted.size()));
  return sorted[index];
}

inline void DrawProgress(uint64_t done, uint64_t total, double rate) {
  constexpr int kWidth = 40;
  const int filled = static_cast<int>(kWidth * done / std::max<uint64_t>(total, 1));
  fmt::print(stderr, "\r  [{}{}] {:3}%  {:>9} payments/s", std::string(filled, '='),
             std::string(kWidth - filled, ' '), 100 * done / std::max<uint64_t>(total, 1),
             static_cast<uint64_t>(rate));
}

}  // namespace qb::cli
