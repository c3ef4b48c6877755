// WebAuthn parsing as the server meets it (mfa/webauthn.h): the first byte picks the parser,
// the rest is its input: an attestation object (CBOR), authenticator data, a COSE key (CBOR) or
// clientDataJSON. Nothing may crash or read out of bounds; what parses must be internally
// consistent (an attestation's authData parses as authenticator data or is refused there, a
// parsed COSE key has the size its algorithm implies), and the assertion verifier must refuse
// arbitrary bytes without crashing.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/assert.h"
#include "mfa/webauthn.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      const std::optional<std::string> auth = qb::mfa::AuthenticatorDataOfAttestation(input);
      if (auth) (void)qb::mfa::ParseAuthenticatorData(*auth);
      break;
    }
    case 1: {
      const std::optional<qb::mfa::AuthenticatorData> auth = qb::mfa::ParseAuthenticatorData(input);
      if (auth && !auth->cose_key.empty()) {
        QB_ASSERT(auth->cose_key.size() <= qb::mfa::kMaxCoseKeyBytes);
        (void)qb::mfa::ParseCoseKey(auth->cose_key);
      }
      break;
    }
    case 2: {
      const std::optional<qb::mfa::CosePublicKey> key = qb::mfa::ParseCoseKey(input);
      if (key) {
        QB_ASSERT(key->alg == qb::mfa::kCoseAlgEs256 ? key->raw.size() == 65
                                                     : key->raw.size() == 32);
      }
      break;
    }
    default: {
      (void)qb::mfa::ParseClientData(input);
      const qb::mfa::WebAuthnExpectation expected{.challenge = "challenge",
                                                  .rp_id = "localhost",
                                                  .origin = "http://localhost",
                                                  .require_user_verification = true};
      (void)qb::mfa::VerifyWebAuthnAssertion(input, 0, input, input, input, expected, nullptr);
      break;
    }
  }
  return 0;
}
