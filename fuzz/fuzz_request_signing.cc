// A merchant server's Authorization header and query string: parsed into fields or refused
// with a stable reason; what parses formats back to the same header.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/assert.h"
#include "merchant/request_signing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  qb::merchant::AuthorizationFields fields;
  const qb::merchant::HeaderParseError error =
      qb::merchant::ParseAuthorizationHeader(input, &fields);
  if (error == qb::merchant::HeaderParseError::kOk) {
    // The grammar has one spelling per header: what parses formats back to itself.
    QB_ASSERT(qb::merchant::FormatAuthorizationHeader(fields) == input);
  }
  (void)qb::merchant::HeaderParseErrorName(error);
  (void)qb::merchant::CanonicalQuery(input);
  return 0;
}
