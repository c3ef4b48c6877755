// The read models: projections upsert accounts and insert transfers idempotently, and an
// account's history pages newest first over both its debit and credit sides.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "store_test_util.h"

namespace qb {
namespace {

using testing::MakeAccount;
using testing::MakeTransfer;
using testing::StoreTest;

class ReadModelTest : public StoreTest {
 protected:
  // The ledger part of a projection, which most tests need alone.
  struct LedgerChanges {
    uint64_t last_seq = 0;
    std::vector<ledger::Account> accounts;
    std::vector<ledger::Transfer> transfers;
  };
  void Apply(const LedgerChanges& changes) {
    Projection projection;
    projection.last_seq = changes.last_seq;
    projection.accounts = changes.accounts;
    projection.transfers = changes.transfers;
    ApplyFull(projection);
  }
  void ApplyFull(const Projection& projection) {
    Status s = store_->ApplyProjection(projection);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  uint64_t ProjectedSeq() {
    uint64_t seq = 999;
    EXPECT_TRUE(store_->ProjectedSeq(&seq).ok());
    return seq;
  }

  std::optional<ledger::Account> Account(uint64_t id) {
    std::optional<ledger::Account> account;
    EXPECT_TRUE(store_->ReadAccount(id, &account).ok());
    return account;
  }

  std::pair<uint64_t, uint64_t> Counts() {
    uint64_t accounts = 999, transfers = 999;
    EXPECT_TRUE(store_->CountReadModel(&accounts, &transfers).ok());
    return {accounts, transfers};
  }

  // Pages through an account's history, checking each page's shape; returns the transfers in
  // the order served and the size of each page.
  std::vector<ledger::Transfer> AllPages(uint64_t account_id, size_t limit,
                                         std::vector<size_t>* page_sizes) {
    std::vector<ledger::Transfer> all;
    std::optional<int64_t> cursor;
    for (int pages = 0; pages < 1000; pages++) {
      TransferPage page;
      EXPECT_TRUE(store_->ListAccountTransfers(account_id, cursor, limit, &page).ok());
      EXPECT_LE(page.transfers.size(), limit);
      page_sizes->push_back(page.transfers.size());
      all.insert(all.end(), page.transfers.begin(), page.transfers.end());
      if (!page.next_cursor) return all;
      EXPECT_EQ(*page.next_cursor, page.transfers.back().timestamp_ns);
      cursor = page.next_cursor;
    }
    ADD_FAILURE() << "pagination does not end";
    return all;
  }
};

TEST_F(ReadModelTest, NewStoreHasEmptyReadModels) {
  EXPECT_EQ(ProjectedSeq(), 0u);
  EXPECT_FALSE(Account(1).has_value());
  EXPECT_EQ(Counts(), std::make_pair(uint64_t{0}, uint64_t{0}));
}

TEST_F(ReadModelTest, AccountsAreUpsertedAndTheLaterStateWins) {
  Apply({1, {MakeAccount(1), MakeAccount(2)}, {}});
  EXPECT_EQ(Account(1), MakeAccount(1));
  Apply({2, {MakeAccount(1, 500)}, {}});
  EXPECT_EQ(Account(1), MakeAccount(1, 500));
  EXPECT_EQ(Account(2), MakeAccount(2));
  // Within one projection too, the last state listed wins.
  Apply({3, {MakeAccount(2, 1), MakeAccount(2, 2)}, {}});
  EXPECT_EQ(Account(2), MakeAccount(2, 2));
  EXPECT_EQ(Counts().first, 2u);
}

TEST_F(ReadModelTest, AccountFieldsSurviveIncludingExtremes) {
  ledger::Account a = MakeAccount(UINT64_MAX - 1);
  a.user_data = UINT64_MAX;
  a.debits_pending = INT64_MAX;
  a.debits_posted = INT64_MIN;
  a.flags = ledger::account_flags::kAll;
  Apply({1, {a}, {}});
  Reopen();
  EXPECT_EQ(Account(a.id), a);
}

TEST_F(ReadModelTest, TransfersAreInsertedOnce) {
  const ledger::Transfer t = MakeTransfer(10, 1, 2, 1000);
  Apply({1, {}, {t, t}});
  Apply({2, {}, {t}});
  ledger::Transfer changed = t;  // Transfers are immutable: a replay never rewrites one.
  changed.amount = 1;
  Apply({3, {}, {changed}});
  EXPECT_EQ(Counts().second, 1u);
  TransferPage page;
  ASSERT_TRUE(store_->ListAccountTransfers(1, std::nullopt, 10, &page).ok());
  ASSERT_EQ(page.transfers.size(), 1u);
  EXPECT_EQ(page.transfers[0], t);
}

TEST_F(ReadModelTest, ProjectedSeqAdvancesAndSurvivesReopen) {
  Apply({5, {MakeAccount(1)}, {}});
  EXPECT_EQ(ProjectedSeq(), 5u);
  Apply({9, {}, {}});
  EXPECT_EQ(ProjectedSeq(), 9u);
  Reopen();
  EXPECT_EQ(ProjectedSeq(), 9u);
  EXPECT_EQ(Account(1), MakeAccount(1));
}

// Account 1 is debited by even ids and credited by odd ids; 2 and 3 also trade between
// themselves, which must never show up in account 1's history.
Projection History(size_t transfers_of_account_one) {
  Projection p;
  p.last_seq = 1;
  p.accounts = {MakeAccount(1), MakeAccount(2), MakeAccount(3)};
  for (uint64_t i = 1; i <= transfers_of_account_one; i++) {
    const int64_t ts = 1'000'000 + static_cast<int64_t>(i) * 10;
    p.transfers.push_back(i % 2 == 0 ? MakeTransfer(i, 1, 2, ts) : MakeTransfer(i, 3, 1, ts));
    p.transfers.push_back(MakeTransfer(100'000 + i, 2, 3, ts + 1));
  }
  // Inserted shuffled: the order must come from the timestamps.
  std::reverse(p.transfers.begin(), p.transfers.begin() + p.transfers.size() / 2);
  return p;
}

void ExpectNewestFirstAndComplete(const std::vector<ledger::Transfer>& served, size_t total) {
  std::set<uint64_t> ids;
  for (size_t i = 0; i < served.size(); i++) {
    EXPECT_TRUE(served[i].debit_account_id == 1 || served[i].credit_account_id == 1);
    if (i > 0) {
      EXPECT_GT(served[i - 1].timestamp_ns, served[i].timestamp_ns) << "at " << i;
    }
    EXPECT_TRUE(ids.insert(served[i].id).second) << "duplicate " << served[i].id;
  }
  EXPECT_EQ(served.size(), total);
  for (uint64_t id = 1; id <= total; id++) EXPECT_TRUE(ids.count(id)) << "missing " << id;
}

TEST_F(ReadModelTest, HistoryPagesCoverBothSidesWithoutGapsOrDuplicates) {
  ApplyFull(History(25));
  std::vector<size_t> sizes;
  const auto served = AllPages(1, 7, &sizes);
  ExpectNewestFirstAndComplete(served, 25);
  EXPECT_EQ(sizes, (std::vector<size_t>{7, 7, 7, 4}));
  EXPECT_EQ(served.front().id, 25u);  // The newest.
}

TEST_F(ReadModelTest, HistoryOfExactMultipleOfTheLimitEndsWithoutAnEmptyPage) {
  ApplyFull(History(21));
  std::vector<size_t> sizes;
  ExpectNewestFirstAndComplete(AllPages(1, 7, &sizes), 21);
  EXPECT_EQ(sizes, (std::vector<size_t>{7, 7, 7}));
}

TEST_F(ReadModelTest, HistoryInOnePageAndOfUnknownAccount) {
  ApplyFull(History(5));
  std::vector<size_t> sizes;
  ExpectNewestFirstAndComplete(AllPages(1, 100, &sizes), 5);
  EXPECT_EQ(sizes, (std::vector<size_t>{5}));
  TransferPage page;
  ASSERT_TRUE(store_->ListAccountTransfers(42, std::nullopt, 10, &page).ok());
  EXPECT_TRUE(page.transfers.empty());
  EXPECT_FALSE(page.next_cursor.has_value());
}

TEST_F(ReadModelTest, CursorSkipsTransfersAtOrAfterIt) {
  ApplyFull(History(10));
  TransferPage page;
  // Transfer 4 is at 1'000'040: the cursor excludes it and everything newer.
  ASSERT_TRUE(store_->ListAccountTransfers(1, 1'000'040, 2, &page).ok());
  ASSERT_EQ(page.transfers.size(), 2u);
  EXPECT_EQ(page.transfers[0].id, 3u);
  EXPECT_EQ(page.transfers[1].id, 2u);
  ASSERT_TRUE(page.next_cursor.has_value());
}

// A zero limit asks for nothing: no rows, and, if there are any, a cursor that resumes where
// the caller was.
TEST_F(ReadModelTest, ZeroLimitServesAnEmptyPage) {
  ApplyFull(History(3));
  TransferPage page;
  ASSERT_TRUE(store_->ListAccountTransfers(1, std::nullopt, 0, &page).ok());
  EXPECT_TRUE(page.transfers.empty());
  ASSERT_TRUE(store_->ListAccountTransfers(1, 1'000'020, 0, &page).ok());
  EXPECT_TRUE(page.transfers.empty());
  EXPECT_EQ(page.next_cursor, std::optional<int64_t>(1'000'020));
  ASSERT_TRUE(store_->ListAccountTransfers(1, 1'000'010, 0, &page).ok());
  EXPECT_FALSE(page.next_cursor.has_value());  // Nothing before the first transfer.
}

TEST_F(ReadModelTest, ForEachProjectedAccountVisitsEveryAccount) {
  ApplyFull(History(2));
  std::set<uint64_t> ids;
  ASSERT_TRUE(store_
                  ->ForEachProjectedAccount([&](const ledger::Account& a) {
                    EXPECT_EQ(a, MakeAccount(a.id));
                    ids.insert(a.id);
                  })
                  .ok());
  EXPECT_EQ(ids, (std::set<uint64_t>{1, 2, 3}));
}

TEST_F(ReadModelTest, ResetClearsEverythingAndProjectionStartsOver) {
  ApplyFull(History(4));
  ASSERT_TRUE(store_->ResetReadModels().ok());
  EXPECT_EQ(ProjectedSeq(), 0u);
  EXPECT_EQ(Counts(), std::make_pair(uint64_t{0}, uint64_t{0}));
  EXPECT_FALSE(Account(1).has_value());
  ApplyFull(History(4));
  EXPECT_EQ(Counts(), std::make_pair(uint64_t{3}, uint64_t{8}));
  EXPECT_EQ(ProjectedSeq(), 1u);
  ASSERT_TRUE(store_->ResetReadModels().ok());
  Reopen();
  EXPECT_EQ(Counts(), std::make_pair(uint64_t{0}, uint64_t{0}));
}

TEST_F(ReadModelTest, ResetLeavesTheJournalAndCheckpointsAlone) {
  ASSERT_TRUE(store_->AppendJournal(std::vector<JournalRecord>{{1, "r"}}).ok());
  ASSERT_TRUE(store_->WriteCheckpoint(1, "c").ok());
  ApplyFull(History(1));
  ASSERT_TRUE(store_->ResetReadModels().ok());
  uint64_t last = 0;
  ASSERT_TRUE(store_->LastJournalSeq(&last).ok());
  EXPECT_EQ(last, 1u);
  CheckpointInfo info;
  EXPECT_TRUE(store_->ReadCheckpoint(1, &info).ok());
}

}  // namespace
}  // namespace qb
