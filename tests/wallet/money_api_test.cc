// The money routes over HTTP against a real engine on a temporary SQLite store and the
// SimulatedBank: identity, cards, top-ups, withdrawals, transfers, idempotency and history.
// Every test ends by checking the ledger's invariants (TearDown).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/state_machine.h"
#include "identity/resident_id.h"
#include "wallet/money_fixture.h"

namespace qb::wallet::testing {
namespace {

// --- Identity ---

TEST_F(MoneyApiTest, IdentityVerificationRaisesTierToThree) {
  RegisteredCustomer alice = RegisterCustomer(Phone(1));
  EXPECT_EQ(Tier(alice), "IV");
  const std::string id = ResidentId(1);
  ApiResponse response = Verify(alice, "张三", id);
  ASSERT_EQ(response.status, 200) << Describe(response);
  EXPECT_EQ(response.String("tier"), "III");
  EXPECT_EQ(response.String("real_name_masked"), "张*");
  EXPECT_EQ(response.String("resident_id_masked"), id.substr(0, 4) + "**********" + id.substr(14));
  EXPECT_EQ(response.json.at("limits").at("balance_cap").as_int64(), 2'000 * kYuan);
  EXPECT_EQ(response.body.find(id), std::string::npos);  // never the full number
  EXPECT_EQ(Tier(alice), "III");
  EXPECT_EQ(Verify(alice, "张三", id).ErrorCode(), "ALREADY_VERIFIED");
}

TEST_F(MoneyApiTest, IdentityErrors) {
  RegisteredCustomer alice = RegisterCustomer(Phone(1));
  RegisteredCustomer bob = RegisterCustomer(Phone(2));
  std::string bad_checksum = ResidentId(1);
  bad_checksum.back() = bad_checksum.back() == '0' ? '1' : '0';
  EXPECT_EQ(Verify(alice, "张三", bad_checksum).ErrorCode(), "RESIDENT_ID_INVALID");
  EXPECT_EQ(Verify(alice, "张三", "12345").ErrorCode(), "RESIDENT_ID_INVALID");
  EXPECT_EQ(Verify(alice, "x", ResidentId(1)).ErrorCode(), "REAL_NAME_INVALID");
  ApiResponse mismatch = Verify(alice, "张不匹配", ResidentId(1));
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(mismatch.ErrorCode(), "IDENTITY_MISMATCH");
  EXPECT_EQ(Verify(alice, "李不存在", ResidentId(1)).ErrorCode(), "IDENTITY_NOT_FOUND");
  EXPECT_EQ(Verify(alice, "王不可用", ResidentId(1)).ErrorCode(), "VERIFIER_UNAVAILABLE");
  EXPECT_EQ(Tier(alice), "IV");
  ASSERT_EQ(Verify(alice, "张三", ResidentId(1)).status, 200);
  ApiResponse taken = Verify(bob, "张三", ResidentId(1));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.ErrorCode(), "IDENTITY_TAKEN");
  EXPECT_EQ(Tier(bob), "IV");
  EXPECT_EQ(Post("/api/v1/me/identity", R"({"real_name":"张三"})", bob.token).ErrorCode(),
            "FIELD_REQUIRED");
  EXPECT_EQ(
      Post("/api/v1/me/identity", R"({"real_name":"张三","resident_id":"1","x":1})", "").status,
      401);
}

// --- Cards ---

TEST_F(MoneyApiTest, BindListAndUnbindCard) {
  RegisteredCustomer alice = RegisterCustomer(Phone(1));
  ASSERT_EQ(Verify(alice, "张三", ResidentId(1)).status, 200);
  const std::string number = CardNumber(1);
  ApiResponse card = Bind(alice, number);
  ASSERT_EQ(card.status, 201) << Describe(card);
  EXPECT_EQ(card.String("bank"), "中国工商银行");
  EXPECT_EQ(card.String("bank_en"), "ICBC");
  EXPECT_EQ(card.String("first6"), number.substr(0, 6));
  EXPECT_EQ(card.String("last4"), number.substr(number.size() - 4));
  EXPECT_EQ(card.String("masked"), number.substr(0, 6) + "******" + number.substr(15));
  EXPECT_EQ(card.body.find(number), std::string::npos);
  EXPECT_EQ(Tier(alice), "II");
  EXPECT_EQ(bank_.bound_card_count(), 1u);

  ApiResponse list = Get("/api/v1/me/cards", alice.token);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json.at("cards").as_array().size(), 1u);
  EXPECT_EQ(list.json.at("cards").at(0).at("id").as_string(), card.String("id"));

