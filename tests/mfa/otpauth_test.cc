#include "mfa/otpauth.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::mfa {
namespace {

const std::string kSecret = "12345678901234567890";  // base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ

TEST(OtpauthTest, BuildsTheUri) {
  EXPECT_EQ(MakeTotpUri("Qianbao", "alice@example.com", kSecret),
            "otpauth://totp/Qianbao:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Qianbao&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthTest, PercentEncodesUtf8IssuerAndAccount) {
  // 钱包 is E9 92 B1 E5 8C 85 in UTF-8; 张三 is E5 BC A0 E4 B8 89.
  EXPECT_EQ(MakeTotpUri("钱包 Bank", "张三+138", kSecret),
            "otpauth://totp/%E9%92%B1%E5%8C%85%20Bank:%E5%BC%A0%E4%B8%89%2B138"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=%E9%92%B1%E5%8C%85%20Bank&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthTest, PercentEncodeKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode(" !\"#$%&'()*+,/:;=?@[\\]^`{|}"),
            "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5C%5D%5E%60%7B%7C%7D");
  EXPECT_EQ(PercentEncode(std::string("\x00\xff", 2)), "%00%FF");
}

TEST(OtpauthTest, RefusesBadLabelParts) {
  const std::string too_long(kMaxOtpauthLabelPartBytes + 1, 'a');
  const std::string longest(kMaxOtpauthLabelPartBytes, 'a');
  EXPECT_TRUE(MakeTotpUri(longest, longest, kSecret).has_value());
  for (const std::string& bad : {std::string(), std::string("a:b"), too_long,
                                 std::string("tab\there"), std::string("del\x7f"),
                                 std::string("\xe9\x92"),          // truncated sequence
                                 std::string("\xc0\xaf"),          // overlong '/'
                                 std::string("\xed\xa0\x80"),      // surrogate U+D800
                                 std::string("\xf4\x90\x80\x80"),  // above U+10FFFF
                                 std::string("\x80"),              // stray continuation
                                 std::string("a\0b", 3)}) {
    EXPECT_EQ(MakeTotpUri(bad, "alice", kSecret), std::nullopt);
    EXPECT_EQ(MakeTotpUri("Qianbao", bad, kSecret), std::nullopt);
  }
  // Four-byte characters are fine: U+1F511 (key emoji).
  EXPECT_TRUE(MakeTotpUri("Qianbao", "\xf0\x9f\x94\x91", kSecret).has_value());
}

}  // namespace
}  // namespace qb::mfa
