// Balance limits, checked overflow near INT64_MAX and closed accounts.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "ledger/ledger.h"
#include "ledger_test_util.h"

namespace qb::ledger::testing {
namespace {

namespace af = account_flags;

// Accounts 1..3 have no limits. 10 may not be overdrawn, 20 may not hold more credits than
// debits (e.g. a bank clearing account), as in a wallet top-up flow.
class BalancesTest : public LedgerTest {
 protected:
  static constexpr uint64_t kWallet = 10;
  static constexpr uint64_t kClearing = 20;

  void SetUp() override {
    CreateAccounts({NewAccount(1), NewAccount(2), NewAccount(3),
                    NewAccount(kWallet, af::kDebitsMustNotExceedCredits),
                    NewAccount(kClearing, af::kCreditsMustNotExceedDebits)});
  }

  uint64_t next_transfer_id_ = 1000;
  uint64_t NextId() { return next_transfer_id_++; }

  // A transfer expected to fail must not change any account.
  TR SubmitFailing(const Transfer& transfer) {
    std::vector<Account> before;
    ledger_.ForEachAccount([&](const Account& a) { before.push_back(a); });
    const size_t transfers_before = ledger_.transfer_count();
    const TR result = Submit(transfer);
    for (const Account& account : before) EXPECT_EQ(GetAccount(account.id), account);
    EXPECT_EQ(ledger_.transfer_count(), transfers_before);
    return result;
  }
};

TEST_F(BalancesTest, NoOverdraftAllowsSpendingExactlyTheCredits) {
  ASSERT_EQ(Submit(NewTransfer(NextId(), 1, kWallet, 100)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), kWallet, 2, 101)), TR::kExceedsCredits);
  EXPECT_EQ(Submit(NewTransfer(NextId(), kWallet, 2, 100)), TR::kOk);
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 0);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), kWallet, 2, 1)), TR::kExceedsCredits);
}

TEST_F(BalancesTest, NoOverdraftCountsPendingHolds) {
  ASSERT_EQ(Submit(NewTransfer(NextId(), 1, kWallet, 100)), TR::kOk);
  ASSERT_EQ(Submit(NewPending(500, kWallet, 2, 70)), TR::kOk);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 70);
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 100) << "a hold is not yet posted";
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), kWallet, 2, 31)), TR::kExceedsCredits);
  EXPECT_EQ(SubmitFailing(NewPending(NextId(), kWallet, 2, 31)), TR::kExceedsCredits);
  EXPECT_EQ(Submit(NewTransfer(NextId(), kWallet, 2, 30)), TR::kOk);

  // Releasing the hold makes the amount available again.
  ASSERT_EQ(Submit(NewVoid(NextId(), 500)), TR::kOk);
  EXPECT_EQ(Submit(NewTransfer(NextId(), kWallet, 2, 70)), TR::kOk);
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 0);
}

TEST_F(BalancesTest, NoOverdraftIgnoresPendingCredits) {
  // Incoming money that is only held is not yet spendable.
  ASSERT_EQ(Submit(NewPending(500, 1, kWallet, 100)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), kWallet, 2, 1)), TR::kExceedsCredits);
  ASSERT_EQ(Submit(NewPost(NextId(), 500)), TR::kOk);
  EXPECT_EQ(Submit(NewTransfer(NextId(), kWallet, 2, 100)), TR::kOk);
}

TEST_F(BalancesTest, CreditsMustNotExceedDebits) {
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 1, kClearing, 1)), TR::kExceedsDebits);
  ASSERT_EQ(Submit(NewTransfer(NextId(), kClearing, 1, 100)), TR::kOk);
  ASSERT_EQ(Submit(NewPending(NextId(), 2, kClearing, 60)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 1, kClearing, 41)), TR::kExceedsDebits);
  EXPECT_EQ(SubmitFailing(NewPending(NextId(), 1, kClearing, 41)), TR::kExceedsDebits);
  EXPECT_EQ(Submit(NewTransfer(NextId(), 1, kClearing, 40)), TR::kOk);
}

TEST_F(BalancesTest, ExceedsCreditsPrecedesExceedsDebits) {
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), kWallet, kClearing, 1)), TR::kExceedsCredits);
}

TEST_F(BalancesTest, OverflowsDebitsPending) {
  ASSERT_EQ(Submit(NewPending(NextId(), 1, 2, kInt64Max)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewPending(NextId(), 1, 3, 1)), TR::kOverflowsDebitsPending);
  // When both sides would overflow, the debit side is reported.
  EXPECT_EQ(SubmitFailing(NewPending(NextId(), 1, 2, 1)), TR::kOverflowsDebitsPending);
}

TEST_F(BalancesTest, OverflowsCreditsPending) {
  ASSERT_EQ(Submit(NewPending(NextId(), 1, 2, kInt64Max)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewPending(NextId(), 3, 2, 1)), TR::kOverflowsCreditsPending);
}

