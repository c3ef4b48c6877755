#include "engine/engine.h"

#include <absl/container/flat_hash_map.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/assert.h"
#include "engine/checkpoint.h"
#include "engine/command_codec.h"
#include "journal/record.h"

namespace qb::engine {

struct Engine::Batch {
  uint64_t seq = 0;  // The journal record; for a batch of queries only, the last one before.
  int64_t batch_time_ns = 0;
  uint32_t command_count = 0;  // Journaled commands; 0 means no record is written.
  std::string payload;
  std::vector<ReplyCallback> callbacks;
  std::vector<Reply> replies;
  std::vector<int64_t> enqueued_ns;
  std::unique_ptr<Projection> projection;
};

struct Engine::Metrics {
  explicit Metrics(metrics::Registry* registry) : registry(registry) {
    batch_commands = &registry->GetHistogram("qianbao_engine_batch_commands",
                                             "Commands executed per engine batch.",
                                             {1, 8, 64, 256, 1024, 4096, 8192});
    commit_seconds = &registry->GetHistogram("qianbao_journal_commit_seconds",
                                             "Time to make one group of journal batches durable.",
                                             metrics::LatencyBoundsSeconds());
    ack_seconds = &registry->GetHistogram("qianbao_engine_ack_seconds",
                                          "From submission to durable reply, per command.",
                                          metrics::LatencyBoundsSeconds());
    queue_depth = &registry->GetGauge("qianbao_engine_queue_depth",
                                      "Commands waiting for the engine thread.");
    durable_seq = &registry->GetGauge("qianbao_journal_durable_seq",
                                      "Sequence number of the last durable journal batch.");
    projected_seq = &registry->GetGauge("qianbao_projector_seq",
                                        "Sequence number of the last batch in the read models.");
    for (ReplyStatus status : {ReplyStatus::kOverloaded, ReplyStatus::kStoreFailed,
                               ReplyStatus::kShuttingDown, ReplyStatus::kInvalidCommand}) {
      refused[static_cast<size_t>(status)] = &registry->GetCounter(
          "qianbao_engine_refused_total", "Commands refused before execution, by reason.",
          {{"reason", std::string(ReplyStatusName(status))}});
    }
  }

  // Counts an executed command by type and the first non-ok result (engine thread only).
  void CountExecuted(CommandType type, const Reply& reply) {
    uint8_t first_failure = 0;
    for (uint8_t r : reply.results) {
      if (r != 0) {
        first_failure = r;
        break;
      }
    }
    const uint32_t key = (static_cast<uint32_t>(type) << 8) | first_failure;
    auto [it, inserted] = executed.try_emplace(key, nullptr);
    if (inserted) {
      std::string result = "ok";
      if (type == CommandType::kCreateTransfers) {
        result = ledger::ResultName(static_cast<ledger::CreateTransferResult>(first_failure));
      } else if (type == CommandType::kCreateAccounts) {
        result = ledger::ResultName(static_cast<ledger::CreateAccountResult>(first_failure));
      } else if (first_failure != 0 || (type == CommandType::kCloseAccount &&
                                        !reply.results.empty() && reply.results[0] == 0)) {
        result = "refused";
      }
      it->second = &registry->GetCounter(
          "qianbao_engine_commands_total", "Commands executed, by type and result.",
          {{"type", std::string(CommandTypeName(type))}, {"result", result}});
    }
    it->second->Add();
  }

