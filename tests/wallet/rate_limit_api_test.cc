// The in-memory rate limits in front of log-in, sign-up, OTP and merchant applications
// (src/wallet/auth_rate_limits.h), with their default rules: a refused attempt is 429
// RATE_LIMITED with Retry-After and reaches neither the engine nor the SMS gateway; another
// client address keeps its own budget; the budget comes back as the clock moves on.
//
// The fixture's clients connect from 127.0.0.1; a second address is 127.0.0.2 (all of 127/8 is
// loopback on Linux). The server sees the TCP peer, never a header.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "api_test_util.h"

namespace qb::wallet::testing {
namespace {

constexpr char kOtherAddress[] = "127.0.0.2";

class RateLimitApiTest : public WalletApiTest {
 protected:
  // POST from `source` ("" for the default address).
  ApiResponse PostFrom(std::string_view source, std::string_view target, std::string_view body) {
    return Request("POST", target, body, RequestOptions(), source);
  }
  ApiResponse LogInFrom(std::string_view source, std::string_view phone,
                        std::string_view password) {
    return PostFrom(source, "/api/v1/sessions",
                    R"({"phone":")" + std::string(phone) + R"(","password":")" +
                        std::string(password) + R"("})");
  }
  ApiResponse StaffLogInFrom(std::string_view source, std::string_view username) {
    return PostFrom(source, "/api/v1/staff/sessions",
                    R"({"username":")" + std::string(username) + R"(","password":"Wrong123abc"})");
  }
  ApiResponse MerchantLogInFrom(std::string_view source, std::string_view username) {
    return PostFrom(source, "/api/v1/merchant/sessions",
                    R"({"username":")" + std::string(username) + R"(","password":"Wrong123abc"})");
  }
  ApiResponse OtpFrom(std::string_view source, std::string_view phone) {
    return PostFrom(source, "/api/v1/otp",
                    R"({"phone":")" + std::string(phone) + R"(","purpose":"register"})");
  }
  // Commands the engine has executed: a log-in attempt that reaches it is one.
  uint64_t EngineSeq() { return engine_->stats().executed_seq; }
};

// "139" + 8 digits: a distinct valid mobile number per n.
std::string Phone(int n) {
  char text[16];
  std::snprintf(text, sizeof(text), "139%08d", n);
  return text;
}

// The refusal carries only the wait: not which rule (address, phone, name) fired.
void ExpectRateLimited(const ApiResponse& response, std::string_view retry_after_seconds) {
  EXPECT_EQ(response.status, 429) << Describe(response);
  EXPECT_EQ(response.ErrorCode(), "RATE_LIMITED") << Describe(response);
  const auto header = response.headers.find("retry-after");
  ASSERT_NE(header, response.headers.end()) << Describe(response);
  EXPECT_EQ(header->second, retry_after_seconds);
  EXPECT_EQ(response.json.at("error").at("message").as_string(),
            "too many attempts; retry after " + std::string(retry_after_seconds) + " s");
}

TEST_F(RateLimitApiTest, PasswordGuessesFromOneAddressStopBeforeTheEngine) {
  const RegisteredCustomer victim = RegisterCustomer(Phone(1));
  // 20 guesses a minute per address: 4 at the victim (one short of the lockout), 16 elsewhere.
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(LogIn(victim.phone, "Wrong123abc").ErrorCode(), "INVALID_CREDENTIALS") << i;
  }
  for (int i = 0; i < 16; i++) {
    EXPECT_EQ(LogIn(Phone(100 + i), "Wrong123abc").ErrorCode(), "INVALID_CREDENTIALS") << i;
  }

  const uint64_t seq = EngineSeq();
  for (int i = 0; i < 10; i++) {
    // GCRA: 20 a minute is one every 3 s once the burst is spent.
    ExpectRateLimited(LogIn(victim.phone, "Wrong123abc"), "3");
  }
  // Neither does the right password get through, nor a malformed phone.
  ExpectRateLimited(LogIn(victim.phone, victim.password), "3");
  ExpectRateLimited(LogIn("12345", "Wrong123abc"), "3");
  EXPECT_EQ(EngineSeq(), seq) << "a refused attempt reached the engine";

  // The ten refused guesses were never counted against the account: 4 wrong + 10 would have
  // locked it. Another address is not limited and logs in.
  ApiResponse other = LogInFrom(kOtherAddress, victim.phone, victim.password);
  ASSERT_EQ(other.status, 201) << Describe(other);
  // Nor does that success give the first address its budget back.
  ExpectRateLimited(LogIn(Phone(200), "Wrong123abc"), "3");

  // Three seconds later one more attempt, then refused again; a minute later a full burst.
  AdvanceClock(3 * kNsPerSecond);
  EXPECT_EQ(LogIn(Phone(201), "Wrong123abc").ErrorCode(), "INVALID_CREDENTIALS");
  ExpectRateLimited(LogIn(Phone(202), "Wrong123abc"), "3");
  AdvanceClock(kNsPerMinute);
  EXPECT_EQ(LogIn(victim.phone, victim.password).status, 201);
}

