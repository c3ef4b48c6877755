// The payment tests' fixture: MoneyApiTest plus an admin, active merchants logged in to the
// portal, funded tier II customers, QR and payment-code helpers, refunds and signed merchant API
// requests. Shared by the payment and the security suites.
#pragma once

#include <sodium.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "merchant/request_signing.h"
#include "paytoken/payment_code.h"
#include "wallet/money_fixture.h"

namespace qb::wallet::testing {

inline constexpr int64_t kSecond = 1'000'000'000;
// Valid unified social credit codes (GB 32100 check characters).
inline constexpr char kCreditCode[] = "91350100M000100Y43";

inline std::string ApplicationBody(std::string_view username, std::string_view extra = "") {
  return R"({"legal_name":"福州小吃店","credit_code":")" + std::string(kCreditCode) +
         R"(","category":"catering","settlement_bank_code":"ICBC",)"
         R"("settlement_account":"6222020200112233","contact_phone":"13900139000",)"
         R"("username":")" +
         std::string(username) + R"(","password":"shop-pass-1")" + std::string(extra) + "}";
}

inline std::string PayBody(std::string_view qr, std::optional<int64_t> amount = std::nullopt,
                           std::string_view via = "") {
  std::string body = R"({"qr":")" + std::string(qr) + R"(","currency":"CNY")";
  if (amount) body += R"(,"amount":)" + std::to_string(*amount);
  if (!via.empty()) body += R"(,"via":")" + std::string(via) + "\"";
  return body + "}";
}

inline std::string ChargeBody(std::string_view code, int64_t amount) {
  return R"({"code":")" + std::string(code) + R"(","amount":)" + std::to_string(amount) +
         R"(,"currency":"CNY"})";
}

class PaymentApiTest : public MoneyApiTest {
 protected:
  struct Merchant {
    std::string id;
    std::string token;  // Portal session of the owner.
  };

  void SetUp() override {
    MoneyApiTest::SetUp();
    admin_ = StaffToken("admin", Roles({identity::StaffRole::kAdmin}));
  }

  // An active merchant onboarded by staff, logged in to the portal.
  Merchant ActiveMerchant(std::string_view username, int fee_bps = 60) {
    ApiResponse created =
        Post("/api/v1/staff/merchants",
             ApplicationBody(username, R"(,"activate":true,"fee_bps":)" + std::to_string(fee_bps)),
             admin_);
    EXPECT_EQ(created.status, 201) << Describe(created);
    EXPECT_EQ(created.String("status"), "active");
    return Merchant{created.String("id"), MerchantLogIn(username)};
  }

  std::string MerchantLogIn(std::string_view username) {
    ApiResponse session =
        Post("/api/v1/merchant/sessions",
             R"({"username":")" + std::string(username) + R"(","password":"shop-pass-1"})");
    EXPECT_EQ(session.status, 201) << Describe(session);
    return session.String("token");
  }

  // A tier II customer with `amount_fen` in the wallet.
  Funded Customer(int serial, int64_t amount_fen) {
    Funded funded = TierTwo(serial);
    EXPECT_EQ(TopUp(funded, amount_fen, "fund").status, 201);
    return funded;
  }

  std::string StaticQr(const Merchant& merchant) {
    ApiResponse qr = Get("/api/v1/merchant/qr", merchant.token);
    EXPECT_EQ(qr.status, 200) << Describe(qr);
    return qr.String("text");
  }

  ApiResponse Pay(const RegisteredCustomer& customer, std::string_view body, std::string_view key) {
    return Post("/api/v1/me/payments", body, customer.token, key);
  }

  // `payer` pays a new order of `merchant` whose paid notice goes to `notify_url`; the payment.
  ApiResponse PayOrderNotifying(const Merchant& merchant, const Funded& payer,
                                std::string_view order_no, int64_t amount,
                                std::string_view notify_url, std::string_view key) {
    ApiResponse order =
        Post("/api/v1/merchant/orders",
             R"({"merchant_order_no":")" + std::string(order_no) + R"(","amount":)" +
                 std::to_string(amount) + R"(,"currency":"CNY","notify_url":")" +
                 std::string(notify_url) + R"("})",
             merchant.token);
    EXPECT_EQ(order.status, 201) << Describe(order);
    return Pay(payer.customer, PayBody(order.String("qr_text")), key);
  }

  ApiResponse Refund(const Merchant& merchant, std::string_view payment_id, int64_t amount,
                     std::string_view key) {
    return Post("/api/v1/merchant/payments/" + std::string(payment_id) + "/refunds",
                R"({"amount":)" + std::to_string(amount) + R"(,"currency":"CNY"})", merchant.token,
                key);
  }

  // A request signed with an API key, as a merchant's server sends it.
  ApiResponse Signed(std::string_view method, std::string_view target, std::string_view body,
                     std::string_view key_id, std::string_view secret,
                     std::string_view idempotency_key = "", std::string nonce = "",
                     int64_t skew_s = 0) {
    if (nonce.empty()) nonce = "nonce-" + std::to_string(++nonces_) + "-abcdefghijk";
    const size_t question = target.find('?');
    merchant::RequestToSign request{
        method, target.substr(0, question),
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1),
        body};
    const int64_t now_s = clock_.NowNs() / kSecond + skew_s;
    merchant::AuthorizationFields fields;
    fields.key_id = std::string(key_id);
    fields.timestamp_s = now_s;
    fields.nonce = nonce;
    fields.signature_hex = merchant::SignRequest(secret, request, now_s, nonce);
    RequestOptions options;
    options.authorization = merchant::FormatAuthorizationHeader(fields);
    options.idempotency_key = std::string(idempotency_key);
    return Request(method, target, body, options);
  }

  struct Device {
    uint32_t slot = 0;
    std::string secret;
  };
  Device RegisterDevice(const RegisteredCustomer& customer) {
    ApiResponse registered = Post("/api/v1/me/payment-device", "{}", customer.token);
    EXPECT_EQ(registered.status, 201) << Describe(registered);
    Device device;
    device.slot = static_cast<uint32_t>(registered.json.at("slot").as_int64());
    const std::string encoded = registered.String("secret");
    device.secret.resize(identity::SecretKey::kSize);
    size_t length = 0;
    EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(device.secret.data()),
                                device.secret.size(), encoded.data(), encoded.size(), nullptr,
                                &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
              0);
    EXPECT_EQ(length, identity::SecretKey::kSize);
    return device;
  }
  // The code the phone shows now (computed as the H5 app does).
  std::string CodeNow(const Device& device) {
    paytoken::PaymentCodeConfig config;
    std::optional<identity::SecretKey> key = identity::SecretKey::FromBytes(device.secret);
    return paytoken::MakePaymentCode(config, device.slot, *key,
                                     paytoken::PaymentCodeStep(config, clock_.NowNs()));
  }

  int64_t MerchantBalance(std::string_view merchant_id) {
    auto balance = std::make_shared<int64_t>(-1);
    const uint64_t account = engine::kMerchantAccountBase + std::stoull(std::string(merchant_id));
    engine_->Execute(engine::Query{[balance, account](const engine::StateMachine& s) {
      if (const ledger::Account* a = s.ledger().FindAccount(account)) *balance = a->CreditBalance();
    }});
    return *balance;
  }

  std::string admin_;
  int nonces_ = 0;
};

}  // namespace qb::wallet::testing
