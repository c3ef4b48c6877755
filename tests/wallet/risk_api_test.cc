// The risk API over HTTP (issue 7): an analyst installs a rule set, a payment it holds for
// review answers 202 under_review, the analyst approves (posted) or rejects it (voided, the
// device blocked); a block-listed device or IP cannot sign up; a blocked payee gets no transfer;
// roles; a bad rule set is 422 RULES_INVALID.
#include <gtest/gtest.h>

#include <string>

#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

// The rule the lead's end-to-end test uses: review payments of ¥500 and more ("amount" is the
// feature's name, in fen; risk/risk_features.h).
constexpr char kReviewRules[] = R"({"shadow":false,"review_at":null,"challenge_at":null,
  "deny_at":null,"rules":[{"id":1,"name":"large_payment",
  "expression":"event == \"payment\" and amount >= 50000","score":60,"action":"review"}]})";

class RiskApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    PaymentApiTest::SetUp();
    analyst_ = StaffToken("analyst", Roles({StaffRole::kRisk}));
    auditor_ = StaffToken("auditor", Roles({StaffRole::kAuditor}));
  }

  ApiResponse WithDevice(std::string_view method, std::string_view target, std::string_view body,
                         std::string_view token, std::string_view device,
                         std::string_view key = "") {
    RequestOptions options;
    options.token = std::string(token);
    options.idempotency_key = std::string(key);
    options.headers.emplace_back("X-Device-Id", std::string(device));
    return Request(method, target, body, options);
  }

  ApiResponse ListChange(std::string_view method, std::string_view body) {
    RequestOptions options;
    options.token = analyst_;
    return Request(method, "/api/v1/staff/risk/lists", body, options);
  }

  std::string analyst_;
  std::string auditor_;
};

TEST_F(RiskApiTest, RuleSetsArePutAndReadWithTheirRoles) {
  ApiResponse none = Get("/api/v1/staff/risk/rules", auditor_);
  ASSERT_EQ(none.status, 200) << Describe(none);
  EXPECT_TRUE(none.json.at("active").is_null());
  EXPECT_TRUE(none.json.at("shadow").is_null());

  ApiResponse put = Put("/api/v1/staff/risk/rules", kReviewRules, analyst_);
  ASSERT_EQ(put.status, 200) << Describe(put);
  EXPECT_EQ(put.json.at("version").as_int64(), 1);
  ASSERT_EQ(put.json.at("rules").as_array().size(), 1u);
  EXPECT_EQ(put.json.at("rules").at(0).at("action").as_string(), "review");

  ApiResponse read = Get("/api/v1/staff/risk/rules", auditor_);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.json.at("active").at("version").as_int64(), 1);
  EXPECT_EQ(read.json.at("active").at("rules").at(0).at("expression").as_string(),
            "event == \"payment\" and amount >= 50000");

  // A rule that does not compile: 422 with the compiler's message, nothing installed.
  ApiResponse bad = Put("/api/v1/staff/risk/rules",
                        R"({"rules":[{"id":1,"name":"typo","expression":"amount_fen >= 50000",)"
                        R"("action":"review"}]})",
                        analyst_);
  EXPECT_EQ(bad.status, 422) << Describe(bad);
  EXPECT_EQ(bad.ErrorCode(), "RULES_INVALID");
  EXPECT_NE(bad.body.find("amount_fen"), std::string::npos) << bad.body;
  EXPECT_EQ(Put("/api/v1/staff/risk/rules", R"({"rules":[{"id":1}]})", analyst_).ErrorCode(),
            "FIELD_REQUIRED");
  EXPECT_EQ(Get("/api/v1/staff/risk/rules", auditor_).json.at("active").at("version").as_int64(),
            1);

  // Auditors read, never write; support has no business here.
  EXPECT_EQ(Put("/api/v1/staff/risk/rules", kReviewRules, auditor_).status, 403);
  const std::string support = StaffToken("support", Roles({StaffRole::kSupport}));
  EXPECT_EQ(Get("/api/v1/staff/risk/reviews", support).status, 403);
  EXPECT_EQ(Get("/api/v1/staff/risk/reviews").status, 401);
}

