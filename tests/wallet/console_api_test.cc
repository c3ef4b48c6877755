// The staff console over HTTP: staff log-in, roles (401 vs 403), staff accounts, customer
// search and detail, tier grants, the SMS outbox and the ledger verification.
#include <gtest/gtest.h>

#include <string>

#include "api_test_util.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

class ConsoleApiTest : public WalletApiTest {
 protected:
  std::string Admin() {
    if (admin_token_.empty()) admin_token_ = StaffToken("admin", Roles({StaffRole::kAdmin}));
    return admin_token_;
  }
  std::string admin_token_;
};

TEST_F(ConsoleApiTest, StaffLogInAndMe) {
  // The API lower-cases user names (the engine compares them as given).
  CreateStaff("alice.admin", Roles({StaffRole::kAdmin, StaffRole::kAuditor}));
  ApiResponse login = StaffLogIn("ALICE.ADMIN", kDefaultPassword);
  ASSERT_EQ(login.status, 201) << Describe(login);
  EXPECT_FALSE(login.String("expires_at").empty());
  const boost::json::value& staff = login.json.at("staff");
  EXPECT_EQ(staff.at("username").as_string(), "alice.admin");
  EXPECT_EQ(staff.at("roles").as_array().size(), 2u);

  ApiResponse me = Get("/api/v1/staff/me", login.String("token"));
  ASSERT_EQ(me.status, 200) << Describe(me);
  EXPECT_EQ(me.String("display_name"), "alice.admin");
  EXPECT_EQ(me.json.at("roles").at(0).as_string(), "admin");
  EXPECT_EQ(me.json.at("roles").at(1).as_string(), "auditor");
}

TEST_F(ConsoleApiTest, StaffWrongPasswordUnknownNameAndLockout) {
  CreateStaff("bob", Roles({StaffRole::kSupport}));
  EXPECT_EQ(StaffLogIn("bob", "Wrong123abc").ErrorCode(), "INVALID_CREDENTIALS");
  EXPECT_EQ(StaffLogIn("nobody", "Wrong123abc").ErrorCode(), "INVALID_CREDENTIALS");
  for (int i = 2; i <= 4; i++) StaffLogIn("bob", "Wrong123abc");
  EXPECT_EQ(StaffLogIn("bob", "Wrong123abc").ErrorCode(), "LOGIN_LOCKED");
  EXPECT_EQ(StaffLogIn("bob", kDefaultPassword).ErrorCode(), "LOGIN_LOCKED");
}

TEST_F(ConsoleApiTest, ConsoleRoutesAre401WithoutStaffAnd403WithoutTheRole) {
  RegisteredCustomer customer = RegisterCustomer("13700137000");
  const std::string support = StaffToken("sam", Roles({StaffRole::kSupport}));
  for (const char* target :
       {"/api/v1/staff/staff", "/api/v1/staff/sms-outbox", "/api/v1/staff/ledger/verification",
        "/api/v1/staff/customers", "/api/v1/staff/me"}) {
    EXPECT_EQ(Get(target).status, 401) << target;
    EXPECT_EQ(Get(target, customer.token).status, 401) << target;  // Not a staff session.
  }
  for (const char* target :
       {"/api/v1/staff/staff", "/api/v1/staff/sms-outbox", "/api/v1/staff/ledger/verification"}) {
    ApiResponse response = Get(target, support);
    EXPECT_EQ(response.status, 403) << target;
    EXPECT_EQ(response.ErrorCode(), "FORBIDDEN") << target;
  }
  EXPECT_EQ(Get("/api/v1/staff/customers", support).status, 200);
  // A staff token is not a customer session either.
  EXPECT_EQ(Get("/api/v1/me", support).status, 401);
  ApiResponse tier = Post("/api/v1/staff/customers/1/tier", R"({"tier":"I"})", support);
  EXPECT_EQ(tier.status, 403);
}