TEST_F(RateLimitApiTest, GuessesAtOneAccountAreLimitedFromEveryAddress) {
  // An unregistered phone is limited like a registered one: a refusal tells nothing.
  const std::string phone = Phone(300);
  for (int i = 0; i < 10; i++) {
    EXPECT_EQ(LogIn(phone, "Wrong123abc").ErrorCode(), "INVALID_CREDENTIALS") << i;
  }
  ExpectRateLimited(LogIn(phone, "Wrong123abc"), "90");  // 10 per 15 minutes.
  ExpectRateLimited(LogInFrom(kOtherAddress, phone, "Wrong123abc"), "90");
  EXPECT_EQ(LogInFrom(kOtherAddress, Phone(301), "Wrong123abc").ErrorCode(), "INVALID_CREDENTIALS");
  AdvanceClock(90 * kNsPerSecond);
  EXPECT_EQ(LogIn(phone, "Wrong123abc").ErrorCode(), "INVALID_CREDENTIALS");
  ExpectRateLimited(LogIn(phone, "Wrong123abc"), "90");
}

TEST_F(RateLimitApiTest, AFloodOfCodesForOnePhoneSendsNothingMore) {
  const std::string phone = Phone(400);
  ASSERT_EQ(OtpFrom("", phone).status, 202);
  // The engine's own rule (one code a minute) answers the next 19 attempts...
  for (int i = 0; i < 19; i++) {
    EXPECT_EQ(OtpFrom("", phone).ErrorCode(), "OTP_TOO_FREQUENT") << i;
  }
  // ...and from the 21st in an hour the attempts no longer reach it, from any address. (Each
  // attempt still spends the address's budget of 30 an hour: it was allowed by that rule.)
  const uint64_t seq = EngineSeq();
  for (int i = 0; i < 5; i++) ExpectRateLimited(OtpFrom("", phone), "180");
  ExpectRateLimited(OtpFrom(kOtherAddress, phone), "180");
  EXPECT_EQ(EngineSeq(), seq);
  EXPECT_EQ(SmsCount(phone), 1u);

  // Other phones from the same address are still served.
  EXPECT_EQ(OtpFrom("", Phone(401)).status, 202);
  EXPECT_EQ(SmsCount(Phone(401)), 1u);

  // The budget comes back at 20 an hour: one every 3 minutes.
  AdvanceClock(180 * kNsPerSecond);
  ASSERT_EQ(OtpFrom("", phone).status, 202);
  EXPECT_EQ(SmsCount(phone), 2u);
}

TEST_F(RateLimitApiTest, CodesPerAddressAreLimited) {
  for (int i = 0; i < 30; i++) ASSERT_EQ(OtpFrom("", Phone(500 + i)).status, 202) << i;
  ExpectRateLimited(OtpFrom("", Phone(600)), "120");  // 30 an hour.
  EXPECT_EQ(SmsCount(Phone(600)), 0u);
  EXPECT_EQ(OtpFrom(kOtherAddress, Phone(600)).status, 202);
  EXPECT_EQ(SmsCount(Phone(600)), 1u);
}

TEST_F(RateLimitApiTest, SignUpsPerAddressAreLimited) {
  // No code was sent: each attempt hashes the password and the engine answers OTP_NOT_FOUND.
  auto sign_up = [this](std::string_view source, int n) {
    return PostFrom(source, "/api/v1/customers",
                    R"({"phone":")" + Phone(n) + R"(","otp":"123456","password":"Secret123abc"})");
  };
  for (int i = 0; i < 10; i++) EXPECT_EQ(sign_up("", 700 + i).ErrorCode(), "OTP_NOT_FOUND") << i;
  const uint64_t seq = EngineSeq();
  ExpectRateLimited(sign_up("", 710), "360");  // 10 an hour.
  EXPECT_EQ(EngineSeq(), seq);
  EXPECT_EQ(sign_up(kOtherAddress, 710).ErrorCode(), "OTP_NOT_FOUND");
}

