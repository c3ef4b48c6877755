// The lottery through the engine (commands 70 to 72): the cash budget funded from marketing
// expense, draws earned by sign-in, payments and referrals, prizes paid as ledger transfers
// within inventory and budget, the daily limit, a retried draw answered once, and the same
// draws after a restart (the nonce is in the journal).
#include <gtest/gtest.h>

#include "engine/state_machine_internal.h"
#include "marketing_fixture.h"
#include "referral/invite_code.h"

namespace qb::engine::testing {
namespace {

class LotteryTest : public MarketingTest {
 protected:
  // Every draw wins: half ¥1 cash (20 in stock), half 50 points; a payment of ¥10 earns one draw
  // a day; sign-in earns one; three draws a day; ¥10 of cash prizes.
  static lottery::Config Wheel() {
    lottery::Config c;
    c.enabled = true;
    c.prizes = {{"¥1 红包", lottery::PrizeKind::kCash, 100, 20, 5'000},
                {"50 积分", lottery::PrizeKind::kPoints, 50, 1'000, 5'000}};
    c.payment_min_fen = 10 * kYuan;
    c.payment_draws_daily = 1;
    c.sign_in_draw = true;
    c.daily_draw_limit = 3;
    c.budget_fen = 10 * kYuan;
    return c;
  }
  uint8_t Set(const lottery::Config& config) { return Marketing(SetLottery{staff_, config}); }
  uint8_t SignIn(uint64_t customer) { return Marketing(LotterySignIn{customer}); }
  uint8_t DrawWithNonce(uint64_t customer, uint64_t draw_id, const std::string& nonce) {
    return Marketing(DrawLottery{customer, draw_id, nonce});
  }
  lottery::Draw DrawOf(uint64_t id) {
    lottery::Draw copy;
    Query([&](const StateMachine& s) {
      if (const lottery::Draw* d = s.lottery().FindDraw(id)) copy = *d;
    });
    return copy;
  }
  lottery::Chances ChancesOf(uint64_t customer) {
    lottery::Chances copy;
    Query([&](const StateMachine& s) {
      copy = s.lottery().ChancesOf(customer, clock_.NowNs() / kSecond);
    });
    return copy;
  }
  int64_t Points(uint64_t customer) {
    int64_t balance = 0;
    Query([&](const StateMachine& s) { balance = s.PointsBalance(customer); });
    return balance;
  }
  int64_t BudgetLeft() { return FindAccount(kLotteryBudgetAccountId)->CreditBalance(); }
  static std::string Nonce(uint64_t i) {
    std::string nonce(kLotteryNonceBytes, '\0');
    for (size_t b = 0; b < 8; ++b) nonce[b] = static_cast<char>(i >> (8 * b));
    return nonce;
  }
};

TEST_F(LotteryTest, TheConfigurationFundsItsBudgetAndIsValidated) {
  lottery::Config bad = Wheel();
  bad.prizes[1].chance_bps = 5'001;
  EXPECT_EQ(Set(bad), Code(MarketingResult::kInvalid));
  EXPECT_EQ(last_text_, "LOTTERY_INVALID:prizes");
  EXPECT_EQ(Marketing(SetLottery{staff_ + 9, Wheel()}), Code(MarketingResult::kStaffNotFound));
  Query([&](const StateMachine& s) { EXPECT_FALSE(s.lottery().on()); });
  ASSERT_EQ(Set(Wheel()), Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  EXPECT_EQ(BudgetLeft(), 10 * kYuan);
  EXPECT_EQ(Expense(), -10 * kYuan);
  lottery::Config less = Wheel();
  less.budget_fen = 4 * kYuan;
  ASSERT_EQ(Set(less), Code(MarketingResult::kOk));
  EXPECT_EQ(BudgetLeft(), 4 * kYuan);
  EXPECT_EQ(Expense(), -4 * kYuan);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(LotteryTest, DrawsAreEarnedUsedAndPaidAndReplayTheSame) {
  ASSERT_EQ(Set(Wheel()), Code(MarketingResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 100 * kYuan);
  EXPECT_EQ(DrawWithNonce(alice, 1, Nonce(1)), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "LOTTERY_NO_DRAWS");
  ASSERT_EQ(SignIn(alice), Code(MarketingResult::kOk));
  EXPECT_EQ(SignIn(alice), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "LOTTERY_SIGNED_IN");
  // ¥9.99 earns nothing; ¥10 earns one; a second ¥10 the same day does not.
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 999)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(2, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(3, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(ChancesOf(alice).available(), 2);

  const int64_t balance = Balance(alice);
  ASSERT_EQ(DrawWithNonce(alice, 11, Nonce(11)), Code(MarketingResult::kOk));
  ASSERT_EQ(DrawWithNonce(alice, 12, Nonce(12)), Code(MarketingResult::kOk));
  const lottery::Draw first = DrawOf(11);
  const lottery::Draw second = DrawOf(12);
  ASSERT_TRUE(first.won() && second.won());  // every number falls on a prize
  int64_t cash = 0;
  int64_t points = 0;
  for (const lottery::Draw& d : {first, second}) {
    (d.kind == lottery::PrizeKind::kCash ? cash : points) += d.amount;
    Query([&](const StateMachine& s) {
      const ledger::Transfer* t =
          s.ledger().FindTransfer(internal::DerivedId(d.id, "lottery-prize"));
      ASSERT_NE(t, nullptr);
      EXPECT_EQ(t->code, d.kind == lottery::PrizeKind::kCash
                             ? ledger::transfer_codes::kLotteryCash
                             : ledger::transfer_codes::kLotteryPoints);
    });
  }
  EXPECT_EQ(Balance(alice), balance + cash);
  EXPECT_EQ(Points(alice), points);
  EXPECT_EQ(BudgetLeft(), 10 * kYuan - cash);
  // No chances left; a retried draw id answers the first draw and moves nothing.
  EXPECT_EQ(DrawWithNonce(alice, 13, Nonce(13)), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "LOTTERY_NO_DRAWS");
  EXPECT_EQ(DrawWithNonce(alice, 11, Nonce(99)), Code(MarketingResult::kDuplicate));
  EXPECT_EQ(Balance(alice), balance + cash);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
  EXPECT_EQ(DrawOf(11), first);
  EXPECT_EQ(DrawOf(12), second);
}

TEST_F(LotteryTest, InventoryBudgetAndTheDailyLimitHoldOverManyDraws) {
  lottery::Config c = Wheel();
  c.prizes[0].inventory = 5;
  c.budget_fen = 3 * kYuan;  // only three of the five ¥1 prizes can be paid
  c.daily_draw_limit = 2;
  ASSERT_EQ(Set(c), Code(MarketingResult::kOk));
  std::vector<uint64_t> customers;
  for (int i = 0; i < 6; ++i) customers.push_back(SignUp("1380013800" + std::to_string(i)));
  uint64_t next_draw = 1;
  int refused_daily = 0;
  for (int day = 0; day < 5; ++day) {
    for (uint64_t customer : customers) {
      ASSERT_EQ(SignIn(customer), Code(MarketingResult::kOk));
      ASSERT_EQ(SignIn(customer), Code(MarketingResult::kRefused));
      // Extra chances to test the limit: sign-in gives one, the earlier days' are left over.
      for (int k = 0; k < 3; ++k) {
        const uint8_t r = DrawWithNonce(customer, next_draw, Nonce(next_draw));
        ++next_draw;
        if (r == Code(MarketingResult::kRefused)) {
          if (last_text_ == "LOTTERY_DAILY_LIMIT") ++refused_daily;
          continue;
        }
        ASSERT_EQ(r, Code(MarketingResult::kOk));
      }
    }
    clock_.Advance(kDaySeconds * kSecond);
  }
  int64_t cash_prizes = 0;
  int64_t draws = 0;
  Query([&](const StateMachine& s) {
    for (uint64_t customer : customers) {
      for (const lottery::Draw* d : s.lottery().DrawsOf(customer, 100)) {
        ++draws;
        if (d->won() && d->kind == lottery::PrizeKind::kCash) ++cash_prizes;
      }
    }
    EXPECT_EQ(s.lottery().spent_fen(), cash_prizes * 100);
  });
  EXPECT_EQ(draws, 30);  // one chance a day each: six customers, five days
  EXPECT_EQ(cash_prizes, 3);
  EXPECT_EQ(BudgetLeft(), 0);
  EXPECT_EQ(refused_daily, 0);  // one chance a day: "no draws" comes before the limit
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(LotteryTest, TheDailyLimitStopsACustomerWithManyChances) {
  lottery::Config c = Wheel();
  c.referral_draws = 5;
  c.daily_draw_limit = 2;
  ASSERT_EQ(Set(c), Code(MarketingResult::kOk));
  // Referral draws: Alice invites Bob, who qualifies.
  referral::Program program;
  program.enabled = true;
  program.min_payment_fen = kYuan;
  program.invitee = {referral::RewardKind::kPoints, 10};
  program.invitee_verified = false;
  ASSERT_EQ(Marketing(SetReferralProgram{staff_, program}), Code(PaymentResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = SignUp("13800138001");
  EXPECT_EQ(Result(IssueOtp{"13800138002", identity::OtpPurpose::kRegister, "h13800138002"}), 0);
  ASSERT_EQ(Result(RegisterCustomer{
                {"13800138002", "h13800138002", "argon2", "organic", referral::InviteCode(alice)},
                std::string(64, 'b'),
                ""}),
            0);
  const uint64_t bob = last_value_;
  Fund(bob, 50 * kYuan);
  ASSERT_EQ(Result(ScanPay(1, bob, shop, 2 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(ChancesOf(alice).available(), 5);
  ASSERT_EQ(DrawWithNonce(alice, 1, Nonce(1)), Code(MarketingResult::kOk));
  ASSERT_EQ(DrawWithNonce(alice, 2, Nonce(2)), Code(MarketingResult::kOk));
  EXPECT_EQ(DrawWithNonce(alice, 3, Nonce(3)), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "LOTTERY_DAILY_LIMIT");
  clock_.Advance(kDaySeconds * kSecond);
  EXPECT_EQ(DrawWithNonce(alice, 3, Nonce(3)), Code(MarketingResult::kOk));
  EXPECT_EQ(ChancesOf(alice).available(), 2);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

}  // namespace
}  // namespace qb::engine::testing