  EXPECT_EQ(Delete("/api/v1/me/cards/999", alice.token).ErrorCode(), "CARD_NOT_FOUND");
  EXPECT_EQ(Delete("/api/v1/me/cards/abc", alice.token).ErrorCode(), "CARD_NOT_FOUND");
  EXPECT_EQ(Delete("/api/v1/me/cards/" + card.String("id"), alice.token).status, 204);
  EXPECT_EQ(Tier(alice), "III");
  EXPECT_EQ(Get("/api/v1/me/cards", alice.token).json.at("cards").as_array().size(), 0u);
}

TEST_F(MoneyApiTest, CardErrors) {
  RegisteredCustomer alice = RegisterCustomer(Phone(1));
  RegisteredCustomer bob = RegisterCustomer(Phone(2));
  std::string bad_luhn = CardNumber(1);
  bad_luhn.back() = bad_luhn.back() == '9' ? '0' : static_cast<char>(bad_luhn.back() + 1);
  ApiResponse not_verified = Bind(alice, CardNumber(1));
  EXPECT_EQ(not_verified.status, 403);
  EXPECT_EQ(not_verified.ErrorCode(), "IDENTITY_REQUIRED");
  ASSERT_EQ(Verify(alice, "张三", ResidentId(1)).status, 200);
  ASSERT_EQ(Verify(bob, "李四", ResidentId(2)).status, 200);
  EXPECT_EQ(Bind(alice, bad_luhn).ErrorCode(), "CARD_INVALID");
  EXPECT_EQ(Bind(alice, "1234").ErrorCode(), "CARD_INVALID");
  // The CVV is never accepted, not even to be ignored.
  EXPECT_EQ(Post("/api/v1/me/cards", R"({"card_number":")" + CardNumber(1) + R"(","cvv":"123"})",
                 alice.token)
                .ErrorCode(),
            "UNKNOWN_FIELD");
  ASSERT_EQ(Bind(alice, CardNumber(1)).status, 201);
  EXPECT_EQ(Bind(alice, CardNumber(1)).ErrorCode(), "CARD_TAKEN");
  ApiResponse taken = Bind(bob, CardNumber(1));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.ErrorCode(), "CARD_TAKEN");
  EXPECT_EQ(Tier(bob), "III");
}

// --- Top-ups and withdrawals ---

