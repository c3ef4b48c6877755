#include "identity/tier_limits.h"

#include <gtest/gtest.h>

namespace qb::identity {
namespace {

constexpr int64_t kYuan = 100;
constexpr int64_t kNsPerHour = int64_t{3'600} * 1'000'000'000;
// 2026-11-22 00:00:00 UTC, which is 08:00 in China.
constexpr int64_t kNov22Utc = int64_t{1'795'305'600} * 1'000'000'000;

TEST(TierLimitsTest, DefaultsFollowTheDesignTable) {
  const TierPolicies p = TierPolicies::Defaults();
  EXPECT_EQ(p.For(WalletTier::kIV).balance_cap_fen, 1'000 * kYuan);
  EXPECT_EQ(p.For(WalletTier::kIV).per_payment_fen, 500 * kYuan);
  EXPECT_EQ(p.For(WalletTier::kIII).per_day_fen, 2'000 * kYuan);
  EXPECT_EQ(p.For(WalletTier::kII).per_year_fen, 300'000 * kYuan);
  EXPECT_EQ(p.For(WalletTier::kI).balance_cap_fen, 500'000 * kYuan);
  EXPECT_EQ(p.For(WalletTier::kI).per_payment_fen, 50'000 * kYuan);
  EXPECT_EQ(TierName(WalletTier::kIII), "III");
}

TEST(TierLimitsTest, PerPaymentLimitComesFirst) {
  const TierPolicy iv = TierPolicies::Defaults().For(WalletTier::kIV);
  SpendingWindow window;
  EXPECT_EQ(CheckOutgoing(iv, window, 500 * kYuan, kNov22Utc), LimitCheck::kOk);
  EXPECT_EQ(CheckOutgoing(iv, window, 500 * kYuan + 1, kNov22Utc), LimitCheck::kExceedsPerPayment);
  EXPECT_EQ(LimitCheckName(LimitCheck::kExceedsPerPayment), "exceeds_per_payment");
}

TEST(TierLimitsTest, DailyLimitCountsTheChinaDayAndResetsAtItsMidnight) {
  const TierPolicy iv = TierPolicies::Defaults().For(WalletTier::kIV);
  SpendingWindow window;
  const int64_t morning = kNov22Utc;  // 08:00 China time.
  RecordOutgoing(&window, 500 * kYuan, morning);
  RecordOutgoing(&window, 499 * kYuan, morning + kNsPerHour);
  EXPECT_EQ(CheckOutgoing(iv, window, 1 * kYuan, morning + 2 * kNsPerHour), LimitCheck::kOk);
  EXPECT_EQ(CheckOutgoing(iv, window, 1 * kYuan + 1, morning + 2 * kNsPerHour),
            LimitCheck::kExceedsDaily);
  // 23:59 China time is still the same day; 16:00 UTC is China's midnight.
  const int64_t china_midnight = kNov22Utc + 16 * kNsPerHour;
  EXPECT_EQ(CheckOutgoing(iv, window, 2 * kYuan, china_midnight - 1), LimitCheck::kExceedsDaily);
  EXPECT_EQ(CheckOutgoing(iv, window, 2 * kYuan, china_midnight), LimitCheck::kOk);
}

TEST(TierLimitsTest, YearlyLimitRollsOverOnChinaNewYear) {
  TierPolicy policy{1'000'000 * kYuan, 10'000 * kYuan, 10'000 * kYuan, 25'000 * kYuan};
  SpendingWindow window;
  // Three days in December 2026, 10,000 each would pass 25,000 on the third.
  const int64_t dec29 = int64_t{1'798'502'400} * 1'000'000'000;  // 2026-12-29 00:00 UTC.
  constexpr int64_t kDay = 24 * kNsPerHour;
  RecordOutgoing(&window, 10'000 * kYuan, dec29);
  RecordOutgoing(&window, 10'000 * kYuan, dec29 + kDay);
  EXPECT_EQ(CheckOutgoing(policy, window, 10'000 * kYuan, dec29 + 2 * kDay),
            LimitCheck::kExceedsYearly);
  // 2026-12-31 16:00 UTC is 2027-01-01 00:00 in China: a new year and a new day.
  const int64_t china_new_year = dec29 + 2 * kDay + 16 * kNsPerHour;
  EXPECT_EQ(ChinaYear(china_new_year - 1), 2026);
  EXPECT_EQ(ChinaYear(china_new_year), 2027);
  EXPECT_EQ(CheckOutgoing(policy, window, 10'000 * kYuan, china_new_year), LimitCheck::kOk);
  RecordOutgoing(&window, 10'000 * kYuan, china_new_year);
  EXPECT_EQ(window.spent_this_year_fen, 10'000 * kYuan);
  EXPECT_EQ(window.spent_today_fen, 10'000 * kYuan);
}

TEST(TierLimitsTest, OverflowingSumsAreOverTheLimit) {
  TierPolicy huge{INT64_MAX, INT64_MAX, INT64_MAX - 1, INT64_MAX};
  SpendingWindow window;
  window.day_number = ChinaDayNumber(kNov22Utc);
  window.year = ChinaYear(kNov22Utc);
  window.spent_today_fen = INT64_MAX - 5;
  EXPECT_EQ(CheckOutgoing(huge, window, 10, kNov22Utc), LimitCheck::kExceedsDaily);
}

TEST(TierLimitsTest, BalanceCapOnIncomingMoney) {
  const TierPolicy iii = TierPolicies::Defaults().For(WalletTier::kIII);
  EXPECT_EQ(CheckIncoming(iii, 2'000 * kYuan), LimitCheck::kOk);
  EXPECT_EQ(CheckIncoming(iii, 2'000 * kYuan + 1), LimitCheck::kExceedsBalanceCap);
}

TEST(TierLimitsTest, ChinaDayNumberHandlesInstantsBefore1970) {
  EXPECT_EQ(ChinaDayNumber(0), 0);                     // 08:00 on 1970-01-01 in China.
  EXPECT_EQ(ChinaDayNumber(-8 * kNsPerHour), 0);       // China midnight.
  EXPECT_EQ(ChinaDayNumber(-8 * kNsPerHour - 1), -1);  // 23:59 on 1969-12-31.
  EXPECT_EQ(ChinaYear(-8 * kNsPerHour - 1), 1969);
}

}  // namespace
}  // namespace qb::identity
