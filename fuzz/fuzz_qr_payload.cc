// Scanned QR text: VerifyQr must refuse anything not signed by a known key, and what it accepts
// must have valid fields.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/assert.h"
#include "paytoken/qr_payload.h"

namespace {

const qb::paytoken::QrKeyRing& Ring() {
  static const qb::paytoken::QrKeyRing* ring = [] {
    auto* r = new qb::paytoken::QrKeyRing();
    const std::string seed(qb::identity::SecretKey::kSize, '\x2a');
    qb::paytoken::QrSigningKey key(7, *qb::identity::SecretKey::FromBytes(seed));
    r->Add(7, key.public_key());
    return r;
  }();
  return *ring;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  qb::paytoken::QrPayload payload;
  uint32_t key_id = 0;
  const qb::paytoken::QrResult result =
      qb::paytoken::VerifyQr(text, Ring(), 1'790'000'000'000'000'000, &payload, &key_id);
  if (result == qb::paytoken::QrResult::kOk) {
    QB_ASSERT(key_id == 7);
    QB_ASSERT(qb::paytoken::ValidateQrFields(payload) == qb::paytoken::QrResult::kOk);
  }
  (void)qb::paytoken::QrResultName(result);
  return 0;
}
