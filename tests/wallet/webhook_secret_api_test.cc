// Rotating the webhook signing secret over HTTP: the owner gets a new secret at once; for 24
// hours every webhook carries two signatures (new and old secret), so a receiver still holding
// either verifies it; after that only the new one. A cashier may neither see nor rotate the
// secret, and the rotation survives a restart.
#include <chrono>
#include <string>
#include <thread>

#include "wallet/money_fixture.h"
#include "webhook/test_receiver.h"
#include "webhook/webhook_signature.h"

namespace qb::wallet::testing {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kHour = 3'600 * kSecond;
constexpr char kCreditCode[] = "91350100M000100Y43";

// How many v1 signatures a QB-Signature header carries.
size_t SignatureCount(const std::string& header) {
  size_t count = 0;
  for (size_t at = header.find(",v1="); at != std::string::npos; at = header.find(",v1=", at + 1)) {
    count++;
  }
  return count;
}

class WebhookSecretApiTest : public MoneyApiTest {
 protected:
  void SetUp() override {
    MoneyApiTest::SetUp();
    StopServer();
    options_.webhooks.allow_private_networks = true;  // The receiver is on loopback.
    StartServer(options_);
    admin_ = StaffToken("admin", Roles({identity::StaffRole::kAdmin}));
    ApiResponse created =
        Post("/api/v1/staff/merchants",
             R"({"legal_name":"福州小吃店","credit_code":")" + std::string(kCreditCode) +
                 R"(","category":"catering","settlement_bank_code":"ICBC",)"
                 R"("settlement_account":"6222020200112233","contact_phone":"13900139000",)"
                 R"("username":"shop","password":"shop-pass-1","activate":true})",
             admin_);
    ASSERT_EQ(created.status, 201) << Describe(created);
    owner_ = LogInAs("shop", "shop-pass-1");
    ASSERT_FALSE(owner_.empty());
  }

  std::string LogInAs(std::string_view username, std::string_view password) {
    ApiResponse session = Post("/api/v1/merchant/sessions",
                               R"({"username":")" + std::string(username) + R"(","password":")" +
                                   std::string(password) + R"("})");
    EXPECT_EQ(session.status, 201) << Describe(session);
    return session.String("token");
  }

  // Waits (bounded) until the receiver has `count` requests, and returns the last one.
  webhook::testing::ReceivedRequest WaitForRequest(const webhook::testing::TestReceiver& receiver,
                                                   size_t count) {
    for (int i = 0; i < 500 && receiver.RequestCount() < count; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(receiver.RequestCount(), count);
    if (receiver.RequestCount() < count) return {};
    return receiver.Requests()[count - 1];
  }

  webhook::WebhookVerifyResult VerifyHook(const std::string& secret,
                                          const webhook::testing::ReceivedRequest& hook) {
    auto it = hook.headers.find("qb-signature");
    if (it == hook.headers.end()) return webhook::WebhookVerifyResult::kMalformed;
    return webhook::VerifyWebhook(secret, it->second, hook.body, clock_.NowNs() / kSecond);
  }

  WalletOptions options_;
  std::string admin_;
  std::string owner_;
};

