// Merchant sales reports exported as CSV and XLSX from one typed table model.
//
// A table is a title, typed columns and rows of cells. Every row has one cell per column, and
// the cell's alternative must match its column's kind:
//
//   kind          cell        CSV                    XLSX
//   kText         string      the text (see below)   shared string
//   kInteger      int64_t     -1234                  number, format "0"
//   kMoneyFen     int64_t     -1234.05 (yuan)        number of yuan, format "#,##0.00"
//   kDate         string      2026-11-23             date serial, format "yyyy-mm-dd"
//   kPercentBp    int64_t     12.34% (basis points)  number 0.1234, format "0.00%"
//
// Text must be UTF-8 without control characters other than TAB, CR and LF; dates are
// "YYYY-MM-DD" calendar dates from 1900-03-01 to 9999-12-31 (Excel's 1900 leap-year bug makes
// earlier serials ambiguous). CSV formats every number with integer arithmetic, so it is
// exact for every int64_t.
//
// Every function here is thread-safe: it touches nothing but its arguments (and, for XLSX, a
// private temporary file).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "base/status.h"

namespace qb::report {

// Excel's sheet limits: 1,048,576 rows (one is the header) and 16,384 columns.
inline constexpr size_t kMaxReportRows = 1'048'575;
inline constexpr size_t kMaxReportColumns = 16'384;
// Bounds the memory libxlsxwriter holds for a sheet (every cell is kept until the file is
// written): about a year of daily rows for a large chain.
inline constexpr size_t kMaxReportCells = 5'000'000;
// Excel's limit on the characters in one cell; applied to bytes, which is stricter.
inline constexpr size_t kMaxCellTextBytes = 32'767;
inline constexpr size_t kMaxTitleBytes = 255;
// XLSX stores numbers as doubles, exact for integers up to 2^53; larger numeric cells are
// rejected by WriteXlsx rather than silently rounded. Spreadsheets display only 15
// significant digits, so money beyond 10^13 yuan shows rounded even when stored exactly.
inline constexpr int64_t kMaxXlsxMagnitude = int64_t{1} << 53;

enum class ColumnKind : uint8_t { kText, kInteger, kMoneyFen, kDate, kPercentBp };

struct ReportColumn {
  std::string title;
  ColumnKind kind = ColumnKind::kText;
};

// kText and kDate cells hold a string; kInteger, kMoneyFen and kPercentBp hold an int64_t.
using ReportCell = std::variant<std::string, int64_t>;

struct ReportTable {
  std::string title;  // names the XLSX sheet; not written to CSV
  std::vector<ReportColumn> columns;
  std::vector<std::vector<ReportCell>> rows;
};

// Ok, or InvalidArgument naming the first problem: no columns, too many rows, columns or
// cells, an unknown kind, a row with the wrong number of cells, a cell of the wrong type, bad
// text (too long, not UTF-8, control characters) or a bad date.
Status ValidateReportTable(const ReportTable& table);

// RFC 4180 CSV: a UTF-8 byte order mark (so Excel reads Chinese text as UTF-8), the header row,
// then the rows, every line ending CRLF. Fields holding '"', ',', CR or LF are quoted with
// inner quotes doubled. Against CSV injection (OWASP), text and titles starting with '=', '+',
// '-', '@', TAB or CR get a leading single quote; numbers never do. Replaces `*out`; on error
// (ValidateReportTable's) `*out` is untouched.
Status WriteCsv(const ReportTable& table, std::string* out);

// An XLSX workbook with one sheet named after the title (made to fit Excel's sheet name rules
// by ExcelSheetName): a bold, frozen header row, column widths from the content, and a number
// format per kind. Replaces `*out` with the file's bytes. InvalidArgument as
// ValidateReportTable, or for a numeric cell beyond ±kMaxXlsxMagnitude; IoError when the
// temporary file or libxlsxwriter fails. `*out` is untouched on error.
Status WriteXlsx(const ReportTable& table, std::string* out);

// A valid Excel sheet name for `title`: '[', ']', ':', '*', '?', '/', '\' and control
// characters become '_', as does a leading or trailing apostrophe; cut to 31 UTF-16 units at a
// character boundary; "Sheet1" when nothing is left, and "History" (reserved) gets a '_' added.
std::string ExcelSheetName(const std::string& title);

}  // namespace qb::report
