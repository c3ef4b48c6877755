// The fixture of the engine's marketing tests: the payments fixture plus campaign and coupon
// builders (valid configurations around the test clock's start) and read-backs of budgets,
// coupons and what marketing gave a payment.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "payments_fixture.h"

namespace qb::engine::testing {

inline constexpr int64_t kStartS = kStartNs / 1'000'000'000;
inline constexpr int64_t kDaySeconds = 86'400;

inline marketing::Campaign MakeCampaign(marketing::CampaignType type, int64_t budget_fen) {
  using marketing::AmountShape;
  using marketing::CampaignType;
  marketing::Campaign campaign;
  campaign.name = std::string(marketing::CampaignTypeName(type));
  campaign.type = type;
  switch (type) {
    case CampaignType::kInstantDiscount:
    case CampaignType::kFirstOrder:
      campaign.rule.shape = AmountShape::kFixed;
      campaign.rule.fixed_fen = 500;
      break;
    case CampaignType::kThresholdCoupon:
    case CampaignType::kDiscountCoupon:
      campaign.rule.shape = AmountShape::kNone;
      break;
    case CampaignType::kCashback:
      campaign.rule.shape = AmountShape::kPercent;
      campaign.rule.percent_bps = 200;  // 2 %
      break;
  }
  campaign.eligibility.window_start_s = kStartS - 30 * kDaySeconds;
  campaign.eligibility.window_end_s = kStartS + 365 * kDaySeconds;
  campaign.caps.budget_total_fen = budget_fen;
  return campaign;
}

inline marketing::CouponTemplate MakeThresholdTemplate(uint64_t campaign_id, int64_t threshold_fen,
                                                       int64_t save_fen, int64_t stock = 1'000) {
  marketing::CouponTemplate t;
  t.campaign_id = campaign_id;
  t.name = "spend-save";
  t.kind = marketing::CouponKind::kThreshold;
  t.threshold_fen = threshold_fen;
  t.save_fen = save_fen;
  t.stock = stock;
  t.validity = marketing::ValidityKind::kFixedWindow;
  t.valid_from_s = kStartS - kDaySeconds;
  t.valid_until_s = kStartS + 30 * kDaySeconds;
  t.claim_start_s = kStartS - kDaySeconds;
  t.claim_end_s = kStartS + 30 * kDaySeconds;
  return t;
}

class MarketingTest : public PaymentsTest {
 protected:
  static uint8_t Code(MarketingResult r) { return static_cast<uint8_t>(r); }
  using PaymentsTest::Code;

  // Executes a marketing command; returns its result, keeps value and text.
  uint8_t Marketing(Command command) {
    Reply reply = engine_->Execute(std::move(command));
    EXPECT_EQ(reply.status, ReplyStatus::kOk);
    last_value_ = reply.value;
    last_text_ = reply.text;
    return reply.results.empty() ? 255 : reply.results[0];
  }

  // Creates the campaign and makes it live; returns its id.
  uint64_t StartCampaign(const marketing::Campaign& config) {
    EXPECT_EQ(Marketing(CreateCampaign{staff_, config}), Code(MarketingResult::kOk)) << last_text_;
    const uint64_t id = last_value_;
    EXPECT_EQ(Marketing(TransitionCampaign{staff_, id, marketing::CampaignStatus::kLive}),
              Code(MarketingResult::kOk))
        << last_text_;
    return id;
  }

  int64_t Budget(uint64_t campaign_id) {
    return FindAccount(kCampaignBudgetAccountBase + campaign_id)->CreditBalance();
  }
  int64_t Expense() {
    std::optional<ledger::Account> expense = FindAccount(kMarketingExpenseAccountId);
    return expense ? expense->CreditBalance() : 0;
  }
  marketing::CampaignState CampaignOf(uint64_t id) {
    marketing::CampaignState copy;
    Query([&](const StateMachine& s) { copy = *s.campaigns().FindCampaign(id); });
    return copy;
  }
  marketing::Coupon CouponOf(uint64_t id) {
    marketing::Coupon copy;
    Query([&](const StateMachine& s) { copy = *s.campaigns().coupons().FindCoupon(id); });
    return copy;
  }
  PaymentMarketing MarketingOf(uint64_t payment_id) {
    PaymentMarketing copy;
    Query([&](const StateMachine& s) {
      if (const PaymentMarketing* found = s.FindPaymentMarketing(payment_id)) copy = *found;
    });
    return copy;
  }
  void ExpectLedgerSound() {
    std::optional<std::string> problem;
    Query([&](const StateMachine& s) { problem = s.ledger().CheckInvariants(); });
    EXPECT_FALSE(problem.has_value()) << *problem;
  }
  uint64_t Claim(uint64_t customer, uint64_t template_id) {
    EXPECT_EQ(Marketing(ClaimCoupon{customer, template_id}), Code(MarketingResult::kOk))
        << last_text_;
    return last_value_;
  }
  Pay ScanPayWithCoupon(uint64_t id, uint64_t customer, uint64_t merchant, int64_t amount,
                        uint64_t coupon) {
    Pay pay = ScanPay(id, customer, merchant, amount);
    pay.coupon_id = coupon;
    return pay;
  }

  std::string last_text_;
};

}  // namespace qb::engine::testing
