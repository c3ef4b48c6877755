// `qianbao sim fraud`: generates the labelled synthetic event stream of risk/fraud_sim.h, runs it
// through a RiskEngine with the default rules, and prints per fraud pattern how many events the
// rules flagged (recall), how many of the events each pattern's rules flagged were fraud
// (precision), and the share of legitimate payments challenged or held. With --out, the stream
// is also written as CSV (risk::FraudSimCsvHeader). Pure computation: no data directory.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace qb::cli {

struct SimFraudOptions {
  uint64_t seed = 7;
  uint32_t customers = 20'000;
  uint32_t days = 30;
  std::string out_csv;  // empty: no CSV
};

// 0 on success; 2 for bad options or a CSV that cannot be written.
int RunSimFraud(const SimFraudOptions& options, std::ostream& out, std::ostream& err);

}  // namespace qb::cli
