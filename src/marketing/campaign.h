// Campaign configuration: the value types marketing ops edit, their validation, and the
// lifecycle. Pure values with no state and no clock; the CampaignBook owns the live copies.
//
// Money is int64 fen throughout. Times are unix seconds (UTC) passed in by the engine; "day"
// and "hour" mean the China calendar (UTC+8, no daylight saving).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qb::marketing {

// Bounds that keep every product below int64 (amount * bps <= 1e12 * 1e4) and every
// configuration small enough to scan per payment.
inline constexpr int64_t kMaxPaymentFen = 1'000'000'000'000;     // ¥10 billion
inline constexpr int64_t kMaxBudgetFen = 1'000'000'000'000'000;  // ¥10 trillion
inline constexpr int32_t kBpsDenominator = 10'000;
inline constexpr size_t kMaxNameBytes = 128;
inline constexpr size_t kMaxTargetListSize = 10'000;
// Age bounds a campaign may set (whole years), and the longest inactivity it may ask for.
inline constexpr int32_t kMinTargetAge = 16;
inline constexpr int32_t kMaxTargetAge = 120;
inline constexpr int32_t kMaxInactiveDays = 3'650;
inline constexpr int64_t kMaxTimeS = int64_t{1} << 40;  // far past any real date
inline constexpr int64_t kSecondsPerDay = 86'400;
inline constexpr int64_t kChinaOffsetSeconds = 8 * 3'600;
inline constexpr uint32_t kAllHoursMask = (uint32_t{1} << 24) - 1;

// A custom list's slot (customer_lists.h): its bit in PaymentContext::list_bits. Ids count
// from 1; 64 slots.
inline constexpr int CustomerListSlot(uint32_t list_id) {
  return static_cast<int>((list_id - 1) % 64);
}

// An expected failure: a stable code (a string literal, shown in API errors) and, for
// configuration errors, the offending field. An empty code means success.
struct Error {
  std::string_view code;
  std::string_view field;
  bool ok() const { return code.empty(); }
};
inline constexpr Error kOk{};

// Stable numeric values: serialized. Append, never renumber.
enum class CampaignType : uint8_t {
  kInstantDiscount = 1,  // 立减: a discount on every eligible payment
  kFirstOrder = 2,  // 首单立减: only on the customer's first payment (ever, or at a merchant)
  kThresholdCoupon = 3,  // 满减 coupons: the terms live in the campaign's coupon templates
  kDiscountCoupon = 4,   // percentage coupons, same
  kCashback = 5,         // 消费返现: a share of what was paid, back to the customer
};

// draft → scheduled → live ⇄ paused → ended. Only kScheduled and kLive campaigns apply to
// payments, and only inside their eligibility window: kScheduled means "approved, takes effect
// at window start" so that no command has to arrive at that second. kEnded is final.
enum class CampaignStatus : uint8_t {
  kDraft = 1,
  kScheduled = 2,
  kLive = 3,
  kPaused = 4,
  kEnded = 5,
};

// Whether ops may move a campaign from `from` to `to`. Legal moves: draft → scheduled | live |
// ended; scheduled → draft | live | paused | ended; live → paused | ended; paused → live |
// ended. Nothing leaves kEnded and no status moves to itself.
bool IsTransitionAllowed(CampaignStatus from, CampaignStatus to);

enum class Channel : uint8_t { kQr = 0, kPaymentCode = 1, kOnline = 2, kNfc = 3 };
inline constexpr uint8_t ChannelBit(Channel channel) {
  return static_cast<uint8_t>(1u << static_cast<uint8_t>(channel));
}
inline constexpr uint8_t kAllChannelsMask = 0x0F;

// How a reward amount is computed from a base amount (the original amount for discounts, what
// the customer paid for cashback).
enum class AmountShape : uint8_t {
  kNone = 0,         // coupon campaigns: the terms are in the templates
  kFixed = 1,        // fixed_fen
  kPercent = 2,      // base * percent_bps / 10000, rounded down, at most percent_cap_fen
  kRandomRange = 3,  // uniform in [random_lo_fen, random_hi_fen], drawn from the payment's seed
  kThreshold = 4,    // save_fen when base >= threshold_fen (an automatic 满减)
};

enum class FirstOrderScope : uint8_t {
  kEver = 1,        // the customer's first qualifying payment ever
  kAtMerchant = 2,  // the customer's first payment at this merchant
};

struct RewardRule {
  AmountShape shape = AmountShape::kNone;
  int64_t fixed_fen = 0;
  int32_t percent_bps = 0;      // 1..10000
  int64_t percent_cap_fen = 0;  // the per-payment cap of a percentage; 0 = none
  int64_t random_lo_fen = 0;    // 1 <= lo <= hi
  int64_t random_hi_fen = 0;
  int64_t threshold_fen = 0;                                   // kThreshold: 0 <= threshold
  int64_t save_fen = 0;                                        // kThreshold: >= 1
  FirstOrderScope first_order_scope = FirstOrderScope::kEver;  // kFirstOrder only
  // kCashback only: 0 pays at once; otherwise the cashback is held this long and voided if
  // the payment is refunded meanwhile. Cashback caps: per payment is percent_cap_fen, per
  // customer per day and per customer over the campaign are the customer amount caps in Caps,
  // over the whole campaign the budget.
  int64_t hold_seconds = 0;

