// The kill -9 crash test. For each cycle: start crash_workload on one data directory, let it
// pay for a random 100–1500 ms after READY, SIGKILL it, and then prove from the data directory
// alone that
//   - every acknowledged payment is there, both transfers, exactly as planned;
//   - no acknowledged failed payment left either transfer behind;
//   - no payment is half applied (every payment transfer has its linked partner);
//   - the ledger invariants hold and no no-overdraft account (the campaign budget above all)
//     went negative;
//   - `qianbao verify` passes.
// The next cycle continues on the same data directory from the recovered state.
//
// Environment: QB_CRASH_CYCLES (default 12), QB_CRASH_SEED (default 1), QB_CRASH_TMPDIR (where
// the data directory goes; default the system's temporary directory).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "engine/engine.h"
#include "payment_plan.h"
#include "store/sqlite/sqlite_store.h"

namespace qb::crash {
namespace {

constexpr int kReadyTimeoutMs = 60'000;
// How long a cycle waits past its run time for a first acknowledgement before killing anyway.
constexpr int kFirstAckTimeoutMs = 10'000;
constexpr int kVerifyTimeoutMs = 60'000;

int64_t NowMs() { return MonotonicNowNs() / 1'000'000; }

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::strtoull(value, nullptr, 10) : fallback;
}

// A child process with its stdout on a pipe. Killed and reaped on destruction, so that no
// failure path leaves it running.
class Child {
 public:
  // Starts `argv[0]` with the given arguments; stderr is inherited.
  bool Start(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    pid_ = ::fork();
    if (pid_ < 0) return false;
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      std::vector<char*> args;
      for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      std::_Exit(127);
    }
    ::close(fds[1]);
    stdout_fd_ = fds[0];
    return true;
  }

  ~Child() {
    Kill();
    Wait();
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
  }

  void Kill() {
    if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);
  }

  // Reaps the child; returns its wait status.
  int Wait() {
    if (pid_ > 0 && !reaped_) {
      while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
      }
      reaped_ = true;
    }
    return status_;
  }

  // Reads what is available within `timeout_ms` into `buffer`; false at end of file.
  bool Read(int timeout_ms, std::string* buffer) {
    pollfd pfd{stdout_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, std::max(timeout_ms, 0)) <= 0) return true;
    char chunk[1 << 16];
    const ssize_t n = ::read(stdout_fd_, chunk, sizeof chunk);
    if (n < 0) return errno == EINTR || errno == EAGAIN;
    if (n == 0) return false;
    buffer->append(chunk, static_cast<size_t>(n));
    return true;
  }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int status_ = 0;
  bool reaped_ = false;
};

struct Ack {
  uint64_t payment_id, cashback_id;
  uint8_t payment_result, cashback_result;
  bool ok() const { return payment_result == 0 && cashback_result == 0; }
};

