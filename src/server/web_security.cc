#include "server/web_security.h"

namespace qb {
namespace {

constexpr std::array<std::string_view, 2> kGuardedPrefixes = {"/api/v1/staff/",
                                                              "/api/v1/merchant/"};

bool IsStateChanging(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// True when the Origin ("scheme://host[:port]") names the same host and port as the Host
// header. The scheme is not compared: behind a TLS-terminating proxy the browser's origin is
// https while this server speaks plain HTTP. An opaque origin ("null") never matches.
bool OriginMatchesHost(std::string_view origin, std::string_view host) {
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos || host.empty()) return false;
  std::string_view authority = origin.substr(scheme_end + 3);
  if (authority.empty() || authority.find('/') != std::string_view::npos) return false;
  return EqualsIgnoreCase(authority, host);
}

}  // namespace

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

bool IsCrossSiteStateChange(const HttpRequest& request) {
  if (!IsStateChanging(request.method)) return false;
  const std::string_view path = request.Path();
  bool guarded = false;
  for (std::string_view prefix : kGuardedPrefixes) guarded = guarded || path.starts_with(prefix);
  if (!guarded) return false;
  if (EqualsIgnoreCase(TrimSpaces(request.Header("Sec-Fetch-Site")), "cross-site")) return true;
  // An empty Origin header counts as present: a browser never sends one.
  for (const auto& [name, value] : request.headers) {
    if (!EqualsIgnoreCase(name, "Origin")) continue;
    return !OriginMatchesHost(TrimSpaces(value), TrimSpaces(request.Header("Host")));
  }
  return false;
}

HttpResponse CsrfRejectedResponse() {
  return JsonErrorResponse(403, kCsrfRejectedCode,
                           "a state-changing request from another site was refused");
}

}  // namespace qb
