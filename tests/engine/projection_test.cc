// The read models the engine feeds through the projector: after Stop they match the engine,
// they can be thrown away and rebuilt from the journal, and Stop drains every projection.
#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "engine_test_util.h"

namespace qb::engine {
namespace {

using namespace std::chrono_literals;
using testing::Accounts;
using testing::Clearing;
using testing::EngineTest;
using testing::Hold;
using testing::kNsPerMs;
using testing::Move;
using testing::ReplySlot;
using testing::Transfers;
using testing::Wallet;

class ProjectionTest : public EngineTest {
 protected:
  std::optional<ledger::Account> ProjectedAccount(uint64_t id) {
    std::optional<ledger::Account> account;
    EXPECT_TRUE(store_->ReadAccount(id, &account).ok());
    return account;
  }

  uint64_t ProjectedSeq() {
    uint64_t seq = 0;
    EXPECT_TRUE(store_->ProjectedSeq(&seq).ok());
    return seq;
  }

  std::set<uint64_t> ProjectedTransferIds(uint64_t account_id) {
    TransferPage page;
    EXPECT_TRUE(store_->ListAccountTransfers(account_id, std::nullopt, 1000, &page).ok());
    EXPECT_FALSE(page.next_cursor.has_value());
    std::set<uint64_t> ids;
    for (const ledger::Transfer& t : page.transfers) ids.insert(t.id);
    return ids;
  }

  // The engine's accounts 1..4, read through queries while it runs.
  std::vector<ledger::Account> EngineAccounts() {
    std::vector<ledger::Account> accounts;
    for (uint64_t id = 1; id <= 4; id++) accounts.push_back(*FindAccount(id));
    return accounts;
  }

  void ExpectReadModelsEqual(const std::vector<ledger::Account>& accounts) {
    for (const ledger::Account& account : accounts) {
      EXPECT_EQ(ProjectedAccount(account.id), account) << "account " << account.id;
    }
    // The workload's transfers, by account; 106 was refused and is nowhere.
    EXPECT_EQ(ProjectedTransferIds(1), (std::set<uint64_t>{101, 102}));
    EXPECT_EQ(ProjectedTransferIds(2), (std::set<uint64_t>{101, 103, 105}));
    EXPECT_EQ(ProjectedTransferIds(3), (std::set<uint64_t>{102, 103, 104}));
    EXPECT_EQ(ProjectedTransferIds(4), (std::set<uint64_t>{104, 105}));
    uint64_t account_count = 0, transfer_count = 0;
    ASSERT_TRUE(store_->CountReadModel(&account_count, &transfer_count).ok());
    EXPECT_EQ(account_count, 4u);
    EXPECT_EQ(transfer_count, 5u);
  }
};

TEST_F(ProjectionTest, ReadModelsMatchTheEngineAfterStop) {
  OpenEngine();
  const uint64_t records = RunWorkload();
  const auto accounts = EngineAccounts();
  StopEngine();
  EXPECT_EQ(ProjectedSeq(), records);
  ExpectReadModelsEqual(accounts);
}

TEST_F(ProjectionTest, ReadModelsMatchWithoutACheckpointOnStop) {
  EngineOptions options;
  options.checkpoint_on_stop = false;  // Stop then has no checkpoint to wait for.
  OpenEngine(options);
  const uint64_t records = RunWorkload();
  const auto accounts = EngineAccounts();
  StopEngine();
  EXPECT_EQ(ProjectedSeq(), records);
  ExpectReadModelsEqual(accounts);
}

TEST_F(ProjectionTest, DeletedReadModelsAreRebuiltFromGenesis) {
  OpenEngine();
  const uint64_t records = RunWorkload();
  const auto accounts = EngineAccounts();
  const Digest hash = Hash();
  StopEngine();
  std::vector<uint64_t> checkpoints;
  ASSERT_TRUE(store_->ListCheckpoints(10, &checkpoints).ok());
  ASSERT_EQ(checkpoints, (std::vector<uint64_t>{records}));

  ASSERT_TRUE(store_->ResetReadModels().ok());
  OpenStore();
  OpenEngine();
  // The checkpoint is ahead of the read models, so recovery starts from genesis to feed them.
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, 0u);
  EXPECT_EQ(engine_->recovery_report().records_replayed, records);
  EXPECT_EQ(Hash(), hash);
  EXPECT_EQ(ProjectedSeq(), records);  // Re-projected before the engine started.
  StopEngine();
  ExpectReadModelsEqual(accounts);

