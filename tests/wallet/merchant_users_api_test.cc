// Merchant-portal users over HTTP: the owner adds a cashier, who logs in and takes payments;
// the owner disables the cashier, whose token stops working on the next request and whose
// log-in is refused with USER_DISABLED; a cashier may disable nobody; an owner cannot disable
// themself nor the last owner; enabling again lets the cashier back in.
#include <sodium.h>

#include <string>

#include "identity/secret_key.h"
#include "paytoken/payment_code.h"
#include "wallet/money_fixture.h"

namespace qb::wallet::testing {
namespace {

constexpr char kCreditCode[] = "91350100M000100Y43";

class MerchantUsersApiTest : public MoneyApiTest {
 protected:
  void SetUp() override {
    MoneyApiTest::SetUp();
    admin_ = StaffToken("admin", Roles({identity::StaffRole::kAdmin}));
    ApiResponse created =
        Post("/api/v1/staff/merchants",
             R"({"legal_name":"福州小吃店","credit_code":")" + std::string(kCreditCode) +
                 R"(","category":"catering","settlement_bank_code":"ICBC",)"
                 R"("settlement_account":"6222020200112233","contact_phone":"13900139000",)"
                 R"("username":"shop","password":"shop-pass-1","activate":true})",
             admin_);
    ASSERT_EQ(created.status, 201) << Describe(created);
    merchant_id_ = created.String("id");
    owner_ = LogInAs("shop", "shop-pass-1").String("token");
    ASSERT_FALSE(owner_.empty());
  }

  ApiResponse LogInAs(std::string_view username, std::string_view password) {
    return Post("/api/v1/merchant/sessions", R"({"username":")" + std::string(username) +
                                                 R"(","password":")" + std::string(password) +
                                                 R"("})");
  }

  ApiResponse AddUser(std::string_view username, std::string_view role) {
    return Post("/api/v1/merchant/users",
                R"({"username":")" + std::string(username) +
                    R"(","display_name":"收银员",)"
                    R"("password":"till-pass-1","role":")" +
                    std::string(role) + R"("})",
                owner_);
  }

  ApiResponse SetActive(std::string_view user_id, bool active, std::string_view token) {
    return Post("/api/v1/merchant/users/" + std::string(user_id) + "/status",
                active ? R"({"active":true})" : R"({"active":false})", token);
  }

  // The status the owner's list shows for `user_id`, "" when not listed.
  std::string ListedStatus(std::string_view user_id) {
    ApiResponse users = Get("/api/v1/merchant/users", owner_);
    EXPECT_EQ(users.status, 200) << Describe(users);
    for (const boost::json::value& user : users.json.at("users").as_array()) {
      if (user.at("id").as_string() == user_id) {
        return std::string(user.at("status").as_string());
      }
    }
    return "";
  }

  // A payment code from a customer's phone, for the cashier to charge.
  std::string PaymentCode(const Funded& payer) {
    ApiResponse registered = Post("/api/v1/me/payment-device", "{}", payer.customer.token);
    EXPECT_EQ(registered.status, 201) << Describe(registered);
    const std::string encoded = registered.String("secret");
    std::string secret(identity::SecretKey::kSize, '\0');
    size_t length = 0;
    EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(secret.data()), secret.size(),
                                encoded.data(), encoded.size(), nullptr, &length, nullptr,
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING),
              0);
    paytoken::PaymentCodeConfig config;
    std::optional<identity::SecretKey> key = identity::SecretKey::FromBytes(secret);
    return paytoken::MakePaymentCode(config,
                                     static_cast<uint32_t>(registered.json.at("slot").as_int64()),
                                     *key, paytoken::PaymentCodeStep(config, clock_.NowNs()));
  }

  std::string admin_;
  std::string merchant_id_;
  std::string owner_;
};