// Takes the complete lines out of `buffer`. Returns false on a line it does not understand.
bool TakeLines(std::string* buffer, bool* ready, std::vector<Ack>* acks) {
  size_t start = 0;
  for (size_t end; (end = buffer->find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = buffer->substr(start, end - start);
    if (line == "READY") {
      *ready = true;
      continue;
    }
    unsigned long long payment, cashback;
    unsigned payment_result, cashback_result;
    if (std::sscanf(line.c_str(), "ACK %llu %llu %u %u", &payment, &cashback, &payment_result,
                    &cashback_result) != 4) {
      std::fprintf(stderr, "crash: unexpected output line: %s\n", line.c_str());
      return false;
    }
    acks->push_back(Ack{payment, cashback, static_cast<uint8_t>(payment_result),
                        static_cast<uint8_t>(cashback_result)});
  }
  buffer->erase(0, start);
  return true;
}

struct CycleReport {
  uint64_t acknowledged = 0;  // This cycle.
  uint64_t acknowledged_ok = 0;
  uint64_t transfers = 0;  // Payment transfers in the recovered ledger.
  uint64_t lost = 0;       // Acknowledged ok payments missing or altered.
  uint64_t failed_but_present = 0;
  uint64_t half_applied = 0;
  uint64_t not_as_planned = 0;
  uint64_t overdrafts = 0;
  int64_t budget_balance = 0;
  int64_t recovery_ms = 0;
  uint64_t recovered_batches = 0;
  uint64_t checkpoint_seq = 0;
  std::string invariant_violation;
};

// Opens the data directory as a restarted server would and checks every payment against what
// the workload acknowledged, from the engine thread.
bool CheckRecoveredState(const std::string& data_dir, const std::vector<Ack>& acks,
                         CycleReport* report) {
  std::unique_ptr<Store> store;
  if (Status s = OpenSqliteStore(data_dir, &store); !s.ok()) {
    std::fprintf(stderr, "crash: open store: %s\n", s.ToString().c_str());
    return false;
  }
  SystemClock clock;
  engine::EngineOptions options;
  options.project = true;
  // Leave the data directory as the kill left it (apart from what recovery itself repairs),
  // so that the next workload run recovers from the same journal tail again.
  options.checkpoint_on_stop = false;
  std::unique_ptr<engine::Engine> engine;
  if (Status s = engine::Engine::Open(store.get(), &clock, options, nullptr, &engine); !s.ok()) {
    std::fprintf(stderr, "crash: recovery: %s\n", s.ToString().c_str());
    return false;
  }
  const engine::RecoveryReport& recovery = engine->recovery_report();
  report->recovery_ms = recovery.duration_ns / 1'000'000;
  report->recovered_batches = recovery.records_replayed;
  report->checkpoint_seq = recovery.checkpoint_seq;
  engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
    const ledger::Ledger& ledger = state.ledger();
    auto as_planned = [](const ledger::Transfer& planned, const ledger::Transfer* stored) {
      return stored != nullptr && stored->debit_account_id == planned.debit_account_id &&
             stored->credit_account_id == planned.credit_account_id &&
             stored->amount == planned.amount && stored->ledger == planned.ledger &&
             stored->code == planned.code && stored->flags == planned.flags;
    };
    for (const Ack& ack : acks) {
      const PlannedPayment plan = PlanPayment(ack.payment_id);
      const ledger::Transfer* payment = ledger.FindTransfer(ack.payment_id);
      const ledger::Transfer* cashback = ledger.FindTransfer(ack.cashback_id);
      if (ack.ok()) {
        report->lost += !as_planned(plan.payment, payment) || !as_planned(plan.cashback, cashback);
      } else {
        // A linked chain fails as one: both results say so, and nothing of it remains.
        report->failed_but_present += payment != nullptr || cashback != nullptr ||
                                      ack.payment_result == 0 || ack.cashback_result == 0;
      }
    }
    ledger.ForEachTransfer([&](const ledger::Transfer& t) {
      if (!IsPaymentTransfer(t.id)) return;
      report->transfers++;
      report->half_applied += ledger.FindTransfer(PartnerOf(t.id)) == nullptr;
      const PlannedPayment plan = PlanPayment(t.id & ~uint64_t{1});
      report->not_as_planned += !as_planned((t.id & 1) ? plan.cashback : plan.payment, &t);
    });
    ledger.ForEachAccount([&](const ledger::Account& a) {
      if (a.flags & ledger::account_flags::kDebitsMustNotExceedCredits) {
        report->overdrafts += a.debits_posted + a.debits_pending > a.credits_posted;
      }
    });
    if (const ledger::Account* budget = ledger.FindAccount(kCampaignId)) {
      report->budget_balance = budget->credits_posted - budget->debits_posted;
    }
    if (auto violation = ledger.CheckInvariants()) report->invariant_violation = *violation;
  }});
  engine->Stop();
  return true;
}

