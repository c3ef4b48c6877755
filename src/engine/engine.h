// The engine runtime: one writer thread executing batches of commands against the
// StateMachine, a journal thread making each batch durable before its replies leave, and a
// projector thread feeding the read models.
//
//   Submit (any thread) → bounded queue → engine thread: BeginBatch/Apply/EndBatch, encode
//     → journal thread: append + fsync (group commit), release replies in order
//     → projector thread: read models in large transactions
//
// Thread-safety: Submit, Execute and the accessors may be called from any thread. Replies are
// delivered on the journal thread (or on the caller's thread for an immediate refusal); a
// callback must be quick and must not call Execute.
//
// Durability: a callback with ReplyStatus::kOk runs only after the batch holding its command
// is durable. The engine runs batch N+1 while batch N is being written (pipelining); replies
// still leave in order. If the journal cannot be written, the engine stops accepting work and
// answers kStoreFailed: its memory may be ahead of the disk, so only a restart (recovery) may
// continue.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/metrics.h"
#include "base/status.h"
#include "engine/command.h"
#include "engine/recovery.h"
#include "engine/state_machine.h"
#include "store/store.h"

namespace qb::engine {

struct EngineOptions {
  size_t queue_capacity = 65'536;
  size_t max_batch_commands = 8'192;
  size_t max_batches_in_flight = 4;                // Executed but not yet durable.
  size_t max_projections_queued = 16;              // Batches waiting for the read models.
  uint64_t checkpoint_every_commands = 2'000'000;  // 0: only on Stop.
  bool checkpoint_on_stop = true;
  bool project = true;  // Maintain the SQL read models.
  // Table sizes to reserve up front, so a known workload does not rehash mid-run.
  size_t reserve_accounts = 0;
  size_t reserve_transfers = 0;
  size_t reserve_payments = 0;  // payments, and their marketing and points records
};

using ReplyCallback = std::function<void(Reply&&)>;

struct EngineStats {
  uint64_t executed_seq = 0;   // Last journal seq executed in memory.
  uint64_t durable_seq = 0;    // Last journal seq known durable.
  uint64_t projected_seq = 0;  // Last journal seq in the read models.
  uint64_t commands_executed = 0;
  uint64_t checkpoints_written = 0;
  size_t queue_depth = 0;
  bool failed = false;
};

class Engine {
 public:
  // Recovers the state from `store` and starts the threads. `store`, `clock` and `registry`
  // must outlive the engine; `registry` may be null.
  static Status Open(Store* store, const Clock* clock, const EngineOptions& options,
                     metrics::Registry* registry, std::unique_ptr<Engine>* engine);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Queues `command`; `done` is called exactly once. A full queue answers kOverloaded at once.
  void Submit(Command command, ReplyCallback done);
  // Submits and waits for the reply.
  Reply Execute(Command command);

  // Stops accepting commands, finishes those queued, writes a checkpoint (if configured) and
  // joins the threads. Idempotent.
  void Stop();

  EngineStats stats() const;
  const RecoveryReport& recovery_report() const { return recovery_report_; }

 private:
  struct Pending {
    Command command;
    ReplyCallback done;
    int64_t enqueued_ns;
  };
  struct Batch;
  struct Metrics;

  Engine(Store* store, const Clock* clock, const EngineOptions& options,
         metrics::Registry* registry);
  void RunEngine();
  void RunJournal();
  void RunProjector();
  void ExecuteBatch(std::vector<Pending>* pendings);
  Status WriteCheckpoint();
  void WaitForDurable(uint64_t seq, bool projected);

  Store* const store_;
  const Clock* const clock_;
  const EngineOptions options_;
  std::unique_ptr<metrics::Registry> owned_registry_;  // When the caller gave none.
  std::unique_ptr<Metrics> metrics_;
  StateMachine state_;
  RecoveryReport recovery_report_;

  // Submission queue.
  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<Pending> queue_;
  bool accepting_ = true;
  bool engine_waiting_ = false;

  // Engine thread → journal thread.
  mutable std::mutex journal_mutex_;
  std::condition_variable journal_ready_;     // New batches for the journal thread.
  std::condition_variable journal_progress_;  // A batch became durable or was projected.
  std::deque<std::unique_ptr<Batch>> journal_queue_;
  size_t in_flight_ = 0;  // Batches executed whose replies have not been released.
  bool journal_stopping_ = false;
  journal::ChainPosition chain_;  // Guarded by journal_mutex_: the last durable record.
  uint64_t durable_seq_ = 0;

  // Journal thread → projector thread.
  std::deque<std::unique_ptr<Projection>> projection_queue_;  // Guarded by journal_mutex_.
  std::condition_variable projection_ready_;
  bool projector_stopping_ = false;
  uint64_t projected_seq_ = 0;
  // Set when a projection failed for good: later batches are not projected over the hole (that
  // would advance the projected seq past it); the next start re-projects from projected_seq_.
  bool projection_abandoned_ = false;

  // Engine-thread state.
  uint64_t executed_seq_ = 0;
  int64_t last_batch_time_ns_ = 0;
  uint64_t commands_since_checkpoint_ = 0;
  uint64_t last_checkpoint_seq_ = 0;

  std::atomic<bool> failed_{false};
  std::atomic<uint64_t> commands_executed_{0};
  std::atomic<uint64_t> checkpoints_written_{0};
  std::atomic<uint64_t> executed_seq_published_{0};

  std::thread engine_thread_;
  std::thread journal_thread_;
  std::thread projector_thread_;
  std::once_flag stop_once_;
};

}  // namespace qb::engine
