#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "report/table_export.h"

namespace qb::report {
namespace {

// Writes `bytes` to a scratch file and extracts one member with `unzip -p`.
std::string UnzipMember(const std::string& bytes, const std::string& member) {
  char path[] = "/tmp/qb-report-test-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return "";
  close(fd);
  {
    std::ofstream file(path, std::ios::binary);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::string command = std::string("unzip -p ") + path + " " + member;
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe != nullptr) {
    char buffer[4096];
    size_t read = 0;
    while ((read = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, read);
    pclose(pipe);
  }
  unlink(path);
  return output;
}

std::string XmlUnescape(std::string text) {
  const std::pair<std::string, std::string> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : kEntities) {
    for (size_t at = text.find(entity); at != std::string::npos;
         at = text.find(entity, at + plain.size())) {
      text.replace(at, entity.size(), plain);
    }
  }
  return text;
}

struct Cell {
  std::string type;   // "s" for a shared string, "" for a number
  std::string style;  // the s= attribute
  std::string value;  // the <v> text
};

// Cell reference ("B3") to cell, from sheet XML as libxlsxwriter writes it.
std::map<std::string, Cell> ParseCells(const std::string& sheet_xml) {
  std::map<std::string, Cell> cells;
  static const std::regex kCell(
      R"re(<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?(?: t="([a-z]+)")?><v>([^<]*)</v></c>)re");
  for (auto it = std::sregex_iterator(sheet_xml.begin(), sheet_xml.end(), kCell);
       it != std::sregex_iterator(); ++it) {
    cells[(*it)[1]] = Cell{(*it)[3], (*it)[2], (*it)[4]};
  }
  return cells;
}

std::vector<std::string> ParseSharedStrings(const std::string& xml) {
  std::vector<std::string> strings;
  static const std::regex kString(R"re(<si><t(?: [^>]*)?>([^<]*)</t></si>)re");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), kString);
       it != std::sregex_iterator(); ++it) {
    strings.push_back(XmlUnescape((*it)[1]));
  }
  return strings;
}

ReportTable SalesTable() {
  ReportTable table;
  table.title = "11月销售: 西门店";
  table.columns = {{"商户", ColumnKind::kText},
                   {"日期", ColumnKind::kDate},
                   {"笔数", ColumnKind::kInteger},
                   {"金额", ColumnKind::kMoneyFen},
                   {"费率", ColumnKind::kPercentBp}};
  table.rows = {
      {std::string("张三小吃 & <西门店>"), std::string("2024-01-01"), int64_t{12}, int64_t{123405},
       int64_t{60}},
      {std::string("=1+1"), std::string("2026-11-23"), int64_t{-3}, int64_t{-5}, int64_t{-25}},
      {std::string(""), std::string("1900-03-01"), int64_t{0}, int64_t{0}, int64_t{0}},
  };
  return table;
}

class XlsxWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteXlsx(SalesTable(), &xlsx_).ok());
    sheet_ = UnzipMember(xlsx_, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(sheet_.empty()) << "is unzip installed?";
    cells_ = ParseCells(sheet_);
    strings_ = ParseSharedStrings(UnzipMember(xlsx_, "xl/sharedStrings.xml"));
  }

  // The text of a shared-string cell.
  std::string Text(const std::string& ref) {
    const Cell& cell = cells_.at(ref);
    EXPECT_EQ(cell.type, "s") << ref;
    size_t index = std::stoul(cell.value);
    return index < strings_.size() ? strings_[index] : "<bad index>";
  }

  std::string Number(const std::string& ref) {
    EXPECT_EQ(cells_.at(ref).type, "") << ref;
    return cells_.at(ref).value;
  }

  std::string xlsx_;
  std::string sheet_;
  std::map<std::string, Cell> cells_;
  std::vector<std::string> strings_;
};

TEST_F(XlsxWriterTest, IsAZipWithTheSheet) {
  ASSERT_GE(xlsx_.size(), 4u);
  EXPECT_EQ(xlsx_.substr(0, 4), std::string("PK\x03\x04", 4));
  // The empty text cell is left blank by libxlsxwriter, so one of the 20 has no <c>.
  EXPECT_EQ(cells_.size(), 5u * 4u - 1);
}

TEST_F(XlsxWriterTest, HeaderAndTextCells) {
  EXPECT_EQ(Text("A1"), "商户");
  EXPECT_EQ(Text("E1"), "费率");
  EXPECT_EQ(Text("A2"), "张三小吃 & <西门店>");
  // Strings in XLSX are never formulas, so no injection prefix is added.
  EXPECT_EQ(Text("A3"), "=1+1");
  EXPECT_EQ(cells_.count("A4"), 0u) << "empty text is a blank cell";
  // Every header cell shares the bold style, which no data cell uses.
  EXPECT_EQ(cells_.at("A1").style, cells_.at("E1").style);
  EXPECT_NE(cells_.at("A1").style, cells_.at("A2").style);
}

TEST_F(XlsxWriterTest, NumbersAndDates) {
  EXPECT_EQ(Number("B2"), "45292") << "2024-01-01 as an Excel serial";
  EXPECT_EQ(Number("B3"), "46349") << "2026-11-23";
  EXPECT_EQ(Number("B4"), "61") << "1900-03-01, the first serial after Excel's phantom leap day";
  EXPECT_EQ(Number("C2"), "12");
  EXPECT_EQ(Number("C3"), "-3");
  EXPECT_EQ(Number("D2"), "1234.05");
  EXPECT_EQ(Number("D3"), "-0.05");
  EXPECT_EQ(Number("D4"), "0");
  EXPECT_EQ(Number("E2"), "0.006");
  EXPECT_EQ(Number("E3"), "-0.0025");
}

