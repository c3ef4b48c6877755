// The deterministic simulator: one thread drives the engine's pure StateMachine, the journal
// record encoding and a fault-injecting Store exactly as the engine's threads do
// (Engine::ExecuteBatch and Engine::RunJournal), but with batch boundaries, batch times, faults,
// checkpoints and restarts all drawn from one seed. A failed append is handled as the engine
// does: the batch is not acknowledged, the in-memory state is abandoned, and the process
// "restarts" by recovering from the store.
//
// Checks, reported as problems rather than asserted so that the caller can name the seed:
//   - every restart recovers exactly the state expected (the state before a batch that never
//     reached the store, the state after one that did);
//   - at the end, checkpoint recovery and replay from genesis reach the simulator's StateHash;
//   - the ledger invariants hold and `qianbao verify` passes on the data directory;
//   - every transfer and account created by a durable batch exists with identical fields,
//     nothing else exists, and nothing from a batch that never became durable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/digest.h"
#include "faulty_store.h"

namespace qb::sim {

struct SimOptions {
  uint64_t seed = 1;
  size_t command_count = 600;
  FaultRates faults;
  std::string data_dir;    // Must not exist yet; removed by the caller.
  bool run_verify = true;  // Also run `qianbao verify` (in-process) at the end.
};

struct SimStats {
  uint64_t batches_acknowledged = 0;
  uint64_t commands_acknowledged = 0;
  uint64_t commands_executed = 0;  // Including executions that were never acknowledged.
  uint64_t injected_failures = 0;
  uint64_t restarts = 0;
  uint64_t checkpoints = 0;

  void Add(const SimStats& other);
};

struct SimOutcome {
  Digest final_hash{};
  Digest journal_digest{};  // Over every journal record's bytes, in order.
  Digest replies_digest{};  // Over every acknowledged reply, in order.
  uint64_t last_seq = 0;
  SimStats stats;
  std::vector<std::string> problems;  // Empty when every check passed.
};

// The fault mix for a seed: some seeds run clean, some lightly and some heavily faulted.
FaultRates FaultRatesForSeed(uint64_t seed);

SimOutcome RunSimulation(const SimOptions& options);

}  // namespace qb::sim
