// Commands 55 to 61 and 81: marketing campaigns, their budgets, coupons and custom lists
// (marketing/campaign_book.h holds the rules; engine/state_machine_marketing.cc runs them against
// the ledger).
//
//   body (type 55) := staff_id:u64 campaign_config                          (CreateCampaign)
//   body (type 56) := staff_id:u64 campaign_config                          (UpdateCampaign)
//   body (type 57) := staff_id:u64 campaign_id:u64 status:u8           (TransitionCampaign)
//   body (type 58) := transfer_id:u64 staff_id:u64 campaign_id:u64 merchant_id:u64
//                     amount_fen:i64                                          (FundCampaign)
//   body (type 59) := staff_id:u64 template_config                    (CreateCouponTemplate)
//   body (type 60) := customer_id:u64 template_id:u64
//                     [device_hash:str, only when not ""]                     (ClaimCoupon)
//   body (type 61) := staff_id:u64 template_id:u64 count:u32 customer_id:u64{count}
//                                                                             (IssueCoupons)
//   body (type 81) := staff_id:u64 op:u8 list_id:u32 name:str count:u32 customer_id:u64{count}
//                                                                         (EditCustomerList)
//   campaign_config, template_config: marketing/config_codec.h
//
// Each answers one MarketingResult. kRefused carries the campaign book's stable error code in
// Reply::text ("CAMPAIGN_NOT_FOUND", and for a configuration error ":" and the field, e.g.
// "CAMPAIGN_INVALID_BUDGET:caps.budget_total_fen"), which the API shows as the error code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "marketing/campaign.h"
#include "marketing/coupons.h"

namespace qb::engine {

// Marketing ops create a campaign as a draft. Its whole configured budget
// (config.caps.budget_total_fen) moves at once from the marketing expense account into the
// campaign's new budget account, so the budget account always holds budget − spent.
// Held cashback (rule.hold_seconds > 0) is paid as holds the engine releases later
// (state_machine_cashback.cc).
// Reply::value is the campaign id.
struct CreateCampaign {
  uint64_t staff_id = 0;
  marketing::Campaign config;  // id and status are ignored.
};

// Replaces campaign config.id's configuration (its status is kept). The total budget cannot
// change here (CAMPAIGN_BUDGET_USE_TOP_UP): FundCampaign raises it, so every change of a
// budget is one ledger transfer.
struct UpdateCampaign {
  uint64_t staff_id = 0;
  marketing::Campaign config;
};

// draft → scheduled → live ⇄ paused → ended (marketing::IsTransitionAllowed). Ending moves the
// unspent budget back to the marketing expense account; Reply::value is that amount. Refunds
// after the end return their shares to the ended campaign's budget account, where they stay.
struct TransitionCampaign {
  uint64_t staff_id = 0;
  uint64_t campaign_id = 0;
  marketing::CampaignStatus status = marketing::CampaignStatus::kLive;
};

// Raises a campaign's budget (CampaignBook::TopUp): one ledger transfer of amount_fen into the
// budget account, from the marketing expense account, or from merchant merchant_id's settlement
// account when it co-funds (it must hold the money). `transfer_id` is the idempotency key.
struct FundCampaign {
  uint64_t transfer_id = 0;
  uint64_t staff_id = 0;
  uint64_t campaign_id = 0;
  uint64_t merchant_id = 0;  // 0: the bank funds it.
  int64_t amount_fen = 0;
};

// Reply::value is the template id.
struct CreateCouponTemplate {
  uint64_t staff_id = 0;
  marketing::CouponTemplate config;  // id is ignored.
};

// A customer claims one coupon of a template. Reply::value is the coupon id. The risk engine
// judges the claim (risk::CouponClaim, by the claiming device: the keyed hash of X-Device-Id,
// "" when unknown or in records from before it); a deny or deny_reward verdict, or a blocked
// customer or device, answers kRiskDenied and nothing is claimed.
struct ClaimCoupon {
  uint64_t customer_id = 0;
  uint64_t template_id = 0;
  std::string device_hash{};  // {}: brace-initialised claims may leave it out.
};

// Ops issue one coupon of a template to each listed customer, all or nothing (a customer may be
// listed more than once). Reply::value is the first coupon id; the others follow in order.
struct IssueCoupons {
  uint64_t staff_id = 0;
  uint64_t template_id = 0;
  std::vector<uint64_t> customer_ids;
};

// Custom lists (自定义人群包, marketing/customer_lists.h) that campaigns target. Create makes an
// empty list named `name` (Reply::value: its id); Add and Remove change its members, the
// listed customers that exist (unknown ids are skipped; Reply::value: how many were added or
// removed, not counting those already in or out); Delete drops it, refused with
// CUSTOMER_LIST_IN_USE while a campaign that has not ended targets it. Only Create carries a
// name and only Add and Remove customers (at most kMaxCustomerListEditPerCommand).
enum class CustomerListOp : uint8_t { kCreate = 1, kAdd = 2, kRemove = 3, kDelete = 4 };
struct EditCustomerList {
  uint64_t staff_id = 0;
  CustomerListOp op = CustomerListOp::kCreate;
  uint32_t list_id = 0;  // 0 for kCreate
  std::string name;
  std::vector<uint64_t> customer_ids;
};

// The outcome of a marketing command, ordered by precedence. Stable values: append, never
// renumber.
enum class MarketingResult : uint8_t {
  kOk = 0,
  kInvalid = 1,  // A field the API should have rejected.
  kStaffNotFound = 2,
  kCustomerNotFound = 3,
  kMerchantNotFound = 4,
  kRefused = 5,            // The campaign book said no: its code is in Reply::text.
  kInsufficientFunds = 6,  // FundCampaign: the co-funding merchant cannot cover the amount.
  kDuplicate = 7,          // FundCampaign: the transfer id was used before; nothing moved.
  kRiskDenied = 8,         // ClaimCoupon: the risk engine refused the claim.
};

std::string_view MarketingResultName(MarketingResult result);

// The command layer's bounds, beyond what the campaign book validates.
inline constexpr size_t kMaxCouponIssuePerCommand = 8190;
inline constexpr size_t kMaxCustomerListEditPerCommand = 8190;

void EncodeCampaignCommand(uint64_t staff_id, const marketing::Campaign& config,
                           ByteWriter* writer);
void EncodeTransitionCampaign(const TransitionCampaign& command, ByteWriter* writer);
void EncodeFundCampaign(const FundCampaign& command, ByteWriter* writer);
void EncodeCreateCouponTemplate(const CreateCouponTemplate& command, ByteWriter* writer);
void EncodeClaimCoupon(const ClaimCoupon& command, ByteWriter* writer);
void EncodeIssueCoupons(const IssueCoupons& command, ByteWriter* writer);
void EncodeEditCustomerList(const EditCustomerList& command, ByteWriter* writer);
// Each returns false on a malformed body; the caller checks that the reader is then exhausted.
bool DecodeCampaignCommand(ByteReader* reader, uint64_t* staff_id, marketing::Campaign* config);
bool DecodeTransitionCampaign(ByteReader* reader, TransitionCampaign* command);
bool DecodeFundCampaign(ByteReader* reader, FundCampaign* command);
bool DecodeCreateCouponTemplate(ByteReader* reader, CreateCouponTemplate* command);
bool DecodeClaimCoupon(ByteReader* reader, ClaimCoupon* command);
bool DecodeIssueCoupons(ByteReader* reader, IssueCoupons* command);
bool DecodeEditCustomerList(ByteReader* reader, EditCustomerList* command);

}  // namespace qb::engine
