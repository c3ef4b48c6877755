// The points API over HTTP (issue 6): marketing ops set the programme, a customer earns on a
// payment (with a weekday multiplier), sees the balance and history, gets a quote with points
// and pays with them; bad programmes and too many points are refused with stable codes.
#include <gtest/gtest.h>

#include <string>

#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

// The fixture's clock starts 2026-11-23T01:00:00Z: a Monday, 09:00 in China.
constexpr char kProgram[] =
    R"({"enabled":true,"earn_points_per_yuan":1,"redeem_points_per_yuan":100,)"
    R"("redeem_max_percent":50,"multipliers":[{"name":"周一双倍","multiplier":2,)"
    R"("categories":[],"weekdays":[1],"segments":[],"starts_at":null,"ends_at":null}]})";

class PointsApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    PaymentApiTest::SetUp();
    marketing_ = StaffToken("marketer", Roles({StaffRole::kMarketing}));
  }
  ApiResponse MyPoints(const RegisteredCustomer& customer) {
    WaitForReadModels();
    ApiResponse points = Get("/api/v1/me/points", customer.token);
    EXPECT_EQ(points.status, 200) << Describe(points);
    return points;
  }
  std::string marketing_;
};

TEST_F(PointsApiTest, OpsSetTheProgrammeAndACustomerEarnsAndPaysWithPoints) {
  ApiResponse none = Get("/api/v1/staff/points-program", marketing_);
  ASSERT_EQ(none.status, 200) << Describe(none);
  EXPECT_EQ(none.json.at("version").as_int64(), 0);
  EXPECT_FALSE(none.json.at("enabled").as_bool());

  // Bad programmes: the engine's field, the shape's field, an unknown field.
  std::string bad = kProgram;
  bad.replace(bad.find(R"("multiplier":2)"), 14, R"("multiplier":11)");
  ApiResponse refused = Put("/api/v1/staff/points-program", bad, marketing_);
  EXPECT_EQ(refused.status, 422) << Describe(refused);
  EXPECT_EQ(refused.ErrorCode(), "POINTS_INVALID_PROGRAM");
  EXPECT_NE(refused.body.find("multipliers[0].multiplier"), std::string::npos) << refused.body;
  bad = kProgram;
  bad.replace(bad.find(R"("weekdays":[1])"), 14, R"("weekdays":[8])");
  EXPECT_EQ(Put("/api/v1/staff/points-program", bad, marketing_).ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(Put("/api/v1/staff/points-program",
                R"({"enabled":true,"earn_points_per_yuan":1,"redeem_points_per_yuan":100,)"
                R"("redeem_max_percent":50,"bonus":1})",
                marketing_)
                .ErrorCode(),
            "UNKNOWN_FIELD");

  ApiResponse set = Put("/api/v1/staff/points-program", kProgram, marketing_);
  ASSERT_EQ(set.status, 200) << Describe(set);
  EXPECT_EQ(set.json.at("version").as_int64(), 1);
  EXPECT_EQ(set.json.at("redeem_max_percent").as_int64(), 50);
  ASSERT_EQ(set.json.at("multipliers").as_array().size(), 1u);
  EXPECT_EQ(set.json.at("multipliers").at(0).at("weekdays").as_array().size(), 1u);
  EXPECT_EQ(set.json.at("multipliers").at(0).at("weekdays").at(0).as_int64(), 1);
  EXPECT_TRUE(set.json.at("multipliers").at(0).at("starts_at").is_null());

  const Merchant shop = ActiveMerchant("noodles");
  const std::string qr = StaticQr(shop);
  const Funded alice = Customer(1, 100'000);
  // ¥100 on a Monday earns 200 points.
  ApiResponse quote = Post("/api/v1/me/payments/quote", R"({"qr":")" + qr + R"(","amount":10000})",
                           alice.customer.token);
  ASSERT_EQ(quote.status, 200) << Describe(quote);
  EXPECT_EQ(quote.json.at("points").at("earn").as_int64(), 200);
  EXPECT_EQ(quote.json.at("points").at("balance").as_int64(), 0);
  EXPECT_EQ(quote.json.at("points").at("max_redeemable").as_int64(), 0);
  ApiResponse paid = Pay(alice.customer, PayBody(qr, 10'000), "earn-1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.json.at("points_earned").as_int64(), 200);
  EXPECT_EQ(paid.json.at("points_used").as_int64(), 0);

  ApiResponse points = MyPoints(alice.customer);
  EXPECT_TRUE(points.json.at("enabled").as_bool());
  EXPECT_EQ(points.json.at("balance").as_int64(), 200);
  EXPECT_EQ(points.json.at("value").as_int64(), 200);
  ASSERT_EQ(points.json.at("entries").as_array().size(), 1u);
  EXPECT_EQ(points.json.at("entries").at(0).at("kind").as_string(), "earn");
  EXPECT_EQ(points.json.at("entries").at(0).at("points").as_int64(), 200);
  EXPECT_EQ(points.json.at("entries").at(0).at("payment_id").as_string(), paid.String("id"));

  // ¥10 with points: at most half, so all 200 points pay ¥2; ¥8 cash earns 16.
  quote = Post("/api/v1/me/payments/quote", R"({"qr":")" + qr + R"(","amount":1000,"points":200})",
               alice.customer.token);
  ASSERT_EQ(quote.status, 200) << Describe(quote);
  EXPECT_EQ(quote.json.at("points").at("max_redeemable").as_int64(), 200);
  EXPECT_EQ(quote.json.at("points").at("used").as_int64(), 200);
  EXPECT_EQ(quote.json.at("points").at("discount").as_int64(), 200);
  EXPECT_EQ(quote.json.at("points").at("earn").as_int64(), 16);
  EXPECT_EQ(quote.json.at("pay").as_int64(), 800);
  EXPECT_TRUE(quote.json.at("rewards").as_array().empty());

  ApiResponse too_many =
      Pay(alice.customer, R"({"qr":")" + qr + R"(","currency":"CNY","amount":1000,"points":201})",
          "points-2");
  EXPECT_EQ(too_many.status, 409) << Describe(too_many);
  EXPECT_EQ(too_many.ErrorCode(), "POINTS_INSUFFICIENT");
  EXPECT_EQ(Pay(alice.customer,
                R"({"qr":")" + qr + R"(","currency":"CNY","amount":1000,"points":-1})", "points-3")
                .ErrorCode(),
            "FIELD_INVALID");
  const int64_t before =
      Get("/api/v1/me/balance", alice.customer.token).json.at("balance").as_int64();
  ApiResponse with_points =
      Pay(alice.customer, R"({"qr":")" + qr + R"(","currency":"CNY","amount":1000,"points":200})",
          "points-4");
  ASSERT_EQ(with_points.status, 201) << Describe(with_points);
  EXPECT_EQ(with_points.json.at("points_used").as_int64(), 200);
  EXPECT_EQ(with_points.json.at("points_discount").as_int64(), 200);
  EXPECT_EQ(with_points.json.at("paid").as_int64(), 800);
  EXPECT_EQ(with_points.json.at("points_earned").as_int64(), 16);
  EXPECT_EQ(before - Get("/api/v1/me/balance", alice.customer.token).json.at("balance").as_int64(),
            800);
  points = MyPoints(alice.customer);
  EXPECT_EQ(points.json.at("balance").as_int64(), 16);
  ASSERT_EQ(points.json.at("entries").as_array().size(), 3u);
  int64_t redeemed = 0;
  for (const auto& entry : points.json.at("entries").as_array()) {
    if (entry.at("kind").as_string() == "redeem") redeemed += entry.at("points").as_int64();
  }
  EXPECT_EQ(redeemed, -200);

  // Redemption switched off: a payment naming points is refused.
  std::string off = kProgram;
  off.replace(off.find(R"("redeem_points_per_yuan":100)"), 28, R"("redeem_points_per_yuan":0)");
  ASSERT_EQ(Put("/api/v1/staff/points-program", off, marketing_).status, 200);
  ApiResponse not_accepted =
      Pay(alice.customer, R"({"qr":")" + qr + R"(","currency":"CNY","amount":1000,"points":16})",
          "points-5");
  EXPECT_EQ(not_accepted.status, 400) << Describe(not_accepted);
  EXPECT_EQ(not_accepted.ErrorCode(), "POINTS_NOT_ACCEPTED");

  // Every change is audited; auditors read the programme, customers cannot.
  WaitForReadModels();
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  ApiResponse audit = Get("/api/v1/staff/audit?action=points.program_set", auditor);
  ASSERT_EQ(audit.status, 200) << Describe(audit);
  EXPECT_EQ(audit.json.at("entries").as_array().size(), 2u);
  EXPECT_EQ(Get("/api/v1/staff/points-program", auditor).status, 200);
  EXPECT_EQ(Put("/api/v1/staff/points-program", kProgram, auditor).status, 403);
  EXPECT_EQ(Get("/api/v1/staff/points-program", alice.customer.token).status, 401);
}

}  // namespace
}  // namespace qb::wallet::testing
