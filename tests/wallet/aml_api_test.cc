// The AML reports over HTTP (issue 7) with the real engine and SQLite store: the large-value
// report's thresholds (¥499,999.99 is not reported, ¥500,000.00 is), its cash section
// (top-ups and withdrawals), days kept apart, threshold parameters, exact CSV, an XLSX that is a
// zip, audited exports; suspicious cases from the risk review queue; roles.
//
// Tier I wallets hold up to ¥500,000 and take money in without a daily limit, so customers reach
// the threshold with top-ups and a P2P transfer; the simulated bank here lets a card move that
// much at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

constexpr char kLargeValue[] = "/api/v1/staff/aml/large-value";
constexpr char kCases[] = "/api/v1/staff/aml/cases";
// kTestStartNs is 2026-11-23 09:00 in China.
constexpr char kDayOne[] = "2026-11-23";
constexpr char kDayTwo[] = "2026-11-24";

constexpr char kReviewRules[] = R"({"shadow":false,"review_at":null,"challenge_at":null,
  "deny_at":null,"rules":[{"id":1,"name":"large_payment",
  "expression":"event == \"payment\" and amount >= 20000","score":60,"action":"review"}]})";

bank::SimulatedBankOptions BigBank() {
  bank::SimulatedBankOptions options;
  options.max_amount_fen = 100'000'000;       // ¥1,000,000 a transaction
  options.opening_balance_fen = 100'000'000;  // ¥1,000,000 a card
  return options;
}

class AmlApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    bank_override_ = &big_bank_;
    PaymentApiTest::SetUp();
    analyst_ = StaffToken("analyst", Roles({StaffRole::kRisk}));
    auditor_ = StaffToken("auditor", Roles({StaffRole::kAuditor}));
  }

  Funded TierOne(int serial) {
    Funded funded = TierTwo(serial);
    ApiResponse granted =
        Post("/api/v1/staff/customers/" + funded.customer.id + "/tier", R"({"tier":"I"})", admin_);
    EXPECT_EQ(granted.status, 200) << Describe(granted);
    return funded;
  }

  ApiResponse Report(std::string_view query, std::string_view token) {
    WaitForReadModels();
    return Get(std::string(kLargeValue) + std::string(query), token);
  }

  // The large-value report's rows of one section as "customer:count:in:out:total:kind".
  static std::vector<std::string> Rows(const ApiResponse& report, std::string_view section) {
    std::vector<std::string> rows;
    if (!report.json.is_object()) return rows;
    for (const boost::json::value& row : report.json.at(section).as_array()) {
      rows.push_back(std::string(row.at("customer_id").as_string()) + ":" +
                     std::to_string(row.at("count").as_int64()) + ":" +
                     std::to_string(row.at("total_in").as_int64()) + ":" +
                     std::to_string(row.at("total_out").as_int64()) + ":" +
                     std::to_string(row.at("total").as_int64()) + ":" +
                     std::string(row.at("kind").as_string()));
    }
    return rows;
  }

  size_t AuditedExports() {
    WaitForReadModels();
    AuditFilter filter;
    filter.action_prefix = "aml.export";
    AuditPage page;
    EXPECT_TRUE(store_->ListAuditEntries(filter, std::nullopt, 100, &page).ok());
    return page.entries.size();
  }

  bank::SimulatedBank big_bank_{BigBank()};
  std::string analyst_;
  std::string auditor_;
};

