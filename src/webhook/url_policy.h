// Which URLs a webhook may be sent to.
//
// Merchants choose their webhook URL, so without a policy the dispatcher would be a tool for
// probing our own network (SSRF): "http://10.0.0.5:6379/" would make the server talk to an
// internal Redis and report back how it answered. Two defences:
//   - the URL grammar is narrow (below), so no parser disagreement can hide a second host;
//   - the host is resolved before every attempt, every resolved address is checked, and the
//     connection goes only to the addresses that were checked, so DNS cannot swap in a private
//     address between check and connect (rebinding). Unless allow_private_networks is set, a
//     host with any non-public address (IsPublicAddress) is refused. Redirects are never
//     followed: a 3xx answer is a failed attempt like any other non-2xx.
//
// URL grammar: "http://" (scheme case-insensitive), a host, an optional ":port" (1-65535, at
// most 5 digits), then an optional target that starts with '/' and holds printable ASCII without
// spaces or '#'. The host is a name of [A-Za-z0-9.-] (1-253 characters, not starting with '.' or
// '-'), or an IPv6 literal in brackets. No user info ('@'), no fragment, at most 2048 characters.
// Only plain http for now: https needs a TLS client with certificate checks, which will come
// with the TLS work in src/server; until then "https://" is refused with a message saying so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace qb::webhook {

inline constexpr size_t kMaxUrlBytes = 2048;

struct WebhookUrl {
  std::string host;  // as written, without the brackets of an IPv6 literal
  uint16_t port = 80;
  std::string target = "/";      // path and query
  bool host_is_literal = false;  // an IPv4 or IPv6 address rather than a name

  // The Host header value: the host, bracketed if IPv6, with ":port" unless it is 80.
  std::string HostHeader() const;
};

// kInvalidArgument, with a message naming the problem, for anything outside the grammar.
Status ParseWebhookUrl(std::string_view url, WebhookUrl* out);

// True for a global unicast address. False for loopback, private (RFC 1918, IPv6 ULA),
// link-local, carrier-grade NAT, unspecified, multicast, broadcast, documentation and other
// reserved ranges, for IPv4-mapped/NAT64 IPv6 forms of those, and for text that is not an IP
// address at all.
bool IsPublicAddress(std::string_view ip_address);

}  // namespace qb::webhook
