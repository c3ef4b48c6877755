// PBoC 2015 No. 43 over HTTP: a scan payment past the day's one-factor allowance answers
// CHALLENGE_REQUIRED and is held; a wrong SMS code, a replayed request or a confirmation with
// the same one factor moves nothing; an SMS code confirms it; past ¥5,000 only a device-key
// signature bound to the payment does; a transfer is refused until repeated with a factor (past
// ¥5,000 a device signature over its payee, amount and Idempotency-Key); and a new device needs
// a second factor for a large payment.
#include <gtest/gtest.h>

#include <string>

#include "device_phone.h"
#include "payment_fixture.h"

namespace qb::wallet::testing {
namespace {

class StepUpApiTest : public PaymentApiTest {
 protected:
  std::string ScanBody(const std::string& qr, int64_t amount, std::string_view extra = "") {
    return R"({"qr":")" + qr + R"(","amount":)" + std::to_string(amount) + R"(,"currency":"CNY")" +
           std::string(extra) + "}";
  }
  // A payment SMS code for `customer` (one a minute per phone: the clock moves on first).
  std::string PaymentCode(const RegisteredCustomer& customer) {
    AdvanceClock(61 * kNsPerSecond);
    return RequestOtp(customer.phone, "payment");
  }
  ApiResponse Confirm(const RegisteredCustomer& customer, const std::string& payment_id,
                      std::string_view body) {
    return Post("/api/v1/me/payments/" + payment_id + "/confirm", body, customer.token);
  }
  std::string PaymentState(const RegisteredCustomer& customer, const std::string& payment_id) {
    return Get("/api/v1/me/payments/" + payment_id, customer.token).String("status");
  }
  static std::string Needed(const ApiResponse& response) {
    return std::string(response.json.at("error").at("needed").as_string());
  }
  static std::string Factors(const ApiResponse& response) {
    std::string joined;
    for (const auto& factor : response.json.at("error").at("factors").as_array()) {
      joined += std::string(factor.as_string()) + ",";
    }
    return joined;
  }
  static std::string HeldId(const ApiResponse& response) {
    return std::string(response.json.at("error").at("payment_id").as_string());
  }
  // Binds `phone` as a device key of `customer`; the device id.
  std::string Bind(const RegisteredCustomer& customer, const SigningPhone& phone) {
    ApiResponse challenge =
        Post("/api/v1/me/device-keys/challenge", R"({"public_key":")" + phone.PublicKey() + R"("})",
             customer.token);
    EXPECT_EQ(challenge.status, 201) << Describe(challenge);
    ApiResponse bound =
        Post("/api/v1/me/device-keys",
             R"({"device_id":")" + challenge.String("device_id") + R"(","public_key":")" +
                 phone.PublicKey() + R"(","name":"SigningPhone","nonce":")" +
                 challenge.String("nonce") + R"(","signature":")" + phone.Sign(challenge) + R"("})",
             customer.token);
    EXPECT_EQ(bound.status, 201) << Describe(bound);
    return bound.String("device_id");
  }
};

