// Age-band and win-back campaigns over HTTP (issue 6): the age comes from the birth date in the
// verified resident ID, kept when the customer verifies; inactivity from when money of the
// customer's last moved (a payment, a transfer sent, a top-up or a withdrawal). Custom lists
// (自定义人群包) from uploaded phones. All hold across a restart.
#include <gtest/gtest.h>

#include <string>

#include "identity/resident_id.h"
#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

constexpr int64_t kDayNs = 86'400 * kNsPerSecond;
constexpr char kWindow[] =
    R"("starts_at":"2026-11-23T00:00:00Z","ends_at":"2027-06-30T00:00:00+08:00")";

// A valid resident ID of someone born on `yyyymmdd` (Beijing Chaoyang).
std::string ResidentIdBorn(std::string_view yyyymmdd, int serial) {
  std::string sequence = std::to_string(1'000 + serial);
  std::string first17 = "110105" + std::string(yyyymmdd) + sequence.substr(sequence.size() - 3);
  return first17 + identity::ResidentIdCheckCharacter(first17);
}

std::string DiscountCampaign(std::string_view name, int64_t fixed, std::string_view targeting) {
  return R"({"name":")" + std::string(name) + R"(","type":"instant_discount",)" +
         R"("reward":{"shape":"fixed","fixed":)" + std::to_string(fixed) + "}," +
         R"("eligibility":{)" + std::string(kWindow) + "," + std::string(targeting) + "}," +
         R"("caps":{"budget_total":100000}})";
}

class TargetingApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    PaymentApiTest::SetUp();
    marketing_ = StaffToken("marketer", Roles({StaffRole::kMarketing}));
    qr_ = StaticQr(ActiveMerchant("noodles"));  // printed once: it outlives any session
  }

  std::string LiveCampaign(const std::string& body) {
    ApiResponse created = Post("/api/v1/staff/campaigns", body, marketing_);
    EXPECT_EQ(created.status, 201) << Describe(created);
    const std::string id = created.String("id");
    ApiResponse live =
        Post("/api/v1/staff/campaigns/" + id + "/status", R"({"status":"live"})", marketing_);
    EXPECT_EQ(live.status, 200) << Describe(live);
    return id;
  }

  // A tier II customer born on `yyyymmdd` with ¥1,000 in the wallet.
  Funded BornOn(std::string_view yyyymmdd, int serial) {
    Funded funded{RegisterCustomer(Phone(serial)), ""};
    ApiResponse verified = Verify(funded.customer, "张三", ResidentIdBorn(yyyymmdd, serial));
    EXPECT_EQ(verified.status, 200) << Describe(verified);
    ApiResponse card = Bind(funded.customer, CardNumber(serial));
    EXPECT_EQ(card.status, 201) << Describe(card);
    funded.card_id = card.String("id");
    EXPECT_EQ(TopUp(funded, 100'000, "fund").status, 201);
    return funded;
  }

  // The discount a ¥100 payment at the shop would get now.
  int64_t QuotedDiscount(const RegisteredCustomer& customer) {
    ApiResponse quote = Post("/api/v1/me/payments/quote",
                             R"({"qr":")" + qr_ + R"(","amount":10000})", customer.token);
    EXPECT_EQ(quote.status, 200) << Describe(quote);
    return quote.status == 200 ? quote.json.at("discount").as_int64() : -1;
  }

  // The dry run of `campaign` over the last 30 days of payments.
  ApiResponse DryRun(const std::string& campaign) {
    WaitForReadModels();
    ApiResponse dry = Post("/api/v1/staff/campaigns/dry-run",
                           R"({"days":30,"campaign":)" + campaign + "}", marketing_);
    EXPECT_EQ(dry.status, 200) << Describe(dry);
    return dry;
  }

  static bool HasNote(const ApiResponse& dry, std::string_view note) {
    for (const boost::json::value& n : dry.json.at("notes").as_array()) {
      if (n.as_string() == note) return true;
    }
    return false;
  }

  void LogInAgain(RegisteredCustomer* customer) {
    ApiResponse login = LogIn(customer->phone, customer->password);
    ASSERT_EQ(login.status, 201) << Describe(login);
    customer->token = login.String("token");
  }

  std::string marketing_;
  std::string qr_;
};

TEST_F(TargetingApiTest, AnAgeBandRewardsOnlyCustomersOfThatAgeOnTheDayTheyPay) {
  const std::string id =
      LiveCampaign(DiscountCampaign("30-39 岁专享", 300, R"("age_min":30,"age_max":39)"));
  ApiResponse read = Get("/api/v1/staff/campaigns/" + id, marketing_);
  ASSERT_EQ(read.status, 200) << Describe(read);
  EXPECT_EQ(read.json.at("eligibility").at("age_min").as_int64(), 30);
  EXPECT_EQ(read.json.at("eligibility").at("age_max").as_int64(), 39);
  EXPECT_EQ(read.json.at("eligibility").at("inactive_days").as_int64(), 0);

  // Bounds are checked: out of range, or upside down.
  for (const char* targeting : {R"("age_min":15)", R"("age_max":121)",
                                R"("age_min":40,"age_max":30)", R"("inactive_days":3651)"}) {
    ApiResponse bad =
        Post("/api/v1/staff/campaigns", DiscountCampaign("bad", 100, targeting), marketing_);
    EXPECT_EQ(bad.status, 422) << targeting;
    EXPECT_EQ(bad.ErrorCode(), "CAMPAIGN_INVALID_TARGETING") << targeting;
  }

  // The clock reads 2026-11-23 (China time).
  Funded thirty_six = BornOn("19900101", 1);
  Funded twenty_nine = BornOn("19961124", 2);  // 30 tomorrow
  Funded forty = BornOn("19861123", 3);        // 40 today
  EXPECT_EQ(QuotedDiscount(thirty_six.customer), 300);
  EXPECT_EQ(QuotedDiscount(twenty_nine.customer), 0);
  EXPECT_EQ(QuotedDiscount(forty.customer), 0);
  ApiResponse paid = Pay(thirty_six.customer, PayBody(qr_, 10'000), "pay-1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.json.at("discount").as_int64(), 300);
  ApiResponse young_paid = Pay(twenty_nine.customer, PayBody(qr_, 10'000), "pay-2");
  ASSERT_EQ(young_paid.status, 201) << Describe(young_paid);
  EXPECT_EQ(young_paid.json.at("discount").as_int64(), 0);

  // The dry run judges each payment by the payer's age on its day.
  ApiResponse dry = DryRun(DiscountCampaign("试算", 300, R"("age_min":30,"age_max":39)"));
  EXPECT_EQ(dry.json.at("rewarded_payments").as_int64(), 1);
  EXPECT_EQ(dry.json.at("cost").as_int64(), 300);
  EXPECT_TRUE(HasNote(dry, "ages_as_today")) << dry.body;

  // A day later the younger one has turned 30, in the engine as after a restart.
  AdvanceClock(kDayNs);
  StopServer();
  StartServer();
  LogInAgain(&twenty_nine.customer);
  EXPECT_EQ(QuotedDiscount(twenty_nine.customer), 300);
}

TEST_F(TargetingApiTest, AWinBackOfferReachesTheIdleUntilTheirMoneyMovesAgain) {
  const std::string id = LiveCampaign(DiscountCampaign("沉睡唤醒", 200, R"("inactive_days":30)"));
  Funded payer = BornOn("19900101", 1);
  Funded sender = BornOn("19900101", 2);
  // Both just topped up: active.
  EXPECT_EQ(QuotedDiscount(payer.customer), 0);

  AdvanceClock(31 * kDayNs);
  LogInAgain(&payer.customer);
  LogInAgain(&sender.customer);
  // A transfer sent is activity: the sender is no longer idle, the receiver still is.
  ApiResponse sent = Transfer(sender.customer, payer.customer.phone, 1'000, "send-1");
  ASSERT_EQ(sent.status, 201) << Describe(sent);
  EXPECT_EQ(QuotedDiscount(sender.customer), 0);
  EXPECT_EQ(QuotedDiscount(payer.customer), 200);

  // Idleness survives a restart.
  StopServer();
  StartServer();
  LogInAgain(&payer.customer);
  EXPECT_EQ(QuotedDiscount(payer.customer), 200);
  ApiResponse paid = Pay(payer.customer, PayBody(qr_, 10'000), "pay-1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.json.at("discount").as_int64(), 200);
  // Back: the next payment gets nothing.
  EXPECT_EQ(QuotedDiscount(payer.customer), 0);
  ASSERT_EQ(Pay(payer.customer, PayBody(qr_, 10'000), "pay-2").status, 201);
  marketing_ = StaffLogIn("marketer", kDefaultPassword).String("token");
  // The dry run finds the same: the first of the two payments came after 31 idle days.
  ApiResponse dry = DryRun(DiscountCampaign("试算", 200, R"("inactive_days":30)"));
  EXPECT_EQ(dry.json.at("rewarded_payments").as_int64(), 1);
  EXPECT_TRUE(HasNote(dry, "inactivity_from_payments")) << dry.body;
  ApiResponse read = Get("/api/v1/staff/campaigns/" + id, marketing_);
  ASSERT_EQ(read.status, 200) << Describe(read);
  EXPECT_EQ(read.json.at("figures").at("rewarded_payments").as_int64(), 1);
}

TEST_F(TargetingApiTest, ACustomListCampaignRewardsOnlyTheListedCustomers) {
  Funded listed = BornOn("19900101", 1);
  Funded other = BornOn("19900101", 2);
  ApiResponse bad_name = Post("/api/v1/staff/customer-lists", R"({"name":""})", marketing_);
  EXPECT_EQ(bad_name.status, 400) << Describe(bad_name);
  EXPECT_EQ(bad_name.ErrorCode(), "FIELD_INVALID");
  ApiResponse created = Post("/api/v1/staff/customer-lists", R"({"name":"双11老客"})", marketing_);
  ASSERT_EQ(created.status, 201) << Describe(created);
  const std::string list = created.String("id");
  EXPECT_EQ(created.String("name"), "双11老客");
  EXPECT_EQ(created.json.at("members").as_int64(), 0);

  // One customer, named twice, a phone of nobody and a row that is no phone.
  const std::string phones = R"({"phones":[")" + listed.customer.phone + R"(",")" +
                             listed.customer.phone + R"(","13900009999","abc"]})";
  ApiResponse added = Post("/api/v1/staff/customer-lists/" + list + "/members", phones, marketing_);
  ASSERT_EQ(added.status, 200) << Describe(added);
  EXPECT_EQ(added.json.at("added").as_int64(), 1);
  EXPECT_EQ(added.json.at("already").as_int64(), 0);
  EXPECT_EQ(added.json.at("duplicates").as_int64(), 1);
  EXPECT_EQ(added.json.at("not_found").as_array().size(), 1u);
  EXPECT_EQ(added.json.at("invalid").as_array().at(0).as_string(), "abc");
  added = Post("/api/v1/staff/customer-lists/" + list + "/members", phones, marketing_);
  EXPECT_EQ(added.json.at("added").as_int64(), 0);
  EXPECT_EQ(added.json.at("already").as_int64(), 1);
  EXPECT_EQ(Post("/api/v1/staff/customer-lists/77/members", phones, marketing_).ErrorCode(),
            "CUSTOMER_LIST_NOT_FOUND");
  // Auditors read the lists but change none.
  const std::string auditor = StaffToken("auditor", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(Get("/api/v1/staff/customer-lists", auditor).status, 200);
  EXPECT_EQ(Post("/api/v1/staff/customer-lists", R"({"name":"x"})", auditor).status, 403);

  // A campaign names only a list that exists.
  ApiResponse missing = Post("/api/v1/staff/campaigns",
                             DiscountCampaign("bad", 100, R"("customer_list":"999")"), marketing_);
  EXPECT_EQ(missing.status, 422) << Describe(missing);
  EXPECT_EQ(missing.ErrorCode(), "CAMPAIGN_INVALID_TARGETING");
  const std::string targeting = R"("customer_list":")" + list + R"(")";
  const std::string id = LiveCampaign(DiscountCampaign("老客专享", 300, targeting));
  ApiResponse read = Get("/api/v1/staff/campaigns/" + id, marketing_);
  EXPECT_EQ(read.json.at("eligibility").at("customer_list").as_string(), list);
  EXPECT_EQ(QuotedDiscount(listed.customer), 300);
  EXPECT_EQ(QuotedDiscount(other.customer), 0);
  ApiResponse paid = Pay(listed.customer, PayBody(qr_, 10'000), "pay-1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.json.at("discount").as_int64(), 300);
  ASSERT_EQ(Pay(other.customer, PayBody(qr_, 10'000), "pay-2").status, 201);
  ApiResponse dry = DryRun(DiscountCampaign("试算", 300, targeting));
  EXPECT_EQ(dry.json.at("rewarded_payments").as_int64(), 1);
  EXPECT_TRUE(HasNote(dry, "list_as_today")) << dry.body;

  ApiResponse lists = Get("/api/v1/staff/customer-lists", marketing_);
  ASSERT_EQ(lists.status, 200) << Describe(lists);
  const boost::json::object& shown = lists.json.at("lists").as_array().at(0).as_object();
  EXPECT_EQ(shown.at("members").as_int64(), 1);
  EXPECT_EQ(shown.at("campaign_ids").as_array().at(0).as_string(), id);
  ApiResponse in_use = Delete("/api/v1/staff/customer-lists/" + list, marketing_);
  EXPECT_EQ(in_use.status, 409) << Describe(in_use);
  EXPECT_EQ(in_use.ErrorCode(), "CUSTOMER_LIST_IN_USE");

  // The listed customer leaves, the other joins; the engine keeps it across a restart.
  ApiResponse removed = Post("/api/v1/staff/customer-lists/" + list + "/removals",
                             R"({"phones":[")" + listed.customer.phone + R"("]})", marketing_);
  ASSERT_EQ(removed.status, 200) << Describe(removed);
  EXPECT_EQ(removed.json.at("removed").as_int64(), 1);
  ASSERT_EQ(Post("/api/v1/staff/customer-lists/" + list + "/members",
                 R"({"phones":[")" + other.customer.phone + R"("]})", marketing_)
                .status,
            200);
  StopServer();
  StartServer();
  EXPECT_EQ(QuotedDiscount(listed.customer), 0);
  EXPECT_EQ(QuotedDiscount(other.customer), 300);

  // Ended, the campaign lets the list go.
  ASSERT_EQ(
      Post("/api/v1/staff/campaigns/" + id + "/status", R"({"status":"ended"})", marketing_).status,
      200);
  EXPECT_EQ(Delete("/api/v1/staff/customer-lists/" + list, marketing_).status, 204);
  EXPECT_TRUE(Get("/api/v1/staff/customer-lists", marketing_).json.at("lists").as_array().empty());
}

}  // namespace
}  // namespace qb::wallet::testing
