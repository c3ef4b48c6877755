// The QB-Signature header a merchant checks: any header text gets a verdict, and only a
// signature made with the secret over this body verifies.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/assert.h"
#include "webhook/webhook_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first line is the header, the rest the body.
  const size_t newline = input.find('\n');
  const std::string_view header = input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  constexpr int64_t kNowS = 1'790'000'000;
  const qb::webhook::WebhookVerifyResult result =
      qb::webhook::VerifyWebhook("whsec_fuzz", header, body, kNowS);
  if (result == qb::webhook::WebhookVerifyResult::kOk) {
    // Only our own signature can pass: re-signing at the header's time must give this header.
    const size_t comma = header.find(',');
    const int64_t t = std::stoll(std::string(header.substr(2, comma - 2)));
    QB_ASSERT(qb::webhook::SignWebhook("whsec_fuzz", t, body) == header);
  }
  (void)qb::webhook::WebhookVerifyResultName(result);
  return 0;
}
