// POST /api/v1/me/close-account over HTTP (PIPL): refused while the wallet holds money, gated by
// a close_account SMS code and the payment PIN, and then final: every session and device key
// is dead, the password no longer logs in, the phone and the identity are free for a new
// wallet, and the closure is in the audit log.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "device_phone.h"
#include "money_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

constexpr char kPin[] = "258036";

class AccountClosureApiTest : public MoneyApiTest {
 protected:
  ApiResponse Close(const RegisteredCustomer& customer, std::string_view code,
                    std::string_view pin = "") {
    std::string body = R"({"sms_code":")" + std::string(code) + "\"";
    if (!pin.empty()) body += R"(,"payment_pin":")" + std::string(pin) + "\"";
    return Post("/api/v1/me/close-account", body + "}", customer.token);
  }
  std::string CloseCode(const RegisteredCustomer& customer) {
    AdvanceClock(61 * kNsPerSecond);  // One code a minute per phone.
    return RequestOtp(customer.phone, "close_account");
  }
  // Binds a browser-style device key; its id.
  std::string BindDeviceKey(const RegisteredCustomer& customer, const SigningPhone& phone) {
    ApiResponse challenge =
        Post("/api/v1/me/device-keys/challenge", R"({"public_key":")" + phone.PublicKey() + R"("})",
             customer.token);
    EXPECT_EQ(challenge.status, 201) << Describe(challenge);
    ApiResponse bound =
        Post("/api/v1/me/device-keys",
             R"({"device_id":")" + challenge.String("device_id") + R"(","public_key":")" +
                 phone.PublicKey() + R"(","name":"iPhone","nonce":")" + challenge.String("nonce") +
                 R"(","signature":")" + phone.Sign(challenge) + R"("})",
             customer.token);
    EXPECT_EQ(bound.status, 201) << Describe(bound);
    return bound.String("device_id");
  }
};

TEST_F(AccountClosureApiTest, AnEmptyWalletClosesWithCodeAndPinAndEverythingEnds) {
  Funded alice = TierTwo(1);
  ASSERT_EQ(TopUp(alice, 50 * kYuan, "closure-top-up").status, 201);
  ASSERT_EQ(Balance(alice.customer), 50 * kYuan);
  SigningPhone device;
  const std::string device_id = BindDeviceKey(alice.customer, device);
  // A second signed-in session on another device.
  ApiResponse second = LogIn(alice.customer.phone, alice.customer.password);
  ASSERT_EQ(second.status, 201) << Describe(second);

  // The code is required, six digits.
  EXPECT_EQ(Post("/api/v1/me/close-account", "{}", alice.customer.token).ErrorCode(),
            "FIELD_REQUIRED");
  EXPECT_EQ(Close(alice.customer, "12ab56").ErrorCode(), "FIELD_INVALID");
  // Money in the wallet: withdraw it first.
  ApiResponse full = Close(alice.customer, CloseCode(alice.customer));
  EXPECT_EQ(full.status, 409) << Describe(full);
  EXPECT_EQ(full.ErrorCode(), "BALANCE_NOT_ZERO");
  ASSERT_EQ(Withdraw(alice, 50 * kYuan, "closure-withdrawal").status, 201);
  ASSERT_EQ(Balance(alice.customer), 0);

  // With a PIN set, the PIN too.
  ASSERT_EQ(Put("/api/v1/me/payment-pin", R"({"pin":")" + std::string(kPin) + R"("})",
                alice.customer.token)
                .status,
            200);
  const std::string code = CloseCode(alice.customer);
  EXPECT_EQ(Close(alice.customer, code).ErrorCode(), "PIN_REQUIRED");
  EXPECT_EQ(Close(alice.customer, code, "147036").ErrorCode(), "PIN_WRONG");
  const std::string wrong_code = code == "000000" ? "000001" : "000000";
  EXPECT_EQ(Close(alice.customer, wrong_code, kPin).ErrorCode(), "OTP_INVALID");
  EXPECT_EQ(Get("/api/v1/me", alice.customer.token).status, 200);  // Still open.

  ApiResponse closed = Close(alice.customer, code, kPin);
  ASSERT_EQ(closed.status, 200) << Describe(closed);
  EXPECT_FALSE(closed.String("closed_at").empty());
  EXPECT_EQ(closed.json.at("sessions_revoked").as_int64(), 2);
  EXPECT_EQ(closed.headers["cache-control"], "no-store");

  // Every session is dead; neither the password nor the device key logs in.
  EXPECT_EQ(Get("/api/v1/me", alice.customer.token).status, 401);
  EXPECT_EQ(Get("/api/v1/me", second.String("token")).status, 401);
  EXPECT_EQ(LogIn(alice.customer.phone, alice.customer.password).status, 401);
  // The challenge endpoint answers alike whether or not the phone and device exist; the
  // signature no longer logs in.
  ApiResponse device_challenge =
      Post("/api/v1/auth/device-challenge",
           R"({"phone":")" + alice.customer.phone + R"(","device_id":")" + device_id + R"("})");
  ApiResponse device_login =
      Post("/api/v1/auth/device-login",
           R"({"phone":")" + alice.customer.phone + R"(","device_id":")" + device_id +
               R"(","nonce":")" + device_challenge.String("nonce") + R"(","signature":")" +
               device.Sign(device_challenge) + R"("})");
  EXPECT_EQ(device_login.status, 401) << Describe(device_login);

  // Recorded for the auditors, with the customer as actor.
  WaitForReadModels();
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  ApiResponse audit = Get("/api/v1/staff/audit?action=customer.close", auditor);
  ASSERT_EQ(audit.status, 200) << Describe(audit);
  ASSERT_EQ(audit.json.at("entries").as_array().size(), 1u);
  // Support sees the closed account with its phone masked and the closing time.
  const std::string support = StaffToken("sam", Roles({StaffRole::kSupport}));
  ApiResponse record = Get("/api/v1/staff/customers/" + alice.customer.id, support);
  ASSERT_EQ(record.status, 200) << Describe(record);
  EXPECT_EQ(record.json.at("customer").at("closed_at").as_string(), closed.String("closed_at"));
  EXPECT_EQ(record.json.at("customer").at("phone_masked").as_string(),
            alice.customer.phone.substr(0, 3) + "****" + alice.customer.phone.substr(7));
  EXPECT_EQ(audit.json.at("entries").as_array()[0].at("actor").as_string(),
            "customer:" + alice.customer.id);

  // The phone and the identity are free: the same person opens a new wallet.
  AdvanceClock(61 * kNsPerSecond);
  RegisteredCustomer again = RegisterCustomer(alice.customer.phone);
  EXPECT_NE(again.id, alice.customer.id);
  ApiResponse verified = Verify(again, "张三", ResidentId(1));
  EXPECT_EQ(verified.status, 200) << Describe(verified);
  EXPECT_EQ(LedgerProblem(), std::nullopt);
}

