// Merchants and payments over HTTP: onboarding and review, the merchant portal and signed API
// requests, paying static and dynamic QR codes, payment codes, refunds, and every way a payment
// must be refused (forged or altered QR, expired or reused code, suspended merchant, refund over
// the amount) with a stable code and no money moved. TearDown checks the ledger's invariants.
#include <sodium.h>

#include <string>

#include "merchant/request_signing.h"
#include "paytoken/nfc_cryptogram.h"
#include "paytoken/payment_code.h"
#include "paytoken/qr_payload.h"
#include "wallet/payment_fixture.h"
#include "webhook/test_receiver.h"
#include "webhook/webhook_signature.h"

namespace qb::wallet::testing {
namespace {

TEST_F(PaymentApiTest, OnboardingReviewAndPortalLogIn) {
  // Self-service waits for review; staff may onboard straight to active.
  ApiResponse applied = Post("/api/v1/merchant-applications", ApplicationBody("selfshop"));
  ASSERT_EQ(applied.status, 201) << Describe(applied);
  EXPECT_EQ(applied.String("status"), "pending_review");
  EXPECT_EQ(applied.json.at("fee_bps").as_int64(), 60);
  EXPECT_EQ(applied.String("settlement_account_last4"), "2233");
  EXPECT_EQ(applied.body.find("6222020200112233"), std::string::npos);
  EXPECT_EQ(Post("/api/v1/merchant-applications", ApplicationBody("selfshop")).ErrorCode(),
            "USERNAME_TAKEN");
  std::string bad = ApplicationBody("other");
  bad.replace(bad.find(kCreditCode), 18, "91350100M000100Y44");
  EXPECT_EQ(Post("/api/v1/merchant-applications", bad).ErrorCode(), "CREDIT_CODE_INVALID");
  // A self-service caller cannot set its own fee or skip review.
  EXPECT_EQ(Post("/api/v1/merchant-applications", ApplicationBody("other", R"(,"fee_bps":0)"))
                .ErrorCode(),
            "UNKNOWN_FIELD");

  ApiResponse session =
      Post("/api/v1/merchant/sessions", R"({"username":"SelfShop","password":"shop-pass-1"})");
  ASSERT_EQ(session.status, 201) << Describe(session);
  const std::string token = session.String("token");
  EXPECT_EQ(Get("/api/v1/merchant/me", token).String("status"), "pending_review");
  EXPECT_EQ(Post("/api/v1/merchant/sessions", R"({"username":"selfshop","password":"wrong-1"})")
                .ErrorCode(),
            "INVALID_CREDENTIALS");
  EXPECT_EQ(Post("/api/v1/merchant/sessions", R"({"username":"nobody","password":"wrong-1"})")
                .ErrorCode(),
            "INVALID_CREDENTIALS");
  // Portal sessions are not customer or staff sessions.
  EXPECT_EQ(Get("/api/v1/me", token).status, 401);
  EXPECT_EQ(Get("/api/v1/staff/merchants", token).status, 401);

  // Pending: it cannot be paid.
  Funded alice = Customer(1, 100 * kYuan);
  const std::string qr = Get("/api/v1/merchant/qr", token).String("text");
  EXPECT_EQ(Pay(alice.customer, PayBody(qr, 10 * kYuan), "p1").ErrorCode(), "MERCHANT_NOT_ACTIVE");
  // Review: support may look, only admin or risk may approve.
  const std::string support = StaffToken("support", Roles({identity::StaffRole::kSupport}));
  WaitForReadModels();
  ApiResponse pending = Get("/api/v1/staff/merchants?status=pending_review", support);
  ASSERT_EQ(pending.status, 200) << Describe(pending);
  ASSERT_EQ(pending.json.at("merchants").as_array().size(), 1u);
  const std::string id = applied.String("id");
  EXPECT_EQ(
      Post("/api/v1/staff/merchants/" + id + "/status", R"({"status":"active"})", support).status,
      403);
  ApiResponse approved =
      Post("/api/v1/staff/merchants/" + id + "/status", R"({"status":"active"})", admin_);
  ASSERT_EQ(approved.status, 200) << Describe(approved);
  EXPECT_EQ(approved.String("status"), "active");
  EXPECT_EQ(Pay(alice.customer, PayBody(qr, 10 * kYuan), "p2").status, 201);
  EXPECT_EQ(Balance(alice.customer), 90 * kYuan);

  EXPECT_EQ(Delete("/api/v1/merchant/sessions/current", token).status, 204);
  EXPECT_EQ(Get("/api/v1/merchant/me", token).status, 401);
}

TEST_F(PaymentApiTest, StaticQrPaymentAndRefundsInParts) {
  Merchant shop = ActiveMerchant("shop", 100);  // 1 %
  Funded alice = Customer(1, 500 * kYuan);
  const std::string qr = StaticQr(shop);
  ASSERT_TRUE(qr.starts_with("qbpay:1.")) << qr;

  ApiResponse scanned = Post("/api/v1/me/scans", R"({"qr":")" + qr + R"("})", alice.customer.token);
  ASSERT_EQ(scanned.status, 200) << Describe(scanned);
  EXPECT_EQ(scanned.String("kind"), "static");
  EXPECT_EQ(scanned.json.at("merchant").at("name").as_string(), "福州小吃店");
  EXPECT_TRUE(scanned.json.at("amount").is_null());

  EXPECT_EQ(Pay(alice.customer, PayBody(qr), "p1").ErrorCode(), "FIELD_REQUIRED");
  ApiResponse paid = Pay(alice.customer, PayBody(qr, 300 * kYuan), "p1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.String("status"), "completed");
  EXPECT_EQ(paid.String("channel"), "static_qr");
  // The customer does not see the merchant's fee; the merchant does.
  EXPECT_FALSE(paid.json.as_object().contains("fee"));
  ApiResponse merchant_view = Get("/api/v1/merchant/payments/" + paid.String("id"), shop.token);
  ASSERT_EQ(merchant_view.status, 200) << Describe(merchant_view);
  EXPECT_EQ(merchant_view.json.at("fee").as_int64(), 300);
  EXPECT_EQ(Balance(alice.customer), 200 * kYuan);
  EXPECT_EQ(MerchantBalance(shop.id), 300 * kYuan - 300);
  // The same key again: the same payment, nothing moves twice.
  ApiResponse again = Pay(alice.customer, PayBody(qr, 300 * kYuan), "p1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.String("id"), paid.String("id"));
  EXPECT_EQ(Balance(alice.customer), 200 * kYuan);
  const std::string payment = paid.String("id");

  // The merchant sees it; the customer's history shows the merchant.
  ApiResponse list = Get("/api/v1/merchant/payments", shop.token);
  ASSERT_EQ(list.status, 200) << Describe(list);
  ASSERT_EQ(list.json.at("payments").as_array().size(), 1u);
  boost::json::array history = History(alice.customer, "?limit=1");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].at("amount").as_int64(), 300 * kYuan);

  ApiResponse part = Refund(shop, payment, 100 * kYuan, "r1");
  ASSERT_EQ(part.status, 201) << Describe(part);
  EXPECT_EQ(part.json.at("payment_refunded").as_int64(), 100 * kYuan);
  EXPECT_EQ(Refund(shop, payment, 100 * kYuan, "r1").String("id"), part.String("id"));
  EXPECT_EQ(Refund(shop, payment, 101 * kYuan, "r1").ErrorCode(), "IDEMPOTENCY_KEY_REUSED");
  ApiResponse over = Refund(shop, payment, 200 * kYuan + 1, "r2");
  EXPECT_EQ(over.status, 409);
  EXPECT_EQ(over.ErrorCode(), "REFUND_EXCEEDS_PAYMENT");
  EXPECT_EQ(Balance(alice.customer), 300 * kYuan);
  EXPECT_EQ(Refund(shop, payment, 200 * kYuan, "r3").status, 201);
  EXPECT_EQ(Balance(alice.customer), 500 * kYuan);
  EXPECT_EQ(MerchantBalance(shop.id), 0);  // The whole fee came back with the whole amount.

  ApiResponse detail = Get("/api/v1/merchant/payments/" + payment, shop.token);
  ASSERT_EQ(detail.status, 200) << Describe(detail);
  EXPECT_EQ(detail.json.at("refunded").as_int64(), 300 * kYuan);
  EXPECT_EQ(detail.json.at("refunds").as_array().size(), 2u);
  ApiResponse mine = Get("/api/v1/me/payments/" + payment, alice.customer.token);
  ASSERT_EQ(mine.status, 200) << Describe(mine);
  EXPECT_EQ(mine.json.at("refunds").as_array().size(), 2u);
  // Nobody else sees or refunds it.
  Merchant other = ActiveMerchant("other");
  EXPECT_EQ(Get("/api/v1/merchant/payments/" + payment, other.token).ErrorCode(),
            "PAYMENT_NOT_FOUND");
  EXPECT_EQ(Refund(other, payment, 1, "x").ErrorCode(), "PAYMENT_NOT_FOUND");
  Funded bob = Customer(2, 10 * kYuan);
  EXPECT_EQ(Get("/api/v1/me/payments/" + payment, bob.customer.token).ErrorCode(),
            "PAYMENT_NOT_FOUND");
}

TEST_F(PaymentApiTest, ForgedAlteredAndExpiredQrCodesMoveNothing) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  ApiResponse order = Post("/api/v1/merchant/orders",
                           R"({"merchant_order_no":"A-1","amount":8800,"currency":"CNY",)"
                           R"("description":"午餐","expires_in_seconds":600})",
                           shop.token);
  ASSERT_EQ(order.status, 201) << Describe(order);
  const std::string qr = order.String("qr_text");

