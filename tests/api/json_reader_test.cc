#include "api/json_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::api {
namespace {

// Joins pieces. GCC 12 at -O3 reports a false -Wrestrict for "literal" + std::string, so the
// tests build strings with append instead.
std::string Concat(std::initializer_list<std::string_view> pieces) {
  std::string joined;
  for (std::string_view piece : pieces) joined.append(piece);
  return joined;
}

ApiError ParseError(std::string_view body, const ParseLimits& limits = {}) {
  ApiResult<JsonObject> result = ParseJsonObject(body, limits);
  EXPECT_FALSE(result.ok()) << body;
  if (result.ok()) return {};
  return result.error();
}

TEST(ParseJsonObjectTest, AcceptsAnObject) {
  ApiResult<JsonObject> result = ParseJsonObject(" {\"a\": 1, \"b\": [1, {\"c\": null}]} \n");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().size(), 2u);
}

TEST(ParseJsonObjectTest, RejectsMalformedJsonWithAPosition) {
  ApiError error = ParseError("{\n  \"a\": 1,\n  \"b\": }");
  EXPECT_EQ(error.code, "MALFORMED_JSON");
  EXPECT_EQ(error.http_status, 400);
  EXPECT_NE(error.message.find("line 3"), std::string::npos) << error.message;
}

TEST(ParseJsonObjectTest, RejectsBrokenInputs) {
  for (std::string_view body : {"", "   ", "{", "{\"a\":1,}", "{'a':1}", "{\"a\":01}",
                                "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":NaN}", "{\"a\":\"\x01\"}"}) {
    EXPECT_EQ(ParseError(body).code, "MALFORMED_JSON") << body;
  }
}

TEST(ParseJsonObjectTest, RejectsNonObjectRoots) {
  for (std::string_view body : {"[]", "1", "\"s\"", "null", "true"}) {
    EXPECT_EQ(ParseError(body).code, "MALFORMED_JSON") << body;
  }
}

TEST(ParseJsonObjectTest, RejectsInvalidUtf8) {
  for (std::string_view body :
       {"{\"a\":\"\xff\"}", "{\"a\":\"\xc3\"}", "{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\xed\xa0\x80\"}",
        "{\"\xfe\":1}", "{\"a\":\"\\ud800\"}"}) {
    EXPECT_EQ(ParseError(body).code, "MALFORMED_JSON") << body;
  }
}

TEST(ParseJsonObjectTest, RejectsDuplicateKeys) {
  for (std::string_view body : {R"({"a":1,"a":2})", R"({"a":1,"b":{"c":1,"c":1}})",
                                R"({"a":[{"x":1},{"y":1,"y":2}]})", R"({"\u0061":1,"a":2})"}) {
    ApiError error = ParseError(body);
    EXPECT_EQ(error.code, "MALFORMED_JSON") << body;
    EXPECT_NE(error.message.find("duplicate key"), std::string::npos) << error.message;
  }
  // The same key in sibling objects is fine.
  EXPECT_TRUE(ParseJsonObject(R"({"a":[{"x":1},{"x":2}],"b":{"x":{"x":3}}})").ok());
}

TEST(ParseJsonObjectTest, EnforcesDepth) {
  ParseLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(ParseJsonObject("{\"a\":{\"b\":[1]}}", limits).ok());
  EXPECT_EQ(ParseError("{\"a\":{\"b\":[[1]]}}", limits).code, "MALFORMED_JSON");
  std::string deep(10000, '[');
  EXPECT_EQ(ParseError(Concat({"{\"a\":", deep})).code, "MALFORMED_JSON");
}

TEST(ParseJsonObjectTest, EnforcesBodySize) {
  ParseLimits limits;
  limits.max_body_bytes = 16;
  EXPECT_TRUE(ParseJsonObject("{\"a\":\"0123456\"}", limits).ok());
  ApiError error = ParseError("{\"a\":\"012345678\"}", limits);
  EXPECT_EQ(error.code, "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(error.http_status, 413);
}

TEST(ParseJsonObjectTest, EnforcesStringBytesAndFieldCount) {
  ParseLimits limits;
  limits.max_string_bytes = 4;
  limits.max_fields = 3;
  EXPECT_TRUE(ParseJsonObject("{\"abcd\":\"abcd\",\"b\":[1]}", limits).ok());
  EXPECT_EQ(ParseError("{\"a\":\"abcde\"}", limits).code, "MALFORMED_JSON");
  EXPECT_EQ(ParseError("{\"abcde\":1}", limits).code, "MALFORMED_JSON");
  EXPECT_EQ(ParseError("{\"a\":[\"abcde\"]}", limits).code, "MALFORMED_JSON");
  EXPECT_EQ(ParseError("{\"a\":[1,2,3]}", limits).code, "MALFORMED_JSON");
}

// Parses body (which must succeed) and runs read on a reader over it; returns Finish().
template <typename Read>
std::optional<ApiError> ReadBody(std::string_view body, Read read) {
  ApiResult<JsonObject> parsed = ParseJsonObject(body);
  EXPECT_TRUE(parsed.ok()) << body;
  if (!parsed.ok()) return parsed.error();
  ObjectReader reader(parsed.value());
  read(reader);
  return reader.Finish();
}

void ExpectFieldError(std::optional<ApiError> error, std::string_view code,
                      std::string_view field) {
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, code);
  EXPECT_EQ(error->http_status, 400);
  EXPECT_NE(error->message.find(Concat({"\"", field, "\""})), std::string::npos) << error->message;
}

