// Who on the bank's staff may call what: one table, every staff route with the roles that may
// call it. Routes are registered through AddStaffRoute, which refuses (asserts on) a route the
// table does not list, so no staff route can exist without an entry; a test walks every route
// × every role against this table (tests/wallet/staff_access_api_test.cc).
//
// Answers: no live staff session → 401 UNAUTHORIZED; a staff session without any of the
// route's roles → 403 FORBIDDEN. Roles are read from the session, which a log-in creates; roles
// cannot change while a session lives (staff roles are fixed at creation today), so no
// session carries more privilege than its holder has.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "identity/staff_book.h"
#include "server/http_server.h"
#include "server/routes.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {

struct StaffRouteAccess {
  std::string_view method;
  std::string_view path;  // As registered: patterns keep their "{name}" segments.
  uint32_t roles = 0;     // identity::StaffRole bits, any of which allows the call.
};

// Every staff route except the log-in itself (POST /api/v1/staff/sessions, public), in the
// order the console lists them.
std::span<const StaffRouteAccess> StaffRouteTable();

// The table's entry for a route, or null.
const StaffRouteAccess* FindStaffRoute(std::string_view method, std::string_view path);

using StaffHandler =
    std::function<void(const Principal& staff, HttpRequest&& request, Responder respond)>;

// Registers `handler` for a route of the table; it runs only for a live staff session holding
// one of the route's roles, after 401 / 403 otherwise. A route missing from the table is a
// programmer error (asserted at start-up).
void AddStaffRoute(Router& router, WalletContext& context, std::string method, std::string path,
                   StaffHandler handler);

}  // namespace qb::wallet