TEST_F(WebhookSecretApiTest, ARotationSignsWithBothSecretsFor24HoursThenTheNewOneOnly) {
  webhook::testing::TestReceiver receiver([](const webhook::testing::ReceivedRequest&) {
    return webhook::testing::Reply{200, "ok"};
  });
  ApiResponse before = Get("/api/v1/merchant/webhook-secret", owner_);
  ASSERT_EQ(before.status, 200) << Describe(before);
  EXPECT_EQ(before.json.at("version").as_int64(), 0);
  EXPECT_TRUE(before.json.at("previous_valid_until").is_null());
  const std::string old_secret = before.String("secret");

  ApiResponse rotated = Post("/api/v1/merchant/webhook-secret/rotate", "{}", owner_);
  ASSERT_EQ(rotated.status, 200) << Describe(rotated);
  EXPECT_EQ(rotated.headers["cache-control"], "no-store");
  const std::string new_secret = rotated.String("secret");
  EXPECT_TRUE(new_secret.starts_with("whsec_"));
  EXPECT_NE(new_secret, old_secret);
  EXPECT_EQ(rotated.json.at("version").as_int64(), 1);
  ASSERT_TRUE(rotated.json.at("previous_valid_until").is_string());
  ApiResponse shown = Get("/api/v1/merchant/webhook-secret", owner_);
  EXPECT_EQ(shown.String("secret"), new_secret);
  EXPECT_EQ(shown.json.at("version").as_int64(), 1);
  EXPECT_EQ(shown.json.at("previous_valid_until"), rotated.json.at("previous_valid_until"));

  // A notice sent right after: two signatures, either secret verifies it.
  ApiResponse order = Post("/api/v1/merchant/orders",
                           R"({"merchant_order_no":"R-1","amount":2500,"currency":"CNY",)"
                           R"("notify_url":")" +
                               receiver.Url() + R"("})",
                           owner_);
  ASSERT_EQ(order.status, 201) << Describe(order);
  Funded alice = TierTwo(1);
  ASSERT_EQ(TopUp(alice, 500 * kYuan, "fund").status, 201);
  ApiResponse paid =
      Post("/api/v1/me/payments", R"({"qr":")" + order.String("qr_text") + R"(","currency":"CNY"})",
           alice.customer.token, "p1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  const webhook::testing::ReceivedRequest hook = WaitForRequest(receiver, 1);
  EXPECT_EQ(SignatureCount(hook.headers.at("qb-signature")), 2u);
  EXPECT_EQ(VerifyHook(new_secret, hook), webhook::WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyHook(old_secret, hook), webhook::WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyHook("whsec_neither", hook), webhook::WebhookVerifyResult::kBadSignature);

  // 25 hours later (the portal session idled out meanwhile) only the new secret signs.
  AdvanceClock(25 * kHour);
  owner_ = LogInAs("shop", "shop-pass-1");
  shown = Get("/api/v1/merchant/webhook-secret", owner_);
  EXPECT_EQ(shown.String("secret"), new_secret);
  EXPECT_TRUE(shown.json.at("previous_valid_until").is_null());
  const std::string resend = "/api/v1/merchant/webhooks/evt_" + paid.String("id") + "/resend";
  ASSERT_EQ(Post(resend, "{}", owner_).status, 202);
  const webhook::testing::ReceivedRequest later = WaitForRequest(receiver, 2);
  EXPECT_EQ(SignatureCount(later.headers.at("qb-signature")), 1u);
  EXPECT_EQ(VerifyHook(new_secret, later), webhook::WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyHook(old_secret, later), webhook::WebhookVerifyResult::kBadSignature);

  // The version is engine state: it survives a restart, and so does the secret.
  StopServer();
  StartServer(options_);
  owner_ = LogInAs("shop", "shop-pass-1");
  shown = Get("/api/v1/merchant/webhook-secret", owner_);
  ASSERT_EQ(shown.status, 200) << Describe(shown);
  EXPECT_EQ(shown.String("secret"), new_secret);
  EXPECT_EQ(shown.json.at("version").as_int64(), 1);
  // The dispatcher forgot the event in the restart: the outbox sends it again, signed anew.
  ASSERT_EQ(Post(resend, "{}", owner_).status, 202);
  const webhook::testing::ReceivedRequest restarted = WaitForRequest(receiver, 3);
  EXPECT_EQ(SignatureCount(restarted.headers.at("qb-signature")), 1u);
  EXPECT_EQ(VerifyHook(new_secret, restarted), webhook::WebhookVerifyResult::kOk);

  // A second rotation: the overlap is with the secret it replaces.
  ApiResponse again = Post("/api/v1/merchant/webhook-secret/rotate", "{}", owner_);
  ASSERT_EQ(again.status, 200) << Describe(again);
  EXPECT_EQ(again.json.at("version").as_int64(), 2);
  ASSERT_EQ(Post(resend, "{}", owner_).status, 202);
  const webhook::testing::ReceivedRequest second = WaitForRequest(receiver, 4);
  EXPECT_EQ(SignatureCount(second.headers.at("qb-signature")), 2u);
  EXPECT_EQ(VerifyHook(again.String("secret"), second), webhook::WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyHook(new_secret, second), webhook::WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyHook(old_secret, second), webhook::WebhookVerifyResult::kBadSignature);
}

TEST_F(WebhookSecretApiTest, OnlyTheOwnerMaySeeOrRotateTheSecret) {
  ApiResponse added = Post("/api/v1/merchant/users",
                           R"({"username":"till-1","display_name":"收银员",)"
                           R"("password":"till-pass-1","role":"cashier"})",
                           owner_);
  ASSERT_EQ(added.status, 201) << Describe(added);
  const std::string cashier = LogInAs("till-1", "till-pass-1");
  EXPECT_EQ(Post("/api/v1/merchant/webhook-secret/rotate", "{}", cashier).status, 403);
  EXPECT_EQ(Get("/api/v1/merchant/webhook-secret", cashier).status, 403);
  EXPECT_EQ(Post("/api/v1/merchant/webhook-secret/rotate", "{}", "").status, 401);
  ApiResponse shown = Get("/api/v1/merchant/webhook-secret", owner_);
  EXPECT_EQ(shown.json.at("version").as_int64(), 0);
}

}  // namespace
}  // namespace qb::wallet::testing
