// Audit entries say where an action came from: log-ins (staff and customer, right or wrong
// password) carry the device and network as keyed-hash tags ("device", "ip": 16 hex digits),
// and so do the entries the API records (a PII reveal, a data export). The log never holds the
// address itself; an auditor finds an address's entries with GET /api/v1/staff/audit?ip=.
#include <gtest/gtest.h>

#include <string>

#include "money_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

class AuditOriginApiTest : public MoneyApiTest {
 protected:
  // The entries matching `query`, newest first, as the auditor reads them.
  boost::json::array Entries(const std::string& query) {
    WaitForReadModels();
    if (auditor_.empty()) auditor_ = StaffToken("audrey", Roles({StaffRole::kAuditor}));
    ApiResponse audit = Get("/api/v1/staff/audit?" + query, auditor_);
    EXPECT_EQ(audit.status, 200) << Describe(audit);
    if (audit.status != 200) return {};
    return audit.json.at("entries").as_array();
  }

  // The value of `"name":"..."` in an entry's detail, "" when absent.
  static std::string Field(const boost::json::value& entry, std::string_view name) {
    const std::string detail(entry.at("detail").as_string());
    const std::string key = "\"" + std::string(name) + "\":\"";
    const size_t at = detail.find(key);
    if (at == std::string::npos) return "";
    const size_t start = at + key.size();
    return detail.substr(start, detail.find('"', start) - start);
  }

  static bool IsTag(std::string_view text) {
    if (text.size() != 16) return false;
    for (char c : text) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
  }

  ApiResponse LogInFrom(std::string_view phone, std::string_view password, std::string_view source,
                        std::string_view device) {
    RequestOptions options;
    options.headers.emplace_back("X-Device-Id", std::string(device));
    return Request("POST", "/api/v1/sessions",
                   R"({"phone":")" + std::string(phone) + R"(","password":")" +
                       std::string(password) + R"("})",
                   options, source);
  }

  std::string auditor_;
};

TEST_F(AuditOriginApiTest, LogInsNameTheirDeviceAndNetworkByTag) {
  RegisteredCustomer alice = RegisterCustomer("13800138301");
  ASSERT_EQ(LogInFrom(alice.phone, "wrong password 1", "127.0.0.2", "phone-a").status, 401);
  ASSERT_EQ(LogInFrom(alice.phone, alice.password, "127.0.0.3", "phone-a").status, 201);
  ASSERT_EQ(LogInFrom(alice.phone, alice.password, "127.0.0.3", "phone-b").status, 201);

  // (An action filter is a prefix: "customer.login" also finds "customer.login_failed".)
  boost::json::array failed, logins;
  for (const boost::json::value& entry : Entries("actor=customer:" + alice.id)) {
    if (entry.at("action").as_string() == "customer.login_failed") failed.push_back(entry);
    if (entry.at("action").as_string() == "customer.login") logins.push_back(entry);
  }
  ASSERT_EQ(failed.size(), 1u);
  ASSERT_EQ(logins.size(), 2u);  // The sign-up's own session is not a log-in.

  // Each entry names both; one device and one network keep one tag, others get others.
  for (const boost::json::value* entry : {&failed[0], &logins[0], &logins[1]}) {
    EXPECT_TRUE(IsTag(Field(*entry, "ip"))) << entry->at("detail").as_string();
    EXPECT_TRUE(IsTag(Field(*entry, "device"))) << entry->at("detail").as_string();
  }
  EXPECT_EQ(Field(logins[0], "ip"), Field(logins[1], "ip"));
  EXPECT_NE(Field(failed[0], "ip"), Field(logins[0], "ip"));
  EXPECT_EQ(Field(failed[0], "device"), Field(logins[1], "device"));  // phone-a
  EXPECT_NE(Field(logins[0], "device"), Field(logins[1], "device"));

  // Neither the address nor the device id itself is in the log.
  for (const boost::json::value& entry : Entries("actor=customer:" + alice.id)) {
    const std::string detail(entry.at("detail").as_string());
    EXPECT_EQ(detail.find("127.0.0"), std::string::npos) << detail;
    EXPECT_EQ(detail.find("phone-"), std::string::npos) << detail;
  }

  // The auditor asks by address; the server hashes it as the entries were.
  boost::json::array from_three = Entries("actor=customer:" + alice.id + "&ip=127.0.0.3");
  ASSERT_EQ(from_three.size(), 2u);
  for (const boost::json::value& entry : from_three) {
    EXPECT_EQ(entry.at("action").as_string(), "customer.login");
  }
  boost::json::array from_two = Entries("actor=customer:" + alice.id + "&ip=127.0.0.2");
  ASSERT_EQ(from_two.size(), 1u);
  EXPECT_EQ(from_two[0].at("action").as_string(), "customer.login_failed");
  EXPECT_TRUE(Entries("ip=10.9.9.9").empty());
}

TEST_F(AuditOriginApiTest, StaffLogInsAndApiEntriesCarryTheNetwork) {
  Funded funded = TierTwo(1);
  const std::string admin = StaffToken("ada", Roles({StaffRole::kAdmin}));  // From 127.0.0.1.
  ApiResponse reveal =
      Post("/api/v1/staff/customers/" + funded.customer.id + "/reveal",
           R"({"field":"resident_id","reason":"ticket 4711 identity check"})", admin);
  ASSERT_EQ(reveal.status, 200) << Describe(reveal);

  boost::json::array staff_logins = Entries("action=staff.login&ip=127.0.0.1");
  ASSERT_GE(staff_logins.size(), 1u);
  const std::string tag = Field(staff_logins[0], "ip");
  ASSERT_TRUE(IsTag(tag)) << staff_logins[0].at("detail").as_string();
  boost::json::array reveals = Entries("action=pii.reveal&ip=127.0.0.1");
  ASSERT_EQ(reveals.size(), 1u);
  EXPECT_EQ(Field(reveals[0], "ip"), tag);
  EXPECT_TRUE(Entries("action=pii.reveal&ip=127.0.0.9").empty());

  // A customer's own data export names their network too.
  ASSERT_EQ(Get("/api/v1/me/data-export", funded.customer.token).status, 200);
  boost::json::array exports = Entries("action=pii.export&ip=127.0.0.1");
  ASSERT_EQ(exports.size(), 1u);
  EXPECT_EQ(Field(exports[0], "ip"), tag);
}

TEST_F(AuditOriginApiTest, AnAddressThatDoesNotParseIsRefused) {
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  for (const char* ip : {"localhost", "10.1.2", "1.2.3.4.5", "::g"}) {
    ApiResponse response = Get(std::string("/api/v1/staff/audit?ip=") + ip, auditor);
    EXPECT_EQ(response.status, 400) << ip;
    EXPECT_EQ(response.ErrorCode(), "FIELD_INVALID") << ip;
  }
}

}  // namespace
}  // namespace qb::wallet::testing
