// The payment PIN over HTTP: setting and changing it, the policy, paying with it (transfers,
// withdrawals, QR payments), nothing moving on any PIN failure, the lockout surviving a restart,
// and the reset with an SMS code and the verified resident ID.
#include <gtest/gtest.h>

#include <string>

#include "wallet/money_fixture.h"

namespace qb::wallet::testing {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr char kPin[] = "258147";
constexpr char kOtherPin[] = "369258";
constexpr char kWrongPin[] = "147036";

std::string WithPin(std::string body, std::string_view pin) {
  body.pop_back();  // The closing brace.
  return body + R"(,"payment_pin":")" + std::string(pin) + R"("})";
}

std::string PinBody(std::string_view pin, std::string_view current = "") {
  std::string body = R"({"pin":")" + std::string(pin) + "\"";
  if (!current.empty()) body += R"(,"current_pin":")" + std::string(current) + "\"";
  return body + "}";
}

int64_t Member(const ApiResponse& response, std::string_view name) {
  if (!response.json.is_object()) return -1;
  const boost::json::value* error = response.json.as_object().if_contains("error");
  if (error == nullptr) return -1;
  const boost::json::value* value = error->as_object().if_contains(name);
  return value != nullptr && value->is_int64() ? value->as_int64() : -1;
}

std::string StringMember(const ApiResponse& response, std::string_view name) {
  if (!response.json.is_object()) return "";
  const boost::json::value* error = response.json.as_object().if_contains("error");
  if (error == nullptr) return "";
  const boost::json::value* value = error->as_object().if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

class PaymentPinApiTest : public MoneyApiTest {
 protected:
  ApiResponse SetPin(const RegisteredCustomer& customer, std::string_view pin,
                     std::string_view current = "") {
    return Put("/api/v1/me/payment-pin", PinBody(pin, current), customer.token);
  }
  ApiResponse Security(const RegisteredCustomer& customer) {
    ApiResponse response = Get("/api/v1/me/security", customer.token);
    EXPECT_EQ(response.status, 200) << Describe(response);
    return response;
  }
  ApiResponse PinTransfer(const RegisteredCustomer& from, std::string_view to_phone,
                          int64_t amount_fen, std::string_view key, std::string_view pin) {
    return Post("/api/v1/me/transfers", WithPin(TransferBody(to_phone, amount_fen), pin),
                from.token, key);
  }
  Funded FundedCustomer(int serial, int64_t amount_fen) {
    Funded funded = TierTwo(serial);
    EXPECT_EQ(TopUp(funded, amount_fen, "fund").status, 201);
    return funded;
  }
};

TEST_F(PaymentPinApiTest, FirstSetNeedsTheSessionAndAChangeTheCurrentPin) {
  Funded alice = TierTwo(1);
  ApiResponse security = Security(alice.customer);
  EXPECT_FALSE(security.json.at("payment_pin_set").as_bool());
  EXPECT_TRUE(security.json.at("identity_verified").as_bool());

  ApiResponse weak = SetPin(alice.customer, "123456");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.ErrorCode(), "PIN_TOO_WEAK");
  EXPECT_EQ(StringMember(weak, "verdict"), "sequence");
  // Born 1990-01-01 (the fixture's resident IDs): YYMMDD is refused.
  EXPECT_EQ(StringMember(SetPin(alice.customer, "900101"), "verdict"), "birth_date");
  EXPECT_EQ(StringMember(SetPin(alice.customer, "777777"), "verdict"), "same_digit");
  EXPECT_EQ(SetPin(alice.customer, "12345").ErrorCode(), "FIELD_INVALID");

  ApiResponse set = SetPin(alice.customer, kPin);
  ASSERT_EQ(set.status, 200) << Describe(set);
  EXPECT_TRUE(set.json.at("payment_pin_set").as_bool());
  EXPECT_EQ(set.json.at("payment_pin_tries_left").as_int64(), 5);
  EXPECT_TRUE(set.json.at("payment_pin_locked_until").is_null());

  EXPECT_EQ(SetPin(alice.customer, kOtherPin).ErrorCode(), "PIN_REQUIRED");
  ApiResponse wrong = SetPin(alice.customer, kOtherPin, kWrongPin);
  EXPECT_EQ(wrong.ErrorCode(), "PIN_WRONG");
  EXPECT_EQ(Member(wrong, "tries_left"), 4);
  ApiResponse changed = SetPin(alice.customer, kOtherPin, kPin);
  ASSERT_EQ(changed.status, 200) << Describe(changed);
  EXPECT_EQ(changed.json.at("payment_pin_tries_left").as_int64(), 5);
}

