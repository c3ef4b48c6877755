// Builders shared by the marketing tests: valid configurations with one knob turned at a time.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "marketing/campaign.h"
#include "marketing/campaign_book.h"
#include "marketing/coupons.h"
#include "marketing/pricing.h"

namespace qb::marketing::testing {

// 2023-11-14 22:13:20 UTC = 2023-11-15 06:13:20 China time.
inline constexpr int64_t kT0 = 1'700'000'000;
inline constexpr int64_t kDay = kSecondsPerDay;

inline Campaign MakeCampaign(CampaignType type, int64_t budget_fen = 1'000'000) {
  Campaign campaign;
  campaign.name = std::string(CampaignTypeName(type));
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
      campaign.rule.percent_bps = 200;  // 2%
      break;
  }
  campaign.eligibility.window_start_s = kT0 - 30 * kDay;
  campaign.eligibility.window_end_s = kT0 + 365 * kDay;
  campaign.caps.budget_total_fen = budget_fen;
  return campaign;
}

inline CouponTemplate MakeThresholdTemplate(uint64_t campaign_id, int64_t threshold_fen,
                                            int64_t save_fen, int64_t stock = 1000) {
  CouponTemplate t;
  t.campaign_id = campaign_id;
  t.name = "spend-save";
  t.kind = CouponKind::kThreshold;
  t.threshold_fen = threshold_fen;
  t.save_fen = save_fen;
  t.stock = stock;
  t.validity = ValidityKind::kFixedWindow;
  t.valid_from_s = kT0 - kDay;
  t.valid_until_s = kT0 + 30 * kDay;
  t.claim_start_s = kT0 - kDay;
  t.claim_end_s = kT0 + 30 * kDay;
  return t;
}

inline PaymentContext MakePayment(uint64_t customer_id, int64_t amount_fen, int64_t time_s = kT0) {
  PaymentContext context;
  context.customer_id = customer_id;
  context.device_hash = 0xD000 + customer_id;
  context.identity_hash = 0x1D000 + customer_id;
  context.merchant_id = 77;
  context.merchant_category = 5812;
  context.region = 310000;
  context.channel = Channel::kQr;
  context.amount_fen = amount_fen;
  context.time_s = time_s;
  context.seed = 12345;
  return context;
}

// Creates the campaign and makes it live; returns its id.
inline uint64_t AddLive(CampaignBook* book, const Campaign& campaign) {
  uint64_t id = 0;
  const Error error = book->CreateCampaign(campaign, &id);
  EXPECT_TRUE(error.ok()) << error.code << " " << error.field;
  EXPECT_TRUE(book->TransitionCampaign(id, CampaignStatus::kLive).ok());
  return id;
}

// Quotes and commits; expects the commit to succeed.
inline Plan Pay(CampaignBook* book, uint64_t payment_id, const PaymentContext& context) {
  const Plan plan = book->Quote(context);
  const Error error = book->Commit(payment_id, plan);
  EXPECT_TRUE(error.ok()) << error.code;
  return plan;
}

inline int64_t Spent(const CampaignBook& book, uint64_t campaign_id) {
  return book.FindCampaign(campaign_id)->spend.spent_total_fen;
}

}  // namespace qb::marketing::testing
