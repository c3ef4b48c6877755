// Payment codes typed or scanned at the till: Verify must classify any text, and a code it
// accepts once is never accepted again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/assert.h"
#include "paytoken/payment_code.h"

namespace {

class OneDevice final : public qb::paytoken::PaymentCodeDevices {
 public:
  OneDevice() : secret_(*qb::identity::SecretKey::FromBytes(std::string(32, '\x11'))) {}
  const qb::identity::SecretKey* FindBySlot(uint32_t slot) const override {
    return slot == 12345 ? &secret_ : nullptr;
  }

 private:
  qb::identity::SecretKey secret_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const OneDevice devices;
  const std::string_view code(reinterpret_cast<const char*>(data), size);
  qb::paytoken::PaymentCodeVerifier verifier{qb::paytoken::PaymentCodeConfig{}};
  constexpr int64_t kNow = 1'790'000'000'000'000'000;
  const qb::paytoken::PaymentCodeMatch first = verifier.Verify(code, kNow, devices);
  if (first.result == qb::paytoken::PaymentCodeResult::kOk) {
    QB_ASSERT(first.device_slot == 12345);
    QB_ASSERT(verifier.Verify(code, kNow, devices).result != qb::paytoken::PaymentCodeResult::kOk);
  }
  (void)qb::paytoken::PaymentCodeResultName(first.result);
  return 0;
}