TEST(ObjectReaderTest, ReadsValidInput) {
  ApiResult<JsonObject> parsed = ParseJsonObject(
      R"({"to":"张三","amount":1250,"kind":"p2p","count":-3,"note":"a\nb","flag":true,)"
      R"("memo":null})");
  ASSERT_TRUE(parsed.ok());
  ObjectReader reader(parsed.value());
  EXPECT_EQ(reader.RequiredString("to", 2), "张三");
  EXPECT_EQ(reader.RequiredAmount("amount"), 1250);
  EXPECT_EQ(reader.RequiredEnum("kind", {"p2p", "merchant"}), "p2p");
  EXPECT_EQ(reader.RequiredInt64("count", -10, 10), -3);
  EXPECT_EQ(reader.OptionalString("note", 10, TextPolicy::kMultiLine), "a\nb");
  EXPECT_EQ(reader.OptionalBool("flag"), true);
  EXPECT_EQ(reader.OptionalString("memo", 10), std::nullopt);
  EXPECT_EQ(reader.OptionalInt64("absent", 0, 1), std::nullopt);
  EXPECT_EQ(reader.OptionalBool("absent_too"), std::nullopt);
  EXPECT_EQ(reader.Finish(), std::nullopt);
}

TEST(ObjectReaderTest, RejectsUnknownFieldNamingIt) {
  auto error = ReadBody(R"({"a":"x","zzz":1,"yyy":2})",
                        [](ObjectReader& reader) { reader.RequiredString("a", 5); });
  ExpectFieldError(error, "UNKNOWN_FIELD", "zzz");
}

TEST(ObjectReaderTest, RejectsMissingAndNullRequiredFields) {
  ExpectFieldError(ReadBody("{}", [](ObjectReader& r) { r.RequiredString("name", 5); }),
                   "FIELD_REQUIRED", "name");
  ExpectFieldError(
      ReadBody(R"({"amount":null})", [](ObjectReader& r) { r.RequiredAmount("amount"); }),
      "FIELD_REQUIRED", "amount");
  ExpectFieldError(ReadBody("{}", [](ObjectReader& r) { r.RequiredBool("on"); }), "FIELD_REQUIRED",
                   "on");
}

