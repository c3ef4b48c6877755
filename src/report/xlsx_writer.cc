// WriteXlsx through libxlsxwriter. Debian's libxlsxwriter 1.1.4 can only write to a file (the
// in-memory output_buffer option arrived in 1.1.5), so the workbook goes to a private mkstemp
// file under $TMPDIR (or /tmp) that is read back and unlinked on every path.
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "base/assert.h"
#include "report/report_internal.h"
#include "report/table_export.h"

namespace qb::report {
namespace {

constexpr double kMinColumnWidth = 8;
constexpr double kMaxColumnWidth = 60;

// Unlinks the temporary file when the write is over, however it ended.
class TemporaryFile {
 public:
  TemporaryFile() = default;
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }

  Status Create() {
    const char* tmpdir = std::getenv("TMPDIR");
    directory_ = tmpdir != nullptr && tmpdir[0] != '\0' ? tmpdir : "/tmp";
    std::string pattern = directory_ + "/qb-report-XXXXXX";
    int fd = mkstemp(pattern.data());
    if (fd < 0) return Status::IoError("cannot create a temporary file in " + directory_);
    path_ = pattern;
    close(fd);
    return Status::Ok();
  }

  const std::string& path() const { return path_; }
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
  std::string path_;
};

// Closes (and so frees) the workbook if WriteXlsx returns before closing it itself.
class WorkbookCloser {
 public:
  explicit WorkbookCloser(lxw_workbook* workbook) : workbook_(workbook) {}
  WorkbookCloser(const WorkbookCloser&) = delete;
  WorkbookCloser& operator=(const WorkbookCloser&) = delete;
  ~WorkbookCloser() {
    if (workbook_ != nullptr) workbook_close(workbook_);
  }
  lxw_error Close() {
    lxw_error error = workbook_close(workbook_);
    workbook_ = nullptr;
    return error;
  }

 private:
  lxw_workbook* workbook_;
};

Status LibraryError(const char* what, lxw_error error) {
  return Status::IoError(std::string("libxlsxwriter ") + what + ": " + lxw_strerror(error));
}

Status CheckMagnitudes(const ReportTable& table) {
  for (const std::vector<ReportCell>& row : table.rows) {
    for (const ReportCell& cell : row) {
      const int64_t* number = std::get_if<int64_t>(&cell);
      if (number != nullptr && (*number > kMaxXlsxMagnitude || *number < -kMaxXlsxMagnitude)) {
        return Status::InvalidArgument("number " + std::to_string(*number) +
                                       " is beyond what an XLSX cell holds exactly");
      }
    }
  }
  return Status::Ok();
}

// Columns wide enough for their longest entry, in Excel's character units: CJK and other wide
// characters count double, and money gains its thousands separators.
double DisplayWidth(const std::string& text) {
  double width = 0;
  internal::ForEachCodePoint(
      text, [&](uint32_t code_point, size_t) { width += code_point >= 0x1100 ? 2 : 1; });
  return width;
}

double CellWidth(const ReportCell& cell, ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kText:
    case ColumnKind::kDate:
      return DisplayWidth(std::get<std::string>(cell));
    case ColumnKind::kInteger:
      return static_cast<double>(std::to_string(std::get<int64_t>(cell)).size());
    case ColumnKind::kMoneyFen: {
      double digits =
          static_cast<double>(internal::FormatFenAsYuan(std::get<int64_t>(cell)).size());
      return digits + digits / 3;
    }
    case ColumnKind::kPercentBp:
      return static_cast<double>(
          internal::FormatBasisPointsAsPercent(std::get<int64_t>(cell)).size());
  }
  return kMinColumnWidth;
}

struct Formats {
  lxw_format* header = nullptr;
  lxw_format* integer = nullptr;
  lxw_format* money = nullptr;
  lxw_format* date = nullptr;
  lxw_format* percent = nullptr;
};

// Formats belong to the workbook and are freed with it.
Formats AddFormats(lxw_workbook* workbook) {
  Formats formats;
  formats.header = workbook_add_format(workbook);
  format_set_bold(formats.header);
  formats.integer = workbook_add_format(workbook);
  format_set_num_format(formats.integer, "0");
  formats.money = workbook_add_format(workbook);
  format_set_num_format(formats.money, "#,##0.00");
  formats.date = workbook_add_format(workbook);
  format_set_num_format(formats.date, "yyyy-mm-dd");
  formats.percent = workbook_add_format(workbook);
  format_set_num_format(formats.percent, "0.00%");
  return formats;
}

