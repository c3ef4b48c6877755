// Restart and recovery through the engine: the same state hash with or without checkpoints, a
// corrupt checkpoint passed over, a torn tail dropped, and pending transfers expiring by the
// batch clock the same way live and on replay.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/checkpoint.h"
#include "engine_test_util.h"
#include "journal/record.h"

namespace qb::engine {
namespace {

using testing::Accounts;
using testing::Clearing;
using testing::EngineTest;
using testing::Hold;
using testing::kNsPerMs;
using testing::Move;
using testing::Transfers;
using testing::Wallet;

constexpr int64_t kNsPerSecond = 1'000'000'000;

EngineOptions Checkpointing(bool on_stop, uint64_t every_commands) {
  EngineOptions options;
  options.checkpoint_on_stop = on_stop;
  options.checkpoint_every_commands = every_commands;
  return options;
}

std::vector<uint64_t> Checkpoints(Store* store) {
  std::vector<uint64_t> seqs;
  EXPECT_TRUE(store->ListCheckpoints(10, &seqs).ok());
  return seqs;
}

using RestartTest = EngineTest;

TEST_F(RestartTest, WithoutCheckpointTheWholeJournalIsReplayed) {
  OpenEngine(Checkpointing(false, 0));
  const uint64_t records = RunWorkload();
  ASSERT_EQ(records, 5u);
  const Digest hash = Hash();
  Restart();
  EXPECT_TRUE(Checkpoints(store_.get()).empty());
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, 0u);
  EXPECT_EQ(engine_->recovery_report().records_replayed, records);
  EXPECT_EQ(engine_->recovery_report().end.last_seq, records);
  EXPECT_EQ(Hash(), hash);
  EXPECT_EQ(FindAccount(4)->credits_pending, 300);
  // The chain continues where it ended.
  EXPECT_EQ(ExecOk(Accounts({Wallet(9)})).journal_seq, records + 1);
  Restart();
  EXPECT_EQ(engine_->recovery_report().records_replayed, records + 1);
}

TEST_F(RestartTest, CheckpointOnStopLeavesNothingToReplay) {
  OpenEngine(Checkpointing(true, 0));
  const uint64_t records = RunWorkload();
  const Digest hash = Hash();
  Restart();
  EXPECT_EQ(Checkpoints(store_.get()), (std::vector<uint64_t>{records}));
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, records);
  EXPECT_EQ(engine_->recovery_report().records_replayed, 0u);
  EXPECT_EQ(Hash(), hash);
  // Nothing new: the next stop writes no second checkpoint.
  Restart();
  EXPECT_EQ(Checkpoints(store_.get()), (std::vector<uint64_t>{records}));
  EXPECT_EQ(Hash(), hash);
}

TEST_F(RestartTest, PeriodicCheckpointsLeaveOnlyTheTailToReplay) {
  OpenEngine(Checkpointing(false, 3));
  for (uint64_t id = 1; id <= 10; id++) ExecOk(Accounts({Wallet(id)}));  // One batch each.
  const Digest hash = Hash();
  StopEngine();
  EXPECT_EQ(Checkpoints(store_.get()), (std::vector<uint64_t>{9, 6, 3}));
  OpenStore();
  OpenEngine(Checkpointing(false, 3));
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, 9u);
  EXPECT_EQ(engine_->recovery_report().records_replayed, 1u);
  EXPECT_EQ(engine_->recovery_report().checkpoints_rejected, 0u);
  EXPECT_EQ(Hash(), hash);
}

TEST_F(RestartTest, CorruptNewerCheckpointsArePassedOver) {
  OpenEngine(Checkpointing(false, 4));
  for (uint64_t id = 1; id <= 10; id++) ExecOk(Accounts({Wallet(id)}));
  const Digest hash = Hash();
  StopEngine();
  ASSERT_EQ(Checkpoints(store_.get()), (std::vector<uint64_t>{8, 4}));

  // Seq 9: checkpoint 8's bytes with one byte of its state hash changed. Seq 10: 9 MiB of
  // garbage in two chunks.
  CheckpointInfo good;
  ASSERT_TRUE(store_->ReadCheckpoint(8, &good).ok());
  std::string tampered = good.state_bytes;
  tampered[4 + 8 + 32] ^= 0x01;
  ASSERT_TRUE(store_->WriteCheckpoint(9, tampered).ok());
  std::string garbage(9 << 20, '\0');
  for (size_t i = 0; i < garbage.size(); i++) garbage[i] = static_cast<char>(i * 7919 >> 3);
  ASSERT_TRUE(store_->WriteCheckpoint(10, garbage).ok());

  OpenEngine(Checkpointing(true, 0));
  EXPECT_EQ(engine_->recovery_report().checkpoints_rejected, 2u);
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, 8u);
  EXPECT_EQ(engine_->recovery_report().records_replayed, 2u);
  EXPECT_EQ(Hash(), hash);

  // Stopping writes a good checkpoint at 10 over the garbage, and the next start uses it.
  Restart();
  EXPECT_EQ(engine_->recovery_report().checkpoints_rejected, 0u);
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, 10u);
  EXPECT_EQ(engine_->recovery_report().records_replayed, 0u);
  EXPECT_EQ(Hash(), hash);
}