  metrics::Registry* registry;
  metrics::Histogram* batch_commands;
  metrics::Histogram* commit_seconds;
  metrics::Histogram* ack_seconds;
  metrics::Gauge* queue_depth;
  metrics::Gauge* durable_seq;
  metrics::Gauge* projected_seq;
  metrics::Counter* refused[8] = {};
  absl::flat_hash_map<uint32_t, metrics::Counter*> executed;
};

Engine::Engine(Store* store, const Clock* clock, const EngineOptions& options,
               metrics::Registry* registry)
    : store_(store),
      clock_(clock),
      options_(options),
      owned_registry_(registry ? nullptr : std::make_unique<metrics::Registry>()),
      metrics_(std::make_unique<Metrics>(registry ? registry : owned_registry_.get())) {}

Engine::~Engine() { Stop(); }

Status Engine::Open(Store* store, const Clock* clock, const EngineOptions& options,
                    metrics::Registry* registry, std::unique_ptr<Engine>* out) {
  std::unique_ptr<Engine> engine(new Engine(store, clock, options, registry));
  RecoveryOptions recovery;
  recovery.project = options.project;
  Status s = Recover(store, recovery, &engine->state_, &engine->recovery_report_);
  if (!s.ok()) return s;
  // After recovery, whose checkpoint load starts from empty tables.
  engine->state_.Reserve(options.reserve_accounts, options.reserve_transfers,
                         options.reserve_payments);
  const RecoveryReport& report = engine->recovery_report_;
  engine->chain_ = report.end;
  engine->executed_seq_ = report.end.last_seq;
  engine->durable_seq_ = report.end.last_seq;
  engine->last_checkpoint_seq_ = report.checkpoint_seq;
  // The replayed tail is not in any checkpoint yet: count it, or a server that keeps crashing
  // before checkpoint_every_commands would replay an ever longer tail at every start.
  engine->commands_since_checkpoint_ = report.commands_replayed;
  engine->last_batch_time_ns_ = engine->state_.ledger().last_timestamp_ns();
  if (options.project) {
    if (s = store->ProjectedSeq(&engine->projected_seq_); !s.ok()) return s;
  }
  engine->executed_seq_published_ = engine->executed_seq_;
  engine->engine_thread_ = std::thread([e = engine.get()] { e->RunEngine(); });
  engine->journal_thread_ = std::thread([e = engine.get()] { e->RunJournal(); });
  engine->projector_thread_ = std::thread([e = engine.get()] { e->RunProjector(); });
  *out = std::move(engine);
  return Status::Ok();
}

void Engine::Submit(Command command, ReplyCallback done) {
  auto refuse = [&](ReplyStatus status) {
    metrics_->refused[static_cast<size_t>(status)]->Add();
    Reply reply;
    reply.status = status;
    done(std::move(reply));
  };
  if (!StateMachine::IsValid(command)) return refuse(ReplyStatus::kInvalidCommand);
  if (failed_.load(std::memory_order_relaxed)) return refuse(ReplyStatus::kStoreFailed);
  std::unique_lock lock(queue_mutex_);
  if (!accepting_) {
    lock.unlock();
    return refuse(ReplyStatus::kShuttingDown);
  }
  if (queue_.size() >= options_.queue_capacity) {
    lock.unlock();
    return refuse(ReplyStatus::kOverloaded);
  }
  queue_.push_back(Pending{std::move(command), std::move(done), MonotonicNowNs()});
  const bool wake = engine_waiting_;
  lock.unlock();
  if (wake) queue_ready_.notify_one();
}

Reply Engine::Execute(Command command) {
  std::mutex mutex;
  std::condition_variable ready;
  std::optional<Reply> result;
  Submit(std::move(command), [&](Reply&& reply) {
    std::lock_guard lock(mutex);
    result = std::move(reply);
    ready.notify_one();
  });
  std::unique_lock lock(mutex);
  ready.wait(lock, [&] { return result.has_value(); });
  return std::move(*result);
}

void Engine::RunEngine() {
  std::vector<Pending> pendings;
  pendings.reserve(options_.max_batch_commands);
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      engine_waiting_ = true;
      queue_ready_.wait(lock, [&] { return !queue_.empty() || !accepting_; });
      engine_waiting_ = false;
      if (queue_.empty()) return;  // Stopping, and everything queued has been executed.
      const size_t n = std::min(queue_.size(), options_.max_batch_commands);
      for (size_t i = 0; i < n; i++) {
        pendings.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      metrics_->queue_depth->Set(static_cast<int64_t>(queue_.size()));
    }
    ExecuteBatch(&pendings);
    pendings.clear();
    if (options_.checkpoint_every_commands != 0 &&
        commands_since_checkpoint_ >= options_.checkpoint_every_commands) {
      if (Status s = WriteCheckpoint(); !s.ok()) {
        spdlog::error("msg=\"checkpoint failed\" error=\"{}\"", s.ToString());
      }
    }
  }
}

