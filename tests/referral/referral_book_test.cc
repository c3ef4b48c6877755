// The referral book: programme validation, the China month, what a qualifying payment gives
// (monthly cap, budget, a closed inviter), clawback, and the byte form.
#include "referral/referral_book.h"

#include <gtest/gtest.h>

namespace qb::referral {
namespace {

constexpr int64_t kDay = 86'400;
constexpr int64_t kStart = 1'795'000'000;  // 2026-11-18 19:06, China time

Program Terms() {
  Program p;
  p.enabled = true;
  p.qualify_days = 30;
  p.min_payment_fen = 1'000;
  p.inviter = {RewardKind::kCash, 1'000};
  p.invitee = {RewardKind::kPoints, 500};
  p.inviter_monthly_cap = 2;
  p.budget_fen = 2'500;
  return p;
}

TEST(ReferralProgramTest, ValidationNamesTheField) {
  EXPECT_TRUE(Validate(Terms()).ok());
  auto field = [](auto change) {
    Program p = Terms();
    change(p);
    return Validate(p).field;
  };
  EXPECT_EQ(field([](Program& p) { p.qualify_days = 0; }), "qualify_days");
  EXPECT_EQ(field([](Program& p) { p.min_payment_fen = 0; }), "min_payment_fen");
  EXPECT_EQ(field([](Program& p) { p.inviter = {RewardKind::kNone, 5}; }), "inviter.amount");
  EXPECT_EQ(field([](Program& p) {
              p.invitee = {RewardKind::kCash, kMaxCashRewardFen + 1};
            }),
            "invitee.amount");
  EXPECT_EQ(field([](Program& p) { p.inviter = {static_cast<RewardKind>(9), 1}; }), "inviter.kind");
  EXPECT_EQ(field([](Program& p) { p.inviter_monthly_cap = 0; }), "inviter_monthly_cap");
  EXPECT_EQ(field([](Program& p) { p.budget_fen = -1; }), "budget_fen");
  EXPECT_EQ(Validate(Program{}).code, "");  // the defaults are valid (off)
}

TEST(ReferralProgramTest, ChinaMonthTurnsAtChinaMidnight) {
  // 2026-11-30 16:00 UTC is 2026-12-01 00:00 in China.
  const int64_t december = 1'796'054'400;
  EXPECT_EQ(ChinaMonth(december - 1), 2026 * 12 + 10);
  EXPECT_EQ(ChinaMonth(december), 2026 * 12 + 11);
  EXPECT_EQ(ChinaMonth(0), 1970 * 12);
  EXPECT_EQ(ChinaMonth(951'782'400), 2000 * 12 + 1);  // 2000-02-29 08:00 China: February
}

TEST(ReferralBookTest, AQualifyingPaymentGivesWithinTheCapAndTheBudget) {
  ReferralBook book;
  EXPECT_FALSE(book.on());
  ASSERT_TRUE(book.SetProgram(Terms(), kStart).ok());
  for (uint64_t invitee = 2; invitee <= 5; ++invitee) book.Add(invitee, 1, kStart, Reason::kNone);
  EXPECT_TRUE(book.on());
  EXPECT_FALSE(book.Qualifies(2, 999, kStart + 10));           // below the minimum
  EXPECT_FALSE(book.Qualifies(2, 1'000, kStart + 30 * kDay));  // at the deadline
  ASSERT_TRUE(book.Qualifies(2, 1'000, kStart + 10));

  Grant first = book.Evaluate(2, kStart + 10, true);
  EXPECT_EQ(first.inviter, (Reward{RewardKind::kCash, 1'000}));
  EXPECT_EQ(first.invitee, (Reward{RewardKind::kPoints, 500}));
  book.Reward(2, 100, kStart + 10, first);
  EXPECT_FALSE(book.Qualifies(2, 1'000, kStart + 20));  // once
  book.Reward(3, 101, kStart + 20, book.Evaluate(3, kStart + 20, true));
  EXPECT_EQ(book.RewardedInMonth(1, ChinaMonth(kStart)), 2);
  // Cap reached: the invitee still gets theirs, the inviter nothing.
  Grant capped = book.Evaluate(4, kStart + 30, true);
  EXPECT_TRUE(capped.inviter_capped);
  EXPECT_EQ(capped.inviter.kind, RewardKind::kNone);
  EXPECT_EQ(capped.invitee.points(), 500);
  // A closed inviter gets nothing and the cap is not consulted.
  Grant closed = book.Evaluate(4, kStart + 30, false);
  EXPECT_EQ(closed.reason, Reason::kInviterClosed);
  EXPECT_FALSE(closed.inviter_capped);
  EXPECT_EQ(book.spent_fen(), 2'000);
  // Next month the cap is fresh; ¥5 is left, the ¥10 reward does not fit: nothing at all.
  Grant broke = book.Evaluate(5, kStart + 14 * kDay, true);
  EXPECT_EQ(broke.reason, Reason::kBudget);
  EXPECT_EQ(broke.invitee.kind, RewardKind::kNone);
  // A budget below what was spent is refused.
  Program less = Terms();
  less.budget_fen = 1'999;
  EXPECT_EQ(book.SetProgram(less, kStart).field, "budget_fen");

  book.ClawBack(2, 400, 500);
  EXPECT_EQ(book.Find(2)->status, Status::kClawedBack);
  EXPECT_EQ(book.spent_fen(), 1'600);
  EXPECT_EQ(book.FindByPayment(100)->invitee_id, 2u);
  const Figures f = book.FiguresAt(kStart + 40);
  EXPECT_EQ(f.invited, 4);
  EXPECT_EQ(f.rewarded, 1);
  EXPECT_EQ(f.clawed_back, 1);
  EXPECT_EQ(f.pending, 2);
  EXPECT_EQ(f.inviter_cash_fen, 1'600);
  EXPECT_EQ(f.invitee_points, 1'000);
  EXPECT_EQ(StatusName(*book.Find(4), kStart + 31 * kDay), "expired");
}

TEST(ReferralBookTest, TheByteFormRoundTripsAndRefusesDamage) {
  ReferralBook book;
  ASSERT_TRUE(book.SetProgram(Terms(), kStart).ok());
  book.Add(2, 1, kStart, Reason::kNone);
  book.Add(3, 1, kStart, Reason::kSameDevice);
  book.Add(4, 2, kStart, Reason::kNone);
  book.Reward(2, 100, kStart + 5, book.Evaluate(2, kStart + 5, true));
  book.Refuse(4, 101, kStart + 6, Reason::kRisk);
  std::string bytes;
  book.Serialize(&bytes);
  ReferralBook copy;
  ASSERT_TRUE(copy.Deserialize(bytes));
  std::string again;
  copy.Serialize(&again);
  EXPECT_EQ(again, bytes);
  EXPECT_EQ(copy.RewardedInMonth(1, ChinaMonth(kStart)), 1);
  EXPECT_EQ(copy.FindByPayment(101)->invitee_id, 4u);
  EXPECT_EQ(copy.InvitedBy(1).size(), 2u);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(copy.Deserialize(bytes.substr(0, cut))) << cut;
  }
  std::string trailing = bytes + "x";
  EXPECT_FALSE(copy.Deserialize(trailing));
}

}  // namespace
}  // namespace qb::referral
