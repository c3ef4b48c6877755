// Coupons: templates ops design, and the instances in customers' wallets.
//
// Contract:
// - Not thread-safe; owned by one CampaignBook in the engine's writer thread. Time is an input.
// - Coupon ids come from a counter starting at 1, so replay creates the same ids. Instances live
//   in one vector indexed by id: look-up is O(1), a bulk issue of n coupons is O(n) and costs
//   about 56 bytes per coupon plus the per-customer index (a hash map entry per customer).
// - A coupon is redeemed at most once per sale: kAvailable → kRedeemed (by one payment id).
//   Restore (the payment fully refunded) makes it kAvailable again only while it is still
//   valid; otherwise it becomes kExpired. An available coupon past valid_until is reported as
//   kExpired by EffectiveState without a write.
// - CouponBook knows nothing of campaigns: the CampaignBook checks that a template's campaign
//   exists and has the matching type, and charges the campaign's budget when one is redeemed.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/inlined_vector.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "marketing/campaign.h"

namespace qb::marketing {

// Upper bound on one template's stock and thus on one bulk issue.
inline constexpr int64_t kMaxCouponStock = int64_t{100'000'000};

enum class CouponKind : uint8_t {
  kThreshold = 1,  // 满减: save_fen off when the base reaches threshold_fen
  kPercent = 2,    // discount_bps off the base, at most discount_cap_fen (if set)
};

enum class ValidityKind : uint8_t {
  kFixedWindow = 1,     // valid in [valid_from_s, valid_until_s)
  kDaysAfterClaim = 2,  // valid for valid_days * 24 h from the moment it is claimed or issued
};

struct CouponTemplate {
  uint64_t id = 0;           // assigned by the CouponBook, from 1
  uint64_t campaign_id = 0;  // the campaign whose budget, eligibility and caps apply
  std::string name;
  CouponKind kind = CouponKind::kThreshold;
  int64_t threshold_fen = 0;     // the minimum base for either kind; 0 = none (无门槛)
  int64_t save_fen = 0;          // kThreshold: >= 1
  int32_t discount_bps = 0;      // kPercent: 1..10000
  int64_t discount_cap_fen = 0;  // kPercent: 0 = none
  int64_t stock = 0;             // how many instances may ever exist (claimed + issued)
  ValidityKind validity = ValidityKind::kFixedWindow;
  int64_t valid_from_s = 0;
  int64_t valid_until_s = 0;
  int64_t valid_days = 0;
  // Claims (not ops issues) are accepted in [claim_start_s, claim_end_s): a flash grab is a
  // small stock with a claim start in the future.
  int64_t claim_start_s = 0;
  int64_t claim_end_s = 0;
  int32_t per_customer_limit = 0;  // claims per customer; 0 = none
  // Whether ops issues count toward (and are bounded by) per_customer_limit.
  bool issue_counts_toward_limit = false;

  bool operator==(const CouponTemplate&) const = default;
};

// Codes: COUPON_INVALID_NAME, _KIND, _TERMS, _STOCK, _VALIDITY, _CLAIM_WINDOW, _LIMIT.
Error ValidateCouponTemplate(const CouponTemplate& coupon_template);

// The discount a template gives on `base_fen`: 0 below the threshold. Not yet capped by the
// campaign or by the payment amount.
int64_t CouponDiscount(const CouponTemplate& coupon_template, int64_t base_fen);

// Stable numeric values: serialized.
enum class CouponState : uint8_t { kAvailable = 1, kRedeemed = 2, kExpired = 3, kVoided = 4 };

struct Coupon {
  uint64_t id = 0;
  uint64_t template_id = 0;
  uint64_t customer_id = 0;
  int64_t valid_from_s = 0;
  int64_t valid_until_s = 0;
  uint64_t redeemed_by_payment = 0;  // the payment holding it while kRedeemed, else 0
  CouponState state = CouponState::kAvailable;

  bool ValidAt(int64_t now_s) const { return now_s >= valid_from_s && now_s < valid_until_s; }
  bool operator==(const Coupon&) const = default;
};

class CouponBook {
 public:
  CouponBook() = default;

  // Validates and stores a template; its id comes from the template counter.
  Error CreateTemplate(CouponTemplate coupon_template, uint64_t* template_id);

