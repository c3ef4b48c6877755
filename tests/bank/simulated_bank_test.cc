#include "bank/simulated_bank.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace qb::bank {
namespace {

using Code = BankResultCode;

DebitRequest Debit(std::string request_id, std::string card, int64_t amount_fen) {
  return DebitRequest{std::move(request_id), std::move(card), amount_fen, "CNY"};
}

PayoutRequest Credit(std::string request_id, std::string card, int64_t amount_fen) {
  return PayoutRequest{std::move(request_id), std::move(card), amount_fen, "CNY"};
}

// Builds ids with append: GCC 12 at -O3 reports a false -Wrestrict for chained operator+.
std::string Id(char prefix, int first, int second = -1) {
  std::string id(1, prefix);
  id.append(std::to_string(first));
  if (second >= 0) id.append("-").append(std::to_string(second));
  return id;
}

class SimulatedBankTest : public ::testing::Test {
 protected:
  SimulatedBankTest() : bank_(SimulatedBankOptions{}) {
    bank_.AddCard("tok_alice", 10'000);
    bank_.AddCard("tok_bob", 500);
    total_fen_ = bank_.TotalMoneyFen();
  }
  void TearDown() override { EXPECT_EQ(bank_.TotalMoneyFen(), total_fen_); }

  SimulatedBank bank_;
  int64_t total_fen_ = 0;
};

TEST_F(SimulatedBankTest, AuthorizeCaptureMovesMoneyToSettlement) {
  BankResult auth = bank_.Authorize(Debit("r1", "tok_alice", 3'000));
  ASSERT_EQ(auth.code, Code::kApproved);
  ASSERT_FALSE(auth.bank_reference.empty());
  EXPECT_EQ(bank_.Card("tok_alice")->held_fen, 3'000);
  EXPECT_EQ(bank_.Card("tok_alice")->balance_fen, 10'000);
  EXPECT_EQ(bank_.Capture(auth.bank_reference).code, Code::kApproved);
  EXPECT_EQ(bank_.Card("tok_alice")->held_fen, 0);
  EXPECT_EQ(bank_.Card("tok_alice")->balance_fen, 7'000);
  EXPECT_EQ(bank_.settlement_fen(), 3'000);
}

TEST_F(SimulatedBankTest, VoidReleasesTheHold) {
  BankResult auth = bank_.Authorize(Debit("r1", "tok_alice", 3'000));
  ASSERT_TRUE(auth.approved());
  EXPECT_EQ(bank_.Void(auth.bank_reference).code, Code::kApproved);
  EXPECT_EQ(bank_.Card("tok_alice")->held_fen, 0);
  EXPECT_EQ(bank_.Card("tok_alice")->balance_fen, 10'000);
  EXPECT_EQ(bank_.settlement_fen(), 0);
}

TEST_F(SimulatedBankTest, CaptureAndVoidStateMachine) {
  BankResult first = bank_.Authorize(Debit("r1", "tok_alice", 1'000));
  BankResult second = bank_.Authorize(Debit("r2", "tok_alice", 2'000));
  ASSERT_TRUE(first.approved() && second.approved());
  EXPECT_EQ(bank_.Capture(first.bank_reference).code, Code::kApproved);
  EXPECT_EQ(bank_.Capture(first.bank_reference).code, Code::kApproved);  // idempotent
  EXPECT_EQ(bank_.Void(first.bank_reference).code, Code::kInvalidState);
  EXPECT_EQ(bank_.Void(second.bank_reference).code, Code::kApproved);
  EXPECT_EQ(bank_.Void(second.bank_reference).code, Code::kApproved);  // idempotent
  EXPECT_EQ(bank_.Capture(second.bank_reference).code, Code::kInvalidState);
  EXPECT_EQ(bank_.Capture("SB-no-such").code, Code::kNotFound);
  EXPECT_EQ(bank_.Void("").code, Code::kNotFound);
  EXPECT_EQ(bank_.Card("tok_alice")->balance_fen, 9'000);  // captured once only
  EXPECT_EQ(bank_.Card("tok_alice")->held_fen, 0);
}

TEST_F(SimulatedBankTest, SameRequestIdReturnsTheFirstResult) {
  BankResult first = bank_.Authorize(Debit("r1", "tok_alice", 4'000));
  BankResult again = bank_.Authorize(Debit("r1", "tok_alice", 4'000));
  EXPECT_EQ(again.code, Code::kApproved);
  EXPECT_EQ(again.bank_reference, first.bank_reference);
  EXPECT_EQ(bank_.Card("tok_alice")->held_fen, 4'000);  // held once

  BankResult declined = bank_.Authorize(Debit("r2", "tok_bob", 600));
  EXPECT_EQ(declined.code, Code::kDeclinedInsufficientFunds);
  ASSERT_EQ(bank_.Payout(Credit("p1", "tok_bob", 1'000)).code, Code::kApproved);
  // Bob can now afford it, but r2 was answered already: the same id keeps its first answer.
  EXPECT_EQ(bank_.Authorize(Debit("r2", "tok_bob", 600)).code, Code::kDeclinedInsufficientFunds);

  EXPECT_EQ(bank_.Payout(Credit("p1", "tok_bob", 1'000)).code, Code::kApproved);
  EXPECT_EQ(bank_.Card("tok_bob")->balance_fen, 1'500);  // paid once
  EXPECT_EQ(bank_.settlement_fen(), -1'000);
}

TEST_F(SimulatedBankTest, ReusedRequestIdWithOtherContentIsRefused) {
  ASSERT_TRUE(bank_.Authorize(Debit("r1", "tok_alice", 100)).approved());
  EXPECT_EQ(bank_.Authorize(Debit("r1", "tok_alice", 200)).code, Code::kRequestIdReused);
  EXPECT_EQ(bank_.Authorize(Debit("r1", "tok_bob", 100)).code, Code::kRequestIdReused);
  EXPECT_EQ(bank_.Payout(Credit("r1", "tok_alice", 100)).code, Code::kRequestIdReused);
  EXPECT_EQ(bank_.Card("tok_alice")->held_fen, 100);
}

TEST_F(SimulatedBankTest, Declines) {
  EXPECT_EQ(bank_.Authorize(Debit("r1", "tok_nobody", 100)).code, Code::kDeclinedInvalidCard);
  EXPECT_EQ(bank_.Payout(Credit("r2", "tok_nobody", 100)).code, Code::kDeclinedInvalidCard);
  EXPECT_EQ(bank_.Authorize(Debit("r3", "tok_bob", 501)).code, Code::kDeclinedInsufficientFunds);
  EXPECT_EQ(bank_.Authorize(Debit("r4", "tok_alice", 5'000'001)).code, Code::kDeclinedLimit);
  EXPECT_EQ(bank_.Payout(Credit("r5", "tok_alice", 5'000'001)).code, Code::kDeclinedLimit);
  ASSERT_TRUE(bank_.SetBlocked("tok_bob", true));
  EXPECT_FALSE(bank_.SetBlocked("tok_nobody", true));
  EXPECT_EQ(bank_.Authorize(Debit("r6", "tok_bob", 1)).code, Code::kDeclinedCardBlocked);
  EXPECT_EQ(bank_.Payout(Credit("r7", "tok_bob", 1)).code, Code::kDeclinedCardBlocked);
  ASSERT_TRUE(bank_.SetBlocked("tok_bob", false));
  EXPECT_EQ(bank_.Authorize(Debit("r8", "tok_bob", 500)).code, Code::kApproved);
  EXPECT_EQ(bank_.Authorize(Debit("r9", "tok_bob", 1)).code, Code::kDeclinedInsufficientFunds);
}

TEST_F(SimulatedBankTest, MalformedRequestsAreInvalid) {
  EXPECT_EQ(bank_.Authorize(Debit("r1", "tok_alice", 0)).code, Code::kInvalidRequest);
  EXPECT_EQ(bank_.Authorize(Debit("r1", "tok_alice", -100)).code, Code::kInvalidRequest);
  EXPECT_EQ(bank_.Authorize(DebitRequest{"r1", "tok_alice", 100, "USD"}).code,
            Code::kInvalidRequest);
  EXPECT_EQ(bank_.Payout(Credit("", "tok_alice", 100)).code, Code::kInvalidRequest);
  EXPECT_EQ(bank_.Payout(Credit("r1", "6222021234567890123", 100)).code, Code::kInvalidRequest);
  EXPECT_FALSE(bank_.Status("r1").found);  // malformed requests are not recorded
}

TEST_F(SimulatedBankTest, StatusReportsOutcomeAndState) {
  EXPECT_FALSE(bank_.Status("r1").found);
  BankResult auth = bank_.Authorize(Debit("r1", "tok_alice", 700));
  TransactionStatus status = bank_.Status("r1");
  ASSERT_TRUE(status.found);
  EXPECT_EQ(status.kind, TransactionKind::kAuthorization);
  EXPECT_EQ(status.result.bank_reference, auth.bank_reference);
  EXPECT_EQ(status.state, AuthorizationState::kHeld);
  EXPECT_EQ(status.amount_fen, 700);
  ASSERT_TRUE(bank_.Capture(auth.bank_reference).approved());
  EXPECT_EQ(bank_.Status("r1").state, AuthorizationState::kCaptured);
  ASSERT_TRUE(bank_.Payout(Credit("p1", "tok_bob", 50)).approved());
  EXPECT_EQ(bank_.Status("p1").kind, TransactionKind::kPayout);
  EXPECT_EQ(bank_.Status("p1").state, AuthorizationState::kNone);
}

// Runs a fixed script of calls and records every result code.
std::vector<Code> RunScript(uint64_t seed, uint32_t failure_rate_ppm) {
  SimulatedBank bank(SimulatedBankOptions{.seed = seed, .failure_rate_ppm = failure_rate_ppm});
  bank.AddCard("tok_a", 1'000'000);
  int64_t total = bank.TotalMoneyFen();
  std::vector<Code> codes;
  for (int i = 0; i < 200; ++i) {
    std::string id = Id('r', i);
    BankResult auth = bank.Authorize(Debit(id, "tok_a", 100));
    codes.push_back(auth.code);
    if (auth.approved()) {
      codes.push_back(i % 2 == 0 ? bank.Capture(auth.bank_reference).code
                                 : bank.Void(auth.bank_reference).code);
    }
    codes.push_back(bank.Payout(Credit(Id('p', i), "tok_a", 10)).code);
  }
  EXPECT_EQ(bank.TotalMoneyFen(), total);
  return codes;
}

TEST(SimulatedBankFailureTest, SameSeedFailsTheSameWay) {
  std::vector<Code> first = RunScript(42, 200'000);
  EXPECT_EQ(RunScript(42, 200'000), first);
  EXPECT_NE(RunScript(43, 200'000), first);
  int timeouts = 0;
  int unavailable = 0;
  for (Code code : first) {
    timeouts += code == Code::kTimeout;
    unavailable += code == Code::kUnavailable;
  }
  EXPECT_GT(timeouts, 0);
  EXPECT_GT(unavailable, 0);
  for (Code code : RunScript(42, 0)) EXPECT_EQ(code, Code::kApproved);
}

TEST(SimulatedBankFailureTest, RetriesAfterTimeoutsNeverMoveMoneyTwice) {
  SimulatedBank bank(SimulatedBankOptions{.seed = 7, .failure_rate_ppm = 500'000});
  bank.AddCard("tok_a", 100'000);
  int64_t captured_fen = 0;
  for (int i = 0; i < 50; ++i) {
    DebitRequest request = Debit(Id('r', i), "tok_a", 100);
    BankResult auth;
    // The wallet's recovery loop: retry with the same id until there is a definite answer.
    for (int attempt = 0; attempt < 100 && !auth.approved(); ++attempt) {
      auth = bank.Authorize(request);
    }
    ASSERT_TRUE(auth.approved());
    BankResult capture;
    for (int attempt = 0; attempt < 100 && !capture.approved(); ++attempt) {
      capture = bank.Capture(auth.bank_reference);
    }
    ASSERT_TRUE(capture.approved());
    captured_fen += 100;
    EXPECT_EQ(bank.Status(request.request_id).state, AuthorizationState::kCaptured);
  }
  EXPECT_EQ(bank.settlement_fen(), captured_fen);
  EXPECT_EQ(bank.Card("tok_a")->balance_fen, 100'000 - captured_fen);
  EXPECT_EQ(bank.Card("tok_a")->held_fen, 0);
}

TEST(SimulatedBankFailureTest, LatencyIsApplied) {
  SimulatedBank bank(SimulatedBankOptions{.latency = std::chrono::milliseconds(20)});
  bank.AddCard("tok_a", 1'000);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(bank.Authorize(Debit("r1", "tok_a", 10)).approved());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
}

TEST(SimulatedBankConcurrencyTest, ParallelAuthorizationsNeverOverdraw) {
  SimulatedBank bank(SimulatedBankOptions{});
  constexpr int64_t kBalanceFen = 10'000;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  bank.AddCard("tok_hot", kBalanceFen);
  std::atomic<int64_t> approved_fen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = Id('t', t, i);
        BankResult auth = bank.Authorize(Debit(id, "tok_hot", 7));
        if (!auth.approved()) continue;
        approved_fen += 7;
        // Capture some, void others, so holds are released while others authorize.
        BankResult done =
            i % 3 == 0 ? bank.Void(auth.bank_reference) : bank.Capture(auth.bank_reference);
        EXPECT_TRUE(done.approved());
        if (i % 3 == 0) approved_fen -= 7;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::optional<SimulatedCard> card = bank.Card("tok_hot");
  ASSERT_TRUE(card.has_value());
  EXPECT_GE(card->balance_fen, 0);
  EXPECT_EQ(card->held_fen, 0);
  EXPECT_EQ(card->balance_fen, kBalanceFen - approved_fen.load());
  EXPECT_EQ(bank.settlement_fen(), approved_fen.load());
  EXPECT_EQ(bank.TotalMoneyFen(), kBalanceFen);
  EXPECT_LE(approved_fen.load(), kBalanceFen);
}

TEST(SimulatedBankConcurrencyTest, ParallelHoldsNeverExceedBalance) {
  SimulatedBank bank(SimulatedBankOptions{});
  bank.AddCard("tok_hot", 1'000);
  std::atomic<int> approved{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        std::string id = Id('t', t, i);
        if (bank.Authorize(Debit(id, "tok_hot", 3)).approved()) ++approved;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(approved.load(), 333);  // 1000 / 3: every hold that fits, and not one more
  EXPECT_EQ(bank.Card("tok_hot")->held_fen, 999);
}

CardBindingRequest Binding(std::string request_id, std::string pan, std::string holder = "张三") {
  return CardBindingRequest{std::move(request_id), std::move(pan), std::move(holder),
                            "11010519491231002X", "13800138000"};
}

constexpr char kPan[] = "6222020200112233446";
constexpr char kOtherPan[] = "6222080200112233443";

TEST(SimulatedBankBindingTest, BindingIssuesATokenAndOpensTheCard) {
  SimulatedBankOptions options;
  options.opening_balance_fen = 50'000;
  SimulatedBank bank(options);
  BankResult bound = bank.BindCard(Binding("b1", kPan));
  ASSERT_EQ(bound.code, BankResultCode::kApproved);
  const std::string& token = bound.bank_reference;
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(token.find(kPan), std::string::npos);
  // The token is usable for money at once, within the opening balance.
  std::optional<SimulatedCard> card = bank.Card(token);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->balance_fen, 50'000);
  EXPECT_EQ(bank.TotalMoneyFen(), 50'000);
  BankResult auth = bank.Authorize(Debit("a1", token, 20'000));
  ASSERT_TRUE(auth.approved());
  EXPECT_TRUE(bank.Capture(auth.bank_reference).approved());
  EXPECT_EQ(bank.Card(token)->balance_fen, 30'000);
  EXPECT_EQ(bank.TotalMoneyFen(), 50'000);
}

TEST(SimulatedBankBindingTest, BindingIsIdempotentAndOneCardHasOneToken) {
  SimulatedBank bank(SimulatedBankOptions{});
  BankResult first = bank.BindCard(Binding("b1", kPan));
  ASSERT_TRUE(first.approved());
  EXPECT_EQ(bank.BindCard(Binding("b1", kPan)).bank_reference, first.bank_reference);
  // Another request for the same card: the same token, no second card opened.
  EXPECT_EQ(bank.BindCard(Binding("b2", kPan)).bank_reference, first.bank_reference);
  EXPECT_EQ(bank.bound_card_count(), 1u);
  BankResult other = bank.BindCard(Binding("b3", kOtherPan));
  ASSERT_TRUE(other.approved());
  EXPECT_NE(other.bank_reference, first.bank_reference);
  EXPECT_EQ(bank.bound_card_count(), 2u);
  // The first request id with another card is refused, not rebound.
  EXPECT_EQ(bank.BindCard(Binding("b1", kOtherPan)).code, BankResultCode::kRequestIdReused);
  EXPECT_EQ(bank.TotalMoneyFen(), 2 * SimulatedBankOptions{}.opening_balance_fen);
}

TEST(SimulatedBankBindingTest, HolderMismatchIsDeclined) {
  SimulatedBank bank(SimulatedBankOptions{});
  BankResult declined = bank.BindCard(Binding("b1", kPan, "张不匹配"));
  EXPECT_EQ(declined.code, BankResultCode::kDeclinedInvalidCard);
  EXPECT_EQ(bank.bound_card_count(), 0u);
  // The decline is remembered for the request id, as any answer is.
  EXPECT_EQ(bank.BindCard(Binding("b1", kPan, "张不匹配")).code,
            BankResultCode::kDeclinedInvalidCard);
}

TEST(SimulatedBankBindingTest, BlockedCardCannotBeBoundAgain) {
  SimulatedBank bank(SimulatedBankOptions{});
  BankResult bound = bank.BindCard(Binding("b1", kPan));
  ASSERT_TRUE(bound.approved());
  ASSERT_TRUE(bank.SetBlocked(bound.bank_reference, true));
  EXPECT_EQ(bank.BindCard(Binding("b2", kPan)).code, BankResultCode::kDeclinedCardBlocked);
}

TEST(SimulatedBankBindingTest, MalformedBindingsAreInvalid) {
  SimulatedBank bank(SimulatedBankOptions{});
  EXPECT_EQ(bank.BindCard(Binding("", kPan)).code, BankResultCode::kInvalidRequest);
  EXPECT_EQ(bank.BindCard(Binding("b1", "1234")).code, BankResultCode::kInvalidRequest);
  EXPECT_EQ(bank.BindCard(Binding("b1", "62220202001122334x")).code,
            BankResultCode::kInvalidRequest);
  CardBindingRequest no_phone = Binding("b1", kPan);
  no_phone.phone.clear();
  EXPECT_EQ(bank.BindCard(no_phone).code, BankResultCode::kInvalidRequest);
  CardBindingRequest no_name = Binding("b1", kPan);
  no_name.holder_name.clear();
  EXPECT_EQ(bank.BindCard(no_name).code, BankResultCode::kInvalidRequest);
  EXPECT_EQ(bank.bound_card_count(), 0u);
}

TEST(SimulatedBankBindingTest, RetriesAfterTimeoutsGetOneToken) {
  SimulatedBankOptions options;
  options.failure_rate_ppm = 500'000;
  options.seed = 11;
  SimulatedBank bank(options);
  std::string token;
  for (int attempt = 0; attempt < 100 && token.empty(); ++attempt) {
    BankResult result = bank.BindCard(Binding("b1", kPan));
    if (result.approved()) token = result.bank_reference;
  }
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(bank.bound_card_count(), 1u);
  EXPECT_EQ(bank.TotalMoneyFen(), options.opening_balance_fen);
}

}  // namespace
}  // namespace qb::bank
