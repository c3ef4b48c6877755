// The referral API over HTTP (issue 6): marketing ops set the programme; a customer's invite
// code signs a friend up; the friend's first qualifying payment rewards both; a code that names
// nobody is refused at sign-up; a second account signed up on the inviter's own phone earns
// nothing; staff see why, the customer only that it was refused.
#include <gtest/gtest.h>

#include <string>

#include "referral/invite_code.h"
#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

constexpr char kProgram[] =
    R"({"enabled":true,"qualify_days":30,"min_payment":1000,)"
    R"("inviter_reward":{"kind":"cash","amount":1000},"invitee_reward":{"kind":"points","amount":500},)"
    R"("inviter_monthly_cap":10,"budget":100000})";

class ReferralApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    PaymentApiTest::SetUp();
    marketing_ = StaffToken("marketer", Roles({StaffRole::kMarketing}));
  }
  // Signs up from the app on `device` with `invite_code` ("" for none).
  ApiResponse SignUp(const std::string& phone, const std::string& invite_code,
                     const std::string& device) {
    const std::string code = RequestOtp(phone);
    RequestOptions options;
    options.headers.emplace_back("X-Device-Id", device);
    std::string body = R"({"phone":")" + phone + R"(","otp":")" + code + R"(","password":")" +
                       std::string(kDefaultPassword) + R"(")";
    if (!invite_code.empty()) body += R"(,"invite_code":")" + invite_code + R"(")";
    return Request("POST", "/api/v1/customers", body + "}", options);
  }
  // A verified customer with a card and `amount_fen`, signed up on `device` with `invite_code`.
  Funded Friend(int serial, const std::string& invite_code, const std::string& device,
                int64_t amount_fen) {
    ApiResponse signed_up = SignUp(Phone(serial), invite_code, device);
    EXPECT_EQ(signed_up.status, 201) << Describe(signed_up);
    Funded funded{
        RegisteredCustomer{signed_up.json.at("customer").at("id").as_string().c_str(),
                           Phone(serial), std::string(kDefaultPassword), signed_up.String("token")},
        ""};
    EXPECT_EQ(Verify(funded.customer, "李四", ResidentId(serial)).status, 200);
    ApiResponse card = Bind(funded.customer, CardNumber(serial));
    EXPECT_EQ(card.status, 201) << Describe(card);
    funded.card_id = card.String("id");
    if (amount_fen > 0) {
      EXPECT_EQ(TopUp(funded, amount_fen, "fund").status, 201);
    }
    return funded;
  }
  ApiResponse Mine(const RegisteredCustomer& customer) {
    ApiResponse mine = Get("/api/v1/me/referral", customer.token);
    EXPECT_EQ(mine.status, 200) << Describe(mine);
    return mine;
  }
  std::string marketing_;
};

