// Device keys over HTTP: binding with proof of possession, listing and removing, logging in with
// a signed challenge (a session like the password log-in's), replays and expiry refused with
// their codes, a login challenge for an unknown phone or device that looks like any other, and
// another customer's device id refused everywhere. libsodium's crypto_sign_* plays the phone.
#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "device_phone.h"
#include "mfa/base32.h"
#include "mfa/totp.h"
#include "payment_fixture.h"

namespace qb::wallet::testing {
namespace {

class DeviceKeyApiTest : public PaymentApiTest {
 protected:
  ApiResponse BindingChallenge(const RegisteredCustomer& customer, const SigningPhone& phone) {
    return Post("/api/v1/me/device-keys/challenge",
                R"({"public_key":")" + phone.PublicKey() + R"("})", customer.token);
  }
  ApiResponse Register(const RegisteredCustomer& customer, const SigningPhone& phone,
                       const ApiResponse& challenge, const std::string& signature) {
    return Post("/api/v1/me/device-keys",
                R"({"device_id":")" + challenge.String("device_id") + R"(","public_key":")" +
                    phone.PublicKey() + R"(","name":"iPhone","nonce":")" +
                    challenge.String("nonce") + R"(","signature":")" + signature + R"("})",
                customer.token);
  }
  // Binds `phone` to `customer`; the device id.
  std::string Bind(const RegisteredCustomer& customer, const SigningPhone& phone) {
    ApiResponse challenge = BindingChallenge(customer, phone);
    EXPECT_EQ(challenge.status, 201) << Describe(challenge);
    ApiResponse registered = Register(customer, phone, challenge, phone.Sign(challenge));
    EXPECT_EQ(registered.status, 201) << Describe(registered);
    return registered.String("device_id");
  }
  ApiResponse LogInChallenge(std::string_view phone, std::string_view device_id) {
    return Post("/api/v1/auth/device-challenge", R"({"phone":")" + std::string(phone) +
                                                     R"(","device_id":")" + std::string(device_id) +
                                                     R"("})");
  }
  ApiResponse DeviceLogIn(std::string_view phone, const ApiResponse& challenge,
                          const std::string& signature) {
    return Post("/api/v1/auth/device-login",
                R"({"phone":")" + std::string(phone) + R"(","device_id":")" +
                    challenge.String("device_id") + R"(","nonce":")" + challenge.String("nonce") +
                    R"(","signature":")" + signature + R"("})");
  }
};

TEST_F(DeviceKeyApiTest, BindsWithProofOfPossessionListsAndRemoves) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  SigningPhone phone;
  SigningPhone other;
  ApiResponse challenge = BindingChallenge(alice, phone);
  ASSERT_EQ(challenge.status, 201) << Describe(challenge);
  EXPECT_EQ(challenge.String("purpose"), "device_binding");
  EXPECT_EQ(challenge.String("nonce").size(), 64u);
  EXPECT_EQ(challenge.headers["cache-control"], "no-store");
  const std::string message = FromBase64Url(challenge.String("message"));
  EXPECT_EQ(
      message.rfind("qianbao device challenge v1\ndevice_binding\n" + challenge.String("nonce") +
                        "\n" + challenge.String("device_id") + "\n",
                    0),
      0u)
      << message;
  // A signature by another key is no proof, and spends the challenge.
  ApiResponse forged = Register(alice, phone, challenge, other.Sign(challenge));
  EXPECT_EQ(forged.ErrorCode(), "DEVICE_SIGNATURE_INVALID") << Describe(forged);
  EXPECT_EQ(Register(alice, phone, challenge, phone.Sign(challenge)).ErrorCode(),
            "CHALLENGE_REPLAYED");
  // The challenge names the key: it cannot register another one.
  ApiResponse fresh = BindingChallenge(alice, phone);
  EXPECT_EQ(Register(alice, other, fresh, other.Sign(fresh)).ErrorCode(), "CHALLENGE_INVALID");
  ApiResponse registered = Register(alice, phone, fresh, phone.Sign(fresh));
  ASSERT_EQ(registered.status, 201) << Describe(registered);
  EXPECT_EQ(registered.String("status"), "active");
  EXPECT_EQ(registered.String("public_key"), phone.PublicKey());
  ApiResponse list = Get("/api/v1/me/device-keys", alice.token);
  ASSERT_EQ(list.status, 200) << Describe(list);
  ASSERT_EQ(list.json.at("device_keys").as_array().size(), 1u);
  EXPECT_EQ(list.json.at("device_keys").at(0).at("name").as_string(), "iPhone");
  EXPECT_TRUE(list.json.at("device_keys").at(0).at("last_used_at").is_null());
  EXPECT_EQ(BindingChallenge(alice, phone).ErrorCode(), "DEVICE_KEY_TAKEN");
  const std::string device = registered.String("device_id");
  EXPECT_EQ(Delete("/api/v1/me/device-keys/" + device, alice.token).status, 204);
  EXPECT_EQ(Delete("/api/v1/me/device-keys/" + device, alice.token).ErrorCode(),
            "DEVICE_KEY_NOT_FOUND");
  EXPECT_EQ(Get("/api/v1/me/device-keys", alice.token).json.at("device_keys").as_array().size(),
            0u);
  // A malformed key never reaches the engine.
  ApiResponse bad =
      Post("/api/v1/me/device-keys/challenge", R"({"public_key":"AAAA"})", alice.token);
  EXPECT_EQ(bad.ErrorCode(), "FIELD_INVALID");
}

