#include "invoice/invoice_provider.h"

#include <gtest/gtest.h>

#include <string>

#include "invoice/invoice_test_util.h"

namespace qb::invoice {
namespace {

using testing::SampleRequest;

// The reference rounds by counting instead of dividing: tax is the number of whole fen t for
// which t - 1/2 <= amount * rate / (10000 + rate), i.e. (2t - 1) * divisor <= 2 * amount * rate.
int64_t ReferenceTax(int64_t amount_fen, int64_t rate_bp) {
  const int64_t divisor = 10'000 + rate_bp;
  int64_t tax = 0;
  while ((2 * (tax + 1) - 1) * divisor <= 2 * amount_fen * rate_bp) ++tax;
  return tax;
}

TEST(SplitTaxTest, MatchesReferenceExhaustivelyOnSmallAmounts) {
  for (uint32_t rate_bp : {0u, 1u, 100u, 150u, 300u, 500u, 600u, 900u, 1300u, 9999u, 10000u}) {
    for (int64_t amount_fen = 0; amount_fen <= 20'000; ++amount_fen) {
      const std::optional<TaxSplit> split = SplitTax(amount_fen, rate_bp);
      ASSERT_TRUE(split.has_value());
      ASSERT_EQ(split->tax_fen, ReferenceTax(amount_fen, rate_bp)) << amount_fen << " " << rate_bp;
      ASSERT_EQ(split->tax_fen + split->amount_excl_tax_fen, amount_fen);
    }
  }
}

TEST(SplitTaxTest, MatchesReferenceForEveryRateOnSomeAmounts) {
  for (uint32_t rate_bp = 0; rate_bp <= 10'000; ++rate_bp) {
    for (int64_t amount_fen : {1, 2, 3, 99, 100, 101, 10'601, 123'456}) {
      ASSERT_EQ(SplitTax(amount_fen, rate_bp)->tax_fen, ReferenceTax(amount_fen, rate_bp))
          << amount_fen << " " << rate_bp;
    }
  }
}

TEST(SplitTaxTest, KnownValuesAndHalfUp) {
  // ¥106.00 at 6% is exactly ¥100.00 + ¥6.00.
  EXPECT_EQ(SplitTax(10'600, 600)->tax_fen, 600);
  EXPECT_EQ(SplitTax(10'600, 600)->amount_excl_tax_fen, 10'000);
  EXPECT_EQ(SplitTax(123'456, 600)->tax_fen, 6'988);  // 6988.075... rounds down
  EXPECT_EQ(SplitTax(113, 1300)->tax_fen, 13);
  // 1 fen at 100%: the tax is exactly half a fen, which rounds up.
  EXPECT_EQ(SplitTax(1, 10'000)->tax_fen, 1);
  EXPECT_EQ(SplitTax(3, 10'000)->tax_fen, 2);
  // 53 fen at 6%: 3.0000 exactly; 9 fen: 0.509... rounds to 1; 8 fen: 0.4528 rounds to 0.
  EXPECT_EQ(SplitTax(53, 600)->tax_fen, 3);
  EXPECT_EQ(SplitTax(9, 600)->tax_fen, 1);
  EXPECT_EQ(SplitTax(8, 600)->tax_fen, 0);
}

TEST(SplitTaxTest, RejectsBadInputAndOverflow) {
  EXPECT_FALSE(SplitTax(-1, 600).has_value());
  EXPECT_FALSE(SplitTax(100, 10'001).has_value());
  EXPECT_FALSE(SplitTax(INT64_MAX, 600).has_value());
  EXPECT_FALSE(SplitTax(INT64_MAX / 1300, 1300).has_value());  // doubling overflows
  EXPECT_TRUE(SplitTax(INT64_MAX, 0).has_value());
  EXPECT_TRUE(SplitTax(kMaxAmountFen, 1300).has_value());
}

Status ValidateWith(void (*change)(InvoiceRequest*)) {
  InvoiceRequest request = SampleRequest();
  change(&request);
  return ValidateInvoiceRequest(request);
}

TEST(ValidateInvoiceRequestTest, SampleIsValid) {
  EXPECT_TRUE(ValidateInvoiceRequest(SampleRequest()).ok());
  InvoiceRequest company = SampleRequest();
  company.buyer_title = "北京字节跳动科技有限公司";
  company.buyer_tax_id = "91110000802100433B";
  EXPECT_TRUE(ValidateInvoiceRequest(company).ok());
  company.buyer_tax_id = "110105123456789";  // 15 characters
  EXPECT_TRUE(ValidateInvoiceRequest(company).ok());
  company.buyer_tax_id = "11010512345678901234";  // 20 characters
  EXPECT_TRUE(ValidateInvoiceRequest(company).ok());
}

TEST(ValidateInvoiceRequestTest, StableMessagesForBadFields) {
  struct Case {
    void (*change)(InvoiceRequest*);
    const char* message;
  };
  const Case cases[] = {
      {[](InvoiceRequest* r) { r->request_id = ""; }, "request_id: required"},
      {[](InvoiceRequest* r) { r->request_id = std::string(65, 'a'); }, "request_id: too long"},
      {[](InvoiceRequest* r) { r->request_id = "inv 1"; }, "request_id: bad character"},
      {[](InvoiceRequest* r) { r->payment_id = ""; }, "payment_id: required"},
      {[](InvoiceRequest* r) { r->payment_id = "支付"; }, "payment_id: bad character"},
      {[](InvoiceRequest* r) { r->seller_name = ""; }, "seller_name: required"},
      {[](InvoiceRequest* r) { r->seller_tax_id = ""; }, "seller_tax_id: required"},
      {[](InvoiceRequest* r) { r->seller_tax_id = "91350100M000100Y44"; },
       "seller_tax_id: bad_final_check"},
      {[](InvoiceRequest* r) { r->seller_tax_id = "91350100m000100y43"; },
       "seller_tax_id: not upper case"},
      {[](InvoiceRequest* r) { r->buyer_title = ""; }, "buyer_title: required"},
      {[](InvoiceRequest* r) {
         r->buyer_title.clear();
         for (int i = 0; i < 101; ++i) r->buyer_title += "张";
       },
       "buyer_title: too long"},
      {[](InvoiceRequest* r) { r->buyer_title = "张\n三"; }, "buyer_title: bad character"},
      {[](InvoiceRequest* r) { r->buyer_title = "\xE5\xBC"; }, "buyer_title: bad character"},
      {[](InvoiceRequest* r) { r->buyer_title = "\xC0\xAF"; }, "buyer_title: bad character"},
      {[](InvoiceRequest* r) { r->buyer_title = "\xED\xA0\x80"; }, "buyer_title: bad character"},
      {[](InvoiceRequest* r) { r->buyer_title = "\xF4\x90\x80\x80"; },
       "buyer_title: bad character"},
      {[](InvoiceRequest* r) { r->buyer_title = "张三\xC2\x85"; }, "buyer_title: bad character"},
      {[](InvoiceRequest* r) { r->buyer_title = "张三😀"; },
       "buyer_title: not representable in GBK"},
      {[](InvoiceRequest* r) { r->seller_name = "\xF0\xA0\x80\x80"; },
       "seller_name: not representable in GBK"},
      {[](InvoiceRequest* r) { r->item_name = "*餐饮服务*餐费\x7F"; }, "item_name: bad character"},
      {[](InvoiceRequest* r) { r->buyer_tax_id = "12345678901234"; }, "buyer_tax_id: wrong length"},
      {[](InvoiceRequest* r) { r->buyer_tax_id = "123456789012345678901"; },
       "buyer_tax_id: wrong length"},
      {[](InvoiceRequest* r) { r->buyer_tax_id = "91110000802100433b"; },
       "buyer_tax_id: bad character"},
      {[](InvoiceRequest* r) { r->item_name = ""; }, "item_name: required"},
      {[](InvoiceRequest* r) { r->amount_fen = 0; }, "amount_fen: not positive"},
      {[](InvoiceRequest* r) { r->amount_fen = -100; }, "amount_fen: not positive"},
      {[](InvoiceRequest* r) { r->amount_fen = kMaxAmountFen + 1; }, "amount_fen: too large"},
      {[](InvoiceRequest* r) { r->tax_rate_bp = 700; }, "tax_rate_bp: not an accepted rate"},
      {[](InvoiceRequest* r) { r->issued_ns = 0; }, "issued_ns: year out of range"},
      {[](InvoiceRequest* r) { r->issued_ns = INT64_MAX; }, "issued_ns: year out of range"},
      {[](InvoiceRequest* r) { r->issued_ns = INT64_MIN; }, "issued_ns: year out of range"},
  };
  for (const Case& c : cases) {
    const Status status = ValidateWith(c.change);
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << c.message;
    EXPECT_EQ(status.message(), c.message);
  }
}

TEST(ValidateInvoiceRequestTest, NameLengthCountsCodePoints) {
  InvoiceRequest request = SampleRequest();
  request.buyer_title.clear();
  for (int i = 0; i < 100; ++i) request.buyer_title += "张";  // 300 bytes, 100 code points
  EXPECT_TRUE(ValidateInvoiceRequest(request).ok());
}

TEST(ChinaDateTest, ReadsDatesInUtcPlusEight) {
  const CivilDate date = ChinaDate(testing::kIssuedNs);
  EXPECT_EQ(date.year, 2026);
  EXPECT_EQ(date.month, 11u);
  EXPECT_EQ(date.day, 23u);
  // 1999-12-31 16:00 UTC is already 2000-01-01 in China.
  const CivilDate new_year = ChinaDate(946'656'000'000'000'000);
  EXPECT_EQ(new_year.year, 2000);
  EXPECT_EQ(new_year.month, 1u);
  EXPECT_EQ(new_year.day, 1u);
  const CivilDate before = ChinaDate(946'656'000'000'000'000 - 1);
  EXPECT_EQ(before.year, 1999);
  EXPECT_EQ(before.day, 31u);
  // A leap day.
  const CivilDate leap = ChinaDate(1'709'136'000'000'000'000);  // 2024-02-29 00:00 +08
  EXPECT_EQ(leap.month, 2u);
  EXPECT_EQ(leap.day, 29u);
}

}  // namespace
}  // namespace qb::invoice
