// Redeem codes' pure parts: the 16-digit form round-trips every field, reads what people type
// (case, spaces, hyphens, I/L/O), refuses anything else; the book's bits, its refusals and its
// byte form.
#include "marketing/coupon_codes.h"

#include <gtest/gtest.h>

#include <random>

namespace qb::marketing {
namespace {

TEST(CouponCodeTest, TheTextFormRoundTripsEveryField) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 10'000; ++i) {
    CouponCode code;
    code.batch_id = 1 + random() % kMaxCodeBatchId;
    code.index = static_cast<uint32_t>(random() % (uint64_t{1} << kCouponCodeIndexBits));
    code.mac = random() & kCouponCodeMacMask;
    const std::string text = FormatCouponCode(code);
    ASSERT_EQ(text.size(), 19u);
    ASSERT_EQ(ParseCouponCode(text), code) << text;
  }
  const CouponCode edge{kMaxCodeBatchId, (1u << kCouponCodeIndexBits) - 1, kCouponCodeMacMask};
  EXPECT_EQ(ParseCouponCode(FormatCouponCode(edge)), edge);
  // Neighbouring codes share no leading digits: the batch and index do not show.
  const std::string a = FormatCouponCode({1, 0, 0});
  const std::string b = FormatCouponCode({1, 1, 0});
  EXPECT_NE(a.substr(0, 4), b.substr(0, 4)) << a << " " << b;
}

TEST(CouponCodeTest, ReadingForgivesHowPeopleTypeAndNothingElse) {
  const CouponCode code{5, 77, 0x123456789};
  const std::string text = FormatCouponCode(code);
  std::string lower;
  for (const char c : text) lower += c == '-' ? ' ' : static_cast<char>(std::tolower(c));
  EXPECT_EQ(ParseCouponCode(lower), code);
  std::string joined;
  for (const char c : text) {
    if (c != '-') joined += c;
  }
  EXPECT_EQ(ParseCouponCode(joined), code);
  // Crockford: I and L are 1, O is 0.
  ASSERT_NE(ParseCouponCode("0000-0000-0000-0001"), std::nullopt);
  EXPECT_EQ(ParseCouponCode("OOOO-OOOO-OOOO-OOOI"), ParseCouponCode("0000-0000-0000-0001"));
  EXPECT_EQ(ParseCouponCode("LLLL-0000-0000-0000"), ParseCouponCode("1111-0000-0000-0000"));
  EXPECT_EQ(ParseCouponCode(joined.substr(1)), std::nullopt);        // 15 digits
  EXPECT_EQ(ParseCouponCode(joined + "0"), std::nullopt);            // 17 digits
  EXPECT_EQ(ParseCouponCode("U" + joined.substr(1)), std::nullopt);  // U is not a digit
}

TEST(CouponCodeTest, EveryTextThatParsesFormatsBackTheSame) {
  // The permutation is a bijection: any 16 digits name one (batch, index, MAC), and back.
  constexpr std::string_view kDigits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::mt19937_64 random(11);
  int parsed = 0;
  for (int i = 0; i < 10'000; ++i) {
    std::string text;
    for (int d = 0; d < 16; ++d) {
      if (d != 0 && d % 4 == 0) text += '-';
      text += kDigits[random() % 32];
    }
    const std::optional<CouponCode> code = ParseCouponCode(text);
    if (!code) continue;  // batch 0: one text in 2^20
    ++parsed;
    ASSERT_EQ(FormatCouponCode(*code), text);
  }
  EXPECT_GT(parsed, 9'990);
}

TEST(CodeBatchBookTest, EachCodeIsRedeemedOnceAndTheBitsRoundTrip) {
  CouponCodeBook book;
  EXPECT_TRUE(book.empty());
  const uint64_t first = book.Create(11, 1, 130, 1'000);
  const uint64_t second = book.Create(12, 1, 64, 1'001);
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(second, 2u);
  EXPECT_EQ(book.CanRedeem(first, 129), "");
  EXPECT_EQ(book.CanRedeem(first, 130), "COUPON_CODE_INVALID");
  EXPECT_EQ(book.CanRedeem(3, 0), "COUPON_CODE_INVALID");
  book.MarkRedeemed(first, 129);
  book.MarkRedeemed(first, 0);
  book.MarkRedeemed(second, 63);
  EXPECT_EQ(book.CanRedeem(first, 129), "COUPON_CODE_USED");
  EXPECT_EQ(book.Find(first)->redeemed, 2u);
  ASSERT_EQ(book.OfTemplate(11).size(), 1u);
  EXPECT_EQ(book.OfTemplate(11)[0]->id, first);

  std::string bytes;
  book.Serialize(&bytes);
  CouponCodeBook copy;
  ASSERT_TRUE(copy.Deserialize(bytes));
  EXPECT_EQ(*copy.Find(first), *book.Find(first));
  EXPECT_EQ(*copy.Find(second), *book.Find(second));
  EXPECT_FALSE(copy.Deserialize(std::string_view(bytes).substr(0, bytes.size() - 1)));
  // A bit past the first batch's 130 codes (word 2, bit 2) is refused.
  std::string tampered = bytes;
  const size_t first_words_at = 8 + 8 + 8 + 8 + 4 + 8;
  tampered[first_words_at + 2 * 8] = static_cast<char>(tampered[first_words_at + 2 * 8] | 4);
  EXPECT_FALSE(copy.Deserialize(tampered));
}

}  // namespace
}  // namespace qb::marketing