TEST_F(DeviceKeyApiTest, LogsInWithTheDeviceKeyAndRefusesReplaysAndExpiredChallenges) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  SigningPhone phone;
  const std::string device = Bind(alice, phone);
  ApiResponse challenge = LogInChallenge(alice.phone, device);
  ASSERT_EQ(challenge.status, 201) << Describe(challenge);
  EXPECT_EQ(challenge.String("purpose"), "login");
  const std::string signature = phone.Sign(challenge);
  ApiResponse session = DeviceLogIn(alice.phone, challenge, signature);
  ASSERT_EQ(session.status, 201) << Describe(session);
  EXPECT_FALSE(session.String("token").empty());
  EXPECT_FALSE(session.String("expires_at").empty());
  EXPECT_EQ(session.json.at("customer").at("id").as_string(), alice.id);
  ApiResponse me = Get("/api/v1/me", session.String("token"));
  EXPECT_EQ(me.status, 200) << Describe(me);
  ApiResponse replay = DeviceLogIn(alice.phone, challenge, signature);
  EXPECT_EQ(replay.status, 403);
  EXPECT_EQ(replay.ErrorCode(), "CHALLENGE_REPLAYED");
  ApiResponse list = Get("/api/v1/me/device-keys", alice.token);
  EXPECT_TRUE(list.json.at("device_keys").at(0).at("last_used_at").is_string());

  ApiResponse late = LogInChallenge(alice.phone, device);
  AdvanceClock(121 * kNsPerSecond);
  EXPECT_EQ(DeviceLogIn(alice.phone, late, phone.Sign(late)).ErrorCode(), "CHALLENGE_EXPIRED");
}

TEST_F(DeviceKeyApiTest, ADeviceLogInCountsAsTwoFactorsWhenTotpIsOn) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  SigningPhone phone;
  const std::string device = Bind(alice, phone);
  ApiResponse begin = Post("/api/v1/me/totp", "{}", alice.token);
  ASSERT_EQ(begin.status, 201) << Describe(begin);
  const std::string secret = *mfa::Base32Decode(begin.String("secret"));
  const std::string code = mfa::TotpCode(secret, mfa::TotpStep(clock_.NowNs() / kNsPerSecond));
  ASSERT_EQ(Post("/api/v1/me/totp/confirm", R"({"code":")" + code + R"("})", alice.token).status,
            200);
  EXPECT_EQ(LogIn(alice.phone, alice.password).ErrorCode(), "TOTP_REQUIRED");
  ApiResponse challenge = LogInChallenge(alice.phone, device);
  ApiResponse session = DeviceLogIn(alice.phone, challenge, phone.Sign(challenge));
  EXPECT_EQ(session.status, 201) << Describe(session);
}

