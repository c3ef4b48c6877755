#include "marketing/offer_audience.h"

#include <gtest/gtest.h>

#include <vector>

namespace qb::marketing {
namespace {

TEST(OfferAudienceTest, HoursFallIntoTheFivePartsOfTheDay) {
  EXPECT_EQ(DayPartOfHour(0), DayPart::kNight);
  EXPECT_EQ(DayPartOfHour(5), DayPart::kNight);
  EXPECT_EQ(DayPartOfHour(6), DayPart::kMorning);
  EXPECT_EQ(DayPartOfHour(10), DayPart::kMorning);
  EXPECT_EQ(DayPartOfHour(11), DayPart::kNoon);
  EXPECT_EQ(DayPartOfHour(13), DayPart::kNoon);
  EXPECT_EQ(DayPartOfHour(14), DayPart::kAfternoon);
  EXPECT_EQ(DayPartOfHour(17), DayPart::kAfternoon);
  EXPECT_EQ(DayPartOfHour(18), DayPart::kEvening);
  EXPECT_EQ(DayPartOfHour(23), DayPart::kEvening);
  for (int part = 0; part < kDayPartCount; part++) {
    const auto p = static_cast<DayPart>(part);
    EXPECT_EQ(ParseDayPart(DayPartName(p)), p);
  }
  EXPECT_FALSE(ParseDayPart("dawn").has_value());
}

TEST(OfferAudienceTest, EachFieldOutOfRangeIsNamed) {
  EXPECT_EQ(InvalidAudienceField(OfferAudience{}), "");
  OfferAudience a;
  a.window_days = 0;
  EXPECT_EQ(InvalidAudienceField(a), "window_days");
  a.window_days = kMaxAudienceWindowDays + 1;
  EXPECT_EQ(InvalidAudienceField(a), "window_days");
  a = OfferAudience{};
  a.top_rank = kMaxAudienceTopRank + 1;
  EXPECT_EQ(InvalidAudienceField(a), "top_rank");
  a = OfferAudience{};
  a.min_payments = 0;
  EXPECT_EQ(InvalidAudienceField(a), "min_payments");
  a = OfferAudience{};
  a.top_categories = {"catering", "not_a_category"};
  EXPECT_EQ(InvalidAudienceField(a), "top_categories");
  a = OfferAudience{};
  a.merchant_ids = {0};
  EXPECT_EQ(InvalidAudienceField(a), "merchant_ids");
  a = OfferAudience{};
  a.day_parts_mask = 1u << kDayPartCount;
  EXPECT_EQ(InvalidAudienceField(a), "day_parts");
}

TEST(OfferAudienceTest, TheProfileRanksCategoriesBySpendAndFindsTheUsualTime) {
  const std::vector<SpendingCell> cells = {
      {"catering", 12, 1, 3'000, 2},    // noon, two lunches
      {"catering", 19, 2, 1'000, 1},    // an evening meal elsewhere
      {"supermarket", 8, 3, 5'000, 1},  // one big morning shop
      {"", 12, 4, 90'000, 1},           // a merchant the read model lacks: no category
      {"transport", 8, 5, 200, 1},      // the morning commute
  };
  const SpendingProfile profile(cells);
  EXPECT_EQ(profile.payments(), 6);
  ASSERT_EQ(profile.categories_by_spend().size(), 3u);
  EXPECT_EQ(profile.categories_by_spend()[0], "supermarket");  // 5,000 beats 4,000
  EXPECT_EQ(profile.categories_by_spend()[1], "catering");
  EXPECT_EQ(profile.categories_by_spend()[2], "transport");
  EXPECT_EQ(profile.usual_day_part(), DayPart::kNoon);  // 3 payments at noon, 2 in the morning
  EXPECT_TRUE(profile.Visited(4));
  EXPECT_FALSE(profile.Visited(6));
}

TEST(OfferAudienceTest, EqualPartsOfTheDayGoToTheEarlierAndEqualSpendToTheSmallerId) {
  const std::vector<SpendingCell> cells = {{"telecom", 20, 1, 500, 1}, {"fuel", 7, 2, 500, 1}};
  const SpendingProfile profile(cells);
  EXPECT_EQ(profile.usual_day_part(), DayPart::kMorning);
  EXPECT_EQ(profile.categories_by_spend()[0], "fuel");
}

TEST(OfferAudienceTest, EveryGivenCriterionMustHold) {
  const std::vector<SpendingCell> cells = {{"catering", 12, 1, 3'000, 2},
                                           {"supermarket", 8, 3, 5'000, 1}};
  const SpendingProfile profile(cells);  // top: supermarket, catering; usual: noon; 3 payments

  OfferAudience anyone;
  EXPECT_TRUE(profile.Matches(anyone));

  OfferAudience catering;
  catering.top_categories = {"catering"};
  EXPECT_FALSE(profile.Matches(catering));  // second, not first
  catering.top_rank = 2;
  EXPECT_TRUE(profile.Matches(catering));

  OfferAudience lunch;
  lunch.day_parts_mask = 1u << static_cast<uint8_t>(DayPart::kNoon);
  EXPECT_TRUE(profile.Matches(lunch));
  lunch.day_parts_mask = 1u << static_cast<uint8_t>(DayPart::kEvening);
  EXPECT_FALSE(profile.Matches(lunch));

  OfferAudience visitors;
  visitors.merchant_ids = {9, 3};
  EXPECT_TRUE(profile.Matches(visitors));
  visitors.merchant_ids = {9};
  EXPECT_FALSE(profile.Matches(visitors));

  OfferAudience regulars;
  regulars.min_payments = 3;
  EXPECT_TRUE(profile.Matches(regulars));
  regulars.min_payments = 4;
  EXPECT_FALSE(profile.Matches(regulars));

  OfferAudience all = catering;  // top 2 includes catering
  all.day_parts_mask = 1u << static_cast<uint8_t>(DayPart::kNoon);
  all.merchant_ids = {1};
  all.min_payments = 3;
  EXPECT_TRUE(profile.Matches(all));
  all.merchant_ids = {2};
  EXPECT_FALSE(profile.Matches(all));
}

}  // namespace
}  // namespace qb::marketing