void Engine::ExecuteBatch(std::vector<Pending>* pendings) {
  {
    // Back pressure from the journal: a bounded number of batches may wait for durability.
    std::unique_lock lock(journal_mutex_);
    journal_progress_.wait(
        lock, [&] { return in_flight_ < options_.max_batches_in_flight || failed_.load(); });
  }
  if (failed_.load()) {
    for (Pending& p : *pendings) {
      Reply reply;
      reply.status = ReplyStatus::kStoreFailed;
      p.done(std::move(reply));
    }
    return;
  }
  auto batch = std::make_unique<Batch>();
  batch->callbacks.reserve(pendings->size());
  batch->replies.reserve(pendings->size());
  batch->enqueued_ns.reserve(pendings->size());
  const bool journaled = std::any_of(pendings->begin(), pendings->end(),
                                     [](const Pending& p) { return IsJournaled(p.command); });
  if (journaled) {
    last_batch_time_ns_ = std::max(clock_->NowNs(), last_batch_time_ns_);
    batch->seq = ++executed_seq_;
    batch->batch_time_ns = last_batch_time_ns_;
    if (options_.project) {
      batch->projection = std::make_unique<Projection>();
      batch->projection->last_seq = batch->seq;
    }
    state_.BeginBatch(batch->batch_time_ns, batch->projection.get());
  } else {
    batch->seq = executed_seq_;
    batch->batch_time_ns = last_batch_time_ns_;
  }
  for (size_t i = 0; i < pendings->size(); ++i) {
    Pending& p = (*pendings)[i];
    Reply reply;
    if (journaled) {
      if (i + 2 < pendings->size()) {
        state_.Prefetch((*pendings)[i + 2].command, StateMachine::PrefetchStage::kIndex);
      }
      if (i + 1 < pendings->size()) {
        state_.Prefetch((*pendings)[i + 1].command, StateMachine::PrefetchStage::kEntries);
      }
      reply = state_.Apply(p.command);
    } else {
      std::get<Query>(p.command).read(state_);
    }
    reply.journal_seq = batch->seq;
    reply.batch_time_ns = batch->batch_time_ns;
    const CommandType type = TypeOf(p.command);
    metrics_->CountExecuted(type, reply);
    if (type != CommandType::kQuery) {
      EncodeCommand(p.command, &batch->payload);
      batch->command_count++;
    }
    batch->callbacks.push_back(std::move(p.done));
    batch->replies.push_back(std::move(reply));
    batch->enqueued_ns.push_back(p.enqueued_ns);
  }
  if (journaled) state_.EndBatch();
  commands_executed_.fetch_add(pendings->size(), std::memory_order_relaxed);
  commands_since_checkpoint_ += batch->command_count;
  executed_seq_published_.store(executed_seq_, std::memory_order_relaxed);
  metrics_->batch_commands->Observe(static_cast<double>(pendings->size()));
  {
    std::lock_guard lock(journal_mutex_);
    journal_queue_.push_back(std::move(batch));
    in_flight_++;
  }
  journal_ready_.notify_one();
}

