#include "api/json_writer.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace qb::api {
namespace {

TEST(JsonWriterTest, WritesIntegersNeverFloats) {
  JsonObjectWriter item;
  item.String("id", "t1").Amount("amount", 10'000'000'000'000);
  JsonArrayWriter items;
  items.Object(std::move(item)).Int(-1).String("x");
  JsonObjectWriter body;
  body.String("name", "张三 \"q\"\n")
      .Amount("amount", 1250)
      .Int("min", INT64_MIN)
      .Bool("ok", true)
      .Null("next")
      .Array("items", std::move(items))
      .Object("empty", JsonObjectWriter());
  std::string text = body.Serialize();
  EXPECT_NE(text.find("\"amount\":1250,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"amount\":10000000000000}"), std::string::npos) << text;

  boost::json::value parsed = boost::json::parse(text);
  EXPECT_EQ(parsed.at("name").as_string(), "张三 \"q\"\n");
  EXPECT_TRUE(parsed.at("amount").is_int64());
  EXPECT_EQ(parsed.at("min").as_int64(), INT64_MIN);
  EXPECT_TRUE(parsed.at("next").is_null());
  EXPECT_EQ(parsed.at("items").as_array().size(), 3u);
  EXPECT_EQ(parsed.at("items").at(0).at("id").as_string(), "t1");
  EXPECT_TRUE(parsed.at("items").at(0).at("amount").is_int64());
}

TEST(JsonWriterTest, ResponseIsJsonAndNotCached) {
  JsonObjectWriter body;
  body.String("status", "ok");
  HttpResponse response = JsonResponse(201, body);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, "{\"status\":\"ok\"}");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Cache-Control");
  EXPECT_EQ(response.headers[0].second, "no-store");
}

}  // namespace
}  // namespace qb::api
