// Redeem codes in the engine (兑换码): ops create a batch of codes for a coupon template
// (CreateCouponCodes, command 76); a customer redeems one (RedeemCouponCode, 77) for a coupon
// of it. The book (marketing/coupon_codes.h) keeps one bit per code; the codes themselves and
// their MACs never reach the engine, only the batch and index the API checked.
#include <string>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"

namespace qb::engine {

Reply StateMachine::ApplyCouponCodes(const Command& command) {
  Reply reply;
  MarketingResult r = MarketingResult::kOk;
  const int64_t now_s = batch_time_ns_ / internal::kNsPerSecond;
  auto refuse = [&](std::string_view code) {
    r = MarketingResult::kRefused;
    reply.text = std::string(code);
  };
  const marketing::CouponBook& coupons = campaigns_.coupons();
  if (const auto* c = std::get_if<CreateCouponCodes>(&command)) {
    const marketing::CouponTemplate* coupon = coupons.FindTemplate(c->template_id);
    if (staff_.FindById(c->staff_id) == nullptr) {
      r = MarketingResult::kStaffNotFound;
    } else if (coupon == nullptr) {
      refuse("COUPON_TEMPLATE_NOT_FOUND");
    } else if (c->count > coupon->stock - coupons.IssuedCount(c->template_id)) {
      refuse("COUPON_OUT_OF_STOCK");
    } else if (const uint64_t id =
                   coupon_codes_.Create(c->template_id, c->staff_id, c->count, now_s);
               id == 0) {
      refuse("COUPON_CODE_BATCHES_FULL");
    } else {
      reply.value = id;
    }
  } else if (const auto* c = std::get_if<RedeemCouponCode>(&command)) {
    const marketing::CodeBatch* batch = coupon_codes_.Find(c->batch_id);
    if (customers_.FindById(c->customer_id) == nullptr) {
      r = MarketingResult::kCustomerNotFound;
    } else if (const std::string_view why = coupon_codes_.CanRedeem(c->batch_id, c->index);
               !why.empty()) {
      refuse(why);
    } else if (!CheckClaimRisk(ClaimCoupon{c->customer_id, batch->template_id, c->device_hash})) {
      r = MarketingResult::kRiskDenied;  // state_machine_risk.cc: judged as a coupon claim
    } else if (const marketing::Error e = campaigns_.IssueCoupons(
                   batch->template_id, std::span(&c->customer_id, 1), now_s, &reply.value);
               !e.ok()) {
      r = MarketingResult::kRefused;
      reply.text = std::string(e.code);
      if (!e.field.empty()) reply.text.append(":").append(e.field);
    } else {
      coupon_codes_.MarkRedeemed(c->batch_id, c->index);
    }
  }
  reply.results.push_back(static_cast<uint8_t>(r));
  return reply;
}

}  // namespace qb::engine
