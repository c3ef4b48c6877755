// The byte form of a campaign configuration and a coupon template, as commands carry them into
// the engine's journal. The same field encodings as the checkpoint (campaign_book_codec.cc):
//
//   campaign_config := u64 id, str name, u8 type, u8 status, rule, eligibility, caps,
//                      u32 exclusive_group, i32 priority, [targeting [u32 customer_list]]
//   (targeting := i32 age_min, i32 age_max, i32 inactive_days; written only when one of them or
//   a custom list is set, the list only when set (never 0), so configurations from before age
//   bands, win-back and custom lists keep their bytes)
//   template_config := u64 id, u64 campaign_id, str name, u8 kind, i64 threshold_fen,
//                      i64 save_fen, i32 discount_bps, i64 discount_cap_fen, i64 stock,
//                      u8 validity, i64 valid_from_s, i64 valid_until_s, i64 valid_days,
//                      i64 claim_start_s, i64 claim_end_s, i32 per_customer_limit,
//                      u8 issue_counts_toward_limit
//
// Decoding checks only the framing (lengths, list sizes, a 0/1 flag): the CampaignBook
// validates the values when the command runs, and answers a bad one with its error code.
#pragma once

#include "base/bytes.h"
#include "marketing/campaign.h"
#include "marketing/coupons.h"

namespace qb::marketing {

void EncodeCampaignConfig(const Campaign& campaign, ByteWriter* writer);
bool DecodeCampaignConfig(ByteReader* reader, Campaign* campaign);
void EncodeCouponTemplate(const CouponTemplate& coupon_template, ByteWriter* writer);
bool DecodeCouponTemplate(ByteReader* reader, CouponTemplate* coupon_template);

}  // namespace qb::marketing