TEST_F(PaymentPinApiTest, TransfersAndWithdrawalsNeedThePinAndNothingMovesWithoutIt) {
  Funded alice = FundedCustomer(1, 100 * kYuan);
  Funded bob = TierTwo(2);
  // Without a PIN, paying works as before.
  ASSERT_EQ(Transfer(alice.customer, bob.customer.phone, 1 * kYuan, "t-0").status, 201);
  ASSERT_EQ(SetPin(alice.customer, kPin).status, 200);

  ApiResponse missing = Transfer(alice.customer, bob.customer.phone, 10 * kYuan, "t-1");
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(missing.ErrorCode(), "PIN_REQUIRED");
  ApiResponse wrong = PinTransfer(alice.customer, bob.customer.phone, 10 * kYuan, "t-1", kWrongPin);
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(wrong.ErrorCode(), "PIN_WRONG");
  EXPECT_EQ(Member(wrong, "tries_left"), 4);
  EXPECT_EQ(Balance(alice.customer), 99 * kYuan);
  EXPECT_EQ(Balance(bob.customer), 1 * kYuan);
  // The same Idempotency-Key with the right PIN: the refusals left nothing behind.
  ApiResponse paid = PinTransfer(alice.customer, bob.customer.phone, 10 * kYuan, "t-1", kPin);
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(Balance(alice.customer), 89 * kYuan);
  EXPECT_EQ(Balance(bob.customer), 11 * kYuan);
  EXPECT_EQ(Security(alice.customer).json.at("payment_pin_tries_left").as_int64(), 5);

  ApiResponse no_pin = Withdraw(alice, 5 * kYuan, "w-1");
  EXPECT_EQ(no_pin.ErrorCode(), "PIN_REQUIRED");
  ApiResponse bad =
      Post("/api/v1/me/withdrawals", WithPin(AmountBody(alice.card_id, 5 * kYuan), kWrongPin),
           alice.customer.token, "w-1");
  EXPECT_EQ(bad.ErrorCode(), "PIN_WRONG");
  EXPECT_EQ(Balance(alice.customer), 89 * kYuan);
  ApiResponse withdrawn =
      Post("/api/v1/me/withdrawals", WithPin(AmountBody(alice.card_id, 5 * kYuan), kPin),
           alice.customer.token, "w-1");
  ASSERT_EQ(withdrawn.status, 201) << Describe(withdrawn);
  EXPECT_EQ(Balance(alice.customer), 84 * kYuan);
  // Top-ups pay into the balance: no PIN.
  EXPECT_EQ(TopUp(alice, 1 * kYuan, "top-2").status, 201);
}

TEST_F(PaymentPinApiTest, FiveWrongPinsLockPayingAndTheLockSurvivesARestart) {
  Funded alice = FundedCustomer(1, 100 * kYuan);
  Funded bob = TierTwo(2);
  ASSERT_EQ(SetPin(alice.customer, kPin).status, 200);
  for (int i = 0; i < 4; i++) {
    ApiResponse wrong = PinTransfer(alice.customer, bob.customer.phone, kYuan,
                                    "lock-" + std::to_string(i), kWrongPin);
    EXPECT_EQ(wrong.ErrorCode(), "PIN_WRONG");
    EXPECT_EQ(Member(wrong, "tries_left"), 4 - i);
  }
  ApiResponse locked = PinTransfer(alice.customer, bob.customer.phone, kYuan, "lock-4", kWrongPin);
  EXPECT_EQ(locked.status, 423);
  EXPECT_EQ(locked.ErrorCode(), "PIN_LOCKED");
  EXPECT_FALSE(StringMember(locked, "locked_until").empty());
  // Even the right PIN is refused while locked, also after a restart.
  EXPECT_EQ(PinTransfer(alice.customer, bob.customer.phone, kYuan, "lock-5", kPin).ErrorCode(),
            "PIN_LOCKED");
  StopServer();
  StartServer();
  EXPECT_EQ(PinTransfer(alice.customer, bob.customer.phone, kYuan, "lock-6", kPin).ErrorCode(),
            "PIN_LOCKED");
  EXPECT_FALSE(Security(alice.customer).json.at("payment_pin_locked_until").is_null());
  EXPECT_EQ(Balance(alice.customer), 100 * kYuan);
  EXPECT_EQ(Balance(bob.customer), 0);

  AdvanceClock(31 * kMinute);
  ApiResponse session = LogIn(alice.customer.phone, alice.customer.password);
  ASSERT_EQ(session.status, 201) << Describe(session);
  alice.customer.token = session.String("token");
  ApiResponse paid = PinTransfer(alice.customer, bob.customer.phone, kYuan, "lock-7", kPin);
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(Balance(alice.customer), 99 * kYuan);
}