TEST_F(RestartTest, CheckpointEncodingRestoresTheSameState) {
  OpenEngine(Checkpointing(true, 0));
  RunWorkload();
  const Digest hash = Hash();
  StopEngine();
  CheckpointInfo info;
  ASSERT_TRUE(store_->ReadCheckpoint(5, &info).ok());
  StateMachine restored;
  journal::ChainPosition position;
  Digest restored_hash{};
  ASSERT_TRUE(DecodeCheckpoint(info.state_bytes, &restored, &position, &restored_hash).ok());
  EXPECT_EQ(position.last_seq, 5u);
  EXPECT_EQ(restored_hash, hash);
  EXPECT_EQ(restored.StateHash(), hash);
  StateMachine scratch;
  EXPECT_FALSE(
      DecodeCheckpoint(info.state_bytes.substr(0, 50), &scratch, &position, &restored_hash).ok());
}

TEST_F(RestartTest, TornTailIsDroppedAndTheChainContinues) {
  OpenEngine(Checkpointing(false, 0));
  const uint64_t records = RunWorkload();
  const Digest hash = Hash();
  StopEngine();
  // A half-written record after the last acknowledged one, as a crash mid-append leaves.
  std::string torn;
  journal::EncodeRecord({records + 1, testing::kStartNs, 1, {}}, std::string(80, 'x'), &torn);
  torn.resize(torn.size() / 2);
  ASSERT_TRUE(store_->AppendJournal(std::vector<JournalRecord>{{records + 1, torn}}).ok());

  OpenEngine(Checkpointing(false, 0));
  EXPECT_TRUE(engine_->recovery_report().dropped_torn_tail);
  EXPECT_EQ(LastJournalSeq(), records);
  EXPECT_EQ(Hash(), hash);
  EXPECT_EQ(ExecOk(Accounts({Wallet(50)})).journal_seq, records + 1);
  Restart();
  EXPECT_FALSE(engine_->recovery_report().dropped_torn_tail);
  EXPECT_EQ(engine_->recovery_report().records_replayed, records + 1);
  EXPECT_TRUE(FindAccount(50).has_value());
}

TEST_F(RestartTest, CorruptionBeforeTheEndRefusesToOpen) {
  OpenEngine(Checkpointing(false, 0));
  RunWorkload();
  StopEngine();
  // Rewrite record 2 with a flipped payload bit, records 3.. still after it.
  std::string bytes;
  ASSERT_TRUE(store_
                  ->ReadJournal(2,
                                [&](uint64_t, std::string_view b) {
                                  bytes = std::string(b);
                                  return false;
                                })
                  .ok());
  bytes[journal::kHeaderBytes + 1] ^= 0x10;
  ASSERT_TRUE(store_->TruncateJournal(2).ok());
  ASSERT_TRUE(store_->AppendJournal(std::vector<JournalRecord>{{2, bytes}}).ok());
  ASSERT_TRUE(store_->AppendJournal(std::vector<JournalRecord>{{3, bytes}}).ok());
  Status s = TryOpenEngine(Checkpointing(false, 0));
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_FALSE(engine_);
}

