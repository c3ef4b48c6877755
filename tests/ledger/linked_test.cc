// Linked chains: all-or-nothing, the results each member gets, chains left open at the end of a
// batch, and chains next to independent transfers and other chains.
#include <gtest/gtest.h>

#include <vector>

#include "ledger/ledger.h"
#include "ledger_test_util.h"

namespace qb::ledger::testing {
namespace {

namespace af = account_flags;

// A wallet (1) with 100 fen and no overdraft, a merchant (2), a fee account (3) and a bank (4).
class LinkedTest : public LedgerTest {
 protected:
  static constexpr uint64_t kWallet = 1;
  static constexpr uint64_t kMerchant = 2;
  static constexpr uint64_t kFees = 3;
  static constexpr uint64_t kBank = 4;

  void SetUp() override {
    CreateAccounts({NewAccount(kWallet, af::kDebitsMustNotExceedCredits), NewAccount(kMerchant),
                    NewAccount(kFees), NewAccount(kBank)});
    ASSERT_EQ(Submit(NewTransfer(1, kBank, kWallet, 100)), TR::kOk);
  }

  std::vector<Account> AllAccounts() {
    return {GetAccount(kWallet), GetAccount(kMerchant), GetAccount(kFees), GetAccount(kBank)};
  }

  // The members of a failed chain must leave no trace.
  void ExpectNotStored(const std::vector<uint64_t>& ids) {
    for (uint64_t id : ids) EXPECT_EQ(ledger_.FindTransfer(id), nullptr) << "transfer " << id;
  }
};

TEST_F(LinkedTest, ChainSucceedsAsOne) {
  const auto results = SubmitBatch({Linked(NewTransfer(10, kWallet, kMerchant, 60)),
                                    Linked(NewTransfer(11, kMerchant, kFees, 5)),
                                    NewTransfer(12, kBank, kWallet, 1)});
  EXPECT_EQ(results, (std::vector<TR>{TR::kOk, TR::kOk, TR::kOk}));
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 41);
  EXPECT_EQ(GetAccount(kMerchant).CreditBalance(), 55);
  EXPECT_EQ(GetAccount(kFees).CreditBalance(), 5);
}

TEST_F(LinkedTest, LaterMembersSeeEarlierMembersEffects) {
  // The wallet spends a top-up it only receives earlier in the same chain.
  ASSERT_EQ(Submit(NewTransfer(9, kWallet, kMerchant, 150)), TR::kExceedsCredits);
  const auto results = SubmitBatch(
      {Linked(NewTransfer(10, kBank, kWallet, 50)), NewTransfer(11, kWallet, kMerchant, 150)});
  EXPECT_EQ(results, (std::vector<TR>{TR::kOk, TR::kOk}));
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 0);
}