TEST_F(PaymentPinApiTest, ResetNeedsTheSmsCodeAndTheVerifiedResidentId) {
  RegisteredCustomer unverified = RegisterCustomer(Phone(9));
  ASSERT_EQ(SetPin(unverified, kPin).status, 200);
  AdvanceClock(61 * kSecond);  // One code a minute per phone, whatever the purpose.
  const std::string code = RequestOtp(unverified.phone, "reset_pin");
  ApiResponse refused = Post("/api/v1/me/payment-pin/reset",
                             R"({"sms_code":")" + code + R"(","resident_id":")" + ResidentId(9) +
                                 R"(","pin":")" + kOtherPin + R"("})",
                             unverified.token);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.ErrorCode(), "IDENTITY_REQUIRED");

  Funded alice = FundedCustomer(1, 100 * kYuan);
  Funded bob = TierTwo(2);
  ASSERT_EQ(SetPin(alice.customer, kPin).status, 200);
  for (int i = 0; i < 5; i++) {
    PinTransfer(alice.customer, bob.customer.phone, kYuan, "r-" + std::to_string(i), kWrongPin);
  }
  auto reset = [&](std::string_view sms, std::string_view resident_id) {
    return Post("/api/v1/me/payment-pin/reset",
                R"({"sms_code":")" + std::string(sms) + R"(","resident_id":")" +
                    std::string(resident_id) + R"(","pin":")" + kOtherPin + R"("})",
                alice.customer.token);
  };
  AdvanceClock(61 * kSecond);
  const std::string first = RequestOtp(alice.customer.phone, "reset_pin");
  ApiResponse mismatch = reset(first, ResidentId(7));
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(mismatch.ErrorCode(), "IDENTITY_MISMATCH");
  // That used the code up.
  EXPECT_EQ(reset(first, ResidentId(1)).ErrorCode(), "OTP_NOT_FOUND");
  AdvanceClock(61 * kSecond);
  const std::string second = RequestOtp(alice.customer.phone, "reset_pin");
  ApiResponse done = reset(second, ResidentId(1));
  ASSERT_EQ(done.status, 200) << Describe(done);
  EXPECT_TRUE(done.json.at("payment_pin_locked_until").is_null());
  EXPECT_EQ(done.json.at("payment_pin_tries_left").as_int64(), 5);
  EXPECT_EQ(PinTransfer(alice.customer, bob.customer.phone, kYuan, "r-9", kPin).ErrorCode(),
            "PIN_WRONG");
  ASSERT_EQ(PinTransfer(alice.customer, bob.customer.phone, kYuan, "r-10", kOtherPin).status, 201);
}

TEST_F(PaymentPinApiTest, QrPaymentsNeedThePin) {
  const std::string admin = StaffToken("admin", Roles({identity::StaffRole::kAdmin}));
  ApiResponse created =
      Post("/api/v1/staff/merchants",
           R"({"legal_name":"福州小吃店","credit_code":"91350100M000100Y43","category":"catering",)"
           R"("settlement_bank_code":"ICBC","settlement_account":"6222020200112233",)"
           R"("contact_phone":"13900139000","username":"shop1","password":"shop-pass-1",)"
           R"("activate":true,"fee_bps":60})",
           admin);
  ASSERT_EQ(created.status, 201) << Describe(created);
  ApiResponse session =
      Post("/api/v1/merchant/sessions", R"({"username":"shop1","password":"shop-pass-1"})");
  ASSERT_EQ(session.status, 201) << Describe(session);
  ApiResponse qr = Get("/api/v1/merchant/qr", session.String("token"));
  ASSERT_EQ(qr.status, 200) << Describe(qr);
  const std::string body = R"({"qr":")" + qr.String("text") + R"(","currency":"CNY","amount":)" +
                           std::to_string(3 * kYuan) + "}";

  Funded alice = FundedCustomer(1, 100 * kYuan);
  ASSERT_EQ(SetPin(alice.customer, kPin).status, 200);
  EXPECT_EQ(Post("/api/v1/me/payments", body, alice.customer.token, "p-1").ErrorCode(),
            "PIN_REQUIRED");
  EXPECT_EQ(Post("/api/v1/me/payments", WithPin(body, kWrongPin), alice.customer.token, "p-1")
                .ErrorCode(),
            "PIN_WRONG");
  EXPECT_EQ(Balance(alice.customer), 100 * kYuan);
  ApiResponse paid = Post("/api/v1/me/payments", WithPin(body, kPin), alice.customer.token, "p-1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(Balance(alice.customer), 97 * kYuan);
}

}  // namespace
}  // namespace qb::wallet::testing
