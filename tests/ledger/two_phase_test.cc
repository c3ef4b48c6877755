// Two-phase transfers: holds, post (full, partial), void, and every result that only a post or
// void can produce. Timeouts are in expiry_test.cc.
#include <gtest/gtest.h>

#include <vector>

#include "ledger/ledger.h"
#include "ledger_test_util.h"

namespace qb::ledger::testing {
namespace {

namespace af = account_flags;
namespace tf = transfer_flags;

// A customer wallet (1, funded with 1000, no overdraft) pays a merchant (2) through a hold.
class TwoPhaseTest : public LedgerTest {
 protected:
  static constexpr uint64_t kWallet = 1;
  static constexpr uint64_t kMerchant = 2;
  static constexpr uint64_t kBank = 3;
  static constexpr uint64_t kHold = 100;

  void SetUp() override {
    CreateAccounts({NewAccount(kWallet, af::kDebitsMustNotExceedCredits), NewAccount(kMerchant),
                    NewAccount(kBank), NewAccount(9, 0, kLedgerPoints)});
    ASSERT_EQ(Submit(NewTransfer(50, kBank, kWallet, 1000)), TR::kOk);
    ASSERT_EQ(Submit(NewPending(kHold, kWallet, kMerchant, 300)), TR::kOk);
  }

  // A post or void expected to fail must leave balances and the hold as they were.
  TR SubmitFailing(const Transfer& transfer) {
    const Account wallet_before = GetAccount(kWallet);
    const Account merchant_before = GetAccount(kMerchant);
    const auto status_before = ledger_.FindPendingStatus(kHold);
    const size_t transfers_before = ledger_.transfer_count();
    const TR result = Submit(transfer);
    EXPECT_EQ(GetAccount(kWallet), wallet_before);
    EXPECT_EQ(GetAccount(kMerchant), merchant_before);
    EXPECT_EQ(ledger_.FindPendingStatus(kHold), status_before);
    EXPECT_EQ(ledger_.transfer_count(), transfers_before);
    return result;
  }
};

TEST_F(TwoPhaseTest, HoldReducesAvailableBalance) {
  const Account wallet = GetAccount(kWallet);
  EXPECT_EQ(wallet.debits_pending, 300);
  EXPECT_EQ(wallet.debits_posted, 0);
  EXPECT_EQ(wallet.CreditBalance(), 1000);
  EXPECT_EQ(GetAccount(kMerchant).credits_pending, 300);
  EXPECT_EQ(ledger_.FindPendingStatus(kHold), PendingStatus::kPending);
  EXPECT_EQ(Submit(NewTransfer(51, kWallet, kMerchant, 701)), TR::kExceedsCredits);
  EXPECT_EQ(Submit(NewPending(52, kWallet, kMerchant, 701)), TR::kExceedsCredits);
  EXPECT_EQ(Submit(NewTransfer(53, kWallet, kMerchant, 700)), TR::kOk);
}

TEST_F(TwoPhaseTest, PostWithAmountZeroPostsTheWholeHold) {
  ASSERT_EQ(Submit(NewPost(101, kHold)), TR::kOk);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 0);
  EXPECT_EQ(GetAccount(kWallet).debits_posted, 300);
  EXPECT_EQ(GetAccount(kMerchant).credits_pending, 0);
  EXPECT_EQ(GetAccount(kMerchant).credits_posted, 300);
  EXPECT_EQ(ledger_.FindPendingStatus(kHold), PendingStatus::kPosted);

