// WebAuthn device keys over HTTP: binding a credential with {kind: "webauthn"} (the attestation
// object and clientDataJSON, base64url), logging in with an assertion, a replayed assertion and
// one made for another origin refused, and WebAuthn off when the server has no origin. The
// authenticator is tests/mfa/webauthn_test_util.h (a P-256 key made by OpenSSL).
#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "../mfa/webauthn_test_util.h"
#include "payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using mfa::EncodeBase64Url;
using mfa::testing::AttestationObject;
using mfa::testing::ClientDataJson;
using mfa::testing::TestAuthenticator;

constexpr char kRpId[] = "wallet.example.cn";
constexpr char kOrigin[] = "https://wallet.example.cn";
constexpr uint8_t kUpUv = mfa::kAuthDataUserPresent | mfa::kAuthDataUserVerified;

std::string NonceBytes(const std::string& hex) {
  std::string bytes(hex.size() / 2, '\0');
  size_t length = 0;
  EXPECT_EQ(sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), hex.data(),
                           hex.size(), nullptr, &length, nullptr),
            0);
  return bytes;
}

class WebAuthnApiTest : public PaymentApiTest {
 protected:
  void SetUp() override {
    PaymentApiTest::SetUp();
    StopServer();
    WalletOptions options;
    options.webauthn_rp_id = kRpId;
    options.webauthn_origin = kOrigin;
    StartServer(options);
  }

  // Binds authenticator_ to `customer`; the registration's answer. `flags`: the authData flags
  // besides the attested credential's.
  ApiResponse Bind(const RegisteredCustomer& customer, uint8_t flags = kUpUv) {
    ApiResponse challenge =
        Post("/api/v1/me/device-keys/challenge", R"({"kind":"webauthn"})", customer.token);
    EXPECT_EQ(challenge.status, 201) << Describe(challenge);
    const std::string nonce = challenge.String("nonce");
    const std::string auth =
        authenticator_.AuthData(kRpId, flags | mfa::kAuthDataAttestedCredential, 0);
    return Post("/api/v1/me/device-keys",
                R"({"kind":"webauthn","device_id":")" + challenge.String("device_id") +
                    R"(","name":"Pixel","nonce":")" + nonce + R"(","attestation_object":")" +
                    EncodeBase64Url(AttestationObject(auth)) + R"(","client_data_json":")" +
                    EncodeBase64Url(ClientDataJson("webauthn.create", NonceBytes(nonce), kOrigin)) +
                    R"("})",
                customer.token);
  }

  // A log-in assertion for `challenge` with counter `count`, as the browser sends it.
  std::string LogInBody(std::string_view phone, const ApiResponse& challenge, uint32_t count,
                        std::string_view origin = kOrigin) {
    const std::string nonce = challenge.String("nonce");
    const std::string client = ClientDataJson("webauthn.get", NonceBytes(nonce), origin);
    const std::string auth = authenticator_.AuthData(kRpId, kUpUv, count);
    return R"({"phone":")" + std::string(phone) + R"(","device_id":")" +
           challenge.String("device_id") + R"(","nonce":")" + nonce + R"(","signature":")" +
           EncodeBase64Url(authenticator_.Sign(auth, client)) + R"(","authenticator_data":")" +
           EncodeBase64Url(auth) + R"(","client_data_json":")" + EncodeBase64Url(client) + R"("})";
  }

  ApiResponse LogInChallenge(std::string_view phone, std::string_view device_id) {
    return Post("/api/v1/auth/device-challenge", R"({"phone":")" + std::string(phone) +
                                                     R"(","device_id":")" + std::string(device_id) +
                                                     R"("})");
  }

  TestAuthenticator authenticator_;
};

