// The signature on every webhook we send, for merchants to verify (Stripe-style).
//
// Each POST carries two headers:
//
//   QB-Webhook-Id: <event id>
//   QB-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]...
//
// where each <hex> is the lowercase hex HMAC-SHA256(secret, "<t>.<raw body>"): the timestamp in
// decimal, one '.', then the request body bytes exactly as sent. The secret is the merchant's
// webhook secret (not its API key). Usually there is one v1 entry. For 24 hours after the
// merchant rotates its secret there are two, the new secret's first and then the previous
// one's, so a receiver still configured with either keeps accepting (Stripe does the same).
// A merchant checks, in this order:
//
//   1. the header has the grammar above: exactly "t=" 1-12 digits without a leading zero, then
//      1 to kMaxSignatures times ",v1=" and 64 lowercase hex digits, nothing else;
//   2. one of the signatures matches its secret, each compared in constant time;
//   3. t is within `tolerance_s` (default 300) of its own clock, either way, so a captured
//      request cannot be replayed later.
//
// Every attempt is signed afresh with the time of that attempt, so a retry sent an hour later
// still passes the check. A redelivered event keeps its QB-Webhook-Id: merchants dedupe on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace qb::webhook {

inline constexpr std::string_view kSignatureHeader = "QB-Signature";
inline constexpr std::string_view kWebhookIdHeader = "QB-Webhook-Id";
inline constexpr int64_t kDefaultToleranceSeconds = 300;
// v1 entries one header may carry. We send at most two; a little room is left for a future
// scheme, and the bound keeps a hostile header from costing more than a few HMACs.
inline constexpr size_t kMaxSignatures = 4;

// The QB-Signature header value for `body` signed under `secret` at `unix_s`.
// Precondition: 0 <= unix_s < 10^12.
std::string SignWebhook(std::string_view secret, int64_t unix_s, std::string_view body);
// The same with one v1 entry per secret, in the order given (the current secret first).
// Precondition: 1 <= secrets.size() <= kMaxSignatures; 0 <= unix_s < 10^12.
std::string SignWebhook(std::span<const std::string_view> secrets, int64_t unix_s,
                        std::string_view body);

// Ordered by precedence: the first failing check is reported. Names are stable.
enum class WebhookVerifyResult : uint8_t {
  kOk = 0,
  kMalformed,     // the header does not follow the grammar
  kBadSignature,  // no signature matches this secret and body
  kTooOld,        // t is more than tolerance_s away from now_s (in the past or the future)
};

// "ok", "malformed", "bad_signature", "too_old".
std::string_view WebhookVerifyResultName(WebhookVerifyResult result);

// The merchant side, as a reference implementation and for our tests. Thread-safe.
// Precondition: 0 <= now_s < 10^12 (Unix seconds, not milliseconds).
WebhookVerifyResult VerifyWebhook(std::string_view secret, std::string_view header,
                                  std::string_view body, int64_t now_s,
                                  int64_t tolerance_s = kDefaultToleranceSeconds);

}  // namespace qb::webhook
