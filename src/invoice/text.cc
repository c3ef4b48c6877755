#include <errno.h>
#include <iconv.h>

#include <cstdint>

#include "base/assert.h"
#include "invoice/text_internal.h"

namespace qb::invoice {
namespace {

// Decodes one code point at text[position]. Returns its length in bytes, or 0 when the bytes
// there are not well-formed UTF-8.
size_t DecodeOne(std::string_view text, size_t position, uint32_t* code_point) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[position + i]); };
  const size_t available = text.size() - position;
  const uint8_t lead = byte(0);
  size_t length = 0;
  uint32_t value = 0;
  uint32_t minimum = 0;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (available < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i) & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *code_point = value;
  return length;
}

bool IsControl(uint32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

}  // namespace

std::optional<size_t> CountPrintableCodePoints(std::string_view text) {
  size_t count = 0;
  for (size_t position = 0; position < text.size(); ++count) {
    uint32_t code_point = 0;
    const size_t length = DecodeOne(text, position, &code_point);
    if (length == 0 || IsControl(code_point)) return std::nullopt;
    position += length;
  }
  return count;
}

std::vector<std::string_view> SplitCodePoints(std::string_view text) {
  std::vector<std::string_view> pieces;
  for (size_t position = 0; position < text.size();) {
    uint32_t code_point = 0;
    const size_t length = DecodeOne(text, position, &code_point);
    QB_ASSERT(length != 0);  // precondition: well-formed
    pieces.push_back(text.substr(position, length));
    position += length;
  }
  return pieces;
}

Status Utf8ToGbk(std::string_view field, std::string_view text, std::string* gbk) {
  const Status unrepresentable =
      Status::InvalidArgument(std::string(field) + ": not representable in GBK");
  // iconv would pass some malformed input through glibc's lenient decoder; check first.
  if (!CountPrintableCodePoints(text)) return unrepresentable;
  iconv_t converter = ::iconv_open("GBK", "UTF-8");
  if (converter == reinterpret_cast<iconv_t>(-1)) return Status::IoError("iconv: no GBK support");
  // GBK never needs more bytes than UTF-8 for the same text (at most 2 per code point, and
  // UTF-8 uses at least 2 for anything outside ASCII), so one pass over a buffer this size
  // finishes unless the input is bad.
  std::string output(text.size() + 1, '\0');
  char* in = const_cast<char*>(text.data());  // iconv's signature is not const-correct
  size_t in_left = text.size();
  char* out = output.data();
  size_t out_left = output.size();
  const size_t result = ::iconv(converter, &in, &in_left, &out, &out_left);
  const int saved_errno = errno;
  ::iconv_close(converter);
  if (result == static_cast<size_t>(-1)) {
    if (saved_errno == EILSEQ || saved_errno == EINVAL) return unrepresentable;
    return Status::IoError("iconv: conversion failed");
  }
  // A nonzero count means glibc substituted characters it could not convert exactly.
  if (result != 0 || in_left != 0) return unrepresentable;
  output.resize(output.size() - out_left);
  *gbk = std::move(output);
  return Status::Ok();
}

}  // namespace qb::invoice
