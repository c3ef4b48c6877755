// `qianbao risk backtest --data DIR --rules FILE.json [--from YYYY-MM-DD] [--to YYYY-MM-DD]
// [--format text|json|csv]`: how a candidate rule set would have done on the journal's traffic
// (engine/risk_backtest.h does the work; docs/RISK.md explains the report). The rule file is
// the JSON PUT /api/v1/staff/risk/rules takes; its "shadow" flag is ignored. --from and --to
// are UTC days, both included. The store is only read.
#pragma once

#include <ostream>
#include <string>

#include "engine/risk_backtest.h"

namespace qb::cli {

struct RiskBacktestCliOptions {
  std::string data_dir;
  std::string rules_file;
  std::string from;  // "" or YYYY-MM-DD
  std::string to;
  std::string format = "text";
};

// 0 on success; 2 on bad options, an unreadable or invalid rule file, or an unreadable store.
int RunRiskBacktestCli(const RiskBacktestCliOptions& options, std::ostream& out, std::ostream& err);

// The report in each format. CSV is one row per candidate rule, under a header row.
void WriteBacktestText(const engine::RiskBacktestReport& report, std::ostream& out);
void WriteBacktestJson(const engine::RiskBacktestReport& report, std::ostream& out);
void WriteBacktestCsv(const engine::RiskBacktestReport& report, std::ostream& out);

}  // namespace qb::cli
