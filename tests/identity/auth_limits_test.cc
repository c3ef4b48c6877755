// PBoC 2015 No. 43 as pure functions: the strength a day's spending needs (RequiredStrength)
// and which log-in device is new (KnownDevices).
#include <gtest/gtest.h>

#include <string>

#include "base/bytes.h"
#include "identity/known_devices.h"
#include "identity/tier_limits.h"

namespace qb::identity {
namespace {

constexpr int64_t kYuan = 100;
constexpr int64_t kHour = int64_t{3'600} * 1'000'000'000;
// 2026-11-22 00:00:00 UTC, which is 08:00 in China.
constexpr int64_t kNov22Utc = int64_t{1'795'305'600} * 1'000'000'000;

TEST(AuthLimitsTest, TheDaysSpendingDecidesTheStrengthNeeded) {
  const AuthLimits limits = AuthLimits::Defaults();
  SpendingWindow window;
  window.day_number = ChinaDayNumber(kNov22Utc);
  window.year = ChinaYear(kNov22Utc);
  window.spent_today_fen = 600 * kYuan;
  window.spent_this_year_fen = 600 * kYuan;
  auto needed = [&](int64_t amount) {
    return RequiredStrength(limits, window, amount, false, kNov22Utc);
  };
  EXPECT_EQ(needed(400 * kYuan), AuthStrength::kOneFactor);       // exactly ¥1,000
  EXPECT_EQ(needed(400 * kYuan + 1), AuthStrength::kTwoFactors);  // one fen past it
  EXPECT_EQ(needed(4'400 * kYuan), AuthStrength::kTwoFactors);    // exactly ¥5,000
  EXPECT_EQ(needed(4'400 * kYuan + 1), AuthStrength::kDeviceSignature);
  EXPECT_EQ(needed(INT64_MAX), AuthStrength::kDeviceSignature);  // overflow: the strictest
  // Yesterday's spending no longer counts (the day is China time).
  EXPECT_EQ(RequiredStrength(limits, window, 1'000 * kYuan, false, kNov22Utc + 16 * kHour),
            AuthStrength::kOneFactor);
  EXPECT_EQ(AuthStrengthName(AuthStrength::kTwoFactors), "two_factors");
}

TEST(AuthLimitsTest, ANewDeviceNeedsTwoFactorsAboveFiveHundred) {
  const AuthLimits limits = AuthLimits::Defaults();
  const SpendingWindow nothing;
  EXPECT_EQ(RequiredStrength(limits, nothing, 500 * kYuan, true, kNov22Utc),
            AuthStrength::kOneFactor);
  EXPECT_EQ(RequiredStrength(limits, nothing, 500 * kYuan + 1, true, kNov22Utc),
            AuthStrength::kTwoFactors);
  EXPECT_EQ(RequiredStrength(limits, nothing, 500 * kYuan + 1, false, kNov22Utc),
            AuthStrength::kOneFactor);
  // It never lowers what the day needs.
  EXPECT_EQ(RequiredStrength(limits, nothing, 6'000 * kYuan, true, kNov22Utc),
            AuthStrength::kDeviceSignature);
}

TEST(KnownDevicesTest, TheFirstDeviceIsNeverNewALaterOneIsForADay) {
  KnownDevices devices;
  const int64_t day = 24 * kHour;
  EXPECT_FALSE(devices.IsNew(1, "a", day, kNov22Utc));  // Nothing known: no older phone.
  devices.Record(1, "a", kNov22Utc);
  EXPECT_FALSE(devices.IsNew(1, "a", day, kNov22Utc));
  EXPECT_TRUE(devices.IsNew(1, "b", day, kNov22Utc));  // Never logged in.
  devices.Record(1, "b", kNov22Utc + kHour);
  EXPECT_TRUE(devices.IsNew(1, "b", day, kNov22Utc + 2 * kHour));
  EXPECT_TRUE(devices.IsNew(1, "b", day, kNov22Utc + kHour + day - 1));
  EXPECT_FALSE(devices.IsNew(1, "b", day, kNov22Utc + kHour + day));
  // Another customer's devices are theirs alone.
  EXPECT_FALSE(devices.IsNew(2, "b", day, kNov22Utc));
}

TEST(KnownDevicesTest, BoundedPerCustomerTheLeastRecentlySeenGoes) {
  KnownDevices devices;
  for (size_t i = 0; i < KnownDevices::kMaxDevicesPerCustomer; i++) {
    devices.Record(1, "d" + std::to_string(i), kNov22Utc + static_cast<int64_t>(i) * kHour);
  }
  devices.Record(1, "d0", kNov22Utc + 100 * kHour);  // Seen again: d1 is now the stalest.
  devices.Record(1, "new", kNov22Utc + 101 * kHour);
  ASSERT_EQ(devices.Find(1)->size(), KnownDevices::kMaxDevicesPerCustomer);
  EXPECT_TRUE(devices.IsNew(1, "d1", 24 * kHour, kNov22Utc + 200 * kHour));
  EXPECT_FALSE(devices.IsNew(1, "d0", 24 * kHour, kNov22Utc + 200 * kHour));
}

TEST(KnownDevicesTest, SerializeRoundTripsAndRefusesMalformedBytes) {
  KnownDevices devices;
  devices.Record(7, "phone", kNov22Utc);
  devices.Record(7, "tablet", kNov22Utc + kHour);
  devices.Record(3, "", kNov22Utc);
  std::string bytes;
  ByteWriter writer(&bytes);
  devices.Serialize(&writer);
  KnownDevices copy;
  ByteReader reader(bytes);
  ASSERT_TRUE(copy.Deserialize(&reader));
  EXPECT_EQ(reader.remaining(), 0u);
  std::string again;
  ByteWriter again_writer(&again);
  copy.Serialize(&again_writer);
  EXPECT_EQ(again, bytes);
  // Truncated anywhere: refused and left empty.
  for (size_t cut = 0; cut < bytes.size(); cut++) {
    KnownDevices broken;
    ByteReader short_reader(std::string_view(bytes).substr(0, cut));
    EXPECT_FALSE(broken.Deserialize(&short_reader)) << cut;
    EXPECT_TRUE(broken.empty()) << cut;
  }
}

}  // namespace
}  // namespace qb::identity