  // With the read models caught up, the checkpoint is used again.
  OpenEngine();
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, records);
  EXPECT_EQ(engine_->recovery_report().records_replayed, 0u);
}

TEST_F(ProjectionTest, WithoutProjectionTheReadModelsAreLeftAlone) {
  EngineOptions options;
  options.project = false;
  OpenEngine(options);
  const uint64_t records = RunWorkload();
  StopEngine();
  EXPECT_EQ(ProjectedSeq(), 0u);
  EXPECT_FALSE(ProjectedAccount(1).has_value());
  // Turning projection on later catches up from the journal.
  OpenEngine();
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, 0u);
  EXPECT_EQ(ProjectedSeq(), records);
  EXPECT_TRUE(ProjectedAccount(4).has_value());
}

TEST_F(ProjectionTest, ExpiryReachesTheReadModels) {
  OpenEngine();
  ExecOk(Accounts({Clearing(1), Wallet(2)}));
  ExecOk(Transfers({Move(10, 1, 2, 100), Hold(20, 2, 1, 30, 1)}));
  StopEngine();
  EXPECT_EQ(ProjectedAccount(2)->debits_pending, 30);
  OpenEngine();
  clock_.Advance(1500 * kNsPerMs);
  ExecOk(Accounts({Clearing(3)}));  // Its batch voids the expired hold.
  const auto wallet = FindAccount(2);
  const auto clearing = FindAccount(1);
  StopEngine();
  EXPECT_EQ(ProjectedAccount(2), wallet);
  EXPECT_EQ(ProjectedAccount(2)->debits_pending, 0);
  EXPECT_EQ(ProjectedAccount(1), clearing);
}

// Stop must not let the projector quit while the journal thread still has batches to hand
// it: here the projector is busy with batch 1 and the journal thread is still writing batch 2
// when Stop begins.
TEST_F(ProjectionTest, StopDrainsProjectionsOfBatchesStillBeingWritten) {
  EngineOptions options;
  options.checkpoint_on_stop = false;
  OpenEngine(options);
  store_->projection_gate().Close();
  ExecOk(Accounts({Clearing(1)}));
  ASSERT_TRUE(store_->projection_gate().WaitForArrivals(1));
  store_->append_gate().Close();
  ReplySlot second;
  engine_->Submit(Accounts({Clearing(2)}), second.Callback());
  ASSERT_TRUE(store_->append_gate().WaitForArrivals(2));

  std::thread stopper([&] { engine_->Stop(); });
  std::this_thread::sleep_for(200ms);  // Stop is now waiting for the journal thread.
  store_->projection_gate().Open();
  std::this_thread::sleep_for(200ms);  // The projector is done with batch 1.
  store_->append_gate().Open();
  stopper.join();

  EXPECT_EQ(second.Get().status, ReplyStatus::kOk);
  EXPECT_EQ(ProjectedSeq(), 2u);
  EXPECT_TRUE(ProjectedAccount(2).has_value());
}

// A projection the projector gives up on leaves a hole in the read models. Later batches must
// not be projected over it (the projected seq would claim the hole was filled, and no restart
// would ever fill it); a restart re-projects from the hole instead.
TEST_F(ProjectionTest, AbandonedProjectionIsRedoneByTheNextStart) {
  OpenEngine();
  store_->FailProjections(1 + 100);  // The first try and every retry.
  ExecOk(Accounts({Clearing(1)}));
  ASSERT_TRUE(store_->projection_gate().WaitForArrivals(1));  // Batch 1 alone is being retried.
  ExecOk(Accounts({Clearing(2)}));
  StopEngine();  // Waits out the retries; must not hang on the checkpoint at Stop.
  EXPECT_EQ(ProjectedSeq(), 0u);

  OpenStore();
  OpenEngine();
  EXPECT_EQ(ProjectedSeq(), 2u);
  EXPECT_TRUE(ProjectedAccount(1).has_value());
  EXPECT_TRUE(ProjectedAccount(2).has_value());
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, 0u);  // The checkpoint is ahead.
}

}  // namespace
}  // namespace qb::engine
