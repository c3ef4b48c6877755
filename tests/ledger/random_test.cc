// A seeded random workload: thousands of transfers over a few hundred accounts on two ledgers,
// with linked chains, holds, posts, voids, expiries, closed accounts and invalid input. After
// every batch the double-entry invariants must hold.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger_test_util.h"

namespace qb::ledger::testing {
namespace {

namespace af = account_flags;
namespace tf = transfer_flags;

constexpr uint64_t kCnyAccounts = 200;     // Ids 1..200.
constexpr uint64_t kPointsAccounts = 100;  // Ids 201..300.
constexpr int kBatches = 250;
constexpr int kMaxBatchSize = 30;

// Generates commands and applies them to two ledgers, which must stay identical.
class Workload {
 public:
  explicit Workload(uint64_t seed) : rng_(seed) {}

  void CreateAccounts() {
    std::vector<Account> accounts;
    for (uint64_t id = 1; id <= kCnyAccounts + kPointsAccounts; id++) {
      const uint32_t ledger = id <= kCnyAccounts ? kLedgerCny : kLedgerPoints;
      uint16_t flags = 0;
      const int roll = Uniform(0, 9);
      if (roll < 4) flags = af::kDebitsMustNotExceedCredits;
      if (roll == 4) flags = af::kCreditsMustNotExceedDebits;
      accounts.push_back(NewAccount(id, flags, ledger));
    }
    std::vector<CreateAccountResult> results;
    for (Ledger* ledger : {&ledger_, &twin_}) {
      ledger->CreateAccounts(accounts, now_ns_, &results);
      for (CreateAccountResult result : results) ASSERT_EQ(result, CreateAccountResult::kOk);
    }
  }

  void RunBatch() {
    // The clock mostly moves forward, sometimes stalls and sometimes steps back.
    now_ns_ += Uniform(-1, 4) * kNsPerSecond / 2;
    std::vector<Transfer> batch;
    const int size = Uniform(1, kMaxBatchSize);
    while (static_cast<int>(batch.size()) < size) AppendChainOrSingle(&batch);

    std::vector<CreateTransferResult> results, twin_results;
    const int64_t stamp_floor_ns = ledger_.last_timestamp_ns();
    ledger_.CreateTransfers(batch, now_ns_, &results);
    twin_.CreateTransfers(batch, now_ns_, &twin_results);
    ASSERT_EQ(results, twin_results);
    ASSERT_EQ(results.size(), batch.size());
    Record(batch, results, stamp_floor_ns);

    if (Uniform(0, 3) == 0) {
      const size_t limit = static_cast<size_t>(Uniform(0, 20));
      const size_t expired = ledger_.ExpirePending(now_ns_, limit);
      ASSERT_LE(expired, limit);
      ASSERT_EQ(twin_.ExpirePending(now_ns_, limit), expired);
      expired_ += expired;
    }
    if (Uniform(0, 20) == 0) {
      const uint64_t id = RandomAccount(RandomLedger());
      ASSERT_EQ(ledger_.CloseAccount(id), twin_.CloseAccount(id));
    }
  }

  void CheckState() const {
    const auto violation = ledger_.CheckInvariants();
    ASSERT_EQ(violation, std::nullopt) << *violation;
    struct Sums {
      int64_t posted = 0;
      int64_t pending = 0;
    };
    std::map<uint32_t, Sums> per_ledger;
    ledger_.ForEachAccount([&](const Account& a) {
      per_ledger[a.ledger].posted += a.debits_posted - a.credits_posted;
      per_ledger[a.ledger].pending += a.debits_pending - a.credits_pending;
      if (a.flags & af::kDebitsMustNotExceedCredits) {
        EXPECT_LE(a.debits_pending + a.debits_posted, a.credits_posted) << "account " << a.id;
      }
      if (a.flags & af::kCreditsMustNotExceedDebits) {
        EXPECT_LE(a.credits_pending + a.credits_posted, a.debits_posted) << "account " << a.id;
      }
    });
    for (const auto& [ledger, sums] : per_ledger) {
      EXPECT_EQ(sums.posted, 0) << "ledger " << ledger;
      EXPECT_EQ(sums.pending, 0) << "ledger " << ledger;
    }
  }

  const Ledger& ledger() const { return ledger_; }
  const Ledger& twin() const { return twin_; }
  const std::map<CreateTransferResult, int>& seen() const { return seen_; }
  size_t expired() const { return expired_; }

 private:
  int64_t Uniform(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng_);
  }
  uint32_t RandomLedger() { return Uniform(0, 2) == 0 ? kLedgerPoints : kLedgerCny; }
  uint64_t RandomAccount(uint32_t ledger) {
    return ledger == kLedgerCny ? Uniform(1, kCnyAccounts)
                                : Uniform(kCnyAccounts + 1, kCnyAccounts + kPointsAccounts);
  }

  // Mostly single transfers; sometimes a chain of two to four, which may be left open when it
  // ends the batch.
  void AppendChainOrSingle(std::vector<Transfer>* batch) {
    const int length = Uniform(0, 5) == 0 ? static_cast<int>(Uniform(2, 4)) : 1;
    for (int i = 0; i < length; i++) {
      Transfer t = RandomTransfer();
      if (i + 1 < length) t.flags |= tf::kLinked;
      batch->push_back(t);
    }
    if (length > 1 && Uniform(0, 9) == 0) batch->back().flags |= tf::kLinked;
  }

