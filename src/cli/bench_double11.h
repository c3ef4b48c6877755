// `qianbao bench double11`: DESIGN.md's Double-11 workload through the engine's real commands,
// durable on the SQLite store. Customers sign up, are verified and granted tier I, and are
// funded; merchants are onboarded; three live campaigns run at once — a first-order discount
// (首单立减), a threshold-coupon campaign (满减, one coupon issued to every customer) and a 2%
// cashback that every payment touches (the hot budget row) — with `points`, the points
// programme at 1 point a yuan, and with `risk`, the default risk rules. Then `payments` scan-to-pay
// payments (¥1–¥500, random customer and merchant, each offering the customer's coupon) are
// submitted with up to `max_outstanding` in flight, and a payment counts only once its reply
// arrived after its journal batch was durable.
//
// Afterwards the bench checks the ledger invariants, that no budget account went negative, and
// that each campaign's book spend equals what its budget account paid out.
#pragma once

#include <cstdint>
#include <string>

namespace qb::cli {

struct Double11BenchOptions {
  uint64_t customers = 200'000;
  uint64_t merchants = 10'000;
  uint64_t payments = 1'000'000;
  size_t max_outstanding = 20'000;  // Payments submitted but not yet acknowledged.
  size_t max_batch_commands = 8'192;
  bool risk = true;      // Install the default risk rules before the run.
  bool points = true;    // Run the points programme (1 point a yuan) during the run.
  bool project = false;  // Keep the SQL read models up to date during the run.
  std::string data_dir;  // Empty: a fresh temporary directory, removed afterwards.
  bool progress = true;  // A progress bar on stderr.
  uint64_t seed = 1;
};

// Prints the figures and a RESULT line; returns a process exit code.
int RunDouble11Bench(const Double11BenchOptions& options);

}  // namespace qb::cli
