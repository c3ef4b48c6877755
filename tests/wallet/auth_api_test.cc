// Sign-up, log-in and sessions over HTTP: one-time codes read from the SMS outbox, their
// expiry and rate limits on a manual clock, password rules, lockout, log-out, idle timeout and
// strict request bodies.
#include <gtest/gtest.h>

#include <string>

#include "api_test_util.h"

namespace qb::wallet::testing {
namespace {

std::string RegisterBody(std::string_view phone, std::string_view otp, std::string_view password) {
  return R"({"phone":")" + std::string(phone) + R"(","otp":")" + std::string(otp) +
         R"(","password":")" + std::string(password) + R"("})";
}

// A six-digit code that is not `code`.
std::string OtherCode(const std::string& code) { return code == "000000" ? "111111" : "000000"; }

TEST_F(WalletApiTest, RegisterWithCodeFromOutboxLogsTheCustomerIn) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  ASSERT_FALSE(alice.token.empty());
  EXPECT_EQ(alice.token.size(), 43u);
  EXPECT_FALSE(alice.id.empty());

  ApiResponse me = Get("/api/v1/me", alice.token);
  ASSERT_EQ(me.status, 200) << Describe(me);
  EXPECT_EQ(me.String("id"), alice.id);
  EXPECT_EQ(me.String("phone"), "13800138000");
  EXPECT_EQ(me.String("tier"), "IV");
  EXPECT_EQ(me.String("channel"), "organic");
}