TEST_F(ConsoleApiTest, AdminCreatesAndListsStaff) {
  const std::string admin = Admin();
  ApiResponse created = Post(
      "/api/v1/staff/staff",
      R"({"username":"Carol","display_name":"客服 Carol","password":"Carol2026pw","roles":["support","risk"]})",
      admin);
  ASSERT_EQ(created.status, 201) << Describe(created);
  EXPECT_EQ(created.String("username"), "carol");
  EXPECT_EQ(created.json.at("roles").as_array().size(), 2u);

  ApiResponse login = StaffLogIn("carol", "Carol2026pw");
  ASSERT_EQ(login.status, 201) << Describe(login);
  EXPECT_EQ(Get("/api/v1/staff/staff", login.String("token")).status, 403);

  ApiResponse list = Get("/api/v1/staff/staff", admin);
  ASSERT_EQ(list.status, 200) << Describe(list);
  ASSERT_EQ(list.json.at("staff").as_array().size(), 2u);
  EXPECT_EQ(list.json.at("staff").at(1).at("username").as_string(), "carol");
  EXPECT_EQ(list.body.find("argon2"), std::string::npos);

  ApiResponse taken = Post(
      "/api/v1/staff/staff",
      R"({"username":"carol","display_name":"C","password":"Carol2026pw","roles":["support"]})",
      admin);
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.ErrorCode(), "CONFLICT");
  ApiResponse weak = Post(
      "/api/v1/staff/staff",
      R"({"username":"dan","display_name":"D","password":"password","roles":["support"]})", admin);
  EXPECT_EQ(weak.ErrorCode(), "WEAK_PASSWORD");
  ApiResponse role = Post(
      "/api/v1/staff/staff",
      R"({"username":"dan","display_name":"D","password":"Dan2026pw","roles":["king"]})", admin);
  EXPECT_EQ(role.ErrorCode(), "FIELD_INVALID");
  ApiResponse no_roles =
      Post("/api/v1/staff/staff", R"({"username":"dan","display_name":"D","password":"Dan2026pw"})",
           admin);
  EXPECT_EQ(no_roles.ErrorCode(), "FIELD_REQUIRED");
  ApiResponse unknown =
      Post("/api/v1/staff/staff",
           R"({"username":"dan","display_name":"D","password":"Dan2026pw","roles":["risk"],"x":1})",
           admin);
  EXPECT_EQ(unknown.ErrorCode(), "UNKNOWN_FIELD");
  ApiResponse name = Post(
      "/api/v1/staff/staff",
      R"({"username":"d n","display_name":"D","password":"Dan2026pw","roles":["risk"]})", admin);
  EXPECT_EQ(name.ErrorCode(), "FIELD_INVALID");
}

