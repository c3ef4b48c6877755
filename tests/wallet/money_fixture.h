// The money tests' fixture: customers with verified identities and bound cards, funded through
// the SimulatedBank, and helpers for top-ups, transfers, balances and history. Every test ends by
// checking the ledger's invariants and that the bank and the wallet agree (TearDown).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "engine/state_machine.h"
#include "identity/resident_id.h"
#include "wallet/api_test_util.h"

namespace qb::wallet::testing {

constexpr int64_t kYuan = 100;  // fen

// A valid resident ID per `serial` (0..999): Beijing Chaoyang, born 1990-01-01.
inline std::string ResidentId(int serial) {
  std::string sequence = std::to_string(1'000 + serial);
  std::string first17 = "11010519900101" + sequence.substr(sequence.size() - 3);
  return first17 + identity::ResidentIdCheckCharacter(first17);
}

// A Luhn-valid ICBC (622202) card number per `serial`.
inline std::string CardNumber(int serial) {
  std::string digits = "622202020";
  std::string tail = std::to_string(1'000'000 + serial);  // 7 digits
  digits += tail.substr(tail.size() - 6);
  digits += "000";  // 18 digits so far
  int sum = 0;
  bool double_it = true;  // The check digit will sit to the right.
  for (size_t i = digits.size(); i-- > 0;) {
    int digit = digits[i] - '0';
    if (double_it) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double_it = !double_it;
  }
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

inline std::string Phone(int serial) {
  std::string digits = std::to_string(100 + serial);
  return "13800138" + digits.substr(digits.size() - 3);
}

inline std::string AmountBody(std::string_view card_id, int64_t amount_fen) {
  return R"({"card_id":")" + std::string(card_id) + R"(","amount":)" + std::to_string(amount_fen) +
         R"(,"currency":"CNY"})";
}

inline std::string TransferBody(std::string_view to_phone, int64_t amount_fen,
                                std::string_view memo = "") {
  std::string body = R"({"to_phone":")" + std::string(to_phone) + R"(","amount":)" +
                     std::to_string(amount_fen) + R"(,"currency":"CNY")";
  if (!memo.empty()) body += R"(,"memo":")" + std::string(memo) + "\"";
  return body + "}";
}

inline std::string LimitOf(const ApiResponse& response) {
  const boost::json::value* limit = response.json.is_object()
                                        ? response.json.at("error").as_object().if_contains("limit")
                                        : nullptr;
  return limit != nullptr && limit->is_string() ? std::string(limit->as_string()) : "";
}

class MoneyApiTest : public WalletApiTest {
 protected:
  void TearDown() override {
    if (engine_) {
      std::optional<std::string> problem = LedgerProblem();
      EXPECT_FALSE(problem.has_value()) << *problem;
      EXPECT_EQ(bank_.TotalMoneyFen(), static_cast<int64_t>(bank_.bound_card_count()) *
                                           bank::SimulatedBankOptions{}.opening_balance_fen);
    }
    WalletApiTest::TearDown();
  }

  std::optional<std::string> LedgerProblem() {
    auto problem = std::make_shared<std::optional<std::string>>();
    engine::Reply reply = engine_->Execute(engine::Query{
        [problem](const engine::StateMachine& s) { *problem = s.ledger().CheckInvariants(); }});
    EXPECT_EQ(reply.status, engine::ReplyStatus::kOk);
    return *problem;
  }

  // The bank token of one of the customer's cards, from the engine.
  std::string CardToken(const RegisteredCustomer& customer, std::string_view card_id) {
    auto token = std::make_shared<std::string>();
    const uint64_t id = std::stoull(customer.id);
    const uint64_t card = std::stoull(std::string(card_id));
    engine_->Execute(engine::Query{[token, id, card](const engine::StateMachine& s) {
      const identity::Customer* c = s.customers().FindById(id);
      if (c == nullptr) return;
      if (const identity::BoundCard* bound = c->FindCard(card)) *token = bound->bank_token;
    }});
    return *token;
  }

  ApiResponse Verify(const RegisteredCustomer& customer, std::string_view name,
                     std::string_view resident_id) {
    return Post("/api/v1/me/identity",
                R"({"real_name":")" + std::string(name) + R"(","resident_id":")" +
                    std::string(resident_id) + R"("})",
                customer.token);
  }

  ApiResponse Bind(const RegisteredCustomer& customer, std::string_view number) {
    return Post("/api/v1/me/cards", R"({"card_number":")" + std::string(number) + R"("})",
                customer.token);
  }

  // A tier II customer: registered, verified as `name` and holding one bound card.
  struct Funded {
    RegisteredCustomer customer;
    std::string card_id;
  };
  Funded TierTwo(int serial, std::string_view name = "张三") {
    Funded funded{RegisterCustomer(Phone(serial)), ""};
    ApiResponse verified = Verify(funded.customer, name, ResidentId(serial));
    EXPECT_EQ(verified.status, 200) << Describe(verified);
    ApiResponse card = Bind(funded.customer, CardNumber(serial));
    EXPECT_EQ(card.status, 201) << Describe(card);
    funded.card_id = card.String("id");
    return funded;
  }

  ApiResponse TopUp(const Funded& funded, int64_t amount_fen, std::string_view key) {
    return Post("/api/v1/me/top-ups", AmountBody(funded.card_id, amount_fen), funded.customer.token,
                key);
  }
  ApiResponse Withdraw(const Funded& funded, int64_t amount_fen, std::string_view key) {
    return Post("/api/v1/me/withdrawals", AmountBody(funded.card_id, amount_fen),
                funded.customer.token, key);
  }
  ApiResponse Transfer(const RegisteredCustomer& from, std::string_view to_phone,
                       int64_t amount_fen, std::string_view key, std::string_view memo = "") {
    return Post("/api/v1/me/transfers", TransferBody(to_phone, amount_fen, memo), from.token, key);
  }

  // A transfer with an SMS code of purpose "payment" as its second factor (PBoC No. 43: past
  // ¥1,000 a day one factor is not enough). Phones get one code a minute: the clock moves on.
  ApiResponse TransferWithSms(const RegisteredCustomer& from, std::string_view to_phone,
                              int64_t amount_fen, std::string_view key) {
    AdvanceClock(61 * kNsPerSecond);
    const std::string code = RequestOtp(from.phone, "payment");
    std::string body = TransferBody(to_phone, amount_fen);
    body.pop_back();
    body += R"(,"sms_code":")" + code + "\"}";
    return Post("/api/v1/me/transfers", body, from.token, key);
  }

  int64_t Balance(const RegisteredCustomer& customer) {
    ApiResponse response = Get("/api/v1/me/balance", customer.token);
    EXPECT_EQ(response.status, 200) << Describe(response);
    if (!response.json.is_object()) return -1;
    return response.json.at("balance").as_int64();
  }

  std::string Tier(const RegisteredCustomer& customer) {
    return Get("/api/v1/me", customer.token).String("tier");
  }

  boost::json::array History(const RegisteredCustomer& customer, std::string_view query = "") {
    WaitForReadModels();
    ApiResponse response = Get("/api/v1/me/history" + std::string(query), customer.token);
    EXPECT_EQ(response.status, 200) << Describe(response);
    if (!response.json.is_object()) return {};
    return response.json.at("entries").as_array();
  }
};

}  // namespace qb::wallet::testing
