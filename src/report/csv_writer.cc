// CSV (RFC 4180) output:
//
//   file   = BOM header *(record) ; BOM = EF BB BF
//   header = field *("," field) CRLF
//   record = field *("," field) CRLF
//   field  = bare / '"' *(any byte, with '"' written '""') '"'
//
// A field is quoted only when it holds '"', ',', CR or LF.
#include <string>
#include <variant>

#include "report/report_internal.h"
#include "report/table_export.h"

namespace qb::report {
namespace {

// OWASP's CSV injection list: a spreadsheet treats a cell starting with any of these as a
// formula (TAB and CR because Excel strips them before looking).
bool StartsLikeFormula(const std::string& text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

void AppendField(const std::string& field, std::string* out) {
  if (field.find_first_of("\",\r\n") == std::string::npos) {
    *out += field;
    return;
  }
  *out += '"';
  for (char c : field) {
    if (c == '"') *out += '"';
    *out += c;
  }
  *out += '"';
}

void AppendText(const std::string& text, std::string* out) {
  AppendField(StartsLikeFormula(text) ? "'" + text : text, out);
}

// Numbers and dates are formatted by us, never start with a formula character other than a
// minus sign, and never need quoting.
void AppendCell(const ReportCell& cell, ColumnKind kind, std::string* out) {
  switch (kind) {
    case ColumnKind::kText:
      AppendText(std::get<std::string>(cell), out);
      return;
    case ColumnKind::kDate:
      *out += std::get<std::string>(cell);
      return;
    case ColumnKind::kInteger:
      *out += std::to_string(std::get<int64_t>(cell));
      return;
    case ColumnKind::kMoneyFen:
      *out += internal::FormatFenAsYuan(std::get<int64_t>(cell));
      return;
    case ColumnKind::kPercentBp:
      *out += internal::FormatBasisPointsAsPercent(std::get<int64_t>(cell));
      return;
  }
}

}  // namespace

Status WriteCsv(const ReportTable& table, std::string* out) {
  if (Status status = ValidateReportTable(table); !status.ok()) return status;

  std::string csv = "\xEF\xBB\xBF";
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c > 0) csv += ',';
    AppendText(table.columns[c].title, &csv);
  }
  csv += "\r\n";
  for (const std::vector<ReportCell>& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) csv += ',';
      AppendCell(row[c], table.columns[c].kind, &csv);
    }
    csv += "\r\n";
  }
  *out = std::move(csv);
  return Status::Ok();
}

}  // namespace qb::report
