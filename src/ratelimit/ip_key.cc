#include "ratelimit/ip_key.h"

#include <arpa/inet.h>

#include <algorithm>

#include "base/assert.h"

namespace qb::ratelimit {

namespace {

constexpr size_t kMaxAddressTextBytes = 64;

bool IsV4Mapped(const std::array<uint8_t, 16>& address) {
  static constexpr std::array<uint8_t, 12> kPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::equal(kPrefix.begin(), kPrefix.end(), address.begin());
}

}  // namespace

std::string IpV4RateLimitKey(const std::array<uint8_t, 4>& address) {
  char text[INET_ADDRSTRLEN];
  const char* written = inet_ntop(AF_INET, address.data(), text, sizeof(text));
  QB_ASSERT(written != nullptr);  // fails only for a buffer too small, which this is not
  return text;
}

std::string IpV6RateLimitKey(const std::array<uint8_t, 16>& address) {
  if (IsV4Mapped(address)) {
    return IpV4RateLimitKey({address[12], address[13], address[14], address[15]});
  }
  std::array<uint8_t, 16> prefix{};
  std::copy_n(address.begin(), 8, prefix.begin());
  char text[INET6_ADDRSTRLEN];
  const char* written = inet_ntop(AF_INET6, prefix.data(), text, sizeof(text));
  QB_ASSERT(written != nullptr);
  return std::string(text) + "/64";
}

std::optional<std::string> IpRateLimitKey(std::string_view address) {
  if (address.empty() || address.size() > kMaxAddressTextBytes) return std::nullopt;
  // inet_pton would stop at an embedded NUL and accept what precedes it.
  if (address.find('\0') != std::string_view::npos) return std::nullopt;
  // inet_pton needs a terminated string; the zone of a link-local address says which local
  // interface, not who the client is.
  std::string text(address.substr(0, address.find('%')));
  std::array<uint8_t, 4> v4{};
  if (inet_pton(AF_INET, text.c_str(), v4.data()) == 1) return IpV4RateLimitKey(v4);
  std::array<uint8_t, 16> v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return IpV6RateLimitKey(v6);
  return std::nullopt;
}

}  // namespace qb::ratelimit
