#include "identity/otp.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace qb::identity {
namespace {

SecretKey FakePepper(char digit) { return *SecretKey::FromHex(std::string(64, digit)); }

TEST(OtpTest, CodesAreSixDigitsAndVary) {
  std::set<std::string> codes;
  std::set<char> first_digits;
  for (int i = 0; i < 200; ++i) {
    std::string code = GenerateOtpCode();
    ASSERT_EQ(code.size(), kOtpDigits);
    EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << code;
    codes.insert(code);
    first_digits.insert(code[0]);
  }
  // 200 draws from 10^6: a repeat is unlikely, and every leading digit should appear.
  EXPECT_GT(codes.size(), 190u);
  EXPECT_EQ(first_digits.size(), 10u);
}

TEST(OtpTest, HashDependsOnCodePhoneAndPepper) {
  SecretKey pepper = FakePepper('a');
  std::string hash = HashOtp("123456", "13812345678", pepper);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(HashOtp("123456", "13812345678", pepper), hash);
  EXPECT_NE(HashOtp("123457", "13812345678", pepper), hash);
  EXPECT_NE(HashOtp("123456", "13812345679", pepper), hash);
  EXPECT_NE(HashOtp("123456", "13812345678", FakePepper('b')), hash);
  // Moving a digit between phone and code must not collide.
  EXPECT_NE(HashOtp("1234567", "1381234567", pepper), HashOtp("234567", "13812345671", pepper));
}

TEST(OtpTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abcdef", "abcdef"));
  EXPECT_FALSE(ConstantTimeEquals("abcdef", "abcdeg"));
  EXPECT_FALSE(ConstantTimeEquals("abcdef", "abcde"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(SessionTokenTest, LengthAlphabetAndUniqueness) {
  std::set<std::string> tokens;
  for (int i = 0; i < 1000; ++i) {
    std::string token = GenerateSessionToken();
    ASSERT_EQ(token.size(), kSessionTokenChars);
    ASSERT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << token;
    tokens.insert(token);
  }
  EXPECT_EQ(tokens.size(), 1000u);
}

TEST(SessionTokenTest, HashStableAndDistinct) {
  std::string token = GenerateSessionToken();
  std::string hash = HashSessionToken(token);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(HashSessionToken(token), hash);
  EXPECT_NE(HashSessionToken(GenerateSessionToken()), hash);
  EXPECT_NE(hash, token);
}

}  // namespace
}  // namespace qb::identity
