// Commands 76 and 77: redeem codes (兑换码; marketing/coupon_codes.h holds the book,
// engine/state_machine_coupon_codes.cc runs them).
//
//   body (type 76) := staff_id:u64 template_id:u64 count:u32              (CreateCouponCodes)
//   body (type 77) := customer_id:u64 batch_id:u64 index:u32 device_hash:str
//                                                                        (RedeemCouponCode)
//
// Each answers one MarketingResult; kRefused carries a stable code in Reply::text.
#pragma once

#include <cstdint>
#include <string>

namespace qb::engine {

// Ops create a batch of `count` (1..marketing::kMaxCodesPerBatch) codes for a coupon template.
// kRefused with COUPON_TEMPLATE_NOT_FOUND, or COUPON_OUT_OF_STOCK when the template's stock
// left is below `count` (codes do not reserve stock: a later claim can still take it).
// Reply::value is the batch id; audited as coupon.codes_created.
struct CreateCouponCodes {
  uint64_t staff_id = 0;
  uint64_t template_id = 0;
  uint32_t count = 0;
};

// A customer redeems code `index` of a batch, which the API has checked the MAC of: one coupon
// of the batch's template, issued to them like an ops issue (stock, validity). The risk rules
// judge it as a coupon claim (by the device). kRefused with COUPON_CODE_INVALID,
// COUPON_CODE_USED or the coupon book's codes (COUPON_OUT_OF_STOCK, ...); kRiskDenied.
// Reply::value is the coupon id.
struct RedeemCouponCode {
  uint64_t customer_id = 0;
  uint64_t batch_id = 0;
  uint32_t index = 0;
  std::string device_hash{};
};

}  // namespace qb::engine
