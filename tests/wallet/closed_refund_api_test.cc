// A merchant refunds a payment after the customer closed the wallet, over HTTP: the refund
// succeeds for the merchant, the money waits in the customer's closed-refund account (shown on
// the support console's customer record), and support records paying it out through the bank:
// never more than is owed, once per Idempotency-Key, audited with the bank's reference.
#include <gtest/gtest.h>

#include <string>

#include "payment_fixture.h"

namespace qb::wallet::testing {
namespace {

using identity::StaffRole;

class ClosedRefundApiTest : public PaymentApiTest {
 protected:
  void CloseAccount(const RegisteredCustomer& customer) {
    AdvanceClock(61 * kNsPerSecond);  // One code a minute per phone.
    const std::string code = RequestOtp(customer.phone, "close_account");
    ApiResponse closed =
        Post("/api/v1/me/close-account", R"({"sms_code":")" + code + R"("})", customer.token);
    ASSERT_EQ(closed.status, 200) << Describe(closed);
  }
  ApiResponse PayOut(std::string_view customer_id, int64_t amount, std::string_view reference,
                     std::string_view token, std::string_view key) {
    return Post("/api/v1/staff/customers/" + std::string(customer_id) + "/refund-payouts",
                R"({"amount":)" + std::to_string(amount) + R"(,"currency":"CNY","reference":")" +
                    std::string(reference) + R"("})",
                token, key);
  }
  int64_t Owed(std::string_view customer_id, std::string_view token) {
    ApiResponse record = Get("/api/v1/staff/customers/" + std::string(customer_id), token);
    EXPECT_EQ(record.status, 200) << Describe(record);
    return record.json.at("refunds_owed").as_int64();
  }
};

TEST_F(ClosedRefundApiTest, SupportPaysOutWhatARefundBroughtAfterTheWalletClosed) {
  Merchant shop = ActiveMerchant("shop");
  Funded alice = Customer(1, 100 * kYuan);
  Funded bob = Customer(2, 10 * kYuan);
  ApiResponse paid = Pay(alice.customer, PayBody(StaticQr(shop), 30 * kYuan), "p1");
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  ASSERT_EQ(Withdraw(alice, 70 * kYuan, "empty-it").status, 201);
  CloseAccount(alice.customer);
  const std::string support = StaffToken("sam", Roles({StaffRole::kSupport}));
  EXPECT_EQ(Owed(alice.customer.id, support), 0);

  // The merchant refunds as usual; nothing tells it the wallet has closed.
  ApiResponse refund = Refund(shop, paid.String("id"), 10 * kYuan, "r1");
  ASSERT_EQ(refund.status, 201) << Describe(refund);
  EXPECT_EQ(Owed(alice.customer.id, support), 10 * kYuan);

  // Bad requests move nothing.
  const std::string target = "/api/v1/staff/customers/" + alice.customer.id + "/refund-payouts";
  EXPECT_EQ(Post(target, R"({"amount":600,"currency":"CNY","reference":"x"})", support).ErrorCode(),
            "IDEMPOTENCY_KEY_REQUIRED");
  EXPECT_EQ(PayOut(alice.customer.id, 0, "ICBC-1", support, "k0").ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(PayOut(alice.customer.id, 600, std::string(65, 'x'), support, "k0").ErrorCode(),
            "FIELD_INVALID");
  ApiResponse too_much = PayOut(alice.customer.id, 10 * kYuan + 1, "ICBC-1", support, "k1");
  EXPECT_EQ(too_much.status, 422) << Describe(too_much);
  EXPECT_EQ(too_much.ErrorCode(), "INSUFFICIENT_FUNDS");
  ApiResponse open = PayOut(bob.customer.id, 100, "ICBC-1", support, "k2");
  EXPECT_EQ(open.status, 404) << Describe(open);  // Bob's wallet is open: refunds reach it.
  const std::string auditor = StaffToken("audrey", Roles({StaffRole::kAuditor}));
  EXPECT_EQ(PayOut(alice.customer.id, 600, "ICBC-1", auditor, "k3").status, 403);
  EXPECT_EQ(Owed(alice.customer.id, support), 10 * kYuan);

  // Paid in two parts; a retry with the same key answers the same payout and pays nothing.
  ApiResponse first = PayOut(alice.customer.id, 600, "ICBC-20261124-1", support, "k4");
  ASSERT_EQ(first.status, 201) << Describe(first);
  EXPECT_EQ(first.json.at("amount").as_int64(), 600);
  EXPECT_EQ(first.json.at("still_owed").as_int64(), 400);
  EXPECT_EQ(first.String("reference"), "ICBC-20261124-1");
  ApiResponse retry = PayOut(alice.customer.id, 600, "ICBC-20261124-1", support, "k4");
  EXPECT_EQ(retry.status, 201) << Describe(retry);
  EXPECT_EQ(retry.String("id"), first.String("id"));
  EXPECT_EQ(PayOut(alice.customer.id, 400, "ICBC-20261124-1", support, "k4").ErrorCode(),
            "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(Owed(alice.customer.id, support), 400);
  ApiResponse rest = PayOut(alice.customer.id, 400, "ICBC-20261124-2", support, "k5");
  ASSERT_EQ(rest.status, 201) << Describe(rest);
  EXPECT_EQ(rest.json.at("still_owed").as_int64(), 0);
  EXPECT_EQ(Owed(alice.customer.id, support), 0);
  EXPECT_EQ(PayOut(alice.customer.id, 1, "ICBC-20261124-3", support, "k6").ErrorCode(),
            "INSUFFICIENT_FUNDS");

  // The auditors see who paid whom how much, with the bank's reference.
  WaitForReadModels();
  ApiResponse audit = Get("/api/v1/staff/audit?action=customer.refund_payout", auditor);
  ASSERT_EQ(audit.status, 200) << Describe(audit);
  const auto& entries = audit.json.at("entries").as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].at("target").as_string(), "customer:" + alice.customer.id);
  EXPECT_NE(
      std::string(entries[0].at("detail").as_string()).find("\"reference\":\"ICBC-20261124-2\""),
      std::string::npos);
  EXPECT_EQ(std::string(entries[1].at("actor").as_string()).rfind("staff:", 0), 0u);
  EXPECT_EQ(LedgerProblem(), std::nullopt);
}

}  // namespace
}  // namespace qb::wallet::testing
