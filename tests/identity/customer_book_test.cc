#include "identity/customer_book.h"

#include <gtest/gtest.h>

namespace qb::identity {
namespace {

constexpr int64_t kSecond = kNsPerSecond;
constexpr int64_t kMinute = 60 * kSecond;
// 2026-11-22 02:00 UTC = 10:00 in China.
constexpr int64_t kStart = int64_t{1'795'312'800} * kNsPerSecond;
constexpr char kPhone[] = "13800138000";

Registration NewRegistration(std::string phone = kPhone, std::string otp = "code-hash") {
  return Registration{std::move(phone), std::move(otp), "argon2-hash", "campus", ""};
}

class CustomerBookTest : public ::testing::Test {
 protected:
  IdentityResult Issue(int64_t at, std::string phone = kPhone, std::string hash = "code-hash") {
    return book_.IssueOtp(phone, OtpPurpose::kRegister, hash, at);
  }
  CustomerBook book_;
};

TEST_F(CustomerBookTest, RegisterWithTheRightCodeCreatesTheCustomerOnce) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  EXPECT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart + kSecond), IdentityResult::kOk);
  const Customer* customer = book_.FindByPhone(kPhone);
  ASSERT_NE(customer, nullptr);
  EXPECT_EQ(customer->id, 7u);
  EXPECT_EQ(customer->wallet_account_id, 1007u);
  EXPECT_EQ(customer->tier, WalletTier::kIV);
  EXPECT_EQ(customer->channel, "campus");
  EXPECT_EQ(book_.FindById(7), customer);
  // The code was used up; a second registration of the phone is refused before any code.
  EXPECT_EQ(book_.Register(NewRegistration(), 8, 1008, kStart + 2 * kSecond),
            IdentityResult::kPhoneTaken);
  EXPECT_EQ(book_.ConsumeOtp(kPhone, OtpPurpose::kRegister, "code-hash", kStart + 3 * kSecond),
            IdentityResult::kOtpNotFound);
  EXPECT_EQ(book_.customer_count(), 1u);
}

TEST_F(CustomerBookTest, WrongCodeCountsTriesAndTheFifthKillsIt) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(book_.Register(NewRegistration(kPhone, "wrong"), 7, 1007, kStart + i),
              IdentityResult::kOtpMismatch);
  }
  EXPECT_EQ(book_.Register(NewRegistration(kPhone, "wrong"), 7, 1007, kStart + 5),
            IdentityResult::kOtpTooManyTries);
  // Even the right code is worthless now.
  EXPECT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart + 6), IdentityResult::kOtpNotFound);
  EXPECT_EQ(book_.customer_count(), 0u);
}

TEST_F(CustomerBookTest, CodeExpiresAfterFiveMinutes) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  EXPECT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart + 5 * kMinute),
            IdentityResult::kOtpExpired);
  ASSERT_EQ(Issue(kStart + 6 * kMinute), IdentityResult::kOk);
  EXPECT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart + 11 * kMinute - 1),
            IdentityResult::kOk);
}

TEST_F(CustomerBookTest, CodesForOnePurposeDoNotServeAnother) {
  ASSERT_EQ(book_.IssueOtp(kPhone, OtpPurpose::kLogin, "code-hash", kStart), IdentityResult::kOk);
  EXPECT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart + kSecond),
            IdentityResult::kOtpNotFound);
}

TEST_F(CustomerBookTest, OneCodeAMinuteAndTenADayPerPhone) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  EXPECT_EQ(Issue(kStart + 59 * kSecond), IdentityResult::kOtpTooFrequent);
  EXPECT_EQ(Issue(kStart, "13900139000"), IdentityResult::kOk);  // Another phone is separate.
  for (int i = 1; i < 10; i++) EXPECT_EQ(Issue(kStart + i * kMinute), IdentityResult::kOk);
  EXPECT_EQ(Issue(kStart + 10 * kMinute), IdentityResult::kOtpDailyLimit);
  // China's next day starts at 16:00 UTC; kStart is 02:00 UTC.
  EXPECT_EQ(Issue(kStart + 14 * 60 * kMinute), IdentityResult::kOk);
}

