#include "marketing/coupons.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "marketing_test_util.h"

namespace qb::marketing {
namespace {

using testing::kDay;
using testing::kT0;
using testing::MakeThresholdTemplate;

uint64_t AddTemplate(CouponBook* book, const CouponTemplate& t) {
  uint64_t id = 0;
  const Error error = book->CreateTemplate(t, &id);
  EXPECT_TRUE(error.ok()) << error.code << " " << error.field;
  return id;
}

TEST(CouponsTest, TemplateValidation) {
  EXPECT_TRUE(ValidateCouponTemplate(MakeThresholdTemplate(1, 10'000, 1'000)).ok());
  CouponTemplate t = MakeThresholdTemplate(1, 10'000, 0);
  EXPECT_EQ(ValidateCouponTemplate(t).code, "COUPON_INVALID_TERMS");
  t = MakeThresholdTemplate(1, 10'000, 1'000, 0);
  EXPECT_EQ(ValidateCouponTemplate(t).code, "COUPON_INVALID_STOCK");
  t = MakeThresholdTemplate(1, 10'000, 1'000);
  t.valid_until_s = t.valid_from_s;
  EXPECT_EQ(ValidateCouponTemplate(t).code, "COUPON_INVALID_VALIDITY");
  t = MakeThresholdTemplate(1, 10'000, 1'000);
  t.validity = ValidityKind::kDaysAfterClaim;
  EXPECT_EQ(ValidateCouponTemplate(t).code, "COUPON_INVALID_VALIDITY");  // window fields set
  t.valid_from_s = 0;
  t.valid_until_s = 0;
  t.valid_days = 7;
  EXPECT_TRUE(ValidateCouponTemplate(t).ok());
  t.claim_end_s = t.claim_start_s;
  EXPECT_EQ(ValidateCouponTemplate(t).code, "COUPON_INVALID_CLAIM_WINDOW");
  t = MakeThresholdTemplate(1, 0, 1'000);
  t.kind = CouponKind::kPercent;
  EXPECT_EQ(ValidateCouponTemplate(t).field, "discount_bps");
}

TEST(CouponsTest, DiscountOfEachKind) {
  const CouponTemplate threshold = MakeThresholdTemplate(1, 10'000, 1'500);
  EXPECT_EQ(CouponDiscount(threshold, 9'999), 0);
  EXPECT_EQ(CouponDiscount(threshold, 10'000), 1'500);
  CouponTemplate percent = MakeThresholdTemplate(1, 0, 0);
  percent.kind = CouponKind::kPercent;
  percent.discount_bps = 1'200;  // 12% off, at most ¥20
  percent.discount_cap_fen = 2'000;
  EXPECT_EQ(CouponDiscount(percent, 999), 119);
  EXPECT_EQ(CouponDiscount(percent, 100'000), 2'000);
}

TEST(CouponsTest, ClaimTakesStockAndRespectsTheCustomerLimit) {
  CouponBook book;
  CouponTemplate t = MakeThresholdTemplate(1, 10'000, 1'000, 3);
  t.per_customer_limit = 2;
  const uint64_t template_id = AddTemplate(&book, t);
  uint64_t coupon_id = 0;
  ASSERT_TRUE(book.Claim(template_id, 100, kT0, &coupon_id).ok());
  EXPECT_EQ(coupon_id, 1u);
  ASSERT_TRUE(book.Claim(template_id, 100, kT0, &coupon_id).ok());
  EXPECT_EQ(coupon_id, 2u);
  EXPECT_EQ(book.Claim(template_id, 100, kT0, &coupon_id).code, "COUPON_CLAIM_LIMIT");
  ASSERT_TRUE(book.Claim(template_id, 200, kT0, &coupon_id).ok());
  EXPECT_EQ(book.Claim(template_id, 300, kT0, &coupon_id).code, "COUPON_OUT_OF_STOCK");
  EXPECT_EQ(book.IssuedCount(template_id), 3);
  EXPECT_EQ(book.CouponsOf(100), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(book.Claim(99, 300, kT0, &coupon_id).code, "COUPON_TEMPLATE_NOT_FOUND");
}

TEST(CouponsTest, FlashGrabOpensAtItsStart) {
  CouponBook book;
  CouponTemplate t = MakeThresholdTemplate(1, 10'000, 1'000, 2);
  t.claim_start_s = kT0 + 3'600;
  t.claim_end_s = kT0 + 7'200;
  const uint64_t template_id = AddTemplate(&book, t);
  uint64_t coupon_id = 0;
  EXPECT_EQ(book.Claim(template_id, 1, kT0 + 3'599, &coupon_id).code, "COUPON_CLAIM_NOT_STARTED");
  EXPECT_TRUE(book.Claim(template_id, 1, kT0 + 3'600, &coupon_id).ok());
  EXPECT_TRUE(book.Claim(template_id, 2, kT0 + 3'601, &coupon_id).ok());
  EXPECT_EQ(book.Claim(template_id, 3, kT0 + 3'602, &coupon_id).code, "COUPON_OUT_OF_STOCK");
  EXPECT_EQ(book.Claim(template_id, 3, kT0 + 7'200, &coupon_id).code, "COUPON_CLAIM_ENDED");
}

TEST(CouponsTest, FixedWindowAndDaysAfterClaimValidity) {
  CouponBook book;
  const uint64_t fixed = AddTemplate(&book, MakeThresholdTemplate(1, 0, 100));
  CouponTemplate relative = MakeThresholdTemplate(1, 0, 100);
  relative.validity = ValidityKind::kDaysAfterClaim;
  relative.valid_from_s = 0;
  relative.valid_until_s = 0;
  relative.valid_days = 3;
  const uint64_t relative_id = AddTemplate(&book, relative);

  uint64_t a = 0;
  uint64_t b = 0;
  ASSERT_TRUE(book.Claim(fixed, 1, kT0, &a).ok());
  ASSERT_TRUE(book.Claim(relative_id, 1, kT0 + 100, &b).ok());
  EXPECT_EQ(book.FindCoupon(a)->valid_until_s, kT0 + 30 * kDay);
  EXPECT_EQ(book.FindCoupon(b)->valid_from_s, kT0 + 100);
  EXPECT_EQ(book.FindCoupon(b)->valid_until_s, kT0 + 100 + 3 * kDay);
  EXPECT_TRUE(book.CheckRedeemable(b, 1, kT0 + 100 + 3 * kDay - 1).ok());
  EXPECT_EQ(book.CheckRedeemable(b, 1, kT0 + 100 + 3 * kDay).code, "COUPON_EXPIRED");
  EXPECT_EQ(CouponBook::EffectiveState(*book.FindCoupon(b), kT0 + 4 * kDay), CouponState::kExpired);
  EXPECT_EQ(CouponBook::EffectiveState(*book.FindCoupon(b), kT0), CouponState::kAvailable);
  // A fixed window that is over cannot be claimed any more.
  EXPECT_EQ(book.Claim(fixed, 2, kT0 + 30 * kDay, &a).code, "COUPON_CLAIM_ENDED");
}

TEST(CouponsTest, RedeemOnceThenRestoreOnlyWhileValid) {
  CouponBook book;
  const uint64_t template_id = AddTemplate(&book, MakeThresholdTemplate(1, 0, 100));
  uint64_t coupon_id = 0;
  ASSERT_TRUE(book.Claim(template_id, 1, kT0, &coupon_id).ok());
  EXPECT_EQ(book.CheckRedeemable(coupon_id, 2, kT0).code, "COUPON_NOT_OWNER");
  ASSERT_TRUE(book.CheckRedeemable(coupon_id, 1, kT0).ok());
  book.MarkRedeemed(coupon_id, 555);
  EXPECT_EQ(book.FindCoupon(coupon_id)->redeemed_by_payment, 555u);
  EXPECT_EQ(book.CheckRedeemable(coupon_id, 1, kT0).code, "COUPON_NOT_AVAILABLE");

  EXPECT_TRUE(book.Restore(coupon_id, kT0 + kDay));
  EXPECT_EQ(book.FindCoupon(coupon_id)->state, CouponState::kAvailable);
  EXPECT_EQ(book.FindCoupon(coupon_id)->redeemed_by_payment, 0u);
  book.MarkRedeemed(coupon_id, 556);
  EXPECT_FALSE(book.Restore(coupon_id, kT0 + 31 * kDay));  // past valid_until
  EXPECT_EQ(book.FindCoupon(coupon_id)->state, CouponState::kExpired);
  EXPECT_EQ(book.CheckRedeemable(coupon_id, 1, kT0).code, "COUPON_EXPIRED");
  EXPECT_EQ(book.CheckRedeemable(999, 1, kT0).code, "COUPON_NOT_FOUND");
}

TEST(CouponsTest, VoidWithdrawsAnUnusedCoupon) {
  CouponBook book;
  const uint64_t template_id = AddTemplate(&book, MakeThresholdTemplate(1, 0, 100));
  uint64_t coupon_id = 0;
  ASSERT_TRUE(book.Claim(template_id, 1, kT0, &coupon_id).ok());
  EXPECT_TRUE(book.Void(coupon_id).ok());
  EXPECT_EQ(book.Void(coupon_id).code, "COUPON_NOT_AVAILABLE");
  EXPECT_EQ(book.CheckRedeemable(coupon_id, 1, kT0).code, "COUPON_NOT_AVAILABLE");
}

TEST(CouponsTest, IssueIsAllOrNothingAndCountsOnlyWhenConfigured) {
  CouponBook book;
  CouponTemplate t = MakeThresholdTemplate(1, 0, 100, 5);
  t.per_customer_limit = 1;
  const uint64_t free_issue = AddTemplate(&book, t);
  t.issue_counts_toward_limit = true;
  const uint64_t counted_issue = AddTemplate(&book, t);

  uint64_t first = 0;
  const std::vector<uint64_t> twice = {7, 7};
  ASSERT_TRUE(book.Issue(free_issue, twice, kT0, &first).ok());
  EXPECT_EQ(first, 1u);
  uint64_t claimed = 0;
  EXPECT_TRUE(book.Claim(free_issue, 7, kT0, &claimed).ok());  // issues did not count

  EXPECT_EQ(book.Issue(counted_issue, twice, kT0, &first).code, "COUPON_CLAIM_LIMIT");
  EXPECT_EQ(book.IssuedCount(counted_issue), 0);
  const std::vector<uint64_t> six = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(book.Issue(counted_issue, six, kT0, &first).code, "COUPON_OUT_OF_STOCK");
  EXPECT_EQ(book.coupon_count(), 3u);
  const std::vector<uint64_t> one = {8};
  ASSERT_TRUE(book.Issue(counted_issue, one, kT0, &first).ok());
  EXPECT_EQ(first, 4u);
  EXPECT_EQ(book.Claim(counted_issue, 8, kT0, &claimed).code, "COUPON_CLAIM_LIMIT");
  // Ops may issue after the claim window closed, not after a fixed validity window.
  EXPECT_TRUE(book.Issue(free_issue, one, kT0 + 30 * kDay - 1, &first).ok());
  EXPECT_EQ(book.Issue(free_issue, one, kT0 + 30 * kDay, &first).code, "COUPON_TEMPLATE_EXPIRED");
}

// Bulk issue is one append per coupon: a million fit comfortably in a unit test (no timing is
// asserted; the point is that nothing in the path is worse than linear).
TEST(CouponsTest, BulkIssueOfAMillion) {
  constexpr int64_t kCount = 1'000'000;
  CouponBook book;
  const uint64_t template_id = AddTemplate(&book, MakeThresholdTemplate(1, 0, 100, kCount));
  std::vector<uint64_t> customers(kCount);
  std::iota(customers.begin(), customers.end(), uint64_t{1'000'000});
  book.Reserve(kCount);
  uint64_t first = 0;
  ASSERT_TRUE(book.Issue(template_id, customers, kT0, &first).ok());
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(book.coupon_count(), static_cast<size_t>(kCount));
  EXPECT_EQ(book.IssuedCount(template_id), kCount);
  const Coupon* last = book.FindCoupon(kCount);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->customer_id, 1'000'000u + kCount - 1);
  EXPECT_EQ(book.CouponsOf(1'000'000u + 500), (std::vector<uint64_t>{501}));
  uint64_t coupon_id = 0;
  EXPECT_EQ(book.Claim(template_id, 1, kT0, &coupon_id).code, "COUPON_OUT_OF_STOCK");
}

}  // namespace
}  // namespace qb::marketing
