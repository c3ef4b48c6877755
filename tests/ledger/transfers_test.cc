// Single-phase transfers: one test per validation result, precedence between results, and
// idempotent retries (exists / exists_with_different_*).
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "ledger/ledger.h"
#include "ledger_test_util.h"

namespace qb::ledger::testing {
namespace {

namespace tf = transfer_flags;

class TransfersTest : public LedgerTest {
 protected:
  void SetUp() override {
    CreateAccounts({NewAccount(1), NewAccount(2), NewAccount(3), NewAccount(7, 0, kLedgerPoints),
                    NewAccount(8, 0, kLedgerPoints)});
  }

  // Submits a transfer expected to fail and checks that it left no trace.
  TR SubmitFailing(const Transfer& transfer) {
    const Account debit_before = GetAccount(1);
    const Account credit_before = GetAccount(2);
    const size_t transfers_before = ledger_.transfer_count();
    const TR result = Submit(transfer);
    EXPECT_EQ(GetAccount(1), debit_before);
    EXPECT_EQ(GetAccount(2), credit_before);
    EXPECT_EQ(ledger_.transfer_count(), transfers_before);
    return result;
  }
};

TEST_F(TransfersTest, OkMovesPostedAmounts) {
  Transfer input = NewTransfer(10, 1, 2, 250);
  input.user_data = 42;
  ASSERT_EQ(Submit(input), TR::kOk);
  EXPECT_EQ(GetAccount(1).debits_posted, 250);
  EXPECT_EQ(GetAccount(1).CreditBalance(), -250);
  EXPECT_EQ(GetAccount(2).credits_posted, 250);
  EXPECT_EQ(GetAccount(2).CreditBalance(), 250);
  const Transfer* stored = ledger_.FindTransfer(10);
  ASSERT_NE(stored, nullptr);
  Transfer expected = input;
  expected.timestamp_ns = now_ns_;
  EXPECT_EQ(*stored, expected);
  EXPECT_EQ(ledger_.FindTransfer(11), nullptr);
  EXPECT_EQ(ledger_.FindPendingStatus(10), std::nullopt) << "not a pending transfer";
}

TEST_F(TransfersTest, ReservedFlag) {
  Transfer input = NewTransfer(10, 1, 2, 1);
  input.flags = tf::kAll + 1;
  EXPECT_EQ(SubmitFailing(input), TR::kReservedFlag);
}

TEST_F(TransfersTest, TimestampMustBeZero) {
  Transfer input = NewTransfer(10, 1, 2, 1);
  input.timestamp_ns = 1;
  EXPECT_EQ(SubmitFailing(input), TR::kTimestampMustBeZero);
}

TEST_F(TransfersTest, IdMustNotBeZero) {
  EXPECT_EQ(SubmitFailing(NewTransfer(0, 1, 2, 1)), TR::kIdMustNotBeZero);
}

TEST_F(TransfersTest, IdMustNotBeIntMax) {
  EXPECT_EQ(SubmitFailing(NewTransfer(std::numeric_limits<uint64_t>::max(), 1, 2, 1)),
            TR::kIdMustNotBeIntMax);
}

TEST_F(TransfersTest, FlagsAreMutuallyExclusive) {
  for (uint16_t flags : {tf::kPending | tf::kPostPending, tf::kPending | tf::kVoidPending,
                         tf::kPostPending | tf::kVoidPending}) {
    Transfer input = NewTransfer(10, 1, 2, 1);
    input.flags = flags;
    EXPECT_EQ(SubmitFailing(input), TR::kFlagsAreMutuallyExclusive) << "flags " << flags;
  }
}

TEST_F(TransfersTest, DebitAccountIdMustNotBeZero) {
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 0, 2, 1)), TR::kDebitAccountIdMustNotBeZero);
}

TEST_F(TransfersTest, CreditAccountIdMustNotBeZero) {
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 0, 1)), TR::kCreditAccountIdMustNotBeZero);
}

TEST_F(TransfersTest, AccountsMustBeDifferent) {
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 1, 1)), TR::kAccountsMustBeDifferent);
}

TEST_F(TransfersTest, PendingIdMustBeZero) {
  Transfer input = NewTransfer(10, 1, 2, 1);
  input.pending_id = 5;
  EXPECT_EQ(SubmitFailing(input), TR::kPendingIdMustBeZero);
}

TEST_F(TransfersTest, TimeoutReservedForPendingTransfer) {
  Transfer input = NewTransfer(10, 1, 2, 1);
  input.timeout_s = 60;
  EXPECT_EQ(SubmitFailing(input), TR::kTimeoutReservedForPendingTransfer);
}