  // A customer claims one coupon. Codes: COUPON_TEMPLATE_NOT_FOUND, COUPON_CLAIM_NOT_STARTED
  // (flash grab before its start), COUPON_CLAIM_ENDED, COUPON_TEMPLATE_EXPIRED (a fixed window
  // already over), COUPON_OUT_OF_STOCK, COUPON_CLAIM_LIMIT. Changes nothing on failure.
  Error Claim(uint64_t template_id, uint64_t customer_id, int64_t now_s, uint64_t* coupon_id);

  // Ops issue one coupon to each customer, all or nothing; ids are consecutive from
  // *first_coupon_id. Ignores the claim window; respects stock, and the per-customer limit only
  // when issue_counts_toward_limit (a customer listed twice counts twice). Codes:
  // COUPON_TEMPLATE_NOT_FOUND, COUPON_TEMPLATE_EXPIRED, COUPON_OUT_OF_STOCK, COUPON_CLAIM_LIMIT.
  Error Issue(uint64_t template_id, std::span<const uint64_t> customer_ids, int64_t now_s,
              uint64_t* first_coupon_id);

  // Whether `customer_id` may redeem the coupon at `now_s`. Codes: COUPON_NOT_FOUND,
  // COUPON_NOT_OWNER, COUPON_NOT_AVAILABLE (redeemed or voided), COUPON_NOT_YET_VALID,
  // COUPON_EXPIRED.
  Error CheckRedeemable(uint64_t coupon_id, uint64_t customer_id, int64_t now_s) const;

  // kAvailable → kRedeemed. The coupon must be redeemable (asserted: the caller checked).
  void MarkRedeemed(uint64_t coupon_id, uint64_t payment_id);
  // kRedeemed → kAvailable if still valid at now_s (returns true), else → kExpired.
  bool Restore(uint64_t coupon_id, int64_t now_s);
  // Ops withdraw an unused coupon: kAvailable → kVoided. COUPON_NOT_FOUND, COUPON_NOT_AVAILABLE.
  Error Void(uint64_t coupon_id);

  const CouponTemplate* FindTemplate(uint64_t template_id) const;
  const Coupon* FindCoupon(uint64_t coupon_id) const;
  // A cache hint before a coupon is looked up: changes nothing (an unknown id is ignored).
  void PrefetchCoupon(uint64_t coupon_id) const {
    if (coupon_id != 0 && coupon_id <= coupons_.size())
      __builtin_prefetch(&coupons_[coupon_id - 1]);
  }
  // The state as the customer sees it at now_s: an available coupon past its end is expired.
  static CouponState EffectiveState(const Coupon& coupon, int64_t now_s);
  // How many instances of the template exist (claimed or issued).
  int64_t IssuedCount(uint64_t template_id) const;
  // The customer's coupon ids, oldest first.
  std::vector<uint64_t> CouponsOf(uint64_t customer_id) const;
  size_t coupon_count() const { return coupons_.size(); }
  size_t template_count() const { return templates_.size(); }

  // Pre-sizes the coupon table for a known bulk issue.
  void Reserve(size_t coupons) { coupons_.reserve(coupons); }

  // Part of CampaignBook's checkpoint; grammar in campaign_book_codec.cc.
  void Serialize(ByteWriter* writer) const;
  bool Deserialize(ByteReader* reader);

 private:
  struct TemplateEntry {
    CouponTemplate config;
    int64_t issued = 0;
  };
  struct ClaimKey {
    uint64_t template_id;
    uint64_t customer_id;
    bool operator==(const ClaimKey&) const = default;
    template <typename H>
    friend H AbslHashValue(H h, const ClaimKey& key) {
      return H::combine(std::move(h), key.template_id, key.customer_id);
    }
  };

  Error CheckStockAndExpiry(const TemplateEntry& entry, int64_t count, int64_t now_s) const;
  int64_t ClaimsOf(uint64_t template_id, uint64_t customer_id) const;
  void Append(const TemplateEntry& entry, uint64_t customer_id, int64_t now_s);
  Coupon* MutableCoupon(uint64_t coupon_id);

  std::vector<TemplateEntry> templates_;           // template id = index + 1
  std::vector<Coupon> coupons_;                    // coupon id = index + 1
  absl::flat_hash_map<ClaimKey, int64_t> claims_;  // counted claims per (template, customer)
  absl::flat_hash_map<uint64_t, absl::InlinedVector<uint64_t, 1>> by_customer_;
};

}  // namespace qb::marketing