TEST_F(WebAuthnApiTest, BindsACredentialAndLogsInWithAnAssertion) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  ApiResponse registered = Bind(alice);
  ASSERT_EQ(registered.status, 201) << Describe(registered);
  EXPECT_EQ(registered.String("kind"), "webauthn");
  EXPECT_EQ(registered.String("credential_id"), EncodeBase64Url(authenticator_.credential_id()));
  const std::string device_id = registered.String("device_id");

  ApiResponse challenge = LogInChallenge("13800138000", device_id);
  ASSERT_EQ(challenge.status, 201) << Describe(challenge);
  const std::string body = LogInBody("13800138000", challenge, 1);
  ApiResponse session = Post("/api/v1/auth/device-login", body);
  ASSERT_EQ(session.status, 201) << Describe(session);
  EXPECT_FALSE(session.String("token").empty());
  // The same assertion again: the challenge was used.
  ApiResponse replay = Post("/api/v1/auth/device-login", body);
  EXPECT_EQ(replay.ErrorCode(), "CHALLENGE_REPLAYED") << Describe(replay);

  // An assertion made on another origin (a phishing page) does not log in.
  ApiResponse phished = LogInChallenge("13800138000", device_id);
  ApiResponse refused = Post("/api/v1/auth/device-login",
                             LogInBody("13800138000", phished, 2, "https://wallet-example.cn"));
  EXPECT_EQ(refused.ErrorCode(), "INVALID_CREDENTIALS") << Describe(refused);
  // Nor does one whose counter did not rise (a cloned authenticator).
  ApiResponse cloned = LogInChallenge("13800138000", device_id);
  refused = Post("/api/v1/auth/device-login", LogInBody("13800138000", cloned, 1));
  EXPECT_EQ(refused.ErrorCode(), "INVALID_CREDENTIALS") << Describe(refused);
  ApiResponse fresh = LogInChallenge("13800138000", device_id);
  session = Post("/api/v1/auth/device-login", LogInBody("13800138000", fresh, 5));
  EXPECT_EQ(session.status, 201) << Describe(session);
}

// The key stands for the customer's biometric: an authenticator that only saw a user present
// (a touch) and did not verify them does not bind.
TEST_F(WebAuthnApiTest, BindingNeedsUserVerification) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  ApiResponse touched = Bind(alice, mfa::kAuthDataUserPresent);
  EXPECT_EQ(touched.status, 403) << Describe(touched);
  EXPECT_EQ(touched.ErrorCode(), "DEVICE_SIGNATURE_INVALID");
  EXPECT_EQ(touched.json.at("error").at("reason").as_string(), "user_not_verified");
  ApiResponse keys = Get("/api/v1/me/device-keys", alice.token);
  ASSERT_EQ(keys.status, 200) << Describe(keys);
  EXPECT_TRUE(keys.json.at("device_keys").as_array().empty()) << Describe(keys);
  ApiResponse verified = Bind(alice);
  EXPECT_EQ(verified.status, 201) << Describe(verified);
}

TEST_F(WebAuthnApiTest, RefusesMalformedAttestationsAndIsOffWithoutAnOrigin) {
  RegisteredCustomer alice = RegisterCustomer("13800138000");
  ApiResponse challenge =
      Post("/api/v1/me/device-keys/challenge", R"({"kind":"webauthn"})", alice.token);
  ASSERT_EQ(challenge.status, 201) << Describe(challenge);
  ApiResponse bad = Post("/api/v1/me/device-keys",
                         R"({"kind":"webauthn","device_id":")" + challenge.String("device_id") +
                             R"(","name":"x","nonce":")" + challenge.String("nonce") +
                             R"(","attestation_object":"AAAA","client_data_json":"e30"})",
                         alice.token);
  EXPECT_EQ(bad.ErrorCode(), "FIELD_INVALID") << Describe(bad);

  StopServer();
  StartServer(WalletOptions());  // no origin: WebAuthn off
  ApiResponse off = Post("/api/v1/me/device-keys/challenge", R"({"kind":"webauthn"})", alice.token);
  EXPECT_EQ(off.status, 400) << Describe(off);
}

}  // namespace
}  // namespace qb::wallet::testing
