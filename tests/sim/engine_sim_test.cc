// The same seeded command streams through the real threaded Engine (ManualClock, faulty
// store, restarts). Batch boundaries now depend on thread timing, so states are not compared
// with the simulator's; instead each run must keep the ledger invariants, keep every
// acknowledged transfer, and replay its own journal to exactly the state it ended in.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <sstream>

#include "base/clock.h"
#include "cli/verify.h"
#include "engine/engine.h"
#include "sim_util.h"
#include "simulator.h"
#include "store/sqlite/sqlite_store.h"
#include "workload.h"

namespace qb::sim {
namespace {

namespace tf = ledger::transfer_flags;

// Silences the engine's error logs for injected faults while a test runs.
class QuietLogs {
 public:
  QuietLogs() : level_(spdlog::get_level()) { spdlog::set_level(spdlog::level::off); }
  ~QuietLogs() { spdlog::set_level(level_); }

 private:
  spdlog::level::level_enum level_;
};

// Submits all commands at once so the engine batches them as it likes, and waits for every
// reply.
std::vector<engine::Reply> SubmitAll(engine::Engine* engine,
                                     std::span<const engine::Command> commands) {
  std::vector<engine::Reply> replies(commands.size());
  std::atomic<size_t> done{0};
  for (size_t i = 0; i < commands.size(); i++) {
    engine->Submit(commands[i], [&, i](engine::Reply&& reply) {
      replies[i] = std::move(reply);
      done.fetch_add(1);
      done.notify_all();
    });
  }
  for (size_t seen = done.load(); seen < commands.size(); seen = done.load()) done.wait(seen);
  return replies;
}

// The fields an acknowledged transfer must have, judged from its input alone (the engine does
// not report timestamps, and post/void take their accounts from the pending transfer).
bool Matches(const ledger::Transfer& input, const ledger::Transfer& stored) {
  const bool resolves = input.flags & (tf::kPostPending | tf::kVoidPending);
  if (stored.id != input.id || stored.flags != input.flags ||
      stored.pending_id != input.pending_id || stored.user_data != input.user_data ||
      stored.timeout_s != input.timeout_s) {
    return false;
  }
  if (input.amount != 0 && stored.amount != input.amount) return false;
  if (resolves) return true;
  return stored.debit_account_id == input.debit_account_id &&
         stored.credit_account_id == input.credit_account_id && stored.ledger == input.ledger &&
         stored.code == input.code;
}

struct EngineRun {
  uint64_t acknowledged_transfers = 0;
  uint64_t store_failures = 0;
  uint64_t restarts = 0;
};

void RunEngineSeed(uint64_t seed, EngineRun* run) {
  SCOPED_TRACE("reproduce with QB_SIM_SEED=" + std::to_string(seed));
  TempDir dir("engine-" + std::to_string(seed));
  std::unique_ptr<Store> sqlite;
  ASSERT_TRUE(OpenSqliteStore(dir.path(), &sqlite).ok());
  FaultRates rates = FaultRatesForSeed(seed);
  rates.projection_fail = 0;  // The projector retries with 100 ms sleeps: too slow here.
  FaultyStore store(std::move(sqlite), seed, rates);
  ManualClock clock(1'700'000'000'000'000'000);
  engine::EngineOptions options;
  options.max_batch_commands = 16;
  options.checkpoint_every_commands = 97;
  std::unique_ptr<engine::Engine> engine;
  ASSERT_TRUE(engine::Engine::Open(&store, &clock, options, nullptr, &engine).ok());

  const std::vector<engine::Command> commands = GenerateWorkload(seed, 600);
  std::vector<ledger::Transfer> acknowledged;
  Rng rng(seed);
  for (size_t next = 0; next < commands.size();) {
    const size_t n = std::min<size_t>(1 + rng.Below(40), commands.size() - next);
    const auto group = std::span(commands).subspan(next, n);
    const std::vector<engine::Reply> replies = SubmitAll(engine.get(), group);
    bool failed = false;
    for (size_t i = 0; i < n; i++) {
      if (replies[i].status == engine::ReplyStatus::kStoreFailed) failed = true;
      if (replies[i].status != engine::ReplyStatus::kOk) continue;
      if (const auto* c = std::get_if<engine::CreateTransfers>(&group[i])) {
        for (size_t j = 0; j < c->transfers.size(); j++) {
          if (replies[i].results[j] == 0) acknowledged.push_back(c->transfers[j]);
        }
      }
    }
    run->store_failures += failed;
    next += n;
    clock.Advance(rng.Percent(80) ? static_cast<int64_t>(rng.Below(2'000'000'000))
                                  : rng.Between(2'000'000'000, 40'000'000'000));
    if (failed || rng.Below(25) == 0) {
      engine->Stop();
      engine.reset();
      run->restarts++;
      const Status s = engine::Engine::Open(&store, &clock, options, nullptr, &engine);
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }

  Digest final_hash{};
  std::optional<std::string> violation;
  std::vector<uint64_t> missing;
  engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
    final_hash = state.StateHash();
    violation = state.ledger().CheckInvariants();
    for (const ledger::Transfer& input : acknowledged) {
      const ledger::Transfer* stored = state.ledger().FindTransfer(input.id);
      if (stored == nullptr || !Matches(input, *stored)) missing.push_back(input.id);
    }
  }});
  engine->Stop();
  EXPECT_EQ(violation, std::nullopt);
  EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged transfers lost or altered, "
                               << "the first " << (missing.empty() ? 0 : missing.front());
  run->acknowledged_transfers += acknowledged.size();

  for (bool use_checkpoint : {true, false}) {
    engine::StateMachine replayed;
    engine::RecoveryReport report;
    engine::RecoveryOptions recovery;
    recovery.use_checkpoint = use_checkpoint;
    recovery.project = false;
    ASSERT_TRUE(engine::Recover(store.inner(), recovery, &replayed, &report).ok());
    EXPECT_EQ(replayed.StateHash(), final_hash)
        << (use_checkpoint ? "checkpoint recovery" : "genesis replay") << " from checkpoint "
        << report.checkpoint_seq << " differs from the engine's final state";
  }
  std::ostringstream verify;
  EXPECT_EQ(cli::RunVerify(dir.path(), verify), 0) << verify.str();
}

TEST(EngineSimulationTest, RealEngineKeepsEveryAcknowledgedTransfer) {
  QuietLogs quiet;
  std::vector<uint64_t> seeds = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  if (auto seed = SingleSeedFromEnvironment()) seeds = {*seed};
  EngineRun run;
  for (uint64_t seed : seeds) {
    RunEngineSeed(seed, &run);
    if (HasFailure()) break;
  }
  std::printf(
      "sim engine: %zu seeds, %llu acknowledged transfers, %llu store failures, %llu "
      "restarts — %s\n",
      seeds.size(), static_cast<unsigned long long>(run.acknowledged_transfers),
      static_cast<unsigned long long>(run.store_failures),
      static_cast<unsigned long long>(run.restarts),
      HasFailure() ? "FAILED" : "every replay identical");
}

// A server that keeps crashing before it reaches checkpoint_every_commands must still
// checkpoint: the commands it replayed at start count towards the next checkpoint. Otherwise
// every crash adds to the journal tail that the next start replays, without bound (the crash
// test showed recovery replaying more batches on every cycle).
TEST(EngineRecoveryTest, CrashLoopsKeepTheReplayedTailBounded) {
  constexpr uint64_t kEveryCommands = 50;
  constexpr size_t kCommandsPerRun = 40;  // Fewer than kEveryCommands: no run checkpoints alone.
  TempDir dir("crash-loop");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(OpenSqliteStore(dir.path(), &store).ok());
  ManualClock clock(1'700'000'000'000'000'000);
  engine::EngineOptions options;
  options.checkpoint_every_commands = kEveryCommands;
  options.checkpoint_on_stop = false;  // As after kill -9.
  const std::vector<engine::Command> commands = GenerateWorkload(1, 12 * kCommandsPerRun);
  size_t next = 0;
  for (int run = 0; run < 12; run++) {
    std::unique_ptr<engine::Engine> engine;
    ASSERT_TRUE(engine::Engine::Open(store.get(), &clock, options, nullptr, &engine).ok());
    EXPECT_LT(engine->recovery_report().commands_replayed, 2 * kEveryCommands)
        << "run " << run << " replayed from checkpoint "
        << engine->recovery_report().checkpoint_seq;
    for (size_t i = 0; i < kCommandsPerRun; i++) {
      ASSERT_EQ(engine->Execute(commands[next++]).status, engine::ReplyStatus::kOk);
      clock.Advance(1'000'000);
    }
    engine->Stop();
  }
}

}  // namespace
}  // namespace qb::sim
