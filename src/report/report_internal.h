// Helpers shared by the CSV and XLSX writers; not part of the report module's contract.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qb::report::internal {

// "-1234.05" for -123405 fen; exact for every int64_t, INT64_MIN included.
std::string FormatFenAsYuan(int64_t fen);

// "12.34%" for 1234 basis points; exact for every int64_t.
std::string FormatBasisPointsAsPercent(int64_t basis_points);

struct CivilDate {
  int32_t year = 0;
  int32_t month = 0;
  int32_t day = 0;
};

// Parses exactly "YYYY-MM-DD" naming a real calendar date between 1900-03-01 and 9999-12-31.
bool ParseIsoDate(std::string_view text, CivilDate* date);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past
// U+10FFFF) with no control characters other than TAB, CR and LF.
bool IsCleanUtf8(std::string_view text);

// Calls `visit(code_point, byte_length)` for each code point of clean UTF-8 text.
template <typename Visit>
void ForEachCodePoint(std::string_view text, Visit visit) {
  size_t at = 0;
  while (at < text.size()) {
    auto lead = static_cast<uint8_t>(text[at]);
    size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    uint32_t code_point = length == 1 ? lead : lead & (0x7Fu >> length);
    for (size_t i = 1; i < length && at + i < text.size(); ++i) {
      code_point = code_point << 6 | (static_cast<uint8_t>(text[at + i]) & 0x3Fu);
    }
    visit(code_point, length);
    at += length;
  }
}

}  // namespace qb::report::internal
