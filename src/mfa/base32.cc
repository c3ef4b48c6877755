#include "mfa/base32.h"

#include <cstdint>

namespace qb::mfa {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr size_t kGroupChars = 8;

// The value of one base32 character in either case, or -1.
int32_t CharValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

// A tail of n characters (n = length mod 8) is valid only for n in {0, 2, 4, 5, 7}.
bool IsValidUnpaddedLength(size_t size) {
  size_t tail = size % kGroupChars;
  return tail == 0 || tail == 2 || tail == 4 || tail == 5 || tail == 7;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int32_t buffered_bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<uint8_t>(c);
    buffered_bits += 8;
    while (buffered_bits >= 5) {
      buffered_bits -= 5;
      out.push_back(kAlphabet[(buffer >> buffered_bits) & 0x1f]);
    }
    buffer &= (1u << buffered_bits) - 1;  // keep only the bits not yet written
  }
  if (buffered_bits > 0) out.push_back(kAlphabet[(buffer << (5 - buffered_bits)) & 0x1f]);
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  size_t padding_start = text.find('=');
  if (padding_start != std::string_view::npos) {
    if (text.size() % kGroupChars != 0) return std::nullopt;
    if (text.find_first_not_of('=', padding_start) != std::string_view::npos) return std::nullopt;
    text = text.substr(0, padding_start);
    // Complete padding fills exactly the rest of the last group, so it is never a whole group.
    if (text.size() % kGroupChars == 0) return std::nullopt;
  }
  if (!IsValidUnpaddedLength(text.size())) return std::nullopt;

  std::string out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int32_t buffered_bits = 0;
  for (char c : text) {
    int32_t value = CharValue(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    buffered_bits += 5;
    if (buffered_bits >= 8) {
      buffered_bits -= 8;
      out.push_back(static_cast<char>((buffer >> buffered_bits) & 0xff));
    }
    buffer &= (1u << buffered_bits) - 1;
  }
  if (buffer != 0) return std::nullopt;  // non-zero unused bits: not a canonical encoding
  return out;
}

}  // namespace qb::mfa
