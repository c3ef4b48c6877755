// The red-packet API over HTTP (issue 6): ops set the programme with their roles and
// validation; a customer's payment earns a packet, which they send (a retry with the same
// Idempotency-Key answers the same packet); friends open its link and take shares into their
// wallets, shown in the history as red_packet; the sender's device is refused.
#include <gtest/gtest.h>

#include <string>

#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

// ¥10 in three shares for a payment of ¥10 or more, open 24 hours, ¥100 of budget.
constexpr char kProgramme[] =
    R"({"enabled":true,"payment_min":1000,"packets_daily":1,"packet_amount":1000,"shares":3,)"
    R"("valid_hours":24,"claims_daily":5,"budget":10000})";

class RedPacketApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    PaymentApiTest::SetUp();
    marketing_ = StaffToken("marketer", Roles({StaffRole::kMarketing}));
  }
  ApiResponse Claim(const RegisteredCustomer& customer, const std::string& id,
                    const std::string& device = "") {
    RequestOptions options;
    options.token = customer.token;
    if (!device.empty()) options.headers.emplace_back("X-Device-Id", device);
    return Request("POST", "/api/v1/me/red-packets/" + id + "/claim", "", options);
  }
  std::string marketing_;
};

TEST_F(RedPacketApiTest, OpsSetTheProgrammeWithTheirRoles) {
  ApiResponse none = Get("/api/v1/staff/red-packets", marketing_);
  ASSERT_EQ(none.status, 200) << Describe(none);
  EXPECT_EQ(none.json.at("version").as_int64(), 0);
  EXPECT_EQ(none.json.at("available").as_int64(), 0);
  std::string bad = kProgramme;
  bad.replace(bad.find(R"("shares":3)"), 10, R"("shares":1)");
  ApiResponse one = Put("/api/v1/staff/red-packets", bad, marketing_);
  EXPECT_EQ(one.status, 422) << Describe(one);
  EXPECT_EQ(one.ErrorCode(), "REDPACKET_INVALID");
  EXPECT_NE(one.body.find("shares"), std::string::npos) << one.body;
  bad = kProgramme;
  bad.replace(bad.find(R"("packet_amount":1000)"), 20, R"("packet_amount":20001)");
  EXPECT_NE(Put("/api/v1/staff/red-packets", bad, marketing_).body.find("packet_amount"),
            std::string::npos);
  EXPECT_EQ(Put("/api/v1/staff/red-packets", R"({"enabled":true})", marketing_).status, 400);
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(Put("/api/v1/staff/red-packets", kProgramme, auditor).status, 403);
  EXPECT_EQ(Get("/api/v1/staff/red-packets", auditor).status, 200);
  ApiResponse set = Put("/api/v1/staff/red-packets", kProgramme, marketing_);
  ASSERT_EQ(set.status, 200) << Describe(set);
  EXPECT_EQ(set.json.at("version").as_int64(), 1);
  EXPECT_EQ(set.json.at("budget").as_int64(), 10'000);
  EXPECT_EQ(set.json.at("available").as_int64(), 10'000);
  EXPECT_EQ(set.json.at("packet_amount").as_int64(), 1'000);
  EXPECT_TRUE(set.json.at("starts_at").is_null());
  EXPECT_TRUE(set.json.at("packets").as_array().empty());
}

TEST_F(RedPacketApiTest, APaymentEarnsAPacketWhoseLinkFriendsOpenIntoTheirWallets) {
  const RegisteredCustomer bystander = RegisterCustomer(Phone(9));
  EXPECT_EQ(Post("/api/v1/me/red-packets", "", bystander.token, "send-0").ErrorCode(),
            "REDPACKET_OFF");
  ASSERT_EQ(Put("/api/v1/staff/red-packets", kProgramme, marketing_).status, 200);
  const Merchant shop = ActiveMerchant("noodles");
  const std::string qr = StaticQr(shop);
  const Funded alice = Customer(1, 100'000);
  ApiResponse mine = Get("/api/v1/me/red-packets", alice.customer.token);
  ASSERT_EQ(mine.status, 200) << Describe(mine);
  EXPECT_TRUE(mine.json.at("active").as_bool());
  EXPECT_EQ(mine.json.at("to_send").as_int64(), 0);
  EXPECT_EQ(Post("/api/v1/me/red-packets", "", alice.customer.token).status, 400);  // no key
  EXPECT_EQ(Post("/api/v1/me/red-packets", "", alice.customer.token, "send-1").ErrorCode(),
            "REDPACKET_NONE_TO_SEND");

  ASSERT_EQ(Pay(alice.customer, PayBody(qr, 1'000), "pay-1").status, 201);
  EXPECT_EQ(Get("/api/v1/me/red-packets", alice.customer.token).json.at("to_send").as_int64(), 1);
  ApiResponse sent = Post("/api/v1/me/red-packets", "", alice.customer.token, "send-1");
  ASSERT_EQ(sent.status, 201) << Describe(sent);
  const std::string id = sent.String("id");
  EXPECT_EQ(sent.String("link"), "/red-packets/" + id);
  EXPECT_TRUE(sent.json.at("mine").as_bool());
  EXPECT_EQ(sent.String("status"), "open");
  EXPECT_EQ(sent.json.at("shares").as_int64(), 3);
  EXPECT_EQ(sent.json.at("amount").as_int64(), 1'000);
  ApiResponse again = Post("/api/v1/me/red-packets", "", alice.customer.token, "send-1");
  EXPECT_EQ(again.status, 200) << Describe(again);
  EXPECT_EQ(again.String("id"), id);

  // Friends open the link: each takes one share into the wallet; the shares add up to ¥10.
  int64_t total = 0;
  for (int i = 2; i <= 4; ++i) {
    const RegisteredCustomer friend_ = RegisterCustomer(Phone(i));
    ApiResponse seen = Get("/api/v1/me/red-packets/" + id, friend_.token);
    ASSERT_EQ(seen.status, 200) << Describe(seen);
    EXPECT_FALSE(seen.json.at("mine").as_bool());
    EXPECT_TRUE(seen.json.at("my_share").is_null());
    EXPECT_EQ(seen.String("sender_phone").find("****"), 3u) << seen.body;  // masked
    ApiResponse claimed = Claim(friend_, id, "device-friend-" + std::to_string(i));
    ASSERT_EQ(claimed.status, 201) << Describe(claimed);
    const int64_t amount = claimed.json.at("amount").as_int64();
    EXPECT_GE(amount, 1);
    EXPECT_LE(amount, 666);  // at most twice the average
    EXPECT_EQ(claimed.json.at("packet").at("my_share").as_int64(), amount);
    total += amount;
    ApiResponse twice = Claim(friend_, id);
    EXPECT_EQ(twice.status, 200) << Describe(twice);
    EXPECT_EQ(twice.json.at("amount").as_int64(), amount);
    WaitForReadModels();
    EXPECT_EQ(Balance(friend_), amount);
    if (i == 2) {
      ApiResponse history = Get("/api/v1/me/history", friend_.token);
      ASSERT_EQ(history.status, 200) << Describe(history);
      EXPECT_EQ(history.json.at("entries").at(0).at("type").as_string(), "red_packet")
          << history.body;
      EXPECT_EQ(history.json.at("entries").at(0).at("amount").as_int64(), amount);
    }
  }
  EXPECT_EQ(total, 1'000);
  const RegisteredCustomer late = RegisterCustomer(Phone(5));
  EXPECT_EQ(Claim(late, id).ErrorCode(), "REDPACKET_EMPTY");
  EXPECT_EQ(Claim(late, "12345").ErrorCode(), "REDPACKET_NOT_FOUND");
  EXPECT_EQ(Get("/api/v1/me/red-packets/nope", late.token).status, 404);

  // Settled: the claims name the best share once.
  ApiResponse packet = Get("/api/v1/me/red-packets/" + id, alice.customer.token);
  ASSERT_EQ(packet.status, 200) << Describe(packet);
  EXPECT_EQ(packet.String("status"), "empty");
  int best = 0;
  for (const auto& claim : packet.json.at("claims").as_array()) best += claim.at("best").as_bool();
  EXPECT_EQ(best, 1);
  mine = Get("/api/v1/me/red-packets", alice.customer.token);
  EXPECT_EQ(mine.json.at("sent").as_array().size(), 1u);
  EXPECT_EQ(mine.json.at("to_send").as_int64(), 0);
  ApiResponse staff = Get("/api/v1/staff/red-packets", marketing_);
  EXPECT_EQ(staff.json.at("packets_sent").as_int64(), 1);
  EXPECT_EQ(staff.json.at("claims").as_int64(), 3);
  EXPECT_EQ(staff.json.at("spent").as_int64(), 1'000);
  EXPECT_EQ(staff.json.at("available").as_int64(), 9'000);
  EXPECT_EQ(staff.json.at("packets").at(0).at("claimed").as_int64(), 3);
}

TEST_F(RedPacketApiTest, APacketCannotBeOpenedOnADeviceItsSenderUsed) {
  ASSERT_EQ(Put("/api/v1/staff/red-packets", kProgramme, marketing_).status, 200);
  const Merchant shop = ActiveMerchant("noodles");
  const Funded alice = Customer(1, 100'000);
  ASSERT_EQ(Pay(alice.customer, PayBody(StaticQr(shop), 1'000), "pay-1").status, 201);
  const std::string id =
      Post("/api/v1/me/red-packets", "", alice.customer.token, "send-1").String("id");
  ASSERT_FALSE(id.empty());
  // Alice logs in on her phone; a second account claiming from that phone is refused.
  RequestOptions on_phone;
  on_phone.headers.emplace_back("X-Device-Id", "alice-phone");
  ApiResponse login = Request("POST", "/api/v1/sessions",
                              R"({"phone":")" + alice.customer.phone + R"(","password":")" +
                                  alice.customer.password + R"("})",
                              on_phone);
  ASSERT_EQ(login.status, 201) << Describe(login);
  const RegisteredCustomer alias = RegisterCustomer(Phone(2));
  EXPECT_EQ(Claim(alias, id, "alice-phone").ErrorCode(), "REDPACKET_SAME_DEVICE");
  EXPECT_EQ(Claim(alias, id, "another-phone").status, 201);
}

}  // namespace
}  // namespace qb::wallet::testing
