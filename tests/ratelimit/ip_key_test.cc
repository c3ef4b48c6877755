#include "ratelimit/ip_key.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::ratelimit {
namespace {

TEST(IpKeyTest, Ipv4KeysOnTheWholeAddress) {
  EXPECT_EQ(IpRateLimitKey("203.0.113.7"), "203.0.113.7");
  EXPECT_NE(IpRateLimitKey("203.0.113.7"), IpRateLimitKey("203.0.113.8"));
  EXPECT_EQ(IpV4RateLimitKey({10, 0, 0, 1}), "10.0.0.1");
}

TEST(IpKeyTest, Ipv6KeysOnTheSlash64) {
  EXPECT_EQ(IpRateLimitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  // An attacker rotating the interface identifier stays in one bucket.
  EXPECT_EQ(IpRateLimitKey("2001:db8:1:2::1"), IpRateLimitKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  EXPECT_EQ(IpRateLimitKey("2001:DB8:1:2::1"), "2001:db8:1:2::/64");
  // The neighbouring /64 is another bucket.
  EXPECT_EQ(IpRateLimitKey("2001:db8:1:3::1"), "2001:db8:1:3::/64");
  EXPECT_EQ(IpRateLimitKey("::1"), "::/64");
}

TEST(IpKeyTest, Ipv4MappedAddressesKeyAsIpv4) {
  // Otherwise every IPv4 client of a dual-stack listener would share ::ffff:0:0/64.
  EXPECT_EQ(IpRateLimitKey("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_NE(IpRateLimitKey("::ffff:203.0.113.7"), IpRateLimitKey("::ffff:203.0.113.8"));
}

TEST(IpKeyTest, ZoneIsDropped) { EXPECT_EQ(IpRateLimitKey("fe80::1%eth0"), "fe80::/64"); }

TEST(IpKeyTest, RejectsAnythingElse) {
  EXPECT_EQ(IpRateLimitKey(""), std::nullopt);
  EXPECT_EQ(IpRateLimitKey("localhost"), std::nullopt);
  EXPECT_EQ(IpRateLimitKey("256.1.1.1"), std::nullopt);
  EXPECT_EQ(IpRateLimitKey("1.2.3"), std::nullopt);
  EXPECT_EQ(IpRateLimitKey("203.0.113.7:443"), std::nullopt);
  EXPECT_EQ(IpRateLimitKey("[2001:db8::1]"), std::nullopt);
  EXPECT_EQ(IpRateLimitKey(std::string("1.2.3.4\0", 8)), std::nullopt);
  EXPECT_EQ(IpRateLimitKey(std::string(65, '1')), std::nullopt);
}

}  // namespace
}  // namespace qb::ratelimit
