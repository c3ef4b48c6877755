// The engine runtime: commands execute and are read back, replies wait for durability, the
// queue pushes back when full, bad commands never reach the journal, and a failed journal
// write stops the engine from acknowledging anything else.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "engine_test_util.h"

namespace qb::engine {
namespace {

using namespace std::chrono_literals;
using testing::Accounts;
using testing::Clearing;
using testing::ControlledStore;
using testing::EngineTest;
using testing::Move;
using testing::ReplySlot;
using testing::Transfers;
using testing::Wallet;

using RuntimeTest = EngineTest;

TEST_F(RuntimeTest, ExecutesAccountsAndTransfersAndQueriesSeeThem) {
  OpenEngine();
  Reply accounts = ExecOk(Accounts({Clearing(1), Wallet(2)}));
  EXPECT_EQ(accounts.results.size(), 2u);
  EXPECT_EQ(accounts.journal_seq, 1u);
  EXPECT_EQ(accounts.batch_time_ns, testing::kStartNs);
  clock_.Advance(5 * testing::kNsPerMs);
  Reply transfer = ExecOk(Transfers({Move(10, 1, 2, 2'500)}));
  EXPECT_EQ(transfer.journal_seq, 2u);
  EXPECT_EQ(transfer.batch_time_ns, testing::kStartNs + 5 * testing::kNsPerMs);

  const auto wallet = FindAccount(2);
  ASSERT_TRUE(wallet.has_value());
  EXPECT_EQ(wallet->credits_posted, 2'500);
  EXPECT_EQ(FindAccount(1)->debits_posted, 2'500);
  EXPECT_FALSE(FindAccount(3).has_value());

  // A refused item is still an executed, journaled command with its result code.
  Reply overdraft = engine_->Execute(Transfers({Move(11, 2, 1, 2'501)}));
  ASSERT_EQ(overdraft.status, ReplyStatus::kOk);
  EXPECT_EQ(overdraft.results[0],
            static_cast<uint8_t>(ledger::CreateTransferResult::kExceedsCredits));
  EXPECT_EQ(FindAccount(2)->credits_posted - FindAccount(2)->debits_posted, 2'500);
  EXPECT_EQ(LastJournalSeq(), 3u);
  const EngineStats stats = engine_->stats();
  EXPECT_EQ(stats.executed_seq, 3u);
  EXPECT_EQ(stats.durable_seq, 3u);
  EXPECT_FALSE(stats.failed);
}

TEST_F(RuntimeTest, BatchTimeNeverGoesBackwards) {
  OpenEngine();
  clock_.Advance(10 * testing::kNsPerMs);
  const Reply first = ExecOk(Accounts({Clearing(1)}));
  clock_.Set(testing::kStartNs);  // The wall clock stepped back.
  const Reply second = ExecOk(Accounts({Clearing(2)}));
  EXPECT_GE(second.batch_time_ns, first.batch_time_ns);
  EXPECT_GT(FindAccount(2)->timestamp_ns, FindAccount(1)->timestamp_ns);
}

TEST_F(RuntimeTest, RepliesLeaveOnlyAfterTheBatchIsDurable) {
  OpenEngine();
  store_->append_gate().Close();
  ReplySlot command, query;
  uint64_t durable_seq_seen_by_callback = 0;
  engine_->Submit(Accounts({Clearing(1)}), [&, cb = command.Callback()](Reply&& reply) mutable {
    EXPECT_TRUE(store_->inner()->LastJournalSeq(&durable_seq_seen_by_callback).ok());
    cb(std::move(reply));
  });
  ASSERT_TRUE(store_->append_gate().WaitForArrivals(1));
  // A query behind it is answered only once everything before it is durable.
  engine_->Submit(engine::Query{[](const StateMachine&) {}}, query.Callback());
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(command.Arrived());
  EXPECT_FALSE(query.Arrived());
  EXPECT_EQ(LastJournalSeq(), 0u);
  EXPECT_EQ(engine_->stats().executed_seq, 1u);  // Executed in memory, not yet durable.
  EXPECT_EQ(engine_->stats().durable_seq, 0u);

  store_->append_gate().Open();
  const Reply reply = command.Get();
  EXPECT_EQ(reply.status, ReplyStatus::kOk);
  EXPECT_GE(durable_seq_seen_by_callback, reply.journal_seq);
  EXPECT_EQ(query.Get().status, ReplyStatus::kOk);
  EXPECT_NE(command.delivered_on_thread(), std::this_thread::get_id());
}

TEST_F(RuntimeTest, RepliesKeepSubmissionOrder) {
  OpenEngine();
  ExecOk(Accounts({Clearing(1), Wallet(2)}));
  std::mutex mutex;
  std::vector<std::pair<uint64_t, uint64_t>> delivered;  // (transfer id, journal seq)
  std::vector<ReplySlot> slots(200);
  for (uint64_t i = 0; i < slots.size(); i++) {
    engine_->Submit(Transfers({Move(1000 + i, 1, 2, 1)}),
                    [&, i, cb = slots[i].Callback()](Reply&& reply) mutable {
                      {
                        std::lock_guard lock(mutex);
                        delivered.emplace_back(i, reply.journal_seq);
                      }
                      cb(std::move(reply));
                    });
  }
  for (ReplySlot& slot : slots) EXPECT_EQ(slot.Get().status, ReplyStatus::kOk);
  ASSERT_EQ(delivered.size(), slots.size());
  for (size_t i = 0; i < delivered.size(); i++) {
    EXPECT_EQ(delivered[i].first, i);
    if (i > 0) {
      EXPECT_GE(delivered[i].second, delivered[i - 1].second);
    }
  }
  EXPECT_EQ(FindAccount(2)->credits_posted, 200);
}

TEST_F(RuntimeTest, FullQueueAnswersOverloadedAtOnce) {
  EngineOptions options;
  options.queue_capacity = 1;
  options.max_batches_in_flight = 1;
  OpenEngine(options);
  store_->append_gate().Close();
  ReplySlot first, second, third;
  engine_->Submit(Accounts({Clearing(1)}), first.Callback());
  ASSERT_TRUE(store_->append_gate().WaitForArrivals(1));  // Batch 1 is stuck in the journal.
  engine_->Submit(Accounts({Clearing(2)}), second.Callback());
  // The engine thread takes it and waits for room in flight; the queue is empty again.
  for (int i = 0; i < 1000 && engine_->stats().queue_depth != 0; i++) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(engine_->stats().queue_depth, 0u);
  engine_->Submit(Accounts({Clearing(3)}), third.Callback());  // Fills the queue.
  ASSERT_EQ(engine_->stats().queue_depth, 1u);

  ReplySlot refused;
  engine_->Submit(Accounts({Clearing(4)}), refused.Callback());
  ASSERT_TRUE(refused.Arrived()) << "overload must be answered before Submit returns";
  EXPECT_EQ(refused.Get().status, ReplyStatus::kOverloaded);
  EXPECT_EQ(refused.delivered_on_thread(), std::this_thread::get_id());
  EXPECT_FALSE(first.Arrived());

  store_->append_gate().Open();
  for (ReplySlot* slot : {&first, &second, &third}) {
    EXPECT_EQ(slot->Get().status, ReplyStatus::kOk);
  }
  EXPECT_TRUE(FindAccount(3).has_value());
  EXPECT_FALSE(FindAccount(4).has_value());
}

TEST_F(RuntimeTest, InvalidCommandsAreRefusedAndNeverJournaled) {
  OpenEngine();
  std::vector<Command> invalid;
  invalid.push_back(CreateTransfers{});
  invalid.push_back(CreateAccounts{});
  CreateAccounts too_many;
  for (uint64_t id = 1; id <= kMaxItemsPerCommand + 1; id++) {
    too_many.accounts.push_back(Clearing(id));
  }
  invalid.push_back(std::move(too_many));
  invalid.push_back(engine::Query{});  // No read function.
  for (Command& command : invalid) {
    ReplySlot slot;
    engine_->Submit(std::move(command), slot.Callback());
    ASSERT_TRUE(slot.Arrived());
    EXPECT_EQ(slot.Get().status, ReplyStatus::kInvalidCommand);
  }
  EXPECT_EQ(engine_->stats().executed_seq, 0u);
  EXPECT_EQ(LastJournalSeq(), 0u);
  EXPECT_FALSE(FindAccount(1).has_value());
  // The limit itself is fine.
  CreateAccounts at_limit;
  for (uint64_t id = 1; id <= kMaxItemsPerCommand; id++) at_limit.accounts.push_back(Clearing(id));
  ExecOk(std::move(at_limit));
}

TEST_F(RuntimeTest, FailedAppendFailsTheCommandAndEverythingAfter) {
  OpenEngine();
  ExecOk(Accounts({Clearing(1)}));
  store_->set_append_failure(ControlledStore::AppendFailure::kBeforeWriting);
  EXPECT_EQ(engine_->Execute(Accounts({Clearing(2)})).status, ReplyStatus::kStoreFailed);
  EXPECT_TRUE(engine_->stats().failed);
  store_->set_append_failure(ControlledStore::AppendFailure::kNone);  // The disk is back...
  ReplySlot later;
  engine_->Submit(Accounts({Clearing(3)}), later.Callback());
  ASSERT_TRUE(later.Arrived()) << "a failed engine refuses at once";
  EXPECT_EQ(later.Get().status, ReplyStatus::kStoreFailed);  // ...but memory may be ahead.
  EXPECT_EQ(engine_->Execute(engine::Query{[](const StateMachine&) {}}).status,
            ReplyStatus::kStoreFailed);
  StopEngine();
  std::vector<uint64_t> checkpoints;
  ASSERT_TRUE(store_->ListCheckpoints(10, &checkpoints).ok());
  EXPECT_TRUE(checkpoints.empty()) << "no checkpoint of a state that is not on disk";

  // Recovery decides: the failed command never reached the disk, so it is gone.
  OpenEngine();
  EXPECT_TRUE(FindAccount(1).has_value());
  EXPECT_FALSE(FindAccount(2).has_value());
  EXPECT_FALSE(FindAccount(3).has_value());
  ExecOk(Accounts({Clearing(2)}));
}

TEST_F(RuntimeTest, CommandWrittenDespiteAFailedAppendIsKeptWholeByRecovery) {
  OpenEngine();
  store_->set_append_failure(ControlledStore::AppendFailure::kAfterWriting);
  EXPECT_EQ(engine_->Execute(Accounts({Clearing(1), Clearing(2)})).status,
            ReplyStatus::kStoreFailed);
  store_->set_append_failure(ControlledStore::AppendFailure::kNone);
  StopEngine();
  OpenEngine();
  EXPECT_TRUE(FindAccount(1).has_value());
  EXPECT_TRUE(FindAccount(2).has_value());
  EXPECT_EQ(engine_->recovery_report().records_replayed, 1u);
}

TEST_F(RuntimeTest, StoppedEngineAnswersShuttingDown) {
  OpenEngine();
  ExecOk(Accounts({Clearing(1)}));
  engine_->Stop();
  engine_->Stop();  // Idempotent.
  ReplySlot slot;
  engine_->Submit(Accounts({Clearing(2)}), slot.Callback());
  ASSERT_TRUE(slot.Arrived());
  EXPECT_EQ(slot.Get().status, ReplyStatus::kShuttingDown);
}

TEST_F(RuntimeTest, StopFinishesEverythingQueued) {
  OpenEngine();
  ExecOk(Accounts({Clearing(1), Wallet(2)}));
  std::vector<ReplySlot> slots(50);
  for (uint64_t i = 0; i < slots.size(); i++) {
    engine_->Submit(Transfers({Move(100 + i, 1, 2, 1)}), slots[i].Callback());
  }
  engine_->Stop();
  for (ReplySlot& slot : slots) EXPECT_EQ(slot.Get().status, ReplyStatus::kOk);
  StopEngine();
  OpenEngine();
  EXPECT_EQ(FindAccount(2)->credits_posted, 50);
}

TEST_F(RuntimeTest, ConcurrentSubmittersAllSucceed) {
  OpenEngine();
  ExecOk(Accounts({Clearing(1), Wallet(2), Wallet(3), Wallet(4), Wallet(5)}));
  constexpr uint64_t kPerThread = 100;
  std::vector<std::thread> threads;
  for (uint64_t t = 0; t < 4; t++) {
    threads.emplace_back([&, t] {
      uint64_t last_seq = 0;
      for (uint64_t i = 0; i < kPerThread; i++) {
        Reply reply = engine_->Execute(Transfers({Move(10'000 * (t + 1) + i, 1, 2 + t, 3)}));
        EXPECT_EQ(reply.status, ReplyStatus::kOk);
        EXPECT_GT(reply.journal_seq, last_seq);
        last_seq = reply.journal_seq;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (uint64_t id = 2; id <= 5; id++) EXPECT_EQ(FindAccount(id)->credits_posted, 3 * 100);
  EXPECT_EQ(FindAccount(1)->debits_posted, 4 * 3 * 100);
  EXPECT_EQ(engine_->stats().commands_executed, 1 + 4 * kPerThread + 5);  // 5 queries.
}

}  // namespace
}  // namespace qb::engine
