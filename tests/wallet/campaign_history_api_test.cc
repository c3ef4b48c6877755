// Campaigns measured against history over HTTP (issue 6). The dry run: a candidate campaign
// priced over the payments in the read models, its budget running out as it would have,
// nothing created or committed; coupon campaigns, bad configurations and bad bodies refused
// with stable codes; marketing only. The uplift: a live campaign's treated customers against
// its holdout group.
#include <gtest/gtest.h>

#include <string>

#include "marketing/campaign.h"
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

class CampaignHistoryApiTest : public PaymentApiTest {
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

TEST_F(CampaignHistoryApiTest, ACandidateIsPricedOverRealPaymentsAndNothingIsCommitted) {
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

TEST_F(CampaignHistoryApiTest, WhatCannotBeSimulatedIsRefusedWithItsCode) {
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

// A live campaign with a half holdout: customers in the treated half spend ¥30, those held out
// ¥20; the uplift compares GMV per customer of the two halves exactly.
TEST_F(CampaignHistoryApiTest, ALiveCampaignIsMeasuredAgainstItsHoldout) {
  const std::string campaign =
      R"({"name":"立减对照","type":"instant_discount","reward":{"shape":"fixed","fixed":100},)"
      R"("eligibility":{"starts_at":"2026-11-23T00:00:00Z","ends_at":"2026-12-31T00:00:00Z",)"
      R"("min_amount":1000,"holdout_percent":50},"caps":{"budget_total":100000}})";
  ApiResponse created = Post("/api/v1/staff/campaigns", campaign, Marketing());
  ASSERT_EQ(created.status, 201) << Describe(created);
  const std::string id = created.String("id");
  ASSERT_EQ(
      Post("/api/v1/staff/campaigns/" + id + "/status", R"({"status":"live"})", Marketing()).status,
      200);
  const Merchant shop = ActiveMerchant("noodles");
  const std::string qr = StaticQr(shop);
  constexpr int kCustomers = 8;
  int64_t treated = 0;
  int64_t held = 0;
  for (int serial = 1; serial <= kCustomers; serial++) {
    const Funded customer = Customer(serial, 10'000);
    const uint64_t customer_id = std::stoull(customer.customer.id);
    const bool held_out = marketing::HoldoutBucket(std::stoull(id), customer_id) < 50;
    (held_out ? held : treated)++;
    ApiResponse paid =
        Pay(customer.customer, PayBody(qr, held_out ? 2'000 : 3'000), "p" + std::to_string(serial));
    ASSERT_EQ(paid.status, 201) << Describe(paid);
    EXPECT_EQ(paid.json.at("discount").as_int64(), held_out ? 0 : 100);
  }
  ASSERT_GT(treated, 0);
  ASSERT_GT(held, 0);
  WaitForReadModels();
  ApiResponse uplift = Get("/api/v1/staff/campaigns/" + id + "/uplift", Marketing());
  ASSERT_EQ(uplift.status, 200) << Describe(uplift);
  EXPECT_EQ(uplift.json.at("holdout_percent").as_int64(), 50);
  const auto& t = uplift.json.at("treated");
  const auto& h = uplift.json.at("holdout");
  EXPECT_EQ(t.at("customers").as_int64(), treated);
  EXPECT_EQ(t.at("paying_customers").as_int64(), treated);
  EXPECT_EQ(t.at("payments").as_int64(), treated);
  EXPECT_EQ(t.at("gmv").as_int64(), treated * 3'000);
  EXPECT_EQ(t.at("gmv_per_customer").as_int64(), 3'000);
  EXPECT_EQ(h.at("customers").as_int64(), held);
  EXPECT_EQ(h.at("gmv").as_int64(), held * 2'000);
  // ¥30 against ¥20 a customer: +50 %.
  EXPECT_EQ(uplift.json.at("gmv_per_customer_uplift_bps").as_int64(), 5'000);

  // Campaigns without a holdout have nothing to compare; unknown ones are not found.
  ApiResponse plain =
      Post("/api/v1/staff/campaigns",
           R"({"name":"无对照","type":"instant_discount","reward":{"shape":"fixed",)"
           R"("fixed":100},"eligibility":{"starts_at":"2026-11-23T00:00:00Z",)"
           R"("ends_at":"2026-12-31T00:00:00Z"},"caps":{"budget_total":1000}})",
           Marketing());
  ASSERT_EQ(plain.status, 201) << Describe(plain);
  EXPECT_EQ(
      Get("/api/v1/staff/campaigns/" + plain.String("id") + "/uplift", Marketing()).ErrorCode(),
      "CAMPAIGN_NO_HOLDOUT");
  EXPECT_EQ(Get("/api/v1/staff/campaigns/999/uplift", Marketing()).status, 404);
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(Get("/api/v1/staff/campaigns/" + id + "/uplift", auditor).status, 200);
}

}  // namespace
}  // namespace qb::wallet::testing
