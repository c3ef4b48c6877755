#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "report/table_export.h"

namespace qb::report {
namespace {

ReportTable SalesTable() {
  ReportTable table;
  table.title = "11月销售";
  table.columns = {{"商户", ColumnKind::kText},
                   {"日期", ColumnKind::kDate},
                   {"笔数", ColumnKind::kInteger},
                   {"金额", ColumnKind::kMoneyFen},
                   {"费率", ColumnKind::kPercentBp}};
  table.rows = {
      {std::string("张三小吃, 西门店"), std::string("2026-11-23"), int64_t{12}, int64_t{123405},
       int64_t{60}},
      {std::string("say \"hi\""), std::string("2026-01-01"), int64_t{0}, int64_t{0}, int64_t{0}},
      {std::string("=HYPERLINK(\"x\")"), std::string("2026-02-28"), int64_t{-3}, int64_t{-123405},
       int64_t{-25}},
      {std::string("line1\r\nline2"), std::string("2024-02-29"), int64_t{1}, int64_t{-5},
       int64_t{10000}},
      {std::string("+86 138"), std::string("2026-11-23"), int64_t{1}, int64_t{7}, int64_t{1}},
      {std::string("-note"), std::string("2026-11-23"), int64_t{1}, int64_t{100}, int64_t{-1}},
      {std::string("@user"), std::string("2026-11-23"), int64_t{1}, int64_t{99}, int64_t{0}},
      {std::string("\tTab"), std::string("2026-11-23"), int64_t{1}, int64_t{1}, int64_t{0}},
      {std::string("\rCR"), std::string("2026-11-23"), int64_t{1}, int64_t{10}, int64_t{0}},
      {std::string(""), std::string("2026-11-23"), int64_t{0}, int64_t{0}, int64_t{0}},
      {std::string("a=b, 1+1 -x @y"), std::string("2026-11-23"), int64_t{0}, int64_t{0},
       int64_t{0}},
  };
  return table;
}

TEST(CsvWriterTest, ExactBytes) {
  std::string csv;
  ASSERT_TRUE(WriteCsv(SalesTable(), &csv).ok());
  const std::string expected =
      "\xEF\xBB\xBF"
      "商户,日期,笔数,金额,费率\r\n"
      "\"张三小吃, 西门店\",2026-11-23,12,1234.05,0.60%\r\n"
      "\"say \"\"hi\"\"\",2026-01-01,0,0.00,0.00%\r\n"
      "\"'=HYPERLINK(\"\"x\"\")\",2026-02-28,-3,-1234.05,-0.25%\r\n"
      "\"line1\r\nline2\",2024-02-29,1,-0.05,100.00%\r\n"
      "'+86 138,2026-11-23,1,0.07,0.01%\r\n"
      "'-note,2026-11-23,1,1.00,-0.01%\r\n"
      "'@user,2026-11-23,1,0.99,0.00%\r\n"
      "'\tTab,2026-11-23,1,0.01,0.00%\r\n"
      "\"'\rCR\",2026-11-23,1,0.10,0.00%\r\n"
      ",2026-11-23,0,0.00,0.00%\r\n"
      "\"a=b, 1+1 -x @y\",2026-11-23,0,0.00,0.00%\r\n";
  EXPECT_EQ(csv, expected);
}

TEST(CsvWriterTest, HeaderTitlesGetTheSameDefence) {
  ReportTable table;
  table.columns = {{"=cmd|' /C calc'!A0", ColumnKind::kText}, {"a,b", ColumnKind::kText}};
  std::string csv;
  ASSERT_TRUE(WriteCsv(table, &csv).ok());
  EXPECT_EQ(csv, "\xEF\xBB\xBF'=cmd|' /C calc'!A0,\"a,b\"\r\n");
}

TEST(CsvWriterTest, ExtremeNumbersAreExact) {
  ReportTable table;
  table.columns = {
      {"n", ColumnKind::kInteger}, {"fen", ColumnKind::kMoneyFen}, {"bp", ColumnKind::kPercentBp}};
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  table.rows = {{kMin, kMin, kMin}, {kMax, kMax, kMax}, {int64_t{-99}, int64_t{-100}, int64_t{-1}}};
  std::string csv;
  ASSERT_TRUE(WriteCsv(table, &csv).ok());
  EXPECT_EQ(csv,
            "\xEF\xBB\xBFn,fen,bp\r\n"
            "-9223372036854775808,-92233720368547758.08,-92233720368547758.08%\r\n"
            "9223372036854775807,92233720368547758.07,92233720368547758.07%\r\n"
            "-99,-1.00,-0.01%\r\n");
}

TEST(CsvWriterTest, RejectsBadTablesAndLeavesOutputAlone) {
  std::string csv = "unchanged";
  ReportTable short_row = SalesTable();
  short_row.rows[1].pop_back();
  EXPECT_EQ(WriteCsv(short_row, &csv).code(), Status::Code::kInvalidArgument);
  ReportTable unknown_kind = SalesTable();
  unknown_kind.columns[2].kind = static_cast<ColumnKind>(9);
  EXPECT_EQ(WriteCsv(unknown_kind, &csv).code(), Status::Code::kInvalidArgument);
  ReportTable no_columns;
  EXPECT_EQ(WriteCsv(no_columns, &csv).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(csv, "unchanged");
}

}  // namespace
}  // namespace qb::report