TEST_F(WalletApiTest, OtpAnswerAndFormattedPhone) {
  ApiResponse response =
      Post("/api/v1/otp", R"({"phone":"+86 138 0013 8001","purpose":"register"})");
  ASSERT_EQ(response.status, 202) << Describe(response);
  EXPECT_EQ(response.json.at("expires_in_seconds").as_int64(), 300);
  EXPECT_EQ(response.json.at("resend_after_seconds").as_int64(), 60);
  EXPECT_EQ(LatestOtp("13800138001").size(), 6u);

  ApiResponse bad = Post("/api/v1/otp", R"({"phone":"12345","purpose":"register"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorCode(), "FIELD_INVALID");
  ApiResponse purpose = Post("/api/v1/otp", R"({"phone":"13800138001","purpose":"pay"})");
  EXPECT_EQ(purpose.ErrorCode(), "FIELD_INVALID");
}

TEST_F(WalletApiTest, WrongCodeIsOtpInvalidAndTheRightOneStillWorks) {
  const std::string code = RequestOtp("13800138002");
  ApiResponse wrong =
      Post("/api/v1/customers", RegisterBody("13800138002", OtherCode(code), kDefaultPassword));
  EXPECT_EQ(wrong.status, 400) << Describe(wrong);
  EXPECT_EQ(wrong.ErrorCode(), "OTP_INVALID");
  ApiResponse right =
      Post("/api/v1/customers", RegisterBody("13800138002", code, kDefaultPassword));
  EXPECT_EQ(right.status, 201) << Describe(right);
}

TEST_F(WalletApiTest, ExpiredCodeIsOtpExpired) {
  const std::string code = RequestOtp("13800138003");
  AdvanceClock(5 * kNsPerMinute + kNsPerSecond);
  ApiResponse response =
      Post("/api/v1/customers", RegisterBody("13800138003", code, kDefaultPassword));
  EXPECT_EQ(response.status, 400) << Describe(response);
  EXPECT_EQ(response.ErrorCode(), "OTP_EXPIRED");
}

TEST_F(WalletApiTest, NoCodeIsOtpNotFound) {
  ApiResponse response =
      Post("/api/v1/customers", RegisterBody("13800138004", "123456", kDefaultPassword));
  EXPECT_EQ(response.status, 400) << Describe(response);
  EXPECT_EQ(response.ErrorCode(), "OTP_NOT_FOUND");
}

TEST_F(WalletApiTest, OneCodeAMinuteAndTenADay) {
  const std::string body = R"({"phone":"13800138005","purpose":"register"})";
  ASSERT_EQ(Post("/api/v1/otp", body).status, 202);
  ApiResponse again = Post("/api/v1/otp", body);
  EXPECT_EQ(again.status, 429) << Describe(again);
  EXPECT_EQ(again.ErrorCode(), "OTP_TOO_FREQUENT");
  EXPECT_EQ(SmsCount("13800138005"), 1u);

  for (int sent = 1; sent < 10; sent++) {
    AdvanceClock(61 * kNsPerSecond);
    ApiResponse response = Post("/api/v1/otp", body);
    ASSERT_EQ(response.status, 202) << "code " << sent + 1 << ": " << Describe(response);
  }
  AdvanceClock(61 * kNsPerSecond);
  ApiResponse eleventh = Post("/api/v1/otp", body);
  EXPECT_EQ(eleventh.status, 429) << Describe(eleventh);
  EXPECT_EQ(eleventh.ErrorCode(), "OTP_DAILY_LIMIT");
  EXPECT_EQ(SmsCount("13800138005"), 10u);
}

TEST_F(WalletApiTest, DuplicatePhoneIsPhoneTaken) {
  RegisterCustomer("13800138006");
  AdvanceClock(61 * kNsPerSecond);
  const std::string code = RequestOtp("13800138006");
  ApiResponse response =
      Post("/api/v1/customers", RegisterBody("13800138006", code, kDefaultPassword));
  EXPECT_EQ(response.status, 409) << Describe(response);
  EXPECT_EQ(response.ErrorCode(), "PHONE_TAKEN");
}

TEST_F(WalletApiTest, WeakPasswordsAreRefusedBeforeTheCodeIsUsed) {
  const std::string code = RequestOtp("13800138007");
  const std::string too_long = "a1" + std::string(63, 'b');  // 65 characters.
  for (const std::string& weak :
       {std::string("abc123"), std::string("onlyletters"), std::string("1234567890"),
        std::string("x13800138007y"), too_long}) {
    ApiResponse response = Post("/api/v1/customers", RegisterBody("13800138007", code, weak));
    EXPECT_EQ(response.status, 400) << weak << ": " << Describe(response);
    EXPECT_EQ(response.ErrorCode(), "WEAK_PASSWORD") << weak;
  }
  ApiResponse ok = Post("/api/v1/customers", RegisterBody("13800138007", code, kDefaultPassword));
  EXPECT_EQ(ok.status, 201) << Describe(ok);
}

TEST_F(WalletApiTest, ChannelAndInviteCodeAreChecked) {
  const std::string code = RequestOtp("13800138008");
  ApiResponse channel =
      Post("/api/v1/customers", R"({"phone":"13800138008","otp":")" + code +
                                    R"(","password":"Secret123abc","channel":"billboard"})");
  EXPECT_EQ(channel.ErrorCode(), "FIELD_INVALID");
  // An invite code must name a customer: "AB12" is no code at all.
  ApiResponse unknown =
      Post("/api/v1/customers",
           R"({"phone":"13800138008","otp":")" + code +
               R"(","password":"Secret123abc","channel":"campus","invite_code":"AB12"})");
  EXPECT_EQ(unknown.status, 422) << Describe(unknown);
  EXPECT_EQ(unknown.ErrorCode(), "INVITE_CODE_INVALID");
  ApiResponse ok =
      Post("/api/v1/customers", R"({"phone":"13800138008","otp":")" + code +
                                    R"(","password":"Secret123abc","channel":"campus"})");
  ASSERT_EQ(ok.status, 201) << Describe(ok);
  EXPECT_EQ(ok.json.at("customer").at("channel").as_string(), "campus");
}