void Engine::RunJournal() {
  std::vector<std::unique_ptr<Batch>> batches;
  std::vector<JournalRecord> records;
  for (;;) {
    journal::ChainPosition position;
    {
      std::unique_lock lock(journal_mutex_);
      journal_ready_.wait(lock, [&] { return !journal_queue_.empty() || journal_stopping_; });
      if (journal_queue_.empty()) return;
      while (!journal_queue_.empty()) {
        batches.push_back(std::move(journal_queue_.front()));
        journal_queue_.pop_front();
      }
      position = chain_;
    }
    records.clear();
    for (const auto& batch : batches) {
      if (batch->command_count == 0) continue;
      journal::BatchHeader header{batch->seq, batch->batch_time_ns, batch->command_count,
                                  position.last_hash};
      JournalRecord record;
      record.seq = batch->seq;
      journal::EncodeRecord(header, batch->payload, &record.bytes);
      position.last_seq = batch->seq;
      position.last_hash = journal::RecordHash(record.bytes);
      records.push_back(std::move(record));
    }
    Status status;
    if (failed_.load()) {
      status = Status::IoError("journal failed earlier");
    } else if (!records.empty()) {
      const int64_t start_ns = MonotonicNowNs();
      status = store_->AppendJournal(records);
      metrics_->commit_seconds->Observe(static_cast<double>(MonotonicNowNs() - start_ns) * 1e-9);
    }
    if (!status.ok() && !failed_.exchange(true)) {
      spdlog::error("msg=\"journal append failed; refusing all further commands\" error=\"{}\"",
                    status.ToString());
    }
    // Durable before anyone hears so: a client that got its reply and then reads the stats
    // must see its command counted as durable.
    if (status.ok()) {
      std::lock_guard lock(journal_mutex_);
      chain_ = position;
      durable_seq_ = std::max(durable_seq_, batches.back()->seq);
      metrics_->durable_seq->Set(static_cast<int64_t>(durable_seq_));
    }
    const int64_t now_ns = MonotonicNowNs();
    for (auto& batch : batches) {
      for (size_t i = 0; i < batch->callbacks.size(); i++) {
        Reply& reply = batch->replies[i];
        if (!status.ok()) reply.status = ReplyStatus::kStoreFailed;
        metrics_->ack_seconds->Observe(static_cast<double>(now_ns - batch->enqueued_ns[i]) * 1e-9);
        batch->callbacks[i](std::move(reply));
      }
    }
    {
      std::unique_lock lock(journal_mutex_);
      if (status.ok()) {
        for (auto& batch : batches) {
          if (!batch->projection) continue;
          // Back pressure from the projector: its queue is bounded too.
          journal_progress_.wait(
              lock, [&] { return projection_queue_.size() < options_.max_projections_queued; });
          projection_queue_.push_back(std::move(batch->projection));
        }
      }
      in_flight_ -= batches.size();
    }
    journal_progress_.notify_all();
    projection_ready_.notify_one();
    batches.clear();
  }
}

void Engine::RunProjector() {
  // One read-model transaction covers several batches, but not so many that the journal
  // thread, waiting for room in the projection queue, waits behind a transaction of seconds.
  constexpr size_t kMaxMergedTransfers = 131'072;
  absl::flat_hash_map<uint64_t, size_t> account_index;
  for (;;) {
    Projection merged;
    account_index.clear();
    bool abandoned = false;
    {
      std::unique_lock lock(journal_mutex_);
      projection_ready_.wait(lock,
                             [&] { return !projection_queue_.empty() || projector_stopping_; });
      if (projection_queue_.empty()) return;
      while (!projection_queue_.empty() && merged.transfers.size() < kMaxMergedTransfers) {
        Projection& next = *projection_queue_.front();
        merged.last_seq = next.last_seq;
        // An account touched by several batches is written once, in its latest state.
        for (const ledger::Account& account : next.accounts) {
          auto [it, inserted] = account_index.try_emplace(account.id, merged.accounts.size());
          if (inserted) {
            merged.accounts.push_back(account);
          } else {
            merged.accounts[it->second] = account;
          }
        }
        merged.transfers.insert(merged.transfers.end(), next.transfers.begin(),
                                next.transfers.end());
        // Customer rows are upserts as well: a later state simply overwrites an earlier one.
        merged.customers.insert(merged.customers.end(), next.customers.begin(),
                                next.customers.end());
        merged.cards.insert(merged.cards.end(), next.cards.begin(), next.cards.end());
        for (auto& memo : next.memos) merged.memos.push_back(std::move(memo));
        // Rows of merchants, orders and payments are upserts (latest wins) and order states
        // and refunds apply in order: appending keeps both right.
        for (auto& row : next.merchants) merged.merchants.push_back(std::move(row));
        for (auto& row : next.orders) merged.orders.push_back(std::move(row));
        for (auto& row : next.order_states) merged.order_states.push_back(row);
        for (auto& row : next.payments) merged.payments.push_back(std::move(row));
        for (auto& row : next.refunds) merged.refunds.push_back(std::move(row));
        for (auto& row : next.invoices) merged.invoices.push_back(std::move(row));
        for (auto& row : next.credit_invoices) merged.credit_invoices.push_back(std::move(row));
        for (auto& row : next.settlements) merged.settlements.push_back(row);
        for (auto& entry : next.audit_entries) merged.audit_entries.push_back(std::move(entry));
        for (auto& change : next.inbox_changes) merged.inbox_changes.push_back(std::move(change));
        projection_queue_.pop_front();
      }
      abandoned = projection_abandoned_;
    }
    journal_progress_.notify_all();
    if (abandoned) continue;  // Drained, so the journal thread never waits for room.
    // The read models are derived data: on failure keep retrying (bounded queues hold the
    // engine back meanwhile) until the engine stops; a restart re-projects from the journal.
    Status s = store_->ApplyProjection(merged);
    for (int attempt = 1; !s.ok() && attempt <= 100; attempt++) {
      spdlog::warn("msg=\"projection failed; retrying\" attempt={} error=\"{}\"", attempt,
                   s.ToString());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      s = store_->ApplyProjection(merged);
    }
    std::lock_guard lock(journal_mutex_);
    if (s.ok()) {
      projected_seq_ = merged.last_seq;
      metrics_->projected_seq->Set(static_cast<int64_t>(projected_seq_));
    } else {
      spdlog::error("msg=\"projection abandoned until restart\" error=\"{}\"", s.ToString());
      projection_abandoned_ = true;
    }
    journal_progress_.notify_all();
  }
}

