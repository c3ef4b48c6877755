// Regression tests for bugs the simulation found, reduced to the few commands that trigger them.
#include <gtest/gtest.h>

#include <limits>

#include "ledger/ledger.h"

namespace qb::sim {
namespace {

ledger::Account Account(uint64_t id) {
  ledger::Account a;
  a.id = id;
  a.ledger = ledger::kLedgerCny;
  a.kind = static_cast<uint16_t>(ledger::AccountKind::kSuspense);
  return a;
}

ledger::Transfer Transfer(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount) {
  ledger::Transfer t;
  t.id = id;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount = amount;
  t.ledger = ledger::kLedgerCny;
  t.code = 1;
  return t;
}

// Every account's totals fit in an int64, as the ledger guarantees, but their sum over the
// ledger does not. That is a sound ledger: the invariant check must not call it broken (it
// did, and so `qianbao verify` failed on a valid data directory).
TEST(InvariantsTest, LedgerTotalsBeyondInt64AreNotAViolation) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  ledger::Ledger ledger;
  std::vector<ledger::CreateAccountResult> account_results;
  const std::vector<ledger::Account> accounts = {Account(1), Account(2), Account(3), Account(4)};
  ledger.CreateAccounts(accounts, 1'000, &account_results);
  std::vector<ledger::CreateTransferResult> results;
  const std::vector<ledger::Transfer> transfers = {Transfer(1, 1, 2, kMax - 10),
                                                   Transfer(2, 3, 4, 100)};
  ledger.CreateTransfers(transfers, 2'000, &results);
  ASSERT_EQ(results[0], ledger::CreateTransferResult::kOk);
  ASSERT_EQ(results[1], ledger::CreateTransferResult::kOk);
  EXPECT_EQ(ledger.CheckInvariants(), std::nullopt);
}

}  // namespace
}  // namespace qb::sim
