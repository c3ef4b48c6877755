// ReadJournal over a real SQLite store: the hash chain is checked end to end, a torn last
// record is dropped (and truncated on request), and any damage before the end is corruption.
#include "journal/reader.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "journal_test_util.h"
#include "store/sqlite/sqlite_store.h"

namespace qb::journal {
namespace {

using testing::ChainBuilder;
using testing::FlipBit;

class ReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(OpenSqliteStore(dir_.path(), &store_).ok()); }

  void Append(const std::vector<JournalRecord>& records) {
    ASSERT_TRUE(store_->AppendJournal(records).ok());
  }

  uint64_t LastSeq() {
    uint64_t seq = 99;
    EXPECT_TRUE(store_->LastJournalSeq(&seq).ok());
    return seq;
  }

  // Reads from `start`, remembering the seqs and headers visited.
  Status Read(ChainPosition start, bool truncate_torn_tail) {
    visited_.clear();
    return ReadJournal(
        store_.get(), start, truncate_torn_tail,
        [&](const BatchHeader& header, std::string_view payload) {
          EXPECT_EQ(payload, testing::PayloadFor(header.seq));
          EXPECT_EQ(header.batch_time_ns, testing::kBaseTimeNs + static_cast<int64_t>(header.seq));
          visited_.push_back(header.seq);
          return Status::Ok();
        },
        &report_);
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<uint64_t> visited_;
  ReadReport report_;
};

TEST_F(ReaderTest, EmptyJournalReadsNothing) {
  ASSERT_TRUE(Read({}, true).ok());
  EXPECT_TRUE(visited_.empty());
  EXPECT_EQ(report_.records_read, 0u);
  EXPECT_EQ(report_.end.last_seq, 0u);
  EXPECT_FALSE(report_.dropped_torn_tail);
}

TEST_F(ReaderTest, IntactChainIsReadFullyInOrder) {
  const auto records = ChainBuilder().Build(5);
  Append(records);
  ASSERT_TRUE(Read({}, true).ok());
  EXPECT_EQ(visited_, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(report_.records_read, 5u);
  EXPECT_FALSE(report_.dropped_torn_tail);
  EXPECT_EQ(report_.end.last_seq, 5u);
  EXPECT_EQ(report_.end.last_hash, RecordHash(records.back().bytes));
}

TEST_F(ReaderTest, StartsFromAPositionInTheMiddle) {
  const auto records = ChainBuilder().Build(5);
  Append(records);
  ASSERT_TRUE(Read({2, RecordHash(records[1].bytes)}, false).ok());
  EXPECT_EQ(visited_, (std::vector<uint64_t>{3, 4, 5}));
  EXPECT_EQ(report_.records_read, 3u);
  EXPECT_EQ(report_.end.last_seq, 5u);
  // Starting at the end reads nothing and keeps the position.
  const ChainPosition end = report_.end;
  ASSERT_TRUE(Read(end, false).ok());
  EXPECT_TRUE(visited_.empty());
  EXPECT_EQ(report_.end.last_hash, end.last_hash);
}

TEST_F(ReaderTest, StartPositionWithTheWrongHashIsCorruption) {
  const auto records = ChainBuilder().Build(3);
  Append(records);
  Status s = Read({1, RecordHash(records[1].bytes)}, false);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_TRUE(visited_.empty());
}

TEST_F(ReaderTest, TornLastRecordIsReportedAndKeptWithoutTruncate) {
  auto records = ChainBuilder().Build(4);
  records[3].bytes.resize(records[3].bytes.size() / 2);
  Append(records);
  ASSERT_TRUE(Read({}, false).ok());
  EXPECT_EQ(visited_, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_TRUE(report_.dropped_torn_tail);
  EXPECT_EQ(report_.end.last_seq, 3u);
  EXPECT_EQ(report_.end.last_hash, RecordHash(records[2].bytes));
  EXPECT_EQ(LastSeq(), 4u);
}

TEST_F(ReaderTest, TornLastRecordIsRemovedWithTruncate) {
  auto records = ChainBuilder().Build(4);
  FlipBit(&records[3].bytes, records[3].bytes.size() - 1);  // Bad checksum.
  Append(records);
  ASSERT_TRUE(Read({}, true).ok());
  EXPECT_TRUE(report_.dropped_torn_tail);
  EXPECT_EQ(report_.records_read, 3u);
  EXPECT_EQ(LastSeq(), 3u);
  // Gone for good: a second read finds a clean journal.
  ASSERT_TRUE(Read({}, true).ok());
  EXPECT_FALSE(report_.dropped_torn_tail);
  EXPECT_EQ(report_.records_read, 3u);
}

TEST_F(ReaderTest, TornOnlyRecordLeavesAnEmptyJournal) {
  auto records = ChainBuilder().Build(1);
  records[0].bytes.resize(10);  // Torn mid-header.
  Append(records);
  ASSERT_TRUE(Read({}, true).ok());
  EXPECT_TRUE(report_.dropped_torn_tail);
  EXPECT_EQ(report_.records_read, 0u);
  EXPECT_EQ(LastSeq(), 0u);
}

TEST_F(ReaderTest, CorruptRecordFollowedByAnotherIsCorruption) {
  auto records = ChainBuilder().Build(5);
  FlipBit(&records[2].bytes, kHeaderBytes + 1);  // Record 3's payload.
  Append(records);
  Status s = Read({}, true);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("record 3"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("bad_checksum"), std::string::npos) << s.message();
  EXPECT_EQ(visited_, (std::vector<uint64_t>{1, 2}));
  EXPECT_FALSE(report_.dropped_torn_tail);
  EXPECT_EQ(LastSeq(), 5u);  // Corruption is never "repaired" by truncation.
}

TEST_F(ReaderTest, TruncatedRecordFollowedByAnotherIsCorruption) {
  auto records = ChainBuilder().Build(3);
  records[1].bytes.resize(kHeaderBytes + 2);
  Append(records);
  Status s = Read({}, true);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("truncated"), std::string::npos) << s.message();
  EXPECT_EQ(LastSeq(), 3u);
}

TEST_F(ReaderTest, WrongPrevHashBreaksTheChain) {
  ChainBuilder builder;
  builder.Build(2);
  const Digest wrong = HashBytes("not the previous record");
  builder.Next(&wrong);  // A well-formed record 3 with a valid CRC but the wrong link.
  builder.Next();
  Append(builder.records());
  Status s = Read({}, true);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("chain broken at record 3"), std::string::npos) << s.message();
  EXPECT_EQ(visited_, (std::vector<uint64_t>{1, 2}));
}

TEST_F(ReaderTest, ReplacedRecordBreaksTheChainAfterIt) {
  auto records = ChainBuilder().Build(4);
  // Record 2 rewritten with a different time but a correct link and CRC: record 3 no longer
  // links to it.
  BatchHeader header{2, 12345, 1, RecordHash(records[0].bytes)};
  records[1].bytes.clear();
  EncodeRecord(header, testing::PayloadFor(2), &records[1].bytes);
  Append(records);
  visited_.clear();
  Status s = ReadJournal(
      store_.get(), {}, true,
      [&](const BatchHeader& h, std::string_view) {
        visited_.push_back(h.seq);
        return Status::Ok();
      },
      &report_);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("record 3"), std::string::npos) << s.message();
  EXPECT_EQ(visited_, (std::vector<uint64_t>{1, 2}));
}

