#include "simulator.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <memory>
#include <span>
#include <sstream>

#include "cli/verify.h"
#include "engine/checkpoint.h"
#include "engine/command_codec.h"
#include "engine/recovery.h"
#include "engine/state_machine.h"
#include "journal/record.h"
#include "store/sqlite/sqlite_store.h"
#include "workload.h"

namespace qb::sim {
namespace {

constexpr int64_t kMillisecond = 1'000'000;
constexpr int64_t kSecond = 1'000 * kMillisecond;
constexpr int kMaxRecoveryAttempts = 20;

std::string Hex(const Digest& digest) { return DigestHex(digest).substr(0, 16); }

// An account's fields that never change after creation.
bool SameIdentity(const ledger::Account& a, const ledger::Account& b) {
  return a.id == b.id && a.user_data == b.user_data && a.timestamp_ns == b.timestamp_ns &&
         a.ledger == b.ledger && a.kind == b.kind &&
         (a.flags & ~ledger::account_flags::kClosed) == (b.flags & ~ledger::account_flags::kClosed);
}

class Simulator {
 public:
  explicit Simulator(const SimOptions& options)
      : options_(options),
        rng_(options.seed * 0x2545F4914F6CDD1Dull + 17),
        clock_ns_(1'700'000'000 * kSecond + static_cast<int64_t>(rng_.Below(kSecond))) {}

  SimOutcome Run();

 private:
  bool ExecuteBatch(std::span<const engine::Command> commands);
  void RecordCreated(std::span<const engine::Command> commands,
                     const std::vector<engine::Reply>& replies, bool durable);
  void Acknowledge(uint64_t seq, int64_t batch_time_ns, std::span<const engine::Command> commands,
                   const std::vector<engine::Reply>& replies);
  void PlannedRestart();
  void Restart(const Digest& expected_hash, uint64_t expected_seq, const std::string& why);
  void WriteCheckpoint();
  void FinalChecks();
  void CheckCreatedRecords();
  void CheckJournal();
  size_t BatchSize();
  int64_t TimeStep();
  void Problem(std::string what) { outcome_.problems.push_back(std::move(what)); }

  const SimOptions options_;
  Rng rng_;  // Batching, time, checkpoints, restarts and retries.
  std::unique_ptr<FaultyStore> store_;
  std::unique_ptr<engine::StateMachine> state_;
  journal::ChainPosition chain_;
  int64_t clock_ns_;
  int64_t last_batch_time_ns_ = 0;
  uint64_t last_checkpoint_seq_ = 0;
  bool broken_ = false;  // Recovery failed: nothing further is meaningful.

  // Records created by batches that reached the store, as the state held them then.
  absl::flat_hash_map<uint64_t, ledger::Transfer> durable_transfers_;
  absl::flat_hash_map<uint64_t, ledger::Account> durable_accounts_;
  // Transfer ids created only by batches that never reached the store.
  absl::flat_hash_set<uint64_t> lost_transfer_ids_;
  Hasher replies_hasher_;
  SimOutcome outcome_;
};

SimOutcome Simulator::Run() {
  std::unique_ptr<Store> sqlite;
  if (Status s = OpenSqliteStore(options_.data_dir, &sqlite); !s.ok()) {
    Problem("open store: " + s.ToString());
    return outcome_;
  }
  store_ = std::make_unique<FaultyStore>(std::move(sqlite), options_.seed, options_.faults);
  Restart(engine::StateMachine().StateHash(), 0, "open");
  outcome_.stats.restarts = 0;  // Opening is not a restart.
  const std::vector<engine::Command> commands =
      GenerateWorkload(options_.seed, options_.command_count);
  const std::span<const engine::Command> all(commands);
  size_t next = 0;
  // Bounded: faults are rare, so the stream needs far fewer attempts than this.
  for (size_t attempt = 0; next < all.size() && !broken_ && attempt < 10 * all.size(); attempt++) {
    if (rng_.Below(12) == 0) WriteCheckpoint();
    if (rng_.Below(40) == 0) PlannedRestart();
    const size_t n = std::min(BatchSize(), all.size() - next);
    const bool acknowledged = ExecuteBatch(all.subspan(next, n));
    // Unacknowledged commands are retried by their client half the time, abandoned otherwise.
    if (acknowledged || rng_.Percent(50)) next += n;
  }
  if (next < all.size() && !broken_) Problem("the stream did not finish");
  if (!broken_) FinalChecks();
  outcome_.stats.injected_failures = store_->counts().total();
  outcome_.final_hash = state_->StateHash();
  outcome_.last_seq = chain_.last_seq;
  outcome_.replies_digest = replies_hasher_.Finish();
  return outcome_;
}

size_t Simulator::BatchSize() {
  const uint64_t roll = rng_.Below(100);
  if (roll < 50) return 1 + rng_.Below(4);
  if (roll < 85) return 5 + rng_.Below(12);
  return 17 + rng_.Below(48);
}

int64_t Simulator::TimeStep() {
  const uint64_t roll = rng_.Below(100);
  if (roll < 50) return static_cast<int64_t>(rng_.Below(5 * kMillisecond));
  if (roll < 85) return static_cast<int64_t>(rng_.Below(2 * kSecond));
  return rng_.Between(2 * kSecond, 45 * kSecond);
}

// Mirrors Engine::ExecuteBatch followed by Engine::RunJournal for one batch. Returns whether
// the batch was acknowledged.
bool Simulator::ExecuteBatch(std::span<const engine::Command> commands) {
  clock_ns_ += TimeStep();
  const int64_t batch_time_ns = std::max(clock_ns_, last_batch_time_ns_);
  const uint64_t seq = chain_.last_seq + 1;
  const AppendFault fault = store_->next_append_fault();
  // The state this batch starts from, kept only when the batch is about to be lost.
  Digest before{};
  if (fault == AppendFault::kFailBeforeWrite || fault == AppendFault::kTorn) {
    before = state_->StateHash();
  }
  Projection projection;
  projection.last_seq = seq;
  std::string payload;
  std::vector<engine::Reply> replies;
  state_->BeginBatch(batch_time_ns, &projection);
  for (const engine::Command& command : commands) {
    replies.push_back(state_->Apply(command));
    engine::EncodeCommand(command, &payload);
  }
  state_->EndBatch();
  outcome_.stats.commands_executed += commands.size();

  JournalRecord record;
  record.seq = seq;
  journal::BatchHeader header{seq, batch_time_ns, static_cast<uint32_t>(commands.size()),
                              chain_.last_hash};
  journal::EncodeRecord(header, payload, &record.bytes);
  const Status status = store_->AppendJournal(std::span<const JournalRecord>(&record, 1));
  RecordCreated(commands, replies, status.ok() || fault == AppendFault::kAmbiguous);
  if (status.ok()) {
    if (fault != AppendFault::kNone) Problem("an injected fault reported success");
    chain_ = journal::ChainPosition{seq, journal::RecordHash(record.bytes)};
    last_batch_time_ns_ = batch_time_ns;
    Acknowledge(seq, batch_time_ns, commands, replies);
    // The engine's projector retries and then gives up until a restart; restart at once.
    if (Status s = store_->ApplyProjection(projection); !s.ok()) {
      Restart(state_->StateHash(), seq, "projection failed");
    }
    return true;
  }
  if (fault == AppendFault::kNone) Problem("append failed on its own: " + status.ToString());
  if (fault == AppendFault::kAmbiguous) {
    Restart(state_->StateHash(), seq, "ambiguous append at seq " + std::to_string(seq));
  } else {
    Restart(before, seq - 1, "failed append at seq " + std::to_string(seq));
  }
  return false;
}

void Simulator::RecordCreated(std::span<const engine::Command> commands,
                              const std::vector<engine::Reply>& replies, bool durable) {
  auto record_transfer = [&](uint64_t id) {
    if (!durable) {
      if (!durable_transfers_.contains(id)) lost_transfer_ids_.insert(id);
      return;
    }
    lost_transfer_ids_.erase(id);
    if (!durable_transfers_.emplace(id, *state_->ledger().FindTransfer(id)).second) {
      Problem("transfer " + std::to_string(id) + " was created twice");
    }
  };
  for (size_t i = 0; i < commands.size(); i++) {
    if (const auto* c = std::get_if<engine::CreateTransfers>(&commands[i])) {
      for (size_t j = 0; j < c->transfers.size(); j++) {
        if (replies[i].results[j] == 0) record_transfer(c->transfers[j].id);
      }
    } else if (const auto* c = std::get_if<engine::P2PTransfer>(&commands[i])) {
      if (replies[i].results[0] == 0) record_transfer(c->transfer_id);
    } else if (const auto* c = std::get_if<engine::HoldFunds>(&commands[i])) {
      if (replies[i].results[0] != 0) continue;
      record_transfer(c->transfer_id);
      // The first hold opens the bank clearing account if nothing else did.
      if (durable && !durable_accounts_.contains(engine::kBankClearingAccountId)) {
        durable_accounts_.emplace(engine::kBankClearingAccountId,
                                  *state_->ledger().FindAccount(engine::kBankClearingAccountId));
      }
    } else if (const auto* c = std::get_if<engine::SettleHold>(&commands[i])) {
      if (replies[i].results[0] == 0) record_transfer(c->transfer_id);
    } else if (std::holds_alternative<engine::RegisterCustomer>(commands[i])) {
      // A registration opens the customer's wallet account.
      if (!durable || replies[i].results[0] != 0) continue;
      const uint64_t id = engine::kCustomerWalletAccountBase + replies[i].value;
      if (!durable_accounts_.emplace(id, *state_->ledger().FindAccount(id)).second) {
        Problem("account " + std::to_string(id) + " was created twice");
      }
    } else if (const auto* c = std::get_if<engine::CreateAccounts>(&commands[i])) {
      for (size_t j = 0; j < c->accounts.size(); j++) {
        if (!durable || replies[i].results[j] != 0) continue;
        const uint64_t id = c->accounts[j].id;
        if (!durable_accounts_.emplace(id, *state_->ledger().FindAccount(id)).second) {
          Problem("account " + std::to_string(id) + " was created twice");
        }
      }
    }
  }
  // Merchant and payment commands create transfers with ids derived in the engine (fees, posts,
  // voids, refunds' fee shares) and accounts (merchants', fee income, bank clearing): take
  // whatever the batch added that no record holds yet. Simulated ledgers are small.
  const bool payments = std::any_of(commands.begin(), commands.end(), [](const auto& command) {
    return engine::TypeOf(command) >= engine::CommandType::kApplyMerchant;
  });
  if (!payments) return;
  state_->ledger().ForEachTransfer([&](const ledger::Transfer& t) {
    if (durable_transfers_.contains(t.id)) return;
    if (durable) {
      lost_transfer_ids_.erase(t.id);
      durable_transfers_.emplace(t.id, t);
    } else {
      lost_transfer_ids_.insert(t.id);
    }
  });
  if (!durable) return;
  state_->ledger().ForEachAccount([&](const ledger::Account& a) {
    if (!durable_accounts_.contains(a.id)) durable_accounts_.emplace(a.id, a);
  });
}

// Folds an acknowledged batch into the replies digest: its seq and time, and each command's
// transfer ids with the results the client was given.
void Simulator::Acknowledge(uint64_t seq, int64_t batch_time_ns,
                            std::span<const engine::Command> commands,
                            const std::vector<engine::Reply>& replies) {
  outcome_.stats.batches_acknowledged++;
  outcome_.stats.commands_acknowledged += replies.size();
  replies_hasher_.UpdateU64(seq);
  replies_hasher_.UpdateU64(static_cast<uint64_t>(batch_time_ns));
  for (size_t i = 0; i < commands.size(); i++) {
    const engine::Reply& reply = replies[i];
    if (const auto* c = std::get_if<engine::CreateTransfers>(&commands[i])) {
      for (const ledger::Transfer& t : c->transfers) replies_hasher_.UpdateU64(t.id);
    }
    replies_hasher_.UpdateU64(reply.results.size());
    replies_hasher_.Update(std::string_view(reinterpret_cast<const char*>(reply.results.data()),
                                            reply.results.size()));
  }
}

// Mirrors Engine::Open: a fresh state recovered from the store. The store's own injected
// faults may fail a recovery (its projection writes); like an operator, try again.
void Simulator::Restart(const Digest& expected_hash, uint64_t expected_seq,
                        const std::string& why) {
  outcome_.stats.restarts++;
  engine::RecoveryReport report;
  Status status;
  for (int attempt = 0; attempt < kMaxRecoveryAttempts; attempt++) {
    state_ = std::make_unique<engine::StateMachine>();
    status = engine::Recover(store_.get(), engine::RecoveryOptions{}, state_.get(), &report);
    if (status.ok()) break;
  }
  if (!status.ok()) {
    Problem("recovery after " + why + " failed: " + status.ToString());
    broken_ = true;
    return;
  }
  if (report.checkpoints_rejected != 0) {
    Problem("recovery after " + why + " rejected " + std::to_string(report.checkpoints_rejected) +
            " checkpoint(s) it wrote itself");
  }
  if (report.end.last_seq != expected_seq) {
    Problem("recovery after " + why + " ended at seq " + std::to_string(report.end.last_seq) +
            ", expected " + std::to_string(expected_seq));
  }
  if (state_->StateHash() != expected_hash) {
    Problem("recovery after " + why + " reached state " + Hex(state_->StateHash()) + ", expected " +
            Hex(expected_hash) + " (checkpoint " + std::to_string(report.checkpoint_seq) + ")");
  }
  chain_ = report.end;
  last_batch_time_ns_ = state_->ledger().last_timestamp_ns();
  last_checkpoint_seq_ = std::max(last_checkpoint_seq_, report.checkpoint_seq);
}

// A restart without a failure. Sometimes the read models are dropped first, as an operator
// does to rebuild them: recovery must then ignore checkpoints ahead of them and replay.
void Simulator::PlannedRestart() {
  if (rng_.Below(4) == 0) {
    if (Status s = store_->ResetReadModels(); !s.ok())
      Problem("reset read models: " + s.ToString());
  }
  Restart(state_->StateHash(), chain_.last_seq, "planned restart");
}

// Mirrors Engine::WriteCheckpoint: the state at the last durable (and projected) batch.
void Simulator::WriteCheckpoint() {
  if (chain_.last_seq == last_checkpoint_seq_) return;
  std::string bytes;
  engine::EncodeCheckpoint(*state_, chain_, &bytes);
  if (store_->WriteCheckpoint(chain_.last_seq, bytes).ok()) {
    last_checkpoint_seq_ = chain_.last_seq;
    outcome_.stats.checkpoints++;
  }
}

void Simulator::FinalChecks() {
  const Digest final_hash = state_->StateHash();
  if (auto violation = state_->ledger().CheckInvariants()) {
    Problem("ledger invariant: " + *violation);
  }
  for (bool use_checkpoint : {true, false}) {
    engine::StateMachine recovered;
    engine::RecoveryReport report;
    engine::RecoveryOptions recovery;
    recovery.use_checkpoint = use_checkpoint;
    recovery.project = false;
    const std::string how = use_checkpoint ? "checkpoint recovery" : "genesis replay";
    if (Status s = engine::Recover(store_->inner(), recovery, &recovered, &report); !s.ok()) {
      Problem(how + ": " + s.ToString());
      continue;
    }
    if (report.checkpoints_rejected != 0) Problem(how + " rejected a checkpoint");
    if (use_checkpoint && report.checkpoint_seq != last_checkpoint_seq_) {
      Problem(how + " started from checkpoint " + std::to_string(report.checkpoint_seq) +
              ", not the newest, " + std::to_string(last_checkpoint_seq_));
    }
    if (report.end.last_seq != chain_.last_seq) {
      Problem(how + " ended at seq " + std::to_string(report.end.last_seq) + ", expected " +
              std::to_string(chain_.last_seq));
    }
    if (recovered.StateHash() != final_hash) {
      Problem(how + " reached " + Hex(recovered.StateHash()) + ", the simulator " +
              Hex(final_hash) + " (checkpoint " + std::to_string(report.checkpoint_seq) + ")");
    }
  }
  CheckCreatedRecords();
  CheckJournal();
  if (options_.run_verify) {
    std::ostringstream out;
    if (cli::RunVerify(options_.data_dir, out) != 0) Problem("qianbao verify:\n" + out.str());
  }
}

void Simulator::CheckCreatedRecords() {
  const ledger::Ledger& ledger = state_->ledger();
  for (const auto& [id, expected] : durable_transfers_) {
    const ledger::Transfer* found = ledger.FindTransfer(id);
    if (found == nullptr) {
      Problem("durable transfer " + std::to_string(id) + " is missing");
    } else if (!(*found == expected)) {
      Problem("durable transfer " + std::to_string(id) + " differs from when it was created");
    }
  }
  if (ledger.transfer_count() != durable_transfers_.size()) {
    Problem(std::to_string(ledger.transfer_count()) + " transfers exist, but durable batches " +
            "created " + std::to_string(durable_transfers_.size()));
  }
  for (uint64_t id : lost_transfer_ids_) {
    if (ledger.FindTransfer(id) != nullptr) {
      Problem("transfer " + std::to_string(id) + " exists, but only a lost batch created it");
    }
  }
  for (const auto& [id, expected] : durable_accounts_) {
    const ledger::Account* found = ledger.FindAccount(id);
    if (found == nullptr || !SameIdentity(*found, expected)) {
      Problem("durable account " + std::to_string(id) + " is missing or altered");
    }
  }
  if (ledger.account_count() != durable_accounts_.size()) {
    Problem(std::to_string(ledger.account_count()) + " accounts exist, but durable batches " +
            "created " + std::to_string(durable_accounts_.size()));
  }
}

void Simulator::CheckJournal() {
  Hasher hasher;
  uint64_t records = 0;
  Status s = store_->ReadJournal(1, [&](uint64_t seq, std::string_view bytes) {
    hasher.UpdateU64(seq);
    hasher.UpdateU64(bytes.size());
    hasher.Update(bytes);
    records++;
    return true;
  });
  if (!s.ok()) Problem("read journal: " + s.ToString());
  if (records != chain_.last_seq) {
    Problem("the journal holds " + std::to_string(records) + " records, expected " +
            std::to_string(chain_.last_seq));
  }
  outcome_.journal_digest = hasher.Finish();
}

}  // namespace

void SimStats::Add(const SimStats& other) {
  batches_acknowledged += other.batches_acknowledged;
  commands_acknowledged += other.commands_acknowledged;
  commands_executed += other.commands_executed;
  injected_failures += other.injected_failures;
  restarts += other.restarts;
  checkpoints += other.checkpoints;
}

FaultRates FaultRatesForSeed(uint64_t seed) {
  FaultRates rates;
  switch (seed % 4) {
    case 0:  // Clean: only planned restarts.
      break;
    case 1:
      rates = FaultRates{10, 10, 10, 50, 5};
      break;
    case 2:
      rates = FaultRates{40, 30, 30, 150, 20};
      break;
    default:  // Only the faults that leave bytes behind.
      rates = FaultRates{0, 30, 30, 0, 0};
      break;
  }
  return rates;
}

SimOutcome RunSimulation(const SimOptions& options) { return Simulator(options).Run(); }

}  // namespace qb::sim