TEST_F(MerchantUsersApiTest, TheOwnerDisablesACashierWhoseSessionEndsAtOnce) {
  ApiResponse added = AddUser("till-1", "cashier");
  ASSERT_EQ(added.status, 201) << Describe(added);
  const std::string till_id = added.String("id");
  EXPECT_EQ(added.String("status"), "active");
  EXPECT_EQ(ListedStatus(till_id), "active");

  // The cashier logs in, charges a payment code and lists orders.
  ApiResponse session = LogInAs("till-1", "till-pass-1");
  ASSERT_EQ(session.status, 201) << Describe(session);
  const std::string till = session.String("token");
  Funded alice = TierTwo(1);
  ASSERT_EQ(TopUp(alice, 100 * kYuan, "fund").status, 201);
  ApiResponse charged =
      Post("/api/v1/merchant/charges",
           R"({"code":")" + PaymentCode(alice) + R"(","amount":500,"currency":"CNY"})", till, "c1");
  ASSERT_EQ(charged.status, 201) << Describe(charged);
  EXPECT_EQ(Get("/api/v1/merchant/orders", till).status, 200);
  EXPECT_EQ(Get("/api/v1/merchant/payments/" + charged.String("id"), till).status, 200);

  // A cashier disables nobody, not even another cashier.
  ApiResponse other = AddUser("till-2", "cashier");
  ASSERT_EQ(other.status, 201);
  EXPECT_EQ(SetActive(other.String("id"), false, till).ErrorCode(), "FORBIDDEN");
  EXPECT_EQ(SetActive(other.String("id"), false, till).status, 403);

  // The owner disables the cashier: the token it holds stops working on the next request.
  ApiResponse disabled = SetActive(till_id, false, owner_);
  ASSERT_EQ(disabled.status, 200) << Describe(disabled);
  EXPECT_EQ(disabled.String("id"), till_id);
  EXPECT_EQ(disabled.String("username"), "till-1");
  EXPECT_EQ(disabled.String("role"), "cashier");
  EXPECT_EQ(disabled.String("status"), "disabled");
  EXPECT_EQ(ListedStatus(till_id), "disabled");
  EXPECT_EQ(Get("/api/v1/merchant/orders", till).status, 401);
  EXPECT_EQ(Get("/api/v1/merchant/me", till).ErrorCode(), "UNAUTHORIZED");
  // A fresh log-in is refused with a stable code; a wrong password learns nothing more.
  ApiResponse refused = LogInAs("till-1", "till-pass-1");
  EXPECT_EQ(refused.status, 403) << Describe(refused);
  EXPECT_EQ(refused.ErrorCode(), "USER_DISABLED");
  EXPECT_EQ(LogInAs("till-1", "wrong-pass-1").ErrorCode(), "INVALID_CREDENTIALS");
  // Again: the same answer, nothing changes.
  EXPECT_EQ(SetActive(till_id, false, owner_).String("status"), "disabled");
  // The owner's own session is untouched.
  EXPECT_EQ(Get("/api/v1/merchant/me", owner_).status, 200);

  // Enabled again: the old token stays dead, a new log-in works.
  ApiResponse enabled = SetActive(till_id, true, owner_);
  ASSERT_EQ(enabled.status, 200) << Describe(enabled);
  EXPECT_EQ(enabled.String("status"), "active");
  EXPECT_EQ(Get("/api/v1/merchant/orders", till).status, 401);
  ApiResponse back = LogInAs("till-1", "till-pass-1");
  ASSERT_EQ(back.status, 201) << Describe(back);
  EXPECT_EQ(Get("/api/v1/merchant/orders", back.String("token")).status, 200);
}

TEST_F(MerchantUsersApiTest, OwnersKeepTheMerchantRunnable) {
  ApiResponse users = Get("/api/v1/merchant/users", owner_);
  ASSERT_EQ(users.status, 200);
  const std::string owner_id(users.json.at("users").as_array().at(0).at("id").as_string());
  // The only owner, disabling themself: the merchant would have no owner left.
  EXPECT_EQ(SetActive(owner_id, false, owner_).ErrorCode(), "LAST_OWNER");
  // With a second owner it is still not allowed to disable oneself.
  ApiResponse second = AddUser("boss-2", "owner");
  ASSERT_EQ(second.status, 201) << Describe(second);
  ApiResponse self = SetActive(owner_id, false, owner_);
  EXPECT_EQ(self.status, 409);
  EXPECT_EQ(self.ErrorCode(), "CANNOT_DISABLE_SELF");
  EXPECT_EQ(ListedStatus(owner_id), "active");
  // Another merchant's user, or nobody: not found.
  EXPECT_EQ(SetActive("999", false, owner_).ErrorCode(), "MERCHANT_USER_NOT_FOUND");
  EXPECT_EQ(SetActive("x", false, owner_).ErrorCode(), "MERCHANT_USER_NOT_FOUND");
  EXPECT_EQ(Post("/api/v1/merchant/users/" + second.String("id") + "/status", R"({"active":"no"})",
                 owner_)
                .ErrorCode(),
            "FIELD_INVALID");
  // The second owner may disable the first, whose session then ends.
  ApiResponse boss2 = LogInAs("boss-2", "till-pass-1");
  ASSERT_EQ(boss2.status, 201);
  EXPECT_EQ(SetActive(owner_id, false, boss2.String("token")).status, 200);
  EXPECT_EQ(Get("/api/v1/merchant/users", owner_).status, 401);
}

}  // namespace
}  // namespace qb::wallet::testing
