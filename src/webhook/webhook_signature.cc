#include "webhook/webhook_signature.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>

#include "base/assert.h"
#include "merchant/request_signing.h"

namespace qb::webhook {
namespace {

constexpr size_t kMaxTimestampDigits = 12;
constexpr int64_t kMaxTimestampSeconds = 999'999'999'999;
constexpr size_t kSignatureHexChars = 64;

std::string SignedPayload(int64_t unix_s, std::string_view body) {
  std::string payload = std::to_string(unix_s);
  payload += '.';
  payload.append(body);
  return payload;
}

bool ParseTimestamp(std::string_view text, int64_t* unix_s) {
  if (text.empty() || text.size() > kMaxTimestampDigits) return false;
  if (text.size() > 1 && text[0] == '0') return false;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *unix_s);
  return error == std::errc() && end == text.data() + text.size();
}

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string SignWebhook(std::string_view secret, int64_t unix_s, std::string_view body) {
  return SignWebhook(std::span<const std::string_view>(&secret, 1), unix_s, body);
}

std::string SignWebhook(std::span<const std::string_view> secrets, int64_t unix_s,
                        std::string_view body) {
  QB_ASSERT(unix_s >= 0 && unix_s <= kMaxTimestampSeconds);
  QB_ASSERT(!secrets.empty() && secrets.size() <= kMaxSignatures);
  const std::string payload = SignedPayload(unix_s, body);
  std::string header = "t=" + std::to_string(unix_s);
  for (std::string_view secret : secrets) {
    header += ",v1=";
    header += merchant::HmacSha256Hex(secret, payload);
  }
  return header;
}

std::string_view WebhookVerifyResultName(WebhookVerifyResult result) {
  switch (result) {
    case WebhookVerifyResult::kOk:
      return "ok";
    case WebhookVerifyResult::kMalformed:
      return "malformed";
    case WebhookVerifyResult::kBadSignature:
      return "bad_signature";
    case WebhookVerifyResult::kTooOld:
      return "too_old";
  }
  return "unknown";
}

WebhookVerifyResult VerifyWebhook(std::string_view secret, std::string_view header,
                                  std::string_view body, int64_t now_s, int64_t tolerance_s) {
  QB_ASSERT(now_s >= 0 && now_s <= kMaxTimestampSeconds);
  constexpr std::string_view kTimestampPrefix = "t=";
  constexpr std::string_view kSignaturePrefix = ",v1=";
  if (!header.starts_with(kTimestampPrefix)) return WebhookVerifyResult::kMalformed;
  header.remove_prefix(kTimestampPrefix.size());
  size_t comma = header.find(',');
  if (comma == std::string_view::npos) return WebhookVerifyResult::kMalformed;
  int64_t unix_s = 0;
  if (!ParseTimestamp(header.substr(0, comma), &unix_s)) return WebhookVerifyResult::kMalformed;
  header.remove_prefix(comma);
  // The whole header is parsed before any signature is checked: a malformed one is reported as
  // such whatever its signatures.
  std::string_view received[kMaxSignatures];
  size_t received_count = 0;
  while (!header.empty()) {
    if (received_count == kMaxSignatures || !header.starts_with(kSignaturePrefix)) {
      return WebhookVerifyResult::kMalformed;
    }
    header.remove_prefix(kSignaturePrefix.size());
    const std::string_view hex = header.substr(0, kSignatureHexChars);
    if (hex.size() != kSignatureHexChars || !IsLowerHex(hex)) {
      return WebhookVerifyResult::kMalformed;
    }
    received[received_count++] = hex;
    header.remove_prefix(kSignatureHexChars);
  }
  if (received_count == 0) return WebhookVerifyResult::kMalformed;

  std::string expected = merchant::HmacSha256Hex(secret, SignedPayload(unix_s, body));
  QB_ASSERT(expected.size() == kSignatureHexChars);
  // Each entry in constant time, so a comparison leaks nothing about how many leading digits
  // were right; every entry is compared, matching or not.
  bool matched = false;
  for (size_t i = 0; i < received_count; i++) {
    matched |= sodium_memcmp(expected.data(), received[i].data(), kSignatureHexChars) == 0;
  }
  if (!matched) return WebhookVerifyResult::kBadSignature;
  // Both times lie in [0, 10^12], so the difference cannot overflow. A negative tolerance
  // accepts nothing.
  int64_t skew_s = now_s > unix_s ? now_s - unix_s : unix_s - now_s;
  if (tolerance_s < 0 || skew_s > tolerance_s) return WebhookVerifyResult::kTooOld;
  return WebhookVerifyResult::kOk;
}

}  // namespace qb::webhook
