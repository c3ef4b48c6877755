// GET /api/v1/me/data-export over HTTP: the caller's personal data as one JSON download, with
// masked identity and cards and no secrets, recorded in the audit log as "pii.export".
#include <gtest/gtest.h>

#include <string>

#include "money_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

class DataExportApiTest : public MoneyApiTest {};

TEST_F(DataExportApiTest, ExportsMyDataMaskedAndIsAudited) {
  Funded funded = TierTwo(1);
  ASSERT_EQ(TopUp(funded, 50 * kYuan, "export-top-up").status, 201);
  WaitForReadModels();

  ApiResponse exported = Get("/api/v1/me/data-export", funded.customer.token);
  ASSERT_EQ(exported.status, 200) << Describe(exported);
  EXPECT_EQ(exported.headers["cache-control"], "no-store");
  EXPECT_NE(exported.headers["content-disposition"].find("attachment"), std::string::npos);
  const boost::json::object& data = exported.json.as_object();
  EXPECT_EQ(data.at("profile").at("id").as_string(), funded.customer.id);
  ASSERT_EQ(data.at("cards").as_array().size(), 1u);
  EXPECT_EQ(data.at("balance").at("balance").as_int64(), 50 * kYuan);
  EXPECT_GE(data.at("history").as_array().size(), 1u);
  EXPECT_FALSE(data.at("history_truncated").as_bool());
  EXPECT_GE(data.at("sessions").as_array().size(), 1u);
  // Masked identity and card; no secrets.
  EXPECT_EQ(exported.body.find(ResidentId(1)), std::string::npos);
  EXPECT_EQ(exported.body.find(CardNumber(1)), std::string::npos);
  EXPECT_EQ(exported.body.find("argon2"), std::string::npos);
  EXPECT_EQ(exported.body.find("sealed"), std::string::npos);
  // The export's own audit entry is in the security events it answered.
  bool saw_export = false;
  for (const boost::json::value& event : data.at("security_events").as_array()) {
    if (event.at("action").as_string() == "pii.export") saw_export = true;
  }
  EXPECT_TRUE(saw_export);

  WaitForReadModels();
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  ApiResponse audit = Get("/api/v1/staff/audit?action=pii.export", auditor);
  ASSERT_EQ(audit.status, 200) << Describe(audit);
  ASSERT_EQ(audit.json.at("entries").as_array().size(), 1u);
  const boost::json::object& entry = audit.json.at("entries").as_array()[0].as_object();
  EXPECT_EQ(entry.at("actor").as_string(), "customer:" + funded.customer.id);
  EXPECT_EQ(entry.at("target").as_string(), "customer:" + funded.customer.id);

  EXPECT_EQ(Get("/api/v1/me/data-export").status, 401);
}

}  // namespace
}  // namespace qb::wallet::testing