TEST_F(TransfersTest, AmountMustBePositive) {
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 2, 0)), TR::kAmountMustBePositive);
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 2, -5)), TR::kAmountMustBePositive);
}

TEST_F(TransfersTest, LedgerMustNotBeZero) {
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 2, 1, 0)), TR::kLedgerMustNotBeZero);
}

TEST_F(TransfersTest, CodeMustNotBeZero) {
  Transfer input = NewTransfer(10, 1, 2, 1);
  input.code = 0;
  EXPECT_EQ(SubmitFailing(input), TR::kCodeMustNotBeZero);
}

TEST_F(TransfersTest, DebitAccountNotFound) {
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 99, 2, 1)), TR::kDebitAccountNotFound);
}

TEST_F(TransfersTest, CreditAccountNotFound) {
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 99, 1)), TR::kCreditAccountNotFound);
}

TEST_F(TransfersTest, AccountsMustHaveTheSameLedger) {
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 7, 1)), TR::kAccountsMustHaveTheSameLedger);
}

TEST_F(TransfersTest, TransferMustHaveTheSameLedgerAsAccounts) {
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 2, 1, kLedgerPoints)),
            TR::kTransferMustHaveTheSameLedgerAsAccounts);
  EXPECT_EQ(Submit(NewTransfer(11, 7, 8, 1, kLedgerPoints)), TR::kOk);
}

TEST_F(TransfersTest, PrecedenceFollowsTheResultOrder) {
  Transfer reserved_and_timestamp = NewTransfer(10, 1, 2, 1);
  reserved_and_timestamp.flags = 1 << 12;
  reserved_and_timestamp.timestamp_ns = 1;
  EXPECT_EQ(SubmitFailing(reserved_and_timestamp), TR::kReservedFlag);

  Transfer timestamp_and_zero_id = NewTransfer(0, 1, 2, 1);
  timestamp_and_zero_id.timestamp_ns = 1;
  EXPECT_EQ(SubmitFailing(timestamp_and_zero_id), TR::kTimestampMustBeZero);

  Transfer zero_id_and_exclusive = NewTransfer(0, 1, 2, 1);
  zero_id_and_exclusive.flags = tf::kPending | tf::kVoidPending;
  EXPECT_EQ(SubmitFailing(zero_id_and_exclusive), TR::kIdMustNotBeZero);

  EXPECT_EQ(SubmitFailing(NewTransfer(10, 0, 0, 0)), TR::kDebitAccountIdMustNotBeZero);
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 1, 0)), TR::kAccountsMustBeDifferent);

  Transfer pending_id_and_timeout = NewTransfer(10, 1, 2, 1);
  pending_id_and_timeout.pending_id = 3;
  pending_id_and_timeout.timeout_s = 3;
  EXPECT_EQ(SubmitFailing(pending_id_and_timeout), TR::kPendingIdMustBeZero);

  Transfer timeout_and_amount = NewTransfer(10, 1, 2, 0);
  timeout_and_amount.timeout_s = 3;
  EXPECT_EQ(SubmitFailing(timeout_and_amount), TR::kTimeoutReservedForPendingTransfer);

  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 2, 0, 0)), TR::kAmountMustBePositive);
  Transfer no_ledger_no_code = NewTransfer(10, 1, 2, 1, 0);
  no_ledger_no_code.code = 0;
  EXPECT_EQ(SubmitFailing(no_ledger_no_code), TR::kLedgerMustNotBeZero);

  EXPECT_EQ(SubmitFailing(NewTransfer(10, 98, 99, 1)), TR::kDebitAccountNotFound);
  EXPECT_EQ(SubmitFailing(NewTransfer(10, 1, 7, 1, kLedgerPoints)),
            TR::kAccountsMustHaveTheSameLedger);
}

class IdempotencyTest : public TransfersTest {
 protected:
  void SetUp() override {
    TransfersTest::SetUp();
    original_ = NewTransfer(10, 1, 2, 100);
    original_.user_data = 5;
    ASSERT_EQ(Submit(original_), TR::kOk);
  }

  Transfer original_;
};