  // Altered: one character of the signed payload changed.
  std::string altered = qr;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Pay(alice.customer, PayBody(altered), "p1").ErrorCode(), "QR_INVALID");
  // Forged: a well-formed code signed with a key that is not the wallet's.
  paytoken::QrSigningKey forger(7, identity::SecretKey::Random());
  paytoken::QrPayload payload;
  payload.kind = paytoken::QrKind::kDynamic;
  payload.merchant_id = std::stoull(shop.id);
  payload.order_id = order.String("id");
  payload.amount_fen = 1;
  payload.currency = "CNY";
  payload.expires_at_ns = clock_.NowNs() + 600 * kSecond;
  std::string forged;
  ASSERT_EQ(paytoken::SignQr(payload, forger, &forged), paytoken::QrResult::kOk);
  EXPECT_EQ(Pay(alice.customer, PayBody(forged), "p2").ErrorCode(), "QR_INVALID");
  EXPECT_EQ(
      Post("/api/v1/me/scans", R"({"qr":")" + forged + R"("})", alice.customer.token).ErrorCode(),
      "QR_INVALID");
  // The right code with another amount.
  EXPECT_EQ(Pay(alice.customer, PayBody(qr, 1), "p3").ErrorCode(), "AMOUNT_MISMATCH");
  EXPECT_EQ(Balance(alice.customer), 500 * kYuan);

  // Paid once; then the order is done.
  ApiResponse paid = Pay(alice.customer, PayBody(qr), "p4");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.String("channel"), "dynamic_qr");
  EXPECT_EQ(Pay(alice.customer, PayBody(qr), "p5").ErrorCode(), "ORDER_NOT_OPEN");
  EXPECT_EQ(Balance(alice.customer), 500 * kYuan - 8800);
  ApiResponse queried = Get("/api/v1/merchant/orders/" + order.String("id"), shop.token);
  EXPECT_EQ(queried.String("status"), "paid");
  EXPECT_EQ(queried.String("payment_id"), paid.String("id"));

  // Expired.
  ApiResponse late = Post("/api/v1/merchant/orders",
                          R"({"merchant_order_no":"A-2","amount":100,"currency":"CNY",)"
                          R"("expires_in_seconds":60})",
                          shop.token);
  ASSERT_EQ(late.status, 201);
  AdvanceClock(61 * kSecond);
  EXPECT_EQ(Pay(alice.customer, PayBody(late.String("qr_text")), "p6").ErrorCode(), "QR_EXPIRED");
  EXPECT_EQ(Get("/api/v1/merchant/orders/" + late.String("id"), shop.token).String("status"),
            "expired");
  EXPECT_EQ(Balance(alice.customer), 500 * kYuan - 8800);
}

