// qianbao: the admin command. Subcommands: verify, audit, bench, admin, keys, sim, risk.
#include <CLI/CLI.hpp>
#include <iostream>

#include "base/malloc_tuning.h"
#include "cli/admin.h"
#include "cli/audit_verify.h"
#include "cli/bench_double11.h"
#include "cli/bench_engine.h"
#include "cli/keys_cli.h"
#include "cli/risk_backtest.h"
#include "cli/sim_fraud.h"
#include "cli/verify.h"

int main(int argc, char** argv) {
  qb::TuneMallocForEngine();
  CLI::App app{"qianbao — admin tool for the qianbao wallet platform"};
  app.require_subcommand(1);

  std::string verify_dir;
  auto* verify = app.add_subcommand("verify", "Replay the journal and check every invariant");
  verify->add_option("--data", verify_dir, "Data directory of a (stopped) qianbaod")->required();

  auto* audit = app.add_subcommand("audit", "The audit log");
  audit->require_subcommand(1);
  std::string audit_dir = "./data";
  auto* audit_verify =
      audit->add_subcommand("verify", "Check the audit log's hash chain against the engine");
  audit_verify->add_option("--data", audit_dir, "Data directory of a (stopped) qianbaod")
      ->capture_default_str();

  auto* bench = app.add_subcommand("bench", "Benchmarks");
  bench->require_subcommand(1);
  qb::cli::EngineBenchOptions engine_options;
  auto* bench_engine = bench->add_subcommand("engine", "Double-11 transfers in the engine");
  bench_engine->add_option("--customers", engine_options.customers, "Funded customers");
  bench_engine->add_option("--merchants", engine_options.merchants, "Merchants");
  bench_engine->add_option("--payments", engine_options.payments, "Payments to make");
  bench_engine->add_option("--outstanding", engine_options.max_outstanding,
                           "Payments in flight at most");
  bench_engine->add_option("--batch", engine_options.max_batch_commands,
                           "Commands per engine batch at most");
  bench_engine->add_option("--data", engine_options.data_dir,
                           "Data directory (default: a temporary one)");
  bench_engine->add_option("--seed", engine_options.seed, "Workload seed");
  bool no_projection = false, no_progress = false;
  bench_engine->add_flag("--no-read-models", no_projection, "Do not project read models");
  bench_engine->add_flag("--no-progress", no_progress, "No progress bar");

  qb::cli::Double11BenchOptions d11_options;
  auto* bench_d11 = bench->add_subcommand(
      "double11", "Double-11 payments through the engine: campaigns, coupons, cashback, risk");
  bench_d11->add_option("--customers", d11_options.customers, "Verified, funded customers")
      ->capture_default_str();
  bench_d11->add_option("--merchants", d11_options.merchants, "Merchants")->capture_default_str();
  bench_d11->add_option("--payments", d11_options.payments, "Payments to make")
      ->capture_default_str();
  bench_d11->add_option("--outstanding", d11_options.max_outstanding, "Payments in flight at most")
      ->capture_default_str();
  bench_d11->add_option("--batch", d11_options.max_batch_commands,
                        "Commands per engine batch at most");
  bench_d11->add_option("--data", d11_options.data_dir,
                        "Data directory (default: a temporary one)");
  bench_d11->add_option("--seed", d11_options.seed, "Workload seed");
  bool d11_no_risk = false, d11_read_models = false, d11_no_progress = false;
  bench_d11->add_flag("--no-risk", d11_no_risk, "Do not install the default risk rules");
  bool d11_no_points = false;
  bench_d11->add_flag("--no-points", d11_no_points, "Do not run the points programme");
  bench_d11->add_flag("--read-models", d11_read_models, "Project the SQL read models as it runs");
  bench_d11->add_flag("--no-progress", d11_no_progress, "No progress bar");

  auto* admin = app.add_subcommand("admin", "Staff accounts (the server must be stopped)");
  admin->require_subcommand(1);
  qb::cli::AdminCreateOptions admin_options;
  auto* admin_create =
      admin->add_subcommand("create", "Create a staff account with the admin role");
  admin_create->add_option("--data", admin_options.data_dir, "Data directory")->required();
  admin_create->add_option("--username", admin_options.username, "Log-in name")->required();
  admin_create->add_option("--display-name", admin_options.display_name, "Name shown")->required();
  auto* password_file = admin_create->add_option("--password-file", admin_options.password_file,
                                                 "Read the password from this file");
  admin_create
      ->add_flag("--password-stdin", admin_options.password_stdin,
                 "Read the password from standard input")
      ->excludes(password_file);

  qb::cli::KeysCli keys(app);

  auto* sim = app.add_subcommand("sim", "Simulations");
  sim->require_subcommand(1);
  qb::cli::SimFraudOptions sim_fraud_options;
  auto* sim_fraud = sim->add_subcommand(
      "fraud", "Labelled synthetic fraud stream; precision and recall of the default risk rules");
  sim_fraud->add_option("--seed", sim_fraud_options.seed, "Generator seed")->capture_default_str();
  sim_fraud->add_option("--customers", sim_fraud_options.customers, "Normal customers")
      ->capture_default_str();
  sim_fraud->add_option("--days", sim_fraud_options.days, "Days scored")->capture_default_str();
  sim_fraud->add_option("--out", sim_fraud_options.out_csv, "Write the labelled events as CSV");

  auto* risk = app.add_subcommand("risk", "The risk engine");
  risk->require_subcommand(1);
  qb::cli::RiskBacktestCliOptions backtest_options;
  auto* risk_backtest = risk->add_subcommand(
      "backtest", "Replay the journal and report how a candidate rule set would have done");
  risk_backtest
      ->add_option("--data", backtest_options.data_dir, "Data directory of a (stopped) qianbaod")
      ->required();
  risk_backtest
      ->add_option("--rules", backtest_options.rules_file,
                   "The candidate rule set, as PUT /api/v1/staff/risk/rules takes it (JSON)")
      ->required();
  risk_backtest->add_option("--from", backtest_options.from, "First day counted, YYYY-MM-DD (UTC)");
  risk_backtest->add_option("--to", backtest_options.to, "Last day counted, YYYY-MM-DD (UTC)");
  risk_backtest->add_option("--format", backtest_options.format, "text, json or csv")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (std::optional<int> rc = keys.Run()) return *rc;
  if (verify->parsed()) return qb::cli::RunVerify(verify_dir, std::cout);
  if (audit_verify->parsed()) return qb::cli::RunAuditVerify(audit_dir, std::cout);
  if (risk_backtest->parsed()) {
    return qb::cli::RunRiskBacktestCli(backtest_options, std::cout, std::cerr);
  }
  if (sim_fraud->parsed()) return qb::cli::RunSimFraud(sim_fraud_options, std::cout, std::cerr);
  if (admin_create->parsed()) {
    return qb::cli::RunAdminCreate(admin_options, std::cin, std::cout, std::cerr);
  }
  if (bench_d11->parsed()) {
    d11_options.risk = !d11_no_risk;
    d11_options.points = !d11_no_points;
    d11_options.project = d11_read_models;
    d11_options.progress = !d11_no_progress;
    return qb::cli::RunDouble11Bench(d11_options);
  }
  if (bench_engine->parsed()) {
    engine_options.project = !no_projection;
    engine_options.progress = !no_progress;
    return qb::cli::RunEngineBench(engine_options);
  }
  return 1;
}
