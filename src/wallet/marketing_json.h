// The marketing API's JSON (marketing_routes.cc): campaign and coupon-template inputs decoded
// into the campaign book's configuration types, and the views of campaigns, templates and
// coupons. Field names follow the API (amounts in fen without a "_fen" suffix, times as RFC 3339
// strings); the book's own field names appear only through BookFieldName. Private to the wallet
// module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "api/json_writer.h"
#include "marketing/campaign.h"
#include "marketing/co_funding.h"
#include "marketing/coupons.h"
#include "marketing/pricing.h"

namespace qb::wallet {

// Limits of the marketing bodies: campaign targeting lists and bulk issues are larger than the
// API's default field count allows, still bounded by the HTTP server's body limit.
inline constexpr uint32_t kMarketingMaxFields = 12'000;

// RFC 3339 with a Z or a numeric offset ("2026-11-23T09:00:00+08:00"), as unix seconds (a
// fraction is dropped); nullopt when malformed or before 1970.
std::optional<int64_t> ParseRfc3339Seconds(std::string_view text);

// CampaignInput → a campaign configuration (id and status left 0 / draft). Only the shape is
// checked here (types, enums, integer ranges that fit the book's fields): FIELD_INVALID,
// FIELD_REQUIRED, UNKNOWN_FIELD, MALFORMED_JSON. The values are the book's to judge.
api::ApiResult<marketing::Campaign> ParseCampaignInput(std::string_view body);

// {"campaign": CampaignInput, "days": 1..30 (default 30)}: a dry run's candidate and how many
// days of history to price it over.
struct DryRunInput {
  marketing::Campaign campaign;
  int64_t days = 30;
};
api::ApiResult<DryRunInput> ParseDryRunInput(std::string_view body);

// CouponTemplateInput → a template configuration (id 0).
api::ApiResult<marketing::CouponTemplate> ParseCouponTemplateInput(std::string_view body);

// {"customer_ids":[...]}: 1 to `max_count` decimal ids.
api::ApiResult<std::vector<uint64_t>> ParseCustomerIds(std::string_view body, size_t max_count);
// {"segments": ["channel_outreach", ...]}: the segment mask, or 0 when the body names no
// segments (then it lists customer ids). FIELD_INVALID for unknown names or an empty list,
// UNKNOWN_FIELD for anything beside them.
api::ApiResult<uint64_t> ParseSegmentMask(std::string_view body);

// The API's name for a field the book names ("caps.budget_daily_fen" → "caps.budget_daily").
std::string BookFieldName(std::string_view field);

// The answer to a campaign book refusal ("CODE" or "CODE:field" as the engine replies):
// 404 for an unknown campaign or template, 422 for a configuration error
// (CAMPAIGN_INVALID_* / COUPON_INVALID_*), 409 otherwise; the code is the book's.
api::ApiError BookRefusal(std::string_view reply_text);

std::string_view CampaignTypeApiName(marketing::CampaignType type);
std::string_view CampaignStatusApiName(marketing::CampaignStatus status);
std::optional<marketing::CampaignStatus> ParseCampaignStatus(std::string_view name);

// The campaign's "reward" and "eligibility" objects. `brief` eligibility (customer offers)
// has only the window, min_amount, channels and merchant_ids.
api::JsonObjectWriter RewardJson(const marketing::RewardRule& rule);
api::JsonObjectWriter EligibilityJson(const marketing::Eligibility& eligibility, bool brief);

// A co-funded campaign's funders, for the staff's settlement view: the bank first, then each
// merchant (with its name) in id order.
struct CoFundingView {
  marketing::CoFunding funding;
  std::vector<std::string> merchant_names;  // one per funding.merchants
};

// Campaign JSON as the staff see it, with its figures, and with "co_funding" (null when no
// merchant put money in): each funder's money in, its share of the cost and what it got back
// (while the campaign runs, what it would get back if it ended now). `reward_customers`,
// when known (the read models count it), adds figures.reward_customers and
// figures.cost_per_customer.
api::JsonObjectWriter CampaignJson(const marketing::CampaignState& state,
                                   const CoFundingView* co_funding,
                                   std::optional<int64_t> reward_customers = std::nullopt);

// A co-funded campaign as one of its merchants sees it: the campaign's name, status and window,
// everything put in and spent, and this merchant's own money in, share of the cost and return
// (no other funder's). Requires `merchant_id` among the funders.
api::JsonObjectWriter MerchantCoFundingJson(const marketing::CampaignState& state,
                                            const marketing::CoFunding& funding,
                                            uint64_t merchant_id);

// CouponTemplate JSON; `issued` is how many instances exist.
api::JsonObjectWriter CouponTemplateJson(const marketing::CouponTemplate& coupon_template,
                                         int64_t issued);

// Coupon JSON as its holder sees it at `now_s` (an available coupon past its end is "expired").
api::JsonObjectWriter CouponJson(const marketing::Coupon& coupon,
                                 const marketing::CouponTemplate& coupon_template, int64_t now_s);

// "discount" | "coupon" | "cashback".
std::string_view RewardKindApiName(marketing::RewardKind kind);

}  // namespace qb::wallet
