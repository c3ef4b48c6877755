// Redeem codes through the engine (commands 76 and 77): a batch bounded by the template's
// stock, each code redeemed once for one coupon of the template, a code past the batch refused,
// the stock binding at redemption, the bits kept across a restart, and the audit entry.
#include <gtest/gtest.h>

#include "marketing_fixture.h"

namespace qb::engine::testing {
namespace {

class CouponCodeTest : public MarketingTest {
 protected:
  uint64_t Template(int64_t stock) {
    const uint64_t campaign =
        StartCampaign(MakeCampaign(marketing::CampaignType::kThresholdCoupon, 10'000));
    EXPECT_EQ(
        Marketing(CreateCouponTemplate{staff_, MakeThresholdTemplate(campaign, 50, 10, stock)}),
        Code(MarketingResult::kOk));
    return last_value_;
  }
  uint8_t Redeem(uint64_t customer, uint64_t batch, uint32_t index) {
    return Marketing(RedeemCouponCode{customer, batch, index, ""});
  }
  marketing::CodeBatch BatchOf(uint64_t id) {
    marketing::CodeBatch copy;
    Query([&](const StateMachine& s) { copy = *s.coupon_codes().Find(id); });
    return copy;
  }
};

TEST_F(CouponCodeTest, EachCodeGivesOneCouponOnce) {
  const uint64_t template_id = Template(5);
  EXPECT_EQ(Marketing(CreateCouponCodes{staff_, template_id, 6}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "COUPON_OUT_OF_STOCK");
  EXPECT_EQ(Marketing(CreateCouponCodes{staff_, 999, 1}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "COUPON_TEMPLATE_NOT_FOUND");
  EXPECT_EQ(Marketing(CreateCouponCodes{staff_ + 9, template_id, 1}),
            Code(MarketingResult::kStaffNotFound));
  ASSERT_EQ(Marketing(CreateCouponCodes{staff_, template_id, 5}), Code(MarketingResult::kOk));
  const uint64_t batch = last_value_;
  EXPECT_EQ(batch, 1u);

  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  ASSERT_EQ(Redeem(alice, batch, 3), Code(MarketingResult::kOk)) << last_text_;
  const uint64_t coupon = last_value_;
  EXPECT_EQ(CouponOf(coupon).customer_id, alice);
  EXPECT_EQ(CouponOf(coupon).template_id, template_id);
  EXPECT_EQ(Redeem(bob, batch, 3), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "COUPON_CODE_USED");
  EXPECT_EQ(Redeem(bob, batch, 5), Code(MarketingResult::kRefused));  // past the batch
  EXPECT_EQ(last_text_, "COUPON_CODE_INVALID");
  EXPECT_EQ(Redeem(bob, 2, 0), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "COUPON_CODE_INVALID");
  EXPECT_EQ(Redeem(alice + bob + 9, batch, 0), Code(MarketingResult::kCustomerNotFound));
  // Codes do not reserve stock: claims can take it first, and the code is then refused unused.
  for (const uint64_t customer :
       {bob, SignUp("13800138003"), SignUp("13800138004"), SignUp("13800138005")}) {
    Claim(customer, template_id);
  }
  EXPECT_EQ(Redeem(bob, batch, 0), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "COUPON_OUT_OF_STOCK");
  EXPECT_EQ(BatchOf(batch).redeemed, 1u);
  EXPECT_FALSE(BatchOf(batch).IsUsed(0));
  EXPECT_TRUE(BatchOf(batch).IsUsed(3));
  ExpectSameAfterRestart();
  EXPECT_EQ(Redeem(bob, batch, 3), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "COUPON_CODE_USED");
  EXPECT_EQ(BatchOf(batch).redeemed, 1u);
}

TEST_F(CouponCodeTest, AMillionCodesAreOneBatchOfBits) {
  const uint64_t template_id = Template(2'000'000);
  ASSERT_EQ(Marketing(CreateCouponCodes{staff_, template_id, marketing::kMaxCodesPerBatch}),
            Code(MarketingResult::kOk));
  const uint64_t batch = last_value_;
  EXPECT_EQ(BatchOf(batch).used.size(), (marketing::kMaxCodesPerBatch + 63) / 64);
  const uint64_t alice = SignUp("13800138001");
  ASSERT_EQ(Redeem(alice, batch, marketing::kMaxCodesPerBatch - 1), Code(MarketingResult::kOk));
  EXPECT_EQ(Redeem(alice, batch, marketing::kMaxCodesPerBatch), Code(MarketingResult::kRefused));
  ExpectSameAfterRestart();
  EXPECT_TRUE(BatchOf(batch).IsUsed(marketing::kMaxCodesPerBatch - 1));
}

}  // namespace
}  // namespace qb::engine::testing
