#include "marketing/campaign_book.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "marketing/config_codec.h"
#include "marketing_test_util.h"

namespace qb::marketing {
namespace {

using testing::AddLive;
using testing::kDay;
using testing::kT0;
using testing::MakeCampaign;
using testing::MakePayment;
using testing::MakeThresholdTemplate;
using testing::Pay;
using testing::Spent;

int64_t SumReversed(const RefundResult& result) {
  int64_t sum = 0;
  for (const Reversal& reversal : result.reversals) sum += reversal.amount_fen;
  return sum;
}

TEST(CampaignBookTest, CreateAssignsIdsAndStartsAsDraft) {
  CampaignBook book;
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  campaign.id = 99;
  campaign.status = CampaignStatus::kLive;
  uint64_t a = 0;
  uint64_t b = 0;
  ASSERT_TRUE(book.CreateCampaign(campaign, &a).ok());
  ASSERT_TRUE(book.CreateCampaign(campaign, &b).ok());
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(book.FindCampaign(a)->campaign.status, CampaignStatus::kDraft);
  campaign.caps.budget_total_fen = 0;
  uint64_t c = 0;
  EXPECT_EQ(book.CreateCampaign(campaign, &c).code, "CAMPAIGN_INVALID_BUDGET");
  EXPECT_EQ(book.campaigns().size(), 2u);
}

TEST(CampaignBookTest, UpdateRules) {
  CampaignBook book;
  uint64_t id = 0;
  ASSERT_TRUE(book.CreateCampaign(MakeCampaign(CampaignType::kInstantDiscount), &id).ok());
  Campaign config = book.FindCampaign(id)->campaign;
  config.type = CampaignType::kCashback;
  config.rule.shape = AmountShape::kPercent;
  config.rule.percent_bps = 100;
  config.caps.budget_total_fen = 5'000;
  ASSERT_TRUE(book.UpdateCampaign(config).ok());  // anything goes in draft
  ASSERT_TRUE(book.TransitionCampaign(id, CampaignStatus::kLive).ok());

  config = book.FindCampaign(id)->campaign;
  config.type = CampaignType::kInstantDiscount;
  EXPECT_EQ(book.UpdateCampaign(config).code, "CAMPAIGN_TYPE_FIXED");
  config = book.FindCampaign(id)->campaign;
  config.caps.budget_total_fen = 9'000;
  EXPECT_EQ(book.UpdateCampaign(config).code, "CAMPAIGN_BUDGET_USE_TOP_UP");
  config = book.FindCampaign(id)->campaign;
  config.name = "renamed";
  config.status = CampaignStatus::kDraft;  // ignored
  config.eligibility.merchant_ids = {3, 1, 3};
  ASSERT_TRUE(book.UpdateCampaign(config).ok());
  EXPECT_EQ(book.FindCampaign(id)->campaign.status, CampaignStatus::kLive);
  EXPECT_EQ(book.FindCampaign(id)->campaign.eligibility.merchant_ids,
            (std::vector<uint64_t>{1, 3}));
  config.id = 42;
  EXPECT_EQ(book.UpdateCampaign(config).code, "CAMPAIGN_NOT_FOUND");
}

TEST(CampaignBookTest, TransitionsTopUpAndEnd) {
  CampaignBook book;
  const uint64_t id = AddLive(&book, MakeCampaign(CampaignType::kInstantDiscount, 2'000));
  EXPECT_EQ(book.TransitionCampaign(id, CampaignStatus::kDraft).code,
            "CAMPAIGN_INVALID_TRANSITION");
  EXPECT_EQ(book.TopUp(id, 0).code, "CAMPAIGN_INVALID_TOP_UP");
  EXPECT_EQ(book.TopUp(id, kMaxBudgetFen).code, "CAMPAIGN_INVALID_TOP_UP");
  ASSERT_TRUE(book.TopUp(id, 1'000).ok());
  EXPECT_EQ(book.FindCampaign(id)->campaign.caps.budget_total_fen, 3'000);
  Pay(&book, 1, MakePayment(1, 10'000));
  int64_t unspent = 0;
  ASSERT_TRUE(book.EndCampaign(id, &unspent).ok());
  EXPECT_EQ(unspent, 2'500);
  EXPECT_EQ(book.UnspentFen(id), 0);
  EXPECT_EQ(book.EndCampaign(id, &unspent).code, "CAMPAIGN_INVALID_TRANSITION");
  EXPECT_EQ(book.TopUp(id, 1).code, "CAMPAIGN_ENDED");
  EXPECT_EQ(book.Quote(MakePayment(2, 10'000)).discount_fen, 0);
  // A refund after the end still gives the reward back to the campaign, for the engine to sweep.
  RefundResult result;
  ASSERT_TRUE(book.Refund(1, 9'500, kT0 + 10, &result).ok());
  EXPECT_EQ(SumReversed(result), 500);
  EXPECT_EQ(book.UnspentFen(id), 500);
}

TEST(CampaignBookTest, CouponTemplatesBelongToMatchingCampaigns) {
  CampaignBook book;
  const uint64_t discount = AddLive(&book, MakeCampaign(CampaignType::kInstantDiscount));
  const uint64_t percent = AddLive(&book, MakeCampaign(CampaignType::kDiscountCoupon));
  uint64_t template_id = 0;
  EXPECT_EQ(book.CreateCouponTemplate(MakeThresholdTemplate(99, 0, 1), &template_id).code,
            "COUPON_CAMPAIGN_NOT_FOUND");
  EXPECT_EQ(book.CreateCouponTemplate(MakeThresholdTemplate(discount, 0, 1), &template_id).code,
            "COUPON_CAMPAIGN_MISMATCH");
  EXPECT_EQ(book.CreateCouponTemplate(MakeThresholdTemplate(percent, 0, 1), &template_id).code,
            "COUPON_CAMPAIGN_MISMATCH");
}

TEST(CampaignBookTest, ClaimNeedsALiveCampaignIssueAnyButEnded) {
  CampaignBook book;
  uint64_t campaign = 0;
  ASSERT_TRUE(book.CreateCampaign(MakeCampaign(CampaignType::kThresholdCoupon), &campaign).ok());
  uint64_t template_id = 0;
  ASSERT_TRUE(
      book.CreateCouponTemplate(MakeThresholdTemplate(campaign, 0, 100), &template_id).ok());
  uint64_t coupon_id = 0;
  EXPECT_EQ(book.ClaimCoupon(template_id, 1, kT0, &coupon_id).code, "CAMPAIGN_NOT_LIVE");
  const std::vector<uint64_t> customers = {1, 2};
  EXPECT_TRUE(book.IssueCoupons(template_id, customers, kT0, &coupon_id).ok());
  ASSERT_TRUE(book.TransitionCampaign(campaign, CampaignStatus::kLive).ok());
  EXPECT_TRUE(book.ClaimCoupon(template_id, 1, kT0, &coupon_id).ok());
  ASSERT_TRUE(book.TransitionCampaign(campaign, CampaignStatus::kEnded).ok());
  EXPECT_EQ(book.IssueCoupons(template_id, customers, kT0, &coupon_id).code, "CAMPAIGN_ENDED");
}

TEST(CampaignBookTest, CommitRefusesStaleDuplicateAndBackwardPlans) {
  CampaignBook book;
  AddLive(&book, MakeCampaign(CampaignType::kInstantDiscount, 600));
  const Plan first = book.Quote(MakePayment(1, 10'000));
  const Plan second = book.Quote(MakePayment(2, 10'000));
  ASSERT_TRUE(book.Commit(1, first).ok());
  EXPECT_EQ(book.Commit(2, second).code, "MARKETING_PLAN_STALE");  // only 100 left now
  EXPECT_EQ(book.Commit(1, book.Quote(MakePayment(1, 10'000))).code, "MARKETING_DUPLICATE_PAYMENT");
  EXPECT_EQ(book.Commit(0, second).code, "MARKETING_INVALID_PAYMENT");
  EXPECT_EQ(book.Commit(3, book.Quote(MakePayment(2, 10'000, kT0 - 1))).code,
            "MARKETING_TIME_WENT_BACK");
  const Plan fresh = book.Quote(MakePayment(2, 10'000));
  EXPECT_EQ(fresh.discount_fen, 100);
  EXPECT_TRUE(book.Commit(2, fresh).ok());
  EXPECT_EQ(book.Commit(4, book.Quote(MakePayment(3, 0))).code, "MARKETING_INVALID_PAYMENT");
}

// A plan quoted on an older state is quoted again at commit: taken when the change left its
// value alone, refused when it did not. Even a failed operation counts as a change.
TEST(CampaignBookTest, CommitQuotesAgainAfterAnyChange) {
  CampaignBook book;
  const uint64_t campaign = AddLive(&book, MakeCampaign(CampaignType::kInstantDiscount, 600));
  const Plan before_top_up = book.Quote(MakePayment(1, 10'000));
  ASSERT_EQ(before_top_up.discount_fen, 500);
  ASSERT_TRUE(book.TopUp(campaign, 1'000).ok());
  EXPECT_NE(book.Quote(MakePayment(1, 10'000)).quoted_generation, before_top_up.quoted_generation);
  EXPECT_TRUE(book.Commit(1, before_top_up).ok());  // the same 500 after the top-up

  Plan tampered = book.Quote(MakePayment(2, 10'000));
  ASSERT_EQ(book.TopUp(campaign + 7, 1).code, "CAMPAIGN_NOT_FOUND");  // a change, though failed
  tampered.customer_pays_fen += 1;
  EXPECT_EQ(book.Commit(2, tampered).code, "MARKETING_PLAN_STALE");
}

TEST(CampaignBookTest, ACouponIsRedeemedOnlyOnce) {
  CampaignBook book;
  const uint64_t campaign = AddLive(&book, MakeCampaign(CampaignType::kThresholdCoupon));
  uint64_t template_id = 0;
  ASSERT_TRUE(
      book.CreateCouponTemplate(MakeThresholdTemplate(campaign, 0, 300), &template_id).ok());
  uint64_t coupon_id = 0;
  ASSERT_TRUE(book.ClaimCoupon(template_id, 1, kT0, &coupon_id).ok());
  PaymentContext context = MakePayment(1, 1'000);
  context.coupon_id = coupon_id;
  const Plan a = book.Quote(context);
  const Plan b = book.Quote(context);
  ASSERT_EQ(a.discount_fen, 300);
  ASSERT_TRUE(book.Commit(10, a).ok());
  EXPECT_EQ(book.Commit(11, b).code, "MARKETING_PLAN_STALE");
  EXPECT_EQ(book.Quote(context).discount_fen, 0);
  EXPECT_EQ(book.coupons().FindCoupon(coupon_id)->redeemed_by_payment, 10u);
}

TEST(CampaignBookTest, PartialRefundsReverseExactlyTheWholeReward) {
  CampaignBook book;
  Campaign discount = MakeCampaign(CampaignType::kInstantDiscount);
  discount.rule.fixed_fen = 333;
  const uint64_t discount_id = AddLive(&book, discount);
  const uint64_t cashback_id = AddLive(&book, MakeCampaign(CampaignType::kCashback));
  const Plan plan = Pay(&book, 1, MakePayment(1, 1'333));  // pays 1000, 20 back
  ASSERT_EQ(plan.customer_pays_fen, 1'000);
  ASSERT_EQ(plan.cashback_fen, 20);

  RefundResult result;
  ASSERT_TRUE(book.Refund(1, 1, kT0, &result).ok());  // 0.1%: ceil(0.333) = 1, ceil(0.02) = 1
  ASSERT_EQ(result.reversals.size(), 2u);
  EXPECT_EQ(result.reversals[0], (Reversal{discount_id, 0, RewardKind::kDiscount, 1, false}));
  EXPECT_EQ(result.reversals[1], (Reversal{cashback_id, 0, RewardKind::kCashbackNow, 1, false}));
  EXPECT_FALSE(result.fully_refunded);
  int64_t discount_reversed = 1;
  int64_t cashback_reversed = 1;
  for (const int64_t refund : {333, 1, 298, 300}) {
    ASSERT_TRUE(book.Refund(1, refund, kT0, &result).ok());
    for (const Reversal& reversal : result.reversals) {
      (reversal.campaign_id == discount_id ? discount_reversed : cashback_reversed) +=
          reversal.amount_fen;
    }
    EXPECT_FALSE(result.fully_refunded);
  }
  EXPECT_EQ(book.Refund(1, 68, kT0, &result).code, "MARKETING_INVALID_REFUND");
  ASSERT_TRUE(book.Refund(1, 67, kT0, &result).ok());
  EXPECT_TRUE(result.fully_refunded);
  for (const Reversal& reversal : result.reversals) {
    (reversal.campaign_id == discount_id ? discount_reversed : cashback_reversed) +=
        reversal.amount_fen;
  }
  EXPECT_EQ(discount_reversed, 333);
  EXPECT_EQ(cashback_reversed, 20);
  EXPECT_EQ(Spent(book, discount_id), 0);
  EXPECT_EQ(Spent(book, cashback_id), 0);
  EXPECT_EQ(book.payment_count(), 0u);
  EXPECT_EQ(book.Refund(1, 1, kT0, &result).code, "MARKETING_PAYMENT_NOT_FOUND");
}

TEST(CampaignBookTest, ReportingFiguresCountRewardedPaymentsUntilTheFullRefund) {
  CampaignBook book;
  Campaign discount = MakeCampaign(CampaignType::kInstantDiscount);
  discount.rule.fixed_fen = 333;
  const uint64_t discount_id = AddLive(&book, discount);
  const uint64_t cashback_id = AddLive(&book, MakeCampaign(CampaignType::kCashback));
  Pay(&book, 1, MakePayment(1, 1'333));
  Pay(&book, 2, MakePayment(2, 2'333));
  for (const uint64_t id : {discount_id, cashback_id}) {
    EXPECT_EQ(book.FindCampaign(id)->spend.rewarded_payments, 2);
    EXPECT_EQ(book.FindCampaign(id)->spend.rewarded_gmv_fen, 1'333 + 2'333);
  }
  RefundResult result;
  ASSERT_TRUE(book.Refund(1, 500, kT0, &result).ok());  // partly: still counted whole
  EXPECT_EQ(book.FindCampaign(discount_id)->spend.rewarded_payments, 2);
  ASSERT_TRUE(book.Refund(1, 500, kT0, &result).ok());  // now fully
  for (const uint64_t id : {discount_id, cashback_id}) {
    EXPECT_EQ(book.FindCampaign(id)->spend.rewarded_payments, 1);
    EXPECT_EQ(book.FindCampaign(id)->spend.rewarded_gmv_fen, 2'333);
  }
  // The figures survive a checkpoint.
  std::string bytes;
  book.Serialize(&bytes);
  CampaignBook copy;
  ASSERT_TRUE(copy.Deserialize(bytes));
  EXPECT_EQ(copy.FindCampaign(discount_id)->spend, book.FindCampaign(discount_id)->spend);
}

TEST(CampaignBookTest, OlderCheckpointsLoadWithoutFiguresTargetingOrLists) {
  // Version 3 wrote no custom list (the 4 bytes before the campaign's 40 bytes of spend) and no
  // lists (the 16 bytes that end a book without any), version 2 no targeting either (the 12
  // bytes before those), and version 1 no figures either (the spend's last 16 bytes).
  CampaignBook empty;
  std::string tail;
  empty.Serialize(&tail);
  tail.erase(0, 24);  // magic, version, last commit time, campaign count
  CampaignBook book;
  AddLive(&book, MakeCampaign(CampaignType::kInstantDiscount));
  std::string bytes;
  book.Serialize(&bytes);
  ASSERT_EQ(bytes.compare(bytes.size() - tail.size(), tail.size(), tail), 0);
  const size_t campaign_end = bytes.size() - tail.size();
  std::string v3 = bytes;
  v3.erase(v3.size() - 16);
  v3.erase(campaign_end - 40 - 4, 4);
  v3[4] = 3;  // version, little-endian u32
  CampaignBook loaded;
  ASSERT_TRUE(loaded.Deserialize(v3));
  EXPECT_EQ(loaded, book);  // No list was targeted: 0 either way.
  std::string v2 = v3;
  v2.erase(campaign_end - 4 - 40 - 12, 12);
  v2[4] = 2;
  ASSERT_TRUE(loaded.Deserialize(v2));
  EXPECT_EQ(loaded, book);  // No targeting was set: 0 either way.
  std::string v1 = v2;
  v1.erase(campaign_end - 16 - 16, 16);
  v1[4] = 1;
  ASSERT_TRUE(loaded.Deserialize(v1));
  EXPECT_EQ(loaded, book);  // Nothing was rewarded yet: the figures are 0 either way.
  v1[4] = 5;
  EXPECT_FALSE(loaded.Deserialize(v1));
}

TEST(CampaignBookTest, AgeAndWinBackTargetingSurviveTheCheckpointAndTheCommandBytes) {
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  campaign.eligibility.age_min = 25;
  campaign.eligibility.age_max = 34;
  campaign.eligibility.inactive_days = 30;
  CampaignBook book;
  const uint64_t id = AddLive(&book, campaign);
  std::string bytes;
  book.Serialize(&bytes);
  CampaignBook loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes));
  EXPECT_EQ(loaded, book);
  EXPECT_EQ(loaded.FindCampaign(id)->campaign.eligibility.age_max, 34);
  EXPECT_EQ(loaded.FindCampaign(id)->campaign.eligibility.inactive_days, 30);

  // As a command carries it: the targeting only when set, so older configurations keep their
  // bytes, and a present but empty one is refused.
  std::string with;
  ByteWriter writer(&with);
  EncodeCampaignConfig(campaign, &writer);
  Campaign plain = campaign;
  plain.eligibility.age_min = plain.eligibility.age_max = plain.eligibility.inactive_days = 0;
  std::string without;
  ByteWriter plain_writer(&without);
  EncodeCampaignConfig(plain, &plain_writer);
  EXPECT_EQ(with.size(), without.size() + 12);
  EXPECT_EQ(with.compare(0, without.size(), without), 0);
  for (const auto& [encoded, expected] : {std::pair{with, campaign}, std::pair{without, plain}}) {
    Campaign decoded;
    ByteReader reader(encoded);
    ASSERT_TRUE(DecodeCampaignConfig(&reader, &decoded));
    EXPECT_EQ(reader.remaining(), 0u);
    EXPECT_EQ(decoded.eligibility, expected.eligibility);
  }
  Campaign decoded;
  const std::string empty_targeting = without + std::string(12, '\0');
  ByteReader reader(empty_targeting);
  EXPECT_FALSE(DecodeCampaignConfig(&reader, &decoded));
}

TEST(CampaignBookTest, HeldCashbackIsVoidedOnFullRefund) {
  CampaignBook book;
  Campaign campaign = MakeCampaign(CampaignType::kCashback);
  campaign.rule.hold_seconds = 3 * kDay;
  AddLive(&book, campaign);
  Pay(&book, 1, MakePayment(1, 10'000));  // 200 held
  Pay(&book, 2, MakePayment(2, 10'000));
  RefundResult result;
  ASSERT_TRUE(book.Refund(1, 10'000, kT0 + kDay, &result).ok());
  ASSERT_EQ(result.reversals.size(), 1u);
  EXPECT_EQ(result.reversals[0].kind, RewardKind::kCashbackHeld);
  EXPECT_EQ(result.reversals[0].amount_fen, 200);
  EXPECT_FALSE(result.reversals[0].hold_released);
  ASSERT_TRUE(book.Refund(2, 2'500, kT0 + 3 * kDay, &result).ok());  // released: claw back
  ASSERT_EQ(result.reversals.size(), 1u);
  EXPECT_EQ(result.reversals[0].amount_fen, 50);
  EXPECT_TRUE(result.reversals[0].hold_released);
}

TEST(CampaignBookTest, FullRefundRestoresAValidCoupon) {
  CampaignBook book;
  const uint64_t campaign = AddLive(&book, MakeCampaign(CampaignType::kThresholdCoupon));
  uint64_t template_id = 0;
  ASSERT_TRUE(
      book.CreateCouponTemplate(MakeThresholdTemplate(campaign, 0, 300), &template_id).ok());
  uint64_t coupon_a = 0;
  uint64_t coupon_b = 0;
  ASSERT_TRUE(book.ClaimCoupon(template_id, 1, kT0, &coupon_a).ok());
  ASSERT_TRUE(book.ClaimCoupon(template_id, 1, kT0, &coupon_b).ok());
  PaymentContext context = MakePayment(1, 1'000);
  context.coupon_id = coupon_a;
  Pay(&book, 1, context);
  context.coupon_id = coupon_b;
  Pay(&book, 2, context);

  RefundResult result;
  ASSERT_TRUE(book.Refund(1, 300, kT0, &result).ok());  // partial: the coupon stays used
  EXPECT_FALSE(result.coupon_restored);
  EXPECT_EQ(book.coupons().FindCoupon(coupon_a)->state, CouponState::kRedeemed);
  ASSERT_TRUE(book.Refund(1, 400, kT0 + kDay, &result).ok());
  EXPECT_TRUE(result.coupon_restored);
  EXPECT_EQ(book.coupons().FindCoupon(coupon_a)->state, CouponState::kAvailable);
  EXPECT_EQ(Spent(book, campaign), 300);  // payment 2's coupon

  ASSERT_TRUE(book.Refund(2, 700, kT0 + 30 * kDay, &result).ok());  // after valid_until
  EXPECT_FALSE(result.coupon_restored);
  EXPECT_EQ(book.coupons().FindCoupon(coupon_b)->state, CouponState::kExpired);
  EXPECT_EQ(Spent(book, campaign), 0);
}

TEST(CampaignBookTest, CountsComeBackOnlyWithTheFullRefund) {
  CampaignBook book;
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  campaign.rule.fixed_fen = 100;
  campaign.caps.customer_count_lifetime = 1;
  campaign.caps.device_count_lifetime = 1;
  const uint64_t id = AddLive(&book, campaign);
  Pay(&book, 1, MakePayment(1, 1'000));
  EXPECT_EQ(book.Quote(MakePayment(1, 1'000)).discount_fen, 0);
  RefundResult result;
  ASSERT_TRUE(book.Refund(1, 450, kT0, &result).ok());
  EXPECT_EQ(book.Quote(MakePayment(1, 1'000)).discount_fen, 0);
  EXPECT_EQ(book.usage().FindCustomer(id, 1)->amount_lifetime_fen, 50);
  ASSERT_TRUE(book.Refund(1, 450, kT0, &result).ok());
  EXPECT_EQ(book.Quote(MakePayment(1, 1'000)).discount_fen, 100);
  EXPECT_TRUE(book.usage().empty());
}

TEST(CampaignBookTest, RefundOfAnEarlierDayLeavesTodaysFiguresAlone) {
  CampaignBook book;
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  campaign.caps.budget_daily_fen = 1'000;
  campaign.caps.customer_amount_daily_fen = 800;
  const uint64_t id = AddLive(&book, campaign);
  Pay(&book, 1, MakePayment(1, 10'000));
  Pay(&book, 2, MakePayment(1, 10'000, kT0 + kDay));
  RefundResult result;
  ASSERT_TRUE(book.Refund(1, 9'500, kT0 + kDay, &result).ok());
  const CampaignSpend& spend = book.FindCampaign(id)->spend;
  EXPECT_EQ(spend.spent_total_fen, 500);
  EXPECT_EQ(spend.spent_day_fen, 500);
  EXPECT_EQ(book.usage().FindCustomer(id, 1)->amount_day_fen, 500);
  EXPECT_EQ(book.Quote(MakePayment(1, 10'000, kT0 + kDay)).discount_fen, 300);
}

CampaignBook SampleBook() {
  CampaignBook book;
  Campaign discount = MakeCampaign(CampaignType::kInstantDiscount);
  discount.eligibility.merchant_ids = {77, 78};
  discount.eligibility.categories = {5812};
  discount.caps.customer_count_daily = 5;
  discount.caps.device_count_lifetime = 9;
  discount.caps.identity_count_lifetime = 9;
  AddLive(&book, discount);
  Campaign cashback = MakeCampaign(CampaignType::kCashback);
  cashback.rule.hold_seconds = kDay;
  AddLive(&book, cashback);
  const uint64_t coupons = AddLive(&book, MakeCampaign(CampaignType::kThresholdCoupon));
  uint64_t template_id = 0;
  EXPECT_TRUE(book.CreateCouponTemplate(MakeThresholdTemplate(coupons, 0, 100), &template_id).ok());
  uint64_t coupon_id = 0;
  EXPECT_TRUE(book.ClaimCoupon(template_id, 1, kT0, &coupon_id).ok());
  const std::vector<uint64_t> customers = {2, 3};
  uint64_t first = 0;
  EXPECT_TRUE(book.IssueCoupons(template_id, customers, kT0, &first).ok());
  PaymentContext context = MakePayment(1, 10'000);
  context.coupon_id = coupon_id;
  Pay(&book, 1, context);
  Pay(&book, 2, MakePayment(2, 7'000));
  RefundResult result;
  EXPECT_TRUE(book.Refund(2, 1'000, kT0, &result).ok());
  return book;
}

TEST(CampaignBookTest, SerializeRoundTrip) {
  const CampaignBook book = SampleBook();
  std::string bytes;
  book.Serialize(&bytes);
  CampaignBook copy;
  ASSERT_TRUE(copy.Deserialize(bytes));
  EXPECT_TRUE(copy == book);
  EXPECT_EQ(copy.StateHash(), book.StateHash());
  EXPECT_EQ(copy.FindPayment(2)->refunded_fen, 1'000);
  EXPECT_EQ(copy.coupons().CouponsOf(2), book.coupons().CouponsOf(2));
  // The copy behaves the same from here on.
  CampaignBook original = SampleBook();
  const PaymentContext next = MakePayment(3, 5'000, kT0 + 60);
  EXPECT_EQ(Pay(&copy, 3, next), Pay(&original, 3, next));
  EXPECT_TRUE(copy == original);
  EXPECT_FALSE(copy == book);
  EXPECT_NE(copy.StateHash(), book.StateHash());
}

TEST(CampaignBookTest, DeserializeRefusesTruncatedOrCorruptInput) {
  const CampaignBook book = SampleBook();
  std::string bytes;
  book.Serialize(&bytes);
  for (size_t length = 0; length < bytes.size(); ++length) {
    CampaignBook copy;
    ASSERT_FALSE(copy.Deserialize(std::string_view(bytes).substr(0, length))) << length;
    EXPECT_TRUE(copy == CampaignBook());
  }
  CampaignBook copy;
  EXPECT_FALSE(copy.Deserialize(bytes + "x"));
  std::string bad_magic = bytes;
  bad_magic[0] ^= 1;
  EXPECT_FALSE(copy.Deserialize(bad_magic));
  // Flipping any byte either fails to decode or decodes to a book that re-encodes to exactly
  // those bytes: nothing is silently normalized away.
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
    if (!copy.Deserialize(flipped)) continue;
    std::string again;
    copy.Serialize(&again);
    EXPECT_EQ(again, flipped) << i;
  }
}

}  // namespace
}  // namespace qb::marketing