TEST_F(ConsoleApiTest, CustomerSearchFindsByPhoneAndIdWithMaskedPhones) {
  RegisteredCustomer first = RegisterCustomer("13800138000");
  RegisteredCustomer second = RegisterCustomer("13800139999");
  RegisterCustomer("15900001111");
  WaitForReadModels();
  const std::string support = StaffToken("sam", Roles({StaffRole::kSupport}));

  ApiResponse prefix = Get("/api/v1/staff/customers?q=138001", support);
  ASSERT_EQ(prefix.status, 200) << Describe(prefix);
  const boost::json::array& found = prefix.json.at("customers").as_array();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found.at(0).at("id").as_string(), second.id);  // Newest first.
  EXPECT_EQ(found.at(1).at("phone_masked").as_string(), "138****8000");
  EXPECT_EQ(prefix.body.find("13800138000"), std::string::npos);
  EXPECT_TRUE(prefix.json.at("next_cursor").is_null());

  ApiResponse full = Get("/api/v1/staff/customers?q=%2B86%20138%200013%208000", support);
  ASSERT_EQ(full.status, 200) << Describe(full);
  ASSERT_EQ(full.json.at("customers").as_array().size(), 1u);
  EXPECT_EQ(full.json.at("customers").at(0).at("id").as_string(), first.id);

  ApiResponse by_id = Get("/api/v1/staff/customers?q=" + first.id, support);
  ASSERT_EQ(by_id.status, 200) << Describe(by_id);
  ASSERT_GE(by_id.json.at("customers").as_array().size(), 1u);
  EXPECT_EQ(by_id.json.at("customers").at(0).at("id").as_string(), first.id);

  ApiResponse page = Get("/api/v1/staff/customers?limit=2", support);
  ASSERT_EQ(page.status, 200) << Describe(page);
  ASSERT_EQ(page.json.at("customers").as_array().size(), 2u);
  ASSERT_TRUE(page.json.at("next_cursor").is_string());
  ApiResponse next = Get("/api/v1/staff/customers?limit=2&cursor=" +
                             std::string(page.json.at("next_cursor").as_string()),
                         support);
  ASSERT_EQ(next.status, 200) << Describe(next);
  EXPECT_EQ(next.json.at("customers").as_array().size(), 1u);

  EXPECT_EQ(Get("/api/v1/staff/customers?q=abc", support).ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(Get("/api/v1/staff/customers?limit=0", support).ErrorCode(), "FIELD_INVALID");
}

TEST_F(ConsoleApiTest, CustomerDetail) {
  RegisteredCustomer customer = RegisterCustomer("13800138000");
  WaitForReadModels();
  const std::string support = StaffToken("sam", Roles({StaffRole::kSupport}));
  ApiResponse detail = Get("/api/v1/staff/customers/" + customer.id, support);
  ASSERT_EQ(detail.status, 200) << Describe(detail);
  EXPECT_EQ(detail.json.at("customer").at("phone_masked").as_string(), "138****8000");
  EXPECT_EQ(detail.json.at("customer").at("tier").as_string(), "IV");
  EXPECT_TRUE(detail.json.at("customer").at("resident_id_masked").is_null());
  EXPECT_TRUE(detail.json.at("cards").as_array().empty());
  EXPECT_EQ(detail.json.at("balance").at("balance").as_int64(), 0);
  EXPECT_TRUE(detail.json.at("recent").as_array().empty());

  EXPECT_EQ(Get("/api/v1/staff/customers/999", support).status, 404);
  EXPECT_EQ(Get("/api/v1/staff/customers/abc", support).status, 404);
  EXPECT_EQ(Get("/api/v1/staff/customers/0" + customer.id, support).status, 404);
}

TEST_F(ConsoleApiTest, TierGrantNeedsAVerifiedIdentity) {
  RegisteredCustomer customer = RegisterCustomer("13800138000");
  const std::string agent = StaffToken("olga", Roles({StaffRole::kOutreachAgent}));
  ApiResponse grant = Post("/api/v1/staff/customers/" + customer.id + "/tier",
                           R"({"tier":"I","note":"branch"})", agent);
  EXPECT_EQ(grant.status, 403) << Describe(grant);
  EXPECT_EQ(grant.ErrorCode(), "IDENTITY_REQUIRED");
  EXPECT_EQ(Post("/api/v1/staff/customers/" + customer.id + "/tier", R"({"tier":"II"})", agent)
                .ErrorCode(),
            "FIELD_INVALID");
  EXPECT_EQ(Post("/api/v1/staff/customers/999/tier", R"({"tier":"I"})", agent).status, 404);
}