TEST_F(ReaderTest, HeaderSeqDifferentFromTheStoredSeqIsCorruption) {
  const auto records = ChainBuilder().Build(2);
  // Correctly linked to record 2 and stored as row 3, but its header claims seq 4.
  JournalRecord mislabeled;
  mislabeled.seq = 3;
  EncodeRecord(BatchHeader{4, testing::kBaseTimeNs + 4, 1, RecordHash(records[1].bytes)},
               testing::PayloadFor(4), &mislabeled.bytes);
  Append(records);
  Append({mislabeled});
  Status s = Read({}, false);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_EQ(visited_, (std::vector<uint64_t>{1, 2}));
}

TEST_F(ReaderTest, GapInSeqIsCorruption) {
  auto records = ChainBuilder().Build(4);
  Append({records[0], records[1], records[3]});
  Status s = Read({}, true);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("gap before record 4"), std::string::npos) << s.message();
  EXPECT_EQ(visited_, (std::vector<uint64_t>{1, 2}));
}

TEST_F(ReaderTest, MissingFirstRecordIsAGap) {
  auto records = ChainBuilder().Build(3);
  Append({records[1], records[2]});
  EXPECT_EQ(Read({}, true).code(), Status::Code::kCorruption);
  EXPECT_TRUE(visited_.empty());
}

TEST_F(ReaderTest, VisitorFailureStopsTheReadAndIsReturned) {
  Append(ChainBuilder().Build(4));
  visited_.clear();
  Status s = ReadJournal(
      store_.get(), {}, true,
      [&](const BatchHeader& header, std::string_view) {
        visited_.push_back(header.seq);
        return header.seq == 2 ? Status::InvalidArgument("stop here") : Status::Ok();
      },
      &report_);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(visited_, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(report_.records_read, 1u);
  EXPECT_EQ(report_.end.last_seq, 1u);
}

}  // namespace
}  // namespace qb::journal
