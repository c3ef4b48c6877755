#include <string>

#include "report/report_internal.h"
#include "report/table_export.h"

namespace qb::report {
namespace internal {
namespace {

// Magnitudes as uint64_t so that INT64_MIN, which has no positive int64_t, formats exactly.
uint64_t Magnitude(int64_t value) {
  return value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

std::string FormatHundredths(int64_t value) {
  uint64_t magnitude = Magnitude(value);
  uint64_t hundredths = magnitude % 100;
  std::string text = value < 0 ? "-" : "";
  text += std::to_string(magnitude / 100);
  text += '.';
  text += static_cast<char>('0' + hundredths / 10);
  text += static_cast<char>('0' + hundredths % 10);
  return text;
}

bool IsLeapYear(int32_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int32_t DaysInMonth(int32_t year, int32_t month) {
  constexpr int32_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

}  // namespace

std::string FormatFenAsYuan(int64_t fen) { return FormatHundredths(fen); }

std::string FormatBasisPointsAsPercent(int64_t basis_points) {
  return FormatHundredths(basis_points) + "%";
}

bool ParseIsoDate(std::string_view text, CivilDate* date) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int32_t fields[3] = {0, 0, 0};
  constexpr size_t kStarts[3] = {0, 5, 8};
  constexpr size_t kLengths[3] = {4, 2, 2};
  for (size_t field = 0; field < 3; ++field) {
    for (size_t i = 0; i < kLengths[field]; ++i) {
      char c = text[kStarts[field] + i];
      if (c < '0' || c > '9') return false;
      fields[field] = fields[field] * 10 + (c - '0');
    }
  }
  CivilDate parsed{fields[0], fields[1], fields[2]};
  if (parsed.month < 1 || parsed.month > 12) return false;
  if (parsed.day < 1 || parsed.day > DaysInMonth(parsed.year, parsed.month)) return false;
  if (parsed.year < 1900 || (parsed.year == 1900 && parsed.month < 3)) return false;
  *date = parsed;
  return true;
}

bool IsCleanUtf8(std::string_view text) {
  size_t at = 0;
  while (at < text.size()) {
    auto lead = static_cast<uint8_t>(text[at]);
    if (lead < 0x80) {
      bool allowed_control = lead == '\t' || lead == '\r' || lead == '\n';
      if ((lead < 0x20 && !allowed_control) || lead == 0x7F) return false;
      ++at;
      continue;
    }
    size_t length = 0;
    uint32_t minimum = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, minimum = 0x10000;
    } else {
      return false;
    }
    if (at + length > text.size()) return false;
    uint32_t code_point = lead & (0x7Fu >> length);
    for (size_t i = 1; i < length; ++i) {
      auto continuation = static_cast<uint8_t>(text[at + i]);
      if ((continuation & 0xC0) != 0x80) return false;
      code_point = code_point << 6 | (continuation & 0x3Fu);
    }
    if (code_point < minimum || code_point > 0x10FFFF) return false;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    // C1 controls are as unwelcome in a spreadsheet as C0 ones.
    if (code_point >= 0x80 && code_point <= 0x9F) return false;
    at += length;
  }
  return true;
}

}  // namespace internal

namespace {

bool IsKnownKind(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kText:
    case ColumnKind::kInteger:
    case ColumnKind::kMoneyFen:
    case ColumnKind::kDate:
    case ColumnKind::kPercentBp:
      return true;
  }
  return false;
}

Status CheckText(const std::string& text, const std::string& where) {
  if (text.size() > kMaxCellTextBytes) return Status::InvalidArgument(where + " is too long");
  if (!internal::IsCleanUtf8(text)) {
    return Status::InvalidArgument(where + " is not UTF-8 or holds control characters");
  }
  return Status::Ok();
}

Status CheckCell(const ReportCell& cell, ColumnKind kind, const std::string& where) {
  bool wants_string = kind == ColumnKind::kText || kind == ColumnKind::kDate;
  if (wants_string != std::holds_alternative<std::string>(cell)) {
    return Status::InvalidArgument(where + " has the wrong type for its column");
  }
  if (kind == ColumnKind::kText) return CheckText(std::get<std::string>(cell), where);
  internal::CivilDate date;
  if (kind == ColumnKind::kDate && !internal::ParseIsoDate(std::get<std::string>(cell), &date)) {
    return Status::InvalidArgument(where + " is not a YYYY-MM-DD date from 1900-03-01 on");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateReportTable(const ReportTable& table) {
  if (table.title.size() > kMaxTitleBytes) return Status::InvalidArgument("title is too long");
  if (Status status = CheckText(table.title, "title"); !status.ok()) return status;
  if (table.columns.empty()) return Status::InvalidArgument("table has no columns");
  if (table.columns.size() > kMaxReportColumns) {
    return Status::InvalidArgument("table has more than 16384 columns");
  }
  if (table.rows.size() > kMaxReportRows) {
    return Status::InvalidArgument("table has more than 1048575 rows");
  }
  if (table.rows.size() * table.columns.size() > kMaxReportCells) {
    return Status::InvalidArgument("table has more than " + std::to_string(kMaxReportCells) +
                                   " cells");
  }
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const ReportColumn& column = table.columns[c];
    std::string where = "column " + std::to_string(c);
    if (!IsKnownKind(column.kind)) return Status::InvalidArgument(where + " has an unknown kind");
    if (Status status = CheckText(column.title, where + " title"); !status.ok()) return status;
  }
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::vector<ReportCell>& row = table.rows[r];
    if (row.size() != table.columns.size()) {
      return Status::InvalidArgument("row " + std::to_string(r) + " has " +
                                     std::to_string(row.size()) + " cells, expected " +
                                     std::to_string(table.columns.size()));
    }
    for (size_t c = 0; c < row.size(); ++c) {
      Status status = CheckCell(row[c], table.columns[c].kind,
                                "row " + std::to_string(r) + " column " + std::to_string(c));
      if (!status.ok()) return status;
    }
  }
  return Status::Ok();
}

std::string ExcelSheetName(const std::string& title) {
  constexpr size_t kMaxSheetNameUtf16Units = 31;
  constexpr std::string_view kForbidden = "[]:*?/\\";
  // Titles are validated UTF-8 by the writers; anything else is replaced wholesale, since a
  // sheet name cannot be repaired byte by byte.
  if (!internal::IsCleanUtf8(title)) return "Sheet1";
  std::string name;
  size_t units = 0;
  size_t at = 0;
  bool full = false;
  internal::ForEachCodePoint(title, [&](uint32_t code_point, size_t length) {
    size_t code_units = code_point > 0xFFFF ? 2 : 1;
    if (full || units + code_units > kMaxSheetNameUtf16Units) {
      full = true;
      return;
    }
    units += code_units;
    bool bad =
        code_point < 0x20 ||
        (code_point < 0x80 && kForbidden.find(static_cast<char>(code_point)) != std::string::npos);
    name += bad ? std::string("_") : title.substr(at, length);
    at += length;
  });
  if (!name.empty() && name.front() == '\'') name.front() = '_';
  if (!name.empty() && name.back() == '\'') name.back() = '_';
  if (name.empty()) return "Sheet1";
  std::string lower = name;
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (lower == "history") name += '_';
  return name;
}

}  // namespace qb::report
