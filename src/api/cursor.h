// Opaque pagination cursors (?cursor=&limit=).
//
// A cursor is base64url without padding (12 characters) of 9 bytes:
//   cursor   = version position
//   version  = %x01
//   position = int64, big-endian, >= 0   ; where the next page starts, as the list defines it
// Decoding is strict: wrong alphabet, padding, length or version is FIELD_INVALID "cursor".
// Cursors are not signed: a forged one only selects another page of a list the caller may
// read anyway, since every list checks access on each request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/errors.h"

namespace qb::api {

inline constexpr int64_t kDefaultPageLimit = 20;
inline constexpr int64_t kMaxPageLimit = 100;

// position must be >= 0.
std::string EncodeCursor(int64_t position);
ApiResult<int64_t> DecodeCursor(std::string_view cursor);

// The limit query value: default_limit when empty, else a decimal integer in [1, max_limit]
// (FIELD_INVALID "limit" otherwise).
ApiResult<int64_t> ParseLimit(std::string_view value, int64_t default_limit = kDefaultPageLimit,
                              int64_t max_limit = kMaxPageLimit);

}  // namespace qb::api