// Per-rule hits for both sets, and the shadow log of the events the two sets decided
// differently, newest first, a page at a time.
TEST_F(RiskApiTest, RulesShowTheirHitsAndTheShadowLogListsDisagreements) {
  // Sign-up and funding first: before any rule set, nothing is evaluated or counted.
  const Merchant shop = ActiveMerchant("shop");
  const Funded alice = Customer(1, 2'000 * kYuan);
  const std::string qr = StaticQr(shop);
  ASSERT_EQ(Put("/api/v1/staff/risk/rules", kReviewRules, analyst_).status, 200);
  ApiResponse shadow = Put("/api/v1/staff/risk/rules",
                           R"({"shadow":true,"rules":[{"id":7,"name":"deny_from_300",)"
                           R"("expression":"event == \"payment\" and amount >= 30000",)"
                           R"("action":"deny"}]})",
                           analyst_);
  ASSERT_EQ(shadow.status, 200) << Describe(shadow);
  EXPECT_EQ(shadow.json.at("rules").at(0).at("hits").as_int64(), 0);
  EXPECT_EQ(shadow.json.at("evaluated").as_int64(), 0);
  ASSERT_EQ(Pay(alice.customer, PayBody(qr, 100 * kYuan), "p1").status, 201);  // Both allow.
  ApiResponse second = Pay(alice.customer, PayBody(qr, 400 * kYuan), "p2");    // allow / deny
  ASSERT_EQ(second.status, 201) << Describe(second);
  ApiResponse third = Pay(alice.customer, PayBody(qr, 500 * kYuan), "p3");  // review / deny
  ASSERT_EQ(third.status, 202) << Describe(third);

  ApiResponse rules = Get("/api/v1/staff/risk/rules", auditor_);
  ASSERT_EQ(rules.status, 200) << Describe(rules);
  const boost::json::value& active = rules.json.at("active");
  EXPECT_EQ(active.at("evaluated").as_int64(), 3);
  EXPECT_EQ(active.at("verdicts").at("allow").as_int64(), 2);
  EXPECT_EQ(active.at("verdicts").at("review").as_int64(), 1);
  EXPECT_EQ(active.at("rules").at(0).at("hits").as_int64(), 1);
  const boost::json::value& candidate = rules.json.at("shadow");
  EXPECT_EQ(candidate.at("evaluated").as_int64(), 3);
  EXPECT_EQ(candidate.at("verdicts").at("deny").as_int64(), 2);
  EXPECT_EQ(candidate.at("rules").at(0).at("hits").as_int64(), 2);

  ApiResponse first_page = Get("/api/v1/staff/risk/shadow-log?limit=1", auditor_);
  ASSERT_EQ(first_page.status, 200) << Describe(first_page);
  ASSERT_EQ(first_page.json.at("items").as_array().size(), 1u);
  const boost::json::value& newest = first_page.json.at("items").at(0);
  EXPECT_EQ(newest.at("subject_id").as_string(), third.String("id"));
  EXPECT_EQ(newest.at("event").as_string(), "payment");
  EXPECT_EQ(newest.at("customer_id").as_string(), alice.customer.id);
  EXPECT_EQ(newest.at("amount").as_int64(), 500 * kYuan);
  EXPECT_EQ(newest.at("active_verdict").as_string(), "review");
  EXPECT_EQ(newest.at("shadow_verdict").as_string(), "deny");
  EXPECT_EQ(newest.at("shadow_version").as_int64(), 2);
  EXPECT_EQ(newest.at("rules").at(0).at("id").as_int64(), 7);
  EXPECT_EQ(newest.at("rules").at(0).at("name").as_string(), "deny_from_300");
  ASSERT_TRUE(first_page.json.at("next_cursor").is_string());
  ApiResponse second_page = Get("/api/v1/staff/risk/shadow-log?limit=1&cursor=" +
                                    std::string(first_page.json.at("next_cursor").as_string()),
                                analyst_);
  ASSERT_EQ(second_page.status, 200) << Describe(second_page);
  ASSERT_EQ(second_page.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(second_page.json.at("items").at(0).at("subject_id").as_string(), second.String("id"));
  EXPECT_EQ(second_page.json.at("items").at(0).at("active_verdict").as_string(), "allow");
  EXPECT_TRUE(second_page.json.at("next_cursor").is_null());
  EXPECT_EQ(Get("/api/v1/staff/risk/shadow-log", analyst_).json.at("items").as_array().size(), 2u);
  EXPECT_EQ(Get("/api/v1/staff/risk/shadow-log?cursor=nonsense", analyst_).status, 400);

  const std::string support = StaffToken("support", Roles({StaffRole::kSupport}));
  EXPECT_EQ(Get("/api/v1/staff/risk/shadow-log", support).status, 403);
  EXPECT_EQ(Get("/api/v1/staff/risk/shadow-log").status, 401);
}

TEST_F(RiskApiTest, AHeldPaymentIsApprovedByTheAnalyst) {
  ASSERT_EQ(Put("/api/v1/staff/risk/rules", kReviewRules, analyst_).status, 200);
  const Merchant shop = ActiveMerchant("shop");
  const Funded alice = Customer(1, 2'000 * kYuan);
  const std::string qr = StaticQr(shop);

  ApiResponse small = Pay(alice.customer, PayBody(qr, 100 * kYuan), "p1");
  ASSERT_EQ(small.status, 201) << Describe(small);

  ApiResponse held = Pay(alice.customer, PayBody(qr, 500 * kYuan), "p2");
  ASSERT_EQ(held.status, 202) << Describe(held);
  EXPECT_EQ(held.String("status"), "under_review");
  EXPECT_FALSE(held.String("message").empty());
  EXPECT_EQ(held.body.find("large_payment"), std::string::npos);  // Never the rule.
  const std::string payment_id = held.String("id");
  EXPECT_EQ(MerchantBalance(shop.id), 100 * kYuan - 60);  // The fee at 60 bps.
  // The same request again answers the same.
  EXPECT_EQ(Pay(alice.customer, PayBody(qr, 500 * kYuan), "p2").status, 202);
  // The customer cannot confirm it themself.
  EXPECT_EQ(Post("/api/v1/me/payments/" + payment_id + "/confirm", "{}", alice.customer.token)
                .ErrorCode(),
            "NOT_AWAITING_CONFIRMATION");
  WaitForReadModels();
  EXPECT_EQ(Get("/api/v1/me/payments/" + payment_id, alice.customer.token).String("status"),
            "under_review");

  ApiResponse queue = Get("/api/v1/staff/risk/reviews", auditor_);
  ASSERT_EQ(queue.status, 200) << Describe(queue);
  ASSERT_EQ(queue.json.at("items").as_array().size(), 1u);
  const boost::json::value& item = queue.json.at("items").at(0);
  EXPECT_EQ(item.at("payment_id").as_string(), payment_id);
  EXPECT_EQ(item.at("state").as_string(), "open");
  EXPECT_EQ(item.at("amount").as_int64(), 500 * kYuan);
  EXPECT_EQ(item.at("score").as_int64(), 60);
  EXPECT_EQ(item.at("rules").at(0).at("name").as_string(), "large_payment");
  EXPECT_EQ(item.at("rules").at(0).at("action").as_string(), "review");
  EXPECT_EQ(item.at("features").at("amount").as_int64(), 500 * kYuan);
  EXPECT_EQ(item.at("features").at("event").as_string(), "payment");
  EXPECT_NE(item.at("customer_phone").as_string(), alice.customer.phone);  // Masked.
  EXPECT_NE(std::string(item.at("explanation").as_string()).find("large_payment"),
            std::string::npos);

  // Auditors may look, not decide.
  EXPECT_EQ(Post("/api/v1/staff/risk/reviews/" + payment_id + "/approve", "{}", auditor_).status,
            403);
  ApiResponse approved = Post("/api/v1/staff/risk/reviews/" + payment_id + "/approve",
                              R"({"label":"legit"})", analyst_);
  ASSERT_EQ(approved.status, 200) << Describe(approved);
  EXPECT_EQ(approved.String("state"), "approved");
  EXPECT_EQ(approved.String("label"), "legit");
  EXPECT_EQ(MerchantBalance(shop.id), 600 * kYuan - 60 - 300);
  EXPECT_EQ(Balance(alice.customer), 1'400 * kYuan);
  WaitForReadModels();
  EXPECT_EQ(Get("/api/v1/me/payments/" + payment_id, alice.customer.token).String("status"),
            "completed");

  EXPECT_EQ(
      Post("/api/v1/staff/risk/reviews/" + payment_id + "/reject", "{}", analyst_).ErrorCode(),
      "REVIEW_CLOSED");
  EXPECT_EQ(Post("/api/v1/staff/risk/reviews/999/approve", "{}", analyst_).ErrorCode(),
            "REVIEW_NOT_FOUND");
  EXPECT_TRUE(Get("/api/v1/staff/risk/reviews", analyst_).json.at("items").as_array().empty());
  ApiResponse all = Get("/api/v1/staff/risk/reviews?state=all", analyst_);
  ASSERT_EQ(all.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(all.json.at("items").at(0).at("state").as_string(), "approved");
  EXPECT_FALSE(LedgerProblem().has_value());
}

TEST_F(RiskApiTest, ARejectedPaymentIsVoidedAndItsDeviceBlocked) {
  ASSERT_EQ(Put("/api/v1/staff/risk/rules", kReviewRules, analyst_).status, 200);
  const Merchant shop = ActiveMerchant("shop");
  const Funded alice = Customer(1, 2'000 * kYuan);
  const std::string qr = StaticQr(shop);
  ApiResponse held = WithDevice("POST", "/api/v1/me/payments", PayBody(qr, 600 * kYuan),
                                alice.customer.token, "stolen-phone-1", "p1");
  ASSERT_EQ(held.status, 202) << Describe(held);
  ApiResponse rejected = Post("/api/v1/staff/risk/reviews/" + held.String("id") + "/reject",
                              R"({"label":"fraud","block_device":true})", analyst_);
  ASSERT_EQ(rejected.status, 200) << Describe(rejected);
  EXPECT_EQ(rejected.String("state"), "rejected");
  EXPECT_EQ(Balance(alice.customer), 2'000 * kYuan);
  EXPECT_EQ(MerchantBalance(shop.id), 0);

  // The device is on the block list now: even a small payment from it is refused.
  ApiResponse denied = WithDevice("POST", "/api/v1/me/payments", PayBody(qr, 10 * kYuan),
                                  alice.customer.token, "stolen-phone-1", "p2");
  EXPECT_EQ(denied.status, 403) << Describe(denied);
  EXPECT_EQ(denied.ErrorCode(), "RISK_DENIED");
  ApiResponse lists = Get("/api/v1/staff/risk/lists", auditor_);
  ASSERT_EQ(lists.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(lists.json.at("items").at(0).at("kind").as_string(), "device");
  // Another phone is fine.
  EXPECT_EQ(WithDevice("POST", "/api/v1/me/payments", PayBody(qr, 10 * kYuan), alice.customer.token,
                       "own-phone", "p3")
                .status,
            201);
  EXPECT_FALSE(LedgerProblem().has_value());
}

TEST_F(RiskApiTest, ABlockListedDeviceCannotSignUp) {
  ApiResponse added = ListChange(
      "POST", R"({"kind":"device","value":"farm-device-7","list":"block","reason":"device farm"})");
  ASSERT_EQ(added.status, 201) << Describe(added);
  EXPECT_EQ(added.String("kind"), "device");
  const std::string hash_value = added.String("value");
  EXPECT_EQ(hash_value.rfind("hash:", 0), 0u);
  ApiResponse lists = Get("/api/v1/staff/risk/lists", analyst_);
  ASSERT_EQ(lists.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(lists.json.at("items").at(0).at("value").as_string(), hash_value);
  EXPECT_EQ(lists.json.at("items").at(0).at("reason").as_string(), "device farm");
  EXPECT_EQ(ListChange("POST", R"({"kind":"device","value":"bad id!","list":"block"})").ErrorCode(),
            "FIELD_INVALID");
  RequestOptions auditor;
  auditor.token = auditor_;
  EXPECT_EQ(Request("POST", "/api/v1/staff/risk/lists",
                    R"({"kind":"device","value":"x","list":"block"})", auditor)
                .status,
            403);

  const std::string phone = Phone(7);
  const std::string code = RequestOtp(phone);
  const std::string body = R"({"phone":")" + phone + R"(","otp":")" + code + R"(","password":")" +
                           std::string(kDefaultPassword) + R"("})";
  ApiResponse refused = WithDevice("POST", "/api/v1/customers", body, "", "farm-device-7");
  EXPECT_EQ(refused.status, 403) << Describe(refused);
  EXPECT_EQ(refused.ErrorCode(), "RISK_DENIED");
  EXPECT_EQ(refused.body.find("block"), std::string::npos);  // The customer's message only.

  // Off the list (by the value GET showed), the same device signs up.
  ApiResponse removed =
      ListChange("DELETE", R"({"kind":"device","value":")" + hash_value + R"(","list":"block"})");
  ASSERT_EQ(removed.status, 200) << Describe(removed);
  EXPECT_EQ(
      ListChange("DELETE", R"({"kind":"device","value":")" + hash_value + R"(","list":"block"})")
          .ErrorCode(),
      "LIST_ENTRY_NOT_FOUND");
  ApiResponse signed_up = WithDevice("POST", "/api/v1/customers", body, "", "farm-device-7");
  EXPECT_EQ(signed_up.status, 201) << Describe(signed_up);
}

TEST_F(RiskApiTest, ABlockListedIpCannotSignUp) {
  // The console names the IP by its address; the engine knows only its keyed hash.
  ApiResponse added = ListChange(
      "POST", R"({"kind":"ip","value":"127.0.0.3","list":"block","reason":"proxy farm"})");
  ASSERT_EQ(added.status, 201) << Describe(added);
  EXPECT_EQ(added.String("kind"), "ip");
  EXPECT_EQ(added.String("value").rfind("hash:", 0), 0u);
  EXPECT_EQ(added.body.find("127.0.0.3"), std::string::npos);
  EXPECT_EQ(ListChange("POST", R"({"kind":"ip","value":"not an ip","list":"block"})").ErrorCode(),
            "FIELD_INVALID");

  const std::string phone = Phone(8);
  const std::string code = RequestOtp(phone);
  const std::string body = R"({"phone":")" + phone + R"(","otp":")" + code + R"(","password":")" +
                           std::string(kDefaultPassword) + R"("})";
  ApiResponse refused = Request("POST", "/api/v1/customers", body, RequestOptions{}, "127.0.0.3");
  EXPECT_EQ(refused.status, 403) << Describe(refused);
  EXPECT_EQ(refused.ErrorCode(), "RISK_DENIED");
  // From another address the same sign-up goes through.
  ApiResponse signed_up = Request("POST", "/api/v1/customers", body, RequestOptions{}, "127.0.0.4");
  EXPECT_EQ(signed_up.status, 201) << Describe(signed_up);
}

TEST_F(RiskApiTest, ATransferToABlockedPayeeIsDenied) {
  const Funded alice = Customer(1, 500 * kYuan);
  const Funded bob = TierTwo(2, "李四");
  ApiResponse blocked =
      ListChange("POST", R"({"kind":"payee","value":")" + bob.customer.id + R"(","list":"block"})");
  ASSERT_EQ(blocked.status, 201) << Describe(blocked);
  ApiResponse denied = Transfer(alice.customer, bob.customer.phone, 50 * kYuan, "t1");
  EXPECT_EQ(denied.status, 403) << Describe(denied);
  EXPECT_EQ(denied.ErrorCode(), "RISK_DENIED");
  EXPECT_EQ(Balance(alice.customer), 500 * kYuan);
  ASSERT_EQ(ListChange("DELETE",
                       R"({"kind":"payee","value":")" + bob.customer.id + R"(","list":"block"})")
                .status,
            200);
  EXPECT_EQ(Transfer(alice.customer, bob.customer.phone, 50 * kYuan, "t2").status, 201);
  EXPECT_FALSE(LedgerProblem().has_value());
}

}  // namespace
}  // namespace qb::wallet::testing
