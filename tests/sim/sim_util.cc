#include "sim_util.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "engine/state_machine.h"
#include "workload.h"

namespace qb::sim {

TempDir::TempDir(const std::string& name) {
  std::filesystem::path base;
  if (const char* dir = std::getenv("QB_SIM_TMPDIR"); dir != nullptr && *dir != '\0') {
    base = dir;
  } else if (std::error_code error;
             std::filesystem::is_directory("/dev/shm", error) && access("/dev/shm", W_OK) == 0) {
    base = "/dev/shm";
  } else {
    base = std::filesystem::temp_directory_path();
  }
  path_ = (base / ("qb-" + std::to_string(getpid()) + "-" + name)).string();
  std::filesystem::remove_all(path_);
}

TempDir::~TempDir() {
  std::error_code error;
  std::filesystem::remove_all(path_, error);
}

std::optional<uint64_t> SingleSeedFromEnvironment() {
  const char* seed = std::getenv("QB_SIM_SEED");
  if (seed == nullptr || *seed == '\0') return std::nullopt;
  return std::strtoull(seed, nullptr, 10);
}

std::vector<uint64_t> SeedsFromEnvironment(uint64_t default_count) {
  if (auto seed = SingleSeedFromEnvironment()) return {*seed};
  uint64_t count = default_count;
  if (const char* seeds = std::getenv("QB_SIM_SEEDS"); seeds != nullptr && *seeds != '\0') {
    count = std::strtoull(seeds, nullptr, 10);
  }
  std::vector<uint64_t> result;
  for (uint64_t seed = 1; seed <= count; seed++) result.push_back(seed);
  return result;
}

std::string ResultCensus::Describe() const {
  return "transfers ok " + std::to_string(transfers_ok) + ", distinct transfer failures " +
         std::to_string(distinct_transfer_failures) + ", distinct account results " +
         std::to_string(distinct_account_results) + ", failed chains " +
         std::to_string(linked_chains_failed) + ", expired holds " +
         std::to_string(pendings_expired) + ", closed accounts " + std::to_string(accounts_closed) +
         ", customers " + std::to_string(customers_registered) + ", p2p ok " +
         std::to_string(p2p_ok) + ", distinct p2p results " + std::to_string(distinct_p2p_results) +
         ", identities verified " + std::to_string(identities_verified) + ", cards bound " +
         std::to_string(cards_bound) + ", holds settled " + std::to_string(holds_settled) +
         ", merchant payments ok " + std::to_string(merchant_payments_ok) +
         ", distinct payment results " + std::to_string(distinct_payment_results) +
         ", refunds ok " + std::to_string(refunds_ok);
}

ResultCensus CountResults(uint64_t seed, size_t command_count) {
  constexpr int64_t kBatchStepNs = 3'000'000'000;
  constexpr size_t kBatchCommands = 5;
  const std::vector<engine::Command> commands = GenerateWorkload(seed, command_count);
  engine::StateMachine state;
  ResultCensus census;
  std::set<uint8_t> transfer_failures, account_results, p2p_results, payment_results;
  int64_t now_ns = 1'700'000'000'000'000'000;
  std::vector<uint64_t> holds;
  for (size_t start = 0; start < commands.size(); start += kBatchCommands) {
    state.BeginBatch(now_ns += kBatchStepNs, nullptr);
    for (size_t i = start; i < std::min(commands.size(), start + kBatchCommands); i++) {
      const engine::Reply reply = state.Apply(commands[i]);
      if (const auto* c = std::get_if<engine::CreateTransfers>(&commands[i])) {
        for (size_t j = 0; j < reply.results.size(); j++) {
          const auto result = static_cast<ledger::CreateTransferResult>(reply.results[j]);
          if (result == ledger::CreateTransferResult::kOk) {
            census.transfers_ok++;
            if (c->transfers[j].flags & ledger::transfer_flags::kPending) {
              holds.push_back(c->transfers[j].id);
            }
          } else {
            transfer_failures.insert(reply.results[j]);
          }
          if (result == ledger::CreateTransferResult::kLinkedEventFailed) {
            census.linked_chains_failed++;
          }
        }
      } else if (std::holds_alternative<engine::CreateAccounts>(commands[i])) {
        account_results.insert(reply.results.begin(), reply.results.end());
      } else if (std::holds_alternative<engine::CloseAccount>(commands[i])) {
        census.accounts_closed += reply.results[0];
      } else if (std::holds_alternative<engine::RegisterCustomer>(commands[i])) {
        census.customers_registered += reply.results[0] == 0;
      } else if (std::holds_alternative<engine::P2PTransfer>(commands[i])) {
        census.p2p_ok += reply.results[0] == 0;
        p2p_results.insert(reply.results[0]);
      } else if (std::holds_alternative<engine::VerifyIdentity>(commands[i])) {
        census.identities_verified += reply.results[0] == 0;
      } else if (std::holds_alternative<engine::BindCard>(commands[i])) {
        census.cards_bound += reply.results[0] == 0;
      } else if (std::holds_alternative<engine::SettleHold>(commands[i])) {
        census.holds_settled += reply.results[0] == 0;
      } else if (std::holds_alternative<engine::Pay>(commands[i])) {
        census.merchant_payments_ok += reply.results[0] == 0;
        payment_results.insert(reply.results[0]);
      } else if (std::holds_alternative<engine::Refund>(commands[i])) {
        census.refunds_ok += reply.results[0] == 0;
      }
    }
    state.EndBatch();
  }
  for (uint64_t id : holds) {
    census.pendings_expired +=
        state.ledger().FindPendingStatus(id) == ledger::PendingStatus::kExpired;
  }
  census.distinct_transfer_failures = transfer_failures.size();
  census.distinct_account_results = account_results.size();
  census.distinct_p2p_results = p2p_results.size();
  census.distinct_payment_results = payment_results.size();
  return census;
}

}  // namespace qb::sim