TEST_F(BalancesTest, OverflowsDebitsPosted) {
  ASSERT_EQ(Submit(NewTransfer(NextId(), 1, 2, kInt64Max)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 1, 3, 1)), TR::kOverflowsDebitsPosted);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 1, 2, 1)), TR::kOverflowsDebitsPosted);
}

TEST_F(BalancesTest, OverflowsCreditsPosted) {
  ASSERT_EQ(Submit(NewTransfer(NextId(), 1, 2, kInt64Max)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 3, 2, 1)), TR::kOverflowsCreditsPosted);
}

TEST_F(BalancesTest, OverflowsDebitsWhenPendingPlusPostedOverflow) {
  ASSERT_EQ(Submit(NewPending(NextId(), 1, 2, kInt64Max)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 1, 3, 1)), TR::kOverflowsDebits);
}

TEST_F(BalancesTest, OverflowsCreditsWhenPendingPlusPostedOverflow) {
  ASSERT_EQ(Submit(NewPending(NextId(), 1, 2, kInt64Max)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 3, 2, 1)), TR::kOverflowsCredits);
}

TEST_F(BalancesTest, LargestAmountsThatFitAreAccepted) {
  ASSERT_EQ(Submit(NewTransfer(NextId(), 1, 2, kInt64Max - 1)), TR::kOk);
  EXPECT_EQ(Submit(NewTransfer(NextId(), 1, 2, 1)), TR::kOk);
  EXPECT_EQ(GetAccount(1).debits_posted, kInt64Max);
  EXPECT_EQ(GetAccount(2).credits_posted, kInt64Max);
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

TEST_F(BalancesTest, OverflowsTimeout) {
  // The longest timeout fits at an ordinary time...
  Transfer hold = NewPending(NextId(), 1, 2, 1, std::numeric_limits<uint32_t>::max());
  ASSERT_EQ(Submit(hold), TR::kOk);

  // ...but not when the batch time is close to the end of int64 nanoseconds.
  hold.id = NextId();
  std::vector<TR> results;
  ledger_.CreateTransfers({&hold, 1}, kInt64Max - 1000, &results);
  EXPECT_EQ(results, std::vector<TR>{TR::kOverflowsTimeout});
  EXPECT_EQ(GetAccount(1).debits_pending, 1);
  EXPECT_EQ(ledger_.FindTransfer(hold.id), nullptr);
}

TEST_F(BalancesTest, OverflowPrecedesExceedsCredits) {
  ASSERT_EQ(Submit(NewTransfer(NextId(), 1, kWallet, kInt64Max)), TR::kOk);
  ASSERT_EQ(Submit(NewTransfer(NextId(), kWallet, 2, kInt64Max)), TR::kOk);
  // Both "posted debits overflow" and "debits exceed credits" apply.
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), kWallet, 3, 1)), TR::kOverflowsDebitsPosted);
}

TEST_F(BalancesTest, DebitAccountClosed) {
  ASSERT_EQ(Submit(NewTransfer(NextId(), 1, 2, 5)), TR::kOk);
  ASSERT_TRUE(ledger_.CloseAccount(1));
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 1, 3, 1)), TR::kDebitAccountClosed);
  EXPECT_EQ(SubmitFailing(NewPending(NextId(), 1, 3, 1)), TR::kDebitAccountClosed);
  EXPECT_EQ(Submit(NewTransfer(NextId(), 3, 2, 1)), TR::kOk) << "other accounts still work";
}

TEST_F(BalancesTest, CreditAccountClosed) {
  ASSERT_TRUE(ledger_.CloseAccount(2));
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 1, 2, 1)), TR::kCreditAccountClosed);
  EXPECT_EQ(SubmitFailing(NewPending(NextId(), 1, 2, 1)), TR::kCreditAccountClosed);
}

TEST_F(BalancesTest, ClosedPrecedesOverflowAndLimits) {
  ASSERT_TRUE(ledger_.CloseAccount(kWallet));
  ASSERT_TRUE(ledger_.CloseAccount(kClearing));
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), kWallet, kClearing, 1)), TR::kDebitAccountClosed);
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 1, kClearing, 1)), TR::kCreditAccountClosed);

  ASSERT_EQ(Submit(NewTransfer(NextId(), 1, 2, kInt64Max)), TR::kOk);
  ASSERT_TRUE(ledger_.CloseAccount(3));
  EXPECT_EQ(SubmitFailing(NewTransfer(NextId(), 1, 3, 1)), TR::kCreditAccountClosed);
}

TEST_F(BalancesTest, ClosedAccountStillAnswersForExistingTransfers) {
  const Transfer payment = NewTransfer(NextId(), 1, 2, 5);
  ASSERT_EQ(Submit(payment), TR::kOk);
  ASSERT_TRUE(ledger_.CloseAccount(2));
  EXPECT_EQ(SubmitFailing(payment), TR::kExists);
}

}  // namespace
}  // namespace qb::ledger::testing
