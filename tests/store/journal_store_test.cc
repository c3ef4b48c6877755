// The SQLite store's journal: durable across reopen, appends all-or-nothing, reads in order
// with early stop, truncation of a tail, and migrations that apply once.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sql_dialect.h"
#include "store_test_util.h"

namespace qb {
namespace {

using testing::StoreTest;

std::vector<JournalRecord> Records(uint64_t first_seq, uint64_t last_seq) {
  std::vector<JournalRecord> records;
  for (uint64_t seq = first_seq; seq <= last_seq; seq++) {
    // Binary bytes with zeroes inside, different for every record.
    records.push_back({seq, std::string("rec\0", 4) + std::to_string(seq) + "\xff"});
  }
  return records;
}

class JournalStoreTest : public StoreTest {
 protected:
  uint64_t LastSeq() {
    uint64_t seq = 12345;
    Status s = store_->LastJournalSeq(&seq);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return seq;
  }

  // Every record from `from_seq` on, as (seq, bytes).
  std::vector<JournalRecord> ReadAll(uint64_t from_seq = 1) {
    std::vector<JournalRecord> out;
    Status s = store_->ReadJournal(from_seq, [&](uint64_t seq, std::string_view bytes) {
      out.push_back({seq, std::string(bytes)});
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
};

void ExpectSameRecords(const std::vector<JournalRecord>& actual,
                       const std::vector<JournalRecord>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); i++) {
    EXPECT_EQ(actual[i].seq, expected[i].seq);
    EXPECT_EQ(actual[i].bytes, expected[i].bytes) << "seq " << expected[i].seq;
  }
}

TEST_F(JournalStoreTest, EmptyJournal) {
  EXPECT_EQ(LastSeq(), 0u);
  EXPECT_TRUE(ReadAll().empty());
}

TEST_F(JournalStoreTest, AppendedRecordsSurviveReopen) {
  ASSERT_TRUE(store_->AppendJournal(Records(1, 3)).ok());
  ASSERT_TRUE(store_->AppendJournal(Records(4, 5)).ok());
  Reopen();
  EXPECT_EQ(LastSeq(), 5u);
  ExpectSameRecords(ReadAll(), Records(1, 5));
  ASSERT_TRUE(store_->AppendJournal(Records(6, 6)).ok());
  EXPECT_EQ(LastSeq(), 6u);
}

TEST_F(JournalStoreTest, MigrationsApplyOnceAcrossReopens) {
  ASSERT_TRUE(store_->AppendJournal(Records(1, 2)).ok());
  Reopen();
  Reopen();
  std::unique_ptr<Store> second;  // A second handle on the same directory also opens.
  ASSERT_TRUE(OpenSqliteStore(dir_.path(), &second).ok());
  second.reset();
  EXPECT_EQ(QueryInt("journal.db", "SELECT COUNT(*) FROM schema_version"), 1);
  EXPECT_EQ(QueryInt("readmodel.db", "SELECT COUNT(*) FROM schema_version"),
            static_cast<int64_t>(sql::ReadModelMigrations(sql::Dialect::kSqlite).size()));
  EXPECT_EQ(QueryInt("readmodel.db", "SELECT COUNT(*) FROM projector_state"), 1);
  ExpectSameRecords(ReadAll(), Records(1, 2));
}

TEST_F(JournalStoreTest, AppendIsAllOrNothing) {
  ASSERT_TRUE(store_->AppendJournal(Records(1, 2)).ok());
  // 3 and 4 are new, 2 is a duplicate: the whole batch must be refused.
  std::vector<JournalRecord> batch = Records(3, 4);
  batch.push_back(Records(2, 2)[0]);
  batch.push_back(Records(5, 5)[0]);
  EXPECT_FALSE(store_->AppendJournal(batch).ok());
  EXPECT_EQ(LastSeq(), 2u);
  ExpectSameRecords(ReadAll(), Records(1, 2));
  // The failure left nothing half-open: the next append works.
  ASSERT_TRUE(store_->AppendJournal(Records(3, 4)).ok());
  ExpectSameRecords(ReadAll(), Records(1, 4));
  Reopen();
  ExpectSameRecords(ReadAll(), Records(1, 4));
}

TEST_F(JournalStoreTest, DuplicateWithinOneBatchIsRefused) {
  std::vector<JournalRecord> batch = Records(1, 3);
  batch.push_back(Records(1, 1)[0]);
  EXPECT_FALSE(store_->AppendJournal(batch).ok());
  EXPECT_EQ(LastSeq(), 0u);
}

TEST_F(JournalStoreTest, EmptyAppendIsANoOp) {
  EXPECT_TRUE(store_->AppendJournal({}).ok());
  EXPECT_EQ(LastSeq(), 0u);
}

TEST_F(JournalStoreTest, ReadsInSeqOrderFromTheGivenSeq) {
  // Appended out of order: reads still come back ordered by seq.
  ASSERT_TRUE(store_->AppendJournal(Records(6, 10)).ok());
  ASSERT_TRUE(store_->AppendJournal(Records(1, 5)).ok());
  ExpectSameRecords(ReadAll(), Records(1, 10));
  ExpectSameRecords(ReadAll(7), Records(7, 10));
  EXPECT_TRUE(ReadAll(11).empty());
}

TEST_F(JournalStoreTest, ReadStopsWhenTheVisitorSaysSo) {
  ASSERT_TRUE(store_->AppendJournal(Records(1, 10)).ok());
  std::vector<uint64_t> seen;
  ASSERT_TRUE(store_
                  ->ReadJournal(2,
                                [&](uint64_t seq, std::string_view) {
                                  seen.push_back(seq);
                                  return seen.size() < 3;
                                })
                  .ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{2, 3, 4}));
  // A stopped read leaves the store usable.
  ASSERT_TRUE(store_->AppendJournal(Records(11, 11)).ok());
  EXPECT_EQ(LastSeq(), 11u);
}

TEST_F(JournalStoreTest, TruncateRemovesTheTail) {
  ASSERT_TRUE(store_->AppendJournal(Records(1, 5)).ok());
  ASSERT_TRUE(store_->TruncateJournal(4).ok());
  EXPECT_EQ(LastSeq(), 3u);
  ExpectSameRecords(ReadAll(), Records(1, 3));
  // Truncating past the end changes nothing; the removed seqs can be appended again.
  ASSERT_TRUE(store_->TruncateJournal(100).ok());
  EXPECT_EQ(LastSeq(), 3u);
  ASSERT_TRUE(store_->AppendJournal(Records(4, 4)).ok());
  Reopen();
  ExpectSameRecords(ReadAll(), Records(1, 4));
  ASSERT_TRUE(store_->TruncateJournal(1).ok());
  EXPECT_EQ(LastSeq(), 0u);
}

TEST_F(JournalStoreTest, LargeRecordRoundTrips) {
  std::string big(3 << 20, '\0');
  for (size_t i = 0; i < big.size(); i++) big[i] = static_cast<char>(i * 131 + 7);
  ASSERT_TRUE(store_->AppendJournal(std::vector<JournalRecord>{{1, big}}).ok());
  Reopen();
  ExpectSameRecords(ReadAll(), {{1, big}});
}

}  // namespace
}  // namespace qb