TEST(ObjectReaderTest, RejectsWrongTypesForIntegers) {
  for (std::string_view value :
       {"\"1\"", "1.0", "1e3", "1E0", "true", "[1]", "{}", "-0.0", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616"}) {
    std::string body = Concat({"{\"n\":", value, "}"});
    ExpectFieldError(
        ReadBody(body, [](ObjectReader& r) { r.RequiredInt64("n", INT64_MIN, INT64_MAX); }),
        "FIELD_INVALID", "n");
  }
}

TEST(ObjectReaderTest, AcceptsInt64Extremes) {
  for (std::string_view value : {"9223372036854775807", "-9223372036854775808", "0", "-0"}) {
    std::string body = Concat({"{\"n\":", value, "}"});
    EXPECT_EQ(ReadBody(body, [](ObjectReader& r) { r.RequiredInt64("n", INT64_MIN, INT64_MAX); }),
              std::nullopt)
        << value;
  }
}

TEST(ObjectReaderTest, EnforcesIntegerBounds) {
  ExpectFieldError(ReadBody(R"({"n":11})", [](ObjectReader& r) { r.RequiredInt64("n", 0, 10); }),
                   "FIELD_INVALID", "n");
  ExpectFieldError(ReadBody(R"({"n":-1})", [](ObjectReader& r) { r.OptionalInt64("n", 0, 10); }),
                   "FIELD_INVALID", "n");
}

TEST(ObjectReaderTest, RejectsBadAmounts) {
  for (std::string_view value :
       {"0", "-1", "10000000000001", "12.5", "1e2", "\"100\"", "9223372036854775808"}) {
    std::string body = Concat({"{\"amount\":", value, "}"});
    ExpectFieldError(ReadBody(body, [](ObjectReader& r) { r.RequiredAmount("amount"); }),
                     "FIELD_INVALID", "amount");
  }
  EXPECT_EQ(
      ReadBody(R"({"amount":10000000000000})", [](ObjectReader& r) { r.RequiredAmount("amount"); }),
      std::nullopt);
  ExpectFieldError(
      ReadBody(R"({"amount":501})", [](ObjectReader& r) { r.RequiredAmount("amount", 500); }),
      "FIELD_INVALID", "amount");
}

TEST(ObjectReaderTest, StringLengthsCountCodePoints) {
  EXPECT_EQ(ReadBody(R"({"s":"一二三"})", [](ObjectReader& r) { r.RequiredString("s", 3); }),
            std::nullopt);
  ExpectFieldError(
      ReadBody(R"({"s":"一二三四"})", [](ObjectReader& r) { r.RequiredString("s", 3); }),
      "FIELD_INVALID", "s");
  ExpectFieldError(ReadBody(R"({"s":"abcd"})", [](ObjectReader& r) { r.RequiredString("s", 3); }),
                   "FIELD_INVALID", "s");
  ExpectFieldError(ReadBody(R"({"s":""})", [](ObjectReader& r) { r.RequiredString("s", 3); }),
                   "FIELD_INVALID", "s");
  EXPECT_EQ(ReadBody(R"({"s":""})",
                     [](ObjectReader& r) { r.RequiredString("s", 3, TextPolicy::kSingleLine, 0); }),
            std::nullopt);
}

TEST(ObjectReaderTest, RejectsControlCharacters) {
  for (std::string_view value : {R"("a\u0000b")", R"("a\nb")", R"("a\tb")", R"("a\u007fb")",
                                 R"("a\u0085b")", R"("\u001b[31m")"}) {
    std::string body = Concat({"{\"s\":", value, "}"});
    ExpectFieldError(ReadBody(body, [](ObjectReader& r) { r.RequiredString("s", 10); }),
                     "FIELD_INVALID", "s");
  }
  EXPECT_EQ(ReadBody(R"({"s":"a\nb\tc"})",
                     [](ObjectReader& r) { r.RequiredString("s", 10, TextPolicy::kMultiLine); }),
            std::nullopt);
  ExpectFieldError(
      ReadBody(R"({"s":"a\rb"})",
               [](ObjectReader& r) { r.RequiredString("s", 10, TextPolicy::kMultiLine); }),
      "FIELD_INVALID", "s");
}

TEST(ObjectReaderTest, RejectsWrongTypesForOtherFields) {
  ExpectFieldError(ReadBody(R"({"s":5})", [](ObjectReader& r) { r.RequiredString("s", 10); }),
                   "FIELD_INVALID", "s");
  ExpectFieldError(ReadBody(R"({"b":"true"})", [](ObjectReader& r) { r.OptionalBool("b"); }),
                   "FIELD_INVALID", "b");
  ExpectFieldError(ReadBody(R"({"b":1})", [](ObjectReader& r) { r.RequiredBool("b"); }),
                   "FIELD_INVALID", "b");
  ExpectFieldError(ReadBody(R"({"k":"other"})",
                            [](ObjectReader& r) {
                              r.RequiredEnum("k", {"a", "b"});
                            }),
                   "FIELD_INVALID", "k");
  ExpectFieldError(ReadBody(R"({"k":1})",
                            [](ObjectReader& r) {
                              r.RequiredEnum("k", {"a", "b"});
                            }),
                   "FIELD_INVALID", "k");
}

TEST(ObjectReaderTest, FirstErrorWins) {
  auto error = ReadBody(R"({"a":"x","b":1.5,"extra":1})", [](ObjectReader& r) {
    r.RequiredInt64("a", 0, 1);
    r.RequiredInt64("b", 0, 1);
    r.RequiredString("c", 1);
  });
  ExpectFieldError(error, "FIELD_INVALID", "a");
}

TEST(ObjectReaderTest, UnknownFieldNameIsShortened) {
  std::string name(500, 'x');
  auto error = ReadBody(Concat({"{\"", name, "\":1}"}), [](ObjectReader&) {});
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "UNKNOWN_FIELD");
  EXPECT_LT(error->message.size(), 100u);
}

}  // namespace
}  // namespace qb::api

namespace qb::api {
namespace {

// Every single-byte corruption of a valid body either still parses or fails with a clean
// MALFORMED_JSON; none crashes (the sanitizer build checks memory safety too).
TEST(ParseJsonObjectTest, SurvivesEveryByteCorruption) {
  const std::string valid = R"({"to":"张三","amount":1250,"tags":["a",{"b":null}],"ok":true})";
  const unsigned char replacements[] = {0x00, '"', '{', ']', '\\', 0x80, 0xff, '1', ' '};
  for (size_t i = 0; i < valid.size(); ++i) {
    for (unsigned char replacement : replacements) {
      std::string corrupted = valid;
      corrupted[i] = static_cast<char>(replacement);
      ApiResult<JsonObject> parsed = ParseJsonObject(corrupted);
      if (!parsed.ok()) {
        EXPECT_EQ(parsed.error().code, "MALFORMED_JSON") << i;
      }
    }
    ApiResult<JsonObject> truncated = ParseJsonObject(std::string_view(valid).substr(0, i));
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().code, "MALFORMED_JSON");
  }
}

}  // namespace
}  // namespace qb::api
