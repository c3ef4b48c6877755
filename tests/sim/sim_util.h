// Helpers shared by the simulation tests: temporary data directories, seed selection from the
// environment, and a census of what a workload's results cover.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qb::sim {

// A fresh directory, removed with everything in it on destruction. It lives under
// $QB_SIM_TMPDIR, else /dev/shm when present (SQLite's fsyncs are free there), else the
// system's temporary directory.
class TempDir {
 public:
  explicit TempDir(const std::string& name);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// QB_SIM_SEED=S, if set.
std::optional<uint64_t> SingleSeedFromEnvironment();

// QB_SIM_SEED=S: just S. Otherwise seeds 1..N with N from QB_SIM_SEEDS or `default_count`.
std::vector<uint64_t> SeedsFromEnvironment(uint64_t default_count);

struct ResultCensus {
  uint64_t transfers_ok = 0;
  uint64_t distinct_transfer_failures = 0;
  uint64_t distinct_account_results = 0;
  uint64_t linked_chains_failed = 0;
  uint64_t pendings_expired = 0;
  uint64_t accounts_closed = 0;
  uint64_t customers_registered = 0;
  uint64_t p2p_ok = 0;
  uint64_t distinct_p2p_results = 0;
  uint64_t identities_verified = 0;
  uint64_t cards_bound = 0;
  uint64_t holds_settled = 0;  // SettleHold commands that posted or voided a hold.
  uint64_t merchant_payments_ok = 0;
  uint64_t distinct_payment_results = 0;  // Of Pay commands.
  uint64_t refunds_ok = 0;
  std::string Describe() const;
};

// Runs a seed's workload through a bare StateMachine, no store, and counts its results.
ResultCensus CountResults(uint64_t seed, size_t command_count);

}  // namespace qb::sim
