// Customers inside the engine: registration with a one-time code opens a wallet, log-in
// lockout and sessions, and person-to-person transfers within the wallet tiers' limits — all
// journaled, so a restart finds exactly the same customers, sessions and spending.
#include <gtest/gtest.h>

#include <string>

#include "engine_test_util.h"

namespace qb::engine {
namespace {

using identity::IdentityResult;
using testing::Accounts;
using testing::Clearing;
using testing::CustomerEngineTest;
using testing::Move;
using testing::Transfers;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kYuan = 100;
constexpr char kAlice[] = "13800138001";
constexpr char kBob[] = "13800138002";
constexpr char kCarol[] = "13800138003";

class IdentityTest : public CustomerEngineTest {
 protected:
  // Issues a code and registers with it; returns the customer id.
  uint64_t SignUp(const std::string& phone) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "hash-" + phone}),
              Code(IdentityResult::kOk));
    EXPECT_EQ(Result(RegisterCustomer{{phone, "hash-" + phone, "argon2", "social", ""}}),
              Code(IdentityResult::kOk));
    return last_value_;
  }
  uint8_t Pay(uint64_t id, uint64_t from, const std::string& to, int64_t amount) {
    return Result(P2PTransfer{id, from, to, amount, "", {}});
  }
};

TEST_F(IdentityTest, RegistrationOpensAWalletAndWrongOrReusedCodesAreRefused) {
  OpenEngine();
  EXPECT_EQ(Result(IssueOtp{kAlice, identity::OtpPurpose::kRegister, "right"}),
            Code(IdentityResult::kOk));
  EXPECT_EQ(Result(RegisterCustomer{{kAlice, "wrong", "argon2", "social", ""}}),
            Code(IdentityResult::kOtpMismatch));
  EXPECT_EQ(Result(RegisterCustomer{{kAlice, "right", "argon2", "social", ""}}),
            Code(IdentityResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  const auto wallet = FindAccount(kCustomerWalletAccountBase + 1);
  ASSERT_TRUE(wallet.has_value());
  EXPECT_EQ(wallet->kind, static_cast<uint16_t>(ledger::AccountKind::kCustomerWallet));
  EXPECT_TRUE(wallet->flags & ledger::account_flags::kDebitsMustNotExceedCredits);
  EXPECT_EQ(Result(RegisterCustomer{{kAlice, "right", "argon2", "social", ""}}),
            Code(IdentityResult::kPhoneTaken));
  // A resend within the minute is refused.
  EXPECT_EQ(Result(IssueOtp{kAlice, identity::OtpPurpose::kLogin, "again"}),
            Code(IdentityResult::kOtpTooFrequent));
}

TEST_F(IdentityTest, TransfersRespectTierLimitsFundsAndIdempotency) {
  OpenEngine();
  const uint64_t alice = SignUp(kAlice);
  clock_.Advance(61 * kSecond);
  const uint64_t bob = SignUp(kBob);
  clock_.Advance(61 * kSecond);
  const uint64_t carol = SignUp(kCarol);
  ExecOk(Accounts({Clearing(1)}));
  ExecOk(Transfers({Move(1, 1, kCustomerWalletAccountBase + alice, 1'000 * kYuan),
                    Move(2, 1, kCustomerWalletAccountBase + carol, 10 * kYuan)}));

  // Tier IV: ¥500 a payment, ¥1,000 a day, balance at most ¥1,000.
  EXPECT_EQ(Pay(100, alice, kBob, 500 * kYuan + 1), Code(MoneyResult::kExceedsPerPayment));
  EXPECT_EQ(Pay(101, alice, kBob, 500 * kYuan), Code(MoneyResult::kOk));
  EXPECT_EQ(Pay(101, alice, kBob, 500 * kYuan), Code(MoneyResult::kDuplicate));
  EXPECT_EQ(Pay(102, alice, kBob, 500 * kYuan), Code(MoneyResult::kOk));
  EXPECT_EQ(Balance(alice), 0);
  EXPECT_EQ(Balance(bob), 1'000 * kYuan);
  EXPECT_EQ(Pay(103, carol, kBob, 1 * kYuan), Code(MoneyResult::kReceiverBalanceCap));
  EXPECT_EQ(Pay(104, carol, kAlice, 20 * kYuan), Code(MoneyResult::kInsufficientFunds));
  EXPECT_EQ(Pay(105, carol, kCarol, 1 * kYuan), Code(MoneyResult::kSameCustomer));
  EXPECT_EQ(Pay(106, carol, "13900000000", 1 * kYuan), Code(MoneyResult::kReceiverNotFound));
  EXPECT_EQ(Pay(107, 99, kBob, 1 * kYuan), Code(MoneyResult::kSenderNotFound));
  EXPECT_EQ(Pay(108, carol, kAlice, 0), Code(MoneyResult::kInvalid));
  EXPECT_EQ(Pay(109, bob, kAlice, 1 * kYuan), Code(MoneyResult::kOk));
  // Alice has spent her ¥1,000 for the day; money coming in does not change that.
  EXPECT_EQ(Pay(110, alice, kBob, 1), Code(MoneyResult::kExceedsDaily));
  EXPECT_EQ(Balance(carol), 10 * kYuan);  // Nothing moved for any refusal.

  // The spending window and every balance survive a restart, with and without a checkpoint.
  const Digest hash = Hash();
  Restart();
  EXPECT_EQ(Hash(), hash);
  EXPECT_EQ(Pay(111, alice, kBob, 1), Code(MoneyResult::kExceedsDaily));
  // The next China day, Alice may spend again.
  clock_.Advance(24 * 3600 * kSecond);
  EXPECT_EQ(Pay(112, alice, kCarol, 1 * kYuan), Code(MoneyResult::kOk));
  Query([](const StateMachine& s) { EXPECT_FALSE(s.ledger().CheckInvariants().has_value()); });
}

TEST_F(IdentityTest, LockoutAndSessionsAreJournaled) {
  EngineOptions no_checkpoint;
  no_checkpoint.checkpoint_on_stop = false;
  OpenEngine(no_checkpoint);
  const uint64_t alice = SignUp(kAlice);
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(Result(RecordLogin{alice, false}), Code(IdentityResult::kOk));
  }
  EXPECT_EQ(Result(RecordLogin{alice, false}), Code(IdentityResult::kLoginLocked));
  EXPECT_EQ(Result(CreateSession{"token-hash", alice, {}}), Code(IdentityResult::kOk));
  EXPECT_EQ(Result(CreateSession{"token-hash", 42, {}}), Code(IdentityResult::kCustomerNotFound));
  Restart();  // Replays the journal from the start.
  EXPECT_EQ(Result(RecordLogin{alice, true}), Code(IdentityResult::kLoginLocked));
  bool session_found = false;
  Query([&](const StateMachine& s) {
    session_found = s.customers().FindSession("token-hash", s.batch_time_ns()) != nullptr;
  });
  EXPECT_TRUE(session_found);
  EXPECT_EQ(Result(RevokeSession{"token-hash"}), Code(IdentityResult::kOk));
  EXPECT_EQ(Result(RevokeSession{"token-hash"}), Code(IdentityResult::kSessionNotFound));
  clock_.Advance(31 * 60 * kSecond);
  EXPECT_EQ(Result(RecordLogin{alice, true}), Code(IdentityResult::kOk));
}

TEST_F(IdentityTest, OversizedFieldsNeverReachTheJournal) {
  OpenEngine();
  Reply reply = engine_->Execute(
      IssueOtp{std::string(kMaxIdentityFieldBytes + 1, '1'), identity::OtpPurpose::kRegister, "h"});
  EXPECT_EQ(reply.status, ReplyStatus::kInvalidCommand);
  EXPECT_EQ(LastJournalSeq(), 0u);
}

}  // namespace
}  // namespace qb::engine