TEST_F(CustomerBookTest, FiveWrongPasswordsLockForThirtyMinutes) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart), IdentityResult::kOk);
  for (int i = 0; i < 4; i++) EXPECT_EQ(book_.RecordLogin(7, false, kStart), IdentityResult::kOk);
  EXPECT_EQ(book_.RecordLogin(7, false, kStart), IdentityResult::kLoginLocked);
  // Locked: even the right password does not get in until the lock ends.
  EXPECT_EQ(book_.RecordLogin(7, true, kStart + 29 * kMinute), IdentityResult::kLoginLocked);
  EXPECT_EQ(book_.RecordLogin(7, true, kStart + 30 * kMinute), IdentityResult::kOk);
  EXPECT_EQ(book_.RecordLogin(99, true, kStart), IdentityResult::kCustomerNotFound);
}

TEST_F(CustomerBookTest, ASuccessResetsTheFailureCount) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart), IdentityResult::kOk);
  for (int i = 0; i < 4; i++) book_.RecordLogin(7, false, kStart);
  EXPECT_EQ(book_.RecordLogin(7, true, kStart), IdentityResult::kOk);
  for (int i = 0; i < 4; i++) EXPECT_EQ(book_.RecordLogin(7, false, kStart), IdentityResult::kOk);
}

TEST_F(CustomerBookTest, SessionsLiveTwelveHoursAndCanBeRevoked) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart), IdentityResult::kOk);
  EXPECT_EQ(book_.CreateSession("token-a", 7, kStart), IdentityResult::kOk);
  EXPECT_EQ(book_.CreateSession("token-a", 7, kStart), IdentityResult::kSessionExists);
  EXPECT_EQ(book_.CreateSession("token-b", 99, kStart), IdentityResult::kCustomerNotFound);
  EXPECT_EQ(book_.CreateSession("token-c", 7, kStart), IdentityResult::kOk);
  ASSERT_NE(book_.FindSession("token-a", kStart + 12 * 60 * kMinute - 1), nullptr);
  EXPECT_EQ(book_.FindSession("token-a", kStart + 12 * 60 * kMinute), nullptr);
  EXPECT_EQ(book_.RevokeSession("token-c"), IdentityResult::kOk);
  EXPECT_EQ(book_.RevokeSession("token-c"), IdentityResult::kSessionNotFound);
  EXPECT_EQ(book_.FindSession("token-c", kStart), nullptr);
  // The code was used up at registration; the phone's sending rate stays for two days.
  EXPECT_EQ(book_.Sweep(kStart + 12 * 60 * kMinute - 1, 10), 0u);
  EXPECT_EQ(book_.Sweep(kStart + 12 * 60 * kMinute, 10), 1u);
  EXPECT_EQ(book_.session_count(), 0u);
}

TEST_F(CustomerBookTest, ARotatedSessionKeepsItsExpiryUnderTheNewHash) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.CreateSession("old", 7, kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.CreateSession("taken", 7, kStart), IdentityResult::kOk);
  const int64_t later = kStart + 60 * kMinute;
  EXPECT_EQ(book_.RotateSession(7, "old", "", later), IdentityResult::kInvalid);
  EXPECT_EQ(book_.RotateSession(8, "old", "new", later), IdentityResult::kSessionNotFound);
  EXPECT_EQ(book_.RotateSession(7, "none", "new", later), IdentityResult::kSessionNotFound);
  EXPECT_EQ(book_.RotateSession(7, "old", "taken", later), IdentityResult::kSessionExists);
  ASSERT_NE(book_.FindSession("old", later), nullptr);

  ASSERT_EQ(book_.RotateSession(7, "old", "new", later), IdentityResult::kOk);
  EXPECT_EQ(book_.FindSession("old", later), nullptr);
  const Session* rotated = book_.FindSession("new", later);
  ASSERT_NE(rotated, nullptr);
  EXPECT_EQ(rotated->customer_id, 7u);
  EXPECT_EQ(rotated->created_ns, kStart);
  EXPECT_EQ(rotated->expires_ns, kStart + kSessionLifetimeNs);
  // An expired session cannot be rotated back to life.
  EXPECT_EQ(book_.RotateSession(7, "new", "newer", kStart + kSessionLifetimeNs),
            IdentityResult::kSessionNotFound);
  // The expiry order follows the new hash: the sweep drops both at the original expiry.
  EXPECT_EQ(book_.Sweep(kStart + kSessionLifetimeNs, 10), 2u);
  EXPECT_EQ(book_.session_count(), 0u);
}