void Engine::WaitForDurable(uint64_t seq, bool projected) {
  std::unique_lock lock(journal_mutex_);
  journal_progress_.wait(lock, [&] {
    return failed_.load() || (durable_seq_ >= seq && in_flight_ == 0 &&
                              (!projected || projected_seq_ >= seq || projection_abandoned_));
  });
}

Status Engine::WriteCheckpoint() {
  WaitForDurable(executed_seq_, options_.project);
  if (failed_.load()) return Status::IoError("journal failed; no checkpoint");
  journal::ChainPosition position;
  {
    std::lock_guard lock(journal_mutex_);
    position = chain_;
  }
  QB_ASSERT(position.last_seq == executed_seq_);
  std::string bytes;
  EncodeCheckpoint(state_, position, &bytes);
  Status s = store_->WriteCheckpoint(position.last_seq, bytes);
  if (s.ok()) {
    commands_since_checkpoint_ = 0;
    last_checkpoint_seq_ = position.last_seq;
    checkpoints_written_.fetch_add(1, std::memory_order_relaxed);
  }
  return s;
}

void Engine::Stop() {
  std::call_once(stop_once_, [this] {
    {
      std::lock_guard lock(queue_mutex_);
      accepting_ = false;
    }
    queue_ready_.notify_all();
    const bool started = engine_thread_.joinable();
    if (started) engine_thread_.join();
    if (started && options_.checkpoint_on_stop && !failed_.load() &&
        executed_seq_ > last_checkpoint_seq_) {
      if (Status s = WriteCheckpoint(); !s.ok()) {
        spdlog::error("msg=\"checkpoint at stop failed\" error=\"{}\"", s.ToString());
      }
    }
    {
      std::lock_guard lock(journal_mutex_);
      journal_stopping_ = true;
    }
    journal_ready_.notify_all();
    if (journal_thread_.joinable()) journal_thread_.join();
    // Only now may the projector stop: until the journal thread has finished, it can still
    // hand over projections (and wait for room in the projection queue).
    {
      std::lock_guard lock(journal_mutex_);
      projector_stopping_ = true;
    }
    projection_ready_.notify_all();
    if (projector_thread_.joinable()) projector_thread_.join();
  });
}

EngineStats Engine::stats() const {
  EngineStats stats;
  stats.executed_seq = executed_seq_published_.load(std::memory_order_relaxed);
  stats.commands_executed = commands_executed_.load(std::memory_order_relaxed);
  stats.checkpoints_written = checkpoints_written_.load(std::memory_order_relaxed);
  stats.failed = failed_.load();
  {
    std::lock_guard lock(journal_mutex_);
    stats.durable_seq = durable_seq_;
    stats.projected_seq = projected_seq_;
  }
  std::lock_guard lock(queue_mutex_);
  stats.queue_depth = queue_.size();
  return stats;
}

}  // namespace qb::engine
