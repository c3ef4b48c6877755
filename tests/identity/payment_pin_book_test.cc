// The payment PIN's bookkeeping in the customer book: lockout, escalation and its decay, what
// setting, changing and resetting need, and the checkpoint encoding's PIN trailer.
#include <gtest/gtest.h>

#include "identity/customer_book.h"

namespace qb::identity {
namespace {

constexpr int64_t kSecond = kNsPerSecond;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
// 2026-11-22 02:00 UTC = 10:00 in China.
constexpr int64_t kStart = int64_t{1'795'312'800} * kNsPerSecond;
constexpr char kPhone[] = "13800138000";
constexpr uint64_t kId = 7;

class PaymentPinBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(book_.IssueOtp(kPhone, OtpPurpose::kRegister, "code-hash", kStart),
              IdentityResult::kOk);
    ASSERT_EQ(book_.Register(Registration{kPhone, "code-hash", "argon2-hash", "campus", ""}, kId,
                             1007, kStart),
              IdentityResult::kOk);
  }
  IdentityResult SetFirst(std::string hash, int64_t at) {
    PinChange change;
    change.how = PinAuthorization::kFirstSet;
    change.pin_hash = std::move(hash);
    return book_.SetPaymentPin(kId, change, at);
  }
  // Five wrong PINs from `at`, one a second; returns the last answer.
  IdentityResult FiveWrong(int64_t at) {
    IdentityResult last = IdentityResult::kOk;
    for (int i = 0; i < 5; i++) last = book_.RecordPinAttempt(kId, false, at + i * kSecond);
    return last;
  }
  void Verify() {
    ASSERT_EQ(book_.VerifyIdentity(
                  kId, VerifiedIdentity{"张三", "id-lookup", "sealed", "1101**", 0}, kStart),
              IdentityResult::kOk);
  }
  const Customer& customer() const { return *book_.FindById(kId); }
  CustomerBook book_;
};

TEST_F(PaymentPinBookTest, NoPinMeansNothingToCount) {
  EXPECT_FALSE(customer().has_pin());
  EXPECT_EQ(book_.RecordPinAttempt(kId, false, kStart), IdentityResult::kPinNotSet);
  EXPECT_EQ(book_.RecordPinAttempt(99, true, kStart), IdentityResult::kCustomerNotFound);
  EXPECT_EQ(SetFirst("", kStart), IdentityResult::kInvalid);
}

TEST_F(PaymentPinBookTest, FiveWrongPinsLockForThirtyMinutesAndRefuseTheRightOne) {
  ASSERT_EQ(SetFirst("pin-hash", kStart), IdentityResult::kOk);
  for (uint32_t i = 0; i < 4; i++) {
    EXPECT_EQ(book_.RecordPinAttempt(kId, false, kStart + i), IdentityResult::kPinMismatch);
    EXPECT_EQ(customer().pin_tries_left(), 4 - i);
  }
  EXPECT_EQ(book_.RecordPinAttempt(kId, false, kStart + 5), IdentityResult::kPinLocked);
  EXPECT_EQ(customer().pin_locked_until_ns, kStart + 5 + 30 * kMinute);
  EXPECT_EQ(customer().pin_lock_level, 1);
  EXPECT_EQ(book_.RecordPinAttempt(kId, true, kStart + 29 * kMinute), IdentityResult::kPinLocked);
  EXPECT_EQ(book_.RecordPinAttempt(kId, true, kStart + 31 * kMinute), IdentityResult::kOk);
  EXPECT_EQ(customer().pin_tries_left(), 5u);
}

TEST_F(PaymentPinBookTest, ASuccessClearsTheCountButNotTheEscalation) {
  ASSERT_EQ(SetFirst("pin-hash", kStart), IdentityResult::kOk);
  for (int i = 0; i < 4; i++) book_.RecordPinAttempt(kId, false, kStart + i);
  EXPECT_EQ(book_.RecordPinAttempt(kId, true, kStart + 10), IdentityResult::kOk);
  EXPECT_EQ(book_.RecordPinAttempt(kId, false, kStart + 11), IdentityResult::kPinMismatch);
  EXPECT_EQ(customer().pin_tries_left(), 4u);
}

TEST_F(PaymentPinBookTest, LocksEscalateThirtyMinutesTwoHoursThenADay) {
  ASSERT_EQ(SetFirst("pin-hash", kStart), IdentityResult::kOk);
  int64_t now = kStart;
  const int64_t expected[] = {30 * kMinute, 2 * kHour, 24 * kHour, 24 * kHour};
  for (int64_t length : expected) {
    ASSERT_EQ(FiveWrong(now), IdentityResult::kPinLocked);
    const int64_t locked_at = now + 4 * kSecond;
    EXPECT_EQ(customer().pin_locked_until_ns, locked_at + length);
    // A right PIN after the lock clears the count, not the level.
    now = customer().pin_locked_until_ns + kMinute;
    ASSERT_EQ(book_.RecordPinAttempt(kId, true, now), IdentityResult::kOk);
  }
  EXPECT_EQ(customer().pin_lock_level, kMaxPinLockLevel);
}

TEST_F(PaymentPinBookTest, TheEscalationDecaysAfterADayWithoutALock) {
  ASSERT_EQ(SetFirst("pin-hash", kStart), IdentityResult::kOk);
  ASSERT_EQ(FiveWrong(kStart), IdentityResult::kPinLocked);
  const int64_t first_end = customer().pin_locked_until_ns;
  // Just under a day after the lock ended: the next lock is the second step.
  ASSERT_EQ(FiveWrong(first_end + 24 * kHour - 10 * kSecond), IdentityResult::kPinLocked);
  EXPECT_EQ(customer().pin_lock_level, 2);
  const int64_t second_end = customer().pin_locked_until_ns;
  // A full day clear of locks: back to thirty minutes.
  const int64_t later = second_end + 24 * kHour;
  ASSERT_EQ(FiveWrong(later), IdentityResult::kPinLocked);
  EXPECT_EQ(customer().pin_lock_level, 1);
  EXPECT_EQ(customer().pin_locked_until_ns, later + 4 * kSecond + 30 * kMinute);
}

TEST_F(PaymentPinBookTest, FirstSetOnceThenChangeNeedsTheCurrentPin) {
  ASSERT_EQ(SetFirst("pin-1", kStart), IdentityResult::kOk);
  EXPECT_EQ(SetFirst("pin-2", kStart + 1), IdentityResult::kPinAlreadySet);
  PinChange change;
  change.how = PinAuthorization::kChange;
  change.pin_hash = "pin-2";
  change.current_pin_ok = false;
  EXPECT_EQ(book_.SetPaymentPin(kId, change, kStart + 2), IdentityResult::kPinMismatch);
  EXPECT_EQ(customer().pin_hash, "pin-1");
  EXPECT_EQ(customer().pin_tries_left(), 4u);
  change.current_pin_ok = true;
  EXPECT_EQ(book_.SetPaymentPin(kId, change, kStart + 3), IdentityResult::kOk);
  EXPECT_EQ(customer().pin_hash, "pin-2");
  EXPECT_EQ(customer().pin_tries_left(), 5u);
  // Locked: even a verified current PIN cannot change it.
  ASSERT_EQ(FiveWrong(kStart + 10), IdentityResult::kPinLocked);
  change.pin_hash = "pin-3";
  EXPECT_EQ(book_.SetPaymentPin(kId, change, kStart + 20), IdentityResult::kPinLocked);
  EXPECT_EQ(customer().pin_hash, "pin-2");
}

TEST_F(PaymentPinBookTest, ResetNeedsTheCodeAndTheVerifiedIdAndClearsTheLock) {
  ASSERT_EQ(SetFirst("pin-1", kStart), IdentityResult::kOk);
  ASSERT_EQ(FiveWrong(kStart), IdentityResult::kPinLocked);
  PinChange reset;
  reset.how = PinAuthorization::kReset;
  reset.pin_hash = "pin-2";
  reset.otp_hash = "reset-code";
  reset.id_lookup_hash = "id-lookup";
  EXPECT_EQ(book_.SetPaymentPin(kId, reset, kStart + kMinute), IdentityResult::kNotVerified);
  Verify();
  EXPECT_EQ(book_.SetPaymentPin(kId, reset, kStart + kMinute), IdentityResult::kOtpNotFound);
  // A code for another purpose does not serve.
  ASSERT_EQ(book_.IssueOtp(kPhone, OtpPurpose::kResetPassword, "reset-code", kStart + kMinute),
            IdentityResult::kOk);
  EXPECT_EQ(book_.SetPaymentPin(kId, reset, kStart + kMinute), IdentityResult::kOtpNotFound);
  ASSERT_EQ(book_.IssueOtp(kPhone, OtpPurpose::kResetPin, "reset-code", kStart + 3 * kMinute),
            IdentityResult::kOk);
  // A wrong resident ID uses the code up.
  reset.id_lookup_hash = "someone-else";
  EXPECT_EQ(book_.SetPaymentPin(kId, reset, kStart + 3 * kMinute),
            IdentityResult::kIdentityMismatch);
  reset.id_lookup_hash = "id-lookup";
  EXPECT_EQ(book_.SetPaymentPin(kId, reset, kStart + 3 * kMinute), IdentityResult::kOtpNotFound);
  EXPECT_EQ(customer().pin_hash, "pin-1");
  ASSERT_EQ(book_.IssueOtp(kPhone, OtpPurpose::kResetPin, "reset-code", kStart + 5 * kMinute),
            IdentityResult::kOk);
  EXPECT_EQ(book_.SetPaymentPin(kId, reset, kStart + 5 * kMinute), IdentityResult::kOk);
  EXPECT_EQ(customer().pin_hash, "pin-2");
  EXPECT_FALSE(customer().pin_locked(kStart + 5 * kMinute));
  EXPECT_EQ(book_.RecordPinAttempt(kId, true, kStart + 6 * kMinute), IdentityResult::kOk);
  EXPECT_EQ(customer().pin_lock_level, 1);  // The escalation stays.
}

TEST_F(PaymentPinBookTest, ABookWithoutPinsEncodesAsBeforeAndPinsRoundTrip) {
  std::string before;
  book_.Serialize(&before);
  ASSERT_EQ(SetFirst("pin-hash", kStart), IdentityResult::kOk);
  ASSERT_EQ(FiveWrong(kStart), IdentityResult::kPinLocked);
  ASSERT_EQ(book_.RecordPinAttempt(kId, false, kStart + kHour), IdentityResult::kPinMismatch);
  std::string with_pin;
  book_.Serialize(&with_pin);
  // The PIN is a trailer after the old encoding, which is otherwise unchanged.
  ASSERT_GT(with_pin.size(), before.size());
  EXPECT_EQ(with_pin.substr(0, before.size()), before);
  CustomerBook loaded;
  ASSERT_TRUE(loaded.Deserialize(with_pin));
  EXPECT_EQ(*loaded.FindById(kId), customer());
  EXPECT_EQ(loaded.StateHash(), book_.StateHash());
  // Old bytes load with no PIN.
  ASSERT_TRUE(loaded.Deserialize(before));
  EXPECT_FALSE(loaded.FindById(kId)->has_pin());
  // An empty trailer is never written, so it is refused; so is a PIN for nobody.
  std::string empty_trailer = before + std::string(8, '\0');
  EXPECT_FALSE(loaded.Deserialize(empty_trailer));
  std::string stranger = with_pin;
  stranger[before.size() + 8] = 99;  // The customer id's low byte.
  EXPECT_FALSE(loaded.Deserialize(stranger));
  EXPECT_FALSE(loaded.Deserialize(with_pin.substr(0, with_pin.size() - 1)));
}

}  // namespace
}  // namespace qb::identity
