// `qianbao bench engine`: the transfer part of the Double-11 workload (DESIGN.md) run against
// the real engine in this process, durable on the SQLite store.
#pragma once

#include <cstdint>
#include <string>

namespace qb::cli {

struct EngineBenchOptions {
  uint64_t customers = 1'000'000;
  uint64_t merchants = 10'000;
  uint64_t payments = 3'000'000;
  size_t max_outstanding = 100'000;  // Payments submitted but not yet acknowledged.
  size_t max_batch_commands = 8'192;
  bool project = true;   // Keep the SQL read models up to date during the run.
  std::string data_dir;  // Empty: a fresh temporary directory, removed afterwards.
  bool progress = true;  // A progress bar on stderr.
  uint64_t seed = 1;
};

// Prints the figures; returns a process exit code.
int RunEngineBench(const EngineBenchOptions& options);

}  // namespace qb::cli
