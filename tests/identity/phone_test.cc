#include "identity/phone.h"

#include <gtest/gtest.h>

namespace qb::identity {
namespace {

TEST(PhoneTest, ValidNumbers) {
  EXPECT_EQ(NormalizePhone("13812345678"), "13812345678");
  EXPECT_EQ(NormalizePhone("19912345678"), "19912345678");
  EXPECT_EQ(NormalizePhone("15000000000"), "15000000000");
}

TEST(PhoneTest, PrefixesAndSeparatorsStripped) {
  EXPECT_EQ(NormalizePhone("+8613812345678"), "13812345678");
  EXPECT_EQ(NormalizePhone("+86 138 1234 5678"), "13812345678");
  EXPECT_EQ(NormalizePhone("8613812345678"), "13812345678");
  EXPECT_EQ(NormalizePhone("86-138-1234-5678"), "13812345678");
  EXPECT_EQ(NormalizePhone("0086 13812345678"), "13812345678");
  EXPECT_EQ(NormalizePhone("138-1234-5678"), "13812345678");
}

TEST(PhoneTest, InvalidNumbersRejected) {
  EXPECT_EQ(NormalizePhone(""), std::nullopt);
  EXPECT_EQ(NormalizePhone("1381234567"), std::nullopt);    // 10 digits
  EXPECT_EQ(NormalizePhone("138123456789"), std::nullopt);  // 12 digits
  EXPECT_EQ(NormalizePhone("12812345678"), std::nullopt);   // 12x is not a mobile prefix
  EXPECT_EQ(NormalizePhone("10812345678"), std::nullopt);
  EXPECT_EQ(NormalizePhone("23812345678"), std::nullopt);
  EXPECT_EQ(NormalizePhone("1381234567a"), std::nullopt);
  EXPECT_EQ(NormalizePhone("+1 13812345678"), std::nullopt);
  EXPECT_EQ(NormalizePhone("+852 13812345678"), std::nullopt);
  EXPECT_EQ(NormalizePhone("(138)12345678"), std::nullopt);
  EXPECT_EQ(NormalizePhone(std::string(1000, ' ') + "13812345678"), std::nullopt);
}

TEST(PhoneTest, Masking) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("12345"), "*****");
}

}  // namespace
}  // namespace qb::identity
