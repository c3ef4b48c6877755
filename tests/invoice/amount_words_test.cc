#include "invoice/amount_words.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace qb::invoice {
namespace {

std::string Capitals(int64_t amount_fen) {
  std::optional<std::string> words = ChineseCapitalAmount(amount_fen);
  EXPECT_TRUE(words.has_value()) << amount_fen;
  return words.value_or("");
}

TEST(AmountWordsTest, CapitalNumeralTable) {
  const std::pair<int64_t, const char*> table[] = {
      {0, "零元整"},
      {1, "壹分"},
      {5, "伍分"},
      {50, "伍角"},
      {56, "伍角陆分"},
      {100, "壹元整"},
      {105, "壹元零伍分"},
      {150, "壹元伍角"},
      {1000, "壹拾元整"},
      {1005, "壹拾元零伍分"},
      {1100, "壹拾壹元整"},
      {2000, "贰拾元整"},
      {10000, "壹佰元整"},
      {10100, "壹佰零壹元整"},
      {11000, "壹佰壹拾元整"},
      {123456, "壹仟贰佰叁拾肆元伍角陆分"},
      {140950, "壹仟肆佰零玖元伍角"},         // the rules' own example, ¥1,409.50
      {600714, "陆仟零柒元壹角肆分"},         // ¥6,007.14
      {1640902, "壹万陆仟肆佰零玖元零贰分"},  // ¥16,409.02
      {32504, "叁佰贰拾伍元零肆分"},          // ¥325.04
      {168032, "壹仟陆佰捌拾元叁角贰分"},     // ¥1,680.32, the spelling without 零
      {10700053, "壹拾万柒仟元伍角叁分"},     // ¥107,000.53, likewise
      {10000005, "壹拾万元零伍分"},           // ¥100,000.05
      {100001000, "壹佰万零壹拾元整"},        // ¥1,000,010.00
      {100000000, "壹佰万元整"},
      {1000000000, "壹仟万元整"},
      {1000100000, "壹仟万壹仟元整"},
      {1000010000, "壹仟万零壹佰元整"},
      {10000700000, "壹亿零柒仟元整"},
      {1001000000, "壹仟零壹万元整"},
      {10000000000, "壹亿元整"},
      {10000000100, "壹亿零壹元整"},
      {10001000000, "壹亿零壹万元整"},
      {10100000000, "壹亿零壹佰万元整"},
      {11000000000, "壹亿壹仟万元整"},
      {11000000100, "壹亿壹仟万零壹元整"},
      {1234567890123, "壹佰贰拾叁亿肆仟伍佰陆拾柒万捌仟玖佰零壹元贰角叁分"},
      {100000000000000, "壹万亿元整"},
      {100010000000000, "壹万零壹亿元整"},
      {100000001000000, "壹万亿零壹万元整"},
      {kMaxCapitalAmountFen,
       "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"},
  };
  for (const auto& [fen, expected] : table) EXPECT_EQ(Capitals(fen), expected) << fen;
}

TEST(AmountWordsTest, CapitalNumeralsRejectOutOfRange) {
  EXPECT_FALSE(ChineseCapitalAmount(-1).has_value());
  EXPECT_FALSE(ChineseCapitalAmount(kMaxCapitalAmountFen + 1).has_value());
  EXPECT_FALSE(ChineseCapitalAmount(INT64_MAX).has_value());
  EXPECT_FALSE(ChineseCapitalAmount(INT64_MIN).has_value());
}

// Structural properties over a range: exactly one 元 (when there are yuan), 整 only and
// always without jiao and fen, never two 零 in a row, never a trailing 零, and never 零 right
// before a group unit.
TEST(AmountWordsTest, CapitalNumeralsWellFormedOverARange) {
  for (int64_t fen = 0; fen <= 2'000'000; fen += (fen < 200'000 ? 1 : 97)) {
    const std::string words = Capitals(fen);
    EXPECT_EQ(words.find("零零"), std::string::npos) << fen;
    EXPECT_EQ(words.find("零万"), std::string::npos) << fen;
    EXPECT_EQ(words.find("零元"), fen == 0 ? 0 : std::string::npos) << fen;
    EXPECT_NE(words.substr(words.size() - 3), "零") << fen;
    const bool whole = fen % 100 == 0;
    EXPECT_EQ(words.size() >= 3 && words.substr(words.size() - 3) == "整", whole) << fen;
  }
}

// Reads capital numerals back into fen, independently of how they were written: a digit is
// multiplied by the place unit after it; 万 scales what came since the last 亿, 亿 scales
// everything before it.
int64_t ParseCapitals(const std::string& words) {
  const std::string digits[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
  const std::pair<const char*, int64_t> places[] = {{"拾", 10}, {"佰", 100}, {"仟", 1000}};
  int64_t above_yi = 0;   // yuan, already scaled by 亿
  int64_t above_wan = 0;  // yuan, scaled by 万, since the last 亿
  int64_t section = 0;    // below 万
  int64_t digit = 0;
  int64_t fen = 0;
  for (size_t i = 0; i < words.size(); i += 3) {
    const std::string ch = words.substr(i, 3);
    for (int64_t d = 0; d < 10; ++d) {
      if (ch == digits[d]) digit = d;
    }
    for (const auto& [unit, scale] : places) {
      if (ch == unit) section += digit * scale, digit = 0;
    }
    if (ch == "万") above_wan = (above_wan + section + digit) * 10'000, section = digit = 0;
    if (ch == "亿") {
      above_yi = (above_yi + above_wan + section + digit) * 100'000'000;
      above_wan = section = digit = 0;
    }
    if (ch == "元") fen = (above_yi + above_wan + section + digit) * 100, digit = 0;
    if (ch == "角") fen += digit * 10, digit = 0;
    if (ch == "分") fen += digit, digit = 0;
  }
  return fen;
}

TEST(AmountWordsTest, CapitalNumeralsReadBackToTheSameAmount) {
  for (int64_t fen = 0; fen <= 300'000; ++fen) ASSERT_EQ(ParseCapitals(Capitals(fen)), fen) << fen;
  for (int64_t fen = 1; fen < kMaxCapitalAmountFen / 7; fen = fen * 7 + 3) {
    ASSERT_EQ(ParseCapitals(Capitals(fen)), fen) << fen;
  }
}

TEST(AmountWordsTest, Figures) {
  EXPECT_EQ(FormatFenFigures(0), "0.00");
  EXPECT_EQ(FormatFenFigures(5), "0.05");
  EXPECT_EQ(FormatFenFigures(50), "0.50");
  EXPECT_EQ(FormatFenFigures(99999), "999.99");
  EXPECT_EQ(FormatFenFigures(100000), "1,000.00");
  EXPECT_EQ(FormatFenFigures(123456), "1,234.56");
  EXPECT_EQ(FormatFenFigures(100000000), "1,000,000.00");
  EXPECT_EQ(FormatFenFigures(INT64_MAX), "92,233,720,368,547,758.07");
  EXPECT_EQ(FormatYuan(123456), "¥1,234.56");
}

}  // namespace
}  // namespace qb::invoice
