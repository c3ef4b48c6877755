// The marketing API over HTTP (issue 6): staff create campaigns and coupon templates, customers
// see offers, claim coupons, get a quote and pay with a coupon; the real engine, ledger and
// campaign book underneath.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

// The fixture's clock starts 2026-11-23T01:00:00Z; campaigns run around it.
constexpr char kWindow[] =
    R"("starts_at":"2026-11-23T00:00:00Z","ends_at":"2026-12-31T00:00:00+08:00")";

std::string FirstOrderCampaign(int64_t budget = 100'000) {
  return R"({"name":"首单立减","type":"first_order",)"
         R"("reward":{"shape":"fixed","fixed":500,"first_order_scope":"ever"},)"
         R"("eligibility":{)" +
         std::string(kWindow) + R"(},"caps":{"budget_total":)" + std::to_string(budget) + "}}";
}

std::string CouponCampaign() {
  return R"({"name":"满50减10","type":"threshold_coupon","reward":{"shape":"none"},)"
         R"("eligibility":{)" +
         std::string(kWindow) +
         R"(,"channels":["qr","online"]},)"
         R"("caps":{"budget_total":100000,"customer_count_lifetime":5}})";
}

std::string ThresholdTemplate(std::string_view campaign_id, int64_t stock, int limit) {
  return R"({"campaign_id":")" + std::string(campaign_id) +
         R"(","name":"满50减10","kind":"threshold","threshold":5000,"save":1000,"stock":)" +
         std::to_string(stock) +
         R"(,"validity":{"kind":"fixed_window","valid_from":"2026-11-23T00:00:00Z",)"
         R"("valid_until":"2026-12-31T00:00:00Z"},"claim_starts_at":"2026-11-23T00:00:00Z",)"
         R"("claim_ends_at":"2026-12-30T00:00:00Z","per_customer_limit":)" +
         std::to_string(limit) + "}";
}

class MarketingApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    PaymentApiTest::SetUp();
    marketing_ = StaffToken("marketer", Roles({StaffRole::kMarketing}));
  }

  // A campaign created and moved to "live"; its id.
  std::string LiveCampaign(const std::string& body) {
    ApiResponse created = Post("/api/v1/staff/campaigns", body, marketing_);
    EXPECT_EQ(created.status, 201) << Describe(created);
    EXPECT_EQ(created.String("status"), "draft");
    const std::string id = created.String("id");
    ApiResponse live =
        Post("/api/v1/staff/campaigns/" + id + "/status", R"({"status":"live"})", marketing_);
    EXPECT_EQ(live.status, 200) << Describe(live);
    EXPECT_EQ(live.String("status"), "live");
    return id;
  }

  int64_t Balance(const RegisteredCustomer& customer) {
    ApiResponse balance = Get("/api/v1/me/balance", customer.token);
    EXPECT_EQ(balance.status, 200) << Describe(balance);
    return balance.json.at("balance").as_int64();
  }

  const boost::json::object& Figures(const std::string& campaign_id) {
    last_ = Get("/api/v1/staff/campaigns/" + campaign_id, marketing_);
    EXPECT_EQ(last_.status, 200) << Describe(last_);
    return last_.json.at("figures").as_object();
  }

  // A customer signed up through a channel's link (e.g. "outreach": the field team's).
  RegisteredCustomer SignUpVia(const std::string& phone, std::string_view channel) {
    RegisteredCustomer customer;
    customer.phone = phone;
    customer.password = std::string(kDefaultPassword);
    ApiResponse signed_up =
        Post("/api/v1/customers", R"({"phone":")" + phone + R"(","otp":")" + RequestOtp(phone) +
                                      R"(","password":")" + customer.password + R"(","channel":")" +
                                      std::string(channel) + R"("})");
    EXPECT_EQ(signed_up.status, 201) << Describe(signed_up);
    customer.token = signed_up.String("token");
    customer.id = std::string(signed_up.json.at("customer").at("id").as_string());
    return customer;
  }

  std::string marketing_;
  ApiResponse last_;
};

