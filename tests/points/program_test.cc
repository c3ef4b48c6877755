// The points programme's arithmetic: earning with multipliers, what points buy and what they
// cost, validation, and the byte form commands carry.
#include "points/program.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace qb::points {
namespace {

// 2026-11-23 00:00 China time is a Monday: 2026-11-22T16:00:00Z.
constexpr int64_t kMondayS = 1'795'363'200;
constexpr int64_t kDay = 86'400;

// A rule with `name` and `multiplier` that matches every payment; tests narrow it.
MultiplierRule Rule(std::string name, int32_t multiplier = kMinMultiplier) {
  MultiplierRule rule;
  rule.name = std::move(name);
  rule.multiplier = multiplier;
  return rule;
}

Program Standard() {
  Program program;
  program.enabled = true;
  program.earn_per_yuan = 1;
  program.redeem_points_per_yuan = 100;
  program.redeem_max_bps = 5'000;
  return program;
}

TEST(PointsProgramTest, WeekdaysFollowTheChinaCalendar) {
  EXPECT_EQ(ChinaWeekday(kMondayS), 0);
  EXPECT_EQ(ChinaWeekday(kMondayS - 1), 6);  // Sunday 23:59:59 in China.
  EXPECT_EQ(ChinaWeekday(kMondayS + 5 * kDay), 5);
  EXPECT_EQ(ChinaWeekday(0), 3);  // 1970-01-01 08:00 China time, a Thursday.
}

TEST(PointsProgramTest, EarningCountsWholeYuanTimesTheBestMatchingMultiplier) {
  Program program = Standard();
  const PaymentFacts plain{.merchant_category = 5812, .time_s = kMondayS, .segment_bits = 0};
  EXPECT_EQ(PointsEarned(program, 12'399, plain), 123);
  EXPECT_EQ(PointsEarned(program, 99, plain), 0);
  EXPECT_EQ(PointsEarned(program, 0, plain), 0);
  program.earn_per_yuan = 3;
  EXPECT_EQ(PointsEarned(program, 1'000, plain), 30);

  program.earn_per_yuan = 1;
  program.multipliers = {Rule("dining", 2), Rule("weekend", 4), Rule("tier i", 3),
                         Rule("november", 10)};
  program.multipliers[0].categories = {5812, 5814};
  program.multipliers[1].weekday_mask = 0b110'0000;
  program.multipliers[2].segment_mask = 1u << 2;
  program.multipliers[3].window_start_s = kMondayS + 7 * kDay;
  program.multipliers[3].window_end_s = kMondayS + 8 * kDay;
  EXPECT_EQ(BestMultiplier(program, plain), 2);
  EXPECT_EQ(BestMultiplier(program, {.merchant_category = 5411, .time_s = kMondayS}), 1);
  // Saturday: weekend ×4 beats dining ×2; they do not multiply together.
  EXPECT_EQ(BestMultiplier(program, {.merchant_category = 5812, .time_s = kMondayS + 5 * kDay}), 4);
  EXPECT_EQ(BestMultiplier(program, {.merchant_category = 5411,
                                     .time_s = kMondayS,
                                     .segment_bits = (1u << 2) | (1u << 8)}),
            3);
  // The window is [start, end): the second before it is Sunday's, so the weekend's ×4.
  EXPECT_EQ(BestMultiplier(program, {.time_s = kMondayS + 7 * kDay - 1}), 4);
  EXPECT_EQ(BestMultiplier(program, {.time_s = kMondayS + 7 * kDay}), 10);
  EXPECT_EQ(BestMultiplier(program, {.time_s = kMondayS + 8 * kDay}), 1);
  EXPECT_EQ(PointsEarned(program, 5'000, plain), 100);
  // Off: nothing is earned, whatever the rules.
  program.enabled = false;
  EXPECT_EQ(PointsEarned(program, 5'000, plain), 0);
  // The largest payment and rates stay far inside int64.
  program = Standard();
  program.earn_per_yuan = kMaxEarnPerYuan;
  program.multipliers = {Rule("max", kMaxMultiplier)};
  EXPECT_EQ(PointsEarned(program, kMaxPaymentFen, plain),
            kMaxPaymentFen / 100 * kMaxEarnPerYuan * kMaxMultiplier);
}

TEST(PointsProgramTest, RedemptionBuysWholeFenWithinTheShareAndChargesTheFewestPoints) {
  Program program = Standard();
  EXPECT_EQ(MaxDiscountFen(program, 1'000), 500);
  EXPECT_EQ(MaxDiscountFen(program, 1), 0);  // The customer always pays at least 1 fen.
  Redemption r = Redeem(program, 300, 1'000);
  EXPECT_EQ(r.points, 300);
  EXPECT_EQ(r.discount_fen, 300);
  r = Redeem(program, 10'000, 1'000);  // Capped at half: 500 points.
  EXPECT_EQ(r.points, 500);
  EXPECT_EQ(r.discount_fen, 500);
  program.redeem_max_bps = 10'000;  // All of it but the last fen.
  EXPECT_EQ(Redeem(program, 10'000, 1'000).discount_fen, 999);
  EXPECT_EQ(Redeem(program, 10'000, 1'000).points, 999);
  // 150 points a yuan: 350 points are worth 233 fen (233.33) and cost 350 (349.5 up).
  program = Standard();
  program.redeem_points_per_yuan = 150;
  r = Redeem(program, 350, 1'000);
  EXPECT_EQ(r.discount_fen, 233);
  EXPECT_EQ(r.points, 350);
  // 1 point is worth less than a fen: nothing is taken.
  r = Redeem(program, 1, 1'000);
  EXPECT_EQ(r.discount_fen, 0);
  EXPECT_EQ(r.points, 0);
  // 1 point a yuan: each point is ¥1.
  program.redeem_points_per_yuan = 1;
  r = Redeem(program, 3, 1'000);
  EXPECT_EQ(r.discount_fen, 300);
  EXPECT_EQ(r.points, 3);
  // Huge point counts do not overflow.
  EXPECT_EQ(Redeem(program, INT64_MAX, kMaxPaymentFen).discount_fen, kMaxPaymentFen / 2);
  // Off, or redemption off.
  program.redeem_points_per_yuan = 0;
  EXPECT_EQ(Redeem(program, 300, 1'000).discount_fen, 0);
  program = Standard();
  program.enabled = false;
  EXPECT_EQ(Redeem(program, 300, 1'000).points, 0);
  EXPECT_EQ(Redeem(Standard(), -5, 1'000).points, 0);
}

TEST(PointsProgramTest, ValidationNamesTheFirstBadField) {
  EXPECT_TRUE(Validate(Standard()).ok());
  auto field = [](Program p) { return Validate(p).field; };
  Program p = Standard();
  p.earn_per_yuan = 101;
  EXPECT_EQ(field(p), "earn_per_yuan");
  p = Standard();
  p.redeem_points_per_yuan = -1;
  EXPECT_EQ(field(p), "redeem_points_per_yuan");
  p = Standard();
  p.redeem_max_bps = 10'001;
  EXPECT_EQ(field(p), "redeem_max_bps");
  p = Standard();
  p.multipliers.resize(kMaxMultiplierRules + 1, Rule("x"));
  EXPECT_EQ(field(p), "multipliers");
  p = Standard();
  p.multipliers = {Rule("ok"), Rule("")};
  EXPECT_EQ(field(p), "multipliers[1].name");
  p.multipliers = {Rule("x", 1)};
  EXPECT_EQ(field(p), "multipliers[0].multiplier");
  p.multipliers = {Rule("x")};
  p.multipliers[0].categories = {5, 3};
  EXPECT_EQ(field(p), "multipliers[0].categories");
  Normalize(&p);
  EXPECT_TRUE(Validate(p).ok());
  p.multipliers = {Rule("x")};
  p.multipliers[0].weekday_mask = 0;
  EXPECT_EQ(field(p), "multipliers[0].weekday_mask");
  p.multipliers[0].weekday_mask = 0x80;
  EXPECT_EQ(field(p), "multipliers[0].weekday_mask");
  p.multipliers = {Rule("x")};
  p.multipliers[0].window_start_s = 10;
  p.multipliers[0].window_end_s = 10;
  EXPECT_EQ(field(p), "multipliers[0].window");
  EXPECT_EQ(Validate(p).code, "POINTS_INVALID_PROGRAM");
}

TEST(PointsProgramTest, TheByteFormRoundTripsAndRefusesBadFraming) {
  Program p = Standard();
  p.multipliers = {Rule("周末双倍")};
  MultiplierRule& rule = p.multipliers[0];
  rule.categories = {5411, 5812};
  rule.weekday_mask = 0b110'0000;
  rule.segment_mask = 1u << 13;
  rule.window_start_s = kMondayS;
  rule.window_end_s = kMondayS + kDay;
  std::string bytes;
  ByteWriter writer(&bytes);
  EncodeProgram(p, &writer);
  ByteReader reader(bytes);
  Program back;
  ASSERT_TRUE(DecodeProgram(&reader, &back));
  EXPECT_EQ(reader.remaining(), 0u);
  EXPECT_EQ(back, p);
  // Every truncation fails.
  for (size_t n = 0; n < bytes.size(); n++) {
    ByteReader cut(std::string_view(bytes).substr(0, n));
    Program ignored;
    EXPECT_FALSE(DecodeProgram(&cut, &ignored)) << n;
  }
  // A flag other than 0 or 1.
  std::string flag = bytes;
  flag[0] = 2;
  ByteReader bad(flag);
  EXPECT_FALSE(DecodeProgram(&bad, &back));
}

}  // namespace
}  // namespace qb::points