TEST_F(StepUpApiTest, APaymentPastOneFactorIsHeldUntilAnSmsCodeConfirmsIt) {
  Funded alice = Customer(1, 9'000 * kYuan);
  Merchant shop = ActiveMerchant("shop", 0);
  const std::string qr = StaticQr(shop);
  ASSERT_EQ(Pay(alice.customer, ScanBody(qr, 800 * kYuan), "p1").status, 201);

  ApiResponse held = Pay(alice.customer, ScanBody(qr, 300 * kYuan), "p2");
  ASSERT_EQ(held.status, 403) << Describe(held);
  EXPECT_EQ(held.ErrorCode(), "CHALLENGE_REQUIRED");
  EXPECT_EQ(Needed(held), "two_factors");
  EXPECT_EQ(Factors(held), "sms_code,totp_code,device_signature,");
  const std::string id = HeldId(held);
  EXPECT_EQ(PaymentState(alice.customer, id), "awaiting_confirmation");
  EXPECT_EQ(MerchantBalance(shop.id), 800 * kYuan);
  // The same request again answers the same, holding nothing more.
  ApiResponse again = Pay(alice.customer, ScanBody(qr, 300 * kYuan), "p2");
  EXPECT_EQ(again.ErrorCode(), "CHALLENGE_REQUIRED");
  EXPECT_EQ(HeldId(again), id);
  ApiResponse balance = Get("/api/v1/me/balance", alice.customer.token);
  EXPECT_EQ(balance.json.at("balance").as_int64(), (9'000 - 800) * kYuan);
  EXPECT_EQ(balance.json.at("available").as_int64(), (9'000 - 800 - 300) * kYuan);

  // Confirming with the one factor it came with, or a wrong code, moves nothing.
  ApiResponse weak = Confirm(alice.customer, id, "");
  EXPECT_EQ(weak.ErrorCode(), "CHALLENGE_REQUIRED");
  const std::string code = PaymentCode(alice.customer);
  ASSERT_EQ(code.size(), 6u);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  ApiResponse refused = Confirm(alice.customer, id, R"({"sms_code":")" + wrong + R"("})");
  EXPECT_EQ(refused.ErrorCode(), "OTP_INVALID") << Describe(refused);
  EXPECT_EQ(MerchantBalance(shop.id), 800 * kYuan);
  EXPECT_EQ(Confirm(alice.customer, id, R"({"sms_code":"12ab56"})").ErrorCode(), "FIELD_INVALID");

  ApiResponse confirmed = Confirm(alice.customer, id, R"({"sms_code":")" + code + R"("})");
  ASSERT_EQ(confirmed.status, 200) << Describe(confirmed);
  EXPECT_EQ(confirmed.String("status"), "completed");
  EXPECT_EQ(MerchantBalance(shop.id), 1'100 * kYuan);
  // A used code cannot confirm again.
  ASSERT_EQ(Pay(alice.customer, ScanBody(qr, 100 * kYuan), "p3").status, 403);
  EXPECT_NE(Confirm(alice.customer, HeldId(Pay(alice.customer, ScanBody(qr, 100 * kYuan), "p3")),
                    R"({"sms_code":")" + code + R"("})")
                .status,
            200);
}

TEST_F(StepUpApiTest, PastFiveThousandOnlyADeviceSignatureBoundToThePaymentConfirms) {
  Funded alice = Customer(1, 9'000 * kYuan);
  Merchant shop = ActiveMerchant("shop", 0);
  const std::string qr = StaticQr(shop);
  SigningPhone phone;
  const std::string device = Bind(alice.customer, phone);
  // ¥4,500 with an SMS code in the payment itself goes straight through.
  const std::string code = PaymentCode(alice.customer);
  ApiResponse paid =
      Pay(alice.customer, ScanBody(qr, 4'500 * kYuan, R"(,"sms_code":")" + code + "\""), "p1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  // ¥4,500 + ¥1,000 passes ¥5,000: two factors do not do any more.
  const std::string code2 = PaymentCode(alice.customer);
  ApiResponse held =
      Pay(alice.customer, ScanBody(qr, 1'000 * kYuan, R"(,"sms_code":")" + code2 + "\""), "p2");
  ASSERT_EQ(held.ErrorCode(), "CHALLENGE_REQUIRED") << Describe(held);
  EXPECT_EQ(Needed(held), "device_key");
  EXPECT_EQ(Factors(held), "device_signature,");
  const std::string id = HeldId(held);
  const std::string code3 = PaymentCode(alice.customer);
  EXPECT_EQ(Confirm(alice.customer, id, R"({"sms_code":")" + code3 + R"("})").ErrorCode(),
            "CHALLENGE_REQUIRED");

  // A challenge bound to another payment does not confirm this one.
  ApiResponse other_challenge =
      Post("/api/v1/me/device-keys/" + device + "/challenge",
           R"({"purpose":"payment_confirmation","payment_id":")" + paid.String("id") + R"("})",
           alice.customer.token);
  ASSERT_EQ(other_challenge.status, 201) << Describe(other_challenge);
  auto signed_body = [&](const ApiResponse& challenge) {
    return R"({"device_signature":{"device_id":")" + device + R"(","nonce":")" +
           challenge.String("nonce") + R"(","signature":")" + phone.Sign(challenge) + R"("}})";
  };
  EXPECT_EQ(Confirm(alice.customer, id, signed_body(other_challenge)).ErrorCode(),
            "CHALLENGE_INVALID");
  EXPECT_EQ(MerchantBalance(shop.id), 4'500 * kYuan);

  ApiResponse challenge = Post("/api/v1/me/device-keys/" + device + "/challenge",
                               R"({"purpose":"payment_confirmation","payment_id":")" + id + R"("})",
                               alice.customer.token);
  ASSERT_EQ(challenge.status, 201) << Describe(challenge);
  const std::string body = signed_body(challenge);
  ApiResponse confirmed = Confirm(alice.customer, id, body);
  ASSERT_EQ(confirmed.status, 200) << Describe(confirmed);
  EXPECT_EQ(confirmed.String("status"), "completed");
  EXPECT_EQ(MerchantBalance(shop.id), 5'500 * kYuan);
  // The signature was for one confirmation: replayed, it is refused.
  EXPECT_EQ(Confirm(alice.customer, id, body).ErrorCode(), "CHALLENGE_REPLAYED");
}

TEST_F(StepUpApiTest, ATransferPastItsStrengthMovesNothingUntilRepeatedWithACode) {
  Funded alice = Customer(1, 9'000 * kYuan);
  Funded bob = Customer(2, 1 * kYuan);
  ApiResponse refused = Transfer(alice.customer, Phone(2), 1'200 * kYuan, "t1");
  ASSERT_EQ(refused.status, 403) << Describe(refused);
  EXPECT_EQ(refused.ErrorCode(), "CHALLENGE_REQUIRED");
  EXPECT_EQ(Factors(refused), "sms_code,totp_code,device_signature,");
  EXPECT_FALSE(refused.json.at("error").as_object().contains("payment_id"));
  EXPECT_EQ(Balance(bob.customer), 1 * kYuan);
  ASSERT_EQ(TransferWithSms(alice.customer, Phone(2), 1'200 * kYuan, "t3").status, 201);
  EXPECT_EQ(Balance(bob.customer), 1'201 * kYuan);
}

TEST_F(StepUpApiTest, PastFiveThousandATransferIsSignedForItsPayeeAmountAndKey) {
  Funded alice = Customer(1, 9'000 * kYuan);
  Funded bob = Customer(2, 1 * kYuan);
  Funded carol = Customer(3, 1 * kYuan);
  SigningPhone phone;
  const std::string device = Bind(alice.customer, phone);
  ASSERT_EQ(TransferWithSms(alice.customer, Phone(2), 4'500 * kYuan, "t1").status, 201);
  // ¥4,500 + ¥1,000 passes ¥5,000: only this phone's key will do.
  AdvanceClock(61 * kNsPerSecond);
  const std::string code = RequestOtp(alice.customer.phone, "payment");
  ApiResponse refused =
      Post("/api/v1/me/transfers",
           R"({"to_phone":")" + Phone(2) + R"(","amount":100000,"currency":"CNY","sms_code":")" +
               code + R"("})",
           alice.customer.token, "t2");
  ASSERT_EQ(refused.ErrorCode(), "CHALLENGE_REQUIRED") << Describe(refused);
  EXPECT_EQ(Needed(refused), "device_key");
  EXPECT_EQ(Factors(refused), "device_signature,");

  // The app asks for a challenge naming what it will send, under a new Idempotency-Key.
  auto challenge_for = [&](const std::string& to, int64_t amount, const std::string& key) {
    ApiResponse challenge = Post("/api/v1/me/device-keys/" + device + "/challenge",
                                 R"({"purpose":"payment_confirmation","transfer":{"to_phone":")" +
                                     to + R"(","amount":)" + std::to_string(amount) +
                                     R"(,"idempotency_key":")" + key + R"("}})",
                                 alice.customer.token);
    EXPECT_EQ(challenge.status, 201) << Describe(challenge);
    return challenge;
  };
  auto signed_transfer = [&](const ApiResponse& challenge, const std::string& to, int64_t amount,
                             const std::string& key) {
    return Post("/api/v1/me/transfers",
                R"({"to_phone":")" + to + R"(","amount":)" + std::to_string(amount) +
                    R"(,"currency":"CNY","device_signature":{"device_id":")" + device +
                    R"(","nonce":")" + challenge.String("nonce") + R"(","signature":")" +
                    phone.Sign(challenge) + R"("}})",
                alice.customer.token, key);
  };
  // A signature for another payee, another amount or another request moves nothing.
  ApiResponse for_carol = challenge_for(Phone(3), 100'000, "t3");
  EXPECT_EQ(signed_transfer(for_carol, Phone(2), 100'000, "t3").ErrorCode(), "CHALLENGE_INVALID");
  ApiResponse for_less = challenge_for(Phone(2), 100, "t4");
  EXPECT_EQ(signed_transfer(for_less, Phone(2), 100'000, "t4").ErrorCode(), "CHALLENGE_INVALID");
  ApiResponse for_other_key = challenge_for(Phone(2), 100'000, "t5");
  EXPECT_EQ(signed_transfer(for_other_key, Phone(2), 100'000, "t6").ErrorCode(),
            "CHALLENGE_INVALID");
  EXPECT_EQ(Balance(bob.customer), 4'501 * kYuan);
  EXPECT_EQ(Balance(carol.customer), 1 * kYuan);

  ApiResponse challenge = challenge_for(Phone(2), 100'000, "t7");
  ApiResponse sent = signed_transfer(challenge, Phone(2), 100'000, "t7");
  ASSERT_EQ(sent.status, 201) << Describe(sent);
  EXPECT_EQ(Balance(bob.customer), 5'501 * kYuan);
  // The same signed request again is the same transfer (idempotent), not a second one.
  EXPECT_EQ(signed_transfer(challenge, Phone(2), 100'000, "t7").status, 201);
  EXPECT_EQ(Balance(bob.customer), 5'501 * kYuan);
  EXPECT_EQ(LedgerProblem(), std::nullopt);
}

TEST_F(StepUpApiTest, ANewPhoneNeedsASecondFactorForALargePaymentForADay) {
  Funded alice = Customer(1, 9'000 * kYuan);
  Merchant shop = ActiveMerchant("shop", 0);
  const std::string qr = StaticQr(shop);
  auto log_in = [&](std::string_view device) {
    RequestOptions options;
    options.headers = {{"X-Device-Id", std::string(device)}};
    ApiResponse login = Request("POST", "/api/v1/sessions",
                                R"({"phone":")" + alice.customer.phone + R"(","password":")" +
                                    alice.customer.password + R"("})",
                                options);
    EXPECT_EQ(login.status, 201) << Describe(login);
    return login.String("token");
  };
  auto pay = [&](std::string_view device, const std::string& token, int64_t amount,
                 std::string_view key) {
    RequestOptions options;
    options.token = token;
    options.idempotency_key = std::string(key);
    options.headers = {{"X-Device-Id", std::string(device)}};
    return Request("POST", "/api/v1/me/payments", ScanBody(qr, amount), options);
  };
  // Alice's first phone (the one she signed up on, sending no device id): its large payments
  // need one factor, since the first device is not new.
  ASSERT_EQ(Pay(alice.customer, ScanBody(qr, 600 * kYuan), "o1").status, 201);
  // The next day (nothing spent yet) she logs in on a new phone.
  AdvanceClock(25 * 3600 * kNsPerSecond);
  const std::string new_token = log_in("new-phone");
  ApiResponse large = pay("new-phone", new_token, 600 * kYuan, "n1");
  ASSERT_EQ(large.status, 403) << Describe(large);
  EXPECT_EQ(Needed(large), "two_factors");
  // ¥500 or less from it needs nothing more (¥600 held + ¥400 is the day's ¥1,000).
  EXPECT_EQ(pay("new-phone", new_token, 400 * kYuan, "n2").status, 201);
  // A day after its first log-in it is a known phone.
  AdvanceClock(25 * 3600 * kNsPerSecond);
  const std::string later = log_in("new-phone");
  EXPECT_EQ(pay("new-phone", later, 600 * kYuan, "n3").status, 201);
}

}  // namespace
}  // namespace qb::wallet::testing
