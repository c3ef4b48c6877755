// The security suite over HTTP: one customer's or one merchant's token used on another's
// resources (IDOR, every resource type with an id in its path), amounts that are negative, zero,
// fractional, strings or past int64, and hostile text (oversized, invalid UTF-8, control
// characters, deep nesting). Each is refused with its status and stable code, and nothing
// changes: balances, payments and sessions are compared before and after. TearDown checks the
// ledger's invariants.
#include <string>
#include <vector>

#include "wallet/payment_fixture.h"

namespace qb::wallet::testing {
namespace {

class SecurityApiTest : public PaymentApiTest {
 protected:
  // Everything a refused request must leave as it was.
  struct Snapshot {
    int64_t alice = 0;
    int64_t bob = 0;
    int64_t shop = 0;
    int64_t rival = 0;
    std::string alice_payment;
    std::string shop_payment;
    bool operator==(const Snapshot&) const = default;
  };
};

TEST_F(SecurityApiTest, NoCustomerOrMerchantReachesAnothersResources) {
  Merchant shop = ActiveMerchant("shop");
  Merchant rival = ActiveMerchant("rival");
  Funded alice = Customer(1, 500 * kYuan);
  Funded bob = Customer(2, 500 * kYuan);

  // Alice's resources: a card, a payment with an invoice, a refund; the shop's: an order, a
  // payment, an API key, a cashier.
  ApiResponse paid = Pay(alice.customer, PayBody(StaticQr(shop), 120 * kYuan), "p1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  const std::string payment = paid.String("id");
  ApiResponse invoice = Post("/api/v1/me/payments/" + payment + "/invoice", R"({"title":"张三"})",
                             alice.customer.token);
  ASSERT_EQ(invoice.status, 201) << Describe(invoice);
  const std::string number = invoice.String("number");
  ApiResponse order =
      Post("/api/v1/merchant/orders",
           R"({"merchant_order_no":"A-1","amount":900,"currency":"CNY"})", shop.token);
  ASSERT_EQ(order.status, 201) << Describe(order);
  const std::string order_id = order.String("id");
  ApiResponse key = Post("/api/v1/merchant/api-keys", "{}", shop.token);
  ASSERT_EQ(key.status, 201) << Describe(key);
  const std::string key_id = key.String("key_id");
  ApiResponse cashier = Post(
      "/api/v1/merchant/users",
      R"({"username":"cashier1","display_name":"小王","password":"cashier-pass-1","role":"cashier"})",
      shop.token);
  ASSERT_EQ(cashier.status, 201) << Describe(cashier);
  const std::string cashier_id = cashier.String("id");
  WaitForReadModels();

  auto snapshot = [&] {
    return Snapshot{Balance(alice.customer),
                    Balance(bob.customer),
                    MerchantBalance(shop.id),
                    MerchantBalance(rival.id),
                    Get("/api/v1/me/payments/" + payment, alice.customer.token).body,
                    Get("/api/v1/merchant/payments/" + payment, shop.token).body};
  };
  const Snapshot before = snapshot();

  struct Attempt {
    std::string method;
    std::string target;
    std::string body;
    std::string token;
  };
  const std::vector<Attempt> attempts = {
      // Bob on Alice's things.
      {"GET", "/api/v1/me/payments/" + payment, "", bob.customer.token},
      {"POST", "/api/v1/me/payments/" + payment + "/confirm", "{}", bob.customer.token},
      {"POST", "/api/v1/me/payments/" + payment + "/decline", "{}", bob.customer.token},
      {"GET", "/api/v1/me/payments/" + payment + "/invoice", "", bob.customer.token},
      {"POST", "/api/v1/me/payments/" + payment + "/invoice", R"({"title":"李四"})",
       bob.customer.token},
      {"GET", "/api/v1/me/invoices/" + number + "/pdf", "", bob.customer.token},
      {"DELETE", "/api/v1/me/cards/" + alice.card_id, "", bob.customer.token},
      // The rival merchant on the shop's things.
      {"GET", "/api/v1/merchant/payments/" + payment, "", rival.token},
      {"POST", "/api/v1/merchant/payments/" + payment + "/refunds",
       R"({"amount":100,"currency":"CNY"})", rival.token},
      {"GET", "/api/v1/merchant/payments/" + payment + "/invoice", "", rival.token},
      {"GET", "/api/v1/merchant/invoices/" + number + "/pdf", "", rival.token},
      {"GET", "/api/v1/merchant/orders/" + order_id, "", rival.token},
      {"POST", "/api/v1/merchant/orders/" + order_id + "/close", "{}", rival.token},
      {"GET", "/api/v1/merchant/orders/" + order_id + "/qr", "", rival.token},
      {"DELETE", "/api/v1/merchant/api-keys/" + key_id, "", rival.token},
      {"POST", "/api/v1/merchant/users/" + cashier_id + "/status", R"({"active":false})",
       rival.token},
  };
  for (const Attempt& attempt : attempts) {
    RequestOptions options;
    options.token = attempt.token;
    if (attempt.target.ends_with("/refunds")) options.idempotency_key = "idor-refund";
    ApiResponse response = Request(attempt.method, attempt.target, attempt.body, options);
    const std::string where = attempt.method + " " + attempt.target + ": " + Describe(response);
    EXPECT_EQ(response.status, 404) << where;
    EXPECT_TRUE(response.ErrorCode().ends_with("NOT_FOUND")) << where;
    // A customer token is no merchant token and the other way round.
    const std::string& other =
        attempt.token == bob.customer.token ? rival.token : bob.customer.token;
    RequestOptions swapped;
    swapped.token = other;
    EXPECT_EQ(Request(attempt.method, attempt.target, attempt.body, swapped).status, 401)
        << attempt.method << " " << attempt.target;
  }
  WaitForReadModels();
  EXPECT_EQ(snapshot(), before);
  // What the owners see is intact: the order still open, the key and the cashier still active.
  EXPECT_EQ(Get("/api/v1/merchant/orders/" + order_id, shop.token).String("status"), "open");
  EXPECT_EQ(Get("/api/v1/merchant/api-keys", shop.token).body.find(key_id) != std::string::npos,
            true);
  ApiResponse cashier_login =
      Post("/api/v1/merchant/sessions", R"({"username":"cashier1","password":"cashier-pass-1"})");
  EXPECT_EQ(cashier_login.status, 201) << Describe(cashier_login);
}

TEST_F(SecurityApiTest, HostileAmountsAreRefusedAndMoveNothing) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 500 * kYuan);
  Funded bob = TierTwo(2);
  ApiResponse paid = Pay(alice.customer, PayBody(StaticQr(shop), 10 * kYuan), "p1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  const std::string payment = paid.String("id");
  const int64_t alice_before = Balance(alice.customer);
  const int64_t bob_before = Balance(bob.customer);
  const int64_t shop_before = MerchantBalance(shop.id);

  const std::vector<std::string> amounts = {"0",
                                            "-1",
                                            "-9223372036854775808",
                                            "9223372036854775807",
                                            "9223372036854775808",
                                            "1e3",
                                            "1.5",
                                            "\"100\"",
                                            "null",
                                            "[]",
                                            "true",
                                            "1E2",
                                            "-0"};
  int n = 0;
  for (const std::string& amount : amounts) {
    const std::string key = "k" + std::to_string(n++);
    const std::string money = R"("amount":)" + amount + R"(,"currency":"CNY")";
    struct Call {
      std::string target;
      std::string body;
      std::string token;
    };
    const std::vector<Call> calls = {
        {"/api/v1/me/transfers", R"({"to_phone":")" + bob.customer.phone + R"(",)" + money + "}",
         alice.customer.token},
        {"/api/v1/me/top-ups", R"({"card_id":")" + alice.card_id + R"(",)" + money + "}",
         alice.customer.token},
        {"/api/v1/me/withdrawals", R"({"card_id":")" + alice.card_id + R"(",)" + money + "}",
         alice.customer.token},
        {"/api/v1/me/payments", R"({"qr":")" + StaticQr(shop) + R"(",)" + money + "}",
         alice.customer.token},
        {"/api/v1/merchant/payments/" + payment + "/refunds", "{" + money + "}", shop.token},
    };
    for (const Call& call : calls) {
      ApiResponse response = Post(call.target, call.body, call.token, key);
      const std::string where = call.target + " amount " + amount + ": " + Describe(response);
      // 9223372036854775807 is a well-formed amount: refused by the limits or the balance,
      // with a business code. Everything else is not an amount at all.
      if (amount == "9223372036854775807") {
        EXPECT_GE(response.status, 400) << where;
        EXPECT_LT(response.status, 500) << where;
      } else if (amount == "null") {
        EXPECT_EQ(response.status, 400) << where;
        EXPECT_EQ(response.ErrorCode(), "FIELD_REQUIRED") << where;
      } else {
        EXPECT_EQ(response.status, 400) << where;
        EXPECT_TRUE(response.ErrorCode() == "AMOUNT_INVALID" ||
                    response.ErrorCode() == "FIELD_INVALID")
            << where;
      }
    }
  }
  WaitForReadModels();
  EXPECT_EQ(Balance(alice.customer), alice_before);
  EXPECT_EQ(Balance(bob.customer), bob_before);
  EXPECT_EQ(MerchantBalance(shop.id), shop_before);
}

TEST_F(SecurityApiTest, HostileTextIsRefusedWithAStableCode) {
  Funded alice = Customer(1, 100 * kYuan);
  Funded bob = TierTwo(2);
  const int64_t before = Balance(alice.customer);
  auto transfer = [&](const std::string& memo_json) {
    return Post("/api/v1/me/transfers",
                R"({"to_phone":")" + bob.customer.phone +
                    R"(","amount":100,"currency":"CNY","memo":)" + memo_json + "}",
                alice.customer.token, "t-" + std::to_string(memo_json.size()));
  };
  // A memo over its limit, any string over the parser's 4096 bytes, a control character,
  // invalid UTF-8, an unpaired surrogate escape.
  EXPECT_EQ(transfer("\"" + std::string(300, 'x') + "\"").ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(transfer("\"" + std::string(5000, 'x') + "\"").ErrorCode(), "MALFORMED_JSON");
  EXPECT_EQ(transfer("\"a\\u0007b\"").ErrorCode(), "FIELD_INVALID");
  ApiResponse bad_utf8 = transfer("\"\xff\xfe\"");
  EXPECT_EQ(bad_utf8.status, 400) << Describe(bad_utf8);
  EXPECT_EQ(bad_utf8.ErrorCode(), "MALFORMED_JSON");
  ApiResponse surrogate = transfer("\"\\ud800\"");
  EXPECT_EQ(surrogate.status, 400) << Describe(surrogate);
  // Deep nesting and a body over the limit.
  std::string deep = R"({"to_phone":")" + bob.customer.phone + R"(","amount":100,"x":)";
  for (int i = 0; i < 200; i++) deep += "[";
  for (int i = 0; i < 200; i++) deep += "]";
  deep += "}";
  EXPECT_EQ(Post("/api/v1/me/transfers", deep, alice.customer.token, "deep").ErrorCode(),
            "MALFORMED_JSON");
  ApiResponse huge =
      Post("/api/v1/me/transfers", R"({"memo":")" + std::string(100 * 1024, 'a') + R"("})",
           alice.customer.token, "huge");
  EXPECT_EQ(huge.status, 413) << huge.status;
  // Well-formed Unicode is fine, including characters outside the BMP.
  ApiResponse emoji = transfer("\"午饭 🍜 AA\"");
  EXPECT_EQ(emoji.status, 201) << Describe(emoji);
  WaitForReadModels();
  EXPECT_EQ(Balance(alice.customer), before - 100);
}

}  // namespace
}  // namespace qb::wallet::testing