TEST_F(PaymentApiTest, OrdersAreIdempotentClosableAndPrintable) {
  Merchant shop = ActiveMerchant("shop");
  const std::string body =
      R"({"merchant_order_no":"N-9","amount":1234,"currency":"CNY","notify_url":"http://127.0.0.1:9/n"})";
  ApiResponse first = Post("/api/v1/merchant/orders", body, shop.token);
  ASSERT_EQ(first.status, 201) << Describe(first);
  ApiResponse same = Post("/api/v1/merchant/orders", body, shop.token);
  EXPECT_EQ(same.status, 200) << Describe(same);
  EXPECT_EQ(same.String("id"), first.String("id"));
  std::string other = body;
  other.replace(other.find("1234"), 4, "1235");
  EXPECT_EQ(Post("/api/v1/merchant/orders", other, shop.token).ErrorCode(), "ORDER_EXISTS");
  EXPECT_EQ(Post("/api/v1/merchant/orders",
                 R"({"merchant_order_no":"N 9","amount":1,"currency":"CNY"})", shop.token)
                .ErrorCode(),
            "FIELD_INVALID");

  ApiResponse png = Get("/api/v1/merchant/orders/" + first.String("id") + "/qr", shop.token);
  EXPECT_EQ(png.status, 200);
  EXPECT_EQ(png.headers["content-type"], "image/png");
  EXPECT_TRUE(png.body.starts_with("\x89PNG\r\n\x1a\n"));
  ApiResponse svg =
      Get("/api/v1/merchant/orders/" + first.String("id") + "/qr?format=svg", shop.token);
  EXPECT_EQ(svg.headers["content-type"], "image/svg+xml");
  EXPECT_NE(svg.body.find("<svg"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/merchant/qr?format=png", shop.token).headers["content-type"], "image/png");

  ApiResponse closed =
      Post("/api/v1/merchant/orders/" + first.String("id") + "/close", "{}", shop.token);
  ASSERT_EQ(closed.status, 200) << Describe(closed);
  EXPECT_EQ(closed.String("status"), "closed");
  Funded alice = Customer(1, 100 * kYuan);
  EXPECT_EQ(Pay(alice.customer, PayBody(first.String("qr_text")), "p1").ErrorCode(),
            "ORDER_NOT_OPEN");
  EXPECT_EQ(Balance(alice.customer), 100 * kYuan);
  ApiResponse list = Get("/api/v1/merchant/orders", shop.token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json.at("orders").as_array().size(), 1u);
  Merchant stranger = ActiveMerchant("stranger");
  EXPECT_EQ(Get("/api/v1/merchant/orders/" + first.String("id"), stranger.token).ErrorCode(),
            "ORDER_NOT_FOUND");
}

TEST_F(PaymentApiTest, SignedRequestsFromTheMerchantServer) {
  Merchant shop = ActiveMerchant("shop");
  ApiResponse key = Post("/api/v1/merchant/api-keys", "{}", shop.token);
  ASSERT_EQ(key.status, 201) << Describe(key);
  const std::string key_id = key.String("key_id");
  const std::string secret = key.String("secret");
  ASSERT_FALSE(secret.empty());
  // Listing shows the key, never its secret.
  ApiResponse keys = Get("/api/v1/merchant/api-keys", shop.token);
  EXPECT_EQ(keys.body.find(secret), std::string::npos);
  EXPECT_EQ(keys.json.at("keys").as_array().size(), 1u);

  const std::string body = R"({"merchant_order_no":"S-1","amount":500,"currency":"CNY"})";
  ApiResponse created = Signed("POST", "/api/v1/merchant/orders", body, key_id, secret);
  ASSERT_EQ(created.status, 201) << Describe(created);
  EXPECT_EQ(Signed("GET", "/api/v1/merchant/orders/" + created.String("id"), "", key_id, secret)
                .String("merchant_order_no"),
            "S-1");
  // Wrong secret, replayed nonce, stale clock.
  EXPECT_EQ(Signed("POST", "/api/v1/merchant/orders", body, key_id, "sk_wrong").ErrorCode(),
            "SIGNATURE_INVALID");
  EXPECT_EQ(
      Signed("GET", "/api/v1/merchant/me", "", key_id, secret, "", "fixed-nonce-0123456789").status,
      200);
  EXPECT_EQ(Signed("GET", "/api/v1/merchant/me", "", key_id, secret, "", "fixed-nonce-0123456789")
                .ErrorCode(),
            "NONCE_REPLAYED");
  EXPECT_EQ(Signed("GET", "/api/v1/merchant/me", "", key_id, secret, "", "", -600).ErrorCode(),
            "TIMESTAMP_STALE");
  // A signed body cannot be swapped.
  RequestOptions tampered;
  {
    merchant::RequestToSign request{"POST", "/api/v1/merchant/orders", "", body};
    const int64_t now_s = clock_.NowNs() / kSecond;
    merchant::AuthorizationFields fields{key_id, now_s, "tamper-nonce-0123456789", ""};
    fields.signature_hex = merchant::SignRequest(secret, request, now_s, fields.nonce);
    tampered.authorization = merchant::FormatAuthorizationHeader(fields);
  }
  std::string swapped = body;
  swapped.replace(swapped.find("500"), 3, "501");
  EXPECT_EQ(Request("POST", "/api/v1/merchant/orders", swapped, tampered).ErrorCode(),
            "SIGNATURE_INVALID");
  // Keys are managed only from the owner's portal session.
  EXPECT_EQ(Signed("POST", "/api/v1/merchant/api-keys", "{}", key_id, secret).status, 403);
  // Revoked: refused at once.
  EXPECT_EQ(Delete("/api/v1/merchant/api-keys/" + key_id, shop.token).status, 204);
  EXPECT_EQ(Signed("GET", "/api/v1/merchant/me", "", key_id, secret).ErrorCode(),
            "SIGNATURE_INVALID");
}

TEST_F(PaymentApiTest, PaymentCodesAreSingleUseAndExpire) {
  Merchant shop = ActiveMerchant("shop");
  ApiResponse key = Post("/api/v1/merchant/api-keys", "{}", shop.token);
  const std::string key_id = key.String("key_id");
  const std::string secret = key.String("secret");
  Funded alice = Customer(1, 500 * kYuan);
  const Device device = RegisterDevice(alice.customer);
  ApiResponse small = Request("PUT", "/api/v1/me/small-payments",
                              R"({"enabled":true,"per_payment":20000,"per_day":100000})",
                              RequestOptions{alice.customer.token, "", "", "application/json"});
  ASSERT_EQ(small.status, 200) << Describe(small);

  const std::string code = CodeNow(device);
  ApiResponse charged = Signed("POST", "/api/v1/merchant/charges", ChargeBody(code, 25 * kYuan),
                               key_id, secret, "c1");
  ASSERT_EQ(charged.status, 201) << Describe(charged);
  EXPECT_EQ(charged.String("status"), "completed");
  EXPECT_EQ(charged.String("channel"), "payment_code");
  EXPECT_EQ(charged.String("customer_id"), alice.customer.id);
  EXPECT_EQ(Balance(alice.customer), 475 * kYuan);
  // The same code again (another charge): used.
  ApiResponse reused = Signed("POST", "/api/v1/merchant/charges", ChargeBody(code, 25 * kYuan),
                              key_id, secret, "c2");
  EXPECT_EQ(reused.ErrorCode(), "PAYMENT_CODE_USED");
  // A stolen old code: expired.
  AdvanceClock(5 * 60 * kSecond);
  EXPECT_EQ(
      Post("/api/v1/merchant/charges", ChargeBody(code, 25 * kYuan), shop.token, "c3").ErrorCode(),
      "PAYMENT_CODE_EXPIRED");
  // Typed wrong, or made up.
  std::string wrong = CodeNow(device);
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(Post("/api/v1/merchant/charges", ChargeBody(wrong, 1), shop.token, "c4").ErrorCode(),
            "PAYMENT_CODE_INVALID");
  EXPECT_EQ(Post("/api/v1/merchant/charges", ChargeBody("12345", 1), shop.token, "c5").ErrorCode(),
            "PAYMENT_CODE_INVALID");
  EXPECT_EQ(Balance(alice.customer), 475 * kYuan);

  // Above the small-payment cap: the customer confirms in the app.
  ApiResponse big =
      Post("/api/v1/merchant/charges", ChargeBody(CodeNow(device), 300 * kYuan), shop.token, "c6");
  ASSERT_EQ(big.status, 201) << Describe(big);
  EXPECT_EQ(big.String("status"), "awaiting_confirmation");
  EXPECT_EQ(Balance(alice.customer), 475 * kYuan);
  ApiResponse waiting =
      Get("/api/v1/me/payments?status=awaiting_confirmation", alice.customer.token);
  ASSERT_EQ(waiting.status, 200) << Describe(waiting);
  ASSERT_EQ(waiting.json.at("payments").as_array().size(), 1u);
  ApiResponse confirmed =
      Post("/api/v1/me/payments/" + big.String("id") + "/confirm", "{}", alice.customer.token);
  ASSERT_EQ(confirmed.status, 200) << Describe(confirmed);
  EXPECT_EQ(confirmed.String("status"), "completed");
  EXPECT_EQ(Balance(alice.customer), 175 * kYuan);
  EXPECT_EQ(Get("/api/v1/merchant/payments/" + big.String("id"), shop.token).String("status"),
            "completed");
  EXPECT_EQ(Post("/api/v1/me/payments/" + big.String("id") + "/decline", "{}", alice.customer.token)
                .ErrorCode(),
            "NOT_AWAITING_CONFIRMATION");
}

TEST_F(PaymentApiTest, ASuspendedMerchantTakesNothingButStillRefunds) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  const std::string qr = StaticQr(shop);
  ApiResponse paid = Pay(alice.customer, PayBody(qr, 50 * kYuan), "p1");
  ASSERT_EQ(paid.status, 201);
  const std::string risk = StaffToken("risk", Roles({identity::StaffRole::kRisk}));
  ApiResponse suspended =
      Post("/api/v1/staff/merchants/" + shop.id + "/status", R"({"status":"suspended"})", risk);
  ASSERT_EQ(suspended.status, 200) << Describe(suspended);
  ApiResponse refused = Pay(alice.customer, PayBody(qr, 10 * kYuan), "p2");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.ErrorCode(), "MERCHANT_NOT_ACTIVE");
  EXPECT_EQ(Balance(alice.customer), 450 * kYuan);
  EXPECT_EQ(Post("/api/v1/merchant/orders",
                 R"({"merchant_order_no":"X","amount":100,"currency":"CNY"})", shop.token)
                .ErrorCode(),
            "MERCHANT_NOT_ACTIVE");
  EXPECT_EQ(Refund(shop, paid.String("id"), 50 * kYuan, "r1").status, 201);
  EXPECT_EQ(Balance(alice.customer), 500 * kYuan);
}