TEST_F(IdempotencyTest, SameTransferAgainIsExistsAndChangesNothing) {
  const Account debit_before = GetAccount(1);
  const Account credit_before = GetAccount(2);
  const Transfer stored_before = *ledger_.FindTransfer(10);
  for (int retry = 0; retry < 3; retry++) EXPECT_EQ(Submit(original_), TR::kExists);
  EXPECT_EQ(GetAccount(1), debit_before);
  EXPECT_EQ(GetAccount(2), credit_before);
  EXPECT_EQ(*ledger_.FindTransfer(10), stored_before);
  EXPECT_EQ(ledger_.transfer_count(), 1u);
}

TEST_F(IdempotencyTest, ExistsWithDifferentFlags) {
  Transfer retry = original_;
  retry.flags = tf::kPending;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentFlags);
}

TEST_F(IdempotencyTest, ExistsWithDifferentDebitAccountId) {
  Transfer retry = original_;
  retry.debit_account_id = 3;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentDebitAccountId);
}

TEST_F(IdempotencyTest, ExistsWithDifferentCreditAccountId) {
  Transfer retry = original_;
  retry.credit_account_id = 3;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentCreditAccountId);
}

TEST_F(IdempotencyTest, ExistsWithDifferentAmount) {
  Transfer retry = original_;
  retry.amount = 101;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentAmount);
}

TEST_F(IdempotencyTest, ExistsWithDifferentUserData) {
  Transfer retry = original_;
  retry.user_data = 6;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentUserData);
}

TEST_F(IdempotencyTest, ExistsWithDifferentCode) {
  Transfer retry = original_;
  retry.code = 2;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentCode);
}

// exists_with_different_timeout and exists_with_different_pending_id need a pending transfer
// and a post; they are in two_phase_test.cc.

TEST_F(IdempotencyTest, FlagsAreComparedFirst) {
  Transfer retry = original_;
  retry.flags = tf::kPending;
  retry.debit_account_id = 3;
  retry.amount = 1;
  retry.user_data = 0;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentFlags);

  retry = original_;
  retry.amount = 1;
  retry.user_data = 0;
  retry.code = 9;
  EXPECT_EQ(SubmitFailing(retry), TR::kExistsWithDifferentAmount);
}

TEST_F(IdempotencyTest, ValidationPrecedesTheExistenceCheck) {
  Transfer retry = original_;
  retry.amount = 0;
  EXPECT_EQ(SubmitFailing(retry), TR::kAmountMustBePositive);
  retry = original_;
  retry.credit_account_id = 99;
  EXPECT_EQ(SubmitFailing(retry), TR::kCreditAccountNotFound);
}

TEST_F(IdempotencyTest, RetryAfterCloseIsStillExists) {
  ASSERT_TRUE(ledger_.CloseAccount(1));
  EXPECT_EQ(SubmitFailing(original_), TR::kExists);
  EXPECT_EQ(SubmitFailing(NewTransfer(11, 1, 2, 100)), TR::kDebitAccountClosed);
}

TEST_F(TransfersTest, TimestampsIncreaseWhenTheClockStallsOrGoesBack) {
  std::vector<TR> results;
  const std::vector<Transfer> first = {NewTransfer(10, 1, 2, 1), NewTransfer(11, 1, 2, 1)};
  ledger_.CreateTransfers(first, now_ns_, &results);
  const std::vector<Transfer> stalled = {NewTransfer(12, 1, 2, 1)};
  ledger_.CreateTransfers(stalled, now_ns_, &results);
  const std::vector<Transfer> backwards = {NewTransfer(13, 1, 2, 1)};
  ledger_.CreateTransfers(backwards, now_ns_ - 100 * kNsPerSecond, &results);
  CreateAccounts({NewAccount(4)});  // Accounts share the same clock.
  ledger_.CreateTransfers(backwards, kStartNs, &results);
  ASSERT_EQ(results, std::vector<TR>{TR::kExists});

  const int64_t t10 = ledger_.FindTransfer(10)->timestamp_ns;
  EXPECT_GT(t10, GetAccount(3).timestamp_ns);
  EXPECT_LT(t10, ledger_.FindTransfer(11)->timestamp_ns);
  EXPECT_LT(ledger_.FindTransfer(11)->timestamp_ns, ledger_.FindTransfer(12)->timestamp_ns);
  EXPECT_LT(ledger_.FindTransfer(12)->timestamp_ns, ledger_.FindTransfer(13)->timestamp_ns);
  EXPECT_LT(ledger_.FindTransfer(13)->timestamp_ns, GetAccount(4).timestamp_ns);
  EXPECT_LT(GetAccount(4).timestamp_ns, ledger_.last_timestamp_ns());
}

}  // namespace
}  // namespace qb::ledger::testing
