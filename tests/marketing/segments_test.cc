// Customer segments: the bits the engine derives from what it knows about a customer, their
// names for the API, and the campaign validation that refuses unknown bits.
#include "marketing/segments.h"

#include <gtest/gtest.h>

#include "marketing/campaign.h"

namespace qb::marketing {
namespace {

constexpr int64_t kDay = 86'400;
constexpr int64_t kNow = 1'795'000'000;

TEST(SegmentsTest, BitsFollowRegistrationTierVerificationAndChannel) {
  CustomerFacts fresh{
      .registered_s = kNow - kDay, .tier = 4, .verified = false, .channel = "outreach"};
  EXPECT_EQ(SegmentBitsOf(fresh, kNow), SegmentBit(Segment::kNewCustomer) |
                                            SegmentBit(Segment::kTierIV) |
                                            SegmentBit(Segment::kChannelOutreach));
  // New for 30 days, not a second longer.
  CustomerFacts month{.registered_s = kNow - kNewCustomerDays * kDay + 1,
                      .tier = 2,
                      .verified = true,
                      .channel = "campus"};
  EXPECT_EQ(SegmentBitsOf(month, kNow),
            SegmentBit(Segment::kNewCustomer) | SegmentBit(Segment::kTierII) |
                SegmentBit(Segment::kVerified) | SegmentBit(Segment::kChannelCampus));
  month.registered_s -= 1;
  EXPECT_EQ(SegmentBitsOf(month, kNow) & SegmentBit(Segment::kNewCustomer), 0u);
  // No channel, or one that is not a segment, adds no channel bit; tier I is bit 2.
  CustomerFacts plain{
      .registered_s = kNow - 400 * kDay, .tier = 1, .verified = true, .channel = "tv"};
  EXPECT_EQ(SegmentBitsOf(plain, kNow),
            SegmentBit(Segment::kTierI) | SegmentBit(Segment::kVerified));
  plain.channel = "";
  plain.tier = 0;
  EXPECT_EQ(SegmentBitsOf(plain, kNow), SegmentBit(Segment::kVerified));
}

TEST(SegmentsTest, NamesRoundTripAndOnlyKnownBitsValidate) {
  uint64_t all = 0;
  for (const Segment segment : AllSegments()) {
    EXPECT_EQ(ParseSegment(SegmentName(segment)), segment) << SegmentName(segment);
    all |= SegmentBit(segment);
  }
  EXPECT_EQ(ParseSegment("tier_v"), std::nullopt);
  EXPECT_EQ(ParseSegment(""), std::nullopt);
  EXPECT_TRUE(IsKnownSegmentMask(all));
  EXPECT_TRUE(IsKnownSegmentMask(0));
  EXPECT_FALSE(IsKnownSegmentMask(uint64_t{1} << 6));  // Reserved between tiers and channels.
  EXPECT_FALSE(IsKnownSegmentMask(uint64_t{1} << 63));

  Campaign campaign;
  campaign.name = "outreach only";
  campaign.type = CampaignType::kInstantDiscount;
  campaign.rule.shape = AmountShape::kFixed;
  campaign.rule.fixed_fen = 100;
  campaign.eligibility.window_start_s = kNow;
  campaign.eligibility.window_end_s = kNow + kDay;
  campaign.caps.budget_total_fen = 1'000;
  campaign.eligibility.segment_mask = SegmentBit(Segment::kChannelOutreach);
  EXPECT_TRUE(ValidateCampaign(campaign).ok());
  campaign.eligibility.segment_mask |= uint64_t{1} << 40;
  const Error error = ValidateCampaign(campaign);
  EXPECT_EQ(error.code, "CAMPAIGN_INVALID_TARGETING");
  EXPECT_EQ(error.field, "eligibility.segment_mask");
}

}  // namespace
}  // namespace qb::marketing
