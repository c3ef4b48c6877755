// What qianbaod does for browsers' sake on every request: the security headers each response
// carries, and the cross-site request refusal that guards the staff console and the merchant
// portal. HttpServer applies both, so no handler has to remember them.
//
// Headers. Every response, whatever answered it (a route, the static files, the server's own
// 400/413/503), carries X-Content-Type-Options, Content-Security-Policy, Referrer-Policy and
// X-Frame-Options; responses to /api/ paths also Cache-Control: no-store; and, when browsers
// reach the server over TLS (here, or at a proxy in front), Strict-Transport-Security. A header
// the handler set itself is kept as it is (a handler may be stricter, e.g. "private, no-store").
//
// CSRF. The web app keeps its bearer token in sessionStorage and sends it in an Authorization
// header, which a cross-site form or image cannot do, and sets no cookie; still, as defence in
// depth, a state-changing request (POST, PUT, PATCH, DELETE) under /api/v1/staff/ or
// /api/v1/merchant/ is refused with 403 CSRF_REJECTED when the browser says it came from another
// site: Sec-Fetch-Site is "cross-site", or an Origin header is present and its host and port
// differ from the Host header. Server-to-server clients send neither header and are unaffected.
#pragma once

#include <array>
#include <string_view>

#include "server/http_server.h"

namespace qb {

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

// The one policy of every response, the web app's included: only same-origin scripts, styles
// (inline ones too: the UI library sets style attributes), images and connections; no framing.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'";

// Sent on every response.
inline constexpr std::array<HeaderField, 4> kSecurityHeaders = {{
    {"X-Content-Type-Options", "nosniff"},
    {"Content-Security-Policy", kContentSecurityPolicy},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
}};

// Sent on responses to /api/ paths: answers are per user and must not be cached.
inline constexpr HeaderField kApiCacheControl = {"Cache-Control", "no-store"};

// Sent only when browsers reach the server over TLS: a year, subdomains included.
inline constexpr HeaderField kStrictTransportSecurity = {"Strict-Transport-Security",
                                                         "max-age=31536000; includeSubDomains"};

// The stable error code of the refusal (api::ErrorCode::kCsrfRejected, HTTP 403).
inline constexpr std::string_view kCsrfRejectedCode = "CSRF_REJECTED";

// True for paths under /api/.
bool IsApiPath(std::string_view path);

// True when the request must be refused as a cross-site state change (see above). Cheap for
// the common case: the method and path are checked before any header is looked up.
bool IsCrossSiteStateChange(const HttpRequest& request);

// The 403 CSRF_REJECTED answer.
HttpResponse CsrfRejectedResponse();

}  // namespace qb
