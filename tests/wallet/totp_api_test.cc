// Two-step log-in over HTTP: enrolment (otpauth URI and secret once), confirmation (recovery
// codes once), log-in that needs the code (TOTP_REQUIRED), refuses a reused step or a spent
// recovery code (TOTP_INVALID, counted), locks after five wrong codes, and disabling.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "api_test_util.h"
#include "mfa/base32.h"
#include "mfa/totp.h"

namespace qb::wallet::testing {
namespace {

class TotpApiTest : public WalletApiTest {
 protected:
  int64_t NowS() const { return clock_.NowNs() / kNsPerSecond; }
  // The code for the step `offset` steps from now, from the secret the enrolment showed.
  std::string Code(int64_t offset = 0) const {
    return mfa::TotpCode(secret_, mfa::TotpStep(NowS()) + offset);
  }
  // Starts and confirms an enrolment; returns the recovery codes.
  std::vector<std::string> Enable(const RegisteredCustomer& customer) {
    ApiResponse begin = Post("/api/v1/me/totp", "{}", customer.token);
    EXPECT_EQ(begin.status, 201) << Describe(begin);
    std::optional<std::string> secret = mfa::Base32Decode(begin.String("secret"));
    EXPECT_TRUE(secret.has_value());
    secret_ = secret.value_or("");
    ApiResponse confirm =
        Post("/api/v1/me/totp/confirm", R"({"code":")" + Code() + R"("})", customer.token);
    EXPECT_EQ(confirm.status, 200) << Describe(confirm);
    std::vector<std::string> codes;
    if (confirm.json.is_object() && confirm.json.as_object().contains("recovery_codes")) {
      for (const auto& code : confirm.json.at("recovery_codes").as_array()) {
        codes.emplace_back(code.as_string());
      }
    }
    return codes;
  }
  ApiResponse LogInWith(const RegisteredCustomer& customer, std::string_view field,
                        std::string_view value) {
    return Post("/api/v1/sessions", R"({"phone":")" + customer.phone + R"(","password":")" +
                                        customer.password + R"(",")" + std::string(field) +
                                        R"(":")" + std::string(value) + R"("})");
  }
  ApiResponse DeleteTotp(const RegisteredCustomer& customer, std::string_view body) {
    RequestOptions options;
    options.token = customer.token;
    return Request("DELETE", "/api/v1/me/totp", body, options);
  }
  std::string secret_;
};

TEST_F(TotpApiTest, EnrolmentShowsTheSecretOnceAndIsPendingUntilConfirmed) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  ApiResponse state = Get("/api/v1/me/totp", alice.token);
  ASSERT_EQ(state.status, 200) << Describe(state);
  EXPECT_EQ(state.String("state"), "off");
  ApiResponse begin = Post("/api/v1/me/totp", "{}", alice.token);
  ASSERT_EQ(begin.status, 201) << Describe(begin);
  EXPECT_EQ(begin.headers["cache-control"], "no-store");
  const std::string uri = begin.String("otpauth_uri");
  EXPECT_EQ(uri.rfind("otpauth://totp/qianbao:138%2A%2A%2A%2A8000?secret=", 0), 0u) << uri;
  EXPECT_NE(uri.find("secret=" + begin.String("secret")), std::string::npos);
  EXPECT_NE(uri.find("issuer=qianbao"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/me/totp", alice.token).String("state"), "pending");
  // Pending is not on: log-in needs no code yet.
  EXPECT_EQ(LogIn(alice.phone, alice.password).status, 201);
  // The secret is never shown again, and the state never carries it.
  EXPECT_EQ(Get("/api/v1/me/totp", alice.token).body.find(begin.String("secret")),
            std::string::npos);
  secret_ = *mfa::Base32Decode(begin.String("secret"));
  ApiResponse wrong =
      Post("/api/v1/me/totp/confirm", R"({"code":")" + Code(5) + R"("})", alice.token);
  EXPECT_EQ(wrong.ErrorCode(), "TOTP_INVALID") << Describe(wrong);
  ApiResponse malformed = Post("/api/v1/me/totp/confirm", R"({"code":"12ab56"})", alice.token);
  EXPECT_EQ(malformed.ErrorCode(), "FIELD_INVALID");
  ApiResponse confirm =
      Post("/api/v1/me/totp/confirm", R"({"code":")" + Code() + R"("})", alice.token);
  ASSERT_EQ(confirm.status, 200) << Describe(confirm);
  EXPECT_EQ(confirm.json.at("recovery_codes").as_array().size(), 10u);
  ApiResponse on = Get("/api/v1/me/totp", alice.token);
  EXPECT_EQ(on.String("state"), "on");
  EXPECT_EQ(on.json.at("recovery_codes_left").as_int64(), 10);
  EXPECT_EQ(Post("/api/v1/me/totp", "{}", alice.token).ErrorCode(), "TOTP_ALREADY_ENABLED");
  ApiResponse security = Get("/api/v1/me/security", alice.token);
  EXPECT_EQ(security.String("totp"), "on") << Describe(security);
}

TEST_F(TotpApiTest, LogInNeedsTheCodeAndRefusesAReusedStep) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  Enable(alice);
  ApiResponse required = LogIn(alice.phone, alice.password);
  EXPECT_EQ(required.status, 401);
  EXPECT_EQ(required.ErrorCode(), "TOTP_REQUIRED");
  EXPECT_FALSE(required.json.as_object().contains("token"));
  // A wrong password with a right code is still a wrong password.
  ApiResponse bad_password = Post(
      "/api/v1/sessions", R"({"phone":")" + alice.phone +
                              R"(","password":"Wrong123abc","totp_code":")" + Code(1) + R"("})");
  EXPECT_EQ(bad_password.ErrorCode(), "INVALID_CREDENTIALS");
  // The step used to confirm cannot log in.
  EXPECT_EQ(LogInWith(alice, "totp_code", Code()).ErrorCode(), "TOTP_INVALID");
  ApiResponse next = LogInWith(alice, "totp_code", Code(1));
  ASSERT_EQ(next.status, 201) << Describe(next);
  EXPECT_FALSE(next.String("token").empty());
  ApiResponse reused = LogInWith(alice, "totp_code", Code(1));
  EXPECT_EQ(reused.status, 403);
  EXPECT_EQ(reused.ErrorCode(), "TOTP_INVALID");
  EXPECT_EQ(reused.json.at("error").at("tries_left").as_int64(), 4);  // The success cleared 1.
  AdvanceClock(60 * kNsPerSecond);  // Now is the step after the used one.
  EXPECT_EQ(LogInWith(alice, "totp_code", Code()).status, 201);
}

