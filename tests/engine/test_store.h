// Store decorators for the engine tests: a ForwardingStore that passes every call to a real
// SQLite store, and a ControlledStore whose journal appends and projections can be held at a
// gate or made to fail, so a test can see what the engine does while the disk is slow or broken.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "store/store.h"

namespace qb::engine::testing {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}
  Store* inner() { return inner_.get(); }

  Status AppendJournal(std::span<const JournalRecord> records) override {
    return inner_->AppendJournal(records);
  }
  Status ReadJournal(uint64_t from_seq,
                     const std::function<bool(uint64_t, std::string_view)>& visit) override {
    return inner_->ReadJournal(from_seq, visit);
  }
  Status TruncateJournal(uint64_t from_seq) override { return inner_->TruncateJournal(from_seq); }
  Status LastJournalSeq(uint64_t* seq) override { return inner_->LastJournalSeq(seq); }
  Status WriteCheckpoint(uint64_t seq, std::string_view state_bytes) override {
    return inner_->WriteCheckpoint(seq, state_bytes);
  }
  Status ListCheckpoints(size_t limit, std::vector<uint64_t>* seqs) override {
    return inner_->ListCheckpoints(limit, seqs);
  }
  Status ReadCheckpoint(uint64_t seq, CheckpointInfo* checkpoint) override {
    return inner_->ReadCheckpoint(seq, checkpoint);
  }
  Status ApplyProjection(const Projection& projection) override {
    return inner_->ApplyProjection(projection);
  }
  Status ProjectedSeq(uint64_t* seq) override { return inner_->ProjectedSeq(seq); }
  Status ResetReadModels() override { return inner_->ResetReadModels(); }
  Status ReadAccount(uint64_t id, std::optional<ledger::Account>* account) override {
    return inner_->ReadAccount(id, account);
  }
  Status ListAccountTransfers(uint64_t account_id, std::optional<int64_t> before_ns, size_t limit,
                              TransferPage* page) override {
    return inner_->ListAccountTransfers(account_id, before_ns, limit, page);
  }
  Status CountReadModel(uint64_t* accounts, uint64_t* transfers) override {
    return inner_->CountReadModel(accounts, transfers);
  }
  Status ForEachProjectedAccount(
      const std::function<void(const ledger::Account&)>& visit) override {
    return inner_->ForEachProjectedAccount(visit);
  }

 private:
  std::unique_ptr<Store> inner_;
};

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
