// Two-step log-in (TOTP) in the customer book: enrolment, step replay, single-use recovery
// codes, the lockout, and the checkpoint encoding's TOTP trailer (old encodings still load).
#include <gtest/gtest.h>

#include "identity/customer_book.h"

namespace qb::identity {
namespace {

constexpr int64_t kSecond = kNsPerSecond;
constexpr int64_t kMinute = 60 * kSecond;
// 2026-11-22 02:00 UTC.
constexpr int64_t kStart = int64_t{1'795'312'800} * kNsPerSecond;
constexpr char kPhone[] = "13800138000";
constexpr uint64_t kId = 7;
constexpr int64_t kStep = 59'843'760;

class TotpBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(book_.IssueOtp(kPhone, OtpPurpose::kRegister, "code-hash", kStart),
              IdentityResult::kOk);
    ASSERT_EQ(book_.Register(Registration{kPhone, "code-hash", "argon2-hash", "campus", ""}, kId,
                             1007, kStart),
              IdentityResult::kOk);
  }
  void Enable() {
    ASSERT_EQ(book_.BeginTotpEnrolment(kId, "sealed-secret"), IdentityResult::kOk);
    ASSERT_EQ(book_.ConfirmTotp(kId, "sealed-secret", kStep, {"h1", "h2", "h3"}),
              IdentityResult::kOk);
  }
  static TotpUse Step(int64_t step, bool disable = false) {
    TotpUse use;
    use.proof = TotpProof::kStep;
    use.step = step;
    use.disable = disable;
    return use;
  }
  static TotpUse Recovery(std::string hash) {
    TotpUse use;
    use.proof = TotpProof::kRecoveryCode;
    use.recovery_code_hash = std::move(hash);
    return use;
  }
  static TotpUse Wrong() { return TotpUse{}; }
  const Customer& customer() const { return *book_.FindById(kId); }
  CustomerBook book_;
};

TEST_F(TotpBookTest, EnrolmentIsPendingUntilConfirmed) {
  EXPECT_EQ(customer().totp_state, TotpState::kOff);
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep), kStart), IdentityResult::kTotpNotEnabled);
  EXPECT_EQ(book_.ConfirmTotp(kId, "", kStep, {"h1"}), IdentityResult::kTotpNotPending);
  EXPECT_EQ(book_.BeginTotpEnrolment(kId, ""), IdentityResult::kInvalid);
  EXPECT_EQ(book_.BeginTotpEnrolment(99, "sealed"), IdentityResult::kCustomerNotFound);
  ASSERT_EQ(book_.BeginTotpEnrolment(kId, "sealed-1"), IdentityResult::kOk);
  EXPECT_EQ(customer().totp_state, TotpState::kPending);
  // A pending secret is not a second factor yet.
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep), kStart), IdentityResult::kTotpNotEnabled);
  // Starting again replaces the pending secret.
  ASSERT_EQ(book_.BeginTotpEnrolment(kId, "sealed-2"), IdentityResult::kOk);
  EXPECT_EQ(customer().totp_secret_sealed, "sealed-2");
  EXPECT_EQ(book_.ConfirmTotp(kId, "sealed-2", kStep, {}), IdentityResult::kInvalid);
  EXPECT_EQ(book_.ConfirmTotp(kId, "sealed-2", kStep, {"h1", ""}), IdentityResult::kInvalid);
  // A code matched against the replaced secret does not turn the new one on.
  EXPECT_EQ(book_.ConfirmTotp(kId, "sealed-1", kStep, {"h1"}), IdentityResult::kTotpNotPending);
  ASSERT_EQ(book_.ConfirmTotp(kId, "sealed-2", kStep, {"h1", "h2"}), IdentityResult::kOk);
  EXPECT_TRUE(customer().totp_on());
  EXPECT_EQ(customer().totp_last_step, kStep);
  EXPECT_EQ(book_.BeginTotpEnrolment(kId, "sealed-3"), IdentityResult::kTotpAlreadyEnabled);
  EXPECT_EQ(book_.ConfirmTotp(kId, "sealed-2", kStep + 1, {"h1"}),
            IdentityResult::kTotpAlreadyEnabled);
}

TEST_F(TotpBookTest, AStepIsAcceptedOnceAndNeverAnEarlierOne) {
  Enable();
  // The confirming code's step is used already.
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep), kStart), IdentityResult::kTotpInvalid);
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep + 1), kStart), IdentityResult::kOk);
  EXPECT_EQ(customer().totp_last_step, kStep + 1);
  EXPECT_EQ(customer().totp_failed, 0u);  // A right code clears the count.
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep + 1), kStart), IdentityResult::kTotpInvalid);
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep), kStart), IdentityResult::kTotpInvalid);
  EXPECT_EQ(customer().totp_tries_left(), 3u);
}

