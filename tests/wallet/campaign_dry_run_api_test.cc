// The campaign dry run over HTTP (issue 6): a candidate campaign priced over the payments in the
// read models, its budget running out as it would have, nothing created or committed; coupon
// campaigns, bad configurations and bad bodies refused with stable codes; marketing only.
#include <gtest/gtest.h>

#include <string>

#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

// Ten minutes: less than a session's idle timeout.
constexpr int64_t kTenMinutes = int64_t{600} * 1'000'000'000;

std::string Candidate(std::string_view type, std::string_view reward, int64_t budget,
                      std::string_view extra = "") {
  // A window next month: the dry run prices it over the past anyway.
  return R"({"campaign":{"name":"试算","type":")" + std::string(type) + R"(","reward":)" +
         std::string(reward) +
         R"(,"eligibility":{"starts_at":"2026-12-20T00:00:00Z","ends_at":"2026-12-31T00:00:00Z",)"
         R"("min_amount":1000},"caps":{"budget_total":)" +
         std::to_string(budget) + "}}" + std::string(extra) + "}";
}

class CampaignDryRunApiTest : public PaymentApiTest {
 protected:
  // Staff sessions idle out sooner than the clock moves here: the marketer logs in on first use.
  const std::string& Marketing() {
    if (marketing_.empty()) marketing_ = StaffToken("marketer", Roles({StaffRole::kMarketing}));
    return marketing_;
  }
  ApiResponse DryRun(const std::string& body, std::string_view token = "") {
    return Post("/api/v1/staff/campaigns/dry-run", body, token.empty() ? Marketing() : token);
  }
  std::string marketing_;
};

TEST_F(CampaignDryRunApiTest, ACandidateIsPricedOverRealPaymentsAndNothingIsCommitted) {
  const Merchant shop = ActiveMerchant("noodles");
  const std::string qr = StaticQr(shop);
  const Funded alice = Customer(1, 100'000);
  const Funded bob = Customer(2, 100'000);
  // Four payments over twenty minutes, one under the candidate's ¥10 minimum.
  ASSERT_EQ(Pay(alice.customer, PayBody(qr, 5'000), "a1").status, 201);
  AdvanceClock(kTenMinutes);
  ASSERT_EQ(Pay(bob.customer, PayBody(qr, 999), "b1").status, 201);
  AdvanceClock(kTenMinutes);
  ASSERT_EQ(Pay(bob.customer, PayBody(qr, 2'000), "b2").status, 201);
  ASSERT_EQ(Pay(alice.customer, PayBody(qr, 3'000), "a2").status, 201);
  WaitForReadModels();

  // ¥3 off each payment of ¥10 or more, ¥5 of budget: 3.00, then the 2.00 left.
  ApiResponse run = DryRun(Candidate("instant_discount", R"({"shape":"fixed","fixed":300})", 500));
  ASSERT_EQ(run.status, 200) << Describe(run);
  EXPECT_EQ(run.json.at("days").as_int64(), 30);
  EXPECT_EQ(run.json.at("payments_scanned").as_int64(), 4);
  EXPECT_FALSE(run.json.at("truncated").as_bool());
  EXPECT_EQ(run.json.at("rewarded_payments").as_int64(), 2);
  EXPECT_EQ(run.json.at("customers_reached").as_int64(), 2);
  EXPECT_EQ(run.json.at("cost").as_int64(), 500);
  EXPECT_EQ(run.json.at("discount").as_int64(), 500);
  EXPECT_EQ(run.json.at("cashback").as_int64(), 0);
  EXPECT_EQ(run.json.at("gmv").as_int64(), 5'000 + 2'000);
  EXPECT_FALSE(run.json.at("budget_exhausted_at").is_null());
  ASSERT_EQ(run.json.at("by_day").as_array().size(), 1u);
  EXPECT_EQ(run.json.at("by_day").at(0).at("date").as_string(), "2026-11-23");
  EXPECT_EQ(run.json.at("by_day").at(0).at("cost").as_int64(), 500);
  EXPECT_EQ(run.json.at("notes").at(0).as_string(), "window_shifted_to_history");

  // 10 % cashback, one day of history, a big budget: every payment of ¥10 or more.
  run = DryRun(Candidate("cashback", R"({"shape":"percent","percent_bps":1000})", 1'000'000,
                         R"(,"days":1)"));
  ASSERT_EQ(run.status, 200) << Describe(run);
  EXPECT_EQ(run.json.at("days").as_int64(), 1);
  EXPECT_EQ(run.json.at("rewarded_payments").as_int64(), 3);
  EXPECT_EQ(run.json.at("cashback").as_int64(), 500 + 200 + 300);
  EXPECT_TRUE(run.json.at("budget_exhausted_at").is_null());

  // Nothing was created, nothing was spent.
  ApiResponse campaigns = Get("/api/v1/staff/campaigns", Marketing());
  ASSERT_EQ(campaigns.status, 200) << Describe(campaigns);
  EXPECT_TRUE(campaigns.json.at("items").as_array().empty());
  ApiResponse balance = Get("/api/v1/me/balance", alice.customer.token);
  EXPECT_EQ(balance.json.at("balance").as_int64(), 100'000 - 5'000 - 3'000);
}

TEST_F(CampaignDryRunApiTest, WhatCannotBeSimulatedIsRefusedWithItsCode) {
  ApiResponse coupons = DryRun(Candidate("threshold_coupon", R"({"shape":"none"})", 500));
  EXPECT_EQ(coupons.status, 422) << Describe(coupons);
  EXPECT_EQ(coupons.ErrorCode(), "CAMPAIGN_DRY_RUN_UNSUPPORTED");
  ApiResponse no_budget =
      DryRun(Candidate("instant_discount", R"({"shape":"fixed","fixed":300})", 0));
  EXPECT_EQ(no_budget.status, 422) << Describe(no_budget);
  EXPECT_EQ(no_budget.ErrorCode(), "CAMPAIGN_INVALID_BUDGET");
  EXPECT_EQ(DryRun(Candidate("instant_discount", R"({"shape":"fixed","fixed":300})", 500,
                             R"(,"days":31)"))
                .ErrorCode(),
            "FIELD_INVALID");
  EXPECT_EQ(DryRun(R"({"days":3})").ErrorCode(), "FIELD_REQUIRED");
  EXPECT_EQ(DryRun(Candidate("instant_discount", R"({"shape":"fixed","fixed":300})", 500,
                             R"(,"launch":true)"))
                .ErrorCode(),
            "UNKNOWN_FIELD");
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(DryRun(Candidate("instant_discount", R"({"shape":"fixed","fixed":300})", 500), auditor)
                .status,
            403);
}

}  // namespace
}  // namespace qb::wallet::testing
