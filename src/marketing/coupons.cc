#include "marketing/coupons.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"
#include "base/checked.h"

namespace qb::marketing {
namespace {

constexpr int64_t kMaxValidDays = 3'660;

Error ValidateTerms(const CouponTemplate& t) {
  if (t.threshold_fen < 0 || t.threshold_fen > kMaxPaymentFen) {
    return {"COUPON_INVALID_TERMS", "threshold_fen"};
  }
  switch (t.kind) {
    case CouponKind::kThreshold:
      if (t.save_fen < 1 || t.save_fen > kMaxPaymentFen)
        return {"COUPON_INVALID_TERMS", "save_fen"};
      if (t.discount_bps != 0 || t.discount_cap_fen != 0) {
        return {"COUPON_INVALID_TERMS", "discount_bps"};
      }
      return kOk;
    case CouponKind::kPercent:
      if (t.discount_bps < 1 || t.discount_bps > kBpsDenominator) {
        return {"COUPON_INVALID_TERMS", "discount_bps"};
      }
      if (t.discount_cap_fen < 0 || t.discount_cap_fen > kMaxPaymentFen) {
        return {"COUPON_INVALID_TERMS", "discount_cap_fen"};
      }
      if (t.save_fen != 0) return {"COUPON_INVALID_TERMS", "save_fen"};
      return kOk;
  }
  return {"COUPON_INVALID_KIND", "kind"};
}

Error ValidateValidity(const CouponTemplate& t) {
  switch (t.validity) {
    case ValidityKind::kFixedWindow:
      if (t.valid_from_s < 0 || t.valid_until_s <= t.valid_from_s || t.valid_until_s > kMaxTimeS ||
          t.valid_days != 0) {
        return {"COUPON_INVALID_VALIDITY", "valid_until_s"};
      }
      return kOk;
    case ValidityKind::kDaysAfterClaim:
      if (t.valid_days < 1 || t.valid_days > kMaxValidDays || t.valid_from_s != 0 ||
          t.valid_until_s != 0) {
        return {"COUPON_INVALID_VALIDITY", "valid_days"};
      }
      return kOk;
  }
  return {"COUPON_INVALID_VALIDITY", "validity"};
}

}  // namespace

Error ValidateCouponTemplate(const CouponTemplate& t) {
  if (t.name.empty() || t.name.size() > kMaxNameBytes) return {"COUPON_INVALID_NAME", "name"};
  if (t.kind != CouponKind::kThreshold && t.kind != CouponKind::kPercent) {
    return {"COUPON_INVALID_KIND", "kind"};
  }
  if (Error error = ValidateTerms(t); !error.ok()) return error;
  if (t.stock < 1 || t.stock > kMaxCouponStock) return {"COUPON_INVALID_STOCK", "stock"};
  if (Error error = ValidateValidity(t); !error.ok()) return error;
  if (t.claim_start_s < 0 || t.claim_end_s <= t.claim_start_s || t.claim_end_s > kMaxTimeS) {
    return {"COUPON_INVALID_CLAIM_WINDOW", "claim_end_s"};
  }
  if (t.per_customer_limit < 0) return {"COUPON_INVALID_LIMIT", "per_customer_limit"};
  return kOk;
}

int64_t CouponDiscount(const CouponTemplate& t, int64_t base_fen) {
  if (base_fen < 1 || base_fen < t.threshold_fen) return 0;
  if (t.kind == CouponKind::kThreshold) return t.save_fen;
  // base <= kMaxPaymentFen and bps <= 10^4: the product fits in int64 (asserted below).
  const std::optional<int64_t> product = CheckedMul(base_fen, t.discount_bps);
  QB_ASSERT(product.has_value());
  const int64_t discount = *product / kBpsDenominator;
  return t.discount_cap_fen != 0 ? std::min(discount, t.discount_cap_fen) : discount;
}

Error CouponBook::CreateTemplate(CouponTemplate coupon_template, uint64_t* template_id) {
  coupon_template.id = templates_.size() + 1;
  if (Error error = ValidateCouponTemplate(coupon_template); !error.ok()) return error;
  *template_id = coupon_template.id;
  templates_.push_back({std::move(coupon_template), 0});
  return kOk;
}

Error CouponBook::CheckStockAndExpiry(const TemplateEntry& entry, int64_t count,
                                      int64_t now_s) const {
  const CouponTemplate& t = entry.config;
  if (t.validity == ValidityKind::kFixedWindow && now_s >= t.valid_until_s) {
    return {"COUPON_TEMPLATE_EXPIRED", ""};
  }
  if (count > t.stock - entry.issued) return {"COUPON_OUT_OF_STOCK", ""};
  return kOk;
}

int64_t CouponBook::ClaimsOf(uint64_t template_id, uint64_t customer_id) const {
  const auto it = claims_.find(ClaimKey{template_id, customer_id});
  return it == claims_.end() ? 0 : it->second;
}

void CouponBook::Append(const TemplateEntry& entry, uint64_t customer_id, int64_t now_s) {
  const CouponTemplate& t = entry.config;
  Coupon coupon;
  coupon.id = coupons_.size() + 1;
  coupon.template_id = t.id;
  coupon.customer_id = customer_id;
  if (t.validity == ValidityKind::kFixedWindow) {
    coupon.valid_from_s = t.valid_from_s;
    coupon.valid_until_s = t.valid_until_s;
  } else {
    coupon.valid_from_s = now_s;
    coupon.valid_until_s = now_s + t.valid_days * kSecondsPerDay;
  }
  by_customer_[customer_id].push_back(coupon.id);
  coupons_.push_back(coupon);
}

Error CouponBook::Claim(uint64_t template_id, uint64_t customer_id, int64_t now_s,
                        uint64_t* coupon_id) {
  if (template_id == 0 || template_id > templates_.size()) return {"COUPON_TEMPLATE_NOT_FOUND", ""};
  TemplateEntry& entry = templates_[template_id - 1];
  const CouponTemplate& t = entry.config;
  if (now_s < t.claim_start_s) return {"COUPON_CLAIM_NOT_STARTED", ""};
  if (now_s >= t.claim_end_s) return {"COUPON_CLAIM_ENDED", ""};
  if (Error error = CheckStockAndExpiry(entry, 1, now_s); !error.ok()) return error;
  if (t.per_customer_limit != 0 && ClaimsOf(template_id, customer_id) >= t.per_customer_limit) {
    return {"COUPON_CLAIM_LIMIT", ""};
  }
  ++claims_[ClaimKey{template_id, customer_id}];
  ++entry.issued;
  Append(entry, customer_id, now_s);
  *coupon_id = coupons_.size();
  return kOk;
}

Error CouponBook::Issue(uint64_t template_id, std::span<const uint64_t> customer_ids, int64_t now_s,
                        uint64_t* first_coupon_id) {
  if (template_id == 0 || template_id > templates_.size()) return {"COUPON_TEMPLATE_NOT_FOUND", ""};
  TemplateEntry& entry = templates_[template_id - 1];
  const CouponTemplate& t = entry.config;
  const int64_t count = static_cast<int64_t>(customer_ids.size());
  if (Error error = CheckStockAndExpiry(entry, count, now_s); !error.ok()) return error;
  const bool limited = t.issue_counts_toward_limit && t.per_customer_limit != 0;
  if (limited) {
    // All or nothing: count the batch per customer before changing anything.
    absl::flat_hash_map<uint64_t, int64_t> batch;
    for (const uint64_t customer_id : customer_ids) {
      if (ClaimsOf(template_id, customer_id) + ++batch[customer_id] > t.per_customer_limit) {
        return {"COUPON_CLAIM_LIMIT", ""};
      }
    }
  }
  *first_coupon_id = coupons_.size() + 1;
  coupons_.reserve(coupons_.size() + customer_ids.size());
  for (const uint64_t customer_id : customer_ids) {
    if (t.issue_counts_toward_limit) ++claims_[ClaimKey{template_id, customer_id}];
    Append(entry, customer_id, now_s);
  }
  entry.issued += count;
  return kOk;
}

Error CouponBook::CheckRedeemable(uint64_t coupon_id, uint64_t customer_id, int64_t now_s) const {
  const Coupon* coupon = FindCoupon(coupon_id);
  if (coupon == nullptr) return {"COUPON_NOT_FOUND", ""};
  if (coupon->customer_id != customer_id) return {"COUPON_NOT_OWNER", ""};
  if (coupon->state == CouponState::kExpired) return {"COUPON_EXPIRED", ""};
  if (coupon->state != CouponState::kAvailable) return {"COUPON_NOT_AVAILABLE", ""};
  if (now_s < coupon->valid_from_s) return {"COUPON_NOT_YET_VALID", ""};
  if (now_s >= coupon->valid_until_s) return {"COUPON_EXPIRED", ""};
  return kOk;
}

void CouponBook::MarkRedeemed(uint64_t coupon_id, uint64_t payment_id) {
  Coupon* coupon = MutableCoupon(coupon_id);
  QB_ASSERT(coupon != nullptr && coupon->state == CouponState::kAvailable && payment_id != 0);
  coupon->state = CouponState::kRedeemed;
  coupon->redeemed_by_payment = payment_id;
}

bool CouponBook::Restore(uint64_t coupon_id, int64_t now_s) {
  Coupon* coupon = MutableCoupon(coupon_id);
  QB_ASSERT(coupon != nullptr && coupon->state == CouponState::kRedeemed);
  coupon->redeemed_by_payment = 0;
  coupon->state = coupon->ValidAt(now_s) ? CouponState::kAvailable : CouponState::kExpired;
  return coupon->state == CouponState::kAvailable;
}

Error CouponBook::Void(uint64_t coupon_id) {
  Coupon* coupon = MutableCoupon(coupon_id);
  if (coupon == nullptr) return {"COUPON_NOT_FOUND", ""};
  if (coupon->state != CouponState::kAvailable) return {"COUPON_NOT_AVAILABLE", ""};
  coupon->state = CouponState::kVoided;
  return kOk;
}

const CouponTemplate* CouponBook::FindTemplate(uint64_t template_id) const {
  if (template_id == 0 || template_id > templates_.size()) return nullptr;
  return &templates_[template_id - 1].config;
}

const Coupon* CouponBook::FindCoupon(uint64_t coupon_id) const {
  if (coupon_id == 0 || coupon_id > coupons_.size()) return nullptr;
  return &coupons_[coupon_id - 1];
}

Coupon* CouponBook::MutableCoupon(uint64_t coupon_id) {
  if (coupon_id == 0 || coupon_id > coupons_.size()) return nullptr;
  return &coupons_[coupon_id - 1];
}

CouponState CouponBook::EffectiveState(const Coupon& coupon, int64_t now_s) {
  if (coupon.state == CouponState::kAvailable && now_s >= coupon.valid_until_s) {
    return CouponState::kExpired;
  }
  return coupon.state;
}

int64_t CouponBook::IssuedCount(uint64_t template_id) const {
  if (template_id == 0 || template_id > templates_.size()) return 0;
  return templates_[template_id - 1].issued;
}

std::vector<uint64_t> CouponBook::CouponsOf(uint64_t customer_id) const {
  const auto it = by_customer_.find(customer_id);
  if (it == by_customer_.end()) return {};
  return std::vector<uint64_t>(it->second.begin(), it->second.end());
}

}  // namespace qb::marketing