  Transfer RandomTransfer() {
    const uint64_t id = next_id_++;
    const int kind = static_cast<int>(Uniform(0, 99));
    if (kind < 8 && !pending_ids_.empty()) return RandomResolve(id, /*post=*/false);
    if (kind < 22 && !pending_ids_.empty()) return RandomResolve(id, /*post=*/true);
    if (kind < 27 && !created_.empty()) return created_[Uniform(0, created_.size() - 1)];
    const uint32_t ledger = RandomLedger();
    const uint64_t debit = RandomAccount(ledger);
    uint64_t credit = RandomAccount(ledger);
    if (credit == debit) credit = debit == 1 ? 2 : debit - 1;
    Transfer t = NewTransfer(id, debit, credit, Uniform(1, 1000), ledger);
    if (kind < 30) t.amount = Uniform(-5, 0);                   // Invalid amount.
    if (kind >= 30 && kind < 33) t.credit_account_id = 10'000;  // Unknown account.
    if (kind >= 33 && kind < 36)
      t.credit_account_id =
          RandomAccount(ledger == kLedgerCny ? kLedgerPoints : kLedgerCny);  // Cross-ledger.
    if (kind >= 36 && kind < 60) {
      t.flags = tf::kPending;
      t.timeout_s = Uniform(0, 2) == 0 ? 0 : static_cast<uint32_t>(Uniform(1, 20));
    }
    return t;
  }

  Transfer RandomResolve(uint64_t id, bool post) {
    const uint64_t pending_id = pending_ids_[Uniform(0, pending_ids_.size() - 1)];
    Transfer t = post ? NewPost(id, pending_id) : NewVoid(id, pending_id);
    const int roll = static_cast<int>(Uniform(0, 9));
    if (post && roll < 4) t.amount = Uniform(1, 600);  // Partial, full or too much.
    if (roll == 9) t.code = 99;                        // Does not match the hold.
    return t;
  }

  void Record(const std::vector<Transfer>& batch, const std::vector<CreateTransferResult>& results,
              int64_t stamp_floor_ns) {
    int64_t previous_ns = stamp_floor_ns;
    for (size_t i = 0; i < batch.size(); i++) {
      seen_[results[i]]++;
      if (results[i] != CreateTransferResult::kOk) {
        continue;
      }
      const Transfer* stored = ledger_.FindTransfer(batch[i].id);
      ASSERT_NE(stored, nullptr);
      EXPECT_GT(stored->timestamp_ns, previous_ns) << "timestamps must strictly increase";
      previous_ns = stored->timestamp_ns;
      created_.push_back(batch[i]);
      if (batch[i].flags & tf::kPending) pending_ids_.push_back(batch[i].id);
    }
    EXPECT_LE(previous_ns, ledger_.last_timestamp_ns());
  }

  std::mt19937_64 rng_;
  Ledger ledger_;
  Ledger twin_;
  int64_t now_ns_ = kStartNs;
  uint64_t next_id_ = 1;
  std::vector<Transfer> created_;      // For retries.
  std::vector<uint64_t> pending_ids_;  // Holds ever created, resolved or not.
  std::map<CreateTransferResult, int> seen_;
  size_t expired_ = 0;
};

class RandomWorkloadTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RandomWorkloadTest, InvariantsHoldAfterEveryBatch) {
  Workload workload(GetParam());
  ASSERT_NO_FATAL_FAILURE(workload.CreateAccounts());
  for (int batch = 0; batch < kBatches; batch++) {
    SCOPED_TRACE("batch " + std::to_string(batch));
    ASSERT_NO_FATAL_FAILURE(workload.RunBatch());
    ASSERT_NO_FATAL_FAILURE(workload.CheckState());
  }
  EXPECT_EQ(workload.ledger().StateHash(), workload.twin().StateHash());
  EXPECT_GE(workload.ledger().transfer_count(), 1000u);

  // The workload must actually reach the interesting paths.
  using R = CreateTransferResult;
  for (R result : {R::kOk, R::kLinkedEventFailed, R::kLinkedEventChainOpen, R::kExists,
                   R::kAmountMustBePositive, R::kExceedsCredits, R::kExceedsDebits,
                   R::kPendingTransferAlreadyPosted, R::kPendingTransferAlreadyVoided,
                   R::kPendingTransferExpired, R::kExceedsPendingTransferAmount}) {
    EXPECT_GT(workload.seen().count(result), 0u) << ResultName(result);
  }
  EXPECT_GT(workload.expired(), 0u);

  std::string bytes;
  workload.ledger().Serialize(&bytes);
  Ledger restored;
  ASSERT_TRUE(restored.Deserialize(bytes));
  EXPECT_EQ(restored.StateHash(), workload.ledger().StateHash());
  EXPECT_EQ(restored.CheckInvariants(), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomWorkloadTest, ::testing::Values(1, 2, 3, 20240601));

}  // namespace
}  // namespace qb::ledger::testing
