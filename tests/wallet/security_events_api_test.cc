// GET /api/v1/me/security-events over HTTP: the caller's own security events from the audit log,
// newest first, in words; staff views of their data with the reason (not the staff member);
// another customer's events never; cursor paging; no session, 401.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "money_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

class SecurityEventsApiTest : public MoneyApiTest {
 protected:
  std::vector<std::string> Types(const ApiResponse& response) {
    std::vector<std::string> types;
    for (const boost::json::value& event : response.json.at("events").as_array()) {
      types.emplace_back(event.at("type").as_string());
    }
    return types;
  }
};

TEST_F(SecurityEventsApiTest, OwnEventsNewestFirstWithStaffViewsAndPaging) {
  Funded funded = TierTwo(1);
  Funded other = TierTwo(2);
  const std::string phone = Phone(1);
  EXPECT_EQ(LogIn(phone, "WrongPassword99").status, 401);
  ASSERT_EQ(LogIn(phone, kDefaultPassword).status, 201);
  RequestOptions put;
  put.token = funded.customer.token;
  ASSERT_EQ(Request("PUT", "/api/v1/me/payment-pin", R"({"pin":"258036"})", put).status, 200);
  const std::string support = StaffToken("sam", Roles({StaffRole::kSupport}));
  ASSERT_EQ(Post("/api/v1/staff/customers/" + funded.customer.id + "/reveal",
                 R"({"field":"resident_id","reason":"来电核实身份 ticket 88"})", support)
                .status,
            200);
  ASSERT_EQ(LogIn(Phone(2), kDefaultPassword).status, 201);  // The other customer's.
  WaitForReadModels();

  ApiResponse all = Get("/api/v1/me/security-events", funded.customer.token);
  ASSERT_EQ(all.status, 200) << Describe(all);
  EXPECT_EQ(all.headers["cache-control"], "no-store");
  const std::vector<std::string> types = Types(all);
  ASSERT_GE(types.size(), 4u) << all.body;
  EXPECT_EQ(types[0], "staff_viewed_data");
  EXPECT_EQ(types[1], "pin_set");
  EXPECT_EQ(types[2], "login");
  EXPECT_EQ(types[3], "login_failed");
  const boost::json::object& viewed = all.json.at("events").as_array()[0].as_object();
  EXPECT_EQ(viewed.at("by").as_string(), "bank_staff");
  EXPECT_EQ(viewed.at("field").as_string(), "resident_id");
  EXPECT_EQ(viewed.at("reason").as_string(), "来电核实身份 ticket 88");
  EXPECT_FALSE(viewed.contains("actor")) << "the staff member is for auditors, not customers";
  EXPECT_TRUE(viewed.at("device").is_null());
  EXPECT_FALSE(viewed.at("time").as_string().empty());
  const boost::json::object& failed = all.json.at("events").as_array()[3].as_object();
  EXPECT_EQ(failed.at("by").as_string(), "you");
  EXPECT_EQ(failed.at("description").as_string(), "Wrong password at sign-in");
  EXPECT_TRUE(all.json.at("next_cursor").is_null());
  EXPECT_EQ(all.body.find(ResidentId(1)), std::string::npos);

  // Paging: two at a time, the same events in the same order.
  std::vector<std::string> paged;
  std::string target = "/api/v1/me/security-events?limit=2";
  for (int page = 0; page < 10; page++) {
    ApiResponse response = Get(target, funded.customer.token);
    ASSERT_EQ(response.status, 200) << Describe(response);
    EXPECT_LE(response.json.at("events").as_array().size(), 2u);
    for (const std::string& type : Types(response)) paged.push_back(type);
    if (response.json.at("next_cursor").is_null()) break;
    target = "/api/v1/me/security-events?limit=2&cursor=" +
             std::string(response.json.at("next_cursor").as_string());
  }
  EXPECT_EQ(paged, types);

  // The other customer sees only their own log-in.
  ApiResponse theirs = Get("/api/v1/me/security-events", other.customer.token);
  ASSERT_EQ(theirs.status, 200);
  EXPECT_EQ(Types(theirs), std::vector<std::string>{"login"});

  EXPECT_EQ(Get("/api/v1/me/security-events").status, 401);
  EXPECT_EQ(Get("/api/v1/me/security-events?limit=0", funded.customer.token).ErrorCode(),
            "FIELD_INVALID");
  EXPECT_EQ(Get("/api/v1/me/security-events?cursor=zzz", funded.customer.token).status, 400);
}

}  // namespace
}  // namespace qb::wallet::testing
