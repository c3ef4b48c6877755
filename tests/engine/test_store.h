// Store decorators for the engine tests: a ControlledStore, over support/forwarding_store.h, whose
// journal appends and projections can be held at a gate or made to fail, so a test can see what the
// engine does while the disk is slow or broken.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "store/store.h"
#include "support/forwarding_store.h"

namespace qb::engine::testing {

using qb::testing::ForwardingStore;

// A gate that calls pass through while open and wait at while closed. It counts the calls that
// reached it, so a test can wait until a thread is known to be held there.
class Gate {
 public:
  void Close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void Open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }
  void Pass() {
    std::unique_lock lock(mutex_);
    arrivals_++;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
  }
  uint64_t arrivals() const {
    std::lock_guard lock(mutex_);
    return arrivals_;
  }
  // True once at least `count` calls have arrived, false after `timeout`.
  bool WaitForArrivals(uint64_t count,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return arrivals_ >= count; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  uint64_t arrivals_ = 0;
};

class ControlledStore final : public ForwardingStore {
 public:
  enum class AppendFailure { kNone, kBeforeWriting, kAfterWriting };

  using ForwardingStore::ForwardingStore;

  Gate& append_gate() { return append_gate_; }
  Gate& projection_gate() { return projection_gate_; }
  // kBeforeWriting: nothing reaches the disk. kAfterWriting: the records are written but the
  // caller is told it failed, as when an fsync reports an error after the data got through.
  void set_append_failure(AppendFailure failure) {
    std::lock_guard lock(mutex_);
    failure_ = failure;
  }

  Status AppendJournal(std::span<const JournalRecord> records) override {
    append_gate_.Pass();
    AppendFailure failure;
    {
      std::lock_guard lock(mutex_);
      failure = failure_;
    }
    if (failure == AppendFailure::kBeforeWriting) return Status::IoError("injected: disk full");
    Status s = ForwardingStore::AppendJournal(records);
    if (s.ok() && failure == AppendFailure::kAfterWriting) return Status::IoError("injected");
    return s;
  }
  // The next `count` projections fail without touching the read models.
  void FailProjections(int count) {
    std::lock_guard lock(mutex_);
    projections_to_fail_ = count;
  }

  Status ApplyProjection(const Projection& projection) override {
    projection_gate_.Pass();
    {
      std::lock_guard lock(mutex_);
      if (projections_to_fail_ > 0) {
        projections_to_fail_--;
        return Status::IoError("injected: read model unavailable");
      }
    }
    return ForwardingStore::ApplyProjection(projection);
  }

 private:
  Gate append_gate_;
  Gate projection_gate_;
  std::mutex mutex_;
  AppendFailure failure_ = AppendFailure::kNone;
  int projections_to_fail_ = 0;
};

}  // namespace qb::engine::testing
