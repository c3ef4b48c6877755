#include "api/query.h"

#include <gtest/gtest.h>

namespace qb::api {
namespace {

TEST(QueryTest, ParsesAndDecodes) {
  ApiResult<QueryParams> parsed = ParseQuery(
      "/api/v1/payments?limit=10&cursor=AQAAAAAAAAAq&q=a%20b+c&name=%E5%BC%A0&flag&"
      "empty=&&");
  ASSERT_TRUE(parsed.ok());
  const QueryParams& query = parsed.value();
  EXPECT_EQ(query.pairs().size(), 6u);
  EXPECT_EQ(query.Get("limit"), "10");
  EXPECT_EQ(query.Get("cursor"), "AQAAAAAAAAAq");
  EXPECT_EQ(query.Get("q"), "a b c");
  EXPECT_EQ(query.Get("name"), "张");
  EXPECT_EQ(query.Get("flag"), "");
  EXPECT_EQ(query.Get("empty"), "");
  EXPECT_EQ(query.Get("missing"), std::nullopt);
  EXPECT_EQ(query.GetOr("missing", "x"), "x");
  EXPECT_EQ(query.pairs()[0].first, "limit");
}

TEST(QueryTest, NoQueryString) {
  ApiResult<QueryParams> parsed = ParseQuery("/api/v1/payments");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.value().pairs().empty());
  ASSERT_TRUE(ParseQuery("/p?").ok());
  EXPECT_TRUE(ParseQuery("/p?").value().pairs().empty());
}

TEST(QueryTest, DecodesEscapesInNamesAndMixedCaseHex) {
  ApiResult<QueryParams> parsed = ParseQuery("/p?a%5fb=%2f%2F%3D");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().Get("a_b"), "//=");
}

TEST(QueryTest, RejectsMalformedInput) {
  for (std::string_view target :
       {"/p?a=%", "/p?a=%2", "/p?a=%zz", "/p?a=%g1", "/p?%=1", "/p?a=1&a=2", "/p?a=1&%61=2",
        "/p?=1", "/p?a=%00", "/p?a=%0A", "/p?a=%7F", "/p?a=%C2%85", "/p?a=%FF", "/p?a=%C3",
        "/p?a=%ED%A0%80", "/p?a=%C0%AF", "/p?a=%F4%90%80%80"}) {
    ApiResult<QueryParams> parsed = ParseQuery(target);
    ASSERT_FALSE(parsed.ok()) << target;
    EXPECT_EQ(parsed.error().code, "BAD_REQUEST") << target;
    EXPECT_EQ(parsed.error().http_status, 400);
  }
}

TEST(QueryTest, DuplicateIsNamed) {
  ApiResult<QueryParams> parsed = ParseQuery("/p?limit=1&limit=2");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("\"limit\""), std::string::npos);
}

TEST(QueryTest, BoundsTheParameterCount) {
  std::string target = "/p?";
  for (size_t i = 0; i < kMaxQueryParameters; ++i)
    target.append("k").append(std::to_string(i)).append("=1&");
  EXPECT_TRUE(ParseQuery(target).ok());
  EXPECT_FALSE(ParseQuery(target + "extra=1").ok());
}

}  // namespace
}  // namespace qb::api

namespace qb::api {
namespace {

TEST(QueryTest, SurvivesEveryByteCorruption) {
  const std::string valid = "/p?a=%E5%BC%A0&b=1+2&c";
  const unsigned char replacements[] = {0x00, '%', '&', '=', 0x80, 0xff, '?'};
  for (size_t i = 0; i < valid.size(); ++i) {
    for (unsigned char replacement : replacements) {
      std::string corrupted = valid;
      corrupted[i] = static_cast<char>(replacement);
      ApiResult<QueryParams> parsed = ParseQuery(corrupted);
      if (!parsed.ok()) {
        EXPECT_EQ(parsed.error().code, "BAD_REQUEST") << corrupted;
      }
    }
    ApiResult<QueryParams> truncated = ParseQuery(std::string_view(valid).substr(0, i));
    if (!truncated.ok()) {
      EXPECT_EQ(truncated.error().code, "BAD_REQUEST");
    }
  }
}

}  // namespace
}  // namespace qb::api
