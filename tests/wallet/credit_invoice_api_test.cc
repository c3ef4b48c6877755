// Red-letter invoices (红字发票) over HTTP: each refund of an invoiced payment gets a red invoice
// for the refunded amount naming the blue invoice; both sides list them with the invoice and
// download their PDFs, nobody else; a refund of a payment without an invoice gets none; and
// when the invoice platform is down the refund still succeeds and the catch-up issues the red
// invoice once the platform is back.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "wallet/money_fixture.h"

namespace qb::wallet::testing {
namespace {

constexpr char kCreditCode[] = "91350100M000100Y43";

// Answers IoError while `down`, else asks the real provider.
class FlakyInvoiceProvider final : public invoice::InvoiceProvider {
 public:
  explicit FlakyInvoiceProvider(invoice::InvoiceProvider* inner) : inner_(inner) {}
  Status Issue(const invoice::InvoiceRequest& request, invoice::IssuedInvoice* out) override {
    calls_++;
    if (down_) return Status::IoError("invoice platform unavailable");
    return inner_->Issue(request, out);
  }
  std::atomic<bool> down_{false};
  std::atomic<int> calls_{0};

 private:
  invoice::InvoiceProvider* inner_;
};

// The text poppler extracts from `pdf` (poppler-utils).
std::string PdfText(const std::string& pdf, const std::string& directory) {
  const std::string path = directory + "/red.pdf";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << pdf;
  }
  const std::string command = "pdftotext -q -enc UTF-8 '" + path + "' - 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0;) text.append(buffer, n);
  EXPECT_EQ(::pclose(pipe), 0) << "pdftotext failed; is poppler-utils installed?";
  return text;
}

class CreditInvoiceApiTest : public MoneyApiTest {
 protected:
  struct Merchant {
    std::string id;
    std::string token;
  };

  void SetUp() override {
    MoneyApiTest::SetUp();
    admin_ = StaffToken("admin", Roles({identity::StaffRole::kAdmin}));
  }

  // Restarts the API with the provider wrapped in `flaky_` and the catch-up every 50 ms.
  void RestartWithFlakyProvider() {
    StopServer();
    flaky_ = std::make_unique<FlakyInvoiceProvider>(invoices_.get());
    invoices_override_ = flaky_.get();
    WalletOptions options;
    options.credit_invoice_interval_ns = int64_t{50} * 1'000'000;
    StartServer(options);
  }

  Merchant ActiveMerchant(std::string_view username) {
    const std::string body =
        R"({"legal_name":"福州小吃店","credit_code":")" + std::string(kCreditCode) +
        R"(","category":"catering","settlement_bank_code":"ICBC",)"
        R"("settlement_account":"6222020200112233","contact_phone":"13900139000",)"
        R"("username":")" +
        std::string(username) + R"(","password":"shop-pass-1","activate":true})";
    ApiResponse created = Post("/api/v1/staff/merchants", body, admin_);
    EXPECT_EQ(created.status, 201) << Describe(created);
    ApiResponse session =
        Post("/api/v1/merchant/sessions",
             R"({"username":")" + std::string(username) + R"(","password":"shop-pass-1"})");
    EXPECT_EQ(session.status, 201) << Describe(session);
    return Merchant{created.String("id"), session.String("token")};
  }

  Funded Customer(int serial, int64_t amount_fen) {
    Funded funded = TierTwo(serial);
    EXPECT_EQ(TopUp(funded, amount_fen, "fund").status, 201);
    return funded;
  }

  std::string PayStatic(const Funded& customer, const Merchant& merchant, int64_t amount,
                        std::string_view key) {
    ApiResponse qr = Get("/api/v1/merchant/qr", merchant.token);
    EXPECT_EQ(qr.status, 200) << Describe(qr);
    ApiResponse paid = Post("/api/v1/me/payments",
                            R"({"qr":")" + qr.String("text") + R"(","currency":"CNY","amount":)" +
                                std::to_string(amount) + "}",
                            customer.customer.token, key);
    EXPECT_EQ(paid.status, 201) << Describe(paid);
    return paid.String("id");
  }

  ApiResponse Refund(const Merchant& merchant, std::string_view payment_id, int64_t amount,
                     std::string_view key) {
    return Post("/api/v1/merchant/payments/" + std::string(payment_id) + "/refunds",
                R"({"amount":)" + std::to_string(amount) + R"(,"currency":"CNY"})", merchant.token,
                key);
  }

  std::string RequestInvoice(const Funded& customer, std::string_view payment_id) {
    ApiResponse issued = Post("/api/v1/me/payments/" + std::string(payment_id) + "/invoice",
                              R"({"title":"张三"})", customer.customer.token);
    EXPECT_EQ(issued.status, 201) << Describe(issued);
    return issued.String("number");
  }

  // The payment's red invoices as `token` sees them, once `count` are there (up to 5 s).
  boost::json::array CreditInvoices(std::string_view target, std::string_view token, size_t count) {
    boost::json::array list;
    for (int i = 0; i < 500; i++) {
      ApiResponse response = Get(target, token);
      EXPECT_EQ(response.status, 200) << Describe(response);
      if (response.status != 200) return {};
      list = response.json.at("credit_invoices").as_array();
      if (list.size() >= count) return list;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return list;
  }

  std::string admin_;
  std::unique_ptr<FlakyInvoiceProvider> flaky_;
};

