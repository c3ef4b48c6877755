#include "api/cursor.h"

#include <sodium.h>

#include <array>
#include <charconv>
#include <cstdint>

namespace qb::api {
namespace {

constexpr uint8_t kCursorVersion = 1;
constexpr size_t kCursorBytes = 9;
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

ApiError BadCursor() {
  return MakeError(ErrorCode::kFieldInvalid, "query parameter \"cursor\" is not a valid cursor");
}

}  // namespace

std::string EncodeCursor(int64_t position) {
  QB_ASSERT(position >= 0);
  std::array<unsigned char, kCursorBytes> bytes;
  bytes[0] = kCursorVersion;
  uint64_t value = static_cast<uint64_t>(position);
  for (size_t i = 0; i < 8; ++i) bytes[1 + i] = static_cast<unsigned char>(value >> (56 - 8 * i));
  std::array<char, sodium_base64_ENCODED_LEN(kCursorBytes, kVariant)> text;
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), kVariant);
  return std::string(text.data());
}

ApiResult<int64_t> DecodeCursor(std::string_view cursor) {
  // Anything but exactly 12 characters cannot be a cursor; checking first also bounds the work.
  if (cursor.size() != sodium_base64_ENCODED_LEN(kCursorBytes, kVariant) - 1) return BadCursor();
  std::array<unsigned char, kCursorBytes> bytes;
  size_t length = 0;
  const char* end = nullptr;
  // No ignore set and a full-length end check: whitespace or trailing bytes are rejected.
  if (sodium_base642bin(bytes.data(), bytes.size(), cursor.data(), cursor.size(), nullptr, &length,
                        &end, kVariant) != 0 ||
      end != cursor.data() + cursor.size() || length != kCursorBytes) {
    return BadCursor();
  }
  if (bytes[0] != kCursorVersion) return BadCursor();
  uint64_t value = 0;
  for (size_t i = 1; i < kCursorBytes; ++i) value = (value << 8) | bytes[i];
  if (value > static_cast<uint64_t>(INT64_MAX)) return BadCursor();
  return static_cast<int64_t>(value);
}

ApiResult<int64_t> ParseLimit(std::string_view value, int64_t default_limit, int64_t max_limit) {
  QB_ASSERT(default_limit >= 1 && default_limit <= max_limit);
  if (value.empty()) return default_limit;
  int64_t limit = 0;
  // from_chars accepts a leading '-', which the range check below rejects; it never accepts
  // '+', spaces or hex, and the end check rejects anything after the digits.
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
  if (ec != std::errc() || end != value.data() + value.size() || limit < 1 || limit > max_limit) {
    return MakeError(
        ErrorCode::kFieldInvalid,
        "query parameter \"limit\" must be an integer from 1 to " + std::to_string(max_limit));
  }
  return limit;
}

}  // namespace qb::api
