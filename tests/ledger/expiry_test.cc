// Timeouts of pending transfers: ExpirePending, its limit and order, and what a post or void
// of an expired hold returns.
#include <gtest/gtest.h>

#include <vector>

#include "ledger/ledger.h"
#include "ledger_test_util.h"

namespace qb::ledger::testing {
namespace {

namespace af = account_flags;

constexpr size_t kNoLimit = 1'000'000;

class ExpiryTest : public LedgerTest {
 protected:
  static constexpr uint64_t kWallet = 1;
  static constexpr uint64_t kMerchant = 2;

  void SetUp() override {
    CreateAccounts({NewAccount(kWallet, af::kDebitsMustNotExceedCredits), NewAccount(kMerchant),
                    NewAccount(3)});
    ASSERT_EQ(Submit(NewTransfer(50, 3, kWallet, 1000)), TR::kOk);
  }

  // Places a hold and returns the time at which it expires.
  int64_t Hold(uint64_t id, int64_t amount, uint32_t timeout_s) {
    EXPECT_EQ(Submit(NewPending(id, kWallet, kMerchant, amount, timeout_s)), TR::kOk);
    return ledger_.FindTransfer(id)->timestamp_ns + timeout_s * kNsPerSecond;
  }
};

TEST_F(ExpiryTest, ExpiresExactlyAtTheDeadline) {
  const int64_t expires_at_ns = Hold(100, 300, 10);
  EXPECT_EQ(ledger_.ExpirePending(expires_at_ns - 1, kNoLimit), 0u);
  EXPECT_EQ(ledger_.FindPendingStatus(100), PendingStatus::kPending);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 300);

  EXPECT_EQ(ledger_.ExpirePending(expires_at_ns, kNoLimit), 1u);
  EXPECT_EQ(ledger_.FindPendingStatus(100), PendingStatus::kExpired);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 0);
  EXPECT_EQ(GetAccount(kMerchant).credits_pending, 0);
  EXPECT_EQ(GetAccount(kMerchant).credits_posted, 0);
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);

  EXPECT_EQ(ledger_.ExpirePending(expires_at_ns + kNsPerSecond, kNoLimit), 0u) << "only once";
}

TEST_F(ExpiryTest, ExpiryReleasesTheAmountForSpending) {
  const int64_t expires_at_ns = Hold(100, 1000, 10);
  EXPECT_EQ(Submit(NewTransfer(51, kWallet, kMerchant, 1)), TR::kExceedsCredits);
  ASSERT_EQ(ledger_.ExpirePending(expires_at_ns, kNoLimit), 1u);
  EXPECT_EQ(SubmitAt(NewTransfer(52, kWallet, kMerchant, 1000), expires_at_ns), TR::kOk);
}

TEST_F(ExpiryTest, PostOrVoidOfAnExpiredHoldIsPendingTransferExpired) {
  const int64_t expires_at_ns = Hold(100, 300, 10);
  ASSERT_EQ(ledger_.ExpirePending(expires_at_ns, kNoLimit), 1u);
  const Account wallet = GetAccount(kWallet);
  EXPECT_EQ(SubmitAt(NewPost(101, 100), expires_at_ns), TR::kPendingTransferExpired);
  EXPECT_EQ(SubmitAt(NewVoid(102, 100), expires_at_ns), TR::kPendingTransferExpired);
  EXPECT_EQ(GetAccount(kWallet), wallet);
  EXPECT_EQ(ledger_.FindTransfer(101), nullptr);
  // The hold itself is still a stored transfer, so retrying it is idempotent.
  EXPECT_EQ(Submit(NewPending(100, kWallet, kMerchant, 300, 10)), TR::kExists);
}

// A hold is over at its deadline whether or not ExpirePending has got to it yet (the engine
// expires at most `limit` holds per call), as in TigerBeetle.
TEST_F(ExpiryTest, PostAfterTheDeadlineFailsEvenBeforeExpirePendingRuns) {
  const int64_t expires_at_ns = Hold(100, 300, 10);
  const Account wallet = GetAccount(kWallet);
  EXPECT_EQ(SubmitAt(NewPost(101, 100), expires_at_ns), TR::kPendingTransferExpired);
  EXPECT_EQ(SubmitAt(NewVoid(102, 100), expires_at_ns + kNsPerSecond), TR::kPendingTransferExpired);
  EXPECT_EQ(GetAccount(kWallet), wallet);
  EXPECT_EQ(GetAccount(kMerchant).credits_posted, 0);
  EXPECT_EQ(ledger_.ExpirePending(expires_at_ns + kNsPerSecond, kNoLimit), 1u);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 0);
}