TEST_F(WalletApiTest, LogInGivesANewSession) {
  RegisteredCustomer bob = RegisterCustomer("13900139000");
  ApiResponse login = LogIn("139 0013 9000", kDefaultPassword);
  ASSERT_EQ(login.status, 201) << Describe(login);
  const std::string token = login.String("token");
  EXPECT_NE(token, bob.token);
  EXPECT_FALSE(login.String("expires_at").empty());
  EXPECT_EQ(login.json.at("customer").at("id").as_string(), bob.id);
  EXPECT_EQ(Get("/api/v1/me", token).status, 200);
  EXPECT_EQ(Get("/api/v1/me", bob.token).status, 200);  // The first session lives on.
}

TEST_F(WalletApiTest, UnknownPhoneAndWrongPasswordLookTheSame) {
  RegisterCustomer("13900139001");
  ApiResponse wrong = LogIn("13900139001", "Wrong123abc");
  ApiResponse unknown = LogIn("13900139999", "Wrong123abc");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.ErrorCode(), "INVALID_CREDENTIALS");
  EXPECT_EQ(unknown.ErrorCode(), "INVALID_CREDENTIALS");
  EXPECT_EQ(wrong.body, unknown.body);
}

TEST_F(WalletApiTest, FiveWrongPasswordsLockLogInForThirtyMinutes) {
  RegisterCustomer("13900139002");
  for (int i = 1; i <= 4; i++) {
    ApiResponse response = LogIn("13900139002", "Wrong123abc");
    EXPECT_EQ(response.ErrorCode(), "INVALID_CREDENTIALS") << "try " << i;
  }
  ApiResponse fifth = LogIn("13900139002", "Wrong123abc");
  EXPECT_EQ(fifth.status, 403) << Describe(fifth);
  EXPECT_EQ(fifth.ErrorCode(), "LOGIN_LOCKED");
  ApiResponse right = LogIn("13900139002", kDefaultPassword);
  EXPECT_EQ(right.status, 403) << Describe(right);
  EXPECT_EQ(right.ErrorCode(), "LOGIN_LOCKED");

  AdvanceClock(31 * kNsPerMinute);
  ApiResponse later = LogIn("13900139002", kDefaultPassword);
  EXPECT_EQ(later.status, 201) << Describe(later);
}

TEST_F(WalletApiTest, LogOutEndsTheSession) {
  RegisteredCustomer carol = RegisterCustomer("13900139003");
  ApiResponse out = Delete("/api/v1/sessions/current", carol.token);
  EXPECT_EQ(out.status, 204) << Describe(out);
  ApiResponse me = Get("/api/v1/me", carol.token);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.ErrorCode(), "UNAUTHORIZED");
  EXPECT_EQ(Delete("/api/v1/sessions/current", carol.token).status, 401);
  // The revocation is journaled: a restart does not bring the session back.
  StopServer();
  StartServer();
  EXPECT_EQ(Get("/api/v1/me", carol.token).status, 401);
}

TEST_F(WalletApiTest, IdleSessionsExpireAndUseKeepsThemAlive) {
  RegisteredCustomer dave = RegisterCustomer("13900139004");
  AdvanceClock(20 * kNsPerMinute);
  EXPECT_EQ(Get("/api/v1/me", dave.token).status, 200);
  AdvanceClock(20 * kNsPerMinute);
  EXPECT_EQ(Get("/api/v1/me", dave.token).status, 200);
  AdvanceClock(31 * kNsPerMinute);
  ApiResponse me = Get("/api/v1/me", dave.token);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.ErrorCode(), "UNAUTHORIZED");
}