TEST_F(MarketingApiTest, FirstOrderAndCouponFromOffersToPayment) {
  const std::string first_order = LiveCampaign(FirstOrderCampaign());
  const std::string coupons = LiveCampaign(CouponCampaign());
  ApiResponse created_template =
      Post("/api/v1/staff/coupon-templates", ThresholdTemplate(coupons, 100, 1), marketing_);
  ASSERT_EQ(created_template.status, 201) << Describe(created_template);
  const std::string template_id = created_template.String("id");
  EXPECT_EQ(created_template.String("campaign_id"), coupons);
  EXPECT_EQ(created_template.json.at("remaining").as_int64(), 100);
  EXPECT_EQ(created_template.json.at("validity").at("kind").as_string(), "fixed_window");

  ApiResponse listed = Get("/api/v1/staff/campaigns", marketing_);
  ASSERT_EQ(listed.status, 200) << Describe(listed);
  ASSERT_EQ(listed.json.at("items").as_array().size(), 2u);
  EXPECT_EQ(listed.json.at("items").at(0).at("id").as_string(), coupons);  // Newest first.
  EXPECT_EQ(listed.json.at("items").at(1).at("eligibility").at("hours").as_array().size(), 24u);

  const Merchant shop = ActiveMerchant("noodles");
  const Funded alice = Customer(1, 100'000);
  ApiResponse offers = Get("/api/v1/me/offers", alice.customer.token);
  ASSERT_EQ(offers.status, 200) << Describe(offers);
  bool sees_first_order = false;
  for (const auto& c : offers.json.at("campaigns").as_array()) {
    sees_first_order |= c.at("id").as_string() == first_order;
  }
  EXPECT_TRUE(sees_first_order) << offers.body;
  ASSERT_EQ(offers.json.at("coupon_templates").as_array().size(), 1u);
  const auto& offered = offers.json.at("coupon_templates").at(0);
  EXPECT_EQ(offered.at("id").as_string(), template_id);
  EXPECT_TRUE(offered.at("claimable").as_bool());
  EXPECT_EQ(offered.at("claimed_by_me").as_int64(), 0);

  ApiResponse claimed = Post("/api/v1/me/coupons", R"({"template_id":")" + template_id + R"("})",
                             alice.customer.token);
  ASSERT_EQ(claimed.status, 201) << Describe(claimed);
  const std::string coupon_id = claimed.String("id");
  EXPECT_EQ(claimed.String("state"), "available");
  EXPECT_EQ(claimed.json.at("save").as_int64(), 1000);
  ApiResponse again = Post("/api/v1/me/coupons", R"({"template_id":")" + template_id + R"("})",
                           alice.customer.token);
  EXPECT_EQ(again.status, 409) << Describe(again);
  EXPECT_EQ(again.ErrorCode(), "COUPON_CLAIM_LIMIT");

  const std::string qr = StaticQr(shop);
  // Without naming the coupon: the first-order discount only, and the coupon suggested.
  ApiResponse plain = Post("/api/v1/me/payments/quote", R"({"qr":")" + qr + R"(","amount":10000})",
                           alice.customer.token);
  ASSERT_EQ(plain.status, 200) << Describe(plain);
  EXPECT_EQ(plain.json.at("discount").as_int64(), 500);
  EXPECT_TRUE(plain.json.at("coupon_id").is_null());
  EXPECT_EQ(plain.String("best_coupon_id"), coupon_id);
  ApiResponse quote =
      Post("/api/v1/me/payments/quote",
           R"({"qr":")" + qr + R"(","amount":10000,"coupon_id":")" + coupon_id + R"("})",
           alice.customer.token);
  ASSERT_EQ(quote.status, 200) << Describe(quote);
  EXPECT_EQ(quote.json.at("amount").as_int64(), 10'000);
  EXPECT_EQ(quote.json.at("discount").as_int64(), 1'500);
  EXPECT_EQ(quote.json.at("pay").as_int64(), 8'500);
  EXPECT_EQ(quote.json.at("cashback").as_int64(), 0);
  EXPECT_EQ(quote.String("coupon_id"), coupon_id);
  EXPECT_EQ(quote.json.at("rewards").as_array().size(), 2u);

  const int64_t before = Balance(alice.customer);
  ApiResponse paid = Pay(alice.customer,
                         R"({"qr":")" + qr + R"(","currency":"CNY","amount":10000,"coupon_id":")" +
                             coupon_id + R"("})",
                         "pay-with-coupon");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.json.at("amount").as_int64(), 10'000);
  EXPECT_EQ(paid.json.at("discount").as_int64(), 1'500);
  EXPECT_EQ(paid.json.at("paid").as_int64(), 8'500);
  EXPECT_EQ(paid.json.at("cashback").as_int64(), 0);
  EXPECT_EQ(paid.String("coupon_id"), coupon_id);
  EXPECT_EQ(before - Balance(alice.customer), paid.json.at("paid").as_int64());

  const boost::json::object& first_figures = Figures(first_order);
  EXPECT_EQ(first_figures.at("spent").as_int64(), 500);
  EXPECT_EQ(first_figures.at("remaining").as_int64(), 100'000 - 500);
  EXPECT_EQ(first_figures.at("rewarded_payments").as_int64(), 1);
  EXPECT_EQ(first_figures.at("new_customers").as_int64(), 1);
  EXPECT_EQ(first_figures.at("gmv").as_int64(), 10'000);
  EXPECT_EQ(first_figures.at("cost_per_new_customer").as_int64(), 500);
  const boost::json::object& coupon_figures = Figures(coupons);
  EXPECT_EQ(coupon_figures.at("spent").as_int64(), 1'000);
  EXPECT_EQ(coupon_figures.at("rewarded_payments").as_int64(), 1);
  EXPECT_FALSE(coupon_figures.contains("new_customers"));

  ApiResponse mine = Get("/api/v1/me/coupons", alice.customer.token);
  ASSERT_EQ(mine.status, 200) << Describe(mine);
  ASSERT_EQ(mine.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(mine.json.at("items").at(0).at("state").as_string(), "redeemed");

  // The payment's own page says the same.
  WaitForReadModels();
  ApiResponse detail = Get("/api/v1/me/payments/" + paid.String("id"), alice.customer.token);
  ASSERT_EQ(detail.status, 200) << Describe(detail);
  EXPECT_EQ(detail.json.at("paid").as_int64(), 8'500);
  EXPECT_EQ(detail.String("coupon_id"), coupon_id);

  // The second payment is no first order, and the coupon is spent.
  ApiResponse second = Post("/api/v1/me/payments/quote", R"({"qr":")" + qr + R"(","amount":10000})",
                            alice.customer.token);
  ASSERT_EQ(second.status, 200) << Describe(second);
  EXPECT_EQ(second.json.at("discount").as_int64(), 0);
  EXPECT_TRUE(second.json.at("best_coupon_id").is_null());
}

TEST_F(MarketingApiTest, ValidationNotFoundAndRoles) {
  // A configuration the book refuses: 422 with the book's code, the field in the message.
  ApiResponse bad = Post("/api/v1/staff/campaigns", FirstOrderCampaign(0), marketing_);
  EXPECT_EQ(bad.status, 422) << Describe(bad);
  EXPECT_EQ(bad.ErrorCode(), "CAMPAIGN_INVALID_BUDGET");
  EXPECT_NE(bad.body.find("caps.budget_total"), std::string::npos) << bad.body;
  std::string window = FirstOrderCampaign();
  window.replace(window.find("2026-12-31T00:00:00+08:00"), 25, "2026-11-01T00:00:00+08:00");
  EXPECT_EQ(Post("/api/v1/staff/campaigns", window, marketing_).ErrorCode(),
            "CAMPAIGN_INVALID_WINDOW");
  // Shape errors are the API's own.
  std::string unknown = FirstOrderCampaign();
  unknown.insert(1, R"("colour":"red",)");
  EXPECT_EQ(Post("/api/v1/staff/campaigns", unknown, marketing_).ErrorCode(), "UNKNOWN_FIELD");
  std::string late = FirstOrderCampaign();
  late.replace(late.find("2026-11-23T00:00:00Z"), 20, "2026-11-31T00:00:00Z");
  EXPECT_EQ(Post("/api/v1/staff/campaigns", late, marketing_).ErrorCode(), "FIELD_INVALID");

  ApiResponse missing = Get("/api/v1/staff/campaigns/999", marketing_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.ErrorCode(), "CAMPAIGN_NOT_FOUND");
  EXPECT_EQ(Post("/api/v1/staff/campaigns/999/status", R"({"status":"live"})", marketing_).status,
            404);

  // The total budget changes only by a top-up.
  const std::string id = LiveCampaign(FirstOrderCampaign());
  ApiResponse raised =
      Put("/api/v1/staff/campaigns/" + id, FirstOrderCampaign(200'000), marketing_);
  EXPECT_EQ(raised.status, 409) << Describe(raised);
  EXPECT_EQ(raised.ErrorCode(), "CAMPAIGN_BUDGET_USE_TOP_UP");
  std::string renamed = FirstOrderCampaign();
  renamed.replace(renamed.find("首单立减"), std::string("首单立减").size(), "新客立减");
  ApiResponse updated = Put("/api/v1/staff/campaigns/" + id, renamed, marketing_);
  ASSERT_EQ(updated.status, 200) << Describe(updated);
  EXPECT_EQ(updated.String("name"), "新客立减");
  EXPECT_EQ(updated.String("status"), "live");
  EXPECT_EQ(Post("/api/v1/staff/campaigns/" + id + "/status", R"({"status":"draft"})", marketing_)
                .ErrorCode(),
            "CAMPAIGN_INVALID_TRANSITION");
  ApiResponse ended =
      Post("/api/v1/staff/campaigns/" + id + "/status", R"({"status":"ended"})", marketing_);
  ASSERT_EQ(ended.status, 200) << Describe(ended);
  EXPECT_EQ(ended.json.at("returned").as_int64(), 100'000);
  EXPECT_EQ(ended.json.at("figures").at("budget_total").as_int64(), 0);

  // Who may call what.
  const Funded alice = Customer(1, 1'000);
  EXPECT_EQ(Get("/api/v1/staff/campaigns", alice.customer.token).status, 401);
  EXPECT_EQ(Get("/api/v1/staff/campaigns").status, 401);
  const std::string support = StaffToken("support", Roles({StaffRole::kSupport}));
  EXPECT_EQ(Get("/api/v1/staff/campaigns", support).status, 403);
  EXPECT_EQ(Post("/api/v1/staff/campaigns", FirstOrderCampaign(), support).status, 403);
  const std::string auditor = StaffToken("auditor", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(Get("/api/v1/staff/campaigns", auditor).status, 200);
  EXPECT_EQ(Get("/api/v1/staff/coupon-templates", auditor).status, 200);
  EXPECT_EQ(Post("/api/v1/staff/campaigns", FirstOrderCampaign(), auditor).status, 403);
  EXPECT_EQ(Post("/api/v1/staff/campaigns", FirstOrderCampaign(), admin_).status, 201);
  // Customers' routes want a customer.
  EXPECT_EQ(Get("/api/v1/me/offers", marketing_).status, 401);
}

TEST_F(MarketingApiTest, TopUpWithOneKeyMovesMoneyOnce) {
  const std::string id = LiveCampaign(FirstOrderCampaign(10'000));
  const std::string target = "/api/v1/staff/campaigns/" + id + "/top-ups";
  const std::string body = R"({"amount":5000,"currency":"CNY"})";
  EXPECT_EQ(Post(target, body, marketing_).ErrorCode(), "IDEMPOTENCY_KEY_REQUIRED");
  ApiResponse first = Post(target, body, marketing_, "top-up-1");
  ASSERT_EQ(first.status, 200) << Describe(first);
  EXPECT_EQ(first.json.at("caps").at("budget_total").as_int64(), 15'000);
  ApiResponse retry = Post(target, body, marketing_, "top-up-1");
  ASSERT_EQ(retry.status, 200) << Describe(retry);
  EXPECT_EQ(retry.json.at("caps").at("budget_total").as_int64(), 15'000);
  EXPECT_EQ(Post(target, R"({"amount":6000,"currency":"CNY"})", marketing_, "top-up-1").ErrorCode(),
            "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(Figures(id).at("budget_total").as_int64(), 15'000);
  ApiResponse second = Post(target, body, marketing_, "top-up-2");
  ASSERT_EQ(second.status, 200) << Describe(second);
  EXPECT_EQ(Figures(id).at("remaining").as_int64(), 20'000);
  // The campaign's budget account holds exactly that.
  auto balance = std::make_shared<int64_t>(-1);
  const uint64_t account = engine::kCampaignBudgetAccountBase + std::stoull(id);
  engine_->Execute(engine::Query{[balance, account](const engine::StateMachine& s) {
    if (const ledger::Account* a = s.ledger().FindAccount(account)) *balance = a->CreditBalance();
  }});
  EXPECT_EQ(*balance, 20'000);
}

TEST_F(MarketingApiTest, ACoFundedCampaignShowsEachSidesShareAndSettlesIt) {
  const Merchant shop = ActiveMerchant("noodles");
  const Merchant other = ActiveMerchant("teahouse");
  const std::string id = LiveCampaign(
      R"({"name":"面馆立减","type":"instant_discount","reward":{"shape":"fixed","fixed":500},)"
      R"("eligibility":{)" +
      std::string(kWindow) + R"(,"merchant_ids":[")" + shop.id +
      R"("]},"caps":{"budget_total":10000}})");
  EXPECT_TRUE(Get("/api/v1/staff/campaigns/" + id, marketing_).json.at("co_funding").is_null());
  const Funded alice = Customer(1, 100'000);
  ApiResponse paid = Pay(alice.customer, PayBody(StaticQr(shop), 10'000), "pay-1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  ASSERT_EQ(Pay(alice.customer, PayBody(StaticQr(other), 10'000), "pay-2").status, 201);

  const std::string target = "/api/v1/staff/campaigns/" + id + "/top-ups";
  auto from = [](const Merchant& m) {
    return R"({"amount":3000,"currency":"CNY","merchant_id":")" + m.id + R"("})";
  };
  ApiResponse refused = Post(target, from(other), marketing_, "co-0");
  EXPECT_EQ(refused.status, 422) << Describe(refused);
  EXPECT_EQ(refused.ErrorCode(), "CAMPAIGN_COFUND_MERCHANT_NOT_TARGETED");
  ApiResponse funded = Post(target, from(shop), marketing_, "co-1");
  ASSERT_EQ(funded.status, 200) << Describe(funded);

  // 13,000 in (10,000 by the bank, 3,000 by the shop), 500 spent. Were it to end now, the shop
  // would get ⌊12,500 × 3/13⌋ = 2,884 back: its cost so far is 116, the bank's 384.
  const boost::json::object co = funded.json.at("co_funding").as_object();
  EXPECT_EQ(co.at("funded").as_int64(), 13'000);
  EXPECT_EQ(co.at("cost").as_int64(), 500);
  EXPECT_FALSE(co.at("settled").as_bool());
  const boost::json::array& funders = co.at("funders").as_array();
  ASSERT_EQ(funders.size(), 2u);
  EXPECT_EQ(funders.at(0).at("kind").as_string(), "bank");
  EXPECT_EQ(funders.at(0).at("funded").as_int64(), 10'000);
  EXPECT_EQ(funders.at(0).at("cost").as_int64(), 384);
  EXPECT_EQ(funders.at(1).at("merchant_id").as_string(), shop.id);
  EXPECT_EQ(funders.at(1).at("name").as_string(), "福州小吃店");
  EXPECT_EQ(funders.at(1).at("cost").as_int64(), 116);
  EXPECT_EQ(funders.at(1).at("returned").as_int64(), 2'884);

  // The merchant sees its own side, and no other funder's; a merchant that put nothing in sees
  // nothing.
  ApiResponse mine = Get("/api/v1/merchant/co-funded-campaigns", shop.token);
  ASSERT_EQ(mine.status, 200) << Describe(mine);
  ASSERT_EQ(mine.json.at("items").as_array().size(), 1u);
  const boost::json::object& side = mine.json.at("items").at(0).as_object();
  EXPECT_EQ(side.at("campaign_id").as_string(), id);
  EXPECT_EQ(side.at("campaign_funded").as_int64(), 13'000);
  EXPECT_EQ(side.at("funded").as_int64(), 3'000);
  EXPECT_EQ(side.at("cost").as_int64(), 116);
  EXPECT_EQ(side.at("returned").as_int64(), 2'884);
  EXPECT_FALSE(side.contains("funders"));
  ApiResponse none = Get("/api/v1/merchant/co-funded-campaigns", other.token);
  ASSERT_EQ(none.status, 200) << Describe(none);
  EXPECT_TRUE(none.json.at("items").as_array().empty());
  EXPECT_EQ(Get("/api/v1/merchant/co-funded-campaigns", "").status, 401);

  // The merchants it applies at are fixed now.
  ApiResponse widened = Put("/api/v1/staff/campaigns/" + id,
                            R"({"name":"面馆立减","type":"instant_discount",)"
                            R"("reward":{"shape":"fixed","fixed":500},"eligibility":{)" +
                                std::string(kWindow) + R"(,"merchant_ids":[")" + shop.id +
                                R"(",")" + other.id + R"("]},"caps":{"budget_total":13000}})",
                            marketing_);
  EXPECT_EQ(widened.ErrorCode(), "CAMPAIGN_COFUNDED_MERCHANTS_FIXED") << Describe(widened);

  ApiResponse ended =
      Post("/api/v1/staff/campaigns/" + id + "/status", R"({"status":"ended"})", marketing_);
  ASSERT_EQ(ended.status, 200) << Describe(ended);
  EXPECT_EQ(ended.json.at("returned").as_int64(), 12'500);
  const boost::json::object& settled = ended.json.at("co_funding").as_object();
  EXPECT_TRUE(settled.at("settled").as_bool());
  EXPECT_EQ(settled.at("funders").at(0).at("returned").as_int64(), 9'616);
  EXPECT_EQ(settled.at("funders").at(1).at("returned").as_int64(), 2'884);
  ApiResponse after = Get("/api/v1/merchant/co-funded-campaigns", shop.token);
  ASSERT_EQ(after.status, 200) << Describe(after);
  EXPECT_TRUE(after.json.at("items").at(0).at("settled").as_bool());
  EXPECT_EQ(after.json.at("items").at(0).at("returned").as_int64(), 2'884);
  // In the shop's balance: ¥100 less the ¥0.60 fee, less the 3,000 it put in, plus 2,884.
  auto balance = std::make_shared<int64_t>(-1);
  engine_->Execute(
      engine::Query{[balance, merchant = std::stoull(shop.id)](const engine::StateMachine& s) {
        const payments::Merchant* found = s.payments().FindMerchant(merchant);
        *balance = s.ledger().FindAccount(found->account_id)->CreditBalance();
      }});
  EXPECT_EQ(*balance, 10'000 - 60 - 3'000 + 2'884);
}

// The live figures count distinct customers (the read models join the campaign's reward
// transfers to their payments): two payments by one customer count once, and a payment
// refunded in full no longer counts.
TEST_F(MarketingApiTest, TheFiguresCountEachRewardedCustomerOnce) {
  const std::string id = LiveCampaign(
      R"({"name":"立减","type":"instant_discount","reward":{"shape":"fixed","fixed":200},)"
      R"("eligibility":{)" +
      std::string(kWindow) + R"(},"caps":{"budget_total":100000}})");
  EXPECT_EQ(Figures(id).at("reward_customers").as_int64(), 0);
  EXPECT_TRUE(Figures(id).at("cost_per_customer").is_null());
  const Merchant shop = ActiveMerchant("noodles");
  const Funded alice = Customer(1, 100'000);
  const Funded bob = Customer(2, 100'000);
  const Funded carol = Customer(3, 100'000);
  ASSERT_EQ(Pay(alice.customer, PayBody(StaticQr(shop), 3'000), "a-1").status, 201);
  ASSERT_EQ(Pay(alice.customer, PayBody(StaticQr(shop), 4'000), "a-2").status, 201);
  ASSERT_EQ(Pay(bob.customer, PayBody(StaticQr(shop), 5'000), "b-1").status, 201);
  ApiResponse carols = Pay(carol.customer, PayBody(StaticQr(shop), 6'000), "c-1");
  ASSERT_EQ(carols.status, 201) << Describe(carols);
  EXPECT_EQ(Figures(id).at("reward_customers").as_int64(), 3);
  // Carol's payment refunded in full: her reward is taken back and she no longer counts.
  ApiResponse refund = Refund(shop, carols.String("id"), 5'800, "refund-c-1");
  ASSERT_EQ(refund.status, 201) << Describe(refund);
  const boost::json::object& figures = Figures(id);
  EXPECT_EQ(figures.at("rewarded_payments").as_int64(), 3);
  EXPECT_EQ(figures.at("reward_customers").as_int64(), 2);
  EXPECT_EQ(figures.at("spent").as_int64(), 600);
  EXPECT_EQ(figures.at("cost_per_customer").as_int64(), 300);
}

TEST_F(MarketingApiTest, ARegionCampaignAppliesWhereTheMerchantWasRegistered) {
  auto instant = [](std::string_view name, int64_t fen, std::string_view regions) {
    return R"({"name":")" + std::string(name) +
           R"(","type":"instant_discount","reward":{"shape":"fixed","fixed":)" +
           std::to_string(fen) + R"(},"eligibility":{)" + std::string(kWindow) + R"(,"regions":[)" +
           std::string(regions) + R"(]},"caps":{"budget_total":100000}})";
  };
  EXPECT_EQ(Post("/api/v1/staff/campaigns", instant("bad", 100, "12"), marketing_).ErrorCode(),
            "FIELD_INVALID");
  // The shop's credit code (91350100…) was issued in Fuzhou, 350100: in Fujian, not in Beijing.
  const std::string fujian = LiveCampaign(instant("福建立减", 500, "350000"));
  LiveCampaign(instant("北京立减", 300, "110000"));
  ApiResponse read = Get("/api/v1/staff/campaigns/" + fujian, marketing_);
  EXPECT_EQ(read.json.at("eligibility").at("regions").at(0).as_int64(), 350'000);
  const Merchant shop = ActiveMerchant("noodles");
  const Funded alice = Customer(1, 100'000);
  ApiResponse paid = Pay(alice.customer, PayBody(StaticQr(shop), 10'000), "pay-1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.json.at("discount").as_int64(), 500) << paid.body;
}

TEST_F(MarketingApiTest, TemplatesListAndBulkIssue) {
  const std::string coupons = LiveCampaign(CouponCampaign());
  ApiResponse created =
      Post("/api/v1/staff/coupon-templates", ThresholdTemplate(coupons, 3, 1), marketing_);
  ASSERT_EQ(created.status, 201) << Describe(created);
  const std::string template_id = created.String("id");
  std::string bad = ThresholdTemplate(coupons, 0, 1);
  ApiResponse refused = Post("/api/v1/staff/coupon-templates", bad, marketing_);
  EXPECT_EQ(refused.status, 422) << Describe(refused);
  EXPECT_EQ(refused.ErrorCode(), "COUPON_INVALID_STOCK");

  const Funded alice = Customer(1, 1'000);
  const Funded bob = Customer(2, 1'000);
  ApiResponse issued =
      Post("/api/v1/staff/coupon-templates/" + template_id + "/issues",
           R"({"customer_ids":[")" + alice.customer.id + R"(",")" + bob.customer.id + R"("]})",
           marketing_);
  ASSERT_EQ(issued.status, 200) << Describe(issued);
  EXPECT_EQ(issued.json.at("issued").as_int64(), 2);
  EXPECT_EQ(
      Post("/api/v1/staff/coupon-templates/" + template_id + "/issues",
           R"({"customer_ids":[")" + alice.customer.id + R"(",")" + bob.customer.id + R"("]})",
           marketing_)
          .ErrorCode(),
      "COUPON_OUT_OF_STOCK");
  ApiResponse listed = Get("/api/v1/staff/coupon-templates?campaign_id=" + coupons, marketing_);
  ASSERT_EQ(listed.status, 200) << Describe(listed);
  ASSERT_EQ(listed.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(listed.json.at("items").at(0).at("claimed").as_int64(), 2);
  EXPECT_EQ(listed.json.at("items").at(0).at("remaining").as_int64(), 1);
  EXPECT_EQ(Get("/api/v1/staff/coupon-templates?campaign_id=999", marketing_)
                .json.at("items")
                .as_array()
                .size(),
            0u);
  EXPECT_EQ(Get("/api/v1/me/coupons", bob.customer.token).json.at("items").as_array().size(), 1u);
}

// A list ops uploaded as a CSV, sent as phones: each open customer listed gets one coupon;
// unknown numbers, non-numbers and repeats are reported, not issued.
TEST_F(MarketingApiTest, CouponsIssueToAListOfPhones) {
  const std::string coupons = LiveCampaign(CouponCampaign());
  ApiResponse created =
      Post("/api/v1/staff/coupon-templates", ThresholdTemplate(coupons, 10, 1), marketing_);
  ASSERT_EQ(created.status, 201) << Describe(created);
  const std::string path = "/api/v1/staff/coupon-templates/" + created.String("id") + "/issues";
  const RegisteredCustomer alice = RegisterCustomer(Phone(1));
  const RegisteredCustomer bob = RegisterCustomer(Phone(2));
  // Bob's number as people write it, Alice's twice, a stranger and a word.
  const std::string bob_written = "+86 " + bob.phone.substr(0, 3) + " " + bob.phone.substr(3);
  ApiResponse issued = Post(path,
                            R"({"phones":[")" + alice.phone + R"(",")" + bob_written + R"(",")" +
                                alice.phone + R"(","13912345678","call me"]})",
                            marketing_);
  ASSERT_EQ(issued.status, 200) << Describe(issued);
  EXPECT_EQ(issued.json.at("issued").as_int64(), 2);
  EXPECT_FALSE(issued.json.at("first_coupon_id").is_null());
  EXPECT_EQ(issued.json.at("duplicates").as_int64(), 1);
  ASSERT_EQ(issued.json.at("not_found").as_array().size(), 1u);
  EXPECT_EQ(issued.json.at("not_found").at(0).as_string(), "13912345678");
  ASSERT_EQ(issued.json.at("invalid").as_array().size(), 1u);
  EXPECT_EQ(issued.json.at("invalid").at(0).as_string(), "call me");
  EXPECT_EQ(Get("/api/v1/me/coupons", alice.token).json.at("items").as_array().size(), 1u);
  EXPECT_EQ(Get("/api/v1/me/coupons", bob.token).json.at("items").as_array().size(), 1u);
  // Nobody found: nothing issued, still an answer with the lists.
  ApiResponse none = Post(path, R"({"phones":["13912345678"]})", marketing_);
  ASSERT_EQ(none.status, 200) << Describe(none);
  EXPECT_EQ(none.json.at("issued").as_int64(), 0);
  EXPECT_TRUE(none.json.at("first_coupon_id").is_null());
  EXPECT_EQ(Post(path, R"({"phones":[]})", marketing_).ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(Post(path, R"({"phones":[13800138000]})", marketing_).ErrorCode(), "FIELD_INVALID");
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(Post(path, R"({"phones":["13912345678"]})", auditor).status, 403);
}

// Redeem codes: a batch made, listed and downloaded by ops; a code typed in any case with
// spaces gives one coupon, once; a code with a wrong MAC does not exist.
TEST_F(MarketingApiTest, RedeemCodesFromABatchGiveOneCouponEach) {
  const std::string coupons = LiveCampaign(CouponCampaign());
  ApiResponse created =
      Post("/api/v1/staff/coupon-templates", ThresholdTemplate(coupons, 100, 5), marketing_);
  ASSERT_EQ(created.status, 201) << Describe(created);
  const std::string template_id = created.String("id");
  const std::string batches = "/api/v1/staff/coupon-templates/" + template_id + "/code-batches";
  EXPECT_EQ(Post(batches, R"({"count":101})", marketing_).ErrorCode(), "COUPON_OUT_OF_STOCK");
  EXPECT_EQ(Post(batches, R"({"count":0})", marketing_).ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(Post("/api/v1/staff/coupon-templates/999/code-batches", R"({"count":1})", marketing_)
                .ErrorCode(),
            "COUPON_TEMPLATE_NOT_FOUND");
  ApiResponse batch = Post(batches, R"({"count":50})", marketing_);
  ASSERT_EQ(batch.status, 201) << Describe(batch);
  EXPECT_EQ(batch.json.at("count").as_int64(), 50);
  EXPECT_EQ(batch.json.at("redeemed").as_int64(), 0);
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(Get(batch.String("download"), auditor).status, 403);
  ApiResponse file = Get(batch.String("download"), marketing_);
  ASSERT_EQ(file.status, 200) << Describe(file);
  std::vector<std::string> codes;
  for (size_t at = file.body.find('\n') + 1; at < file.body.size();) {
    const size_t end = file.body.find('\n', at);
    codes.push_back(file.body.substr(at, end - at));
    at = end + 1;
  }
  ASSERT_EQ(codes.size(), 50u);
  EXPECT_EQ(file.body.substr(0, 5), "code\n");
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 50u);
  for (const std::string& code : codes) {
    ASSERT_EQ(code.size(), 19u) << code;
    EXPECT_EQ(code[4], '-');
  }

  const RegisteredCustomer alice = RegisterCustomer(Phone(1));
  // Lower case, spaces for hyphens: the same code.
  std::string typed = codes[7];
  for (char& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::tolower(c));
  ApiResponse redeemed =
      Post("/api/v1/me/coupon-codes", R"({"code":")" + typed + R"("})", alice.token);
  ASSERT_EQ(redeemed.status, 201) << Describe(redeemed);
  EXPECT_EQ(redeemed.String("template_id"), template_id);
  EXPECT_EQ(
      Post("/api/v1/me/coupon-codes", R"({"code":")" + codes[7] + R"("})", alice.token).ErrorCode(),
      "COUPON_CODE_USED");
  // One digit of the MAC changed: answered as no code at all.
  std::string forged = codes[8];
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(
      Post("/api/v1/me/coupon-codes", R"({"code":")" + forged + R"("})", alice.token).ErrorCode(),
      "COUPON_CODE_INVALID");
  EXPECT_EQ(Post("/api/v1/me/coupon-codes", R"({"code":"hello"})", alice.token).ErrorCode(),
            "COUPON_CODE_INVALID");
  ASSERT_EQ(
      Post("/api/v1/me/coupon-codes", R"({"code":")" + codes[8] + R"("})", alice.token).status,
      201);
  EXPECT_EQ(Get("/api/v1/me/coupons", alice.token).json.at("items").as_array().size(), 2u);
  ApiResponse listed = Get(batches, marketing_);
  ASSERT_EQ(listed.status, 200) << Describe(listed);
  EXPECT_EQ(listed.json.at("batches").at(0).at("redeemed").as_int64(), 2);
  // Every attempt counts against the customer's limit: 20 an hour.
  int limited = 0;
  for (int i = 0; i < 25; ++i) {
    limited += Post("/api/v1/me/coupon-codes", R"({"code":"hello"})", alice.token).status == 429;
  }
  EXPECT_GE(limited, 5);
}

// Cashback held for a day, over HTTP with the server's own sweep: the quote says when it can be
// spent, the wallet shows it pending (not in the balance), and once the day is over the sweep
// posts it.
TEST_F(MarketingApiTest, HeldCashbackIsPendingUntilTheSweepReleasesIt) {
  StopServer();
  WalletOptions options;
  options.cashback_release_interval_ns = int64_t{20} * 1'000'000;  // 20 ms
  StartServer(options);
  const std::string held = LiveCampaign(
      R"({"name":"返现 2%","type":"cashback","reward":{"shape":"percent","percent_bps":200,)"
      R"("hold_seconds":86400},"eligibility":{)" +
      std::string(kWindow) + R"(},"caps":{"budget_total":100000}})");
  ApiResponse read = Get("/api/v1/staff/campaigns/" + held, marketing_);
  ASSERT_EQ(read.status, 200) << Describe(read);
  EXPECT_EQ(read.json.at("reward").at("hold_seconds").as_int64(), 86'400);
  ApiResponse bad =
      Post("/api/v1/staff/campaigns",
           R"({"name":"x","type":"first_order","reward":{"shape":"fixed","fixed":500,)"
           R"("hold_seconds":60},"eligibility":{)" +
               std::string(kWindow) + R"(},"caps":{"budget_total":1000}})",
           marketing_);
  EXPECT_EQ(bad.status, 422) << Describe(bad);  // Only cashback holds.

  const Merchant shop = ActiveMerchant("noodles");
  const Funded alice = Customer(1, 100'000);
  const std::string qr = StaticQr(shop);
  ApiResponse quote = Post("/api/v1/me/payments/quote", R"({"qr":")" + qr + R"(","amount":10000})",
                           alice.customer.token);
  ASSERT_EQ(quote.status, 200) << Describe(quote);
  EXPECT_EQ(quote.json.at("cashback").as_int64(), 200);
  // A day after now (the fixture's clock starts 2026-11-23T01:00:00Z).
  EXPECT_TRUE(
      quote.json.at("rewards").at(0).at("release_at").as_string().starts_with("2026-11-24T01:"))
      << quote.body;
  ApiResponse paid = Pay(alice.customer, PayBody(qr, 10'000), "held-1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.json.at("cashback").as_int64(), 200);
  std::string token = alice.customer.token;
  auto wallet = [&] {
    ApiResponse balance = Get("/api/v1/me/balance", token);
    EXPECT_EQ(balance.status, 200) << Describe(balance);
    return balance.json.as_object();
  };
  EXPECT_EQ(wallet().at("balance").as_int64(), 90'000);
  EXPECT_EQ(wallet().at("pending_in").as_int64(), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // Sweeps, before the day is over.
  EXPECT_EQ(wallet().at("pending_in").as_int64(), 200);
  // The history shows it as cashback, still processing.
  auto cashback_entry = [&] {
    WaitForReadModels();
    ApiResponse history = Get("/api/v1/me/history", token);
    EXPECT_EQ(history.status, 200) << Describe(history);
    for (const auto& entry : history.json.at("entries").as_array()) {
      if (entry.at("type").as_string() == "cashback") return entry.as_object();
    }
    ADD_FAILURE() << "no cashback entry: " << history.body;
    return boost::json::object();
  };
  boost::json::object entry = cashback_entry();
  EXPECT_EQ(entry["status"].as_string(), "processing");
  EXPECT_EQ(entry["amount"].as_int64(), 200);

  AdvanceClock(int64_t{86'400} * kNsPerSecond);
  // A day on, the session has ended (12 hours at most): she signs in again.
  ApiResponse session = LogIn(alice.customer.phone, alice.customer.password);
  ASSERT_EQ(session.status, 201) << Describe(session);
  token = session.String("token");
  boost::json::object after;
  for (int i = 0; i < 250; i++) {  // Up to 5 s.
    after = wallet();
    if (after.at("pending_in").as_int64() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(after.at("pending_in").as_int64(), 0);
  EXPECT_EQ(after.at("balance").as_int64(), 90'200);
  entry = cashback_entry();
  EXPECT_EQ(entry["status"].as_string(), "completed");
  marketing_ = StaffLogIn("marketer", kDefaultPassword).String("token");  // Also a day on.
  EXPECT_EQ(Figures(held).at("spent").as_int64(), 200);
  EXPECT_EQ(LedgerProblem(), std::nullopt);
}

// A grab retried with the same Idempotency-Key (the answer was lost) gets the same coupon, not
// a second one; a new key is a new grab, within the per-customer limit.
TEST_F(MarketingApiTest, AGrabRetriedWithItsKeyClaimsOnce) {
  const std::string coupons = LiveCampaign(CouponCampaign());
  ApiResponse made =
      Post("/api/v1/staff/coupon-templates", ThresholdTemplate(coupons, 100, 2), marketing_);
  ASSERT_EQ(made.status, 201) << Describe(made);
  const std::string body = R"({"template_id":")" + made.String("id") + R"("})";
  const Funded alice = Customer(1, 100'000);
  ApiResponse first = Post("/api/v1/me/coupons", body, alice.customer.token, "grab-1");
  ASSERT_EQ(first.status, 201) << Describe(first);
  ApiResponse retry = Post("/api/v1/me/coupons", body, alice.customer.token, "grab-1");
  EXPECT_EQ(retry.status, 201) << Describe(retry);
  EXPECT_EQ(retry.String("id"), first.String("id"));
  ApiResponse mine = Get("/api/v1/me/coupons", alice.customer.token);
  EXPECT_EQ(mine.json.at("items").as_array().size(), 1u);
  ApiResponse second = Post("/api/v1/me/coupons", body, alice.customer.token, "grab-2");
  ASSERT_EQ(second.status, 201) << Describe(second);
  EXPECT_NE(second.String("id"), first.String("id"));
  EXPECT_EQ(Post("/api/v1/me/coupons", body, alice.customer.token, "grab-3").ErrorCode(),
            "COUPON_CLAIM_LIMIT");
  // The same key on another template's body is refused, not answered with the first coupon.
  EXPECT_EQ(Post("/api/v1/me/coupons", R"({"template_id":"999"})", alice.customer.token, "grab-1")
                .ErrorCode(),
            "IDEMPOTENCY_KEY_REUSED");
}

// A campaign for customers onboarded by the field team (segment channel_outreach): only they see
// it among their offers and get its discount; an unknown segment name is refused.
TEST_F(MarketingApiTest, ASegmentCampaignRewardsOnlyItsSegment) {
  EXPECT_EQ(
      Post("/api/v1/staff/campaigns",
           R"({"name":"x","type":"instant_discount","reward":{"shape":"fixed","fixed":300},)"
           R"("eligibility":{)" +
               std::string(kWindow) + R"(,"segments":["tier_v"]},"caps":{"budget_total":1000}})",
           marketing_)
          .ErrorCode(),
      "FIELD_INVALID");
  const std::string outreach = LiveCampaign(
      R"({"name":"地推专享立减","type":"instant_discount","reward":{"shape":"fixed","fixed":300},)"
      R"("eligibility":{)" +
      std::string(kWindow) +
      R"(,"segments":["channel_outreach"]},"caps":{"budget_total":100000}})");
  ApiResponse read = Get("/api/v1/staff/campaigns/" + outreach, marketing_);
  ASSERT_EQ(read.status, 200) << Describe(read);
  ASSERT_EQ(read.json.at("eligibility").at("segments").as_array().size(), 1u);
  EXPECT_EQ(read.json.at("eligibility").at("segments").at(0).as_string(), "channel_outreach");

  // Alice signs up through the field team's link (channel "outreach"), Bob on his own.
  const RegisteredCustomer alice = SignUpVia("13800138071", "outreach");
  const RegisteredCustomer bob = RegisterCustomer("13800138072");

  auto sees = [&](const RegisteredCustomer& customer) {
    ApiResponse offers = Get("/api/v1/me/offers", customer.token);
    EXPECT_EQ(offers.status, 200) << Describe(offers);
    for (const auto& c : offers.json.at("campaigns").as_array()) {
      if (c.at("id").as_string() == outreach) return true;
    }
    return false;
  };
  EXPECT_TRUE(sees(alice));
  EXPECT_FALSE(sees(bob));
  const Merchant shop = ActiveMerchant("noodles");
  const std::string qr = StaticQr(shop);
  auto discount = [&](const RegisteredCustomer& customer) {
    ApiResponse quote = Post("/api/v1/me/payments/quote", R"({"qr":")" + qr + R"(","amount":5000})",
                             customer.token);
    EXPECT_EQ(quote.status, 200) << Describe(quote);
    return quote.json.at("discount").as_int64();
  };
  EXPECT_EQ(discount(alice), 300);
  EXPECT_EQ(discount(bob), 0);
}

// Ops issue a template's coupons to a segment: every open customer in it gets one, nobody else;
// a stock that cannot cover the segment issues nothing.
TEST_F(MarketingApiTest, CouponsIssuedToASegmentReachOnlyItsCustomers) {
  const std::string coupons = LiveCampaign(CouponCampaign());
  ApiResponse small =
      Post("/api/v1/staff/coupon-templates", ThresholdTemplate(coupons, 1, 1), marketing_);
  ASSERT_EQ(small.status, 201) << Describe(small);
  ApiResponse big =
      Post("/api/v1/staff/coupon-templates", ThresholdTemplate(coupons, 10, 1), marketing_);
  ASSERT_EQ(big.status, 201) << Describe(big);
  const RegisteredCustomer alice = SignUpVia("13800138073", "outreach");
  const RegisteredCustomer carol = SignUpVia("13800138074", "outreach");
  const RegisteredCustomer bob = RegisterCustomer("13800138075");
  auto issue = [&](const ApiResponse& made, std::string_view body) {
    return Post("/api/v1/staff/coupon-templates/" + made.String("id") + "/issues", body,
                marketing_);
  };
  auto held = [&](const RegisteredCustomer& customer) {
    return Get("/api/v1/me/coupons", customer.token).json.at("items").as_array().size();
  };

  EXPECT_EQ(issue(big, R"({"segments":["tier_v"]})").ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(issue(big, R"({"segments":[]})").ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(issue(big, R"({"segments":["channel_outreach"],"customer_ids":["1"]})").ErrorCode(),
            "UNKNOWN_FIELD");
  ApiResponse short_stock = issue(small, R"({"segments":["channel_outreach"]})");
  EXPECT_EQ(short_stock.status, 409) << Describe(short_stock);
  EXPECT_EQ(short_stock.ErrorCode(), "COUPON_OUT_OF_STOCK");
  EXPECT_EQ(held(alice) + held(carol), 0u);

  ApiResponse issued = issue(big, R"({"segments":["channel_outreach"]})");
  ASSERT_EQ(issued.status, 200) << Describe(issued);
  EXPECT_EQ(issued.json.at("issued").as_int64(), 2);
  EXPECT_EQ(held(alice), 1u);
  EXPECT_EQ(held(carol), 1u);
  EXPECT_EQ(held(bob), 0u);
  ApiResponse listed = Get("/api/v1/staff/coupon-templates?campaign_id=" + coupons, marketing_);
  ASSERT_EQ(listed.status, 200) << Describe(listed);
  bool checked = false;
  for (const auto& t : listed.json.at("items").as_array()) {
    if (t.at("id").as_string() != big.String("id")) continue;
    EXPECT_EQ(t.at("remaining").as_int64(), 8);
    checked = true;
  }
  EXPECT_TRUE(checked) << listed.body;
}

}  // namespace
}  // namespace qb::wallet::testing
