// The points book: programme versions, refund shares by the remaining-amount method (partial
// refunds never reverse more than a full one, the last reverses the rest exactly), pending
// redemptions, and the checkpoint bytes.
#include "points/points_book.h"

#include <gtest/gtest.h>

#include <random>

namespace qb::points {
namespace {

Program Standard() {
  Program program;
  program.enabled = true;
  return program;
}

TEST(PointsBookTest, AProgrammeIsVersionedAndABadOneChangesNothing) {
  PointsBook book;
  EXPECT_FALSE(book.on());
  Program bad = Standard();
  bad.earn_per_yuan = -1;
  EXPECT_EQ(book.SetProgram(bad, 100).field, "earn_per_yuan");
  EXPECT_FALSE(book.on());
  Program program = Standard();
  program.multipliers.resize(1);
  program.multipliers[0].name = "x";
  program.multipliers[0].categories = {9, 3, 9};
  ASSERT_TRUE(book.SetProgram(program, 100).ok());
  EXPECT_TRUE(book.on());
  EXPECT_EQ(book.version(), 1u);
  EXPECT_EQ(book.updated_s(), 100);
  EXPECT_EQ(book.program().multipliers[0].categories, (std::vector<uint32_t>{3, 9}));
  EXPECT_FALSE(book.SetProgram(bad, 200).ok());
  EXPECT_EQ(book.version(), 1u);
}

TEST(PointsBookTest, RefundSharesFollowTheRemainingAmountAndEndExact) {
  std::mt19937_64 random(7);
  for (int round = 0; round < 2'000; round++) {
    PaymentPoints record;
    record.customer_id = 1;
    record.paid_fen = 1 + static_cast<int64_t>(random() % 100'000);
    record.earned = static_cast<int64_t>(random() % 5'000);
    record.redeemed = static_cast<int64_t>(random() % 50'000);
    record.discount_fen = static_cast<int64_t>(random() % 50'000);
    PointsBook book;
    book.RecordPayment(9, record);
    int64_t refunded = 0;
    int64_t clawed = 0;
    int64_t restored = 0;
    int64_t returned = 0;
    while (refunded < record.paid_fen) {
      const int64_t left = record.paid_fen - refunded;
      const int64_t part = random() % 3 == 0 ? left : 1 + static_cast<int64_t>(random() % left);
      const PaymentPoints& now = *book.FindPayment(9);
      const RefundShares shares = SharesOf(now, refunded + part);
      ASSERT_GE(shares.clawback, 0);
      ASSERT_GE(shares.restore, 0);
      ASSERT_GE(shares.discount_back_fen, 0);
      // What is reversed never passes the refunded share of each whole (rounded up).
      const auto ceil_share = [&](int64_t whole) {
        return (static_cast<__int128>(whole) * (refunded + part) + record.paid_fen - 1) /
               record.paid_fen;
      };
      ASSERT_LE(restored + shares.restore, ceil_share(record.redeemed));
      ASSERT_LE(returned + shares.discount_back_fen, ceil_share(record.discount_fen));
      refunded += part;
      clawed += shares.clawback;
      restored += shares.restore;
      returned += shares.discount_back_fen;
      book.RecordRefund(9, refunded, shares.clawback, shares);
    }
    EXPECT_EQ(clawed, record.earned);
    EXPECT_EQ(restored, record.redeemed);
    EXPECT_EQ(returned, record.discount_fen);
    EXPECT_EQ(book.FindPayment(9)->refunded_fen, record.paid_fen);
  }
}

TEST(PointsBookTest, AShortClawbackIsAskedForAgainByTheNextRefund) {
  PointsBook book;
  book.RecordPayment(1, {.customer_id = 5, .paid_fen = 1'000, .earned = 10});
  RefundShares shares = SharesOf(*book.FindPayment(1), 500);
  EXPECT_EQ(shares.clawback, 5);
  book.RecordRefund(1, 500, 2, shares);  // The customer held only 2.
  shares = SharesOf(*book.FindPayment(1), 1'000);
  EXPECT_EQ(shares.clawback, 8);
  book.RecordRefund(1, 1'000, 0, shares);
  EXPECT_EQ(book.FindPayment(1)->earned_reversed, 2);
}

TEST(PointsBookTest, PendingRedemptionsAndTheCheckpointBytes) {
  PointsBook book;
  ASSERT_TRUE(book.SetProgram(Standard(), 50).ok());
  book.SetPendingRedeem(7, 300);
  book.SetPendingRedeem(8, 0);  // Nothing to remember.
  EXPECT_EQ(book.PendingRedeem(7), 300);
  EXPECT_EQ(book.PendingRedeem(8), 0);
  for (uint64_t id : {30u, 10u, 20u}) {
    book.RecordPayment(id, {.customer_id = id, .paid_fen = 100, .earned = 1, .redeemed = 5});
  }
  book.RecordPayment(7, {.customer_id = 1, .paid_fen = 100, .redeemed = 300});
  EXPECT_EQ(book.PendingRedeem(7), 0);  // Confirmed: recorded, no longer pending.
  book.SetPendingRedeem(40, 12);

  std::string bytes;
  book.Serialize(&bytes);
  PointsBook back;
  ASSERT_TRUE(back.Deserialize(bytes));
  std::string again;
  back.Serialize(&again);
  EXPECT_EQ(again, bytes);
  EXPECT_EQ(back.version(), 1u);
  EXPECT_EQ(back.FindPayment(20)->redeemed, 5);
  EXPECT_EQ(back.PendingRedeem(40), 12);
  EXPECT_EQ(back.payment_count(), 4u);
  // Truncated or padded bytes are refused; so is a book with no programme.
  EXPECT_FALSE(back.Deserialize(std::string_view(bytes).substr(0, bytes.size() - 1)));
  EXPECT_FALSE(back.Deserialize(bytes + "x"));
  std::string empty;
  PointsBook().Serialize(&empty);
  EXPECT_FALSE(back.Deserialize(empty));
}

}  // namespace
}  // namespace qb::points
