#include "risk/amount_stats.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::risk {
namespace {

TEST(RiskAmountStatsTest, NothingBeforeTheMinimumSampleCount) {
  AmountStatsTable table(10, 5);
  EXPECT_EQ(table.ZScoreMilli(1, 100), std::nullopt);
  for (int64_t amount : {100, 200, 300, 400}) table.Record(1, amount);
  EXPECT_EQ(table.ZScoreMilli(1, 100), std::nullopt);
  table.Record(1, 500);
  EXPECT_TRUE(table.ZScoreMilli(1, 100).has_value());
  EXPECT_EQ(table.ZScoreMilli(2, 100), std::nullopt);  // another key has no history
}

// History 1.00, 2.00, 3.00, 4.00, 5.00 yuan (100..500 fen): mean 300 fen, sample variance
// (200² + 100² + 0 + 100² + 200²) / 4 = 25,000 fen², stddev 158.1138... fen.
// z(600) = 300 / 158.1138 = 1.8973..., reported as 1897; z(0) = -1897 (rounded toward zero).
TEST(RiskAmountStatsTest, ZScoreOfAKnownSequence) {
  AmountStatsTable table(10, 5);
  for (int64_t amount : {100, 200, 300, 400, 500}) table.Record(1, amount);
  const AmountSummary summary = table.Summary(1);
  EXPECT_EQ(summary.samples, 5);
  EXPECT_EQ(summary.mean_milli_fen, 300'000);
  EXPECT_EQ(summary.stddev_milli_fen, 158'113);  // floor(sqrt(25,000 * 10^6))
  EXPECT_EQ(table.ZScoreMilli(1, 600), 1897);    // 300,000 * 1000 / 158,113 = 1897.37
  EXPECT_EQ(table.ZScoreMilli(1, 0), -1897);
  EXPECT_EQ(table.ZScoreMilli(1, 300), 0);
  EXPECT_EQ(table.ZScoreMilli(1, 1300), 6324);  // 1,000,000 * 1000 / 158,113 = 6324.55
}

// 10, 20, 30 fen: mean 20, variance (100 + 0 + 100) / 2 = 100, stddev exactly 10 fen.
TEST(RiskAmountStatsTest, ExactStandardDeviation) {
  AmountStatsTable table(10, 3);
  for (int64_t amount : {30, 10, 20}) table.Record(1, amount);
  EXPECT_EQ(table.Summary(1).mean_milli_fen, 20'000);
  EXPECT_EQ(table.Summary(1).stddev_milli_fen, 10'000);
  EXPECT_EQ(table.ZScoreMilli(1, 50), 3000);
  EXPECT_EQ(table.ZScoreMilli(1, 15), -500);
}

// The running mean is rounded toward zero at each step; the value is what the documented
// integer update gives, step by step: 1000 -> 1000 + 1000/2 = 1500 -> 1500 + 500/3 = 1666.
TEST(RiskAmountStatsTest, RunningMeanRoundsTowardZeroAtEachStep) {
  AmountStatsTable table(10, 2);
  table.Record(1, 1);
  table.Record(1, 2);
  EXPECT_EQ(table.Summary(1).mean_milli_fen, 1500);
  table.Record(1, 2);
  EXPECT_EQ(table.Summary(1).mean_milli_fen, 1666);
}

// A perfectly regular history has zero variance; the stddev floor of one fen keeps the score
// finite: (difference in fen) * 1000.
TEST(RiskAmountStatsTest, RegularHistoryUsesTheOneFenFloor) {
  AmountStatsTable table(10, 5);
  for (int i = 0; i < 5; ++i) table.Record(1, 10'000);
  EXPECT_EQ(table.Summary(1).stddev_milli_fen, 0);
  EXPECT_EQ(table.ZScoreMilli(1, 10'000), 0);
  EXPECT_EQ(table.ZScoreMilli(1, 10'050), 50'000);
  EXPECT_EQ(table.ZScoreMilli(1, AmountStatsTable::kMaxAmountFen),
            (AmountStatsTable::kMaxAmountFen - 10'000) * 1000);
}

TEST(RiskAmountStatsTest, ExtremeAmountsStayExact) {
  AmountStatsTable table(10, 2);
  table.Record(1, 0);
  table.Record(1, AmountStatsTable::kMaxAmountFen);
  // mean 5 * 10^11 fen, variance (5 * 10^11)^2 * 2 / 1, stddev 7.07... * 10^11 fen.
  EXPECT_EQ(table.Summary(1).mean_milli_fen, AmountStatsTable::kMaxAmountFen * 1000 / 2);
  EXPECT_EQ(table.Summary(1).stddev_milli_fen, 707'106'781'186'547);
  EXPECT_EQ(table.ZScoreMilli(1, AmountStatsTable::kMaxAmountFen), 707);
}

// Past kMaxSamples the count stays put and the statistics keep following the data.
TEST(RiskAmountStatsTest, HistoryIsBoundedAndKeepsAdapting) {
  AmountStatsTable table(10, 10);
  for (int64_t i = 0; i < AmountStatsTable::kMaxSamples; ++i) table.Record(1, i % 2 ? 300 : 100);
  AmountSummary summary = table.Summary(1);
  EXPECT_EQ(summary.samples, AmountStatsTable::kMaxSamples);
  EXPECT_NEAR(summary.mean_milli_fen, 200'000, 1'000);
  EXPECT_NEAR(summary.stddev_milli_fen, 100'000, 1'000);
  for (int64_t i = 0; i < 3 * AmountStatsTable::kMaxSamples; ++i) {
    table.Record(1, i % 2 ? 1300 : 1100);
  }
  summary = table.Summary(1);
  EXPECT_EQ(summary.samples, AmountStatsTable::kMaxSamples);
  EXPECT_GT(summary.mean_milli_fen, 1'000'000);  // moved most of the way to 1200 fen
  EXPECT_LT(summary.mean_milli_fen, 1'200'000);
}

TEST(RiskAmountStatsTest, FullTableEvictsTheLeastRecentlyRecordedKey) {
  AmountStatsTable table(2, 2);
  table.Record(1, 10);
  table.Record(2, 20);
  table.Record(1, 11);
  table.Record(3, 30);  // evicts key 2
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.Summary(2).samples, 0);
  EXPECT_EQ(table.Summary(1).samples, 2);
  EXPECT_EQ(table.Summary(3).samples, 1);
}

TEST(RiskAmountStatsTest, SerializeRoundTrip) {
  AmountStatsTable table(8, 3);
  for (int64_t i = 0; i < 40; ++i) table.Record(static_cast<uint64_t>(i % 5), i * 1'234'567);
  std::string bytes;
  table.Serialize(&bytes);
  AmountStatsTable restored(1, 2);
  ASSERT_TRUE(AmountStatsTable::Deserialize(bytes, &restored).ok());
  EXPECT_TRUE(restored == table);
  EXPECT_EQ(restored.StateHash(), table.StateHash());
  EXPECT_EQ(restored.min_samples(), 3);
  EXPECT_EQ(restored.ZScoreMilli(3, 999), table.ZScoreMilli(3, 999));
  restored.Record(4, 5);
  EXPECT_FALSE(restored == table);
  EXPECT_NE(restored.StateHash(), table.StateHash());

  AmountStatsTable out(1, 2);
  EXPECT_EQ(AmountStatsTable::Deserialize(bytes.substr(0, bytes.size() - 3), &out).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(AmountStatsTable::Deserialize(bytes + "!", &out).code(), Status::Code::kCorruption);
  std::string negative_m2 = bytes;
  negative_m2[24 + 39] = static_cast<char>(0x80);  // the first key's m2 sign bit
  EXPECT_EQ(AmountStatsTable::Deserialize(negative_m2, &out).code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace qb::risk
