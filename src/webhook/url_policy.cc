#include "webhook/url_policy.h"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <cctype>

namespace qb::webhook {
namespace {

namespace ip = boost::asio::ip;

constexpr size_t kMaxHostBytes = 253;
constexpr size_t kMaxPortDigits = 5;

struct Ipv4Range {
  uint32_t network;
  uint32_t prefix_bits;
};

// Everything IANA's special-purpose registry marks as not globally reachable, plus multicast.
constexpr std::array<Ipv4Range, 15> kNonPublicIpv4 = {{
    {0x00000000, 8},   // 0.0.0.0/8 "this network"
    {0x0a000000, 8},   // 10.0.0.0/8 private
    {0x64400000, 10},  // 100.64.0.0/10 carrier-grade NAT
    {0x7f000000, 8},   // 127.0.0.0/8 loopback
    {0xa9fe0000, 16},  // 169.254.0.0/16 link-local (cloud metadata lives here)
    {0xac100000, 12},  // 172.16.0.0/12 private
    {0xc0000000, 24},  // 192.0.0.0/24 protocol assignments
    {0xc0000200, 24},  // 192.0.2.0/24 documentation
    {0xc0586300, 24},  // 192.88.99.0/24 6to4 relay anycast (deprecated)
    {0xc0a80000, 16},  // 192.168.0.0/16 private
    {0xc6120000, 15},  // 198.18.0.0/15 benchmarking
    {0xc6336400, 24},  // 198.51.100.0/24 documentation
    {0xcb007100, 24},  // 203.0.113.0/24 documentation
    {0xe0000000, 4},   // 224.0.0.0/4 multicast
    {0xf0000000, 4},   // 240.0.0.0/4 reserved, 255.255.255.255 broadcast included
}};

bool IsPublicIpv4(const ip::address_v4& address) {
  const uint32_t value = address.to_uint();
  for (const Ipv4Range& range : kNonPublicIpv4) {
    const uint32_t mask = ~uint32_t{0} << (32 - range.prefix_bits);  // prefix_bits is 4..24
    if ((value & mask) == range.network) return false;
  }
  return true;
}

bool IsPublicIpv6(const ip::address_v6& address) {
  const ip::address_v6::bytes_type bytes = address.to_bytes();
  if (address.is_v4_mapped()) {
    return IsPublicIpv4(ip::make_address_v4(ip::v4_mapped, address));
  }
  // 64:ff9b::/96, the well-known NAT64 prefix: judge the IPv4 address it embeds.
  static constexpr std::array<uint8_t, 12> kNat64Prefix = {0x00, 0x64, 0xff, 0x9b, 0, 0,
                                                           0,    0,    0,    0,    0, 0};
  if (std::equal(kNat64Prefix.begin(), kNat64Prefix.end(), bytes.begin())) {
    return IsPublicIpv4(ip::address_v4({bytes[12], bytes[13], bytes[14], bytes[15]}));
  }
  // Global unicast is 2000::/3; everything else (loopback, unspecified, the deprecated
  // IPv4-compatible ::/96, ULA fc00::/7, link-local fe80::/10, multicast ff00::/8) is not public.
  if ((bytes[0] & 0xe0) != 0x20) return false;
  // Inside 2000::/3: documentation 2001:db8::/32, and the 2001::/23 block of special
  // assignments (Teredo, benchmarking, ORCHID), which may tunnel to arbitrary IPv4 addresses.
  if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8) return false;
  if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] < 0x02) return false;
  // 2002::/16, 6to4: judge the embedded IPv4 address.
  if (bytes[0] == 0x20 && bytes[1] == 0x02) {
    return IsPublicIpv4(ip::address_v4({bytes[2], bytes[3], bytes[4], bytes[5]}));
  }
  return true;
}

bool IsHostNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

Status ParsePort(std::string_view text, uint16_t* port) {
  if (text.empty() || text.size() > kMaxPortDigits ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument("bad url port");
  }
  uint32_t value = 0;
  for (char c : text) value = value * 10 + static_cast<uint32_t>(c - '0');
  if (value == 0 || value > 65535) return Status::InvalidArgument("url port out of range");
  *port = static_cast<uint16_t>(value);
  return Status::Ok();
}

// Splits the authority ("host", "host:port", "[v6]" or "[v6]:port") into `*url`.
Status ParseAuthority(std::string_view authority, WebhookUrl* url) {
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("bad url host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return Status::InvalidArgument("bad url host");
    has_port = !after.empty();
    port = has_port ? after.substr(1) : after;
    boost::system::error_code ec;
    ip::make_address_v6(std::string(host), ec);
    if (ec) return Status::InvalidArgument("bad url IPv6 literal");
    url->host_is_literal = true;
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    has_port = colon != std::string_view::npos;
    if (has_port) port = authority.substr(colon + 1);
    if (host.empty()) return Status::InvalidArgument("url has no host");
    if (host.size() > kMaxHostBytes ||
        !std::all_of(host.begin(), host.end(), IsHostNameCharacter) || host.front() == '.' ||
        host.front() == '-') {
      return Status::InvalidArgument("bad url host");
    }
    boost::system::error_code ec;
    ip::make_address_v4(std::string(host), ec);
    url->host_is_literal = !ec;
  }
  if (has_port) {
    Status status = ParsePort(port, &url->port);
    if (!status.ok()) return status;
  }
  url->host = std::string(host);
  return Status::Ok();
}

}  // namespace

std::string WebhookUrl::HostHeader() const {
  // Built by appending: GCC 12 reports a false -Wrestrict overlap for "[" + host + "]".
  std::string header;
  const bool ipv6 = host.find(':') != std::string::npos;
  if (ipv6) header += '[';
  header += host;
  if (ipv6) header += ']';
  if (port != 80) {
    header += ':';
    header += std::to_string(port);
  }
  return header;
}

Status ParseWebhookUrl(std::string_view url, WebhookUrl* out) {
  if (url.size() > kMaxUrlBytes) return Status::InvalidArgument("url too long");
  if (StartsWithIgnoringCase(url, "https://")) {
    return Status::InvalidArgument("https webhook urls are not supported yet; use http://");
  }
  constexpr std::string_view kScheme = "http://";
  if (!StartsWithIgnoringCase(url, kScheme)) {
    return Status::InvalidArgument("webhook url must start with http://");
  }
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? "/" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    return Status::InvalidArgument("url must not carry user info");
  }
  // '?' or '#' straight after the authority: not worth supporting, and refusing it keeps the
  // authority unambiguous.
  if (authority.find_first_of("?#") != std::string_view::npos) {
    return Status::InvalidArgument("bad url host");
  }
  auto target_character = [](char c) { return c > 0x20 && c < 0x7f && c != '#'; };
  if (!std::all_of(target.begin(), target.end(), target_character)) {
    return Status::InvalidArgument("bad url path");
  }
  WebhookUrl parsed;
  Status status = ParseAuthority(authority, &parsed);
  if (!status.ok()) return status;
  parsed.target = std::string(target);
  *out = std::move(parsed);
  return Status::Ok();
}

bool IsPublicAddress(std::string_view ip_address) {
  boost::system::error_code ec;
  ip::address address = ip::make_address(std::string(ip_address), ec);
  if (ec) return false;
  return address.is_v4() ? IsPublicIpv4(address.to_v4()) : IsPublicIpv6(address.to_v6());
}

}  // namespace qb::webhook
