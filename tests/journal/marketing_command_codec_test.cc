// The marketing commands 55 to 61 round-trip field by field, malformed bodies are refused, and
// Pay carries a coupon only when it names one, so records from before coupons decode as 0 and
// keep their bytes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/bytes.h"
#include "codec_test_util.h"
#include "engine/command_codec.h"

namespace qb::engine {
namespace {

using testing::Decoded;
using testing::RawCommand;

marketing::Campaign SampleCampaign() {
  marketing::Campaign c;
  c.id = 9;
  c.name = "双十一 立减";
  c.type = marketing::CampaignType::kCashback;
  c.status = marketing::CampaignStatus::kLive;
  c.rule.shape = marketing::AmountShape::kPercent;
  c.rule.percent_bps = 200;
  c.rule.percent_cap_fen = 1'000;
  c.rule.random_lo_fen = 3;
  c.rule.random_hi_fen = 7;
  c.rule.threshold_fen = 10'000;
  c.rule.save_fen = 500;
  c.rule.first_order_scope = marketing::FirstOrderScope::kAtMerchant;
  c.eligibility.window_start_s = 1'700'000'000;
  c.eligibility.window_end_s = 1'800'000'000;
  c.eligibility.hours_mask = 0x00FF00;
  c.eligibility.channel_mask = 0x05;
  c.eligibility.merchant_ids = {1, 2, 99};
  c.eligibility.categories = {5812};
  c.eligibility.regions = {310000, 440300};
  c.eligibility.segment_mask = 0x30;
  c.eligibility.min_amount_fen = 100;
  c.eligibility.holdout_percent = 10;
  c.caps.budget_total_fen = 1'000'000;
  c.caps.budget_daily_fen = 50'000;
  c.caps.customer_count_daily = 1;
  c.caps.customer_count_lifetime = 3;
  c.caps.customer_amount_daily_fen = 800;
  c.caps.customer_amount_lifetime_fen = 2'000;
  c.caps.device_count_lifetime = 4;
  c.caps.identity_count_lifetime = 5;
  c.exclusive_group = 7;
  c.priority = -3;
  return c;
}

marketing::CouponTemplate SampleTemplate() {
  marketing::CouponTemplate t;
  t.id = 4;
  t.campaign_id = 9;
  t.name = "满100减10";
  t.kind = marketing::CouponKind::kPercent;
  t.threshold_fen = 10'000;
  t.save_fen = 1'000;
  t.discount_bps = 1'500;
  t.discount_cap_fen = 2'000;
  t.stock = 1'000;
  t.validity = marketing::ValidityKind::kDaysAfterClaim;
  t.valid_from_s = 11;
  t.valid_until_s = 22;
  t.valid_days = 7;
  t.claim_start_s = 33;
  t.claim_end_s = 44;
  t.per_customer_limit = 2;
  t.issue_counts_toward_limit = true;
  return t;
}

TEST(MarketingCommandCodecTest, CampaignCommandsRoundTrip) {
  const Command created = Decoded(CreateCampaign{5, SampleCampaign()});
  ASSERT_TRUE(std::holds_alternative<CreateCampaign>(created));
  EXPECT_EQ(std::get<CreateCampaign>(created).staff_id, 5u);
  EXPECT_EQ(std::get<CreateCampaign>(created).config, SampleCampaign());

  const Command updated = Decoded(UpdateCampaign{6, SampleCampaign()});
  ASSERT_TRUE(std::holds_alternative<UpdateCampaign>(updated));
  EXPECT_EQ(std::get<UpdateCampaign>(updated).staff_id, 6u);
  EXPECT_EQ(std::get<UpdateCampaign>(updated).config, SampleCampaign());

  const Command moved = Decoded(TransitionCampaign{5, 9, marketing::CampaignStatus::kPaused});
  ASSERT_TRUE(std::holds_alternative<TransitionCampaign>(moved));
  EXPECT_EQ(std::get<TransitionCampaign>(moved).staff_id, 5u);
  EXPECT_EQ(std::get<TransitionCampaign>(moved).campaign_id, 9u);
  EXPECT_EQ(std::get<TransitionCampaign>(moved).status, marketing::CampaignStatus::kPaused);

  const Command funded = Decoded(FundCampaign{77, 5, 9, 3, 12'345});
  ASSERT_TRUE(std::holds_alternative<FundCampaign>(funded));
  const FundCampaign& fund = std::get<FundCampaign>(funded);
  EXPECT_EQ(fund.transfer_id, 77u);
  EXPECT_EQ(fund.staff_id, 5u);
  EXPECT_EQ(fund.campaign_id, 9u);
  EXPECT_EQ(fund.merchant_id, 3u);
  EXPECT_EQ(fund.amount_fen, 12'345);
}

TEST(MarketingCommandCodecTest, CouponCommandsRoundTrip) {
  const Command created = Decoded(CreateCouponTemplate{5, SampleTemplate()});
  ASSERT_TRUE(std::holds_alternative<CreateCouponTemplate>(created));
  EXPECT_EQ(std::get<CreateCouponTemplate>(created).staff_id, 5u);
  EXPECT_EQ(std::get<CreateCouponTemplate>(created).config, SampleTemplate());

  const Command claimed = Decoded(ClaimCoupon{42, 4});
  ASSERT_TRUE(std::holds_alternative<ClaimCoupon>(claimed));
  EXPECT_EQ(std::get<ClaimCoupon>(claimed).customer_id, 42u);
  EXPECT_EQ(std::get<ClaimCoupon>(claimed).template_id, 4u);

  const Command issued = Decoded(IssueCoupons{5, 4, {1, 2, 2, 3}});
  ASSERT_TRUE(std::holds_alternative<IssueCoupons>(issued));
  EXPECT_EQ(std::get<IssueCoupons>(issued).staff_id, 5u);
  EXPECT_EQ(std::get<IssueCoupons>(issued).template_id, 4u);
  EXPECT_EQ(std::get<IssueCoupons>(issued).customer_ids, (std::vector<uint64_t>{1, 2, 2, 3}));
}

TEST(MarketingCommandCodecTest, NumbersAndNamesAreStable) {
  const std::vector<std::pair<CommandType, std::string_view>> expected = {
      {CommandType::kCreateCampaign, "create_campaign"},
      {CommandType::kUpdateCampaign, "update_campaign"},
      {CommandType::kTransitionCampaign, "transition_campaign"},
      {CommandType::kFundCampaign, "fund_campaign"},
      {CommandType::kCreateCouponTemplate, "create_coupon_template"},
      {CommandType::kClaimCoupon, "claim_coupon"},
      {CommandType::kIssueCoupons, "issue_coupons"},
  };
  uint16_t number = 55;
  for (const auto& [type, name] : expected) {
    EXPECT_EQ(static_cast<uint16_t>(type), number++);
    EXPECT_EQ(CommandTypeName(type), name);
  }
  EXPECT_EQ(TypeOf(Command{IssueCoupons{}}), CommandType::kIssueCoupons);
}

TEST(MarketingCommandCodecTest, MalformedBodiesAreRefused) {
  std::vector<Command> decoded;
  // A status outside draft..ended.
  for (uint8_t status : {0, 6}) {
    std::string body;
    ByteWriter writer(&body);
    writer.U64(5);
    writer.U64(9);
    writer.U8(status);
    EXPECT_FALSE(DecodeCommands(RawCommand(57, body), 1, &decoded)) << int{status};
  }
  // A customer count larger than the body, and one over the per-command bound.
  for (uint32_t count : {3u, static_cast<uint32_t>(kMaxCouponIssuePerCommand + 1)}) {
    std::string body;
    ByteWriter writer(&body);
    writer.U64(5);
    writer.U64(4);
    writer.U32(count);
    writer.U64(1);
    EXPECT_FALSE(DecodeCommands(RawCommand(61, body), 1, &decoded)) << count;
  }
  // Every encoded body, cut short or with a byte too many.
  const std::vector<Command> commands = {CreateCampaign{5, SampleCampaign()},
                                         UpdateCampaign{5, SampleCampaign()},
                                         TransitionCampaign{5, 9, marketing::CampaignStatus::kLive},
                                         FundCampaign{1, 2, 3, 4, 5},
                                         CreateCouponTemplate{5, SampleTemplate()},
                                         ClaimCoupon{1, 2},
                                         IssueCoupons{5, 4, {1}}};
  for (const Command& command : commands) {
    std::string payload;
    EncodeCommand(command, &payload);
    const std::string body = payload.substr(6);
    const auto type = static_cast<uint16_t>(TypeOf(command));
    EXPECT_TRUE(DecodeCommands(RawCommand(type, body), 1, &decoded)) << type;
    EXPECT_FALSE(DecodeCommands(RawCommand(type, body.substr(0, body.size() - 1)), 1, &decoded))
        << type;
    EXPECT_FALSE(DecodeCommands(RawCommand(type, body + '\0'), 1, &decoded)) << type;
  }
  // The coupon template's flag is 0 or 1.
  std::string payload;
  EncodeCommand(CreateCouponTemplate{5, SampleTemplate()}, &payload);
  std::string body = payload.substr(6);
  body.back() = 2;
  EXPECT_FALSE(DecodeCommands(RawCommand(59, body), 1, &decoded));
}

TEST(MarketingCommandCodecTest, PayCarriesACouponOnlyWhenItNamesOne) {
  Pay pay;
  pay.payment_id = 1;
  pay.customer_id = 2;
  pay.merchant_id = 3;
  pay.amount_fen = 500;
  std::string without;
  EncodeCommand(pay, &without);
  pay.coupon_id = 77;
  std::string with;
  EncodeCommand(pay, &with);
  // The same bytes plus the coupon id: records from before coupons are the first form.
  ASSERT_EQ(with.size(), without.size() + 8);
  EXPECT_EQ(with.substr(6, without.size() - 6), without.substr(6));
  const Command decoded_with = Decoded(pay);
  ASSERT_TRUE(std::holds_alternative<Pay>(decoded_with));
  EXPECT_EQ(std::get<Pay>(decoded_with).coupon_id, 77u);
  pay.coupon_id = 0;
  const Command decoded_without = Decoded(pay);
  ASSERT_TRUE(std::holds_alternative<Pay>(decoded_without));
  EXPECT_EQ(std::get<Pay>(decoded_without).coupon_id, 0u);
  // A written zero would be a second encoding of "no coupon".
  std::vector<Command> decoded;
  std::string zero_body = without.substr(6) + std::string(8, '\0');
  EXPECT_FALSE(DecodeCommands(RawCommand(30, zero_body), 1, &decoded));
}

}  // namespace
}  // namespace qb::engine