// The retention sweep runs on its own (a PeriodicTask): nothing goes before the five years
// (Anti-Money Laundering Law art. 19), then the identity and the masked phone do, and the
// auditors see an entry for it.
TEST_F(AccountClosureApiTest, FiveYearsAfterClosingTheSweepPurgesTheIdentity) {
  StopServer();
  WalletOptions options;
  options.identity_purge_interval_ns = int64_t{20} * 1'000'000;  // 20 ms
  StartServer(options);
  Funded alice = TierTwo(1);
  ApiResponse closed = Close(alice.customer, CloseCode(alice.customer));
  ASSERT_EQ(closed.status, 200) << Describe(closed);
  ASSERT_NE(CreateStaff("sam", Roles({StaffRole::kSupport})), 0u);
  const std::string path = "/api/v1/staff/customers/" + alice.customer.id;
  // Years pass between looks, so each look signs in afresh (`token`).
  auto sign_in = [&] { return StaffLogIn("sam", kDefaultPassword).String("token"); };
  auto record = [&](const std::string& token) {
    WaitForReadModels();
    ApiResponse response = Get(path, token);
    EXPECT_EQ(response.status, 200) << Describe(response);
    return response.json.at("customer").as_object();
  };

  AdvanceClock(identity::kClosedIdentityRetentionNs - 3600 * kNsPerSecond);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // Ten sweeps, and none purges.
  boost::json::object kept = record(sign_in());
  EXPECT_FALSE(kept.at("real_name_masked").is_null());
  EXPECT_NE(kept.at("phone_masked").as_string(), "");

  AdvanceClock(2 * 3600 * kNsPerSecond);
  boost::json::object purged;
  const std::string token = sign_in();
  for (int i = 0; i < 250; i++) {  // Up to 5 s.
    purged = record(token);
    if (purged.at("phone_masked").as_string().empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(purged.at("phone_masked").as_string(), "");
  EXPECT_TRUE(purged.at("real_name_masked").is_null());
  EXPECT_EQ(purged.at("closed_at").as_string(), closed.String("closed_at"));

  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  ApiResponse audit = Get("/api/v1/staff/audit?action=customer.identity_purge", auditor);
  ASSERT_EQ(audit.status, 200) << Describe(audit);
  ASSERT_EQ(audit.json.at("entries").as_array().size(), 1u);
  EXPECT_EQ(audit.json.at("entries").as_array()[0].at("target").as_string(),
            "customer:" + alice.customer.id);
  EXPECT_EQ(LedgerProblem(), std::nullopt);
}

}  // namespace
}  // namespace qb::wallet::testing