TEST_F(ExpiryTest, PostJustBeforeTheDeadlineSucceedsAndIsNeverExpired) {
  const int64_t expires_at_ns = Hold(100, 300, 10);
  ASSERT_EQ(SubmitAt(NewPost(101, 100), expires_at_ns - 1), TR::kOk);
  EXPECT_EQ(ledger_.ExpirePending(expires_at_ns + kNsPerSecond, kNoLimit), 0u);
  EXPECT_EQ(ledger_.FindPendingStatus(100), PendingStatus::kPosted);
  EXPECT_EQ(GetAccount(kMerchant).credits_posted, 300);
}

TEST_F(ExpiryTest, VoidedHoldIsNeverExpired) {
  const int64_t expires_at_ns = Hold(100, 300, 10);
  ASSERT_EQ(Submit(NewVoid(101, 100)), TR::kOk);
  EXPECT_EQ(ledger_.ExpirePending(expires_at_ns, kNoLimit), 0u);
  EXPECT_EQ(ledger_.FindPendingStatus(100), PendingStatus::kVoided);
}

TEST_F(ExpiryTest, HoldWithoutTimeoutNeverExpires) {
  Hold(100, 300, 0);
  EXPECT_EQ(ledger_.ExpirePending(kInt64Max, kNoLimit), 0u);
  EXPECT_EQ(ledger_.FindPendingStatus(100), PendingStatus::kPending);
  EXPECT_EQ(Submit(NewPost(101, 100)), TR::kOk);
}

TEST_F(ExpiryTest, LimitIsRespected) {
  int64_t latest_ns = 0;
  for (uint64_t id = 100; id < 105; id++) latest_ns = Hold(id, 10, 5);
  EXPECT_EQ(ledger_.ExpirePending(latest_ns, 0), 0u);
  EXPECT_EQ(ledger_.ExpirePending(latest_ns, 2), 2u);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 30);
  EXPECT_EQ(ledger_.ExpirePending(latest_ns, 2), 2u);
  EXPECT_EQ(ledger_.ExpirePending(latest_ns, 2), 1u);
  EXPECT_EQ(ledger_.ExpirePending(latest_ns, 2), 0u);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 0);
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

TEST_F(ExpiryTest, EarliestDeadlineExpiresFirstRegardlessOfCreationOrder) {
  const int64_t a_ns = Hold(100, 10, 30);
  const int64_t b_ns = Hold(101, 10, 10);
  const int64_t c_ns = Hold(102, 10, 20);
  ASSERT_LT(b_ns, c_ns);
  ASSERT_LT(c_ns, a_ns);

  const int64_t far_ns = a_ns + 100 * kNsPerSecond;
  ASSERT_EQ(ledger_.ExpirePending(far_ns, 1), 1u);
  EXPECT_EQ(ledger_.FindPendingStatus(101), PendingStatus::kExpired);
  EXPECT_EQ(ledger_.FindPendingStatus(102), PendingStatus::kPending);
  ASSERT_EQ(ledger_.ExpirePending(far_ns, 1), 1u);
  EXPECT_EQ(ledger_.FindPendingStatus(102), PendingStatus::kExpired);
  EXPECT_EQ(ledger_.FindPendingStatus(100), PendingStatus::kPending);
  ASSERT_EQ(ledger_.ExpirePending(far_ns, 1), 1u);
  EXPECT_EQ(ledger_.FindPendingStatus(100), PendingStatus::kExpired);
}

TEST_F(ExpiryTest, OnlyHoldsPastTheirDeadlineExpire) {
  const int64_t short_ns = Hold(100, 10, 10);
  const int64_t long_ns = Hold(101, 10, 3600);
  EXPECT_EQ(ledger_.ExpirePending(short_ns, kNoLimit), 1u);
  EXPECT_EQ(ledger_.FindPendingStatus(101), PendingStatus::kPending);
  EXPECT_EQ(SubmitAt(NewPost(102, 101), long_ns - kNsPerSecond), TR::kOk);
}

TEST_F(ExpiryTest, DeadlineCountsFromTheStampedTimeNotTheBatchTime) {
  // The clock went back: the hold is stamped later than the batch time, and its deadline
  // follows the stamp.
  const int64_t stamp_floor_ns = ledger_.last_timestamp_ns();
  ASSERT_EQ(SubmitAt(NewPending(100, kWallet, kMerchant, 10, 10), kStartNs), TR::kOk);
  const int64_t stamped_ns = ledger_.FindTransfer(100)->timestamp_ns;
  EXPECT_EQ(stamped_ns, stamp_floor_ns + 1);
  EXPECT_EQ(ledger_.ExpirePending(kStartNs + 10 * kNsPerSecond, kNoLimit), 0u);
  EXPECT_EQ(ledger_.ExpirePending(stamped_ns + 10 * kNsPerSecond, kNoLimit), 1u);
}

}  // namespace
}  // namespace qb::ledger::testing
