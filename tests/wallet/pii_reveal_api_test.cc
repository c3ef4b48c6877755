// Revealing a customer's sealed resident ID or card number from the console: only admin, support
// and risk may; a reason of 5-200 characters is required; each reveal leaves a "pii.reveal"
// audit entry naming the staff member, customer, field and reason, never the value; a refused
// request leaves none.
#include <gtest/gtest.h>

#include <string>

#include "money_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

class PiiRevealApiTest : public MoneyApiTest {
 protected:
  std::string RevealPath(const Funded& funded) {
    return "/api/v1/staff/customers/" + funded.customer.id + "/reveal";
  }
  // The pii.reveal entries, newest first, read through the console's audit route.
  boost::json::array Reveals() {
    WaitForReadModels();
    if (auditor_.empty()) auditor_ = StaffToken("audrey", Roles({StaffRole::kAuditor}));
    ApiResponse audit = Get("/api/v1/staff/audit?action=pii.reveal", auditor_);
    EXPECT_EQ(audit.status, 200) << Describe(audit);
    return audit.json.at("entries").as_array();
  }
  std::string auditor_;
};

TEST_F(PiiRevealApiTest, AllowedRolesSeeTheValueAndTheRevealIsAudited) {
  Funded funded = TierTwo(1);
  const std::string path = RevealPath(funded);
  int expected = 0;
  for (StaffRole role : {StaffRole::kAdmin, StaffRole::kSupport, StaffRole::kRisk}) {
    const std::string name(identity::StaffRoleName(role));
    const std::string token = StaffToken("reveal." + name, Roles({role}));
    ApiResponse id =
        Post(path, R"({"field":"resident_id","reason":"ticket 4711 identity check"})", token);
    ASSERT_EQ(id.status, 200) << name << ": " << Describe(id);
    EXPECT_EQ(id.String("value"), ResidentId(1));
    EXPECT_EQ(id.String("field"), "resident_id");
    EXPECT_EQ(id.headers["cache-control"], "no-store");
    ApiResponse card = Post(
        path,
        R"({"field":"card","card_id":")" + funded.card_id + R"(","reason":"客户来电核对卡号"})",
        token);
    ASSERT_EQ(card.status, 200) << name << ": " << Describe(card);
    EXPECT_EQ(card.String("value"), CardNumber(1));
    expected += 2;
  }
  boost::json::array reveals = Reveals();
  ASSERT_EQ(reveals.size(), static_cast<size_t>(expected));
  const boost::json::object& newest = reveals[0].as_object();
  EXPECT_EQ(newest.at("target").as_string(), "customer:" + funded.customer.id);
  EXPECT_TRUE(newest.at("actor").as_string().starts_with("staff:"));
  const std::string detail(newest.at("detail").as_string());
  EXPECT_NE(detail.find(R"("field":"card")"), std::string::npos) << detail;
  EXPECT_NE(detail.find("客户来电核对卡号"), std::string::npos) << detail;
  for (const boost::json::value& entry : reveals) {
    const std::string text(entry.at("detail").as_string());
    EXPECT_EQ(text.find(ResidentId(1)), std::string::npos) << "the value is never recorded";
    EXPECT_EQ(text.find(CardNumber(1)), std::string::npos);
  }
}

TEST_F(PiiRevealApiTest, OtherRolesAreRefusedAndNothingIsRecorded) {
  Funded funded = TierTwo(2);
  for (StaffRole role :
       {StaffRole::kAuditor, StaffRole::kOutreachManager, StaffRole::kOutreachAgent}) {
    const std::string name(identity::StaffRoleName(role));
    ApiResponse response =
        Post(RevealPath(funded), R"({"field":"resident_id","reason":"just curious here"})",
             StaffToken("no." + name, Roles({role})));
    EXPECT_EQ(response.status, 403) << name << ": " << Describe(response);
    EXPECT_EQ(response.ErrorCode(), "FORBIDDEN");
  }
  // A customer cannot reach the console at all.
  EXPECT_EQ(Post(RevealPath(funded), R"({"field":"resident_id","reason":"my own id"})",
                 funded.customer.token)
                .status,
            401);
  EXPECT_TRUE(Reveals().empty());
}

TEST_F(PiiRevealApiTest, AReasonIsRequiredAndBadRequestsLeaveNoTrace) {
  Funded funded = TierTwo(3);
  const std::string support = StaffToken("sam", Roles({StaffRole::kSupport}));
  const std::string path = RevealPath(funded);
  ApiResponse missing = Post(path, R"({"field":"resident_id"})", support);
  EXPECT_EQ(missing.status, 400) << Describe(missing);
  EXPECT_EQ(missing.ErrorCode(), "FIELD_REQUIRED");
  ApiResponse short_reason = Post(path, R"({"field":"resident_id","reason":"why"})", support);
  EXPECT_EQ(short_reason.status, 400) << Describe(short_reason);
  EXPECT_EQ(short_reason.ErrorCode(), "FIELD_INVALID");
  ApiResponse blank = Post(path, R"({"field":"resident_id","reason":"     "})", support);
  EXPECT_EQ(blank.status, 400) << Describe(blank);
  ApiResponse long_reason =
      Post(path, R"({"field":"resident_id","reason":")" + std::string(201, 'x') + "\"}", support);
  EXPECT_EQ(long_reason.status, 400) << Describe(long_reason);
  ApiResponse no_card_id = Post(path, R"({"field":"card","reason":"ticket 12 check"})", support);
  EXPECT_EQ(no_card_id.ErrorCode(), "FIELD_REQUIRED");
  EXPECT_EQ(Post(path, R"({"field":"phone","reason":"ticket 12 check"})", support).ErrorCode(),
            "FIELD_INVALID");
  EXPECT_EQ(Post(path, R"({"field":"resident_id","reason":"ticket 12","value":"x"})", support)
                .ErrorCode(),
            "UNKNOWN_FIELD");
  // Unknown customer or card, and a customer with no verified identity: 404, nothing recorded.
  EXPECT_EQ(Post("/api/v1/staff/customers/999/reveal",
                 R"({"field":"resident_id","reason":"ticket 12 check"})", support)
                .status,
            404);
  EXPECT_EQ(
      Post(path, R"({"field":"card","card_id":"999","reason":"ticket 12 check"})", support).status,
      404);
  RegisteredCustomer unverified = RegisterCustomer(Phone(4));
  EXPECT_EQ(Post("/api/v1/staff/customers/" + unverified.id + "/reveal",
                 R"({"field":"resident_id","reason":"ticket 12 check"})", support)
                .status,
            404);
  EXPECT_TRUE(Reveals().empty());
}

}  // namespace
}  // namespace qb::wallet::testing
