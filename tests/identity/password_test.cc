#include "identity/password.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace qb::identity {
namespace {

// argon2id at 19 MiB costs tens of milliseconds per call, so this file hashes only twice.
TEST(PasswordTest, HashVerifyAndRehash) {
  std::optional<std::string> encoded = HashPassword("correct horse 42");
  ASSERT_TRUE(encoded.has_value());
  EXPECT_TRUE(encoded->starts_with("$argon2id$"));
  EXPECT_NE(encoded->find("m=19456,t=2"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*encoded, "correct horse 42"));
  EXPECT_FALSE(VerifyPassword(*encoded, "correct horse 43"));
  EXPECT_FALSE(NeedsRehash(*encoded));

  std::optional<std::string> again = HashPassword("correct horse 42");
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(*again, *encoded);  // fresh salt
}

TEST(PasswordTest, MalformedHashes) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "x"));
  EXPECT_FALSE(VerifyPassword(std::string(1000, '$'), "x"));
  EXPECT_TRUE(NeedsRehash("$argon2id$garbage"));
}

TEST(PasswordTest, WeakerParametersNeedRehash) {
  // A genuine hash made with cheaper parameters, as an older release might have stored: it
  // still verifies, and must be upgraded on the next successful login.
  ASSERT_GE(sodium_init(), 0);
  char weak[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(weak, "pw", 2, 1, 8 * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13),
            0);
  EXPECT_TRUE(VerifyPassword(weak, "pw"));
  EXPECT_TRUE(NeedsRehash(weak));
}

TEST(PasswordTest, StrengthRules) {
  EXPECT_EQ(CheckPasswordStrength("abc12", ""), PasswordStrength::kTooShort);
  EXPECT_EQ(CheckPasswordStrength("密码密码12", ""), PasswordStrength::kTooShort);  // 6 chars
  EXPECT_EQ(CheckPasswordStrength(std::string(120, 'a') + "123456789", ""),
            PasswordStrength::kTooLong);
  EXPECT_EQ(CheckPasswordStrength(std::string(100, 'a') + "12345678", ""), PasswordStrength::kOk);
  EXPECT_EQ(CheckPasswordStrength("abcdefgh", ""), PasswordStrength::kTooSimple);
  EXPECT_EQ(CheckPasswordStrength("12345678", ""), PasswordStrength::kTooSimple);
  EXPECT_EQ(CheckPasswordStrength("!@#$%^&*", ""), PasswordStrength::kTooSimple);
  EXPECT_EQ(CheckPasswordStrength("abcd1234", ""), PasswordStrength::kOk);
  EXPECT_EQ(CheckPasswordStrength("abcd!@#$", ""), PasswordStrength::kOk);
  EXPECT_EQ(CheckPasswordStrength("我的密码是好的1", ""), PasswordStrength::kOk);
  EXPECT_EQ(CheckPasswordStrength("x13812345678", "13812345678"), PasswordStrength::kContainsPhone);
  EXPECT_EQ(CheckPasswordStrength("abcd1234", "13812345678"), PasswordStrength::kOk);
}

TEST(PinTest, FormatRules) {
  EXPECT_EQ(ValidatePaymentPin("38491", std::nullopt), PinVerdict::kNotSixDigits);
  EXPECT_EQ(ValidatePaymentPin("3849120", std::nullopt), PinVerdict::kNotSixDigits);
  EXPECT_EQ(ValidatePaymentPin("38491a", std::nullopt), PinVerdict::kNotSixDigits);
  EXPECT_EQ(ValidatePaymentPin("", std::nullopt), PinVerdict::kNotSixDigits);
}

TEST(PinTest, WeakPatternsRejected) {
  for (const char* pin : {"000000", "111111", "999999"}) {
    EXPECT_EQ(ValidatePaymentPin(pin, std::nullopt), PinVerdict::kAllSameDigit) << pin;
  }
  for (const char* pin : {"123456", "654321", "012345", "543210", "456789", "987654", "890123"}) {
    EXPECT_EQ(ValidatePaymentPin(pin, std::nullopt), PinVerdict::kSequential) << pin;
  }
}

TEST(PinTest, BirthDatePatternsRejected) {
  CalendarDate birth{1990, 3, 7};
  EXPECT_EQ(ValidatePaymentPin("900307", birth), PinVerdict::kBirthDate);  // YYMMDD
  EXPECT_EQ(ValidatePaymentPin("030790", birth), PinVerdict::kBirthDate);  // MMDDYY
  EXPECT_EQ(ValidatePaymentPin("070390", birth), PinVerdict::kBirthDate);  // DDMMYY
  EXPECT_EQ(ValidatePaymentPin("900307", std::nullopt), PinVerdict::kOk);
  EXPECT_EQ(ValidatePaymentPin("900307", CalendarDate{1991, 3, 7}), PinVerdict::kOk);
  EXPECT_EQ(ValidatePaymentPin("000229", CalendarDate{2000, 2, 29}), PinVerdict::kBirthDate);
}

TEST(PinTest, GoodPinAccepted) {
  EXPECT_EQ(ValidatePaymentPin("384912", std::nullopt), PinVerdict::kOk);
  EXPECT_EQ(ValidatePaymentPin("384912", CalendarDate{1990, 3, 7}), PinVerdict::kOk);
  EXPECT_EQ(ValidatePaymentPin("124578", std::nullopt), PinVerdict::kOk);
}

}  // namespace
}  // namespace qb::identity
