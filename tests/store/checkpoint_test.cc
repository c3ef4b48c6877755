// Checkpoint storage: large states split into chunks come back byte for byte, only the newest
// few are kept, and a checkpoint rewritten at the same seq replaces the old one completely.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store_test_util.h"

namespace qb {
namespace {

using testing::StoreTest;

constexpr size_t kMiB = 1 << 20;

// Deterministic bytes that differ at every position a chunk boundary could fall on.
std::string Blob(size_t size, uint32_t seed) {
  std::string out(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < size; i++) {
    x = x * 1664525u + 1013904223u;
    out[i] = static_cast<char>(x >> 24);
  }
  return out;
}

class CheckpointTest : public StoreTest {
 protected:
  std::vector<uint64_t> List(size_t limit = 100) {
    std::vector<uint64_t> seqs{999};
    Status s = store_->ListCheckpoints(limit, &seqs);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return seqs;
  }

  void ExpectCheckpoint(uint64_t seq, const std::string& bytes) {
    CheckpointInfo info;
    Status s = store_->ReadCheckpoint(seq, &info);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(info.seq, seq);
    ASSERT_EQ(info.state_bytes.size(), bytes.size());
    EXPECT_TRUE(info.state_bytes == bytes) << "checkpoint " << seq << " differs";
  }

  int64_t ChunkRows(uint64_t seq) {
    return QueryInt("journal.db",
                    "SELECT COUNT(*) FROM checkpoint_chunks WHERE seq = " + std::to_string(seq));
  }
};

TEST_F(CheckpointTest, NoCheckpointsInANewStore) {
  EXPECT_TRUE(List().empty());
  CheckpointInfo info;
  EXPECT_EQ(store_->ReadCheckpoint(1, &info).code(), Status::Code::kNotFound);
}

TEST_F(CheckpointTest, LargeStateRoundTripsAcrossSeveralChunks) {
  const std::string state = Blob(20 * kMiB + 12345, 1);  // Three 8 MiB chunks, the last short.
  ASSERT_TRUE(store_->WriteCheckpoint(7, state).ok());
  EXPECT_EQ(ChunkRows(7), 3);
  ExpectCheckpoint(7, state);
  Reopen();
  ExpectCheckpoint(7, state);
}

TEST_F(CheckpointTest, ExactMultipleOfTheChunkSizeRoundTrips) {
  const std::string state = Blob(16 * kMiB, 2);
  ASSERT_TRUE(store_->WriteCheckpoint(3, state).ok());
  EXPECT_EQ(ChunkRows(3), 2);
  ExpectCheckpoint(3, state);
}

TEST_F(CheckpointTest, EmptyStateRoundTrips) {
  ASSERT_TRUE(store_->WriteCheckpoint(1, "").ok());
  ExpectCheckpoint(1, "");
}

TEST_F(CheckpointTest, ListIsNewestFirstAndHonoursTheLimit) {
  for (uint64_t seq : {20, 10, 30}) ASSERT_TRUE(store_->WriteCheckpoint(seq, "s").ok());
  EXPECT_EQ(List(), (std::vector<uint64_t>{30, 20, 10}));
  EXPECT_EQ(List(2), (std::vector<uint64_t>{30, 20}));
  EXPECT_EQ(List(1), (std::vector<uint64_t>{30}));
}

TEST_F(CheckpointTest, OnlyTheNewestThreeAreKept) {
  for (uint64_t seq : {5, 1, 3, 2, 4, 6}) {
    ASSERT_TRUE(store_->WriteCheckpoint(seq, Blob(100, static_cast<uint32_t>(seq))).ok());
  }
  EXPECT_EQ(List(), (std::vector<uint64_t>{6, 5, 4}));
  CheckpointInfo info;
  for (uint64_t seq : {1, 2, 3}) {
    EXPECT_EQ(store_->ReadCheckpoint(seq, &info).code(), Status::Code::kNotFound) << seq;
    EXPECT_EQ(ChunkRows(seq), 0) << "chunks of pruned checkpoint " << seq << " remain";
  }
  for (uint64_t seq : {4, 5, 6}) ExpectCheckpoint(seq, Blob(100, static_cast<uint32_t>(seq)));
  // An older checkpoint written late is pruned at once.
  ASSERT_TRUE(store_->WriteCheckpoint(2, "late").ok());
  EXPECT_EQ(List(), (std::vector<uint64_t>{6, 5, 4}));
}

TEST_F(CheckpointTest, PruningDropsLargeChunkedCheckpoints) {
  const std::string big = Blob(9 * kMiB, 3);
  for (uint64_t seq = 1; seq <= 4; seq++) ASSERT_TRUE(store_->WriteCheckpoint(seq, big).ok());
  EXPECT_EQ(QueryInt("journal.db", "SELECT COUNT(*) FROM checkpoint_chunks"), 3 * 2);
  ExpectCheckpoint(4, big);
}

TEST_F(CheckpointTest, UnknownSeqIsNotFound) {
  ASSERT_TRUE(store_->WriteCheckpoint(10, "state").ok());
  CheckpointInfo info;
  EXPECT_EQ(store_->ReadCheckpoint(11, &info).code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->ReadCheckpoint(0, &info).code(), Status::Code::kNotFound);
}

TEST_F(CheckpointTest, RewriteAtTheSameSeqReplacesTheWholeCheckpoint) {
  ASSERT_TRUE(store_->WriteCheckpoint(5, Blob(17 * kMiB, 4)).ok());  // Three chunks.
  const std::string smaller = Blob(1000, 5);
  ASSERT_TRUE(store_->WriteCheckpoint(5, smaller).ok());  // One chunk.
  EXPECT_EQ(List(), (std::vector<uint64_t>{5}));
  ExpectCheckpoint(5, smaller);
  EXPECT_EQ(ChunkRows(5), 1);
}

}  // namespace
}  // namespace qb
