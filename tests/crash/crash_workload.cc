// crash_workload <data_dir> <seed>: the process the crash test kills with SIGKILL.
//
// Opens the store and the real engine (recovering whatever an earlier run left), makes sure the
// accounts of payment_plan.h exist and are funded, prints READY, and then submits payments from
// two threads, many in flight, until it is killed. For every acknowledged payment it writes
//   ACK <payment id> <cashback id> <payment result> <cashback result>
// to stdout with one write(2), only after the engine's durable reply. Exits on its own only on
// error, or after kMaxRunSeconds as a guard against being orphaned.
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "engine/engine.h"
#include "payment_plan.h"
#include "store/sqlite/sqlite_store.h"

namespace qb::crash {
namespace {

constexpr int kThreads = 2;
constexpr int64_t kMaxOutstandingPerThread = 4'096;
constexpr uint64_t kPaymentsPerBudgetTopUp = 500;
constexpr int kMaxRunSeconds = 120;

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(3);  // The harness went away.
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// The run number: how many times a workload has started on this data directory, kept in a file
// beside the store and made durable before any id derived from it is used.
uint64_t NextRun(const std::string& data_dir) {
  const std::string path = data_dir + "/crash_workload_runs";
  uint64_t run = 0;
  if (std::ifstream in(path); in) in >> run;
  run++;
  const std::string text = std::to_string(run) + "\n";
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 0;
  WriteAll(fd, text.data(), text.size());
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(temporary.c_str(), path.c_str()) != 0) return 0;
  return run;
}

// Runs one set-up command and accepts "ok" and "exists": set-up ids are fixed, so a second
// run's set-up changes nothing.
bool SetUpCommand(engine::Engine* engine, engine::Command command) {
  const engine::Reply reply = engine->Execute(std::move(command));
  if (reply.status != engine::ReplyStatus::kOk) return false;
  for (uint8_t result : reply.results) {
    if (result != 0 && result != static_cast<uint8_t>(ledger::CreateTransferResult::kExists) &&
        result != static_cast<uint8_t>(ledger::CreateAccountResult::kExists)) {
      std::fprintf(stderr, "crash_workload: set-up result %u\n", result);
      return false;
    }
  }
  return true;
}

bool SetUp(engine::Engine* engine) {
  auto account = [](uint64_t id, ledger::AccountKind kind, uint16_t flags) {
    ledger::Account a;
    a.id = id;
    a.ledger = ledger::kLedgerCny;
    a.kind = static_cast<uint16_t>(kind);
    a.flags = flags;
    return a;
  };
  constexpr uint16_t kNoOverdraft = ledger::account_flags::kDebitsMustNotExceedCredits;
  engine::CreateAccounts accounts;
  for (uint64_t i = 0; i < kCustomers; i++) {
    accounts.accounts.push_back(
        account(CustomerId(i), ledger::AccountKind::kCustomerWallet, kNoOverdraft));
  }
  for (uint64_t i = 0; i < kMerchants; i++) {
    accounts.accounts.push_back(
        account(MerchantId(i), ledger::AccountKind::kMerchantSettlement, 0));
  }
  accounts.accounts.push_back(account(kClearingId, ledger::AccountKind::kBankClearing, 0));
  accounts.accounts.push_back(account(kMarketingId, ledger::AccountKind::kMarketingExpense, 0));
  accounts.accounts.push_back(
      account(kCampaignId, ledger::AccountKind::kCampaignBudget, kNoOverdraft));
  if (!SetUpCommand(engine, std::move(accounts))) return false;

  engine::CreateTransfers funding;
  uint64_t id = 1;
  for (uint64_t i = 0; i < kCustomers; i++) {
    funding.transfers.push_back(
        PlanTransfer(id++, kClearingId, CustomerId(i), kCustomerFunding, kCodeTopUp));
  }
  funding.transfers.push_back(
      PlanTransfer(id++, kMarketingId, kCampaignId, kInitialBudget, kCodeBudget));
  return SetUpCommand(engine, std::move(funding));
}

// Submits payments forever, at most kMaxOutstandingPerThread in flight.
void Pay(engine::Engine* engine, uint64_t run, uint64_t thread) {
  std::atomic<int64_t> outstanding{0};
  uint64_t top_ups = 0;
  for (uint64_t n = 1;; n++) {
    for (int64_t seen = outstanding.load(); seen >= kMaxOutstandingPerThread;
         seen = outstanding.load()) {
      outstanding.wait(seen);
    }
    if (n % kPaymentsPerBudgetTopUp == 0) {
      const uint64_t id = kBudgetTopUpIdBit | run << 24 | thread << 23 | ++top_ups;
      engine::CreateTransfers top_up;
      top_up.transfers.push_back(
          PlanTransfer(id, kMarketingId, kCampaignId, kBudgetTopUp, kCodeBudget));
      engine->Submit(std::move(top_up), [](engine::Reply&&) {});
    }
    const PlannedPayment plan = PlanPayment(PaymentId(run, thread, n));
    engine::CreateTransfers payment;
    payment.transfers.push_back(plan.payment);
    payment.transfers.push_back(plan.cashback);
    outstanding.fetch_add(1);
    engine->Submit(std::move(payment), [&outstanding, plan](engine::Reply&& reply) {
      if (reply.status == engine::ReplyStatus::kOk && reply.results.size() == 2) {
        char line[96];
        const int size = std::snprintf(line, sizeof line, "ACK %llu %llu %u %u\n",
                                       static_cast<unsigned long long>(plan.payment.id),
                                       static_cast<unsigned long long>(plan.cashback.id),
                                       reply.results[0], reply.results[1]);
        WriteAll(STDOUT_FILENO, line, static_cast<size_t>(size));
      } else if (reply.status == engine::ReplyStatus::kStoreFailed) {
        std::fprintf(stderr, "crash_workload: the store failed\n");
        std::_Exit(4);
      }
      outstanding.fetch_sub(1);
      outstanding.notify_all();
    });
  }
}

int Main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: crash_workload <data_dir> <seed>\n");
    return 2;
  }
  // Die with the harness, whatever happens to it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  const std::string data_dir = argv[1];
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  const uint64_t run = NextRun(data_dir);
  if (run == 0 || run >= (uint64_t{1} << 22)) {
    std::fprintf(stderr, "crash_workload: cannot keep the run counter in %s\n", data_dir.c_str());
    return 2;
  }
  std::unique_ptr<Store> store;
  if (Status s = OpenSqliteStore(data_dir, &store); !s.ok()) {
    std::fprintf(stderr, "crash_workload: %s\n", s.ToString().c_str());
    return 2;
  }
  SystemClock clock;
  engine::EngineOptions options;
  options.checkpoint_every_commands = 20'000;
  options.project = true;
  options.queue_capacity = kThreads * kMaxOutstandingPerThread * 2 + 1'024;
  std::unique_ptr<engine::Engine> engine;
  if (Status s = engine::Engine::Open(store.get(), &clock, options, nullptr, &engine); !s.ok()) {
    std::fprintf(stderr, "crash_workload: open: %s\n", s.ToString().c_str());
    return 2;
  }
  if (!SetUp(engine.get())) {
    std::fprintf(stderr, "crash_workload: set-up failed\n");
    return 2;
  }
  // The seed names the run in the log; ids come from the run number alone, so that they
  // never repeat on one data directory whatever seeds the harness passes.
  std::fprintf(stderr, "crash_workload: run %llu, seed %s, recovered %llu batches\n",
               static_cast<unsigned long long>(run), argv[2],
               static_cast<unsigned long long>(engine->recovery_report().records_replayed));
  WriteAll(STDOUT_FILENO, "READY\n", 6);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] { Pay(engine.get(), run, static_cast<uint64_t>(t)); });
  }
  std::this_thread::sleep_for(std::chrono::seconds(kMaxRunSeconds));
  std::fprintf(stderr, "crash_workload: not killed within %d s; exiting\n", kMaxRunSeconds);
  std::_Exit(5);
}

}  // namespace
}  // namespace qb::crash

int main(int argc, char** argv) { return qb::crash::Main(argc, argv); }
