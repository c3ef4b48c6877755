// A terminal's NFC request text: parsed, looked up and checked; only a request whose cryptogram
// was made with the token's key may pass, and the state it returns moves the counter forward.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/assert.h"
#include "paytoken/nfc_cryptogram.h"

namespace {

class OneToken final : public qb::paytoken::NfcTokenDirectory {
 public:
  OneToken() {
    state_.luk_count = 4;
    state_.uses_per_luk = 8;
    state_.last_atc = 3;
  }
  const qb::paytoken::NfcTokenState* Find(std::string_view token) const override {
    return token == kToken ? &state_ : nullptr;
  }
  static constexpr std::string_view kToken = "9000000000000019";

 private:
  qb::paytoken::NfcTokenState state_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const OneToken tokens;
  static const qb::identity::SecretKey issuer =
      *qb::identity::SecretKey::FromBytes(std::string(32, '\x33'));
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const qb::paytoken::NfcVerification v = qb::paytoken::VerifyNfcRequest(text, tokens, issuer);
  if (v.result == qb::paytoken::NfcResult::kOk) {
    QB_ASSERT(v.request.token == OneToken::kToken);
    QB_ASSERT(v.accepted.last_atc == v.request.atc && v.request.atc > 3);
  }
  (void)qb::paytoken::NfcResultName(v.result);
  return 0;
}
