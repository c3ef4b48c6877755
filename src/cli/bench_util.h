// What the engine benchmarks share: a seeded generator, submitting set-up commands all in flight
// with a check of every result, percentiles and the progress bar.
#pragma once

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
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
    for (uint64_t seen = done_.load(); submitted_ - seen >= kMaxInFlight; seen = done_.load()) {
      done_.wait(seen);
    }
    const uint64_t index = submitted_++;
    engine_->Submit(std::move(command), [this, index, on_reply](engine::Reply&& reply) {
      const bool ok =
          reply.status == engine::ReplyStatus::kOk &&
          std::none_of(reply.results.begin(), reply.results.end(), [](uint8_t r) { return r; });
      if (!ok && failed_.fetch_add(1) == 0) {
        first_failure_.store(reply.results.empty() ? 255 : reply.results[0]);
      }
      on_reply(index, reply);
      done_.fetch_add(1);
      done_.notify_all();
    });
  }
  void Submit(engine::Command command) {
    Submit(std::move(command), [](uint64_t, const engine::Reply&) {});
  }
  // Waits for every reply; false when any failed (printed with `what`).
  bool Wait(const char* what) {
    for (uint64_t seen = done_.load(); seen < submitted_; seen = done_.load()) done_.wait(seen);
    if (failed_.load() == 0) return true;
    fmt::print(stderr, "bench: {}: {} of {} failed (first result {})\n", what, failed_.load(),
               submitted_, first_failure_.load());
    return false;
  }

 private:
  engine::Engine* engine_;
  uint64_t submitted_ = 0;
  std::atomic<uint64_t> done_{0};
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
