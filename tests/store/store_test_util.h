// Helpers shared by the store tests: a temporary data directory with a SQLite store in it, and
// a direct SQL probe for facts the Store interface does not expose (schema versions, chunks).
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "ledger/types.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace qb::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  // Closes the store (if open) and opens it again on the same directory.
  void Reopen() {
    store_.reset();
    Status s = OpenSqliteStore(dir_.path(), &store_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Runs a single-value query straight against one of the store's database files.
  int64_t QueryInt(const std::string& file, const std::string& sql) {
    sqlite3* db = nullptr;
    int64_t value = -1;
    if (sqlite3_open_v2((dir_.path() + "/" + file).c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) ==
        SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        value = sqlite3_column_int64(stmt, 0);
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    EXPECT_NE(value, -1) << "query failed: " << sql;
    return value;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

inline ledger::Account MakeAccount(uint64_t id, int64_t credits_posted = 0) {
  ledger::Account a;
  a.id = id;
  a.ledger = ledger::kLedgerCny;
  a.kind = static_cast<uint16_t>(ledger::AccountKind::kCustomerWallet);
  a.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  a.user_data = id * 7;
  a.credits_posted = credits_posted;
  a.timestamp_ns = static_cast<int64_t>(id) * 1000;
  return a;
}

inline ledger::Transfer MakeTransfer(uint64_t id, uint64_t debit, uint64_t credit,
                                     int64_t timestamp_ns, int64_t amount = 100) {
  ledger::Transfer t;
  t.id = id;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount = amount;
  t.ledger = ledger::kLedgerCny;
  t.code = 1;
  t.user_data = id + 1;
  t.timestamp_ns = timestamp_ns;
  return t;
}

}  // namespace qb::testing
