#include "invoice/invoice_pdf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "invoice/amount_words.h"
#include "invoice/invoice_test_util.h"
#include "support/temp_dir.h"

namespace qb::invoice {
namespace {

using testing::SampleRequest;

IssuedInvoice SampleInvoice() {
  IssuedInvoice invoice;
  invoice.request = SampleRequest();
  invoice.request.buyer_title = "北京字节跳动科技有限公司";
  invoice.request.buyer_tax_id = "91110000802100433B";
  invoice.number = "26310000000000000042";
  const TaxSplit split = *SplitTax(invoice.request.amount_fen, invoice.request.tax_rate_bp);
  invoice.tax_fen = split.tax_fen;
  invoice.amount_excl_tax_fen = split.amount_excl_tax_fen;
  invoice.issued_locally = true;
  return invoice;
}

// The text poppler extracts from `pdf`, in UTF-8 (needs poppler-utils).
std::string ExtractText(const std::string& pdf) {
  qb::testing::TempDir dir("qb-invoice-pdf");
  const std::string path = dir.path() + "/invoice.pdf";
  {
    std::ofstream out(path, std::ios::binary);
    out << pdf;
  }
  const std::string command = "pdftotext -q -enc UTF-8 '" + path + "' - 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0;) text.append(buffer, n);
  const int rc = ::pclose(pipe);
  EXPECT_EQ(rc, 0) << "pdftotext failed; is poppler-utils installed?";
  return text;
}

TEST(InvoicePdfTest, ProducesAPdfDocument) {
  std::string pdf;
  const Status status = RenderInvoicePdf(SampleInvoice(), &pdf);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_GT(pdf.size(), 500u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  std::string tail = pdf.substr(pdf.size() - 8);
  EXPECT_NE(tail.find("%%EOF"), std::string::npos) << tail;
  EXPECT_NE(pdf.find("qianbao"), std::string::npos);       // the creator in the info dictionary
  EXPECT_NE(pdf.find("/FlateDecode"), std::string::npos);  // compressed content
  EXPECT_NE(pdf.find("GBK-EUC-H"), std::string::npos);
  EXPECT_NE(pdf.find("SimSun"), std::string::npos);
}

TEST(InvoicePdfTest, TextShowsTheInvoice) {
  const IssuedInvoice invoice = SampleInvoice();
  std::string pdf;
  ASSERT_TRUE(RenderInvoicePdf(invoice, &pdf).ok());
  const std::string text = ExtractText(pdf);
  for (const std::string& expected :
       {std::string("电子发票（普通发票）"), invoice.number, std::string("2026年11月23日"),
        std::string("壹仟贰佰叁拾肆元伍角陆分"), std::string("1,234.56"),
        std::string("北京字节跳动科技有限公司"), std::string("91110000802100433B"),
        std::string("上海小笼包餐饮管理有限公司"), std::string("91350100M000100Y43"),
        std::string("*餐饮服务*餐费"), std::string("6%"), FormatFenFigures(invoice.tax_fen),
        FormatFenFigures(invoice.amount_excl_tax_fen), std::string("pay-0001"),
        std::string("非税务机关")}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n--- text ---\n" << text;
  }
}

TEST(InvoicePdfTest, OnlyLocalInvoicesCarryTheLocalNote) {
  IssuedInvoice invoice = SampleInvoice();
  invoice.issued_locally = false;
  std::string pdf;
  ASSERT_TRUE(RenderInvoicePdf(invoice, &pdf).ok());
  EXPECT_EQ(ExtractText(pdf).find("非税务机关"), std::string::npos);
}

TEST(InvoicePdfTest, LongNamesWrapAndStillRender) {
  IssuedInvoice invoice = SampleInvoice();
  invoice.request.buyer_title.clear();
  invoice.request.item_name.clear();
  for (size_t i = 0; i < kMaxNameCodePoints; ++i) {
    invoice.request.buyer_title += "测";
    invoice.request.item_name += i % 2 == 0 ? "W" : "试";
  }
  std::string pdf;
  ASSERT_TRUE(RenderInvoicePdf(invoice, &pdf).ok());
  const std::string text = ExtractText(pdf);
  EXPECT_NE(text.find("测测测测测测测测测测"), std::string::npos) << text;
}

TEST(InvoicePdfTest, RejectsTextGbkCannotHold) {
  for (const char* title : {"张三😀", "\xF0\xA0\x80\x80"}) {  // an emoji; U+20000 (Extension B)
    IssuedInvoice invoice = SampleInvoice();
    invoice.request.buyer_title = title;
    std::string pdf = "unchanged";
    const Status status = RenderInvoicePdf(invoice, &pdf);
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << title;
    EXPECT_EQ(status.message(), "buyer_title: not representable in GBK");
    EXPECT_EQ(pdf, "unchanged");
  }
}

TEST(InvoicePdfTest, RejectsInconsistentInvoices) {
  std::string pdf = "unchanged";
  IssuedInvoice negative = SampleInvoice();
  negative.request.amount_fen = -123'456;
  EXPECT_EQ(RenderInvoicePdf(negative, &pdf).message(), "amount_fen: not positive");

  IssuedInvoice wrong_tax = SampleInvoice();
  wrong_tax.tax_fen += 1;
  EXPECT_EQ(RenderInvoicePdf(wrong_tax, &pdf).message(), "tax_fen: does not match amount and rate");

  IssuedInvoice bad_number = SampleInvoice();
  bad_number.number = "2631000000000000004X";
  EXPECT_EQ(RenderInvoicePdf(bad_number, &pdf).message(), "number: not 20 digits");
  bad_number.number = "263100000000000000420";
  EXPECT_EQ(RenderInvoicePdf(bad_number, &pdf).message(), "number: not 20 digits");

  IssuedInvoice bad_request = SampleInvoice();
  bad_request.request.buyer_title = "";
  EXPECT_EQ(RenderInvoicePdf(bad_request, &pdf).message(), "buyer_title: required");
  EXPECT_EQ(pdf, "unchanged");
}

TEST(InvoicePdfTest, RendersEveryAcceptedRate) {
  for (uint32_t rate_bp : {0u, 100u, 150u, 300u, 500u, 600u, 900u, 1300u}) {
    IssuedInvoice invoice = SampleInvoice();
    invoice.request.tax_rate_bp = rate_bp;
    const TaxSplit split = *SplitTax(invoice.request.amount_fen, rate_bp);
    invoice.tax_fen = split.tax_fen;
    invoice.amount_excl_tax_fen = split.amount_excl_tax_fen;
    std::string pdf;
    ASSERT_TRUE(RenderInvoicePdf(invoice, &pdf).ok()) << rate_bp;
    if (rate_bp == 150) {
      EXPECT_NE(ExtractText(pdf).find("1.5%"), std::string::npos);
    }
  }
}

TEST(InvoicePdfTest, RedLetterInvoiceSaysSoAndShowsNegativeAmounts) {
  IssuedInvoice red = SampleInvoice();
  red.request.original_number = "26310000000000000041";
  red.request.amount_fen = 3000;
  const TaxSplit split = *SplitTax(3000, red.request.tax_rate_bp);
  red.tax_fen = split.tax_fen;
  red.amount_excl_tax_fen = split.amount_excl_tax_fen;
  std::string pdf;
  const Status status = RenderInvoicePdf(red, &pdf);
  ASSERT_TRUE(status.ok()) << status.ToString();
  const std::string text = ExtractText(pdf);
  EXPECT_NE(text.find("红字发票"), std::string::npos) << text;
  EXPECT_NE(text.find("red-letter"), std::string::npos) << text;
  EXPECT_NE(text.find("对应蓝字发票号码：26310000000000000041"), std::string::npos) << text;
  EXPECT_NE(text.find("-30.00"), std::string::npos) << text;
  EXPECT_NE(text.find("负数"), std::string::npos) << text;

  std::string blue_text = ExtractText([] {
    std::string bytes;
    EXPECT_TRUE(RenderInvoicePdf(SampleInvoice(), &bytes).ok());
    return bytes;
  }());
  EXPECT_EQ(blue_text.find("红字"), std::string::npos);

  red.request.original_number = "2631";
  EXPECT_EQ(RenderInvoicePdf(red, &pdf).code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace qb::invoice