TEST_F(RateLimitApiTest, StaffLogInIsLimitedPerUsernameAndPerAddress) {
  ASSERT_NE(CreateStaff("alice", Roles({identity::StaffRole::kSupport})), 0u);
  for (int i = 0; i < 10; i++) {
    EXPECT_EQ(StaffLogInFrom("", "nobody").ErrorCode(), "INVALID_CREDENTIALS") << i;
  }
  const uint64_t seq = EngineSeq();
  ExpectRateLimited(StaffLogInFrom("", "nobody"), "90");
  ExpectRateLimited(StaffLogInFrom(kOtherAddress, "NoBody"), "90");  // Names are lower-cased.
  EXPECT_EQ(EngineSeq(), seq);
  ApiResponse alice =
      PostFrom(kOtherAddress, "/api/v1/staff/sessions",
               R"({"username":"alice","password":")" + std::string(kDefaultPassword) + R"("})");
  EXPECT_EQ(alice.status, 201) << Describe(alice);

  // 20 a minute per address, whatever the names.
  for (int i = 0; i < 9; i++) {
    EXPECT_EQ(StaffLogInFrom("", "guess" + std::to_string(i)).ErrorCode(), "INVALID_CREDENTIALS");
  }
  ExpectRateLimited(StaffLogInFrom("", "guess9"), "3");
}

TEST_F(RateLimitApiTest, MerchantLogInAndApplicationsAreLimited) {
  for (int i = 0; i < 10; i++) {
    EXPECT_EQ(MerchantLogInFrom("", "noshop").ErrorCode(), "INVALID_CREDENTIALS") << i;
  }
  ExpectRateLimited(MerchantLogInFrom("", "noshop"), "90");
  ExpectRateLimited(MerchantLogInFrom(kOtherAddress, "noshop"), "90");
  EXPECT_EQ(MerchantLogInFrom(kOtherAddress, "othershop").ErrorCode(), "INVALID_CREDENTIALS");

  auto apply = [this](std::string_view source, std::string_view username) {
    return PostFrom(source, "/api/v1/merchant-applications",
                    R"({"legal_name":"福州小吃店","credit_code":"91350100M000100Y43",)"
                    R"("category":"catering","settlement_bank_code":"ICBC",)"
                    R"("settlement_account":"6222020200112233","contact_phone":"13900139000",)"
                    R"("username":")" +
                        std::string(username) + R"(","password":"shop-pass-1"})");
  };
  for (int i = 0; i < 5; i++) {
    ApiResponse applied = apply("", "shop" + std::to_string(i));
    EXPECT_EQ(applied.status, 201) << i << ": " << Describe(applied);
  }
  const uint64_t seq = EngineSeq();
  ExpectRateLimited(apply("", "shop5"), "720");  // 5 an hour.
  EXPECT_EQ(EngineSeq(), seq);
  EXPECT_EQ(apply(kOtherAddress, "shop5").status, 201);
  // The merchant's own log-in is a separate budget.
  EXPECT_EQ(
      PostFrom("", "/api/v1/merchant/sessions", R"({"username":"shop0","password":"shop-pass-1"})")
          .status,
      201);
}

TEST_F(RateLimitApiTest, AFullTableRefusesNewNamesUntilTheirDebtDecays) {
  StopServer();
  WalletOptions options;
  options.rate_limit_max_keys = 16;  // The least: one key per shard.
  StartServer(options);
  // 17 names cannot all fit in 16 slots while each is still in debt: the rule fails closed.
  int refused = 0;
  for (int i = 0; i < 17; i++) {
    ApiResponse response = StaffLogInFrom("", "user" + std::to_string(i));
    if (response.status == 429) {
      EXPECT_EQ(response.ErrorCode(), "RATE_LIMITED");
      refused++;
    } else {
      EXPECT_EQ(response.ErrorCode(), "INVALID_CREDENTIALS");
    }
  }
  EXPECT_GE(refused, 1);
  // Once every debt has decayed (one emission interval, 90 s), a new name gets a slot.
  AdvanceClock(90 * kNsPerSecond);
  EXPECT_EQ(StaffLogInFrom("", "latecomer").ErrorCode(), "INVALID_CREDENTIALS");
}

}  // namespace
}  // namespace qb::wallet::testing
