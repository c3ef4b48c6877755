// Role-based access to the staff console, walked exhaustively: every route the router holds
// under /api/v1/staff/ is called by every role, by no one and by a customer, and each answer is
// checked against the one table in src/wallet/staff_access.cc. 401 (no staff session) and 403
// (a staff session without the role) stay distinct.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api_test_util.h"
#include "wallet/staff_access.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

constexpr std::string_view kStaffPrefix = "/api/v1/staff/";

struct Route {
  std::string method;
  std::string path;
};

class StaffAccessApiTest : public WalletApiTest {
 protected:
  // Every registered staff route but the public log-in, with DELETE .../sessions/current last
  // (it ends the caller's session).
  std::vector<Route> StaffRoutes() {
    std::vector<Route> routes;
    router_->ForEachRoute([&](std::string_view method, std::string_view path) {
      if (!path.starts_with(kStaffPrefix)) return;
      if (method == "POST" && path == "/api/v1/staff/sessions") return;  // The log-in.
      routes.push_back({std::string(method), std::string(path)});
    });
    std::stable_partition(routes.begin(), routes.end(), [](const Route& route) {
      return route.path != "/api/v1/staff/sessions/current";
    });
    return routes;
  }

  // The route with every "{name}" segment replaced by "1".
  static std::string Target(std::string_view path) {
    std::string target;
    size_t i = 0;
    while (i < path.size()) {
      if (path[i] == '{') {
        target += '1';
        i = path.find('}', i) + 1;
      } else {
        target += path[i++];
      }
    }
    return target;
  }

  ApiResponse Call(const Route& route, const std::string& token) {
    RequestOptions options;
    options.token = token;
    const bool has_body = route.method == "POST" || route.method == "PUT";
    return Request(route.method, Target(route.path), has_body ? "{}" : "", options);
  }
};

TEST_F(StaffAccessApiTest, TheTableListsExactlyTheRegisteredStaffRoutes) {
  std::set<std::pair<std::string, std::string>> registered;
  for (const Route& route : StaffRoutes()) {
    EXPECT_NE(FindStaffRoute(route.method, route.path), nullptr)
        << route.method << " " << route.path << " has no line in the access table";
    registered.emplace(route.method, route.path);
  }
  for (const StaffRouteAccess& access : StaffRouteTable()) {
    EXPECT_TRUE(registered.contains({std::string(access.method), std::string(access.path)}))
        << access.method << " " << access.path << " is in the table but not registered";
    EXPECT_NE(access.roles, 0u) << access.path << " would be closed to everyone";
    EXPECT_EQ(access.roles & ~identity::kAllStaffRoles, 0u) << access.path;
  }
  EXPECT_GE(registered.size(), 16u);
}

TEST_F(StaffAccessApiTest, EveryRouteTimesEveryRoleMatchesTheTable) {
  const std::vector<Route> routes = StaffRoutes();
  ASSERT_FALSE(routes.empty());
  RegisteredCustomer customer = RegisterCustomer("13900139000");

  // No session, a customer's session and a made-up token: 401, never 403.
  for (const Route& route : routes) {
    for (const std::string& token : {std::string(), customer.token, std::string(43, 'A')}) {
      ApiResponse response = Call(route, token);
      EXPECT_EQ(response.status, 401)
          << route.method << " " << route.path << ": " << Describe(response);
      EXPECT_EQ(response.ErrorCode(), "UNAUTHORIZED") << route.path;
    }
  }

  size_t allowed_calls = 0;
  size_t denied_calls = 0;
  for (uint32_t bit = 1; bit <= identity::kAllStaffRoles; bit <<= 1) {
    const auto role = static_cast<StaffRole>(bit);
    const std::string name(identity::StaffRoleName(role));
    const std::string token = StaffToken("only." + name, bit);
    ASSERT_FALSE(token.empty()) << name;
    for (const Route& route : routes) {
      const StaffRouteAccess* access = FindStaffRoute(route.method, route.path);
      ASSERT_NE(access, nullptr) << route.path;
      ApiResponse response = Call(route, token);
      const std::string where = name + " " + route.method + " " + route.path + ": ";
      if ((access->roles & bit) != 0) {
        allowed_calls++;
        EXPECT_NE(response.status, 401) << where << Describe(response);
        EXPECT_NE(response.status, 403) << where << Describe(response);
        EXPECT_GT(response.status, 0) << where;
      } else {
        denied_calls++;
        EXPECT_EQ(response.status, 403) << where << Describe(response);
        EXPECT_EQ(response.ErrorCode(), "FORBIDDEN") << where;
      }
    }
    // The last route ended the session: the token is dead now.
    EXPECT_EQ(Get("/api/v1/staff/me", token).status, 401) << name;
  }
  EXPECT_GT(allowed_calls, 0u);
  EXPECT_GT(denied_calls, 0u);
}

TEST_F(StaffAccessApiTest, NoRoleEscalationThroughTheStaffRoutes) {
  const std::string admin = StaffToken("root", Roles({StaffRole::kAdmin}));
  const std::string support = StaffToken("helpdesk", Roles({StaffRole::kSupport}));
  ApiResponse before = Get("/api/v1/staff/staff", admin);
  ASSERT_EQ(before.status, 200) << Describe(before);

  // Support tries to create an admin, and to grant a tier: refused, nothing created.
  ApiResponse created = Post(
      "/api/v1/staff/staff",
      R"({"username":"mallory","display_name":"m","password":"Mallory2026pw","roles":["admin"]})",
      support);
  EXPECT_EQ(created.status, 403) << Describe(created);
  EXPECT_EQ(created.ErrorCode(), "FORBIDDEN");
  EXPECT_EQ(StaffLogIn("mallory", "Mallory2026pw").ErrorCode(), "INVALID_CREDENTIALS");
  ApiResponse after = Get("/api/v1/staff/staff", admin);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.body, before.body);

  // The support session still cannot do what an admin does: its roles come from the session.
  EXPECT_EQ(Get("/api/v1/staff/sms-outbox", support).status, 403);
  EXPECT_EQ(Get("/api/v1/staff/me", support).json.at("roles").as_array().size(), 1u);
}

}  // namespace
}  // namespace qb::wallet::testing