TEST_F(PaymentApiTest, OnlineCheckoutPaysTheOrder) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  ApiResponse order = Post("/api/v1/merchant/orders",
                           R"({"merchant_order_no":"WEB-7","amount":19900,"currency":"CNY",)"
                           R"("description":"耳机","return_url":"http://127.0.0.1:9/done"})",
                           shop.token);
  ASSERT_EQ(order.status, 201) << Describe(order);
  EXPECT_TRUE(order.String("checkout_path").starts_with("/pay?qr=qbpay:1."));
  // The checkout page shows the order and knows where to send the customer back.
  ApiResponse preview = Post("/api/v1/me/scans", R"({"qr":")" + order.String("qr_text") + R"("})",
                             alice.customer.token);
  ASSERT_EQ(preview.status, 200) << Describe(preview);
  EXPECT_EQ(preview.json.at("order").at("return_url").as_string(), "http://127.0.0.1:9/done");
  EXPECT_EQ(preview.json.at("order").at("description").as_string(), "耳机");
  EXPECT_EQ(preview.json.at("amount").as_int64(), 19900);
  ApiResponse paid =
      Pay(alice.customer, PayBody(order.String("qr_text"), std::nullopt, "checkout"), "web-7");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.String("channel"), "online");
  EXPECT_EQ(Balance(alice.customer), 500 * kYuan - 19900);
  EXPECT_EQ(Get("/api/v1/merchant/orders/" + order.String("id"), shop.token).String("status"),
            "paid");
  // A static code has no order to check out.
  EXPECT_EQ(Pay(alice.customer, PayBody(StaticQr(shop), 100, "checkout"), "web-8").ErrorCode(),
            "FIELD_INVALID");
}

