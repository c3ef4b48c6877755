// The payment PIN inside the engine: SetPaymentPin and RecordPinAttempt answer the tries left
// and the lock's end in Reply::value, and the count, the lock and its escalation are journaled,
// so a replay (with or without a checkpoint) gives the same state and the same lock.
#include <gtest/gtest.h>

#include <string>

#include "engine_test_util.h"

namespace qb::engine {
namespace {

using identity::IdentityResult;
using identity::PinAuthorization;
using testing::CustomerEngineTest;

constexpr int64_t kSecond = 1'000'000'000;
constexpr char kAlice[] = "13800138001";

class PaymentPinEngineTest : public CustomerEngineTest {
 protected:
  uint64_t SignUp(const std::string& phone) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "hash-" + phone}),
              Code(IdentityResult::kOk));
    EXPECT_EQ(Result(RegisterCustomer{{phone, "hash-" + phone, "argon2", "social", ""}}),
              Code(IdentityResult::kOk));
    return last_value_;
  }
  uint8_t SetFirst(uint64_t customer, std::string hash) {
    SetPaymentPin command;
    command.customer_id = customer;
    command.change.how = PinAuthorization::kFirstSet;
    command.change.pin_hash = std::move(hash);
    return Result(command);
  }
};

TEST_F(PaymentPinEngineTest, WrongPinsAndTheLockAreJournaledAndReplayed) {
  for (bool checkpoint : {false, true}) {
    SCOPED_TRACE(checkpoint ? "with a checkpoint" : "journal only");
    EngineOptions options;
    options.checkpoint_on_stop = checkpoint;
    OpenStore();
    OpenEngine(options);
    const uint64_t alice = SignUp(checkpoint ? "13800138002" : kAlice);
    EXPECT_EQ(Result(RecordPinAttempt{alice, true}), Code(IdentityResult::kPinNotSet));
    ASSERT_EQ(SetFirst(alice, "pin-hash"), Code(IdentityResult::kOk));
    EXPECT_EQ(SetFirst(alice, "other"), Code(IdentityResult::kPinAlreadySet));
    for (uint64_t left = 4; left >= 1; left--) {
      EXPECT_EQ(Result(RecordPinAttempt{alice, false}), Code(IdentityResult::kPinMismatch));
      EXPECT_EQ(last_value_, left);
    }
    EXPECT_EQ(Result(RecordPinAttempt{alice, false}), Code(IdentityResult::kPinLocked));
    const uint64_t locked_until = last_value_;
    EXPECT_GT(locked_until, 0u);
    const Digest hash = Hash();
    Restart();
    EXPECT_EQ(Hash(), hash);
    EXPECT_EQ(Result(RecordPinAttempt{alice, true}), Code(IdentityResult::kPinLocked));
    EXPECT_EQ(last_value_, locked_until);
    clock_.Advance(31 * 60 * kSecond);
    EXPECT_EQ(Result(RecordPinAttempt{alice, true}), Code(IdentityResult::kOk));
    StopEngine();
  }
}

TEST_F(PaymentPinEngineTest, OversizedHashesAreRefusedBeforeTheJournal) {
  OpenEngine();
  const uint64_t alice = SignUp(kAlice);
  SetPaymentPin command;
  command.customer_id = alice;
  command.change.pin_hash = std::string(kMaxIdentityFieldBytes + 1, 'x');
  EXPECT_EQ(engine_->Execute(command).status, ReplyStatus::kInvalidCommand);
}

}  // namespace
}  // namespace qb::engine