lxw_error WriteCell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const ReportCell& cell,
                    ColumnKind kind, const Formats& formats) {
  switch (kind) {
    case ColumnKind::kText:
      return worksheet_write_string(sheet, row, col, std::get<std::string>(cell).c_str(), nullptr);
    case ColumnKind::kDate: {
      internal::CivilDate date;
      bool parsed = internal::ParseIsoDate(std::get<std::string>(cell), &date);
      QB_ASSERT(parsed);  // ValidateReportTable accepted it
      lxw_datetime datetime = {date.year, date.month, date.day, 0, 0, 0};
      return worksheet_write_datetime(sheet, row, col, &datetime, formats.date);
    }
    case ColumnKind::kInteger:
      return worksheet_write_number(sheet, row, col, static_cast<double>(std::get<int64_t>(cell)),
                                    formats.integer);
    case ColumnKind::kMoneyFen:
      // Exact integer fen (|fen| <= 2^53), then one correctly rounded division: the nearest
      // double to the amount in yuan. Display only; the ledger never reads it back.
      return worksheet_write_number(
          sheet, row, col, static_cast<double>(std::get<int64_t>(cell)) / 100.0, formats.money);
    case ColumnKind::kPercentBp:
      return worksheet_write_number(
          sheet, row, col, static_cast<double>(std::get<int64_t>(cell)) / 10000.0, formats.percent);
  }
  return LXW_ERROR_PARAMETER_VALIDATION;
}

Status WriteSheet(const ReportTable& table, lxw_worksheet* sheet, const Formats& formats) {
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const ReportColumn& column = table.columns[c];
    auto col = static_cast<lxw_col_t>(c);
    lxw_error error = worksheet_write_string(sheet, 0, col, column.title.c_str(), formats.header);
    if (error != LXW_NO_ERROR) return LibraryError("header", error);
    double width = DisplayWidth(column.title);
    for (const std::vector<ReportCell>& row : table.rows) {
      width = std::max(width, CellWidth(row[c], column.kind));
    }
    width = std::clamp(width + 2, kMinColumnWidth, kMaxColumnWidth);
    error = worksheet_set_column(sheet, col, col, width, nullptr);
    if (error != LXW_NO_ERROR) return LibraryError("column width", error);
  }
  for (size_t r = 0; r < table.rows.size(); ++r) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      lxw_error error = WriteCell(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                                  table.rows[r][c], table.columns[c].kind, formats);
      if (error != LXW_NO_ERROR) return LibraryError("cell", error);
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  return Status::Ok();
}

Status ReadWholeFile(const std::string& path, std::string* contents) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Status::IoError("cannot reopen " + path);
  std::string bytes;
  char buffer[1 << 16];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file)) > 0) bytes.append(buffer, read);
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Status::IoError("cannot read " + path);
  *contents = std::move(bytes);
  return Status::Ok();
}

}  // namespace

Status WriteXlsx(const ReportTable& table, std::string* out) {
  if (Status status = ValidateReportTable(table); !status.ok()) return status;
  if (Status status = CheckMagnitudes(table); !status.ok()) return status;

  TemporaryFile file;
  if (Status status = file.Create(); !status.ok()) return status;
  // libxlsxwriter's own scratch files go next to ours, so TMPDIR governs both.
  std::string scratch_directory = file.directory();
  lxw_workbook_options options = {};
  options.tmpdir = scratch_directory.data();
  lxw_workbook* workbook = workbook_new_opt(file.path().c_str(), &options);
  if (workbook == nullptr) return Status::IoError("libxlsxwriter cannot create a workbook");
  WorkbookCloser closer(workbook);

  Formats formats = AddFormats(workbook);
  std::string sheet_name = ExcelSheetName(table.title);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name.c_str());
  if (sheet == nullptr) return Status::IoError("libxlsxwriter cannot add sheet " + sheet_name);
  if (Status status = WriteSheet(table, sheet, formats); !status.ok()) return status;
  if (lxw_error error = closer.Close(); error != LXW_NO_ERROR) {
    return LibraryError("close", error);
  }
  return ReadWholeFile(file.path(), out);
}

}  // namespace qb::report