TEST_F(LinkedTest, FailureInTheMiddleUndoesTheWholeChain) {
  const std::vector<Account> before = AllAccounts();
  const size_t transfers_before = ledger_.transfer_count();
  const auto results = SubmitBatch({Linked(NewTransfer(10, kWallet, kMerchant, 60)),
                                    Linked(NewTransfer(11, kWallet, kFees, 41)),
                                    NewTransfer(12, kMerchant, kFees, 1)});
  EXPECT_EQ(results,
            (std::vector<TR>{TR::kLinkedEventFailed, TR::kExceedsCredits, TR::kLinkedEventFailed}));
  EXPECT_EQ(AllAccounts(), before);
  EXPECT_EQ(ledger_.transfer_count(), transfers_before);
  ExpectNotStored({10, 11, 12});
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

TEST_F(LinkedTest, FailureOfTheLastMemberUndoesTheWholeChain) {
  const std::vector<Account> before = AllAccounts();
  const auto results = SubmitBatch({Linked(NewTransfer(10, kWallet, kMerchant, 60)),
                                    Linked(NewTransfer(11, kMerchant, kFees, 60)),
                                    NewTransfer(12, kMerchant, 99, 1)});
  EXPECT_EQ(results, (std::vector<TR>{TR::kLinkedEventFailed, TR::kLinkedEventFailed,
                                      TR::kCreditAccountNotFound}));
  EXPECT_EQ(AllAccounts(), before);
  ExpectNotStored({10, 11, 12});
}

TEST_F(LinkedTest, FailureOfTheFirstMemberFailsTheRestWithoutTryingThem) {
  // The third member is itself invalid, but it is never tried.
  const auto results = SubmitBatch({Linked(NewTransfer(10, kWallet, kMerchant, 101)),
                                    Linked(NewTransfer(11, kMerchant, kFees, 1)),
                                    NewTransfer(0, kMerchant, kFees, 1)});
  EXPECT_EQ(results,
            (std::vector<TR>{TR::kExceedsCredits, TR::kLinkedEventFailed, TR::kLinkedEventFailed}));
  ExpectNotStored({10, 11});
}

TEST_F(LinkedTest, ChainOpenAtTheEndOfTheBatch) {
  const std::vector<Account> before = AllAccounts();
  auto results = SubmitBatch({Linked(NewTransfer(10, kWallet, kMerchant, 1)),
                              Linked(NewTransfer(11, kWallet, kMerchant, 1))});
  EXPECT_EQ(results, (std::vector<TR>{TR::kLinkedEventFailed, TR::kLinkedEventChainOpen}));
  EXPECT_EQ(AllAccounts(), before);
  ExpectNotStored({10, 11});

  results = SubmitBatch({Linked(NewTransfer(12, kWallet, kMerchant, 1))});
  EXPECT_EQ(results, std::vector<TR>{TR::kLinkedEventChainOpen});
  ExpectNotStored({12});
}

TEST_F(LinkedTest, ChainOpenAfterAnEarlierMemberFailed) {
  const auto results = SubmitBatch({Linked(NewTransfer(10, kWallet, kMerchant, 101)),
                                    Linked(NewTransfer(11, kWallet, kMerchant, 1))});
  EXPECT_EQ(results, (std::vector<TR>{TR::kExceedsCredits, TR::kLinkedEventChainOpen}));
}

TEST_F(LinkedTest, ChainOpenDoesNotUndoEarlierIndependentTransfers) {
  const auto results = SubmitBatch(
      {NewTransfer(10, kWallet, kMerchant, 7), Linked(NewTransfer(11, kWallet, kFees, 1))});
  EXPECT_EQ(results, (std::vector<TR>{TR::kOk, TR::kLinkedEventChainOpen}));
  EXPECT_EQ(GetAccount(kMerchant).credits_posted, 7);
  ExpectNotStored({11});
}

TEST_F(LinkedTest, FailedChainDoesNotUndoAnEarlierIndependentTransfer) {
  const auto results = SubmitBatch({NewTransfer(10, kWallet, kMerchant, 30),
                                    Linked(NewTransfer(11, kWallet, kFees, 50)),
                                    NewTransfer(12, kWallet, kFees, 21)});
  EXPECT_EQ(results, (std::vector<TR>{TR::kOk, TR::kLinkedEventFailed, TR::kExceedsCredits}));
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 70);
  EXPECT_EQ(GetAccount(kMerchant).credits_posted, 30);
  EXPECT_EQ(GetAccount(kFees).credits_posted, 0);
  ASSERT_NE(ledger_.FindTransfer(10), nullptr);
  ExpectNotStored({11, 12});
}

TEST_F(LinkedTest, IndependentTransferAfterAFailedChainIsApplied) {
  const auto results =
      SubmitBatch({Linked(NewTransfer(10, kWallet, kMerchant, 101)),
                   NewTransfer(11, kWallet, kMerchant, 1), NewTransfer(12, kWallet, kFees, 100)});
  EXPECT_EQ(results, (std::vector<TR>{TR::kExceedsCredits, TR::kLinkedEventFailed, TR::kOk}));
  EXPECT_EQ(GetAccount(kFees).credits_posted, 100);
}

TEST_F(LinkedTest, TwoChainsInOneBatchSucceedOrFailSeparately) {
  auto results = SubmitBatch(
      {Linked(NewTransfer(10, kWallet, kMerchant, 10)), NewTransfer(11, kMerchant, kFees, 1),
       Linked(NewTransfer(12, kWallet, kMerchant, 10)), NewTransfer(13, kMerchant, kFees, 1000)});
  EXPECT_EQ(results, (std::vector<TR>{TR::kOk, TR::kOk, TR::kOk, TR::kOk}));

  // Now the first chain fails and the second succeeds.
  results = SubmitBatch(
      {Linked(NewTransfer(20, kWallet, kMerchant, 1000)), NewTransfer(21, kMerchant, kFees, 1),
       Linked(NewTransfer(22, kWallet, kMerchant, 5)), NewTransfer(23, kMerchant, kFees, 5)});
  EXPECT_EQ(results,
            (std::vector<TR>{TR::kExceedsCredits, TR::kLinkedEventFailed, TR::kOk, TR::kOk}));
  ExpectNotStored({20, 21});
  EXPECT_NE(ledger_.FindTransfer(23), nullptr);
}