TEST_F(TotpApiTest, TwoRacingLogInsWithOneCodeLetOneIn) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  Enable(alice);
  const std::string code = Code(1);
  ApiResponse first;
  ApiResponse second;
  std::thread other([&] { second = LogInWith(alice, "totp_code", code); });
  first = LogInWith(alice, "totp_code", code);
  other.join();
  EXPECT_EQ((first.status == 201) + (second.status == 201), 1)
      << Describe(first) << " / " << Describe(second);
  EXPECT_EQ(first.ErrorCode() + second.ErrorCode(), "TOTP_INVALID");
}

TEST_F(TotpApiTest, ARecoveryCodeLogsInOnce) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  std::vector<std::string> codes = Enable(alice);
  ASSERT_EQ(codes.size(), 10u);
  // Typed in lower case without the dash, it is the same code.
  std::string typed = codes[3];
  typed.erase(5, 1);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(LogInWith(alice, "recovery_code", typed).status, 201);
  EXPECT_EQ(LogInWith(alice, "recovery_code", codes[3]).ErrorCode(), "TOTP_INVALID");
  EXPECT_EQ(Get("/api/v1/me/totp", alice.token).json.at("recovery_codes_left").as_int64(), 9);
}

TEST_F(TotpApiTest, FiveWrongCodesLockTwoStepLogInForThirtyMinutes) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  Enable(alice);
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(LogInWith(alice, "totp_code", "000000").ErrorCode(), "TOTP_INVALID");
    AdvanceClock(2 * kNsPerMinute);  // Stay under the log-in rate limit.
  }
  ApiResponse locked = LogInWith(alice, "totp_code", "000000");
  EXPECT_EQ(locked.status, 423);
  EXPECT_EQ(locked.ErrorCode(), "TOTP_LOCKED");
  EXPECT_EQ(LogInWith(alice, "totp_code", Code(1)).ErrorCode(), "TOTP_LOCKED");
  AdvanceClock(31 * kNsPerMinute);
  EXPECT_EQ(LogInWith(alice, "totp_code", Code()).status, 201);
}

TEST_F(TotpApiTest, DisablingNeedsACurrentCodeOrARecoveryCode) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  std::vector<std::string> codes = Enable(alice);
  EXPECT_EQ(DeleteTotp(alice, "{}").ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(DeleteTotp(alice, R"({"code":"000000"})").ErrorCode(), "TOTP_INVALID");
  ApiResponse off = DeleteTotp(alice, R"({"recovery_code":")" + codes[0] + R"("})");
  ASSERT_EQ(off.status, 200) << Describe(off);
  EXPECT_EQ(off.String("state"), "off");
  EXPECT_EQ(DeleteTotp(alice, R"({"code":")" + Code(1) + R"("})").ErrorCode(), "TOTP_NOT_ENABLED");
  EXPECT_EQ(LogIn(alice.phone, alice.password).status, 201);
  // A fresh enrolment works again, with a fresh secret.
  Enable(alice);
  ApiResponse with_code = DeleteTotp(alice, R"({"code":")" + Code(1) + R"("})");
  EXPECT_EQ(with_code.status, 200) << Describe(with_code);
}

TEST_F(TotpApiTest, TheRoutesNeedACustomerSession) {
  EXPECT_EQ(Get("/api/v1/me/totp").status, 401);
  EXPECT_EQ(Post("/api/v1/me/totp", "{}").status, 401);
  EXPECT_EQ(Post("/api/v1/me/totp/confirm", R"({"code":"123456"})").status, 401);
}

}  // namespace
}  // namespace qb::wallet::testing
