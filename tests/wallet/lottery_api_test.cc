// The lottery API over HTTP (issue 6): ops set the lottery with its roles and validation; a
// customer signs in for a draw, draws (a retry with the same Idempotency-Key answers the same
// draw), earns one by paying, and sees the prize in the wallet or the points.
#include <gtest/gtest.h>

#include <string>

#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

// Every draw wins: half ¥1, half 50 points.
constexpr char kWheel[] =
    R"({"enabled":true,"starts_at":null,"ends_at":null,"prizes":[)"
    R"({"name":"¥1 红包","kind":"cash","amount":100,"inventory":100,"chance_bps":5000},)"
    R"({"name":"50 积分","kind":"points","amount":50,"inventory":100,"chance_bps":5000}],)"
    R"("payment_min":1000,"payment_draws_daily":1,"sign_in_draw":true,"referral_draws":0,)"
    R"("daily_draw_limit":3,"budget":10000})";

class LotteryApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    PaymentApiTest::SetUp();
    marketing_ = StaffToken("marketer", Roles({StaffRole::kMarketing}));
  }
  ApiResponse Draw(const RegisteredCustomer& customer, std::string_view key) {
    return Post("/api/v1/me/lottery/draws", "", customer.token, key);
  }
  std::string marketing_;
};

TEST_F(LotteryApiTest, OpsSetTheLotteryWithTheirRoles) {
  ApiResponse none = Get("/api/v1/staff/lottery", marketing_);
  ASSERT_EQ(none.status, 200) << Describe(none);
  EXPECT_EQ(none.json.at("version").as_int64(), 0);
  std::string bad = kWheel;
  bad.replace(bad.find(R"("chance_bps":5000})"), 18, R"("chance_bps":5001})");
  ApiResponse over = Put("/api/v1/staff/lottery", bad, marketing_);
  EXPECT_EQ(over.status, 422) << Describe(over);
  EXPECT_EQ(over.ErrorCode(), "LOTTERY_INVALID");
  bad = kWheel;
  bad.replace(bad.find(R"("inventory":100)"), 15, R"("inventory":0)");
  ApiResponse empty = Put("/api/v1/staff/lottery", bad, marketing_);
  EXPECT_NE(empty.body.find("prizes[0].inventory"), std::string::npos) << empty.body;
  bad = kWheel;
  bad.replace(bad.find(R"("kind":"cash")"), 13, R"("kind":"gold")");
  EXPECT_EQ(Put("/api/v1/staff/lottery", bad, marketing_).ErrorCode(), "FIELD_INVALID");
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(Put("/api/v1/staff/lottery", kWheel, auditor).status, 403);
  EXPECT_EQ(Get("/api/v1/staff/lottery", auditor).status, 200);
  ApiResponse set = Put("/api/v1/staff/lottery", kWheel, marketing_);
  ASSERT_EQ(set.status, 200) << Describe(set);
  EXPECT_EQ(set.json.at("version").as_int64(), 1);
  EXPECT_EQ(set.json.at("prizes").at(0).at("remaining").as_int64(), 100);
  EXPECT_EQ(set.json.at("budget").as_int64(), 10'000);
  EXPECT_TRUE(set.json.at("starts_at").is_null());
}

TEST_F(LotteryApiTest, ACustomerSignsInDrawsAndEarnsADrawByPaying) {
  const RegisteredCustomer bystander = RegisterCustomer(Phone(9));
  EXPECT_EQ(Post("/api/v1/me/lottery/sign-in", "", bystander.token).ErrorCode(), "LOTTERY_OFF");
  ASSERT_EQ(Put("/api/v1/staff/lottery", kWheel, marketing_).status, 200);
  const Merchant shop = ActiveMerchant("noodles");
  const std::string qr = StaticQr(shop);
  const Funded alice = Customer(1, 100'000);
  ApiResponse mine = Get("/api/v1/me/lottery", alice.customer.token);
  ASSERT_EQ(mine.status, 200) << Describe(mine);
  EXPECT_TRUE(mine.json.at("active").as_bool());
  EXPECT_EQ(mine.json.at("prizes").as_array().size(), 2u);
  EXPECT_EQ(mine.json.at("prizes").at(0).at("chance_bps").as_int64(), 5'000);
  EXPECT_FALSE(mine.json.at("prizes").at(0).as_object().contains("inventory"));
  EXPECT_EQ(mine.json.at("chances").at("available").as_int64(), 0);

  EXPECT_EQ(Post("/api/v1/me/lottery/draws", "", alice.customer.token).status, 400);  // no key
  EXPECT_EQ(Draw(alice.customer, "draw-0").ErrorCode(), "LOTTERY_NO_DRAWS");
  ApiResponse signed_in = Post("/api/v1/me/lottery/sign-in", "", alice.customer.token);
  ASSERT_EQ(signed_in.status, 200) << Describe(signed_in);
  EXPECT_EQ(signed_in.json.at("chances").at("available").as_int64(), 1);
  EXPECT_EQ(Post("/api/v1/me/lottery/sign-in", "", alice.customer.token).ErrorCode(),
            "LOTTERY_SIGNED_IN");

  const int64_t balance = Balance(alice.customer);
  ApiResponse draw = Draw(alice.customer, "draw-1");
  ASSERT_EQ(draw.status, 201) << Describe(draw);
  EXPECT_TRUE(draw.json.at("won").as_bool());
  EXPECT_EQ(draw.json.at("chances").at("available").as_int64(), 0);
  ApiResponse again = Draw(alice.customer, "draw-1");
  EXPECT_EQ(again.status, 200) << Describe(again);
  EXPECT_EQ(again.String("id"), draw.String("id"));
  WaitForReadModels();
  const std::string kind(draw.json.at("prize").at("kind").as_string());
  const int64_t amount = draw.json.at("prize").at("amount").as_int64();
  if (kind == "cash") {
    EXPECT_EQ(Balance(alice.customer), balance + amount);
  } else {
    ApiResponse points = Get("/api/v1/me/points", alice.customer.token);
    EXPECT_EQ(points.json.at("balance").as_int64(), amount);
    EXPECT_EQ(points.json.at("entries").at(0).at("kind").as_string(), "lottery");
  }

  ASSERT_EQ(Pay(alice.customer, PayBody(qr, 1'000), "pay-1").status, 201);
  mine = Get("/api/v1/me/lottery", alice.customer.token);
  EXPECT_EQ(mine.json.at("chances").at("available").as_int64(), 1);
  EXPECT_EQ(mine.json.at("chances").at("earned_by_payments_today").as_int64(), 1);
  ASSERT_EQ(Draw(alice.customer, "draw-2").status, 201);
  mine = Get("/api/v1/me/lottery", alice.customer.token);
  ASSERT_EQ(mine.json.at("draws").as_array().size(), 2u);
  EXPECT_EQ(mine.json.at("draws").at(1).at("id").as_string(), draw.String("id"));  // newest first
  ApiResponse config = Get("/api/v1/staff/lottery", marketing_);
  EXPECT_EQ(config.json.at("draws").as_int64(), 2);
}

}  // namespace
}  // namespace qb::wallet::testing
