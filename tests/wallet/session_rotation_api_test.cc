// Session rotation on a privilege change over HTTP: verifying the identity, binding a card,
// setting the payment PIN, turning two-step log-in on and binding a device key each answer a
// new token in X-Session-Token; the old token is dead at once and after a restart, the new one
// keeps the session's expiry, and a refused change rotates nothing.
#include <gtest/gtest.h>

#include <string>

#include "money_fixture.h"

namespace qb::wallet::testing {
namespace {

class SessionRotationApiTest : public MoneyApiTest {
 protected:
  // GET /api/v1/me with exactly `token` (no following of rotations).
  int StatusWith(const std::string& token) {
    RequestOptions options;
    options.token = token;
    options.follow_rotation = false;
    return Request("GET", "/api/v1/me", "", options).status;
  }
  // The caller's one session as GET /me/sessions lists it.
  boost::json::object OnlySession(const std::string& token) {
    ApiResponse sessions = Get("/api/v1/me/sessions", token);
    EXPECT_EQ(sessions.status, 200) << Describe(sessions);
    const boost::json::array& list = sessions.json.at("sessions").as_array();
    EXPECT_EQ(list.size(), 1u);
    return list.empty() ? boost::json::object() : list[0].as_object();
  }
};

TEST_F(SessionRotationApiTest, APrivilegeChangeAnswersANewTokenAndKillsTheOld) {
  RegisteredCustomer alice = RegisterCustomer(Phone(1));
  const std::string first = alice.token;
  const boost::json::object before = OnlySession(first);

  // A refused verification changes no privilege: no new token.
  ApiResponse refused = Verify(alice, "张三", "123");
  EXPECT_EQ(refused.status, 400) << Describe(refused);
  EXPECT_EQ(refused.headers.count("x-session-token"), 0u);
  EXPECT_EQ(StatusWith(first), 200);

  ApiResponse verified = Verify(alice, "张三", ResidentId(1));
  ASSERT_EQ(verified.status, 200) << Describe(verified);
  ASSERT_EQ(verified.headers.count("x-session-token"), 1u);
  const std::string second = verified.headers["x-session-token"];
  EXPECT_EQ(second.size(), first.size());
  EXPECT_NE(second, first);
  EXPECT_EQ(StatusWith(first), 401);
  EXPECT_EQ(StatusWith(second), 200);
  // Same session, same creation and absolute expiry: rotating never extends it.
  const boost::json::object after = OnlySession(second);
  EXPECT_EQ(after.at("created_at"), before.at("created_at"));
  EXPECT_EQ(after.at("expires_at"), before.at("expires_at"));
  EXPECT_TRUE(after.at("current").as_bool());

  // Binding a card raises the tier again: another rotation.
  ApiResponse card = Bind(alice, CardNumber(1));
  ASSERT_EQ(card.status, 201) << Describe(card);
  const std::string third = card.headers["x-session-token"];
  ASSERT_FALSE(third.empty());
  EXPECT_EQ(StatusWith(second), 401);
  // And the payment PIN.
  ApiResponse pin = Put("/api/v1/me/payment-pin", R"({"pin":"258036"})", alice.token);
  ASSERT_EQ(pin.status, 200) << Describe(pin);
  const std::string fourth = pin.headers["x-session-token"];
  ASSERT_FALSE(fourth.empty());
  EXPECT_EQ(StatusWith(third), 401);

  // The rotation is an engine command: after a restart the old tokens stay dead.
  StopServer();
  StartServer();
  EXPECT_EQ(StatusWith(first), 401);
  EXPECT_EQ(StatusWith(third), 401);
  EXPECT_EQ(StatusWith(fourth), 200);
}

TEST_F(SessionRotationApiTest, OnlyTheCallersSessionRotates) {
  RegisteredCustomer alice = RegisterCustomer(Phone(2));
  ApiResponse other = LogIn(alice.phone, alice.password);
  ASSERT_EQ(other.status, 201) << Describe(other);
  const std::string other_token = other.String("token");
  ApiResponse verified = Verify(alice, "张三", ResidentId(2));
  ASSERT_EQ(verified.status, 200) << Describe(verified);
  EXPECT_FALSE(verified.headers["x-session-token"].empty());
  // The customer's other device keeps its session.
  EXPECT_EQ(StatusWith(other_token), 200);
}

}  // namespace
}  // namespace qb::wallet::testing