TEST_F(PaymentApiTest, APaidOrderNotifiesTheMerchantWithASignedWebhook) {
  StopServer();
  WalletOptions options;
  options.webhooks.allow_private_networks = true;  // The receiver is on loopback.
  StartServer(options);
  admin_ = StaffToken("admin2", Roles({identity::StaffRole::kAdmin}));
  webhook::testing::TestReceiver receiver([](const webhook::testing::ReceivedRequest&) {
    return webhook::testing::Reply{200, "ok"};
  });
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  ApiResponse paid = PayOrderNotifying(shop, alice, "H-1", 2500, receiver.Url(), "p1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  for (int i = 0; i < 500 && receiver.RequestCount() == 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(receiver.RequestCount(), 1u);
  const webhook::testing::ReceivedRequest hook = receiver.Requests()[0];
  EXPECT_EQ(hook.method, "POST");
  EXPECT_EQ(hook.headers.at("qb-webhook-id"), "evt_" + paid.String("id"));

  // The merchant checks the signature with the secret from its portal.
  ApiResponse secret = Get("/api/v1/merchant/webhook-secret", shop.token);
  ASSERT_EQ(secret.status, 200) << Describe(secret);
  const int64_t now_s = clock_.NowNs() / kSecond;
  const std::string& signature = hook.headers.at("qb-signature");
  EXPECT_EQ(webhook::VerifyWebhook(secret.String("secret"), signature, hook.body, now_s),
            webhook::WebhookVerifyResult::kOk);
  // A tampered body or another merchant's secret does not verify.
  std::string tampered = hook.body;
  tampered.replace(tampered.find("2500"), 4, "2501");
  EXPECT_EQ(webhook::VerifyWebhook(secret.String("secret"), signature, tampered, now_s),
            webhook::WebhookVerifyResult::kBadSignature);
  Merchant other = ActiveMerchant("other");
  EXPECT_EQ(
      webhook::VerifyWebhook(Get("/api/v1/merchant/webhook-secret", other.token).String("secret"),
                             signature, hook.body, now_s),
      webhook::WebhookVerifyResult::kBadSignature);
  boost::json::value event = boost::json::parse(hook.body);
  EXPECT_EQ(event.at("type").as_string(), "order.paid");
  EXPECT_EQ(event.at("data").at("order").at("status").as_string(), "paid");
  EXPECT_EQ(event.at("data").at("payment").at("amount").as_int64(), 2500);

  // The delivery log, and a manual re-send of the same event.
  ApiResponse log = Get("/api/v1/merchant/webhooks", shop.token);
  ASSERT_EQ(log.status, 200) << Describe(log);
  ASSERT_EQ(log.json.at("deliveries").as_array().size(), 1u);
  EXPECT_EQ(log.json.at("deliveries").at(0).at("state").as_string(), "delivered");
  EXPECT_EQ(Get("/api/v1/merchant/webhooks", other.token).json.at("deliveries").as_array().size(),
            0u);
  EXPECT_EQ(
      Post("/api/v1/merchant/webhooks/evt_" + paid.String("id") + "/resend", "{}", other.token)
          .status,
      404);
  EXPECT_EQ(Post("/api/v1/merchant/webhooks/evt_" + paid.String("id") + "/resend", "{}", shop.token)
                .status,
            202);
  for (int i = 0; i < 500 && receiver.RequestCount() < 2; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(receiver.RequestCount(), 2u);
}

// The outbox keeps what a stopped server owed: after a restart the retry goes out, numbered on
// from the attempts made before, and the log shows them all.
TEST_F(PaymentApiTest, WebhookRetriesSurviveARestart) {
  StopServer();
  WalletOptions options;
  options.webhooks.allow_private_networks = true;  // The receiver is on loopback.
  options.webhooks.retry.base_delay_ns = 60 * kSecond;
  options.webhooks.retry.jitter_percent = 0;
  options.webhook_sweep_interval_ns = 20'000'000;  // 20 ms
  StartServer(options);
  admin_ = StaffToken("admin2", Roles({identity::StaffRole::kAdmin}));
  std::atomic<bool> up{false};
  webhook::testing::TestReceiver receiver([&](const webhook::testing::ReceivedRequest&) {
    return webhook::testing::Reply{up ? 200 : 503, ""};
  });
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  ApiResponse paid = PayOrderNotifying(shop, alice, "R-1", 1200, receiver.Url(), "r1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  const std::string event_id = "evt_" + paid.String("id");
  auto delivery = [&]() -> boost::json::object {
    ApiResponse log = Get("/api/v1/merchant/webhooks", shop.token);
    if (log.status != 200 || log.json.at("deliveries").as_array().empty()) return {};
    return log.json.at("deliveries").at(0).as_object();
  };
  for (int i = 0; i < 500 && (delivery().empty() || delivery().at("attempts").as_int64() < 1);
       i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(receiver.RequestCount(), 1u);
  EXPECT_EQ(delivery().at("state").as_string(), "pending");
  EXPECT_FALSE(delivery().at("next_attempt_at").is_null());

  // Down before the retry is due; up again with the merchant's server fixed.
  StopServer();
  up = true;
  StartServer(options);
  AdvanceClock(61 * kSecond);
  for (int i = 0; i < 500 && receiver.RequestCount() < 2; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(receiver.RequestCount(), 2u);
  EXPECT_EQ(receiver.Requests()[1].headers.at("qb-webhook-id"), event_id);
  EXPECT_EQ(receiver.Requests()[1].body, receiver.Requests()[0].body);  // the same notice
  for (int i = 0; i < 500 && delivery().at("state").as_string() != "delivered"; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  boost::json::object d = delivery();
  EXPECT_EQ(d.at("state").as_string(), "delivered");
  EXPECT_EQ(d.at("attempts").as_int64(), 2);
  const boost::json::array& log = d.at("log").as_array();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].at("attempt").as_int64(), 1);
  EXPECT_EQ(log[0].at("http_status").as_int64(), 503);
  EXPECT_EQ(log[0].at("outcome").as_string(), "retry_scheduled");
  EXPECT_EQ(log[1].at("attempt").as_int64(), 2);
  EXPECT_EQ(log[1].at("outcome").as_string(), "delivered");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // several sweeps
  EXPECT_EQ(receiver.RequestCount(), 2u);
}

// A notice owed for longer than the server may keep it is not sent unasked after a long outage;
// the portal still re-sends it, as one attempt from the outbox.
TEST_F(PaymentApiTest, AWebhookOwedTooLongIsAbandonedYetCanBeResent) {
  StopServer();
  WalletOptions options;
  options.webhooks.allow_private_networks = true;
  options.webhooks.retry.base_delay_ns = 600 * kSecond;
  options.webhook_sweep_interval_ns = 20'000'000;
  options.webhook_max_age_ns = 3'600 * kSecond;
  StartServer(options);
  admin_ = StaffToken("admin2", Roles({identity::StaffRole::kAdmin}));
  std::atomic<bool> up{false};
  webhook::testing::TestReceiver receiver([&](const webhook::testing::ReceivedRequest&) {
    return webhook::testing::Reply{up ? 200 : 500, ""};
  });
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  ApiResponse paid = PayOrderNotifying(shop, alice, "A-1", 800, receiver.Url(), "a1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  for (int i = 0; i < 500 && receiver.RequestCount() == 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(receiver.RequestCount(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the attempt is recorded

  StopServer();
  AdvanceClock(2 * 3'600 * kSecond);
  up = true;
  StartServer(options);
  shop.token = MerchantLogIn("shop");  // The portal session idled out meanwhile.
  auto state = [&] {
    ApiResponse log = Get("/api/v1/merchant/webhooks", shop.token);
    return log.status == 200 ? std::string(log.json.at("deliveries").at(0).at("state").as_string())
                             : std::string();
  };
  for (int i = 0; i < 500 && state() != "failed"; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(state(), "failed");
  EXPECT_EQ(receiver.RequestCount(), 1u);

  const std::string target = "/api/v1/merchant/webhooks/evt_" + paid.String("id") + "/resend";
  ASSERT_EQ(Post(target, "{}", shop.token).status, 202);
  for (int i = 0; i < 500 && state() != "delivered"; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(state(), "delivered");
  ASSERT_EQ(receiver.RequestCount(), 2u);
  const boost::json::array log =
      Get("/api/v1/merchant/webhooks", shop.token).json.at("deliveries").at(0).at("log").as_array();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].at("attempt").as_int64(), 2);
}

TEST_F(PaymentApiTest, InvoicesForAPaymentDownloadableByBothSides) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  ApiResponse paid = Pay(alice.customer, PayBody(StaticQr(shop), 120 * kYuan), "p1");
  ASSERT_EQ(paid.status, 201);
  const std::string payment = paid.String("id");
  ASSERT_EQ(Refund(shop, payment, 20 * kYuan, "r1").status, 201);
  const std::string target = "/api/v1/me/payments/" + payment + "/invoice";
  EXPECT_EQ(Get(target, alice.customer.token).ErrorCode(), "INVOICE_NOT_FOUND");
  EXPECT_EQ(Post(target, R"({"title":"张三","tax_id":"12"})", alice.customer.token).ErrorCode(),
            "FIELD_INVALID");
  ApiResponse issued =
      Post(target, R"({"title":"福州某某科技有限公司","tax_id":"91350100m000100y43"})",
           alice.customer.token);
  ASSERT_EQ(issued.status, 201) << Describe(issued);
  const std::string number = issued.String("number");
  EXPECT_EQ(number.size(), 20u);
  EXPECT_EQ(issued.json.at("amount").as_int64(), 100 * kYuan);  // What was finally paid.
  EXPECT_EQ(issued.json.at("tax").as_int64(), 566);  // 10,000 × 6/106 = 566.04 → 566 fen.
  EXPECT_EQ(issued.String("tax_id"), "91350100M000100Y43");
  EXPECT_EQ(issued.String("item"), "*餐饮服务*餐费");
  // One invoice per payment.
  ApiResponse again = Post(target, R"({"title":"别的抬头"})", alice.customer.token);
  EXPECT_EQ(again.status, 200) << Describe(again);
  EXPECT_EQ(again.String("number"), number);
  EXPECT_EQ(Get(target, alice.customer.token).String("number"), number);

  ApiResponse pdf = Get("/api/v1/me/invoices/" + number + "/pdf", alice.customer.token);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
  EXPECT_TRUE(pdf.body.starts_with("%PDF-"));
  ApiResponse merchant_pdf = Get("/api/v1/merchant/invoices/" + number + "/pdf", shop.token);
  EXPECT_EQ(merchant_pdf.status, 200);
  EXPECT_EQ(Get("/api/v1/merchant/payments/" + payment + "/invoice", shop.token).String("number"),
            number);
  // Nobody else.
  Funded bob = Customer(2, 10 * kYuan);
  EXPECT_EQ(Get("/api/v1/me/invoices/" + number + "/pdf", bob.customer.token).ErrorCode(),
            "INVOICE_NOT_FOUND");
  EXPECT_EQ(Post(target, R"({"title":"李四"})", bob.customer.token).ErrorCode(),
            "PAYMENT_NOT_FOUND");
  Merchant other = ActiveMerchant("other");
  EXPECT_EQ(Get("/api/v1/merchant/invoices/" + number + "/pdf", other.token).ErrorCode(),
            "INVOICE_NOT_FOUND");
  // A payment refunded in full has nothing to invoice.
  ApiResponse second = Pay(alice.customer, PayBody(StaticQr(shop), 10 * kYuan), "p2");
  ASSERT_EQ(Refund(shop, second.String("id"), 10 * kYuan, "r2").status, 201);
  EXPECT_EQ(Post("/api/v1/me/payments/" + second.String("id") + "/invoice", R"({"title":"张三"})",
                 alice.customer.token)
                .ErrorCode(),
            "CONFLICT");
}

TEST_F(PaymentApiTest, SpendingAnalysisAndTheMerchantSalesReport) {
  Merchant cafe = ActiveMerchant("cafe", 100);
  Merchant market = ActiveMerchant("market", 0);
  Funded alice = Customer(1, 900 * kYuan);
  Funded bob = Customer(2, 900 * kYuan);
  // Last month: one coffee. This month: two coffees (one half refunded) and groceries.
  ApiResponse first = Pay(alice.customer, PayBody(StaticQr(cafe), 30 * kYuan), "a1");
  ASSERT_EQ(first.status, 201);
  AdvanceClock(int64_t{32} * 86'400 * kSecond);
  // A month later every session has ended: log in again.
  for (RegisteredCustomer* customer : {&alice.customer, &bob.customer}) {
    customer->token = LogIn(customer->phone, customer->password).String("token");
  }
  cafe.token = MerchantLogIn("cafe");
  market.token = MerchantLogIn("market");
  ASSERT_EQ(Pay(alice.customer, PayBody(StaticQr(cafe), 40 * kYuan), "a2").status, 201);
  ApiResponse refunded = Pay(alice.customer, PayBody(StaticQr(cafe), 20 * kYuan), "a3");
  ASSERT_EQ(refunded.status, 201);
  ASSERT_EQ(Refund(cafe, refunded.String("id"), 10 * kYuan, "r1").status, 201);
  ASSERT_EQ(Pay(alice.customer, PayBody(StaticQr(market), 100 * kYuan), "a4").status, 201);
  ASSERT_EQ(Pay(bob.customer, PayBody(StaticQr(cafe), 5 * kYuan), "b1").status, 201);

  ApiResponse spending = Get("/api/v1/me/spending?months=2", alice.customer.token);
  ASSERT_EQ(spending.status, 200) << Describe(spending);
  const boost::json::array& months = spending.json.at("months").as_array();
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0].at("amount").as_int64(), 30 * kYuan);
  EXPECT_EQ(months[1].at("amount").as_int64(), 150 * kYuan);  // 40 + (20 - 10) + 100
  EXPECT_EQ(months[1].at("count").as_int64(), 3);
  const boost::json::array& categories = spending.json.at("by_category").as_array();
  ASSERT_EQ(categories.size(), 1u);  // Both merchants are "catering" in this test.
  EXPECT_EQ(categories[0].at("amount").as_int64(), 180 * kYuan);
  const boost::json::array& top = spending.json.at("top_merchants").as_array();
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].at("merchant_id").as_string(), market.id);
  EXPECT_EQ(top[1].at("amount").as_int64(), 80 * kYuan);
  EXPECT_EQ(spending.json.at("month_over_month").at("change_bp").as_int64(), 40'000);  // +400 %
  EXPECT_EQ(Get("/api/v1/me/spending?months=99", alice.customer.token).ErrorCode(),
            "FIELD_INVALID");

  // The café's last 30 days, by day: two payments of Alice's and one of Bob's today.
  ApiResponse sales = Get("/api/v1/merchant/reports/sales", cafe.token);
  ASSERT_EQ(sales.status, 200) << Describe(sales);
  const boost::json::object& totals = sales.json.at("totals").as_object();
  EXPECT_EQ(totals.at("payment_count").as_int64(), 3);
  EXPECT_EQ(totals.at("gross").as_int64(), 65 * kYuan);
  EXPECT_EQ(totals.at("refunds").as_int64(), 10 * kYuan);
  EXPECT_EQ(totals.at("fees").as_int64(), 40 + 10 + 5);  // 1 %, the refunded half's fee back
  EXPECT_EQ(totals.at("unique_customers").as_int64(), 2);
  EXPECT_EQ(totals.at("repeat_customers").as_int64(), 1);
  EXPECT_EQ(totals.at("by_channel").at("static_qr").at("count").as_int64(), 3);
  EXPECT_EQ(sales.json.at("rows").as_array().size(), 30u);
  ApiResponse weekly = Get("/api/v1/merchant/reports/sales?period=week", cafe.token);
  EXPECT_EQ(weekly.status, 200);
  ApiResponse csv = Get("/api/v1/merchant/reports/sales?format=csv", cafe.token);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("65.00"), std::string::npos) << csv.body.substr(0, 300);
  ApiResponse xlsx = Get("/api/v1/merchant/reports/sales?format=xlsx", cafe.token);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_TRUE(xlsx.body.starts_with("PK\x03\x04"));
  EXPECT_EQ(Get("/api/v1/merchant/reports/sales?from=2026-02-30", cafe.token).ErrorCode(),
            "FIELD_INVALID");
}

TEST_F(PaymentApiTest, DailySettlementPaysTheMerchantOnceAndReconciles) {
  Merchant shop = ActiveMerchant("shop");  // 0.6 %
  Funded alice = Customer(1, 500 * kYuan);
  ASSERT_EQ(Pay(alice.customer, PayBody(StaticQr(shop), 100 * kYuan), "p1").status, 201);
  // Today is not over: nothing to settle yet.
  ApiResponse early = Post("/api/v1/staff/settlements/run", "{}", admin_);
  ASSERT_EQ(early.status, 200) << Describe(early);
  EXPECT_EQ(early.json.at("settlements").as_array().size(), 0u);

  AdvanceClock(int64_t{86'400} * kSecond);
  admin_ = StaffToken("admin-next-day", Roles({identity::StaffRole::kAdmin}));
  shop.token = MerchantLogIn("shop");
  ApiResponse run = Post("/api/v1/staff/settlements/run", "{}", admin_);
  ASSERT_EQ(run.status, 200) << Describe(run);
  const boost::json::array& settled = run.json.at("settlements").as_array();
  ASSERT_EQ(settled.size(), 1u);
  EXPECT_EQ(settled[0].at("amount").as_int64(), 100 * kYuan - 60);
  EXPECT_EQ(settled[0].at("status").as_string(), "paid");
  EXPECT_EQ(bank_.AccountBalanceFen("6222020200112233"), 100 * kYuan - 60);
  EXPECT_EQ(MerchantBalance(shop.id), 0);
  // Running the day again pays nothing twice.
  ApiResponse again = Post("/api/v1/staff/settlements/run", "{}", admin_);
  ASSERT_EQ(again.status, 200);
  ASSERT_EQ(again.json.at("settlements").as_array().size(), 1u);
  EXPECT_EQ(again.json.at("settlements").at(0).at("status").as_string(), "paid");
  EXPECT_EQ(bank_.AccountBalanceFen("6222020200112233"), 100 * kYuan - 60);
  EXPECT_EQ(Post("/api/v1/staff/settlements/run", R"({"business_date":"2099-01-01"})", admin_)
                .ErrorCode(),
            "FIELD_INVALID");

  ApiResponse mine = Get("/api/v1/merchant/settlements", shop.token);
  ASSERT_EQ(mine.status, 200) << Describe(mine);
  ASSERT_EQ(mine.json.at("settlements").as_array().size(), 1u);
  const boost::json::value& day = mine.json.at("settlements").at(0).at("day");
  EXPECT_EQ(day.at("gross").as_int64(), 100 * kYuan);
  EXPECT_EQ(day.at("fees").as_int64(), 60);
  EXPECT_EQ(day.at("net").as_int64(), 100 * kYuan - 60);

  ApiResponse reconciliation = Get("/api/v1/staff/reconciliation", admin_);
  ASSERT_EQ(reconciliation.status, 200) << Describe(reconciliation);
  EXPECT_TRUE(reconciliation.json.at("ok").as_bool()) << reconciliation.body;
  EXPECT_EQ(reconciliation.json.at("balances").at("fee_income").as_int64(), 60);
  EXPECT_EQ(reconciliation.json.at("checks").as_array().size(), 10u);
  const std::string support = StaffToken("support", Roles({identity::StaffRole::kSupport}));
  EXPECT_EQ(Get("/api/v1/staff/reconciliation", support).status, 403);
  EXPECT_EQ(Post("/api/v1/staff/settlements/run", "{}", support).status, 403);
}

// Nobody has to press a button: once 02:00 China time strikes, the day before is settled.
TEST_F(PaymentApiTest, TheDailySettlementRunsByItselfAfterTwoInTheMorning) {
  StopServer();
  WalletOptions options;
  options.settlement_check_interval_ns = 10'000'000;  // 10 ms
  StartServer(options);
  admin_ = StaffToken("admin2", Roles({identity::StaffRole::kAdmin}));
  Merchant shop = ActiveMerchant("shop");  // 0.6 %
  Funded alice = Customer(1, 500 * kYuan);
  ASSERT_EQ(Pay(alice.customer, PayBody(StaticQr(shop), 50 * kYuan), "p1").status, 201);

  // To 01:00 tomorrow, China time (UTC+8): not yet.
  constexpr int64_t kHour = 3'600 * kSecond;
  const int64_t day = (clock_.NowNs() + 8 * kHour) / (24 * kHour);
  const int64_t tomorrow_ns = (day + 1) * 24 * kHour - 8 * kHour;
  AdvanceClock(tomorrow_ns + kHour - clock_.NowNs());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // several ticks
  admin_ = StaffToken("admin3", Roles({identity::StaffRole::kAdmin}));
  ApiResponse none = Get("/api/v1/staff/settlements", admin_);
  ASSERT_EQ(none.status, 200) << Describe(none);
  EXPECT_EQ(none.json.at("settlements").as_array().size(), 0u);
  EXPECT_EQ(bank_.AccountBalanceFen("6222020200112233"), 0);

  // 02:00: the run pays yesterday's takings, once.
  AdvanceClock(kHour);
  for (int i = 0; i < 500 && bank_.AccountBalanceFen("6222020200112233") == 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(bank_.AccountBalanceFen("6222020200112233"), 50 * kYuan - 30);
  EXPECT_EQ(MerchantBalance(shop.id), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));          // several ticks
  admin_ = StaffToken("admin4", Roles({identity::StaffRole::kAdmin}));  // admin3 idled out
  ApiResponse list = Get("/api/v1/staff/settlements", admin_);
  ASSERT_EQ(list.json.at("settlements").as_array().size(), 1u);
  EXPECT_EQ(list.json.at("settlements").at(0).at("status").as_string(), "paid");
  EXPECT_EQ(bank_.AccountBalanceFen("6222020200112233"), 50 * kYuan - 30);
}

TEST_F(PaymentApiTest, NfcTapsAreVerifiedAndNeverReplayed) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  ASSERT_EQ(Request("PUT", "/api/v1/me/small-payments",
                    R"({"enabled":true,"per_payment":20000,"per_day":100000})",
                    RequestOptions{alice.customer.token, "", "", "application/json"})
                .status,
            200);
  ApiResponse issued = Post("/api/v1/me/nfc-token", "{}", alice.customer.token);
  ASSERT_EQ(issued.status, 201) << Describe(issued);
  const std::string token = issued.String("token");
  EXPECT_TRUE(paytoken::IsTokenNumber(token));
  const boost::json::array& keys = issued.json.at("keys").as_array();
  ASSERT_EQ(keys.size(), 10u);
  // The phone signs a tap with the key for its counter, as paytoken/nfc_cryptogram.h says.
  auto tap_request = [&](uint32_t atc, int64_t amount, std::string_view key_hex) {
    std::string raw(identity::SecretKey::kSize, '\0');
    EXPECT_EQ(sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(),
                             key_hex.data(), key_hex.size(), nullptr, nullptr, nullptr),
              0);
    paytoken::NfcRequest request{token, amount, "CNY", atc, 0x1234abcd, ""};
    request.cryptogram_hex =
        paytoken::ComputeNfcCryptogram(*identity::SecretKey::FromBytes(raw), request);
    return paytoken::FormatNfcRequest(request);
  };
  auto tap = [&](const std::string& request, std::string_view key) {
    return Post("/api/v1/merchant/nfc-payments", R"({"request":")" + request + R"("})", shop.token,
                key);
  };
  const std::string first = tap_request(1, 12 * kYuan, keys[0].as_string());
  ApiResponse paid = tap(first, "t1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_EQ(paid.String("channel"), "nfc");
  EXPECT_EQ(paid.String("status"), "completed");
  EXPECT_EQ(Balance(alice.customer), 488 * kYuan);
  // The same tap again: a retry with the same key answers the same payment; a replay is refused.
  EXPECT_EQ(tap(first, "t1").String("id"), paid.String("id"));
  ApiResponse replayed = tap(first, "t2");
  EXPECT_EQ(replayed.status, 409);
  EXPECT_EQ(replayed.ErrorCode(), "NFC_REPLAYED");
  // Altered amount, or signed with the wrong key.
  std::string altered = tap_request(2, 12 * kYuan, keys[1].as_string());
  altered.replace(altered.find("|1200|"), 6, "|1300|");
  EXPECT_EQ(tap(altered, "t3").ErrorCode(), "NFC_INVALID");
  EXPECT_EQ(tap(tap_request(2, 5 * kYuan, keys[5].as_string()), "t4").ErrorCode(), "NFC_INVALID");
  EXPECT_EQ(tap("qbnfc1|garbage", "t5").ErrorCode(), "NFC_INVALID");
  EXPECT_EQ(Balance(alice.customer), 488 * kYuan);
  // Beyond the generation's ten keys: exhausted until the phone refreshes.
  EXPECT_EQ(tap(tap_request(11, 1, keys[9].as_string()), "t6").ErrorCode(), "NFC_KEYS_EXHAUSTED");
  ApiResponse refreshed = Post("/api/v1/me/nfc-token/refresh", "{}", alice.customer.token);
  ASSERT_EQ(refreshed.status, 200) << Describe(refreshed);
  EXPECT_EQ(refreshed.json.at("generation").as_int64(), 1);
  EXPECT_EQ(refreshed.json.at("first_atc").as_int64(), 2);
  EXPECT_EQ(
      tap(tap_request(2, 3 * kYuan, refreshed.json.at("keys").at(0).as_string()), "t7").status,
      201);
  EXPECT_EQ(Balance(alice.customer), 485 * kYuan);
}

TEST_F(PaymentApiTest, TheOwnerAddsCashiersWhoTakePaymentsButManageNothing) {
  Merchant shop = ActiveMerchant("shop");
  ApiResponse added =
      Post("/api/v1/merchant/users",
           R"({"username":"Till-1","display_name":"收银一号","password":"till-pass-1",)"
           R"("role":"cashier"})",
           shop.token);
  ASSERT_EQ(added.status, 201) << Describe(added);
  EXPECT_EQ(added.String("username"), "till-1");
  EXPECT_EQ(added.String("role"), "cashier");
  EXPECT_EQ(
      Post("/api/v1/merchant/users",
           R"({"username":"till-1","display_name":"x","password":"till-pass-1","role":"cashier"})",
           shop.token)
          .ErrorCode(),
      "USERNAME_TAKEN");
  ApiResponse users = Get("/api/v1/merchant/users", shop.token);
  ASSERT_EQ(users.status, 200);
  EXPECT_EQ(users.json.at("users").as_array().size(), 2u);  // The owner and the cashier.

  ApiResponse session =
      Post("/api/v1/merchant/sessions", R"({"username":"till-1","password":"till-pass-1"})");
  ASSERT_EQ(session.status, 201) << Describe(session);
  const std::string till = session.String("token");
  EXPECT_EQ(session.json.at("merchant_id").as_string(), shop.id);
  // A cashier takes payments and refunds ...
  Funded alice = Customer(1, 100 * kYuan);
  ApiResponse paid = Pay(alice.customer, PayBody(StaticQr(shop), 10 * kYuan), "p1");
  ASSERT_EQ(paid.status, 201);
  EXPECT_EQ(Get("/api/v1/merchant/payments/" + paid.String("id"), till).status, 200);
  EXPECT_EQ(Refund(Merchant{shop.id, till}, paid.String("id"), 10 * kYuan, "r1").status, 201);
  // ... but manages neither keys, users nor the webhook secret.
  EXPECT_EQ(Post("/api/v1/merchant/api-keys", "{}", till).status, 403);
  EXPECT_EQ(Get("/api/v1/merchant/users", till).status, 403);
  EXPECT_EQ(Get("/api/v1/merchant/webhook-secret", till).status, 403);
}

}  // namespace
}  // namespace qb::wallet::testing
