// Offer pushes and the message inbox over HTTP (issue 6, 定向推送): ops choose customers by
// their spending profile (top category, usual time of day, merchants visited), preview and push
// a campaign's offer; each customer gets it once, a customer who refused personalised offers
// never; customers read their inbox and mark messages read; the push's figures count reads.
#include <gtest/gtest.h>

#include <string>

#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

constexpr int64_t kHourNs = int64_t{3'600} * 1'000'000'000;

class OfferPushApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    PaymentApiTest::SetUp();
    marketing_ = StaffToken("marketer", Roles({StaffRole::kMarketing}));
  }

  // A live instant discount; its id. The fixture's clock starts 2026-11-23 09:00 China time.
  std::string LiveCampaign(std::string_view name, bool go_live = true) {
    ApiResponse created = Post(
        "/api/v1/staff/campaigns",
        R"({"name":")" + std::string(name) +
            R"(","type":"instant_discount","reward":{"shape":"fixed","fixed":100},)"
            R"("eligibility":{"starts_at":"2026-11-23T00:00:00Z","ends_at":"2026-12-31T00:00:00Z"},)"
            R"("caps":{"budget_total":100000}})",
        marketing_);
    EXPECT_EQ(created.status, 201) << Describe(created);
    const std::string id = created.String("id");
    if (go_live) {
      EXPECT_EQ(
          Post("/api/v1/staff/campaigns/" + id + "/status", R"({"status":"live"})", marketing_)
              .status,
          200);
    }
    return id;
  }

  Merchant MerchantIn(std::string_view username, std::string_view category) {
    std::string body = ApplicationBody(username, R"(,"activate":true,"fee_bps":60)");
    body.replace(body.find("catering"), 8, category);
    ApiResponse created = Post("/api/v1/staff/merchants", body, admin_);
    EXPECT_EQ(created.status, 201) << Describe(created);
    return Merchant{created.String("id"), MerchantLogIn(username)};
  }

  void PayAt(const Funded& payer, const Merchant& merchant, int64_t amount) {
    ApiResponse paid =
        Pay(payer.customer, PayBody(StaticQr(merchant), amount), "pay-" + std::to_string(++pays_));
    ASSERT_EQ(paid.status, 201) << Describe(paid);
  }

  ApiResponse Preview(const std::string& campaign, std::string_view audience) {
    return Post("/api/v1/staff/campaigns/" + campaign + "/offer-pushes/preview",
                R"({"audience":)" + std::string(audience) + "}", marketing_);
  }
  ApiResponse PushOffer(const std::string& campaign, std::string_view audience) {
    return Post("/api/v1/staff/campaigns/" + campaign + "/offer-pushes",
                R"({"title":"午餐立减","body":"本周工作日午餐立减1元","audience":)" +
                    std::string(audience) + "}",
                marketing_);
  }
  // The clock moved past the sessions' idle timeout: everyone logs in again.
  void LogInAgain(std::initializer_list<Funded*> customers) {
    for (Funded* c : customers) {
      ApiResponse session = LogIn(c->customer.phone, c->customer.password);
      ASSERT_EQ(session.status, 201) << Describe(session);
      c->customer.token = session.String("token");
    }
    ApiResponse staff = StaffLogIn("marketer", kDefaultPassword);
    ASSERT_EQ(staff.status, 201) << Describe(staff);
    marketing_ = staff.String("token");
  }

  ApiResponse Inbox(const Funded& customer) {
    ApiResponse inbox = Get("/api/v1/me/messages", customer.customer.token);
    EXPECT_EQ(inbox.status, 200) << Describe(inbox);
    return inbox;
  }

  std::string marketing_;
  int pays_ = 0;
};

constexpr char kLunchAtNoodles[] = R"({"top_categories":["catering"],"day_parts":["noon"]})";