TEST_F(MoneyApiTest, TopUpMovesExactlyTheAmount) {
  Funded alice = TierTwo(1);
  const std::string token = CardToken(alice.customer, alice.card_id);
  const int64_t card_before = bank_.Card(token)->balance_fen;
  ApiResponse response = TopUp(alice, 1'234 * kYuan + 56, "t1");
  ASSERT_EQ(response.status, 201) << Describe(response);
  EXPECT_EQ(response.String("type"), "top_up");
  EXPECT_EQ(response.String("status"), "completed");
  EXPECT_EQ(response.json.at("amount").as_int64(), 1'234 * kYuan + 56);
  EXPECT_EQ(response.json.at("card").at("id").as_string(), alice.card_id);
  EXPECT_EQ(Balance(alice.customer), 1'234 * kYuan + 56);
  EXPECT_EQ(bank_.Card(token)->balance_fen, card_before - (1'234 * kYuan + 56));
  ApiResponse balance = Get("/api/v1/me/balance", alice.customer.token);
  EXPECT_EQ(balance.json.at("available").as_int64(), 1'234 * kYuan + 56);
  EXPECT_EQ(balance.json.at("pending_in").as_int64(), 0);

  boost::json::array history = History(alice.customer);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].at("type").as_string(), "top_up");
  EXPECT_EQ(history[0].at("direction").as_string(), "in");
  EXPECT_EQ(history[0].at("status").as_string(), "completed");
  EXPECT_EQ(history[0].at("id").as_string(), response.String("id"));
  EXPECT_EQ(history[0].at("counterparty").at("kind").as_string(), "card");
  EXPECT_EQ(history[0].at("counterparty").at("display").as_string(),
            "工商银行 尾号" + CardNumber(1).substr(15));
}

TEST_F(MoneyApiTest, TopUpAboveTheBalanceCapIsRefused) {
  Funded alice = TierTwo(1);
  ASSERT_EQ(TopUp(alice, 9'000 * kYuan, "t1").status, 201);
  ApiResponse over = TopUp(alice, 1'000 * kYuan + 1, "t2");
  EXPECT_EQ(over.status, 422);
  EXPECT_EQ(over.ErrorCode(), "LIMIT_EXCEEDED");
  EXPECT_EQ(LimitOf(over), "balance_cap");
  EXPECT_EQ(Balance(alice.customer), 9'000 * kYuan);
  ASSERT_EQ(TopUp(alice, 1'000 * kYuan, "t3").status, 201);  // exactly the cap is fine
  EXPECT_EQ(Balance(alice.customer), 10'000 * kYuan);
}

TEST_F(MoneyApiTest, BankDeclineMovesNothing) {
  Funded alice = TierTwo(1);
  const std::string token = CardToken(alice.customer, alice.card_id);
  ASSERT_TRUE(bank_.SetBlocked(token, true));
  const int64_t card_before = bank_.Card(token)->balance_fen;
  ApiResponse declined = TopUp(alice, 100 * kYuan, "t1");
  EXPECT_EQ(declined.status, 402);
  EXPECT_EQ(declined.ErrorCode(), "BANK_DECLINED");
  EXPECT_EQ(Balance(alice.customer), 0);
  EXPECT_EQ(bank_.Card(token)->balance_fen, card_before);
  ApiResponse balance = Get("/api/v1/me/balance", alice.customer.token);
  EXPECT_EQ(balance.json.at("pending_in").as_int64(), 0);
  boost::json::array history = History(alice.customer);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].at("status").as_string(), "failed");
  // The same key again: the same answer, still nothing moved.
  ApiResponse again = TopUp(alice, 100 * kYuan, "t1");
  EXPECT_EQ(again.status, 402);
  EXPECT_EQ(again.body, declined.body);
  ASSERT_TRUE(bank_.SetBlocked(token, false));
  EXPECT_EQ(TopUp(alice, 100 * kYuan, "t2").status, 201);
  EXPECT_EQ(Balance(alice.customer), 100 * kYuan);
}

TEST_F(MoneyApiTest, TopUpRequestErrors) {
  Funded alice = TierTwo(1);
  const std::string token = alice.customer.token;
  EXPECT_EQ(Post("/api/v1/me/top-ups", AmountBody(alice.card_id, 100), token).ErrorCode(),
            "IDEMPOTENCY_KEY_REQUIRED");
  EXPECT_EQ(Post("/api/v1/me/top-ups", AmountBody(alice.card_id, 0), token, "k1").ErrorCode(),
            "FIELD_INVALID");
  EXPECT_EQ(
      Post("/api/v1/me/top-ups", AmountBody(alice.card_id, 100'000'001), token, "k2").ErrorCode(),
      "FIELD_INVALID");
  EXPECT_EQ(
      Post("/api/v1/me/top-ups",
           R"({"card_id":")" + alice.card_id + R"(","amount":100,"currency":"USD"})", token, "k3")
          .ErrorCode(),
      "FIELD_INVALID");
  EXPECT_EQ(Post("/api/v1/me/top-ups", AmountBody("999", 100), token, "k4").ErrorCode(),
            "CARD_NOT_FOUND");
  EXPECT_EQ(
      Post("/api/v1/me/top-ups", AmountBody(alice.card_id, 100), token, "bad key!").ErrorCode(),
      "BAD_REQUEST");
  EXPECT_EQ(Post("/api/v1/me/top-ups", AmountBody(alice.card_id, 100), "", "k5").status, 401);
  EXPECT_EQ(Balance(alice.customer), 0);
}

TEST_F(MoneyApiTest, WithdrawalPaysOutAndNeedsFunds) {
  Funded alice = TierTwo(1);
  const std::string token = CardToken(alice.customer, alice.card_id);
  ASSERT_EQ(TopUp(alice, 3'000 * kYuan, "t1").status, 201);
  const int64_t card_before = bank_.Card(token)->balance_fen;
  ApiResponse response = Withdraw(alice, 1'000 * kYuan, "w1");
  ASSERT_EQ(response.status, 201) << Describe(response);
  EXPECT_EQ(response.String("type"), "withdrawal");
  EXPECT_EQ(response.String("status"), "completed");
  EXPECT_EQ(Balance(alice.customer), 2'000 * kYuan);
  EXPECT_EQ(bank_.Card(token)->balance_fen, card_before + 1'000 * kYuan);

  ApiResponse poor = Withdraw(alice, 2'000 * kYuan + 1, "w2");
  EXPECT_EQ(poor.status, 422);
  EXPECT_EQ(poor.ErrorCode(), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Balance(alice.customer), 2'000 * kYuan);
  EXPECT_EQ(bank_.Card(token)->balance_fen, card_before + 1'000 * kYuan);

  ASSERT_TRUE(bank_.SetBlocked(token, true));
  EXPECT_EQ(Withdraw(alice, 100 * kYuan, "w3").ErrorCode(), "BANK_DECLINED");
  EXPECT_EQ(Balance(alice.customer), 2'000 * kYuan);
  ApiResponse balance = Get("/api/v1/me/balance", alice.customer.token);
  EXPECT_EQ(balance.json.at("available").as_int64(), 2'000 * kYuan);
  EXPECT_EQ(balance.json.at("pending_out").as_int64(), 0);
  boost::json::array history = History(alice.customer, "?type=withdrawal");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].at("status").as_string(), "failed");
  EXPECT_EQ(history[1].at("status").as_string(), "completed");
  EXPECT_EQ(history[1].at("direction").as_string(), "out");
}

// --- Transfers ---

TEST_F(MoneyApiTest, TransferMovesMoneyBetweenWallets) {
  Funded alice = TierTwo(1, "张三");
  RegisteredCustomer bob = RegisterCustomer(Phone(2));
  ASSERT_EQ(Verify(bob, "李四", ResidentId(2)).status, 200);
  ASSERT_EQ(TopUp(alice, 1'000 * kYuan, "t1").status, 201);
  ApiResponse sent = Transfer(alice.customer, "+86 " + Phone(2), 123 * kYuan, "p1", "午饭");
  ASSERT_EQ(sent.status, 201) << Describe(sent);
  EXPECT_EQ(sent.String("type"), "p2p_out");
  EXPECT_EQ(sent.String("status"), "completed");
  EXPECT_EQ(sent.String("memo"), "午饭");
  EXPECT_EQ(sent.json.at("counterparty").at("phone_masked").as_string(), "138****8102");
  EXPECT_EQ(sent.json.at("counterparty").at("name_masked").as_string(), "李*");
  EXPECT_EQ(Balance(alice.customer), 877 * kYuan);
  EXPECT_EQ(Balance(bob), 123 * kYuan);

  boost::json::array mine = History(alice.customer);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].at("type").as_string(), "p2p_out");
  EXPECT_EQ(mine[0].at("memo").as_string(), "午饭");
  EXPECT_EQ(mine[0].at("counterparty").at("display").as_string(), "138****8102 李*");
  EXPECT_EQ(mine[0].at("id").as_string(), sent.String("id"));
  boost::json::array theirs = History(bob);
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0].at("type").as_string(), "p2p_in");
  EXPECT_EQ(theirs[0].at("direction").as_string(), "in");
  EXPECT_EQ(theirs[0].at("amount").as_int64(), 123 * kYuan);
  EXPECT_EQ(theirs[0].at("memo").as_string(), "午饭");
  EXPECT_EQ(theirs[0].at("counterparty").at("kind").as_string(), "customer");
  EXPECT_EQ(theirs[0].at("counterparty").at("display").as_string(), "138****8101 张*");
}

TEST_F(MoneyApiTest, TransferErrorsMoveNothing) {
  Funded alice = TierTwo(1);
  RegisteredCustomer bob = RegisterCustomer(Phone(2));
  ASSERT_EQ(TopUp(alice, 100 * kYuan, "t1").status, 201);
  ApiResponse unknown = Transfer(alice.customer, Phone(99), 1 * kYuan, "p1");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.ErrorCode(), "PAYEE_NOT_FOUND");
  ApiResponse self = Transfer(alice.customer, Phone(1), 1 * kYuan, "p2");
  EXPECT_EQ(self.status, 400);
  EXPECT_EQ(self.ErrorCode(), "SAME_ACCOUNT");
  ApiResponse poor = Transfer(alice.customer, Phone(2), 100 * kYuan + 1, "p3");
  EXPECT_EQ(poor.status, 422);
  EXPECT_EQ(poor.ErrorCode(), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Transfer(alice.customer, "12345", 1, "p4").ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(Transfer(alice.customer, Phone(2), 1, "p5", std::string(51, 'a')).ErrorCode(),
            "FIELD_INVALID");
  EXPECT_EQ(Balance(alice.customer), 100 * kYuan);
  EXPECT_EQ(Balance(bob), 0);
}

TEST_F(MoneyApiTest, TierFourLimits) {
  Funded alice = TierTwo(1);
  RegisteredCustomer bob = RegisterCustomer(Phone(2));  // tier IV
  RegisteredCustomer carol = RegisterCustomer(Phone(3));
  ASSERT_EQ(TopUp(alice, 5'000 * kYuan, "t1").status, 201);
  // Bob's wallet holds at most ¥1,000.
  ApiResponse capped = Transfer(alice.customer, Phone(2), 1'000 * kYuan + 1, "a1");
  EXPECT_EQ(LimitOf(capped), "balance_cap");
  ASSERT_EQ(Transfer(alice.customer, Phone(2), 1'000 * kYuan, "a2").status, 201);
  // ¥500 a payment, ¥1,000 a day.
  ApiResponse big = Transfer(bob, Phone(3), 500 * kYuan + 1, "b1");
  EXPECT_EQ(big.status, 422);
  EXPECT_EQ(big.ErrorCode(), "LIMIT_EXCEEDED");
  EXPECT_EQ(LimitOf(big), "per_payment");
  ASSERT_EQ(Transfer(bob, Phone(3), 500 * kYuan, "b2").status, 201);
  ASSERT_EQ(Transfer(bob, Phone(1), 400 * kYuan, "b3").status, 201);
  ApiResponse daily = Transfer(bob, Phone(3), 100 * kYuan + 1, "b4");
  EXPECT_EQ(LimitOf(daily), "daily");
  EXPECT_EQ(Balance(bob), 100 * kYuan);
  EXPECT_EQ(Balance(carol), 500 * kYuan);
  // The next China day the daily allowance is back (after a new log-in: the session idled out).
  AdvanceClock(int64_t{24} * 3600 * kNsPerSecond);
  ApiResponse login = LogIn(bob.phone, bob.password);
  ASSERT_EQ(login.status, 201) << Describe(login);
  bob.token = login.String("token");
  EXPECT_EQ(Transfer(bob, Phone(3), 100 * kYuan, "b5").status, 201);
  EXPECT_EQ(Balance(bob), 0);
}

TEST_F(MoneyApiTest, TierThreeAndTwoLimits) {
  Funded alice = TierTwo(1);
  RegisteredCustomer carol = RegisterCustomer(Phone(3));
  ASSERT_EQ(Verify(carol, "王五", ResidentId(3)).status, 200);  // tier III
  ASSERT_EQ(TopUp(alice, 10'000 * kYuan, "t1").status, 201);
  // Tier II: ¥5,000 a payment.
  EXPECT_EQ(LimitOf(Transfer(alice.customer, Phone(3), 5'000 * kYuan + 1, "a1")), "per_payment");
  // Tier III holds at most ¥2,000.
  EXPECT_EQ(LimitOf(Transfer(alice.customer, Phone(3), 2'000 * kYuan + 1, "a2")), "balance_cap");
  ASSERT_EQ(TransferWithSms(alice.customer, Phone(3), 2'000 * kYuan, "a3").status, 201);
  // Tier III: ¥2,000 a payment and a day (past ¥1,000 with a second factor: PBoC No. 43).
  EXPECT_EQ(LimitOf(Transfer(carol, Phone(1), 2'000 * kYuan + 1, "c1")), "per_payment");
  ASSERT_EQ(TransferWithSms(carol, Phone(1), 1'500 * kYuan, "c2").status, 201);
  EXPECT_EQ(LimitOf(Transfer(carol, Phone(1), 500 * kYuan + 1, "c3")), "daily");
  ASSERT_EQ(TransferWithSms(carol, Phone(1), 500 * kYuan, "c4").status, 201);
  // Carol's day is used up even with money back in her wallet.
  ASSERT_EQ(TransferWithSms(alice.customer, Phone(3), 2'000 * kYuan, "a4").status, 201);
  EXPECT_EQ(LimitOf(Transfer(carol, Phone(1), 1, "c5")), "daily");
  EXPECT_EQ(Balance(carol), 2'000 * kYuan);
  EXPECT_EQ(Balance(alice.customer), 8'000 * kYuan);
}

TEST_F(MoneyApiTest, TierOneLimits) {
  Funded alice = TierTwo(1);
  RegisteredCustomer bob = RegisterCustomer(Phone(2));  // tier IV: holds at most ¥1,000
  const std::string agent = StaffToken("agent", Roles({identity::StaffRole::kOutreachAgent}));
  ApiResponse granted = Post("/api/v1/staff/customers/" + alice.customer.id + "/tier",
                             R"({"tier":"I","note":"verified at the branch"})", agent);
  ASSERT_EQ(granted.status, 200) << Describe(granted);
  EXPECT_EQ(Tier(alice.customer), "I");
  // Tier I holds up to ¥500,000: ¥60,000 fits where tier II stopped at ¥10,000.
  ASSERT_EQ(TopUp(alice, 30'000 * kYuan, "t1").status, 201);
  ASSERT_EQ(TopUp(alice, 30'000 * kYuan, "t2").status, 201);
  // ¥50,000 a payment.
  ApiResponse big = Transfer(alice.customer, Phone(2), 50'000 * kYuan + 1, "a1");
  EXPECT_EQ(big.status, 422);
  EXPECT_EQ(LimitOf(big), "per_payment");
  // Within the payer's limits, the payee's tier still caps what arrives.
  EXPECT_EQ(LimitOf(Transfer(alice.customer, Phone(2), 1'000 * kYuan + 1, "a2")), "balance_cap");
  ASSERT_EQ(Transfer(alice.customer, Phone(2), 1'000 * kYuan, "a3").status, 201);
  EXPECT_EQ(Balance(alice.customer), 59'000 * kYuan);
  EXPECT_EQ(Balance(bob), 1'000 * kYuan);
}

TEST_F(MoneyApiTest, BadBodiesOnMoneyRoutesMoveNothing) {
  Funded alice = TierTwo(1);
  RegisteredCustomer bob = RegisterCustomer(Phone(2));
  ASSERT_EQ(TopUp(alice, 100 * kYuan, "t1").status, 201);
  const std::string& token = alice.customer.token;
  ApiResponse malformed =
      Post("/api/v1/me/transfers", R"({"to_phone":")" + Phone(2) + R"(","amount":)", token, "b1");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.ErrorCode(), "MALFORMED_JSON");
  ApiResponse unknown = Post(
      "/api/v1/me/transfers",
      R"({"to_phone":")" + Phone(2) + R"(","amount":100,"currency":"CNY","fee":0})", token, "b2");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.ErrorCode(), "UNKNOWN_FIELD");
  ApiResponse fractional =
      Post("/api/v1/me/transfers",
           R"({"to_phone":")" + Phone(2) + R"(","amount":1.5,"currency":"CNY"})", token, "b3");
  EXPECT_EQ(fractional.ErrorCode(), "FIELD_INVALID");
  ApiResponse currency =
      Post("/api/v1/me/transfers",
           R"({"to_phone":")" + Phone(2) + R"(","amount":100,"currency":"USD"})", token, "b4");
  EXPECT_EQ(currency.ErrorCode(), "FIELD_INVALID");
  std::string huge = R"({"to_phone":")" + Phone(2) + R"(","amount":100,"currency":"CNY","memo":")";
  huge.append(200'000, 'x');
  huge += "\"}";
  ApiResponse large = Post("/api/v1/me/transfers", huge, token, "b5");
  EXPECT_EQ(large.status, 413);
  EXPECT_EQ(large.ErrorCode(), "PAYLOAD_TOO_LARGE");
  ApiResponse no_key = Post("/api/v1/me/transfers", TransferBody(Phone(2), 100, ""), token, "");
  EXPECT_EQ(no_key.ErrorCode(), "IDEMPOTENCY_KEY_REQUIRED");
  ApiResponse no_token = Post("/api/v1/me/transfers", TransferBody(Phone(2), 100, ""), "", "b6");
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(Balance(alice.customer), 100 * kYuan);
  EXPECT_EQ(Balance(bob), 0);
}

// --- Idempotency ---

TEST_F(MoneyApiTest, IdempotencyKeyReplaysAndConflicts) {
  Funded alice = TierTwo(1);
  RegisteredCustomer bob = RegisterCustomer(Phone(2));
  ApiResponse first = TopUp(alice, 200 * kYuan, "same");
  ASSERT_EQ(first.status, 201);
  ApiResponse again = TopUp(alice, 200 * kYuan, "same");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(Balance(alice.customer), 200 * kYuan);
  ApiResponse other = TopUp(alice, 300 * kYuan, "same");
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(other.ErrorCode(), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(Balance(alice.customer), 200 * kYuan);

  ApiResponse sent = Transfer(alice.customer, Phone(2), 50 * kYuan, "p1");
  ASSERT_EQ(sent.status, 201);
  EXPECT_EQ(Transfer(alice.customer, Phone(2), 50 * kYuan, "p1").body, sent.body);
  EXPECT_EQ(Transfer(alice.customer, Phone(2), 51 * kYuan, "p1").ErrorCode(),
            "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(
      Post("/api/v1/me/transfers", TransferBody(Phone(2), 1), alice.customer.token).ErrorCode(),
      "IDEMPOTENCY_KEY_REQUIRED");
  EXPECT_EQ(Balance(alice.customer), 150 * kYuan);
  EXPECT_EQ(Balance(bob), 50 * kYuan);
  // Keys are per customer: Bob may use Alice's.
  EXPECT_EQ(Transfer(bob, Phone(1), 10 * kYuan, "p1").status, 201);
  EXPECT_EQ(Balance(bob), 40 * kYuan);
}

TEST_F(MoneyApiTest, RetryAfterRestartHitsTheLedger) {
  Funded alice = TierTwo(1);
  RegisteredCustomer bob = RegisterCustomer(Phone(2));
  ApiResponse topped = TopUp(alice, 300 * kYuan, "t1");
  ASSERT_EQ(topped.status, 201);
  ApiResponse sent = Transfer(alice.customer, Phone(2), 100 * kYuan, "p1");
  ASSERT_EQ(sent.status, 201);

  StopServer();
  StartServer();  // The idempotency cache is gone; the ledger remembers.
  ApiResponse login = LogIn(alice.customer.phone, alice.customer.password);
  ASSERT_EQ(login.status, 201) << Describe(login);
  alice.customer.token = login.String("token");

  ApiResponse topped_again = TopUp(alice, 300 * kYuan, "t1");
  EXPECT_EQ(topped_again.status, 201) << Describe(topped_again);
  EXPECT_EQ(topped_again.String("id"), topped.String("id"));
  EXPECT_EQ(topped_again.String("status"), "completed");
  ApiResponse sent_again = Transfer(alice.customer, Phone(2), 100 * kYuan, "p1");
  EXPECT_EQ(sent_again.status, 201) << Describe(sent_again);
  EXPECT_EQ(sent_again.String("id"), sent.String("id"));
  EXPECT_EQ(Transfer(alice.customer, Phone(2), 99 * kYuan, "p1").ErrorCode(),
            "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(TopUp(alice, 301 * kYuan, "t1").ErrorCode(), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(Balance(alice.customer), 200 * kYuan);
}

// --- History ---

TEST_F(MoneyApiTest, HistoryPagesAndFilters) {
  Funded alice = TierTwo(1);
  RegisteredCustomer bob = RegisterCustomer(Phone(2));
  ASSERT_EQ(TopUp(alice, 100 * kYuan, "t1").status, 201);
  ASSERT_EQ(TopUp(alice, 200 * kYuan, "t2").status, 201);
  ASSERT_EQ(Transfer(alice.customer, Phone(2), 10 * kYuan, "p1").status, 201);
  ASSERT_EQ(Transfer(alice.customer, Phone(2), 20 * kYuan, "p2").status, 201);
  ASSERT_EQ(Withdraw(alice, 30 * kYuan, "w1").status, 201);
  ASSERT_EQ(Transfer(bob, Phone(1), 5 * kYuan, "p3").status, 201);
  WaitForReadModels();

  std::vector<std::string> types;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    ApiResponse response =
        Get("/api/v1/me/history?limit=2" + (cursor.empty() ? std::string() : "&cursor=" + cursor),
            alice.customer.token);
    ASSERT_EQ(response.status, 200) << Describe(response);
    for (const boost::json::value& entry : response.json.at("entries").as_array()) {
      types.emplace_back(entry.at("type").as_string());
    }
    const boost::json::value& next = response.json.at("next_cursor");
    if (next.is_null()) break;
    cursor = std::string(next.as_string());
  }
  EXPECT_EQ(types, (std::vector<std::string>{"p2p_in", "withdrawal", "p2p_out", "p2p_out", "top_up",
                                             "top_up"}));

  boost::json::array top_ups = History(alice.customer, "?type=top_up");
  ASSERT_EQ(top_ups.size(), 2u);
  EXPECT_EQ(top_ups[0].at("amount").as_int64(), 200 * kYuan);
  boost::json::array incoming = History(alice.customer, "?type=p2p_in,top_up");
  EXPECT_EQ(incoming.size(), 3u);
  // A mix the store cannot filter by direction alone.
  boost::json::array mixed = History(alice.customer, "?type=p2p_in,withdrawal&limit=1");
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed[0].at("type").as_string(), "p2p_in");
  boost::json::array outgoing = History(alice.customer, "?type=p2p_out");
  ASSERT_EQ(outgoing.size(), 2u);
  EXPECT_EQ(outgoing[0].at("amount").as_int64(), 20 * kYuan);

  EXPECT_EQ(History(alice.customer, "?from=2026-11-23&to=2026-11-23").size(), 6u);
  EXPECT_EQ(History(alice.customer, "?from=2026-11-24").size(), 0u);
  EXPECT_EQ(History(alice.customer, "?to=2026-11-23T00:00:00Z").size(), 0u);
  EXPECT_EQ(History(alice.customer, "?from=2026-11-23T00:00:00%2B08:00").size(), 6u);
  EXPECT_EQ(Get("/api/v1/me/history?type=bogus", alice.customer.token).ErrorCode(),
            "FIELD_INVALID");
  EXPECT_EQ(Get("/api/v1/me/history?cursor=xyz", alice.customer.token).ErrorCode(),
            "FIELD_INVALID");
  EXPECT_EQ(Get("/api/v1/me/history?limit=0", alice.customer.token).ErrorCode(), "FIELD_INVALID");
  EXPECT_EQ(Get("/api/v1/me/history?from=yesterday", alice.customer.token).ErrorCode(),
            "FIELD_INVALID");
}

// --- A bank that fails ---

// The same API in front of a SimulatedBank that times out or refuses service on 40% of calls,
// some timeouts after it did the work. Clients retry with the same key until the answer is
// final; money must then agree between the wallet, the ledger's clearing account and the bank.
class FlakyBankTest : public MoneyApiTest {
 protected:
  void SetUp() override {
    bank_override_ = &flaky_bank_;
    StartServer();
  }

  // Retries with the same key while the answer says to come back (503, or "processing").
  ApiResponse UntilFinal(const std::function<ApiResponse()>& send, int* attempts) {
    ApiResponse response;
    for (*attempts = 1; *attempts <= 50; ++*attempts) {
      response = send();
      const bool again = response.status == 503 ||
                         (response.status == 201 && response.String("status") == "processing");
      if (!again) break;
    }
    return response;
  }

  static bank::SimulatedBankOptions FlakyOptions() {
    bank::SimulatedBankOptions options;
    options.failure_rate_ppm = 400'000;
    options.seed = 20261123;
    return options;
  }
  bank::SimulatedBank flaky_bank_{FlakyOptions()};
};

TEST_F(FlakyBankTest, RetriedMoneyMovementsAgreeWithTheBank) {
  RegisteredCustomer alice = RegisterCustomer(Phone(1));
  ASSERT_EQ(Verify(alice, "张三", ResidentId(1)).status, 200);
  int attempts = 0;
  ApiResponse card = UntilFinal([&] { return Bind(alice, CardNumber(1)); }, &attempts);
  ASSERT_EQ(card.status, 201) << Describe(card);
  Funded funded{alice, card.String("id")};

  int64_t expected_fen = 0;
  int retried = 0;
  int failed = 0;
  for (int i = 0; i < 40; ++i) {
    const bool top_up = i % 3 != 2;
    const int64_t amount_fen = (top_up ? 100 : 120) * kYuan + i;
    const std::string key = (top_up ? "t" : "w") + std::to_string(i);
    ApiResponse response = UntilFinal(
        [&] { return top_up ? TopUp(funded, amount_fen, key) : Withdraw(funded, amount_fen, key); },
        &attempts);
    retried += attempts > 1 ? 1 : 0;
    if (response.status == 201 && response.String("status") == "completed") {
      expected_fen += top_up ? amount_fen : -amount_fen;
    } else {
      ++failed;
      // Declined (402), refused for funds (422), or a retry of a failed attempt (201 "failed").
      EXPECT_TRUE(response.status == 402 || response.status == 422 ||
                  (response.status == 201 && response.String("status") == "failed"))
          << Describe(response);
    }
  }
  EXPECT_GT(retried, 0);  // The faults were exercised.
  EXPECT_LT(failed, 40);
  ApiResponse balance = Get("/api/v1/me/balance", alice.token);
  ASSERT_EQ(balance.status, 200);
  EXPECT_EQ(balance.json.at("balance").as_int64(), expected_fen);
  EXPECT_EQ(balance.json.at("pending_in").as_int64(), 0);
  EXPECT_EQ(balance.json.at("pending_out").as_int64(), 0);
  // Every fen in the wallet left the card through the bank, and nothing is still held there.
  EXPECT_EQ(flaky_bank_.settlement_fen(), expected_fen);
  EXPECT_EQ(flaky_bank_.TotalMoneyFen(), bank::SimulatedBankOptions{}.opening_balance_fen);
  auto clearing = std::make_shared<int64_t>(0);
  engine_->Execute(engine::Query{[clearing](const engine::StateMachine& state) {
    const ledger::Account* account = state.ledger().FindAccount(engine::kBankClearingAccountId);
    if (account != nullptr) *clearing = account->debits_posted - account->credits_posted;
  }});
  EXPECT_EQ(*clearing, expected_fen);
}

}  // namespace
}  // namespace qb::wallet::testing
