// Account creation: one test per CreateAccountResult, precedence between them, result names,
// and closing accounts.
#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger_test_util.h"

namespace qb::ledger::testing {
namespace {

namespace af = account_flags;

class AccountsTest : public LedgerTest {};

TEST_F(AccountsTest, Ok) {
  Account input = NewAccount(1);
  input.user_data = 77;
  ASSERT_EQ(CreateAccount(input), AR::kOk);
  const Account stored = GetAccount(1);
  EXPECT_EQ(stored.user_data, 77u);
  EXPECT_EQ(stored.ledger, kLedgerCny);
  EXPECT_EQ(stored.timestamp_ns, now_ns_);
  EXPECT_EQ(ledger_.account_count(), 1u);
}

TEST_F(AccountsTest, ReservedFlag) {
  EXPECT_EQ(CreateAccount(NewAccount(1, af::kAll + 1)), AR::kReservedFlag);
  EXPECT_EQ(CreateAccount(NewAccount(1, 1 << 15)), AR::kReservedFlag);
  EXPECT_EQ(ledger_.account_count(), 0u);
}

TEST_F(AccountsTest, IdMustNotBeZero) {
  EXPECT_EQ(CreateAccount(NewAccount(0)), AR::kIdMustNotBeZero);
}

TEST_F(AccountsTest, IdMustNotBeIntMax) {
  EXPECT_EQ(CreateAccount(NewAccount(std::numeric_limits<uint64_t>::max())),
            AR::kIdMustNotBeIntMax);
  EXPECT_EQ(CreateAccount(NewAccount(std::numeric_limits<uint64_t>::max() - 1)), AR::kOk);
}

TEST_F(AccountsTest, FlagsAreMutuallyExclusive) {
  const uint16_t both = af::kDebitsMustNotExceedCredits | af::kCreditsMustNotExceedDebits;
  EXPECT_EQ(CreateAccount(NewAccount(1, both)), AR::kFlagsAreMutuallyExclusive);
}

TEST_F(AccountsTest, BalancesMustBeZero) {
  for (int field = 0; field < 4; field++) {
    Account input = NewAccount(1);
    int64_t* balances[] = {&input.debits_pending, &input.debits_posted, &input.credits_pending,
                           &input.credits_posted};
    *balances[field] = 1;
    EXPECT_EQ(CreateAccount(input), AR::kBalancesMustBeZero) << "field " << field;
  }
}

TEST_F(AccountsTest, TimestampMustBeZero) {
  Account input = NewAccount(1);
  input.timestamp_ns = 5;
  EXPECT_EQ(CreateAccount(input), AR::kTimestampMustBeZero);
}

TEST_F(AccountsTest, LedgerMustNotBeZero) {
  EXPECT_EQ(CreateAccount(NewAccount(1, 0, 0)), AR::kLedgerMustNotBeZero);
}

TEST_F(AccountsTest, KindMustNotBeZero) {
  Account input = NewAccount(1);
  input.kind = 0;
  EXPECT_EQ(CreateAccount(input), AR::kKindMustNotBeZero);
}

TEST_F(AccountsTest, ExistsAndExistsWithDifferentFields) {
  Account original = NewAccount(1, af::kDebitsMustNotExceedCredits);
  original.user_data = 9;
  ASSERT_EQ(CreateAccount(original), AR::kOk);
  const Account before = GetAccount(1);

  EXPECT_EQ(CreateAccount(original), AR::kExists);

  Account different_flags = original;
  different_flags.flags = 0;
  EXPECT_EQ(CreateAccount(different_flags), AR::kExistsWithDifferentFlags);

  Account different_user_data = original;
  different_user_data.user_data = 10;
  EXPECT_EQ(CreateAccount(different_user_data), AR::kExistsWithDifferentUserData);

  Account different_ledger = original;
  different_ledger.ledger = kLedgerPoints;
  EXPECT_EQ(CreateAccount(different_ledger), AR::kExistsWithDifferentLedger);

  Account different_kind = original;
  different_kind.kind = static_cast<uint16_t>(AccountKind::kSuspense);
  EXPECT_EQ(CreateAccount(different_kind), AR::kExistsWithDifferentKind);

  EXPECT_EQ(GetAccount(1), before);
  EXPECT_EQ(ledger_.account_count(), 1u);
}

TEST_F(AccountsTest, PrecedenceFollowsTheResultOrder) {
  Account reserved_and_zero_id = NewAccount(0, 1 << 10);
  EXPECT_EQ(CreateAccount(reserved_and_zero_id), AR::kReservedFlag);

  Account zero_id_and_no_ledger = NewAccount(0, 0, 0);
  EXPECT_EQ(CreateAccount(zero_id_and_no_ledger), AR::kIdMustNotBeZero);

  Account exclusive_and_balance =
      NewAccount(1, af::kDebitsMustNotExceedCredits | af::kCreditsMustNotExceedDebits);
  exclusive_and_balance.credits_posted = 1;
  EXPECT_EQ(CreateAccount(exclusive_and_balance), AR::kFlagsAreMutuallyExclusive);

  Account balance_and_timestamp = NewAccount(1);
  balance_and_timestamp.debits_posted = 1;
  balance_and_timestamp.timestamp_ns = 1;
  EXPECT_EQ(CreateAccount(balance_and_timestamp), AR::kBalancesMustBeZero);

  Account no_ledger_no_kind = NewAccount(1, 0, 0);
  no_ledger_no_kind.kind = 0;
  EXPECT_EQ(CreateAccount(no_ledger_no_kind), AR::kLedgerMustNotBeZero);

  // Validation comes before the existence check, and flags are compared before user data.
  ASSERT_EQ(CreateAccount(NewAccount(2)), AR::kOk);
  EXPECT_EQ(CreateAccount(NewAccount(2, 0, 0)), AR::kLedgerMustNotBeZero);
  Account flags_and_user_data = NewAccount(2, af::kCreditsMustNotExceedDebits);
  flags_and_user_data.user_data = 3;
  EXPECT_EQ(CreateAccount(flags_and_user_data), AR::kExistsWithDifferentFlags);
  Account user_data_and_ledger = NewAccount(2, 0, kLedgerPoints);
  user_data_and_ledger.user_data = 3;
  EXPECT_EQ(CreateAccount(user_data_and_ledger), AR::kExistsWithDifferentUserData);
  Account ledger_and_kind = NewAccount(2, 0, kLedgerPoints);
  ledger_and_kind.kind = static_cast<uint16_t>(AccountKind::kFeeIncome);
  EXPECT_EQ(CreateAccount(ledger_and_kind), AR::kExistsWithDifferentLedger);
}

TEST_F(AccountsTest, BatchGetsOneResultPerAccountInOrder) {
  const std::vector<Account> batch = {NewAccount(1), NewAccount(0), NewAccount(1), NewAccount(2)};
  std::vector<AR> results = {AR::kExists};  // Stale contents must be replaced.
  ledger_.CreateAccounts(batch, NextNow(), &results);
  EXPECT_EQ(results, (std::vector<AR>{AR::kOk, AR::kIdMustNotBeZero, AR::kExists, AR::kOk}));
  EXPECT_LT(GetAccount(1).timestamp_ns, GetAccount(2).timestamp_ns);
}

TEST_F(AccountsTest, ResultNamesAreStableSnakeCase) {
  EXPECT_EQ(ResultName(AR::kOk), "ok");
  EXPECT_EQ(ResultName(AR::kReservedFlag), "reserved_flag");
  EXPECT_EQ(ResultName(AR::kIdMustNotBeIntMax), "id_must_not_be_int_max");
  EXPECT_EQ(ResultName(AR::kExistsWithDifferentUserData), "exists_with_different_user_data");
  EXPECT_EQ(ResultName(AR::kExists), "exists");
  EXPECT_EQ(ResultName(static_cast<AR>(200)), "unknown");

  EXPECT_EQ(ResultName(TR::kOk), "ok");
  EXPECT_EQ(ResultName(TR::kLinkedEventFailed), "linked_event_failed");
  EXPECT_EQ(ResultName(TR::kLinkedEventChainOpen), "linked_event_chain_open");
  EXPECT_EQ(ResultName(TR::kPendingTransferHasDifferentDebitAccountId),
            "pending_transfer_has_different_debit_account_id");
  EXPECT_EQ(ResultName(TR::kOverflowsDebitsPending), "overflows_debits_pending");
  EXPECT_EQ(ResultName(TR::kExceedsCredits), "exceeds_credits");
  EXPECT_EQ(ResultName(TR::kExceedsDebits), "exceeds_debits");
  EXPECT_EQ(ResultName(static_cast<TR>(53)), "unknown");
}

TEST_F(AccountsTest, EveryResultHasADistinctLowercaseName) {
  std::set<std::string_view> names;
#define QB_CHECK_NAME(name, value)                                                 \
  names.insert(ResultName(TR::name));                                              \
  EXPECT_EQ(ResultName(TR::name).find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), \
            std::string_view::npos);
  QB_CREATE_TRANSFER_RESULTS(QB_CHECK_NAME)
#undef QB_CHECK_NAME
  EXPECT_EQ(names.size(), 53u);
}

TEST_F(AccountsTest, CloseAccount) {
  CreateAccounts({NewAccount(1), NewAccount(2)});
  EXPECT_FALSE(ledger_.CloseAccount(99));
  EXPECT_TRUE(ledger_.CloseAccount(1));
  EXPECT_TRUE(GetAccount(1).flags & af::kClosed);
  EXPECT_FALSE(GetAccount(2).flags & af::kClosed);
  EXPECT_TRUE(ledger_.CloseAccount(1)) << "closing twice is harmless";
}

TEST_F(AccountsTest, CloseAccountRefusedWhilePendingAmountsRemain) {
  CreateAccounts({NewAccount(1), NewAccount(2)});
  ASSERT_EQ(Submit(NewPending(10, 1, 2, 50)), TR::kOk);
  const Account debit_before = GetAccount(1);
  EXPECT_FALSE(ledger_.CloseAccount(1)) << "debits pending";
  EXPECT_FALSE(ledger_.CloseAccount(2)) << "credits pending";
  EXPECT_EQ(GetAccount(1), debit_before);

  ASSERT_EQ(Submit(NewVoid(11, 10)), TR::kOk);
  EXPECT_TRUE(ledger_.CloseAccount(1));
  EXPECT_TRUE(ledger_.CloseAccount(2));
}

TEST_F(AccountsTest, AccountTimestampsIncreaseWhenTheClockStallsOrGoesBack) {
  std::vector<AR> results;
  const std::vector<Account> first = {NewAccount(1), NewAccount(2)};
  ledger_.CreateAccounts(first, 1000, &results);
  const std::vector<Account> stalled = {NewAccount(3)};
  ledger_.CreateAccounts(stalled, 1000, &results);
  const std::vector<Account> backwards = {NewAccount(4)};
  ledger_.CreateAccounts(backwards, 10, &results);
  EXPECT_EQ(GetAccount(1).timestamp_ns, 1000);
  EXPECT_EQ(GetAccount(2).timestamp_ns, 1001);
  EXPECT_EQ(GetAccount(3).timestamp_ns, 1002);
  EXPECT_EQ(GetAccount(4).timestamp_ns, 1003);
  EXPECT_EQ(ledger_.last_timestamp_ns(), 1003);
}

}  // namespace
}  // namespace qb::ledger::testing