TEST_F(OfferPushApiTest, AnOfferReachesTheCustomersWhoseSpendingMatchesOnce) {
  Merchant noodles = ActiveMerchant("noodles");  // catering
  Merchant mart = MerchantIn("mart", "supermarket");
  Funded alice = Customer(1, 100'000);
  Funded bob = Customer(2, 100'000);
  Funded carol = Customer(3, 100'000);
  Funded dave = Customer(4, 100'000);
  // 09:00: bob and alice shop at the mart.
  PayAt(bob, mart, 8'000);
  PayAt(alice, mart, 1'000);
  // 12:00: alice and dave lunch at the noodle shop, alice twice.
  AdvanceClock(3 * kHourNs);
  LogInAgain({&alice, &bob, &carol, &dave});
  noodles.token = MerchantLogIn("noodles");
  mart.token = MerchantLogIn("mart");
  PayAt(alice, noodles, 2'500);
  PayAt(alice, noodles, 2'500);
  PayAt(dave, noodles, 3'000);
  // Dave refuses offers chosen from his spending.
  ApiResponse refused =
      Put("/api/v1/me/offer-preferences", R"({"personalised":false})", dave.customer.token);
  ASSERT_EQ(refused.status, 200) << Describe(refused);
  EXPECT_FALSE(refused.json.at("personalised").as_bool());
  EXPECT_FALSE(
      Get("/api/v1/me/offer-preferences", dave.customer.token).json.at("personalised").as_bool());
  EXPECT_TRUE(
      Get("/api/v1/me/offer-preferences", alice.customer.token).json.at("personalised").as_bool());

  const std::string lunch = LiveCampaign("午餐立减");
  ApiResponse preview = Preview(lunch, kLunchAtNoodles);
  ASSERT_EQ(preview.status, 200) << Describe(preview);
  EXPECT_EQ(preview.json.at("customers").as_int64(), 1);  // alice; bob shops in the morning
  EXPECT_EQ(preview.json.at("opted_out").as_int64(), 1);  // dave
  EXPECT_EQ(preview.json.at("already_pushed").as_int64(), 0);
  // Everyone who visited the mart: alice and bob, whatever the time or category.
  EXPECT_EQ(
      Preview(lunch, R"({"merchant_ids":[")" + mart.id + R"("]})").json.at("customers").as_int64(),
      2);
  // Supermarket first: bob (¥80); alice spent more on lunch. In the top two: both.
  EXPECT_EQ(Preview(lunch, R"({"top_categories":["supermarket"]})").json.at("customers").as_int64(),
            1);
  EXPECT_EQ(Preview(lunch, R"({"top_categories":["supermarket"],"top_rank":2})")
                .json.at("customers")
                .as_int64(),
            2);
  EXPECT_EQ(Preview(lunch, R"({"min_payments":3})").json.at("customers").as_int64(), 1);
  // Anyone who paid: alice and bob (dave refused); carol never paid, so has no profile.
  EXPECT_EQ(Preview(lunch, "{}").json.at("customers").as_int64(), 2);
  for (const char* bad :
       {R"({"window_days":0})", R"({"top_categories":["pets"]})", R"({"day_parts":["dawn"]})",
        R"({"merchant_ids":["x"]})", R"({"top_rank":6})", R"({"colour":"red"})"}) {
    EXPECT_EQ(Preview(lunch, bad).status, 400) << bad;
  }

  ApiResponse pushed = PushOffer(lunch, kLunchAtNoodles);
  ASSERT_EQ(pushed.status, 201) << Describe(pushed);
  EXPECT_EQ(pushed.json.at("delivered").as_int64(), 1);
  EXPECT_EQ(pushed.json.at("read").as_int64(), 0);
  EXPECT_EQ(pushed.String("campaign_id"), lunch);
  EXPECT_EQ(pushed.json.at("audience").at("day_parts").at(0).as_string(), "noon");
  EXPECT_EQ(pushed.json.at("audience").at("window_days").as_int64(), 30);
  const std::string push_id = pushed.String("id");
  // Alice has it now: the same audience reaches nobody new.
  preview = Preview(lunch, kLunchAtNoodles);
  EXPECT_EQ(preview.json.at("customers").as_int64(), 0);
  EXPECT_EQ(preview.json.at("already_pushed").as_int64(), 1);
  EXPECT_EQ(PushOffer(lunch, kLunchAtNoodles).ErrorCode(), "OFFER_AUDIENCE_EMPTY");

  ApiResponse inbox = Inbox(alice);
  ASSERT_EQ(inbox.json.at("messages").as_array().size(), 1u);
  const boost::json::value& message = inbox.json.at("messages").at(0);
  EXPECT_EQ(message.at("id").as_string(), push_id);
  EXPECT_EQ(message.at("kind").as_string(), "offer");
  EXPECT_EQ(message.at("campaign_id").as_string(), lunch);
  EXPECT_EQ(message.at("title").as_string(), "午餐立减");
  EXPECT_FALSE(message.at("read").as_bool());
  EXPECT_EQ(inbox.json.at("unread").as_int64(), 1);
  EXPECT_TRUE(inbox.json.at("next_cursor").is_null());
  EXPECT_TRUE(Inbox(bob).json.at("messages").as_array().empty());
  EXPECT_TRUE(Inbox(dave).json.at("messages").as_array().empty());
  EXPECT_TRUE(Inbox(carol).json.at("messages").as_array().empty());

  // Reading it: one message by id; an id not in the inbox is not found.
  EXPECT_EQ(Post("/api/v1/me/messages/read", R"({"id":")" + push_id + R"("})", bob.customer.token)
                .ErrorCode(),
            "MESSAGE_NOT_FOUND");
  ApiResponse read =
      Post("/api/v1/me/messages/read", R"({"id":")" + push_id + R"("})", alice.customer.token);
  ASSERT_EQ(read.status, 200) << Describe(read);
  EXPECT_EQ(read.json.at("unread").as_int64(), 0);
  EXPECT_TRUE(Inbox(alice).json.at("messages").at(0).at("read").as_bool());
  ApiResponse pushes = Get("/api/v1/staff/campaigns/" + lunch + "/offer-pushes", marketing_);
  ASSERT_EQ(pushes.status, 200) << Describe(pushes);
  ASSERT_EQ(pushes.json.at("pushes").as_array().size(), 1u);
  EXPECT_EQ(pushes.json.at("pushes").at(0).at("delivered").as_int64(), 1);
  EXPECT_EQ(pushes.json.at("pushes").at(0).at("read").as_int64(), 1);

  // Dave turns them back on: the next push reaches him, and alice not twice.
  ASSERT_EQ(
      Put("/api/v1/me/offer-preferences", R"({"personalised":true})", dave.customer.token).status,
      200);
  pushed = PushOffer(lunch, kLunchAtNoodles);
  ASSERT_EQ(pushed.status, 201) << Describe(pushed);
  EXPECT_EQ(pushed.json.at("delivered").as_int64(), 1);
  EXPECT_EQ(Inbox(dave).json.at("unread").as_int64(), 1);
  EXPECT_EQ(Inbox(alice).json.at("messages").as_array().size(), 1u);
  ASSERT_EQ(Post("/api/v1/me/messages/read", "{}", dave.customer.token).status, 200);
  EXPECT_EQ(Inbox(dave).json.at("unread").as_int64(), 0);
}

TEST_F(OfferPushApiTest, OnlyAScheduledLiveOrPausedCampaignIsPushedAndOnlyByMarketing) {
  const Merchant noodles = ActiveMerchant("noodles");
  const Funded alice = Customer(1, 100'000);
  PayAt(alice, noodles, 2'000);
  const std::string draft = LiveCampaign("草稿", false);
  EXPECT_EQ(PushOffer(draft, "{}").ErrorCode(), "CAMPAIGN_NOT_PUSHABLE");
  EXPECT_EQ(Preview(draft, "{}").status, 200);  // a draft can be previewed while designed
  EXPECT_EQ(PushOffer("999", "{}").ErrorCode(), "CAMPAIGN_NOT_FOUND");
  const std::string live = LiveCampaign("立减");
  EXPECT_EQ(Post("/api/v1/staff/campaigns/" + live + "/offer-pushes",
                 R"({"title":"","body":"b","audience":{}})", marketing_)
                .ErrorCode(),
            "FIELD_INVALID");
  EXPECT_EQ(Post("/api/v1/staff/campaigns/" + live + "/offer-pushes", R"({"title":"t","body":"b"})",
                 marketing_)
                .ErrorCode(),
            "FIELD_REQUIRED");
  const std::string auditor = StaffToken("auditor", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(Post("/api/v1/staff/campaigns/" + live + "/offer-pushes",
                 R"({"title":"t","body":"b","audience":{}})", auditor)
                .status,
            403);
  ASSERT_EQ(PushOffer(live, "{}").status, 201);
  EXPECT_EQ(Get("/api/v1/staff/campaigns/" + live + "/offer-pushes", auditor)
                .json.at("pushes")
                .as_array()
                .size(),
            1u);
  ASSERT_EQ(Post("/api/v1/staff/campaigns/" + live + "/status", R"({"status":"ended"})", marketing_)
                .status,
            200);
  EXPECT_EQ(PushOffer(live, "{}").ErrorCode(), "CAMPAIGN_NOT_PUSHABLE");
  EXPECT_EQ(Get("/api/v1/me/messages?cursor=bad", alice.customer.token).ErrorCode(),
            "FIELD_INVALID");
}

}  // namespace
}  // namespace qb::wallet::testing
