#include "api/cursor.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace qb::api {
namespace {

TEST(CursorTest, RoundTrips) {
  for (int64_t position : {int64_t{0}, int64_t{1}, int64_t{255}, int64_t{1} << 40, INT64_MAX}) {
    std::string cursor = EncodeCursor(position);
    EXPECT_EQ(cursor.size(), 12u);
    EXPECT_EQ(cursor.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << cursor;
    ApiResult<int64_t> decoded = DecodeCursor(cursor);
    ASSERT_TRUE(decoded.ok()) << cursor;
    EXPECT_EQ(decoded.value(), position);
  }
}

void ExpectBadCursor(std::string_view cursor) {
  ApiResult<int64_t> decoded = DecodeCursor(cursor);
  ASSERT_FALSE(decoded.ok()) << cursor;
  EXPECT_EQ(decoded.error().code, "FIELD_INVALID");
  EXPECT_NE(decoded.error().message.find("cursor"), std::string::npos);
}

TEST(CursorTest, RejectsGarbageAndTampering) {
  std::string good = EncodeCursor(42);
  ExpectBadCursor("");
  ExpectBadCursor("abc");
  ExpectBadCursor("not a cursor");
  ExpectBadCursor(good + "A");
  ExpectBadCursor(good.substr(1));
  ExpectBadCursor(good + "=");
  ExpectBadCursor(std::string(" ").append(good, 1));
  std::string standard = good;
  standard[11] = '+';  // The standard alphabet, not base64url.
  ExpectBadCursor(standard);
  // A flipped first character changes the version byte.
  std::string tampered = good;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  ExpectBadCursor(tampered);
  // Version 1 with the sign bit set: a negative position.
  ExpectBadCursor("AYAAAAAAAAAA");
  // Version 2.
  ExpectBadCursor("AgAAAAAAAAAq");
}

TEST(CursorTest, ControlCursorDecodes) {
  ApiResult<int64_t> decoded = DecodeCursor("AQAAAAAAAAAq");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), 42);
}

TEST(ParseLimitTest, DefaultsAndBounds) {
  EXPECT_EQ(ParseLimit("").value(), 20);
  EXPECT_EQ(ParseLimit("1").value(), 1);
  EXPECT_EQ(ParseLimit("100").value(), 100);
  EXPECT_EQ(ParseLimit("", 5, 10).value(), 5);
  for (std::string_view bad :
       {"0", "101", "-1", "+5", " 5", "5 ", "1.0", "1e2", "abc", "0x10", "99999999999999999999"}) {
    ApiResult<int64_t> limit = ParseLimit(bad);
    ASSERT_FALSE(limit.ok()) << bad;
    EXPECT_EQ(limit.error().code, "FIELD_INVALID");
    EXPECT_NE(limit.error().message.find("limit"), std::string::npos);
  }
}

}  // namespace
}  // namespace qb::api

namespace qb::api {
namespace {

// Changing any one character of a cursor either yields another valid cursor or FIELD_INVALID,
// never a crash; changing the leading characters always breaks the version.
TEST(CursorTest, SurvivesEveryCharacterChange) {
  const std::string good = EncodeCursor(123456789);
  const std::string alphabet = "AZaz09-_+/=. \x80";
  for (size_t i = 0; i < good.size(); ++i) {
    for (char replacement : alphabet) {
      if (replacement == good[i]) continue;
      std::string changed = good;
      changed[i] = replacement;
      ApiResult<int64_t> decoded = DecodeCursor(changed);
      if (decoded.ok()) {
        EXPECT_NE(decoded.value(), 123456789);
        EXPECT_GE(i, 1u);
      } else {
        EXPECT_EQ(decoded.error().code, "FIELD_INVALID");
      }
    }
  }
}

}  // namespace
}  // namespace qb::api
