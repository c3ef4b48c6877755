// The co-funding split: what comes back from an ended campaign goes to its funders in
// proportion to what each put in, every fen to exactly one of them, across many returns.
#include "marketing/co_funding.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace qb::marketing {
namespace {

bool Anyone(uint64_t) { return true; }

int64_t Sum(const std::vector<ReturnShare>& shares) {
  int64_t sum = 0;
  for (const ReturnShare& s : shares) sum += s.amount_fen;
  return sum;
}

TEST(CoFundingTest, TheFirstReturnPaysEachMerchantItsShareRoundedDown) {
  CoFundingBook book;
  book.Fund(1, 0, 500, 3'000);  // the bank's top-up of a campaign no merchant funded: not kept
  EXPECT_TRUE(book.empty());
  book.Fund(1, 20, 6'000, 3'500);
  book.Fund(1, 10, 1'000, 9'500);
  book.Fund(1, 0, 500, 10'500);  // the bank again, now kept in the total
  const CoFunding& funding = *book.Find(1);
  EXPECT_EQ(funding.total_fen, 11'000);
  EXPECT_EQ(funding.merchants_funded_fen(), 7'000);
  ASSERT_EQ(funding.merchants.size(), 2u);
  EXPECT_EQ(funding.merchants[0].merchant_id, 10u);  // in id order

  // 2,001 spent, 8,999 back: merchant 10 gets ⌊8,999 / 11⌋ = 818, merchant 20 ⌊8,999 × 6/11⌋ =
  // 4,908, the bank the other 3,273.
  const std::vector<ReturnShare> shares = book.Return(1, 8'999, Anyone);
  EXPECT_EQ(shares, (std::vector<ReturnShare>{{10, 818}, {20, 4'908}, {0, 3'273}}));
  EXPECT_EQ(book.Find(1)->returned_fen, 8'999);
}

TEST(CoFundingTest, ACampaignNoMerchantFundedReturnsEverythingToTheBank) {
  CoFundingBook book;
  EXPECT_EQ(book.Return(7, 1'234, Anyone), (std::vector<ReturnShare>{{0, 1'234}}));
  EXPECT_TRUE(book.empty());
}

TEST(CoFundingTest, AMerchantThatPutInEverythingGetsEverythingBack) {
  CoFundingBook book;
  book.Fund(3, 5, 1'000, 0);
  EXPECT_EQ(book.Return(3, 999, Anyone), (std::vector<ReturnShare>{{5, 999}}));
  EXPECT_EQ(book.Return(3, 1, Anyone), (std::vector<ReturnShare>{{5, 1}}));
}

TEST(CoFundingTest, AMerchantThatCannotTakeMoneyStaysOwedAndTheBankTakesItsPart) {
  CoFundingBook book;
  book.Fund(4, 8, 500, 500);  // half each
  auto not_eight = [](uint64_t merchant) { return merchant != 8; };
  EXPECT_EQ(book.Return(4, 100, not_eight), (std::vector<ReturnShare>{{0, 100}}));
  EXPECT_EQ(book.Find(4)->merchants[0].returned_fen, 0);
  // Able again, it is paid what it is owed on everything returned so far (⌊300 / 2⌋).
  EXPECT_EQ(book.Return(4, 200, Anyone), (std::vector<ReturnShare>{{8, 150}, {0, 50}}));
}

TEST(CoFundingTest, ManyReturnsNeverPayAMerchantPastItsShareAndEndExact) {
  std::mt19937_64 rng(2026);
  auto between = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int trial = 0; trial < 2'000; trial++) {
    CoFundingBook book;
    int64_t total = between(0, 5'000);
    const int merchants = static_cast<int>(between(1, 6));
    for (int i = 0; i < merchants * 2; i++) {
      const int64_t amount = between(1, 5'000);
      const uint64_t merchant = static_cast<uint64_t>(between(0, merchants));  // 0: the bank
      if (merchant == 0 && book.Find(1) == nullptr) continue;
      book.Fund(1, merchant, amount, total);
      total += amount;
    }
    if (book.Find(1) == nullptr) book.Fund(1, 1, 1, total++);
    ASSERT_EQ(book.Find(1)->total_fen, total);
    // Everything spent is given back in random pieces: all of it, the first piece at the end and
    // the rest as refunds after it.
    int64_t left = between(0, total);
    std::vector<int64_t> paid(merchants + 1, 0);
    while (left > 0) {
      const int64_t amount = between(1, left);
      const std::vector<ReturnShare> shares = book.Return(1, amount, Anyone);
      ASSERT_EQ(Sum(shares), amount);
      for (const ReturnShare& s : shares) {
        ASSERT_GT(s.amount_fen, 0);
        paid[s.merchant_id] += s.amount_fen;
      }
      left -= amount;
      const CoFunding& funding = *book.Find(1);
      for (const CoFunder& m : funding.merchants) {
        ASSERT_EQ(m.returned_fen, paid[m.merchant_id]);
        ASSERT_LE(m.returned_fen, OwedBack(m.funded_fen, funding.returned_fen, total));
        // Behind by at most a fen for each merchant ahead of it in line.
        ASSERT_GE(m.returned_fen, OwedBack(m.funded_fen, funding.returned_fen, total) - merchants);
      }
    }
  }
}

TEST(CoFundingTest, TheBytesLoadBackAndBadBytesAreRefused) {
  CoFundingBook book;
  book.Fund(2, 9, 700, 300);
  book.Fund(2, 4, 1'000, 1'000);
  book.Fund(5, 4, 50, 0);
  book.Return(2, 1'500, Anyone);
  std::string bytes;
  book.Serialize(&bytes);
  CoFundingBook loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes));
  EXPECT_EQ(loaded.campaigns(), book.campaigns());
  std::string again;
  loaded.Serialize(&again);
  EXPECT_EQ(again, bytes);

  EXPECT_FALSE(loaded.Deserialize(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(loaded.Deserialize(bytes + "x"));
  // A merchant's return past its share: campaign 2's first merchant (4) has returned_fen at
  // bytes 56..63 (count, campaign, total, returned, merchants, then id and funded); raise its
  // second-highest byte (little-endian).
  std::string greedy = bytes;
  greedy[56 + 6] = 1;
  EXPECT_FALSE(loaded.Deserialize(greedy));
}

}  // namespace
}  // namespace qb::marketing