TEST_F(RestartTest, ExpiryLimitPerBatchIsReplayedTheSameWay) {
  OpenEngine(Checkpointing(false, 0));
  ExecOk(Accounts({Clearing(1), Wallet(2)}));
  ExecOk(Transfers({Move(10, 1, 2, 1'000'000)}));
  // Two more holds than one batch may expire, oldest first by id within the same deadline.
  const uint64_t holds = engine::kMaxExpirationsPerBatch + 2;
  const uint64_t first_hold = 100;
  for (uint64_t start = 0; start < holds; start += 5'000) {
    engine::CreateTransfers batch;
    for (uint64_t i = start; i < std::min(holds, start + 5'000); i++) {
      batch.transfers.push_back(Hold(first_hold + i, 2, 1, 10, 1));
    }
    ExecOk(std::move(batch));
  }
  clock_.Advance(2 * kNsPerSecond);
  ExecOk(Accounts({Clearing(3)}));
  EXPECT_EQ(FindAccount(2)->debits_pending, 20);
  EXPECT_EQ(PendingStatus(first_hold + holds - 1), ledger::PendingStatus::kPending);
  const Digest hash = Hash();
  Restart();
  EXPECT_EQ(Hash(), hash);
  EXPECT_EQ(FindAccount(2)->debits_pending, 20);
  ExecOk(Accounts({Clearing(4)}));
  EXPECT_EQ(PendingStatus(first_hold + holds - 1), ledger::PendingStatus::kExpired);
  EXPECT_EQ(FindAccount(2)->debits_pending, 0);
}

class ExpiryTest : public EngineTest, public ::testing::WithParamInterface<bool> {};

TEST_P(ExpiryTest, PendingTransferExpiresOnALaterBatchAndStaysExpired) {
  const bool checkpoint = GetParam();
  OpenEngine(Checkpointing(checkpoint, 0));
  ExecOk(Accounts({Clearing(1), Wallet(2)}));
  ExecOk(Transfers({Move(10, 1, 2, 100)}));
  ExecOk(Transfers({Hold(20, 2, 1, 30, /*timeout_s=*/1)}));
  EXPECT_EQ(FindAccount(2)->debits_pending, 30);

  clock_.Advance(500 * kNsPerMs);
  ExecOk(Accounts({Clearing(3)}));
  EXPECT_EQ(PendingStatus(20), ledger::PendingStatus::kPending);
  clock_.Advance(600 * kNsPerMs);
  // Past the deadline, but only a journaled batch moves the engine's time.
  EXPECT_EQ(PendingStatus(20), ledger::PendingStatus::kPending);
  ExecOk(Accounts({Clearing(4)}));
  EXPECT_EQ(PendingStatus(20), ledger::PendingStatus::kExpired);
  EXPECT_EQ(FindAccount(2)->debits_pending, 0);
  EXPECT_EQ(FindAccount(1)->credits_pending, 0);
  EXPECT_EQ(FindAccount(2)->debits_posted, 0);
  const Digest hash = Hash();

  // Restart with the clock far ahead: replay expires at the journaled batch times, not now.
  clock_.Advance(3600 * kNsPerSecond);
  Restart();
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, checkpoint ? 5u : 0u);
  EXPECT_EQ(engine_->recovery_report().records_replayed, checkpoint ? 0u : 5u);
  EXPECT_EQ(Hash(), hash);
  EXPECT_EQ(PendingStatus(20), ledger::PendingStatus::kExpired);
  ledger::Transfer post = Move(21, 0, 0, 0);
  post.flags = ledger::transfer_flags::kPostPending;
  post.pending_id = 20;
  post.ledger = 0;
  post.code = 0;
  Reply reply = engine_->Execute(Transfers({post}));
  ASSERT_EQ(reply.status, ReplyStatus::kOk);
  EXPECT_EQ(reply.results[0],
            static_cast<uint8_t>(ledger::CreateTransferResult::kPendingTransferExpired));
}

TEST_P(ExpiryTest, HoldPostedBeforeItsDeadlineDoesNotExpire) {
  OpenEngine(Checkpointing(GetParam(), 0));
  ExecOk(Accounts({Clearing(1), Wallet(2)}));
  ExecOk(Transfers({Move(10, 1, 2, 100), Hold(20, 2, 1, 30, 1)}));
  ledger::Transfer post = Move(21, 2, 1, 30);
  post.flags = ledger::transfer_flags::kPostPending;
  post.pending_id = 20;
  ExecOk(Transfers({post}));
  clock_.Advance(2 * kNsPerSecond);
  ExecOk(Accounts({Clearing(3)}));
  EXPECT_EQ(PendingStatus(20), ledger::PendingStatus::kPosted);
  const Digest hash = Hash();
  Restart();
  EXPECT_EQ(PendingStatus(20), ledger::PendingStatus::kPosted);
  EXPECT_EQ(FindAccount(2)->debits_posted, 30);
  EXPECT_EQ(Hash(), hash);
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutCheckpoint, ExpiryTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Checkpoint" : "Replay"; });

}  // namespace
}  // namespace qb::engine