TEST_F(XlsxWriterTest, FormatsFreezeWidthsAndSheetName) {
  std::string styles = UnzipMember(xlsx_, "xl/styles.xml");
  EXPECT_NE(styles.find("formatCode=\"#,##0.00\""), std::string::npos);
  EXPECT_NE(styles.find("formatCode=\"0.00%\""), std::string::npos);
  EXPECT_NE(styles.find("formatCode=\"yyyy-mm-dd\""), std::string::npos);
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
  EXPECT_NE(sheet_.find("ySplit=\"1\""), std::string::npos);
  EXPECT_NE(sheet_.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(sheet_.find("<col min=\"1\" max=\"1\" width="), std::string::npos);
  std::string workbook = UnzipMember(xlsx_, "xl/workbook.xml");
  EXPECT_NE(workbook.find("<sheet name=\"11月销售_ 西门店\""), std::string::npos);
}

// The decimal text of a cell rounded to hundredths, as the "#,##0.00" format displays it:
// "-9876543.210000001" to -987654321. Integer arithmetic, so the test itself does not round
// through a double.
int64_t DisplayedHundredths(const std::string& text) {
  size_t at = 0;
  bool negative = !text.empty() && text[0] == '-';
  if (negative) ++at;
  int64_t value = 0;
  int32_t decimals = -1;
  bool round_up = false;
  for (; at < text.size(); ++at) {
    char c = text[at];
    if (c == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return INT64_MIN;
    if (decimals == 2) {
      round_up = c >= '5';
      break;
    }
    value = value * 10 + (c - '0');
    if (decimals >= 0) ++decimals;
  }
  for (int32_t pad = decimals < 0 ? 0 : decimals; pad < 2; ++pad) value *= 10;
  if (round_up) ++value;
  return negative ? -value : value;
}

// The cell holds the double nearest to the amount, written by libxlsxwriter with 16 significant
// digits; what a spreadsheet shows at two decimals must be the exact fen.
TEST(XlsxMoneyTest, AmountsDisplayToTheFen) {
  ReportTable table;
  table.columns = {{"fen", ColumnKind::kMoneyFen}};
  const std::vector<int64_t> amounts = {1,
                                        -1,
                                        10,
                                        99,
                                        101,
                                        123456789,
                                        -987654321,
                                        100000000000001,
                                        -99999999999999,
                                        4503599627370495};
  for (int64_t fen : amounts) table.rows.push_back({fen});
  std::string xlsx;
  ASSERT_TRUE(WriteXlsx(table, &xlsx).ok());
  std::map<std::string, Cell> cells = ParseCells(UnzipMember(xlsx, "xl/worksheets/sheet1.xml"));
  for (size_t i = 0; i < amounts.size(); ++i) {
    const std::string& text = cells["A" + std::to_string(i + 2)].value;
    EXPECT_EQ(DisplayedHundredths(text), amounts[i]) << text;
  }
}

TEST(XlsxLimitsTest, RejectsNumbersBeyondDoublePrecision) {
  ReportTable table;
  table.columns = {{"n", ColumnKind::kInteger}};
  table.rows = {{kMaxXlsxMagnitude}, {-kMaxXlsxMagnitude}};
  std::string xlsx = "unchanged";
  EXPECT_TRUE(WriteXlsx(table, &xlsx).ok());
  table.rows.push_back({kMaxXlsxMagnitude + 1});
  xlsx = "unchanged";
  EXPECT_EQ(WriteXlsx(table, &xlsx).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(xlsx, "unchanged");
}

TEST(XlsxLimitsTest, RejectsBadTables) {
  std::string xlsx = "unchanged";
  ReportTable table = SalesTable();
  table.rows[0].pop_back();
  EXPECT_EQ(WriteXlsx(table, &xlsx).code(), Status::Code::kInvalidArgument);
  table = SalesTable();
  table.columns[0].kind = static_cast<ColumnKind>(5);
  EXPECT_EQ(WriteXlsx(table, &xlsx).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(xlsx, "unchanged");
}

size_t CountEntries(const std::string& directory) {
  size_t count = 0;
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr) return 0;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") ++count;
  }
  closedir(dir);
  return count;
}

TEST(XlsxTempFileTest, LeavesNothingBehindAndReportsAMissingTmpdir) {
  char directory[] = "/tmp/qb-report-tmpdir-XXXXXX";
  ASSERT_NE(mkdtemp(directory), nullptr);
  const char* saved = std::getenv("TMPDIR");
  std::string saved_value = saved != nullptr ? saved : "";
  setenv("TMPDIR", directory, 1);
  std::string xlsx;
  EXPECT_TRUE(WriteXlsx(SalesTable(), &xlsx).ok());
  EXPECT_EQ(CountEntries(directory), 0u);

  std::string missing = std::string(directory) + "/missing";
  setenv("TMPDIR", missing.c_str(), 1);
  xlsx = "unchanged";
  EXPECT_EQ(WriteXlsx(SalesTable(), &xlsx).code(), Status::Code::kIoError);
  EXPECT_EQ(xlsx, "unchanged");

  if (saved != nullptr) {
    setenv("TMPDIR", saved_value.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  rmdir(directory);
}

}  // namespace
}  // namespace qb::report