TEST_F(ReferralApiTest, OpsSetTheProgrammeWithTheirRoles) {
  ApiResponse none = Get("/api/v1/staff/referral-program", marketing_);
  ASSERT_EQ(none.status, 200) << Describe(none);
  EXPECT_EQ(none.json.at("version").as_int64(), 0);
  EXPECT_FALSE(none.json.at("enabled").as_bool());
  EXPECT_TRUE(none.json.at("updated_at").is_null());

  std::string bad = kProgram;
  bad.replace(bad.find(R"("qualify_days":30)"), 17, R"("qualify_days":91)");
  ApiResponse refused = Put("/api/v1/staff/referral-program", bad, marketing_);
  EXPECT_EQ(refused.status, 422) << Describe(refused);
  EXPECT_EQ(refused.ErrorCode(), "REFERRAL_INVALID_PROGRAM");
  EXPECT_NE(refused.body.find("qualify_days"), std::string::npos) << refused.body;
  bad = kProgram;
  bad.replace(bad.find(R"("kind":"cash")"), 13, R"("kind":"gold")");
  EXPECT_EQ(Put("/api/v1/staff/referral-program", bad, marketing_).ErrorCode(), "FIELD_INVALID");
  bad = kProgram;
  bad.replace(bad.find(R"("amount":500)"), 12, R"("amount":0)");
  ApiResponse zero = Put("/api/v1/staff/referral-program", bad, marketing_);
  EXPECT_EQ(zero.ErrorCode(), "REFERRAL_INVALID_PROGRAM");
  EXPECT_NE(zero.body.find("invitee_reward.amount"), std::string::npos) << zero.body;
  bad = std::string(kProgram);
  bad.insert(bad.size() - 1, R"(,"bonus":1)");
  EXPECT_EQ(Put("/api/v1/staff/referral-program", bad, marketing_).ErrorCode(), "UNKNOWN_FIELD");

  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(Put("/api/v1/staff/referral-program", kProgram, auditor).status, 403);
  EXPECT_EQ(Get("/api/v1/staff/referral-program", auditor).status, 200);
  EXPECT_EQ(Get("/api/v1/staff/referrals", auditor).status, 200);

  ApiResponse set = Put("/api/v1/staff/referral-program", kProgram, marketing_);
  ASSERT_EQ(set.status, 200) << Describe(set);
  EXPECT_EQ(set.json.at("version").as_int64(), 1);
  EXPECT_EQ(set.json.at("budget").as_int64(), 100'000);
  EXPECT_EQ(set.json.at("spent").as_int64(), 0);
  EXPECT_TRUE(set.json.at("invitee_must_verify").as_bool());
  EXPECT_EQ(set.json.at("inviter_reward").at("kind").as_string(), "cash");
  EXPECT_EQ(set.json.at("figures").at("invited").as_int64(), 0);
  // The budget came out of marketing expense into the programme's account.
  int64_t budget = -1;
  engine_->Execute(engine::Query{[&budget](const engine::StateMachine& s) {
    if (const ledger::Account* a = s.ledger().FindAccount(engine::kReferralBudgetAccountId)) {
      budget = a->credits_posted - a->debits_posted;
    }
  }});
  EXPECT_EQ(budget, 100'000);
}

TEST_F(ReferralApiTest, AFriendsFirstPaymentRewardsBothAndSelfReferralEarnsNothing) {
  ASSERT_EQ(Put("/api/v1/staff/referral-program", kProgram, marketing_).status, 200);
  const Merchant shop = ActiveMerchant("noodles");
  const std::string qr = StaticQr(shop);
  const Funded alice = Friend(1, "", "alice-phone", 0);
  ApiResponse mine = Mine(alice.customer);
  const std::string code = mine.String("invite_code");
  ASSERT_EQ(code.size(), 8u);
  EXPECT_EQ(mine.String("invite_path"), "/register?invite=" + code);
  EXPECT_TRUE(mine.json.at("invited_by").is_null());
  EXPECT_EQ(mine.json.at("this_month").at("cap").as_int64(), 10);

  // Codes that name nobody are refused; a lower-case code is the same code.
  std::string typo = code;
  typo[2] = typo[2] == 'Z' ? 'Y' : 'Z';
  ApiResponse wrong = SignUp(Phone(5), typo, "eve-phone");
  EXPECT_EQ(wrong.status, 422) << Describe(wrong);
  EXPECT_EQ(wrong.ErrorCode(), "INVITE_CODE_INVALID");
  AdvanceClock(61 * kNsPerSecond);  // one code a minute per phone
  ApiResponse nobody = SignUp(Phone(5), referral::InviteCode(9'999), "eve-phone");
  EXPECT_EQ(nobody.ErrorCode(), "INVITE_CODE_INVALID") << Describe(nobody);

  std::string lower = code;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const Funded bob = Friend(2, lower, "bob-phone", 100'000);
  ApiResponse bob_mine = Mine(bob.customer);
  EXPECT_EQ(bob_mine.json.at("invited_by").at("status").as_string(), "pending");
  EXPECT_EQ(bob_mine.json.at("invited_by").at("reward").at("kind").as_string(), "points");

  ApiResponse paid = Pay(bob.customer, PayBody(qr, 2'000), "bob-1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  WaitForReadModels();
  mine = Mine(alice.customer);
  ASSERT_EQ(mine.json.at("invitees").as_array().size(), 1u);
  EXPECT_EQ(mine.json.at("invitees").at(0).at("status").as_string(), "rewarded");
  EXPECT_EQ(mine.json.at("invitees").at(0).at("phone").as_string(), "138****8102");
  EXPECT_EQ(mine.json.at("invitees").at(0).at("reward").at("amount").as_int64(), 1'000);
  EXPECT_EQ(mine.json.at("earned").at("cash").as_int64(), 1'000);
  EXPECT_EQ(mine.json.at("this_month").at("rewarded").as_int64(), 1);
  EXPECT_EQ(Balance(alice.customer), 1'000);
  const boost::json::array alice_history = History(alice.customer);
  ASSERT_FALSE(alice_history.empty());
  EXPECT_EQ(alice_history[0].at("type").as_string(), "referral");
  EXPECT_EQ(alice_history[0].at("amount").as_int64(), 1'000);
  EXPECT_EQ(alice_history[0].at("direction").as_string(), "in");
  ApiResponse points = Get("/api/v1/me/points", bob.customer.token);
  ASSERT_EQ(points.status, 200) << Describe(points);
  EXPECT_EQ(points.json.at("balance").as_int64(), 500);
  EXPECT_EQ(points.json.at("entries").at(0).at("kind").as_string(), "referral");
  EXPECT_EQ(Mine(bob.customer).json.at("invited_by").at("status").as_string(), "rewarded");

  // Carol signs up on Alice's own phone with Alice's code: the referral is refused at once.
  const Funded carol = Friend(3, code, "alice-phone", 100'000);
  ASSERT_EQ(Pay(carol.customer, PayBody(qr, 2'000), "carol-1").status, 201);
  ApiResponse carol_mine = Mine(carol.customer);
  EXPECT_EQ(carol_mine.json.at("invited_by").at("status").as_string(), "refused");
  EXPECT_FALSE(carol_mine.json.at("invited_by").as_object().contains("reason"));
  EXPECT_EQ(Balance(alice.customer), 1'000);

  ApiResponse list = Get("/api/v1/staff/referrals", marketing_);
  ASSERT_EQ(list.status, 200) << Describe(list);
  const boost::json::array& rows = list.json.at("referrals").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("invitee_id").as_string(), carol.customer.id);  // newest first
  EXPECT_EQ(rows[0].at("status").as_string(), "refused");
  EXPECT_EQ(rows[0].at("reason").as_string(), "same_device");
  EXPECT_EQ(rows[1].at("status").as_string(), "rewarded");
  EXPECT_EQ(rows[1].at("payment_id").as_string(), paid.String("id"));
  ApiResponse figures = Get("/api/v1/staff/referral-program", marketing_);
  EXPECT_EQ(figures.json.at("spent").as_int64(), 1'000);
  EXPECT_EQ(figures.json.at("figures").at("rewarded").as_int64(), 1);
  EXPECT_EQ(figures.json.at("figures").at("refused").as_int64(), 1);
  EXPECT_EQ(figures.json.at("figures").at("invitee_points").as_int64(), 500);

  // The refund takes both rewards back.
  ASSERT_EQ(Refund(shop, paid.String("id"), 2'000, "refund-1").status, 201);
  WaitForReadModels();
  EXPECT_EQ(Balance(alice.customer), 0);
  EXPECT_EQ(Mine(alice.customer).json.at("invitees").at(1).at("status").as_string(),
            "clawed_back");  // newest first: Carol, then Bob
  EXPECT_EQ(Get("/api/v1/me/points", bob.customer.token).json.at("balance").as_int64(), 0);
}

}  // namespace
}  // namespace qb::wallet::testing
