#include "webhook/url_policy.h"

#include <gtest/gtest.h>

namespace qb::webhook {
namespace {

TEST(ParseWebhookUrlTest, AcceptsPlainHttp) {
  WebhookUrl url;
  ASSERT_TRUE(ParseWebhookUrl("http://shop.example.com/hooks/qb?x=1&y=2", &url).ok());
  EXPECT_EQ(url.host, "shop.example.com");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.target, "/hooks/qb?x=1&y=2");
  EXPECT_FALSE(url.host_is_literal);
  EXPECT_EQ(url.HostHeader(), "shop.example.com");

  ASSERT_TRUE(ParseWebhookUrl("HTTP://Shop.example.com:8080", &url).ok());
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.target, "/");
  EXPECT_EQ(url.HostHeader(), "Shop.example.com:8080");

  ASSERT_TRUE(ParseWebhookUrl("http://203.0.114.7:65535/a", &url).ok());
  EXPECT_TRUE(url.host_is_literal);
  EXPECT_EQ(url.port, 65535);

  ASSERT_TRUE(ParseWebhookUrl("http://[2001:4860::8888]:81/x", &url).ok());
  EXPECT_EQ(url.host, "2001:4860::8888");
  EXPECT_TRUE(url.host_is_literal);
  EXPECT_EQ(url.HostHeader(), "[2001:4860::8888]:81");
}

TEST(ParseWebhookUrlTest, RejectsEverythingElse) {
  for (std::string_view text : {
           "",
           "ftp://shop.example.com/",
           "https://shop.example.com/",
           "shop.example.com/hook",
           "http://",
           "http:///hook",
           "http://:8080/hook",
           "http://shop.example.com:/hook",
           "http://shop.example.com:0/hook",
           "http://shop.example.com:65536/hook",
           "http://shop.example.com:123456/hook",
           "http://shop.example.com:8o/hook",
           "http://shop.example.com:-1/hook",
           "http://user:pw@shop.example.com/hook",
           "http://evil.example@shop.example.com/",
           "http://shop example.com/",
           "http://shop.example.com/a b",
           "http://shop.example.com/a#frag",
           "http://shop.example.com?x=1",
           "http://.example.com/",
           "http://-shop.example.com/",
           "http://shop_example.com/",
           "http://[::1/hook",
           "http://[not-v6]/hook",
           "http://[::1]x/hook",
           "http://shop.example.com/\x01",
       }) {
    WebhookUrl url;
    EXPECT_EQ(ParseWebhookUrl(text, &url).code(), Status::Code::kInvalidArgument) << text;
  }
  WebhookUrl url;
  std::string long_url = "http://shop.example.com/" + std::string(kMaxUrlBytes, 'a');
  EXPECT_EQ(ParseWebhookUrl(long_url, &url).code(), Status::Code::kInvalidArgument);
}

TEST(IsPublicAddressTest, PublicAddresses) {
  for (std::string_view address :
       {"8.8.8.8", "1.1.1.1", "203.0.114.7", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888",
        "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
    EXPECT_TRUE(IsPublicAddress(address)) << address;
  }
}

TEST(IsPublicAddressTest, NonPublicAddresses) {
  for (std::string_view address : {
           "0.0.0.0",
           "10.1.2.3",
           "100.64.0.1",
           "127.0.0.1",
           "127.255.255.254",
           "169.254.169.254",
           "172.16.0.1",
           "172.31.255.255",
           "192.168.1.1",
           "192.0.2.1",
           "198.18.0.1",
           "198.51.100.1",
           "203.0.113.1",
           "224.0.0.1",
           "240.0.0.1",
           "255.255.255.255",
           "::",
           "::1",
           "::ffff:127.0.0.1",
           "::ffff:10.0.0.1",
           "64:ff9b::a00:1",
           "fc00::1",
           "fd12:3456::1",
           "fe80::1",
           "ff02::1",
           "2001:db8::1",
           "2001::1",
           "2002:a00:1::1",
           "::127.0.0.1",
           "not an address",
           "",
           "localhost",
       }) {
    EXPECT_FALSE(IsPublicAddress(address)) << address;
  }
}

}  // namespace
}  // namespace qb::webhook
