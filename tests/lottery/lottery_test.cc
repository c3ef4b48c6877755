// The lottery's pure logic: validation, the pick following the published chances, inventory and
// budget never exceeded, the daily limits, earning draws, and the byte form.
#include <gtest/gtest.h>

#include "lottery/lottery_book.h"

namespace qb::lottery {
namespace {

constexpr int64_t kStart = 1'795'000'000;  // 2026-11-18 19:06 China time
constexpr int64_t kDay = 86'400;

Config Wheel() {
  Config c;
  c.enabled = true;
  c.prizes = {{"¥8.88 红包", PrizeKind::kCash, 888, 5, 500},
              {"100 积分", PrizeKind::kPoints, 100, 1'000, 3'000}};
  c.payment_min_fen = 1'000;
  c.payment_draws_daily = 2;
  c.sign_in_draw = true;
  c.referral_draws = 3;
  c.daily_draw_limit = 3;
  c.budget_fen = 888 * 4;
  return c;
}

Draw Blank(uint64_t id, uint64_t customer, int64_t time_s) {
  Draw draw;
  draw.id = id;
  draw.customer_id = customer;
  draw.time_s = time_s;
  return draw;
}

uint64_t Seed(uint64_t i) {  // SplitMix64: well-spread test seeds
  uint64_t z = i * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

TEST(LotteryConfigTest, ValidationNamesTheField) {
  EXPECT_TRUE(Validate(Wheel()).ok());
  auto field = [](auto change) {
    Config c = Wheel();
    change(c);
    return Validate(c).field;
  };
  EXPECT_EQ(field([](Config& c) { c.prizes[1].chance_bps = 9'600; }), "prizes");  // > 100 %
  EXPECT_EQ(field([](Config& c) { c.prizes[1].name = c.prizes[0].name; }), "prizes[1].name");
  EXPECT_EQ(field([](Config& c) { c.prizes[0].inventory = 0; }), "prizes[0].inventory");
  EXPECT_EQ(field([](Config& c) { c.prizes[0].amount = kMaxCashPrizeFen + 1; }),
            "prizes[0].amount");
  EXPECT_EQ(field([](Config& c) { c.payment_draws_daily = 0; }), "payment_draws_daily");
  EXPECT_EQ(field([](Config& c) { c.daily_draw_limit = 0; }), "daily_draw_limit");
  EXPECT_EQ(field([](Config& c) { c.end_s = c.start_s; }), "window");
  EXPECT_EQ(Validate(Wheel()).code, "");
}

TEST(LotteryConfigTest, PicksFollowThePublishedChances) {
  const Config c = Wheel();
  int counts[3] = {0, 0, 0};
  constexpr int kDraws = 200'000;
  for (int i = 0; i < kDraws; ++i) ++counts[PickPrize(c, Seed(static_cast<uint64_t>(i))) + 1];
  // 5 %, 30 % and the remaining 65 % "thanks", each within half a percentage point.
  EXPECT_NEAR(counts[1], kDraws * 0.05, kDraws * 0.005);
  EXPECT_NEAR(counts[2], kDraws * 0.30, kDraws * 0.005);
  EXPECT_NEAR(counts[0], kDraws * 0.65, kDraws * 0.005);
  // The boundaries: number 0..499 is the first prize, 500..3499 the second.
  EXPECT_EQ(PickPrize(c, 499), 0);
  EXPECT_EQ(PickPrize(c, 500), 1);
  EXPECT_EQ(PickPrize(c, 3'499), 1);
  EXPECT_EQ(PickPrize(c, 3'500), -1);
  EXPECT_EQ(PickPrize(c, 10'000), 0);  // taken mod 10000
}

TEST(LotteryBookTest, InventoryAndBudgetAreNeverExceeded) {
  LotteryBook book;
  ASSERT_TRUE(book.SetConfig(Wheel(), kStart).ok());
  int64_t won_cash = 0;
  int64_t won_points = 0;
  int64_t now = kStart;
  for (uint64_t i = 0; i < 3'000; ++i) {
    const uint64_t customer = 1 + i % 50;
    ASSERT_TRUE(book.SignIn(customer, now).ok() ||
                book.SignIn(customer, now).code == "LOTTERY_SIGNED_IN");
    if (!book.CanDraw(customer, now).ok()) {
      now += kDay;  // a new day: new sign-ins and daily counts
      continue;
    }
    Draw draw = Blank(i + 1, customer, now);
    draw.prize = book.Pick(Seed(i));
    if (draw.won()) {
      const Prize& p = book.config().prizes[static_cast<size_t>(draw.prize)];
      draw.prize_name = p.name;
      draw.kind = p.kind;
      draw.amount = p.amount;
      (p.kind == PrizeKind::kCash ? won_cash : won_points) += p.amount;
    }
    book.Record(draw);
    ASSERT_GE(book.Remaining(0), 0);
    ASSERT_GE(book.Remaining(1), 0);
  }
  // Five ¥8.88 in stock, but a budget of four: the budget binds.
  EXPECT_EQ(won_cash, 888 * 4);
  EXPECT_EQ(book.spent_fen(), 888 * 4);
  EXPECT_EQ(book.Remaining(0), 1);
  EXPECT_LE(won_points, 100 * 1'000);
  EXPECT_GT(won_points, 0);
}

TEST(LotteryBookTest, ChancesAreEarnedAndUsedWithinTheDailyLimits) {
  LotteryBook book;
  EXPECT_EQ(book.SignIn(7, kStart).code, "LOTTERY_OFF");
  ASSERT_TRUE(book.SetConfig(Wheel(), kStart).ok());
  EXPECT_EQ(book.CanDraw(7, kStart).code, "LOTTERY_NO_DRAWS");
  EXPECT_TRUE(book.SignIn(7, kStart).ok());
  EXPECT_EQ(book.SignIn(7, kStart + 60).code, "LOTTERY_SIGNED_IN");
  EXPECT_FALSE(book.EarnByPayment(7, 999, kStart));  // below the minimum
  EXPECT_TRUE(book.EarnByPayment(7, 1'000, kStart));
  EXPECT_TRUE(book.EarnByPayment(7, 5'000, kStart));
  EXPECT_FALSE(book.EarnByPayment(7, 5'000, kStart));  // two a day from payments
  book.EarnByReferral(7, kStart);
  EXPECT_EQ(book.ChancesOf(7, kStart).available(), 6);
  for (uint64_t id = 1; id <= 3; ++id) {
    ASSERT_TRUE(book.CanDraw(7, kStart).ok());
    book.Record(Blank(id, 7, kStart));
  }
  EXPECT_EQ(book.CanDraw(7, kStart).code, "LOTTERY_DAILY_LIMIT");
  // The next China day: the limit and the sign-in are fresh, the chances left carry over.
  const Chances tomorrow = book.ChancesOf(7, kStart + kDay);
  EXPECT_EQ(tomorrow.available(), 3);
  EXPECT_EQ(tomorrow.used_today, 0);
  EXPECT_FALSE(tomorrow.signed_in_today);
  EXPECT_TRUE(book.CanDraw(7, kStart + kDay).ok());
  EXPECT_TRUE(book.EarnByPayment(7, 1'000, kStart + kDay));
  // Switched off: nothing earned, nothing drawn.
  Config off = Wheel();
  off.enabled = false;
  ASSERT_TRUE(book.SetConfig(off, kStart + kDay).ok());
  EXPECT_EQ(book.CanDraw(7, kStart + kDay).code, "LOTTERY_OFF");
  EXPECT_FALSE(book.EarnByPayment(7, 1'000, kStart + kDay));
}

TEST(LotteryBookTest, TheByteFormRoundTripsAndRefusesDamage) {
  LotteryBook book;
  ASSERT_TRUE(book.SetConfig(Wheel(), kStart).ok());
  ASSERT_TRUE(book.SignIn(3, kStart).ok());
  book.EarnByPayment(4, 2'000, kStart);
  Draw won = Blank(9, 3, kStart);
  won.prize = 1;
  won.prize_name = "100 积分";
  won.amount = 100;
  book.Record(won);
  book.Record(Blank(10, 4, kStart));
  std::string bytes;
  book.Serialize(&bytes);
  LotteryBook copy;
  ASSERT_TRUE(copy.Deserialize(bytes));
  std::string again;
  copy.Serialize(&again);
  EXPECT_EQ(again, bytes);
  EXPECT_EQ(copy.Remaining(1), 999);
  EXPECT_EQ(copy.DrawsOf(3, 10).size(), 1u);
  EXPECT_EQ(copy.FindDraw(10)->won(), false);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(copy.Deserialize(bytes.substr(0, cut))) << cut;
  }
  EXPECT_FALSE(copy.Deserialize(bytes + "x"));
}

}  // namespace
}  // namespace qb::lottery
