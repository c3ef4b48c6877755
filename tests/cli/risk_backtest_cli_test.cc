// `qianbao risk backtest` output (cli/risk_backtest.h): the CSV and JSON of a report, and the
// options it refuses before touching any store. The replay itself is tested in
// tests/engine/risk_backtest_test.cc.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/risk_backtest.h"

namespace qb::cli {
namespace {

engine::RiskBacktestReport Report() {
  engine::RiskBacktestReport report;
  report.batches = 9;
  report.commands = 12;
  report.events = 4;
  report.first_event_s = 1'763'856'000;  // 2025-11-23T00:00:00Z
  report.last_event_s = 1'763'859'600;
  report.events_by_kind[2] = 4;
  report.candidate_payments = {2, 0, 1, 1};
  report.live_payments = {3, 0, 1, 0};
  report.labelled_fraud = 1;
  report.fraud_flagged_candidate = 1;
  report.fraud_flagged_live = 1;
  engine::RiskBacktestRule rule;
  rule.id = 10;
  rule.name = "over_500";
  rule.action = risk::Action::kReview;
  rule.score = 60;
  rule.evaluated = 4;
  rule.hits = 2;
  rule.hit_amount_fen = 130'001;
  rule.verdicts = {0, 0, 1, 1};
  rule.fraud_hits = 1;
  report.rules.push_back(rule);
  return report;
}

TEST(RiskBacktestCliTest, CsvIsOneRowPerRule) {
  std::ostringstream out;
  WriteBacktestCsv(Report(), out);
  EXPECT_EQ(out.str(),
            "rule_id,name,action,score,shadow,evaluated,hits,hit_amount_fen,allow,challenge,"
            "review,deny,fraud_hits,legit_hits,failures\n"
            "10,over_500,review,60,false,4,2,130001,0,0,1,1,1,0,0\n");
}

TEST(RiskBacktestCliTest, JsonCarriesTheTotalsAndTheRules) {
  std::ostringstream out;
  WriteBacktestJson(Report(), out);
  const std::string json = out.str();
  EXPECT_NE(json.find(R"("first_event_at":"2025-11-23T00:00:00Z")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("payments":{"candidate":{"allow":2,"challenge":0,"review":1,"deny":1},)"
                      R"("live":{"allow":3,"challenge":0,"review":1,"deny":0}})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"({"id":10,"name":"over_500","action":"review","score":60,"shadow":false,)"
                      R"("evaluated":4,"hits":2,"hit_amount_fen":130001,)"),
            std::string::npos)
      << json;
}

TEST(RiskBacktestCliTest, TextShowsAmountsInYuan) {
  std::ostringstream out;
  WriteBacktestText(Report(), out);
  EXPECT_NE(out.str().find("1300.01"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("events in the window: 4 from 2025-11-23T00:00:00Z"), std::string::npos)
      << out.str();
}

TEST(RiskBacktestCliTest, BadOptionsAreRefusedWithExitTwo) {
  RiskBacktestCliOptions options;
  options.data_dir = "unused";
  options.rules_file = "unused.json";
  std::ostringstream out, err;
  options.format = "xml";
  EXPECT_EQ(RunRiskBacktestCli(options, out, err), 2);
  options.format = "text";
  options.from = "2026-13-01";
  EXPECT_EQ(RunRiskBacktestCli(options, out, err), 2);
  options.from = "2026-11-05";
  options.to = "2026-11-01";
  EXPECT_EQ(RunRiskBacktestCli(options, out, err), 2);
  options.to = "";
  EXPECT_EQ(RunRiskBacktestCli(options, out, err), 2);  // No such rule file.
  EXPECT_NE(err.str().find("cannot read unused.json"), std::string::npos) << err.str();
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace qb::cli