TEST_F(DeviceKeyApiTest, ALogInChallengeForAnUnknownPhoneOrDeviceLooksTheSame) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  SigningPhone phone;
  const std::string device = Bind(alice, phone);
  ApiResponse real = LogInChallenge(alice.phone, device);
  ApiResponse unknown_phone = LogInChallenge("13900139000", device);
  ApiResponse unknown_device = LogInChallenge(alice.phone, "999");
  for (const ApiResponse* answer : {&real, &unknown_phone, &unknown_device}) {
    ASSERT_EQ(answer->status, 201) << Describe(*answer);
    EXPECT_EQ(answer->String("purpose"), "login");
    EXPECT_EQ(answer->String("nonce").size(), 64u);
    EXPECT_EQ(answer->json.as_object().size(), real.json.as_object().size());
    EXPECT_EQ(answer->headers.at("cache-control"), "no-store");
  }
  EXPECT_NE(unknown_phone.String("nonce"), real.String("nonce"));
  // Every refusal of the log-in itself reads the same, too.
  SigningPhone thief;
  for (const ApiResponse* answer : {&unknown_phone, &unknown_device, &real}) {
    ApiResponse refused = DeviceLogIn(answer == &unknown_phone ? "13900139000" : alice.phone,
                                      *answer, thief.Sign(*answer));
    EXPECT_EQ(refused.status, 401) << Describe(refused);
    EXPECT_EQ(refused.ErrorCode(), "INVALID_CREDENTIALS");
  }
}

TEST_F(DeviceKeyApiTest, AnotherCustomersDeviceIdIsRefused) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  RegisteredCustomer bob = RegisterCustomer("13800138001");
  SigningPhone bobs_phone;
  const std::string bobs_device = Bind(bob, bobs_phone);
  EXPECT_EQ(Delete("/api/v1/me/device-keys/" + bobs_device, alice.token).ErrorCode(),
            "DEVICE_KEY_NOT_FOUND");
  ApiResponse step_up = Post("/api/v1/me/device-keys/" + bobs_device + "/challenge",
                             R"({"purpose":"security_change"})", alice.token);
  EXPECT_EQ(step_up.ErrorCode(), "DEVICE_KEY_NOT_FOUND") << Describe(step_up);
  // Bob's key signing a challenge asked for under Alice's phone logs nobody in.
  ApiResponse challenge = LogInChallenge(alice.phone, bobs_device);
  ASSERT_EQ(challenge.status, 201);
  EXPECT_EQ(DeviceLogIn(alice.phone, challenge, bobs_phone.Sign(challenge)).ErrorCode(),
            "INVALID_CREDENTIALS");
  EXPECT_EQ(Get("/api/v1/me/device-keys", bob.token).json.at("device_keys").as_array().size(), 1u);
}

TEST_F(DeviceKeyApiTest, APaymentConfirmationChallengeBindsTheCustomersOwnPayment) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 100'000);
  Funded bob = Customer(2, 100'000);
  SigningPhone phone;
  const std::string device = Bind(alice.customer, phone);
  ApiResponse paid = Pay(alice.customer, PayBody(StaticQr(shop), 1'234), "pay-1");
  ASSERT_TRUE(paid.status == 201 || paid.status == 202) << Describe(paid);
  const std::string payment_id = paid.String("id");
  ApiResponse challenge =
      Post("/api/v1/me/device-keys/" + device + "/challenge",
           R"({"purpose":"payment_confirmation","payment_id":")" + payment_id + R"("})",
           alice.customer.token);
  ASSERT_EQ(challenge.status, 201) << Describe(challenge);
  EXPECT_EQ(challenge.String("purpose"), "payment_confirmation");
  const std::string message = FromBase64Url(challenge.String("message"));
  std::string context_hex;
  for (unsigned char c : "payment:" + payment_id + ":1234") {
    static constexpr char kHex[] = "0123456789abcdef";
    context_hex += kHex[c >> 4];
    context_hex += kHex[c & 0xF];
  }
  EXPECT_TRUE(message.ends_with("\n" + context_hex)) << message;
  ApiResponse others =
      Post("/api/v1/me/device-keys/" + device + "/challenge",
           R"({"purpose":"payment_confirmation","payment_id":")" + payment_id + R"("})",
           bob.customer.token);
  EXPECT_EQ(others.ErrorCode(), "NOT_FOUND");
  SigningPhone bobs_phone;
  const std::string bobs_device = Bind(bob.customer, bobs_phone);
  ApiResponse not_his =
      Post("/api/v1/me/device-keys/" + bobs_device + "/challenge",
           R"({"purpose":"payment_confirmation","payment_id":")" + payment_id + R"("})",
           bob.customer.token);
  EXPECT_EQ(not_his.status, 404);
  EXPECT_EQ(not_his.ErrorCode(), "NOT_FOUND");
}

}  // namespace
}  // namespace qb::wallet::testing