  // The stored post is complete: accounts, ledger and code come from the hold.
  const Transfer* post = ledger_.FindTransfer(101);
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(post->amount, 300);
  EXPECT_EQ(post->debit_account_id, kWallet);
  EXPECT_EQ(post->credit_account_id, kMerchant);
  EXPECT_EQ(post->ledger, kLedgerCny);
  EXPECT_EQ(post->code, kCodePayment);
  EXPECT_EQ(post->pending_id, kHold);
  EXPECT_EQ(post->timestamp_ns, now_ns_);
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

TEST_F(TwoPhaseTest, PostWithTheFullAmountNamed) {
  Transfer post = NewPost(101, kHold, 300);
  post.debit_account_id = kWallet;
  post.credit_account_id = kMerchant;
  post.ledger = kLedgerCny;
  post.code = kCodePayment;
  ASSERT_EQ(Submit(post), TR::kOk);
  EXPECT_EQ(GetAccount(kMerchant).credits_posted, 300);
}

TEST_F(TwoPhaseTest, PartialPostReleasesTheRest) {
  ASSERT_EQ(Submit(NewPost(101, kHold, 120)), TR::kOk);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 0);
  EXPECT_EQ(GetAccount(kWallet).debits_posted, 120);
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 880);
  EXPECT_EQ(GetAccount(kMerchant).credits_posted, 120);
  EXPECT_EQ(ledger_.FindTransfer(101)->amount, 120);
  EXPECT_EQ(Submit(NewTransfer(51, kWallet, kMerchant, 880)), TR::kOk) << "rest is available";
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

TEST_F(TwoPhaseTest, VoidReleasesTheHold) {
  ASSERT_EQ(Submit(NewVoid(101, kHold)), TR::kOk);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 0);
  EXPECT_EQ(GetAccount(kWallet).debits_posted, 0);
  EXPECT_EQ(GetAccount(kMerchant).credits_pending, 0);
  EXPECT_EQ(GetAccount(kMerchant).credits_posted, 0);
  EXPECT_EQ(ledger_.FindPendingStatus(kHold), PendingStatus::kVoided);
  EXPECT_EQ(ledger_.FindTransfer(101)->amount, 300);
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

TEST_F(TwoPhaseTest, VoidMayNameTheFullAmount) {
  Transfer void_full = NewVoid(101, kHold);
  void_full.amount = 300;
  EXPECT_EQ(Submit(void_full), TR::kOk);
}

TEST_F(TwoPhaseTest, PendingTransferAlreadyPosted) {
  ASSERT_EQ(Submit(NewPost(101, kHold)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewPost(102, kHold)), TR::kPendingTransferAlreadyPosted);
  EXPECT_EQ(SubmitFailing(NewVoid(103, kHold)), TR::kPendingTransferAlreadyPosted);
}

TEST_F(TwoPhaseTest, PendingTransferAlreadyVoided) {
  ASSERT_EQ(Submit(NewVoid(101, kHold)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewVoid(102, kHold)), TR::kPendingTransferAlreadyVoided);
  EXPECT_EQ(SubmitFailing(NewPost(103, kHold)), TR::kPendingTransferAlreadyVoided);
}

TEST_F(TwoPhaseTest, PendingIdMustNotBeZero) {
  EXPECT_EQ(SubmitFailing(NewPost(101, 0)), TR::kPendingIdMustNotBeZero);
  EXPECT_EQ(SubmitFailing(NewVoid(101, 0)), TR::kPendingIdMustNotBeZero);
}

TEST_F(TwoPhaseTest, PendingIdMustBeDifferent) {
  EXPECT_EQ(SubmitFailing(NewPost(101, 101)), TR::kPendingIdMustBeDifferent);
}

TEST_F(TwoPhaseTest, TimeoutReservedForPendingTransferOnPost) {
  Transfer post = NewPost(101, kHold);
  post.timeout_s = 10;
  EXPECT_EQ(SubmitFailing(post), TR::kTimeoutReservedForPendingTransfer);
}

TEST_F(TwoPhaseTest, NegativeAmountOnPost) {
  EXPECT_EQ(SubmitFailing(NewPost(101, kHold, -1)), TR::kAmountMustBePositive);
}

TEST_F(TwoPhaseTest, PendingTransferNotFound) {
  EXPECT_EQ(SubmitFailing(NewPost(101, 999)), TR::kPendingTransferNotFound);
}

TEST_F(TwoPhaseTest, PendingTransferNotPending) {
  EXPECT_EQ(SubmitFailing(NewPost(101, 50)), TR::kPendingTransferNotPending);
  ASSERT_EQ(Submit(NewPost(101, kHold)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewVoid(102, 101)), TR::kPendingTransferNotPending) << "a post";
}

TEST_F(TwoPhaseTest, PendingTransferHasDifferentDebitAccountId) {
  Transfer post = NewPost(101, kHold);
  post.debit_account_id = kBank;
  EXPECT_EQ(SubmitFailing(post), TR::kPendingTransferHasDifferentDebitAccountId);
}

TEST_F(TwoPhaseTest, PendingTransferHasDifferentCreditAccountId) {
  Transfer post = NewPost(101, kHold);
  post.credit_account_id = kBank;
  EXPECT_EQ(SubmitFailing(post), TR::kPendingTransferHasDifferentCreditAccountId);
}

TEST_F(TwoPhaseTest, PendingTransferHasDifferentLedger) {
  Transfer post = NewPost(101, kHold);
  post.ledger = kLedgerPoints;
  EXPECT_EQ(SubmitFailing(post), TR::kPendingTransferHasDifferentLedger);
}

TEST_F(TwoPhaseTest, PendingTransferHasDifferentCode) {
  Transfer post = NewPost(101, kHold);
  post.code = kCodePayment + 1;
  EXPECT_EQ(SubmitFailing(post), TR::kPendingTransferHasDifferentCode);
}

TEST_F(TwoPhaseTest, ExceedsPendingTransferAmount) {
  EXPECT_EQ(SubmitFailing(NewPost(101, kHold, 301)), TR::kExceedsPendingTransferAmount);
}

TEST_F(TwoPhaseTest, PendingTransferHasDifferentAmount) {
  Transfer partial_void = NewVoid(101, kHold);
  partial_void.amount = 299;
  EXPECT_EQ(SubmitFailing(partial_void), TR::kPendingTransferHasDifferentAmount);
}

TEST_F(TwoPhaseTest, PrecedenceOfPostAndVoidResults) {
  Transfer zero_pending_id_and_timeout = NewPost(101, 0);
  zero_pending_id_and_timeout.timeout_s = 5;
  EXPECT_EQ(SubmitFailing(zero_pending_id_and_timeout), TR::kPendingIdMustNotBeZero);
  EXPECT_EQ(SubmitFailing(NewPost(101, 999, -1)), TR::kAmountMustBePositive);

  Transfer debit_and_code = NewPost(101, kHold);
  debit_and_code.debit_account_id = kBank;
  debit_and_code.code = 77;
  EXPECT_EQ(SubmitFailing(debit_and_code), TR::kPendingTransferHasDifferentDebitAccountId);

  Transfer ledger_and_amount = NewPost(101, kHold, 301);
  ledger_and_amount.ledger = kLedgerPoints;
  EXPECT_EQ(SubmitFailing(ledger_and_amount), TR::kPendingTransferHasDifferentLedger);

  // Checks against the hold come before its status.
  ASSERT_EQ(Submit(NewVoid(101, kHold)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewPost(102, kHold, 301)), TR::kExceedsPendingTransferAmount);
  Transfer partial_void = NewVoid(102, kHold);
  partial_void.amount = 1;
  EXPECT_EQ(SubmitFailing(partial_void), TR::kPendingTransferHasDifferentAmount);
}

TEST_F(TwoPhaseTest, RetriedPostIsExistsEvenThoughTheHoldIsPosted) {
  const Transfer post = NewPost(101, kHold, 200);
  ASSERT_EQ(Submit(post), TR::kOk);
  const Account wallet = GetAccount(kWallet);
  EXPECT_EQ(SubmitFailing(post), TR::kExists);
  Transfer named = post;
  named.debit_account_id = kWallet;
  named.code = kCodePayment;
  EXPECT_EQ(SubmitFailing(named), TR::kExists) << "naming the hold's fields is the same post";
  EXPECT_EQ(GetAccount(kWallet), wallet);
}

TEST_F(TwoPhaseTest, RetriedFullPostMayOmitOrNameTheAmount) {
  ASSERT_EQ(Submit(NewPost(101, kHold)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewPost(101, kHold)), TR::kExists);
  EXPECT_EQ(SubmitFailing(NewPost(101, kHold, 300)), TR::kExists);
  EXPECT_EQ(SubmitFailing(NewPost(101, kHold, 299)), TR::kExistsWithDifferentAmount);
}

TEST_F(TwoPhaseTest, ExistsWithDifferentPendingId) {
  ASSERT_EQ(Submit(NewPending(200, kWallet, kMerchant, 300)), TR::kOk);
  ASSERT_EQ(Submit(NewPost(101, kHold)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewPost(101, 200)), TR::kExistsWithDifferentPendingId);
  EXPECT_EQ(ledger_.FindPendingStatus(200), PendingStatus::kPending);
}

TEST_F(TwoPhaseTest, ExistsWithDifferentFlagsForPostRetriedAsVoid) {
  ASSERT_EQ(Submit(NewPost(101, kHold)), TR::kOk);
  EXPECT_EQ(SubmitFailing(NewVoid(101, kHold)), TR::kExistsWithDifferentFlags);
}

TEST_F(TwoPhaseTest, ExistsWithDifferentTimeout) {
  const Transfer hold = NewPending(200, kWallet, kMerchant, 10, 60);
  ASSERT_EQ(Submit(hold), TR::kOk);
  EXPECT_EQ(Submit(hold), TR::kExists);
  Transfer retry = hold;
  retry.timeout_s = 61;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentTimeout);
  retry.timeout_s = 0;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentTimeout);
}

TEST_F(TwoPhaseTest, HoldsOnBothSidesOfTheSameAccounts) {
  ASSERT_EQ(Submit(NewPending(200, kMerchant, kWallet, 40)), TR::kOk);
  EXPECT_EQ(GetAccount(kWallet).credits_pending, 40);
  ASSERT_EQ(Submit(NewPost(201, 200, 25)), TR::kOk);
  ASSERT_EQ(Submit(NewVoid(202, kHold)), TR::kOk);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 0);
  EXPECT_EQ(GetAccount(kWallet).credits_pending, 0);
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 1025);
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

TEST_F(TwoPhaseTest, PendingFlagIsStoredAndRetainedOnTheHold) {
  const Transfer* hold = ledger_.FindTransfer(kHold);
  ASSERT_NE(hold, nullptr);
  EXPECT_EQ(hold->flags, tf::kPending);
  ASSERT_EQ(Submit(NewPost(101, kHold)), TR::kOk);
  EXPECT_EQ(ledger_.FindTransfer(kHold)->flags, tf::kPending) << "transfers are immutable";
  EXPECT_EQ(ledger_.FindTransfer(kHold)->amount, 300);
}

}  // namespace
}  // namespace qb::ledger::testing