TEST_F(LinkedTest, SecondChainFailingKeepsTheFirst) {
  const std::vector<Account> before = AllAccounts();
  const auto results = SubmitBatch(
      {Linked(NewTransfer(10, kWallet, kMerchant, 10)), NewTransfer(11, kMerchant, kFees, 1),
       Linked(NewTransfer(12, kWallet, kMerchant, 10)), NewTransfer(13, kWallet, kFees, 81)});
  EXPECT_EQ(results,
            (std::vector<TR>{TR::kOk, TR::kOk, TR::kLinkedEventFailed, TR::kExceedsCredits}));
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), before[0].CreditBalance() - 10);
  EXPECT_EQ(GetAccount(kFees).credits_posted, 1);
  ExpectNotStored({12, 13});
}

TEST_F(LinkedTest, DuplicateIdInsideAChainFailsTheChain) {
  const Transfer first = Linked(NewTransfer(10, kWallet, kMerchant, 10));
  const auto results = SubmitBatch({first, first, NewTransfer(11, kWallet, kMerchant, 10)});
  EXPECT_EQ(results,
            (std::vector<TR>{TR::kLinkedEventFailed, TR::kExists, TR::kLinkedEventFailed}));
  ExpectNotStored({10, 11});
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 100);
}

TEST_F(LinkedTest, HoldAndPostInAFailedChainAreBothUndone) {
  const std::vector<Account> before = AllAccounts();
  const auto results =
      SubmitBatch({Linked(NewPending(10, kWallet, kMerchant, 50, 60)), Linked(NewPost(11, 10, 20)),
                   NewTransfer(12, kWallet, kFees, 81)});
  EXPECT_EQ(results,
            (std::vector<TR>{TR::kLinkedEventFailed, TR::kLinkedEventFailed, TR::kExceedsCredits}));
  EXPECT_EQ(AllAccounts(), before);
  EXPECT_EQ(ledger_.FindPendingStatus(10), std::nullopt);
  ExpectNotStored({10, 11, 12});
  EXPECT_EQ(ledger_.ExpirePending(kInt64Max, 100), 0u) << "no expiry left behind";
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

TEST_F(LinkedTest, FailedChainRestoresAHoldItResolved) {
  ASSERT_EQ(Submit(NewPending(5, kWallet, kMerchant, 50, 60)), TR::kOk);
  const int64_t expires_at_ns = ledger_.FindTransfer(5)->timestamp_ns + 60 * kNsPerSecond;
  const std::vector<Account> before = AllAccounts();

  for (const Transfer& resolve : {NewPost(11, 5), NewVoid(11, 5)}) {
    const auto results = SubmitBatch({Linked(resolve), NewTransfer(12, kMerchant, kFees, 0)});
    EXPECT_EQ(results, (std::vector<TR>{TR::kLinkedEventFailed, TR::kAmountMustBePositive}));
    EXPECT_EQ(AllAccounts(), before);
    EXPECT_EQ(ledger_.FindPendingStatus(5), PendingStatus::kPending);
  }

  // The restored hold still expires on time.
  EXPECT_EQ(ledger_.ExpirePending(expires_at_ns - 1, 100), 0u);
  EXPECT_EQ(ledger_.ExpirePending(expires_at_ns, 100), 1u);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 0);
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

TEST_F(LinkedTest, LinkedPostAndVoidSucceedTogether) {
  ASSERT_EQ(Submit(NewPending(5, kWallet, kMerchant, 30)), TR::kOk);
  ASSERT_EQ(Submit(NewPending(6, kWallet, kFees, 30)), TR::kOk);
  const auto results = SubmitBatch({Linked(NewPost(11, 5)), NewVoid(12, 6)});
  EXPECT_EQ(results, (std::vector<TR>{TR::kOk, TR::kOk}));
  EXPECT_EQ(GetAccount(kWallet).CreditBalance(), 70);
  EXPECT_EQ(GetAccount(kWallet).debits_pending, 0);
}

}  // namespace
}  // namespace qb::ledger::testing
