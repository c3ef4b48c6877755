// Base32 as TOTP secrets are typed: decoding any text either fails or gives bytes whose
// encoding decodes back to them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/assert.h"
#include "mfa/base32.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> bytes = qb::mfa::Base32Decode(text);
  if (bytes) {
    const std::optional<std::string> again = qb::mfa::Base32Decode(qb::mfa::Base32Encode(*bytes));
    QB_ASSERT(again && *again == *bytes);
  }
  const std::string encoded = qb::mfa::Base32Encode(text);
  const std::optional<std::string> decoded = qb::mfa::Base32Decode(encoded);
  QB_ASSERT(decoded && *decoded == text);
  return 0;
}
