#include "cli/bench_engine.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "cli/bench_util.h"
#include "engine/engine.h"
#include "store/sqlite/sqlite_store.h"

namespace qb::cli {
namespace {

namespace lf = ledger::account_flags;
namespace tf = ledger::transfer_flags;

// Account ids: customers 1..C, merchants after them, then the system accounts.
struct Ids {
  uint64_t customers, merchants;
  uint64_t Customer(uint64_t i) const { return 1 + i; }
  uint64_t Merchant(uint64_t i) const { return 1 + customers + i; }
  uint64_t Clearing() const { return 1 + customers + merchants; }
  uint64_t Campaign() const { return Clearing() + 1; }
  uint64_t Marketing() const { return Clearing() + 2; }
};

constexpr uint16_t kCodePayment = 1;
constexpr uint16_t kCodeCashback = 2;
constexpr uint16_t kCodeTopUp = 3;
constexpr uint16_t kCodeBudget = 4;
constexpr int64_t kCustomerFunding = 1'000'000;  // ¥10,000 each, in fen.

ledger::Account MakeAccount(uint64_t id, ledger::AccountKind kind, uint16_t flags) {
  ledger::Account a;
  a.id = id;
  a.ledger = ledger::kLedgerCny;
  a.kind = static_cast<uint16_t>(kind);
  a.flags = flags;
  return a;
}

ledger::Transfer MakeTransfer(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount,
                              uint16_t code, uint16_t flags = 0) {
  ledger::Transfer t;
  t.id = id;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount = amount;
  t.ledger = ledger::kLedgerCny;
  t.code = code;
  t.flags = flags;
  return t;
}

bool SetUp(engine::Engine* engine, const Ids& ids) {
  constexpr size_t kChunk = 8'000;
  std::vector<ledger::Account> accounts;
  for (uint64_t i = 0; i < ids.customers; i++) {
    accounts.push_back(MakeAccount(ids.Customer(i), ledger::AccountKind::kCustomerWallet,
                                   lf::kDebitsMustNotExceedCredits));
  }
  for (uint64_t i = 0; i < ids.merchants; i++) {
    accounts.push_back(MakeAccount(ids.Merchant(i), ledger::AccountKind::kMerchantSettlement, 0));
  }
  accounts.push_back(MakeAccount(ids.Clearing(), ledger::AccountKind::kBankClearing, 0));
  accounts.push_back(MakeAccount(ids.Campaign(), ledger::AccountKind::kCampaignBudget,
                                 lf::kDebitsMustNotExceedCredits));
  accounts.push_back(MakeAccount(ids.Marketing(), ledger::AccountKind::kMarketingExpense, 0));
  SetUpBatch create(engine);
  for (size_t start = 0; start < accounts.size(); start += kChunk) {
    engine::CreateAccounts command;
    command.accounts.assign(accounts.begin() + start,
                            accounts.begin() + std::min(accounts.size(), start + kChunk));
    create.Submit(std::move(command));
  }
  if (!create.Wait("creating accounts")) return false;
  // Transfer ids from 2^62 up are set-up; payments use 1..2N.
  uint64_t next_id = uint64_t{1} << 62;
  std::vector<ledger::Transfer> funding;
  for (uint64_t i = 0; i < ids.customers; i++) {
    funding.push_back(
        MakeTransfer(next_id++, ids.Clearing(), ids.Customer(i), kCustomerFunding, kCodeTopUp));
  }
  funding.push_back(MakeTransfer(next_id++, ids.Marketing(), ids.Campaign(),
                                 int64_t{1'000'000'000'000'000}, kCodeBudget));
  SetUpBatch fund(engine);
  for (size_t start = 0; start < funding.size(); start += kChunk) {
    engine::CreateTransfers command;
    command.transfers.assign(funding.begin() + start,
                             funding.begin() + std::min(funding.size(), start + kChunk));
    fund.Submit(std::move(command));
  }
  if (!fund.Wait("funding")) return false;
  return true;
}

}  // namespace

int RunEngineBench(const EngineBenchOptions& options) {
  std::string data_dir = options.data_dir;
  const bool temporary = data_dir.empty();
  if (temporary) {
    data_dir =
        (std::filesystem::temp_directory_path() / fmt::format("qianbao-bench-{}", ::getpid()))
            .string();
    std::filesystem::remove_all(data_dir);
  }
  std::unique_ptr<Store> store;
  if (Status s = OpenSqliteStore(data_dir, &store); !s.ok()) {
    fmt::print(stderr, "bench: {}\n", s.ToString());
    return 2;
  }
  SystemClock clock;
  engine::EngineOptions engine_options;
  engine_options.queue_capacity = options.max_outstanding + 1024;
  engine_options.max_batch_commands = options.max_batch_commands;
  engine_options.project = options.project;
  engine_options.checkpoint_every_commands = 0;
  engine_options.checkpoint_on_stop = false;
  engine_options.reserve_accounts = options.customers + options.merchants + 16;
  engine_options.reserve_transfers = options.customers + 2 * options.payments + 16;
  std::unique_ptr<engine::Engine> engine;
  if (Status s = engine::Engine::Open(store.get(), &clock, engine_options, nullptr, &engine);
      !s.ok()) {
    fmt::print(stderr, "bench: {}\n", s.ToString());
    return 2;
  }
  const Ids ids{options.customers, options.merchants};
  fmt::print(
      "bench engine: {} customers, {} merchants, 1 hot campaign budget; {} payments, "
      "durable (SQLite FULL), read models {}\n",
      options.customers, options.merchants, options.payments, options.project ? "on" : "off");
  const int64_t setup_start = MonotonicNowNs();
  if (!SetUp(engine.get(), ids)) return 2;
  // The measured run starts with the read models caught up, so it is not charged for set-up.
  for (engine::EngineStats stats = engine->stats();
       options.project && stats.projected_seq < stats.durable_seq; stats = engine->stats()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  fmt::print("  set-up: {:.1f} s\n", (MonotonicNowNs() - setup_start) * 1e-9);

  std::vector<int64_t> latencies_ns(options.payments);
  std::atomic<uint64_t> failed{0};
  InFlightWindow window(options.max_outstanding);
  Rng rng(options.seed);
  const int64_t start_ns = MonotonicNowNs();
  std::atomic<bool> running{true};
  std::thread progress([&] {
    while (options.progress && running.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      const uint64_t done = window.acknowledged();
      DrawProgress(done, options.payments, done / ((MonotonicNowNs() - start_ns) * 1e-9));
    }
  });
  for (uint64_t i = 0; i < options.payments; i++) {
    window.WaitForRoom(i);  // Sleeps, never spins: it shares the two cores with the engine.
    const uint64_t customer = ids.Customer(rng.Below(options.customers));
    const uint64_t merchant = ids.Merchant(rng.Below(options.merchants));
    const int64_t amount = 100 + static_cast<int64_t>(rng.Below(49'901));  // ¥1–¥500.
    engine::CreateTransfers payment;
    payment.transfers.push_back(
        MakeTransfer(2 * i + 1, customer, merchant, amount, kCodePayment, tf::kLinked));
    payment.transfers.push_back(
        MakeTransfer(2 * i + 2, ids.Campaign(), customer, amount * 2 / 100, kCodeCashback));
    const int64_t submitted_ns = MonotonicNowNs();
    engine->Submit(std::move(payment), [&, i, submitted_ns](engine::Reply&& reply) {
      latencies_ns[i] = MonotonicNowNs() - submitted_ns;
      const bool ok = reply.status == engine::ReplyStatus::kOk && reply.results[0] == 0 &&
                      reply.results[1] == 0;
      if (!ok) failed.fetch_add(1, std::memory_order_relaxed);
      window.Acknowledge();
    });
  }
  window.WaitForAll(options.payments);
  const double seconds = (MonotonicNowNs() - start_ns) * 1e-9;
  running = false;
  progress.join();
  if (options.progress) fmt::print(stderr, "\n");

  // The ledger must still balance, and the hot budget must never have gone negative.
  std::optional<std::string> violation;
  int64_t budget_left = 0;
  engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
    violation = state.ledger().CheckInvariants();
    budget_left = state.ledger().FindAccount(ids.Campaign())->CreditBalance();
  }});
  const engine::EngineStats stats = engine->stats();
  engine->Stop();
  std::sort(latencies_ns.begin(), latencies_ns.end());
  const double rate = options.payments / seconds;
  fmt::print("  payments: {} in {:.2f} s, {} failed\n", options.payments, seconds, failed.load());
  fmt::print("  throughput: {:.0f} payments/s (durable, acknowledged)\n", rate);
  fmt::print("  ack latency: p50 {:.2f} ms, p99 {:.2f} ms, p999 {:.2f} ms\n",
             Percentile(latencies_ns, 0.50) * 1e-6, Percentile(latencies_ns, 0.99) * 1e-6,
             Percentile(latencies_ns, 0.999) * 1e-6);
  fmt::print("  journal batches: {}, avg {:.0f} payments/batch; read models at batch {}\n",
             stats.durable_seq,
             static_cast<double>(options.payments) / std::max<uint64_t>(1, stats.durable_seq),
             stats.projected_seq);
  fmt::print("  ledger invariants: {}; hot budget left {} fen (never below zero)\n",
             violation ? *violation : "hold", budget_left);
  fmt::print(
      "RESULT engine_payments_per_second={:.0f} p50_ms={:.3f} p99_ms={:.3f} "
      "p999_ms={:.3f} failed={}\n",
      rate, Percentile(latencies_ns, 0.50) * 1e-6, Percentile(latencies_ns, 0.99) * 1e-6,
      Percentile(latencies_ns, 0.999) * 1e-6, failed.load());
  store.reset();
  if (temporary) std::filesystem::remove_all(data_dir);
  return (violation || failed.load() != 0 || budget_left < 0) ? 1 : 0;
}

}  // namespace qb::cli
