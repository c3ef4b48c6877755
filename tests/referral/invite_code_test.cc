// Invite codes: a bijection between customer ids and eight-character codes, with a check digit
// that catches any single mistyped character, read case-insensitively.
#include "referral/invite_code.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace qb::referral {
namespace {

TEST(InviteCodeTest, EveryIdRoundTripsAndCodesAreDistinct) {
  std::mt19937_64 random(7);
  std::set<std::string> seen;
  for (int i = 0; i < 20'000; ++i) {
    const uint64_t id =
        i < 10'000 ? static_cast<uint64_t>(i + 1) : 1 + random() % kMaxInviteCustomerId;
    const std::string code = InviteCode(id);
    ASSERT_EQ(code.size(), kInviteCodeChars);
    ASSERT_EQ(ParseInviteCode(code), id) << code;
    if (i < 10'000) seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 10'000u);  // ids 1..10000: no two share a code
  EXPECT_EQ(ParseInviteCode(InviteCode(kMaxInviteCustomerId)), kMaxInviteCustomerId);
}

TEST(InviteCodeTest, ASingleWrongCharacterIsCaught) {
  const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (uint64_t id : {uint64_t{1}, uint64_t{12'345}, uint64_t{987'654'321}}) {
    const std::string code = InviteCode(id);
    for (size_t at = 0; at < code.size(); ++at) {
      for (char c : alphabet) {
        if (c == code[at]) continue;
        std::string typo = code;
        typo[at] = c;
        EXPECT_FALSE(ParseInviteCode(typo).has_value()) << typo;
      }
    }
  }
}

TEST(InviteCodeTest, ReadingForgivesCaseAndLookAlikes) {
  const std::string code = InviteCode(4'242);
  std::string lower = code;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(ParseInviteCode(lower), 4'242u);
  std::string looks = code;
  for (char& c : looks) {
    if (c == '1') c = 'I';
    if (c == '0') c = 'O';
  }
  EXPECT_EQ(ParseInviteCode(looks), 4'242u);
  EXPECT_FALSE(ParseInviteCode("").has_value());
  EXPECT_FALSE(ParseInviteCode(code.substr(1)).has_value());
  EXPECT_FALSE(ParseInviteCode(code + "0").has_value());
  EXPECT_FALSE(ParseInviteCode("ABC-EFGH").has_value());
  EXPECT_FALSE(ParseInviteCode("UUUUUUUU").has_value());  // U is not a digit
}

}  // namespace
}  // namespace qb::referral
