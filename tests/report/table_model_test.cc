#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "report/report_internal.h"
#include "report/table_export.h"

namespace qb::report {
namespace {

ReportTable OneOfEachKind() {
  ReportTable table;
  table.title = "report";
  table.columns = {{"text", ColumnKind::kText},
                   {"date", ColumnKind::kDate},
                   {"count", ColumnKind::kInteger},
                   {"amount", ColumnKind::kMoneyFen},
                   {"rate", ColumnKind::kPercentBp}};
  table.rows = {{std::string("a"), std::string("2026-11-23"), int64_t{1}, int64_t{2}, int64_t{3}}};
  return table;
}

Status::Code CodeWithCell(size_t column, ReportCell cell) {
  ReportTable table = OneOfEachKind();
  table.rows[0][column] = std::move(cell);
  return ValidateReportTable(table).code();
}

TEST(ReportTableTest, AcceptsAWellTypedTableAndAnEmptyOne) {
  EXPECT_TRUE(ValidateReportTable(OneOfEachKind()).ok());
  ReportTable header_only = OneOfEachKind();
  header_only.rows.clear();
  EXPECT_TRUE(ValidateReportTable(header_only).ok());
}

TEST(ReportTableTest, RejectsCellsOfTheWrongType) {
  EXPECT_EQ(CodeWithCell(0, int64_t{1}), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(1, int64_t{20261123}), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(2, std::string("1")), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(3, std::string("12.34")), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(4, std::string("5%")), Status::Code::kInvalidArgument);
}

TEST(ReportTableTest, RejectsBadDates) {
  for (const char* date :
       {"2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "26-11-23",
        "2026/11/23", "2026-11-23 ", "1900-02-28", "0000-01-01", ""}) {
    EXPECT_EQ(CodeWithCell(1, std::string(date)), Status::Code::kInvalidArgument) << date;
  }
  for (const char* date : {"2024-02-29", "2000-02-29", "1900-03-01", "9999-12-31"}) {
    EXPECT_EQ(CodeWithCell(1, std::string(date)), Status::Code::kOk) << date;
  }
  EXPECT_EQ(CodeWithCell(1, std::string("2100-02-29")), Status::Code::kInvalidArgument);
}

TEST(ReportTableTest, RejectsBadText) {
  EXPECT_EQ(CodeWithCell(0, std::string("\xFF")), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(0, std::string("\xC0\xAF")), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(0, std::string("\xED\xA0\x80")), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(0, std::string("\xE4\xB8")), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(0, std::string("a\x01")), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(0, std::string("a\0b", 3)), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(0, std::string(kMaxCellTextBytes + 1, 'a')),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeWithCell(0, std::string(kMaxCellTextBytes, 'a')), Status::Code::kOk);
  EXPECT_EQ(CodeWithCell(0, std::string("\t\r\n中文 😀")), Status::Code::kOk);
  ReportTable bad_title = OneOfEachKind();
  bad_title.title = std::string(kMaxTitleBytes + 1, 't');
  EXPECT_EQ(ValidateReportTable(bad_title).code(), Status::Code::kInvalidArgument);
  bad_title.columns[0].title = "\x80";
  bad_title.title = "ok";
  EXPECT_EQ(ValidateReportTable(bad_title).code(), Status::Code::kInvalidArgument);
}

TEST(ReportTableTest, RejectsWrongShapes) {
  ReportTable table = OneOfEachKind();
  table.rows.push_back({std::string("too few")});
  EXPECT_EQ(ValidateReportTable(table).code(), Status::Code::kInvalidArgument);
  table = OneOfEachKind();
  table.rows[0].push_back(int64_t{1});
  EXPECT_EQ(ValidateReportTable(table).code(), Status::Code::kInvalidArgument);
  table = OneOfEachKind();
  table.columns[4].kind = static_cast<ColumnKind>(200);
  EXPECT_EQ(ValidateReportTable(table).code(), Status::Code::kInvalidArgument);
}

TEST(ReportTableTest, RejectsExcelSizedOverflow) {
  // The row and cell counts are checked before any row is looked at, so empty rows suffice.
  ReportTable rows;
  rows.columns = {{"a", ColumnKind::kText}};
  rows.rows.resize(kMaxReportRows + 1);
  EXPECT_EQ(ValidateReportTable(rows).code(), Status::Code::kInvalidArgument);

  ReportTable cells;
  cells.columns.resize(10);
  cells.rows.resize(kMaxReportCells / 10 + 1);
  EXPECT_EQ(ValidateReportTable(cells).code(), Status::Code::kInvalidArgument);

  ReportTable columns;
  columns.columns.resize(kMaxReportColumns + 1);
  EXPECT_EQ(ValidateReportTable(columns).code(), Status::Code::kInvalidArgument);
  columns.columns.resize(kMaxReportColumns);
  EXPECT_TRUE(ValidateReportTable(columns).ok());
}

TEST(ExcelSheetNameTest, FollowsExcelRules) {
  EXPECT_EQ(ExcelSheetName("Sales"), "Sales");
  EXPECT_EQ(ExcelSheetName("2026年11月 销售: 门店[A]/B?*\\"), "2026年11月 销售_ 门店_A__B___");
  EXPECT_EQ(ExcelSheetName("'quoted'"), "_quoted_");
  EXPECT_EQ(ExcelSheetName(""), "Sheet1");
  EXPECT_EQ(ExcelSheetName("History"), "History_");
  EXPECT_EQ(ExcelSheetName("hiSTory"), "hiSTory_");
  EXPECT_EQ(ExcelSheetName("a\tb"), "a_b");
  EXPECT_EQ(ExcelSheetName("\xFF"), "Sheet1");
  EXPECT_EQ(ExcelSheetName(std::string(40, 'x')), std::string(31, 'x'));

  std::string chinese;
  for (int i = 0; i < 40; ++i) chinese += "销";
  std::string expected;
  for (int i = 0; i < 31; ++i) expected += "销";
  EXPECT_EQ(ExcelSheetName(chinese), expected);
  // An emoji is two UTF-16 units: 30 'x' leave room for one unit only, so it is cut whole.
  EXPECT_EQ(ExcelSheetName(std::string(30, 'x') + "😀"), std::string(30, 'x'));
  EXPECT_EQ(ExcelSheetName(std::string(29, 'x') + "😀y"), std::string(29, 'x') + "😀");
}

TEST(ReportFormatTest, HundredthsAreExact) {
  EXPECT_EQ(internal::FormatFenAsYuan(0), "0.00");
  EXPECT_EQ(internal::FormatFenAsYuan(5), "0.05");
  EXPECT_EQ(internal::FormatFenAsYuan(-5), "-0.05");
  EXPECT_EQ(internal::FormatFenAsYuan(-123405), "-1234.05");
  EXPECT_EQ(internal::FormatBasisPointsAsPercent(60), "0.60%");
  EXPECT_EQ(internal::FormatBasisPointsAsPercent(-10000), "-100.00%");
}

}  // namespace
}  // namespace qb::report
