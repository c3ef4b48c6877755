// The rate-limit key for a client address. IPv4 keys on the whole address. IPv6 keys on the /64
// prefix: one customer line or one cloud host usually gets a whole /64 and can rotate through
// 2^64 addresses inside it, so a per-address limit would be no limit at all.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qb::ratelimit {

// "203.0.113.7" -> "203.0.113.7".
std::string IpV4RateLimitKey(const std::array<uint8_t, 4>& address);

// "2001:db8:1:2:aaaa:bbbb:cccc:dddd" -> "2001:db8:1:2::/64". An IPv4-mapped address
// (::ffff:a.b.c.d, what a dual-stack socket reports for IPv4 clients) keys as the IPv4 address:
// taking its /64 would put every IPv4 client in one bucket.
std::string IpV6RateLimitKey(const std::array<uint8_t, 16>& address);

// Parses the textual form a socket layer prints (dotted IPv4, or IPv6 with an optional
// "%zone" suffix, which is dropped) and returns the key above; nullopt for anything else,
// including input longer than 64 bytes.
std::optional<std::string> IpRateLimitKey(std::string_view address);

}  // namespace qb::ratelimit