TEST_F(AmlApiTest, TheThresholdIsInclusiveCashIsSeparateAndDaysDoNotMix) {
  const Funded alice = TierOne(1);
  const Funded bob = TierOne(2);
  const Funded carol = TierTwo(3);
  // Alice: ¥499,000.00 topped up and ¥1,000.00 from Carol, ¥500,000.00 in all.
  ASSERT_EQ(TopUp(alice, 499'000 * kYuan, "a1").status, 201);
  ASSERT_EQ(TopUp(carol, 2'000 * kYuan, "c1").status, 201);
  ApiResponse p2p = Transfer(carol.customer, alice.customer.phone, 1'000 * kYuan, "c2");
  ASSERT_EQ(p2p.status, 201) << Describe(p2p);
  // Bob: one fen short.
  ASSERT_EQ(TopUp(bob, 49'999'999, "b1").status, 201);

  ApiResponse report = Report(std::string("?date=") + kDayOne, analyst_);
  ASSERT_EQ(report.status, 200) << Describe(report);
  EXPECT_EQ(report.String("date"), kDayOne);
  EXPECT_EQ(report.json.at("transfer_threshold").as_int64(), 50'000'000);
  EXPECT_EQ(report.json.at("cash_threshold").as_int64(), 5'000'000);
  EXPECT_FALSE(report.json.at("truncated").as_bool());
  const std::string a = alice.customer.id;
  const std::string b = bob.customer.id;
  EXPECT_EQ(Rows(report, "transfers"),
            (std::vector<std::string>{a + ":2:50000000:0:50000000:transfer"}));
  // Cash: top-ups and withdrawals only, so not Carol's ¥1,000.00 to Alice; Carol's ¥2,000.00
  // top-up and ¥1,000.00 out are under both thresholds.
  EXPECT_EQ(Rows(report, "cash"), (std::vector<std::string>{a + ":1:49900000:0:49900000:cash",
                                                            b + ":1:49999999:0:49999999:cash"}));
  const boost::json::value& row = report.json.at("transfers").at(0);
  EXPECT_EQ(row.at("phone").as_string(), "138****8101");
  EXPECT_EQ(row.at("name").as_string(), "张*");
  EXPECT_EQ(row.at("date").as_string(), kDayOne);

  // A lower threshold (in fen, at least ¥1,000) takes Bob in; Carol's ¥3,000.00 too.
  ApiResponse lower =
      Report(std::string("?date=") + kDayOne + "&transfer_threshold=300000&cash_threshold=50000000",
             analyst_);
  ASSERT_EQ(lower.status, 200) << Describe(lower);
  EXPECT_EQ(Rows(lower, "transfers"),
            (std::vector<std::string>{a + ":2:50000000:0:50000000:transfer",
                                      b + ":1:49999999:0:49999999:transfer",
                                      carol.customer.id + ":2:200000:100000:300000:transfer"}));
  EXPECT_TRUE(Rows(lower, "cash").empty());

  // The next China day: only its own movements. Staff sessions do not last a day.
  AdvanceClock(24 * 3600 * kNsPerSecond);
  admin_ = StaffLogIn("admin", kDefaultPassword).String("token");
  auditor_ = StaffLogIn("auditor", kDefaultPassword).String("token");
  const Funded dave = TierOne(4);
  ASSERT_EQ(TopUp(dave, 60'000 * kYuan, "d1").status, 201);
  ApiResponse next = Report(std::string("?date=") + kDayTwo, auditor_);
  ASSERT_EQ(next.status, 200) << Describe(next);
  EXPECT_TRUE(Rows(next, "transfers").empty());
  EXPECT_EQ(Rows(next, "cash"),
            (std::vector<std::string>{dave.customer.id + ":1:6000000:0:6000000:cash"}));
  // The default day is yesterday (China time): day one, unchanged.
  ApiResponse yesterday = Report("", auditor_);
  ASSERT_EQ(yesterday.status, 200);
  EXPECT_EQ(yesterday.String("date"), kDayOne);
  EXPECT_EQ(Rows(yesterday, "transfers"), Rows(report, "transfers"));
  EXPECT_EQ(Rows(yesterday, "cash"), Rows(report, "cash"));
}

TEST_F(AmlApiTest, BadParametersAreFieldInvalid) {
  for (const char* query : {"?date=2026-13-01", "?date=2026/11/23", "?date=yesterday",
                            "?date=2026-02-30", "?format=pdf", "?cash_threshold=99999",
                            "?transfer_threshold=-1", "?transfer_threshold=1.5"}) {
    ApiResponse response = Report(query, analyst_);
    EXPECT_EQ(response.status, 400) << query;
    EXPECT_EQ(response.ErrorCode(), "FIELD_INVALID") << query;
  }
  for (const char* query : {"?from=2026-11-24&to=2026-11-23", "?from=2025-01-01&to=2026-11-23",
                            "?to=2026-11-31", "?format=docx"}) {
    ApiResponse response = Get(std::string(kCases) + query, analyst_);
    EXPECT_EQ(response.status, 400) << query;
    EXPECT_EQ(response.ErrorCode(), "FIELD_INVALID") << query;
  }
  EXPECT_EQ(AuditedExports(), 0u);
}

TEST_F(AmlApiTest, ExportsAreExactAndAudited) {
  const Funded alice = TierOne(1);
  ASSERT_EQ(TopUp(alice, 300'000 * kYuan, "a1").status, 201);
  ASSERT_EQ(TopUp(alice, 200'000 * kYuan, "a2").status, 201);

  ApiResponse csv = Report(std::string("?date=") + kDayOne + "&format=csv", analyst_);
  ASSERT_EQ(csv.status, 200) << Describe(csv);
  EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_EQ(csv.headers["content-disposition"],
            "attachment; filename=\"aml-large-value-2026-11-23.csv\"");
  const std::string id = alice.customer.id;
  EXPECT_EQ(csv.body,
            "\xEF\xBB\xBF"
            "日期 Date,客户号 Customer ID,姓名 Name,手机号 Phone,笔数 Count,转入 Total in,"
            "转出 Total out,合计 Total,类别 Kind\r\n"
            "2026-11-23," +
                id +
                ",张*,138****8101,2,500000.00,0.00,500000.00,transfer\r\n"
                "2026-11-23," +
                id + ",张*,138****8101,2,500000.00,0.00,500000.00,cash\r\n");
  EXPECT_EQ(AuditedExports(), 1u);

  ApiResponse xlsx = Report(std::string("?date=") + kDayOne + "&format=xlsx", auditor_);
  ASSERT_EQ(xlsx.status, 200) << Describe(xlsx);
  EXPECT_TRUE(xlsx.body.starts_with("PK\x03\x04"));
  EXPECT_EQ(xlsx.headers["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(AuditedExports(), 2u);

  // The entry names who exported what, never a customer's data.
  AuditFilter filter;
  filter.action_prefix = "aml.export";
  AuditPage page;
  ASSERT_TRUE(store_->ListAuditEntries(filter, std::nullopt, 10, &page).ok());
  ASSERT_EQ(page.entries.size(), 2u);
  const audit::AuditEvent& newest = page.entries[0].event;
  EXPECT_EQ(newest.actor_kind, audit::ActorKind::kStaff);
  EXPECT_EQ(newest.target, "aml:large-value:2026-11-23");
  // The rows and format, then the network the analyst exported from (a keyed-hash tag).
  EXPECT_TRUE(
      newest.detail.starts_with(R"({"report":"large_value","format":"xlsx","rows":2,"ip":")"))
      << newest.detail;

  // Viewing as JSON is not an export.
  ASSERT_EQ(Report(std::string("?date=") + kDayOne, analyst_).status, 200);
  EXPECT_EQ(AuditedExports(), 2u);
}

TEST_F(AmlApiTest, CasesComeFromTheReviewQueue) {
  ASSERT_EQ(Put("/api/v1/staff/risk/rules", kReviewRules, analyst_).status, 200);
  const Merchant shop = ActiveMerchant("shop");
  const Funded alice = Customer(1, 2'000 * kYuan);
  const std::string qr = StaticQr(shop);

  // A second apart: cases are listed by when they were opened.
  ApiResponse open = Pay(alice.customer, PayBody(qr, 200 * kYuan), "p1");
  ASSERT_EQ(open.status, 202) << Describe(open);
  AdvanceClock(kNsPerSecond);
  ApiResponse fraud = Pay(alice.customer, PayBody(qr, 300 * kYuan), "p2");
  ASSERT_EQ(fraud.status, 202) << Describe(fraud);
  AdvanceClock(kNsPerSecond);
  ApiResponse legit = Pay(alice.customer, PayBody(qr, 250 * kYuan), "p3");
  ASSERT_EQ(legit.status, 202) << Describe(legit);
  ASSERT_EQ(Post("/api/v1/staff/risk/reviews/" + fraud.String("id") + "/reject",
                 R"({"label":"fraud"})", analyst_)
                .status,
            200);
  ASSERT_EQ(Post("/api/v1/staff/risk/reviews/" + legit.String("id") + "/approve",
                 R"({"label":"legit"})", analyst_)
                .status,
            200);
  ApiResponse small = Pay(alice.customer, PayBody(qr, 10 * kYuan), "p4");
  ASSERT_EQ(small.status, 201) << Describe(small);

  ApiResponse cases = Get(kCases, auditor_);
  ASSERT_EQ(cases.status, 200) << Describe(cases);
  const boost::json::array& items = cases.json.at("items").as_array();
  // The open review and the rejected one; the approved, legitimate payment is no case.
  ASSERT_EQ(items.size(), 2u);
  const boost::json::value& first = items.at(0);
  EXPECT_EQ(first.at("case_id").as_string(), open.String("id"));
  EXPECT_EQ(first.at("customer_id").as_string(), alice.customer.id);
  EXPECT_EQ(first.at("customer_phone").as_string(), "138****8101");
  EXPECT_EQ(first.at("merchant_id").as_string(), shop.id);
  EXPECT_EQ(first.at("amount").as_int64(), 200 * kYuan);
  EXPECT_EQ(first.at("rules").as_array().size(), 1u);
  EXPECT_EQ(first.at("rules").at(0).as_string(), "large_payment");
  EXPECT_EQ(first.at("score").as_int64(), 60);
  EXPECT_EQ(first.at("state").as_string(), "open");
  EXPECT_TRUE(first.at("label").is_null());
  EXPECT_TRUE(first.at("closed_at").is_null());
  const boost::json::value& second = items.at(1);
  EXPECT_EQ(second.at("case_id").as_string(), fraud.String("id"));
  EXPECT_EQ(second.at("amount").as_int64(), 300 * kYuan);
  EXPECT_EQ(second.at("state").as_string(), "rejected");
  EXPECT_EQ(second.at("label").as_string(), "fraud");
  EXPECT_EQ(second.at("score").as_int64(), 60);
  EXPECT_TRUE(second.at("closed_at").is_string());

  // Days outside the range: none.
  ApiResponse later = Get(std::string(kCases) + "?from=" + kDayTwo + "&to=" + kDayTwo, analyst_);
  ASSERT_EQ(later.status, 200);
  EXPECT_TRUE(later.json.at("items").as_array().empty());
  ApiResponse day = Get(std::string(kCases) + "?from=" + kDayOne + "&to=" + kDayOne, analyst_);
  EXPECT_EQ(day.json.at("items").as_array().size(), 2u);

  ApiResponse csv = Get(std::string(kCases) + "?format=csv", analyst_);
  ASSERT_EQ(csv.status, 200) << Describe(csv);
  const std::string header =
      "\xEF\xBB\xBF"
      "案件号 Case ID,客户号 Customer ID,手机号 Phone,商户号 Merchant ID,金额 Amount,"
      "规则 Rules,评分 Score,状态 State,标签 Label,开立 Opened,关闭 Closed\r\n";
  ASSERT_TRUE(csv.body.starts_with(header)) << csv.body;
  const std::string open_row = open.String("id") + "," + alice.customer.id + ",138****8101," +
                               shop.id + ",200.00,large_payment,60,open,,";
  EXPECT_NE(csv.body.find("\r\n" + open_row), std::string::npos) << csv.body;
  const std::string fraud_row = fraud.String("id") + "," + alice.customer.id + ",138****8101," +
                                shop.id + ",300.00,,60,rejected,fraud,";
  EXPECT_NE(csv.body.find("\r\n" + fraud_row), std::string::npos) << csv.body;
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 3);
  ApiResponse xlsx = Get(std::string(kCases) + "?format=xlsx", analyst_);
  ASSERT_EQ(xlsx.status, 200) << Describe(xlsx);
  EXPECT_TRUE(xlsx.body.starts_with("PK\x03\x04"));
  EXPECT_EQ(AuditedExports(), 2u);
}

TEST_F(AmlApiTest, OnlyRiskAuditorsAndAdminsRead) {
  for (const char* path : {kLargeValue, kCases}) {
    EXPECT_EQ(Get(path, analyst_).status, 200) << path;
    EXPECT_EQ(Get(path, auditor_).status, 200) << path;
    EXPECT_EQ(Get(path, admin_).status, 200) << path;
    EXPECT_EQ(Get(path).status, 401) << path;
  }
  for (const auto& [name, role] :
       {std::pair{"support", StaffRole::kSupport}, std::pair{"marketing", StaffRole::kMarketing},
        std::pair{"manager", StaffRole::kOutreachManager},
        std::pair{"agent", StaffRole::kOutreachAgent}}) {
    const std::string token = StaffToken(name, Roles({role}));
    EXPECT_EQ(Get(kLargeValue, token).status, 403) << name;
    EXPECT_EQ(Get(std::string(kLargeValue) + "?format=csv", token).status, 403) << name;
    EXPECT_EQ(Get(kCases, token).status, 403) << name;
  }
  // A customer's session is no staff session.
  const Funded alice = TierTwo(1);
  EXPECT_EQ(Get(kLargeValue, alice.customer.token).status, 401);
  EXPECT_EQ(AuditedExports(), 0u);
}

}  // namespace
}  // namespace qb::wallet::testing