// Runs `qianbao verify --data DIR`; its output goes to `log_path`.
int RunVerify(const std::string& data_dir, const std::string& log_path) {
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    ::execl(QIANBAO_PATH, QIANBAO_PATH, "verify", "--data", data_dir.c_str(),
            static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  int status = 0;
  for (const int64_t deadline = NowMs() + kVerifyTimeoutMs;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (NowMs() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    ::usleep(5'000);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void PrintFile(const std::string& path) {
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    char line[512];
    while (std::fgets(line, sizeof line, f) != nullptr) std::fprintf(stderr, "    %s", line);
    std::fclose(f);
  }
}

// One kill -9 cycle. Appends the cycle's acknowledgements to `acks` and checks all of them.
bool RunCycle(int cycle, const std::string& data_dir, uint64_t seed, uint64_t* rng,
              std::vector<Ack>* acks, CycleReport* report_out) {
  *rng = Mix(*rng + 0x9E3779B97F4A7C15ull);
  const int run_ms = 100 + static_cast<int>(*rng % 1'401);
  const size_t acks_before = acks->size();
  {
    Child child;
    if (!child.Start({CRASH_WORKLOAD_PATH, data_dir, std::to_string(seed)})) {
      std::fprintf(stderr, "crash: cannot start the workload\n");
      return false;
    }
    std::string buffer;
    bool ready = false, open = true;
    for (const int64_t deadline = NowMs() + kReadyTimeoutMs; !ready && open;) {
      if (NowMs() > deadline) {
        std::fprintf(stderr, "crash: no READY within %d ms\n", kReadyTimeoutMs);
        return false;
      }
      open = child.Read(100, &buffer);
      if (!TakeLines(&buffer, &ready, acks)) return false;
    }
    if (!ready) {
      std::fprintf(stderr, "crash: the workload exited before READY\n");
      return false;
    }
    for (const int64_t kill_at = NowMs() + run_ms; open && NowMs() < kill_at;) {
      open = child.Read(static_cast<int>(kill_at - NowMs()), &buffer);
      if (!TakeLines(&buffer, &ready, acks)) return false;
    }
    // On a loaded machine the first batch may not be durable yet after a short run: the kill
    // waits for the first acknowledgement (bounded), so every cycle has something to check.
    for (const int64_t give_up = NowMs() + kFirstAckTimeoutMs;
         open && acks->size() == acks_before && NowMs() < give_up;) {
      open = child.Read(static_cast<int>(give_up - NowMs()), &buffer);
      if (!TakeLines(&buffer, &ready, acks)) return false;
    }
    if (!open) {
      std::fprintf(stderr, "crash: the workload died before it was killed\n");
      return false;
    }
    child.Kill();
    // Whatever the workload wrote before it died is in the pipe: drain it to the end.
    while (child.Read(1'000, &buffer)) {
      if (!TakeLines(&buffer, &ready, acks)) return false;
    }
    const int status = child.Wait();
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
      std::fprintf(stderr, "crash: the workload ended with status %d, not by SIGKILL\n", status);
      return false;
    }
  }

  CycleReport& report = *report_out;
  report.acknowledged = acks->size() - acks_before;
  for (size_t i = acks_before; i < acks->size(); i++) report.acknowledged_ok += (*acks)[i].ok();
  if (!CheckRecoveredState(data_dir, *acks, &report)) return false;
  const std::string verify_log = data_dir + ".verify.txt";
  const int64_t verify_start = NowMs();
  const int verify_status = RunVerify(data_dir, verify_log);
  const int64_t verify_ms = NowMs() - verify_start;

  std::printf(
      "cycle %2d: killed after %4d ms; %6llu acknowledged (%llu ok); recovered in %lld "
      "ms from checkpoint %llu + %llu batches; %llu payment transfers; budget %lld; "
      "verify %s in %lld ms\n",
      cycle, run_ms, static_cast<unsigned long long>(report.acknowledged),
      static_cast<unsigned long long>(report.acknowledged_ok),
      static_cast<long long>(report.recovery_ms),
      static_cast<unsigned long long>(report.checkpoint_seq),
      static_cast<unsigned long long>(report.recovered_batches),
      static_cast<unsigned long long>(report.transfers),
      static_cast<long long>(report.budget_balance), verify_status == 0 ? "ok" : "FAILED",
      static_cast<long long>(verify_ms));
  std::fflush(stdout);
  bool ok = true;
  auto expect_zero = [&](uint64_t count, const char* what) {
    if (count == 0) return;
    std::fprintf(stderr, "crash: cycle %d: %llu %s\n", cycle,
                 static_cast<unsigned long long>(count), what);
    ok = false;
  };
  expect_zero(report.lost, "acknowledged payments lost or altered");
  expect_zero(report.failed_but_present, "acknowledged failed payments (partly) applied");
  expect_zero(report.half_applied, "half-applied payments");
  expect_zero(report.not_as_planned, "payment transfers differ from their plan");
  expect_zero(report.overdrafts, "no-overdraft accounts overdrawn");
  if (!report.invariant_violation.empty()) {
    std::fprintf(stderr, "crash: cycle %d: ledger invariant: %s\n", cycle,
                 report.invariant_violation.c_str());
    ok = false;
  }
  if (report.acknowledged == 0) {
    std::fprintf(stderr, "crash: cycle %d: nothing was acknowledged\n", cycle);
    ok = false;
  }
  if (verify_status != 0) {
    std::fprintf(stderr, "crash: cycle %d: qianbao verify exited with %d:\n", cycle, verify_status);
    PrintFile(verify_log);
    ok = false;
  }
  return ok;
}

int Main() {
  const int cycles = static_cast<int>(EnvOr("QB_CRASH_CYCLES", 12));
  const uint64_t seed = EnvOr("QB_CRASH_SEED", 1);
  std::filesystem::path base = std::filesystem::temp_directory_path();
  if (const char* dir = std::getenv("QB_CRASH_TMPDIR"); dir != nullptr && *dir != '\0') {
    base = dir;
  }
  const std::string data_dir =
      (base / ("qb-crash-" + std::to_string(::getpid()) + "-" + std::to_string(seed))).string();
  std::filesystem::remove_all(data_dir);
  std::printf("crash: %d kill -9 cycles on %s, QB_CRASH_SEED=%llu\n", cycles, data_dir.c_str(),
              static_cast<unsigned long long>(seed));
  std::fflush(stdout);

  std::vector<Ack> acks;
  uint64_t rng = seed;
  int passed = 0, failed = 0;
  const int64_t start_ms = NowMs();
  CycleReport last;
  uint64_t half_applied = 0;
  for (int cycle = 1; cycle <= cycles; cycle++) {
    last = CycleReport{};
    const bool ok = RunCycle(cycle, data_dir, seed, &rng, &acks, &last);
    half_applied = std::max(half_applied, last.half_applied);
    if (ok) {
      passed++;
    } else {
      failed++;
      break;  // Later cycles would only pile up on the first failure; keep the data dir.
    }
  }
  // Every cycle checks every acknowledgement so far: the last cycle's counts cover them all.
  uint64_t ok_payments = 0;
  for (const Ack& ack : acks) ok_payments += ack.ok();
  std::printf(
      "crash: %d kill -9 cycles, %llu acknowledged payments (%llu ok, %llu failed as a "
      "whole), %llu lost, %llu half-applied, in %.1f s\n",
      passed + failed, static_cast<unsigned long long>(acks.size()),
      static_cast<unsigned long long>(ok_payments),
      static_cast<unsigned long long>(acks.size() - ok_payments),
      static_cast<unsigned long long>(last.lost + last.failed_but_present),
      static_cast<unsigned long long>(half_applied), (NowMs() - start_ms) / 1e3);
  std::printf("%d passed, %d failed\n", passed, failed);
  if (failed == 0) {
    std::filesystem::remove_all(data_dir);
    std::filesystem::remove(data_dir + ".verify.txt");
  } else {
    std::printf("crash: data directory kept for inspection: %s\n", data_dir.c_str());
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace qb::crash

int main() { return qb::crash::Main(); }