TEST_F(ConsoleApiTest, TierGrantAfterIdentityVerification) {
  RegisteredCustomer customer = RegisterCustomer("13800138000");
  ApiResponse verified =
      Post("/api/v1/me/identity", R"({"real_name":"张三","resident_id":"11010519491231002X"})",
           customer.token);
  if (verified.status == 404) GTEST_SKIP() << "identity verification is not routed yet";
  ASSERT_EQ(verified.status, 200) << Describe(verified);
  const std::string agent = StaffToken("olga", Roles({StaffRole::kOutreachAgent}));
  ApiResponse grant =
      Post("/api/v1/staff/customers/" + customer.id + "/tier", R"({"tier":"I"})", agent);
  ASSERT_EQ(grant.status, 200) << Describe(grant);
  EXPECT_EQ(grant.String("tier"), "I");
  EXPECT_EQ(grant.String("id"), customer.id);
  EXPECT_EQ(Get("/api/v1/me", customer.token).String("tier"), "I");
}

TEST_F(ConsoleApiTest, SmsOutboxIsForAdmins) {
  RequestOtp("13800138000");
  ApiResponse outbox = Get("/api/v1/staff/sms-outbox?phone=13800138000", Admin());
  ASSERT_EQ(outbox.status, 200) << Describe(outbox);
  const boost::json::array& messages = outbox.json.at("messages").as_array();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages.at(0).at("phone").as_string(), "13800138000");
  const std::string text(messages.at(0).at("text").as_string());
  EXPECT_NE(text.find(LatestOtp("13800138000")), std::string::npos);
  EXPECT_EQ(messages.at(0).at("sent_at").as_string(), Rfc3339(clock_.NowNs()));

  ApiResponse other = Get("/api/v1/staff/sms-outbox?phone=13900139000", Admin());
  EXPECT_TRUE(other.json.at("messages").as_array().empty());
  EXPECT_EQ(Get("/api/v1/staff/sms-outbox?phone=123", Admin()).ErrorCode(), "FIELD_INVALID");
}

TEST_F(ConsoleApiTest, SmsOutboxIs404WithARealProvider) {
  const std::string admin = Admin();
  StopServer();
  StartServer(WalletOptions(), /*console_outbox=*/false);
  ApiResponse outbox = Get("/api/v1/staff/sms-outbox", admin);  // The session survived.
  EXPECT_EQ(outbox.status, 404) << Describe(outbox);
  EXPECT_EQ(outbox.ErrorCode(), "NOT_FOUND");
}

TEST_F(ConsoleApiTest, LedgerVerificationIsOk) {
  RegisterCustomer("13800138000");
  RegisterCustomer("13800138001");
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  ApiResponse check = Get("/api/v1/staff/ledger/verification", auditor);
  ASSERT_EQ(check.status, 200) << Describe(check);
  EXPECT_EQ(check.String("status"), "ok") << check.body;
  EXPECT_TRUE(check.json.at("invariants_ok").as_bool());
  EXPECT_TRUE(check.json.at("read_models_ok").as_bool());
  EXPECT_TRUE(check.json.at("problems").as_array().empty());
  EXPECT_GE(check.json.at("accounts").as_int64(), 2);
  EXPECT_EQ(check.json.at("journal_seq").as_int64(), check.json.at("projected_seq").as_int64());
  EXPECT_FALSE(check.String("checked_at").empty());
  EXPECT_EQ(Get("/api/v1/staff/ledger/verification", Admin()).status, 200);
}

TEST_F(ConsoleApiTest, StaffLogOutAndIdleTimeout) {
  const std::string admin = Admin();
  ApiResponse out = Delete("/api/v1/staff/sessions/current", admin);
  EXPECT_EQ(out.status, 204) << Describe(out);
  EXPECT_EQ(Get("/api/v1/staff/me", admin).status, 401);

  ApiResponse login = StaffLogIn("admin", kDefaultPassword);
  ASSERT_EQ(login.status, 201);
  const std::string token = login.String("token");
  AdvanceClock(14 * kNsPerMinute);
  EXPECT_EQ(Get("/api/v1/staff/me", token).status, 200);
  AdvanceClock(16 * kNsPerMinute);  // Staff idle out after 15 minutes, customers after 30.
  EXPECT_EQ(Get("/api/v1/staff/me", token).status, 401);
}

}  // namespace
}  // namespace qb::wallet::testing
