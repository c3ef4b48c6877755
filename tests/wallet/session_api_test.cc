// The customer's list of signed-in devices over HTTP: what it shows, signing one session out,
// signing out every other one, and that a revoked session stays revoked after a restart.
#include <gtest/gtest.h>

#include <string>

#include "api_test_util.h"

namespace qb::wallet::testing {
namespace {

class SessionApiTest : public WalletApiTest {
 protected:
  // Logs in with the given User-Agent and returns the token.
  std::string LogInAs(const RegisteredCustomer& customer, const std::string& user_agent,
                      std::string_view source_address = "") {
    RequestOptions options;
    options.headers = {{"User-Agent", user_agent}};
    ApiResponse login = Request(
        "POST", "/api/v1/sessions",
        R"({"phone":")" + customer.phone + R"(","password":")" + customer.password + R"("})",
        options, source_address);
    EXPECT_EQ(login.status, 201) << Describe(login);
    return login.String("token");
  }
};

TEST_F(SessionApiTest, ListsEverySessionOfTheCallerAndNoOneElses) {
  RegisteredCustomer alice = RegisterCustomer("13800138001");
  RegisteredCustomer bob = RegisterCustomer("13800138002");
  AdvanceClock(kNsPerMinute);
  const std::string phone = LogInAs(alice, "QianbaoApp/3.1 (Android 14; Pixel 8)", "127.0.0.2");
  AdvanceClock(kNsPerMinute);
  const std::string laptop = LogInAs(alice, "Mozilla/5.0 (X11; Linux x86_64) \xe5\x8d\x8e");

  ApiResponse list = Get("/api/v1/me/sessions", laptop);
  ASSERT_EQ(list.status, 200) << Describe(list);
  EXPECT_EQ(list.headers["cache-control"], "no-store");
  const boost::json::array& sessions = list.json.at("sessions").as_array();
  ASSERT_EQ(sessions.size(), 3u);  // Registration's session, the phone, the laptop.
  // Newest first; the caller's own is marked.
  EXPECT_EQ(sessions[0].at("current").as_bool(), true);
  EXPECT_EQ(sessions[0].at("device").as_string(), "Mozilla/5.0 (X11; Linux x86_64) ???");
  EXPECT_EQ(sessions[0].at("ip").as_string(), "127.0.0.1");
  EXPECT_EQ(sessions[1].at("current").as_bool(), false);
  EXPECT_EQ(sessions[1].at("device").as_string(), "QianbaoApp/3.1 (Android 14; Pixel 8)");
  EXPECT_EQ(sessions[1].at("ip").as_string(), "127.0.0.2");
  EXPECT_EQ(sessions[0].at("id").as_string().size(), 16u);
  EXPECT_EQ(sessions[0].at("expires_at").as_string(), "2026-11-23T13:02:00Z");  // 12 h.
  // No token or token hash anywhere in the answer.
  EXPECT_EQ(list.body.find(laptop), std::string::npos);
  EXPECT_EQ(list.body.find(phone), std::string::npos);

  ApiResponse bobs = Get("/api/v1/me/sessions", bob.token);
  ASSERT_EQ(bobs.status, 200);
  EXPECT_EQ(bobs.json.at("sessions").as_array().size(), 1u);
  // Bob cannot sign out Alice's session by its id.
  const std::string phone_id(sessions[1].at("id").as_string());
  EXPECT_EQ(Delete("/api/v1/me/sessions/" + phone_id, bob.token).status, 404);
  EXPECT_EQ(Get("/api/v1/me", phone).status, 200);
  EXPECT_EQ(Get("/api/v1/me/sessions").status, 401);
}

TEST_F(SessionApiTest, SignOutOneSessionAndItStaysOutAfterARestart) {
  RegisteredCustomer alice = RegisterCustomer("13800138003");
  const std::string stolen = LogInAs(alice, "Unknown phone");
  ApiResponse list = Get("/api/v1/me/sessions", alice.token);
  ASSERT_EQ(list.status, 200);
  std::string stolen_id;
  for (const boost::json::value& session : list.json.at("sessions").as_array()) {
    if (session.at("device").as_string() == "Unknown phone") {
      stolen_id = std::string(session.at("id").as_string());
    }
  }
  ASSERT_FALSE(stolen_id.empty());
  EXPECT_EQ(Delete("/api/v1/me/sessions/" + stolen_id, alice.token).status, 204);
  EXPECT_EQ(Get("/api/v1/me", stolen).status, 401);
  EXPECT_EQ(Delete("/api/v1/me/sessions/" + stolen_id, alice.token).status, 404);
  EXPECT_EQ(Delete("/api/v1/me/sessions/zzzz", alice.token).status, 404);

  StopServer();
  StartServer();
  EXPECT_EQ(Get("/api/v1/me", stolen).status, 401);
  EXPECT_EQ(Get("/api/v1/me", alice.token).status, 200);
}

TEST_F(SessionApiTest, SignOutEveryOtherSession) {
  RegisteredCustomer alice = RegisterCustomer("13800138004");
  const std::string a = LogInAs(alice, "a");
  const std::string b = LogInAs(alice, "b");
  EXPECT_EQ(Delete("/api/v1/me/sessions", b).status, 204);
  EXPECT_EQ(Get("/api/v1/me", a).status, 401);
  EXPECT_EQ(Get("/api/v1/me", alice.token).status, 401);
  EXPECT_EQ(Get("/api/v1/me", b).status, 200);
  ApiResponse list = Get("/api/v1/me/sessions", b);
  ASSERT_EQ(list.json.at("sessions").as_array().size(), 1u);
  // Nothing else to sign out: still 204.
  EXPECT_EQ(Delete("/api/v1/me/sessions", b).status, 204);

  StopServer();
  StartServer();
  EXPECT_EQ(Get("/api/v1/me", a).status, 401);
  EXPECT_EQ(Get("/api/v1/me", b).status, 200);
}

}  // namespace
}  // namespace qb::wallet::testing