  bool operator==(const RewardRule&) const = default;
};

// Who and what a campaign applies to. Empty lists mean "any". Lists are kept sorted and
// unique (NormalizeCampaign does it) so membership is a binary search.
struct Eligibility {
  int64_t window_start_s = 0;  // applies in [start, end); 0 <= start < end <= kMaxTimeS
  int64_t window_end_s = 0;
  uint32_t hours_mask = kAllHoursMask;  // bit h: China-time hour h (0..23) is allowed
  uint8_t channel_mask = kAllChannelsMask;
  std::vector<uint64_t> merchant_ids;
  std::vector<uint32_t> categories;
  std::vector<uint32_t> regions;
  uint64_t segment_mask = 0;  // 0 = everyone; else the customer needs one of these segment bits
  // Age band (PaymentContext::age_years): 0 or kMinTargetAge..kMaxTargetAge, min <= max when
  // both are set. A customer of unknown age matches no bound.
  int32_t age_min = 0;
  int32_t age_max = 0;
  // Win-back: 0 = everyone, else only customers idle (PaymentContext::idle_days) at least this
  // many days, 1..kMaxInactiveDays.
  int32_t inactive_days = 0;
  // Custom list (customer_lists.h): 0 = everyone, else only the list's members
  // (PaymentContext::list_bits). The CampaignBook checks that the list exists.
  uint32_t customer_list = 0;
  int64_t min_amount_fen = 0;  // on the original payment amount
  // A/B holdout: customers whose bucket HoldoutBucket(campaign, customer) is below this get
  // nothing from the campaign. 0..100.
  int32_t holdout_percent = 0;

  bool operator==(const Eligibility&) const = default;
};

// Every limit that bounds what a campaign may give. 0 means "no such cap", except the total
// budget, which is required. Amount caps count reward fen; count caps count payments rewarded.
struct Caps {
  // >= 1 (>= 0 once ended: the end releases what was not spent). Raised only by
  // CampaignBook::TopUp once the campaign is not a draft.
  int64_t budget_total_fen = 0;
  int64_t budget_daily_fen = 0;  // per China calendar day, all customers
  int64_t customer_count_daily = 0;
  int64_t customer_count_lifetime = 0;
  int64_t customer_amount_daily_fen = 0;
  int64_t customer_amount_lifetime_fen = 0;
  int64_t device_count_lifetime = 0;
  int64_t identity_count_lifetime = 0;  // per real-name identity (one person, many accounts)

  bool HasCustomerCaps() const {
    return customer_count_daily != 0 || customer_count_lifetime != 0 ||
           customer_amount_daily_fen != 0 || customer_amount_lifetime_fen != 0;
  }
  bool operator==(const Caps&) const = default;
};

struct Campaign {
  uint64_t id = 0;  // assigned by the CampaignBook, from 1
  std::string name;
  CampaignType type = CampaignType::kInstantDiscount;
  CampaignStatus status = CampaignStatus::kDraft;
  RewardRule rule;
  Eligibility eligibility;
  Caps caps;
  // Campaigns sharing a non-zero group are mutually exclusive on one payment: the best for the
  // customer wins. Group 0 stacks with everything.
  uint32_t exclusive_group = 0;
  // Higher first: breaks ties between equal offers and orders discounts of one payment.
  int32_t priority = 0;

  bool operator==(const Campaign&) const = default;
};

// Sorts and de-duplicates the eligibility lists.
void NormalizeCampaign(Campaign* campaign);

// Checks every field of a (normalized) configuration. Codes: CAMPAIGN_INVALID_NAME, _TYPE,
// _STATUS, _RULE, _WINDOW, _HOURS, _CHANNEL, _TARGETING, _MIN_AMOUNT, _HOLDOUT, _BUDGET, _CAP.
// `field` names the first bad field, e.g. "caps.budget_daily_fen".
Error ValidateCampaign(const Campaign& campaign);

// China calendar day number (days since 1970-01-01 in UTC+8) and hour of that day.
// Requires unix_s >= 0.
int64_t ChinaDay(int64_t unix_s);
int32_t ChinaHour(int64_t unix_s);

// The customer's holdout bucket for a campaign, 0..99: a fixed mix of both ids, so a customer
// lands in different buckets for different campaigns and the split never changes on replay.
int32_t HoldoutBucket(uint64_t campaign_id, uint64_t customer_id);

// SplitMix64 finalizer: the one hash used for holdouts and seeded draws.
uint64_t Mix64(uint64_t value);

std::string_view CampaignTypeName(CampaignType type);
std::string_view CampaignStatusName(CampaignStatus status);

}  // namespace qb::marketing