TEST_F(TotpBookTest, ARecoveryCodeWorksOnce) {
  Enable();
  EXPECT_EQ(book_.UseTotp(kId, Recovery("h2"), kStart), IdentityResult::kOk);
  EXPECT_EQ(customer().recovery_code_hashes, (std::vector<std::string>{"h1", "h3"}));
  EXPECT_EQ(book_.UseTotp(kId, Recovery("h2"), kStart), IdentityResult::kTotpInvalid);
  EXPECT_EQ(book_.UseTotp(kId, Recovery(""), kStart), IdentityResult::kTotpInvalid);
  EXPECT_EQ(customer().totp_failed, 2u);
}

TEST_F(TotpBookTest, FiveWrongCodesLockForThirtyMinutesAndRefuseTheRightOne) {
  Enable();
  for (uint32_t i = 0; i < 4; i++) {
    EXPECT_EQ(book_.UseTotp(kId, Wrong(), kStart + i), IdentityResult::kTotpInvalid);
    EXPECT_EQ(customer().totp_tries_left(), 4 - i);
  }
  EXPECT_EQ(book_.UseTotp(kId, Recovery("nope"), kStart + 4), IdentityResult::kTotpLocked);
  EXPECT_EQ(customer().totp_locked_until_ns, kStart + 4 + kTotpLockNs);
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep + 1), kStart + 29 * kMinute),
            IdentityResult::kTotpLocked);
  EXPECT_EQ(book_.UseTotp(kId, Recovery("h1"), kStart + 29 * kMinute), IdentityResult::kTotpLocked);
  EXPECT_EQ(customer().recovery_code_hashes.size(), 3u);  // Nothing spent while locked.
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep + 1), kStart + 31 * kMinute), IdentityResult::kOk);
}

TEST_F(TotpBookTest, DisablingNeedsARightCodeAndForgetsTheSecret) {
  Enable();
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep, /*disable=*/true), kStart),
            IdentityResult::kTotpInvalid);
  EXPECT_TRUE(customer().totp_on());
  EXPECT_EQ(book_.UseTotp(kId, Step(kStep + 1, /*disable=*/true), kStart), IdentityResult::kOk);
  EXPECT_EQ(customer().totp_state, TotpState::kOff);
  EXPECT_TRUE(customer().totp_secret_sealed.empty());
  EXPECT_TRUE(customer().recovery_code_hashes.empty());
  EXPECT_EQ(customer().totp_last_step, kNoTotpStep);
  // And it can be enrolled again.
  EXPECT_EQ(book_.BeginTotpEnrolment(kId, "sealed-new"), IdentityResult::kOk);
}

TEST_F(TotpBookTest, ABookWithoutTotpEncodesAsBeforeAndTotpRoundTrips) {
  std::string before;
  book_.Serialize(&before);
  Enable();
  ASSERT_EQ(book_.UseTotp(kId, Recovery("h3"), kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.UseTotp(kId, Wrong(), kStart), IdentityResult::kTotpInvalid);
  std::string with_totp;
  book_.Serialize(&with_totp);
  // Old encoding, an empty pins trailer (count 0), then the TOTP trailer.
  ASSERT_GT(with_totp.size(), before.size() + 8);
  EXPECT_EQ(with_totp.substr(0, before.size()), before);
  EXPECT_EQ(with_totp.substr(before.size(), 8), std::string(8, '\0'));
  CustomerBook loaded;
  ASSERT_TRUE(loaded.Deserialize(with_totp));
  EXPECT_EQ(*loaded.FindById(kId), customer());
  EXPECT_EQ(loaded.StateHash(), book_.StateHash());
  // Old bytes (before PINs and TOTP) load with TOTP off.
  ASSERT_TRUE(loaded.Deserialize(before));
  EXPECT_EQ(loaded.FindById(kId)->totp_state, TotpState::kOff);
  // An empty pins trailer with nothing after it is refused, and so is an empty TOTP trailer.
  EXPECT_FALSE(loaded.Deserialize(before + std::string(8, '\0')));
  EXPECT_FALSE(loaded.Deserialize(before + std::string(16, '\0')));
  EXPECT_FALSE(loaded.Deserialize(with_totp.substr(0, with_totp.size() - 1)));
  std::string bad_state = with_totp;
  bad_state[before.size() + 8 + 8 + 8] = 3;  // After both counts and the customer id.
  EXPECT_FALSE(loaded.Deserialize(bad_state));
}

TEST_F(TotpBookTest, PinsAndTotpTrailersRoundTripTogether) {
  PinChange change;
  change.how = PinAuthorization::kFirstSet;
  change.pin_hash = "pin-hash";
  ASSERT_EQ(book_.SetPaymentPin(kId, change, kStart), IdentityResult::kOk);
  std::string pins_only;
  book_.Serialize(&pins_only);
  Enable();
  std::string both;
  book_.Serialize(&both);
  EXPECT_EQ(both.substr(0, pins_only.size()), pins_only);
  CustomerBook loaded;
  ASSERT_TRUE(loaded.Deserialize(both));
  EXPECT_EQ(*loaded.FindById(kId), customer());
  ASSERT_TRUE(loaded.Deserialize(pins_only));
  EXPECT_TRUE(loaded.FindById(kId)->has_pin());
  EXPECT_EQ(loaded.FindById(kId)->totp_state, TotpState::kOff);
}

}  // namespace
}  // namespace qb::identity
