// Small builders and a fixture shared by the ledger tests. Every helper fills in the fields a
// valid record needs, so a test only spells out what it is about.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <ostream>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/types.h"

namespace qb::ledger {

// Lets GoogleTest print result codes by name in failure messages.
inline void PrintTo(CreateAccountResult result, std::ostream* os) { *os << ResultName(result); }
inline void PrintTo(CreateTransferResult result, std::ostream* os) { *os << ResultName(result); }
inline void PrintTo(const Account& a, std::ostream* os) {
  *os << "{id " << a.id << ", debits " << a.debits_pending << "/" << a.debits_posted << ", credits "
      << a.credits_pending << "/" << a.credits_posted << ", flags " << a.flags << "}";
}

namespace testing {

inline constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kNsPerSecond = 1'000'000'000;
inline constexpr int64_t kStartNs = 1'700'000'000 * kNsPerSecond;
inline constexpr uint16_t kCodePayment = 1;

inline Account NewAccount(uint64_t id, uint16_t flags = 0, uint32_t ledger = kLedgerCny) {
  Account account;
  account.id = id;
  account.ledger = ledger;
  account.kind = static_cast<uint16_t>(AccountKind::kCustomerWallet);
  account.flags = flags;
  return account;
}

inline Transfer NewTransfer(uint64_t id, uint64_t debit_account_id, uint64_t credit_account_id,
                            int64_t amount, uint32_t ledger = kLedgerCny) {
  Transfer transfer;
  transfer.id = id;
  transfer.debit_account_id = debit_account_id;
  transfer.credit_account_id = credit_account_id;
  transfer.amount = amount;
  transfer.ledger = ledger;
  transfer.code = kCodePayment;
  return transfer;
}

inline Transfer NewPending(uint64_t id, uint64_t debit_account_id, uint64_t credit_account_id,
                           int64_t amount, uint32_t timeout_s = 0) {
  Transfer transfer = NewTransfer(id, debit_account_id, credit_account_id, amount);
  transfer.flags = transfer_flags::kPending;
  transfer.timeout_s = timeout_s;
  return transfer;
}

// Post and void name only the hold; the ledger fills in accounts, ledger and code from it.
inline Transfer NewPost(uint64_t id, uint64_t pending_id, int64_t amount = 0) {
  Transfer transfer;
  transfer.id = id;
  transfer.pending_id = pending_id;
  transfer.amount = amount;
  transfer.flags = transfer_flags::kPostPending;
  return transfer;
}

inline Transfer NewVoid(uint64_t id, uint64_t pending_id) {
  Transfer transfer = NewPost(id, pending_id);
  transfer.flags = transfer_flags::kVoidPending;
  return transfer;
}

inline Transfer Linked(Transfer transfer) {
  transfer.flags |= transfer_flags::kLinked;
  return transfer;
}

class LedgerTest : public ::testing::Test {
 protected:
  using AR = CreateAccountResult;
  using TR = CreateTransferResult;

  AR CreateAccount(const Account& account) {
    std::vector<AR> results;
    ledger_.CreateAccounts({&account, 1}, NextNow(), &results);
    return results.at(0);
  }

  // Creates accounts that must succeed: the usual setup of a test.
  void CreateAccounts(const std::vector<Account>& accounts) {
    for (const Account& account : accounts) ASSERT_EQ(CreateAccount(account), AR::kOk);
  }

  TR Submit(const Transfer& transfer) { return SubmitBatch({transfer}).at(0); }

  // Submits at a chosen batch time, e.g. just before or after a hold expires.
  TR SubmitAt(const Transfer& transfer, int64_t now_ns) {
    std::vector<TR> results;
    ledger_.CreateTransfers({&transfer, 1}, now_ns, &results);
    return results.at(0);
  }

  std::vector<TR> SubmitBatch(const std::vector<Transfer>& transfers) {
    std::vector<TR> results;
    ledger_.CreateTransfers(transfers, NextNow(), &results);
    return results;
  }

  // A copy, so a test can compare the account before and after a call.
  Account GetAccount(uint64_t id) const {
    const Account* account = ledger_.FindAccount(id);
    EXPECT_NE(account, nullptr) << "account " << id;
    return account == nullptr ? Account{} : *account;
  }

  // Every call happens one second after the previous one unless a test moves the clock.
  int64_t NextNow() {
    now_ns_ += kNsPerSecond;
    return now_ns_;
  }

  Ledger ledger_;
  int64_t now_ns_ = kStartNs;
};

}  // namespace testing
}  // namespace qb::ledger
