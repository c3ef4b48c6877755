// Red packets' pure logic: validation, the split's bounds and sum for random amounts and share
// counts, earning packets, the budget reserved and returned, claims once per customer, the
// daily claim limit, expiry, and the byte form.
#include <gtest/gtest.h>

#include <algorithm>

#include "redpacket/redpacket_book.h"

namespace qb::redpacket {
namespace {

constexpr int64_t kStart = 1'795'000'000;  // 2026-11-18 19:06 China time
constexpr int64_t kHour = 3'600;
constexpr int64_t kDay = 86'400;

Config Programme() {
  Config c;
  c.enabled = true;
  c.payment_min_fen = 2'000;
  c.packets_daily = 1;
  c.packet_fen = 1'000;
  c.shares = 5;
  c.valid_hours = 24;
  c.claims_daily = 2;
  c.budget_fen = 2'500;
  return c;
}

uint64_t Seed(uint64_t i) {  // SplitMix64: well-spread test seeds
  uint64_t z = i * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

TEST(RedPacketConfigTest, ValidationNamesTheField) {
  EXPECT_TRUE(Validate(Programme()).ok());
  auto field = [](auto change) {
    Config c = Programme();
    change(c);
    return Validate(c).field;
  };
  EXPECT_EQ(field([](Config& c) { c.shares = 1; }), "shares");
  EXPECT_EQ(field([](Config& c) { c.shares = kMaxShares + 1; }), "shares");
  EXPECT_EQ(field([](Config& c) { c.packet_fen = 4; }), "packet_fen");  // < 1 fen a share
  EXPECT_EQ(field([](Config& c) { c.packet_fen = kMaxPacketFen + 1; }), "packet_fen");
  EXPECT_EQ(field([](Config& c) { c.payment_min_fen = 0; }), "payment_min_fen");
  EXPECT_EQ(field([](Config& c) { c.valid_hours = 73; }), "valid_hours");
  EXPECT_EQ(field([](Config& c) { c.claims_daily = 0; }), "claims_daily");
  EXPECT_EQ(field([](Config& c) { c.budget_fen = -1; }), "budget_fen");
  EXPECT_EQ(field([](Config& c) { c.end_s = c.start_s; }), "window");
  EXPECT_EQ(Validate(Programme()).code, "");
  Config bad = Programme();
  bad.shares = 0;
  EXPECT_EQ(Validate(bad).code, "REDPACKET_INVALID");
}

TEST(RedPacketSplitTest, EverySplitSumsExactlyWithSharesBetweenOneFenAndTwiceTheAverage) {
  for (uint64_t i = 0; i < 20'000; ++i) {
    const auto shares = static_cast<int32_t>(2 + Seed(i) % (kMaxShares - 1));
    const int64_t amount =
        shares + static_cast<int64_t>(Seed(i + 1'000'000) %
                                      static_cast<uint64_t>(kMaxPacketFen - shares + 1));
    const std::vector<int64_t> split = Split(amount, shares, Seed(i + 2'000'000));
    ASSERT_EQ(split.size(), static_cast<size_t>(shares));
    int64_t sum = 0;
    for (const int64_t share : split) {
      ASSERT_GE(share, 1) << amount << " in " << shares;
      ASSERT_LE(share * shares, 2 * amount) << amount << " in " << shares;  // ≤ 2 × average
      sum += share;
    }
    ASSERT_EQ(sum, amount);
  }
  // The smallest packet: one fen each.
  EXPECT_EQ(Split(3, 3, 7), (std::vector<int64_t>{1, 1, 1}));
}

TEST(RedPacketSplitTest, TheSameSeedSplitsTheSameAndNoPositionIsFavoured) {
  EXPECT_EQ(Split(1'000, 5, 42), Split(1'000, 5, 42));
  EXPECT_NE(Split(1'000, 5, 42), Split(1'000, 5, 43));
  // Over many packets each claim position averages the packet's average share (200 fen).
  constexpr int kPackets = 20'000;
  int64_t by_position[5] = {};
  for (int i = 0; i < kPackets; ++i) {
    const std::vector<int64_t> split = Split(1'000, 5, Seed(static_cast<uint64_t>(i)));
    for (size_t p = 0; p < 5; ++p) by_position[p] += split[p];
  }
  for (const int64_t total : by_position) {
    EXPECT_NEAR(static_cast<double>(total) / kPackets, 200.0, 4.0);
  }
}

TEST(RedPacketBookTest, PaymentsEarnPacketsUpToTheDailyNumber) {
  RedPacketBook book;
  EXPECT_FALSE(book.on());
  EXPECT_FALSE(book.EarnByPayment(1, 5'000, kStart));  // no programme
  ASSERT_TRUE(book.SetConfig(Programme(), kStart).ok());
  EXPECT_FALSE(book.EarnByPayment(1, 1'999, kStart));  // below the minimum
  EXPECT_TRUE(book.EarnByPayment(1, 2'000, kStart));
  EXPECT_FALSE(book.EarnByPayment(1, 9'000, kStart + 60));  // one a day
  EXPECT_EQ(book.SenderOf(1, kStart).available(), 1);
  EXPECT_TRUE(book.EarnByPayment(1, 2'000, kStart + kDay));
  EXPECT_EQ(book.SenderOf(1, kStart + kDay).available(), 2);
  EXPECT_EQ(book.CanSend(2, kStart).code, "REDPACKET_NONE_TO_SEND");
  Config off = Programme();
  off.enabled = false;
  ASSERT_TRUE(book.SetConfig(off, kStart + kDay).ok());
  EXPECT_EQ(book.CanSend(1, kStart + kDay).code, "REDPACKET_OFF");
}

TEST(RedPacketBookTest, ClaimsTakeTheSplitInOrderOncePerCustomerWithinTheBudget) {
  RedPacketBook book;
  ASSERT_TRUE(book.SetConfig(Programme(), kStart).ok());
  ASSERT_TRUE(book.EarnByPayment(1, 2'000, kStart));
  ASSERT_TRUE(book.CanSend(1, kStart).ok());
  const Packet& sent = book.Send(100, 1, kStart, 9);
  EXPECT_EQ(sent.expires_s, kStart + 24 * kHour);
  const std::vector<int64_t> split = sent.shares;
  EXPECT_EQ(book.FiguresAt(kStart).reserved_fen, 1'000);
  EXPECT_EQ(book.FiguresAt(kStart).available_fen, 1'500);

  for (uint64_t customer = 1; customer <= 5; ++customer) {
    ASSERT_TRUE(book.CanClaim(100, customer, kStart + 10).ok()) << customer;
    EXPECT_EQ(book.NextShare(100), split[customer - 1]);
    EXPECT_EQ(book.ClaimShare(100, customer, kStart + 10), split[customer - 1]);
    EXPECT_EQ(book.CanClaim(100, customer, kStart + 11).code, "REDPACKET_CLAIMED");
  }
  EXPECT_EQ(book.CanClaim(100, 6, kStart + 12).code, "REDPACKET_EMPTY");
  EXPECT_EQ(book.CanClaim(999, 6, kStart + 12).code, "REDPACKET_NOT_FOUND");
  const Figures f = book.FiguresAt(kStart + 12);
  EXPECT_EQ(f.spent_fen, 1'000);
  EXPECT_EQ(f.reserved_fen, 0);
  EXPECT_EQ(f.claims, 5);
  EXPECT_EQ(f.packets_sent, 1);

  // 1,500 left: one more packet fits, a third does not.
  ASSERT_TRUE(book.EarnByPayment(2, 2'000, kStart));
  ASSERT_TRUE(book.EarnByPayment(3, 2'000, kStart));
  book.Send(101, 2, kStart + 20, 10);
  EXPECT_EQ(book.CanSend(3, kStart + 20).code, "REDPACKET_BUDGET");
  // A budget below spent + reserved is refused.
  Config lower = Programme();
  lower.budget_fen = 1'999;
  EXPECT_EQ(book.SetConfig(lower, kStart + 20).field, "budget_fen");
}

TEST(RedPacketBookTest, TheDailyClaimLimitCountsTheChinaDay) {
  RedPacketBook book;
  ASSERT_TRUE(book.SetConfig(Programme(), kStart).ok());
  for (uint64_t sender = 1; sender <= 3; ++sender) {
    ASSERT_TRUE(book.EarnByPayment(sender, 2'000, kStart));
  }
  Config more = Programme();
  more.budget_fen = 10'000;
  ASSERT_TRUE(book.SetConfig(more, kStart).ok());
  for (uint64_t sender = 1; sender <= 3; ++sender) book.Send(100 + sender, sender, kStart, sender);
  EXPECT_TRUE(book.CanClaim(101, 9, kStart).ok());
  book.ClaimShare(101, 9, kStart);
  book.ClaimShare(102, 9, kStart + 1);
  EXPECT_EQ(book.ClaimsToday(9, kStart + 2), 2);
  EXPECT_EQ(book.CanClaim(103, 9, kStart + 2).code, "REDPACKET_DAILY_LIMIT");
  EXPECT_TRUE(book.CanClaim(103, 9, kStart + 12 * kHour).ok());  // the next China day by then
}

TEST(RedPacketBookTest, UnclaimedSharesReturnToTheBudgetWhenThePacketExpires) {
  RedPacketBook book;
  ASSERT_TRUE(book.SetConfig(Programme(), kStart).ok());
  ASSERT_TRUE(book.EarnByPayment(1, 2'000, kStart));
  ASSERT_TRUE(book.EarnByPayment(2, 2'000, kStart));
  const int64_t first = book.Send(100, 1, kStart, 1).shares[0];
  book.ClaimShare(100, 7, kStart + 5);
  book.Send(101, 2, kStart + 1, 2);
  const int64_t expiry = kStart + 24 * kHour;
  EXPECT_EQ(book.CanClaim(100, 8, expiry - 1).code, "");
  EXPECT_EQ(book.CanClaim(100, 8, expiry).code, "REDPACKET_EXPIRED");
  // Read before the engine's Expire: the figures count it returned already.
  Figures f = book.FiguresAt(expiry);
  EXPECT_EQ(f.returned_fen, 1'000 - first);
  EXPECT_EQ(f.reserved_fen, 1'000);  // the second packet, a second younger
  book.Expire(expiry);
  EXPECT_EQ(book.FiguresAt(expiry), f);
  EXPECT_TRUE(book.Find(100)->returned);
  EXPECT_FALSE(book.Find(101)->returned);
  book.Expire(expiry + 1);
  f = book.FiguresAt(expiry + 1);
  EXPECT_EQ(f.reserved_fen, 0);
  EXPECT_EQ(f.returned_fen, 2'000 - first);
  EXPECT_EQ(f.available_fen, 2'500 - first);
}

TEST(RedPacketBookTest, TheByteFormRoundTrips) {
  RedPacketBook book;
  ASSERT_TRUE(book.SetConfig(Programme(), kStart).ok());
  for (uint64_t sender = 1; sender <= 2; ++sender) {
    ASSERT_TRUE(book.EarnByPayment(sender, 2'000, kStart));
  }
  book.Send(100, 1, kStart, 1);
  book.Send(101, 2, kStart + 1, 2);
  book.ClaimShare(101, 9, kStart + 2);  // customer 9 claims the later packet first
  book.ClaimShare(100, 9, kStart + 3);
  book.ClaimShare(100, 1, kStart + 4);
  book.Expire(kStart + 1 + 24 * kHour);
  std::string bytes;
  book.Serialize(&bytes);
  RedPacketBook copy;
  ASSERT_TRUE(copy.Deserialize(bytes));
  std::string again;
  copy.Serialize(&again);
  EXPECT_EQ(again, bytes);
  EXPECT_EQ(copy.FiguresAt(kStart + 2 * kDay), book.FiguresAt(kStart + 2 * kDay));
  EXPECT_EQ(*copy.Find(100), *book.Find(100));
  EXPECT_EQ(copy.ClaimsToday(9, kStart + 5), 2);
  EXPECT_EQ(copy.SenderOf(1, kStart), book.SenderOf(1, kStart));
  // Truncated bytes are refused.
  EXPECT_FALSE(copy.Deserialize(std::string_view(bytes).substr(0, bytes.size() - 1)));
}

}  // namespace
}  // namespace qb::redpacket