TEST_F(CreditInvoiceApiTest, EachRefundOfAnInvoicedPaymentGetsARedInvoice) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  const std::string payment = PayStatic(alice, shop, 100 * kYuan, "p1");
  const std::string blue = RequestInvoice(alice, payment);
  ASSERT_EQ(blue.size(), 20u);
  ApiResponse first = Refund(shop, payment, 30 * kYuan, "r1");
  ASSERT_EQ(first.status, 201) << Describe(first);
  clock_.Advance(int64_t{1'000'000'000});
  ApiResponse second = Refund(shop, payment, 20 * kYuan, "r2");
  ASSERT_EQ(second.status, 201) << Describe(second);

  const std::string mine = "/api/v1/me/payments/" + payment + "/invoice";
  boost::json::array reds = CreditInvoices(mine, alice.customer.token, 2);
  ASSERT_EQ(reds.size(), 2u);
  EXPECT_EQ(reds[0].at("amount").as_int64(), 30 * kYuan);
  EXPECT_EQ(reds[0].at("tax").as_int64(), 170);  // 3,000 × 6/106 = 169.8 → 170 fen.
  EXPECT_EQ(reds[0].at("refund_id").as_string(), first.String("id"));
  EXPECT_EQ(reds[1].at("amount").as_int64(), 20 * kYuan);
  EXPECT_EQ(reds[1].at("refund_id").as_string(), second.String("id"));
  for (const boost::json::value& red : reds) {
    EXPECT_EQ(red.at("original_number").as_string(), blue);
    EXPECT_EQ(red.at("number").as_string().size(), 20u);
    EXPECT_NE(red.at("number").as_string(), blue);
  }
  // The merchant sees the same.
  const std::string theirs = "/api/v1/merchant/payments/" + payment + "/invoice";
  EXPECT_EQ(CreditInvoices(theirs, shop.token, 2), reds);

  // Both PDFs, both sides.
  for (const boost::json::value& red : reds) {
    const std::string number(red.at("number").as_string());
    for (const std::string& target : {"/api/v1/me/invoices/" + number + "/pdf",
                                      "/api/v1/merchant/invoices/" + number + "/pdf"}) {
      const std::string& token =
          target.starts_with("/api/v1/me/") ? alice.customer.token : shop.token;
      ApiResponse pdf = Get(target, token);
      ASSERT_EQ(pdf.status, 200) << target;
      EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
      const std::string text = PdfText(pdf.body, dir_.path());
      EXPECT_NE(text.find("红字"), std::string::npos) << text;
      EXPECT_NE(text.find(blue), std::string::npos) << text;
    }
  }
  // The blue PDF is still blue.
  ApiResponse blue_pdf = Get("/api/v1/me/invoices/" + blue + "/pdf", alice.customer.token);
  ASSERT_EQ(blue_pdf.status, 200);
  EXPECT_EQ(PdfText(blue_pdf.body, dir_.path()).find("红字"), std::string::npos);

  // Nobody else: another customer, another merchant.
  Funded bob = Customer(2, 10 * kYuan);
  Merchant other = ActiveMerchant("other");
  const std::string red_number(reds[0].at("number").as_string());
  EXPECT_EQ(Get("/api/v1/me/invoices/" + red_number + "/pdf", bob.customer.token).status, 404);
  EXPECT_EQ(Get("/api/v1/me/invoices/" + red_number + "/pdf", bob.customer.token).ErrorCode(),
            "INVOICE_NOT_FOUND");
  EXPECT_EQ(Get("/api/v1/merchant/invoices/" + red_number + "/pdf", other.token).status, 404);
  EXPECT_EQ(Get(mine, bob.customer.token).status, 404);
  EXPECT_EQ(Get(theirs, other.token).status, 404);

  // A refund of a payment without an invoice gets none, now or from the catch-up.
  const std::string plain = PayStatic(alice, shop, 10 * kYuan, "p2");
  ASSERT_EQ(Refund(shop, plain, 5 * kYuan, "r3").status, 201);
  WaitForReadModels();
  std::vector<RefundRow> owed;
  ASSERT_TRUE(store_->ListRefundsOwingCreditInvoice(100, &owed).ok());
  EXPECT_TRUE(owed.empty());
  std::vector<CreditInvoiceRow> none;
  ASSERT_TRUE(store_->ListCreditInvoices(std::stoull(plain), &none).ok());
  EXPECT_TRUE(none.empty());
}

TEST_F(CreditInvoiceApiTest, RefundsBeforeTheInvoiceOweNone) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  const std::string payment = PayStatic(alice, shop, 100 * kYuan, "p1");
  ASSERT_EQ(Refund(shop, payment, 10 * kYuan, "r1").status, 201);
  clock_.Advance(int64_t{1'000'000'000});
  RequestInvoice(alice, payment);  // For ¥90.
  WaitForReadModels();
  std::vector<RefundRow> owed;
  ASSERT_TRUE(store_->ListRefundsOwingCreditInvoice(100, &owed).ok());
  EXPECT_TRUE(owed.empty());
  EXPECT_TRUE(CreditInvoices("/api/v1/me/payments/" + payment + "/invoice", alice.customer.token, 0)
                  .empty());
}

TEST_F(CreditInvoiceApiTest, WhileThePlatformIsDownRefundsSucceedAndTheCatchUpIssuesLater) {
  RestartWithFlakyProvider();
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  const std::string payment = PayStatic(alice, shop, 100 * kYuan, "p1");
  const std::string blue = RequestInvoice(alice, payment);

  flaky_->down_ = true;
  ApiResponse refund = Refund(shop, payment, 30 * kYuan, "r1");
  ASSERT_EQ(refund.status, 201) << Describe(refund);
  const std::string mine = "/api/v1/me/payments/" + payment + "/invoice";
  // The hook and the catch-up both try, and fail.
  for (int i = 0; i < 500 && flaky_->calls_ < 2; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(flaky_->calls_.load(), 2);
  EXPECT_TRUE(CreditInvoices(mine, alice.customer.token, 0).empty());

  flaky_->down_ = false;
  boost::json::array reds = CreditInvoices(mine, alice.customer.token, 1);
  ASSERT_EQ(reds.size(), 1u);
  EXPECT_EQ(reds[0].at("amount").as_int64(), 30 * kYuan);
  EXPECT_EQ(reds[0].at("original_number").as_string(), blue);
  EXPECT_EQ(reds[0].at("refund_id").as_string(), refund.String("id"));
  // Exactly one, however often the catch-up runs.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(CreditInvoices(mine, alice.customer.token, 1).size(), 1u);
  EXPECT_EQ(invoices_->issued_count(), 2u);  // The blue one and one red one.
}

}  // namespace
}  // namespace qb::wallet::testing