TEST_F(CustomerBookTest, SweepDropsOnlyWhatHasOutlivedItsUse) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  // An expired code is kept an hour so a late try still hears "expired".
  EXPECT_EQ(book_.Sweep(kStart + kOtpLifetimeNs + kOtpKeepAfterExpiryNs - 1, 10), 0u);
  std::string copy;
  book_.Serialize(&copy);
  EXPECT_EQ(book_.Sweep(kStart + kOtpLifetimeNs + kOtpKeepAfterExpiryNs, 10), 1u);
  EXPECT_EQ(book_.ConsumeOtp(kPhone, OtpPurpose::kRegister, "h",
                             kStart + kOtpLifetimeNs + kOtpKeepAfterExpiryNs),
            IdentityResult::kOtpNotFound);
  // The sending rate goes after two days: a new day's limit is counted afresh either way.
  EXPECT_EQ(book_.Sweep(kStart + kOtpRateKeepNs, 10), 1u);
  // A book restored from bytes rebuilds its expiry order and sweeps the same.
  CustomerBook restored;
  ASSERT_TRUE(restored.Deserialize(copy));
  // The limit counts per table: one code and one rate go in the same sweep.
  EXPECT_EQ(restored.Sweep(kStart + kOtpRateKeepNs, 1), 2u);
  EXPECT_EQ(restored.Sweep(kStart + kOtpRateKeepNs, 1), 0u);
  std::string after, restored_after;
  book_.Serialize(&after);
  restored.Serialize(&restored_after);
  EXPECT_EQ(after, restored_after);
}

TEST_F(CustomerBookTest, InvalidInputIsRefusedWithoutChange) {
  EXPECT_EQ(book_.IssueOtp("", OtpPurpose::kRegister, "h", kStart), IdentityResult::kInvalid);
  EXPECT_EQ(book_.IssueOtp(kPhone, static_cast<OtpPurpose>(9), "h", kStart),
            IdentityResult::kInvalid);
  EXPECT_EQ(book_.IssueOtp(kPhone, OtpPurpose::kRegister, "", kStart), IdentityResult::kInvalid);
  EXPECT_EQ(book_.Register(NewRegistration(), 0, 1007, kStart), IdentityResult::kInvalid);
  EXPECT_EQ(book_.CreateSession("", 7, kStart), IdentityResult::kInvalid);
  EXPECT_EQ(IdentityResultName(IdentityResult::kOtpTooManyTries), "otp_too_many_tries");
}

TEST_F(CustomerBookTest, SerializeRoundTripKeepsTheHashAndTheRules) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart), IdentityResult::kOk);
  ASSERT_EQ(Issue(kStart, "13900139000", "other"), IdentityResult::kOk);
  ASSERT_EQ(book_.CreateSession("token-a", 7, kStart), IdentityResult::kOk);
  book_.RecordLogin(7, false, kStart);
  std::string bytes;
  book_.Serialize(&bytes);
  CustomerBook copy;
  ASSERT_TRUE(copy.Deserialize(bytes));
  EXPECT_EQ(copy.StateHash(), book_.StateHash());
  EXPECT_EQ(*copy.FindByPhone(kPhone), *book_.FindByPhone(kPhone));
  EXPECT_NE(copy.FindSession("token-a", kStart), nullptr);
  // The rate limit and the live code survive too.
  EXPECT_EQ(copy.IssueOtp("13900139000", OtpPurpose::kRegister, "x", kStart + kSecond),
            IdentityResult::kOtpTooFrequent);
  EXPECT_EQ(copy.Register(NewRegistration("13900139000", "other"), 8, 1008, kStart + kSecond),
            IdentityResult::kOk);
  EXPECT_NE(copy.StateHash(), book_.StateHash());
}

TEST_F(CustomerBookTest, DeserializeRejectsDamagedBytes) {
  ASSERT_EQ(Issue(kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.Register(NewRegistration(), 7, 1007, kStart), IdentityResult::kOk);
  std::string bytes;
  book_.Serialize(&bytes);
  CustomerBook copy;
  for (size_t cut = 0; cut < bytes.size(); cut++) {
    EXPECT_FALSE(copy.Deserialize(std::string_view(bytes).substr(0, cut))) << cut;
  }
  std::string bad_magic = bytes;
  bad_magic[0] ^= 1;
  EXPECT_FALSE(copy.Deserialize(bad_magic));
  EXPECT_FALSE(copy.Deserialize(bytes + "x"));
  EXPECT_TRUE(copy.Deserialize(bytes));
}

}  // namespace
}  // namespace qb::identity