TEST_F(WalletApiTest, SessionsSurviveARestartButIdleOnesDoNot) {
  RegisteredCustomer erin = RegisterCustomer("13900139005");
  RegisteredCustomer frank = RegisterCustomer("13900139006");
  AdvanceClock(31 * kNsPerMinute);
  // Frank's session idles out and is revoked in the engine, so the restart cannot revive it.
  EXPECT_EQ(Get("/api/v1/me", frank.token).status, 401);
  RegisteredCustomer grace = RegisterCustomer("13900139007");
  StopServer();
  StartServer();
  EXPECT_EQ(Get("/api/v1/me", grace.token).status, 200);
  EXPECT_EQ(Get("/api/v1/me", frank.token).status, 401);
  // Erin idled out too: the cache's sweep found and revoked her session as well.
  EXPECT_EQ(Get("/api/v1/me", erin.token).status, 401);
}

TEST_F(WalletApiTest, MissingOrMalformedTokensAre401) {
  EXPECT_EQ(Get("/api/v1/me").ErrorCode(), "UNAUTHORIZED");
  EXPECT_EQ(Get("/api/v1/me", "not-a-token").status, 401);
  EXPECT_EQ(Get("/api/v1/me", std::string(43, 'A')).status, 401);
  RequestOptions basic;
  basic.token = "";
  ApiResponse response = Request("GET", "/api/v1/me", "", basic);
  EXPECT_EQ(response.status, 401);
}

TEST_F(WalletApiTest, StrictBodies) {
  ApiResponse unknown =
      Post("/api/v1/otp", R"({"phone":"13800138009","purpose":"register","extra":1})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.ErrorCode(), "UNKNOWN_FIELD");
  ApiResponse malformed = Post("/api/v1/otp", R"({"phone":"13800138009",)");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.ErrorCode(), "MALFORMED_JSON");
  ApiResponse missing = Post("/api/v1/sessions", R"({"phone":"13800138009"})");
  EXPECT_EQ(missing.ErrorCode(), "FIELD_REQUIRED");
  ApiResponse number = Post("/api/v1/otp", R"({"phone":13800138009,"purpose":"register"})");
  EXPECT_EQ(number.ErrorCode(), "FIELD_INVALID");

  RequestOptions text;
  text.content_type = "text/plain";
  ApiResponse media =
      Request("POST", "/api/v1/otp", R"({"phone":"13800138009","purpose":"register"})", text);
  EXPECT_EQ(media.status, 415);
  EXPECT_EQ(media.ErrorCode(), "UNSUPPORTED_MEDIA_TYPE");

  const std::string huge = R"({"phone":")" + std::string(70'000, '1') + R"("})";
  ApiResponse large = Post("/api/v1/otp", huge);
  EXPECT_EQ(large.status, 413);
  EXPECT_EQ(large.ErrorCode(), "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(SmsCount("13800138009"), 0u);
}

TEST_F(WalletApiTest, WrongMethodIs405AndUnknownPathIs404) {
  ApiResponse method = Get("/api/v1/otp");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.headers["allow"], "POST");
  EXPECT_EQ(Get("/api/v1/nothing").status, 404);
}

TEST_F(WalletApiTest, OpenApiDocumentIsServed) {
  ApiResponse doc = Get("/api/openapi.json");
  ASSERT_EQ(doc.status, 200);
  ASSERT_TRUE(doc.json.is_object()) << doc.body.substr(0, 200);
  EXPECT_EQ(doc.String("openapi"), "3.0.3");
  const boost::json::object& paths = doc.json.at("paths").as_object();
  // Every route the API serves is documented with its method, and nothing else is.
  size_t routes = 0;
  router_->ForEachRoute([&](std::string_view method, std::string_view path) {
    if (!path.starts_with("/api/v1/")) return;
    routes++;
    auto it = paths.find(path);
    ASSERT_NE(it, paths.end()) << path << " is not documented";
    std::string lower(method);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(it->value().as_object().contains(lower)) << method << " " << path;
  });
  size_t documented = 0;
  for (const auto& path : paths) documented += path.value().as_object().size();
  EXPECT_GT(routes, 20u);
  EXPECT_EQ(documented, routes);
}

}  // namespace
}  // namespace qb::wallet::testing
