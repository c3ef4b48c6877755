#include "identity/card.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::identity {
namespace {

// Appends the digit that makes the whole number pass Luhn, computed by brute force so the
// test does not reuse the production algorithm's structure.
std::string WithLuhnDigit(const std::string& body) {
  for (char d = '0'; d <= '9'; ++d) {
    std::string candidate = body + d;
    int sum = 0;
    for (size_t i = 0; i < candidate.size(); ++i) {
      int digit = candidate[candidate.size() - 1 - i] - '0';
      int weighted = i % 2 == 1 ? digit * 2 : digit;
      sum += weighted / 10 + weighted % 10;
    }
    if (sum % 10 == 0) return candidate;
  }
  ADD_FAILURE() << "no Luhn digit";
  return body;
}

TEST(CardTest, LuhnKnownNumbers) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_TRUE(LuhnValid("5500000000000004"));
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_FALSE(LuhnValid(""));
  EXPECT_FALSE(LuhnValid("4111a11111111111"));
}

TEST(CardTest, NormalizeAcceptsValidPans) {
  std::string icbc = WithLuhnDigit("622202123456789012");  // 19 digits
  EXPECT_EQ(NormalizePan(icbc), icbc);
  EXPECT_EQ(NormalizePan("4111 1111 1111 1111"), "4111111111111111");
  EXPECT_EQ(NormalizePan("4111-1111-1111-1111"), "4111111111111111");
  std::string thirteen = WithLuhnDigit("422222222222");
  EXPECT_EQ(NormalizePan(thirteen), thirteen);
}

TEST(CardTest, NormalizeRejectsInvalidPans) {
  std::string valid = WithLuhnDigit("622848000011112222");
  std::string broken = valid;
  broken.back() = broken.back() == '9' ? '0' : static_cast<char>(broken.back() + 1);
  EXPECT_EQ(NormalizePan(broken), std::nullopt);
  EXPECT_EQ(NormalizePan(WithLuhnDigit("41111111111")), std::nullopt);          // 12 digits
  EXPECT_EQ(NormalizePan(WithLuhnDigit("6222021234567890123")), std::nullopt);  // 20 digits
  EXPECT_EQ(NormalizePan("4111x111111111111"), std::nullopt);
  EXPECT_EQ(NormalizePan(""), std::nullopt);
}

TEST(CardTest, BinLookup) {
  CardIssuer icbc = CardBrandAndBank(WithLuhnDigit("622202123456789012"));
  EXPECT_EQ(icbc.brand, CardBrand::kUnionPay);
  EXPECT_EQ(icbc.bank_code, "ICBC");
  EXPECT_EQ(icbc.bank_name, "中国工商银行");

  EXPECT_EQ(CardBrandAndBank("6228480000111122223").bank_code, "ABC");
  EXPECT_EQ(CardBrandAndBank("6217000000111122223").bank_code, "CCB");
  EXPECT_EQ(CardBrandAndBank("6225880000111122").bank_code, "CMB");
  EXPECT_EQ(CardBrandAndBank("6216610000111122223").bank_code, "BOC");
  EXPECT_EQ(CardBrandAndBank("6222620000111122223").bank_code, "BOCOM");
  EXPECT_EQ(CardBrandAndBank("6230580000111122223").bank_code, "PAB");

  CardIssuer ccb_visa = CardBrandAndBank("4367420000111122");
  EXPECT_EQ(ccb_visa.brand, CardBrand::kVisa);
  EXPECT_EQ(ccb_visa.bank_code, "CCB");

  CardIssuer unknown_union_pay = CardBrandAndBank("6299990000111122");
  EXPECT_EQ(unknown_union_pay.brand, CardBrand::kUnionPay);
  EXPECT_EQ(unknown_union_pay.bank_code, "UNKNOWN");
  EXPECT_EQ(unknown_union_pay.bank_name, "未知银行");

  EXPECT_EQ(CardBrandAndBank("4111111111111111").brand, CardBrand::kVisa);
  EXPECT_EQ(CardBrandAndBank("4111111111111111").bank_code, "UNKNOWN");
  EXPECT_EQ(CardBrandAndBank("5500000000000004").brand, CardBrand::kMastercard);
  EXPECT_EQ(CardBrandAndBank("2221000000000009").brand, CardBrand::kMastercard);
  EXPECT_EQ(CardBrandAndBank("5600000000000000").brand, CardBrand::kUnknown);
  EXPECT_EQ(CardBrandAndBank("378282246310005").brand, CardBrand::kUnknown);
  EXPECT_EQ(CardBrandName(CardBrand::kUnionPay), "UnionPay");
}

TEST(CardTest, Masking) {
  EXPECT_EQ(MaskPan("6222021234567890123"), "622202*********0123");
  EXPECT_EQ(MaskPan("4111111111111111"), "411111******1111");
  EXPECT_EQ(MaskPan("123456789012"), "************");
}

}  // namespace
}  // namespace qb::identity
