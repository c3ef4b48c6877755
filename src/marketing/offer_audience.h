// Offer push audiences (定向推送): which customers a campaign's offer goes to, chosen by their
// spending profile over a recent window: the merchant categories they spend most in, the part
// of the day they usually pay in, and the merchants they visited.
//
// The read models hand in each customer's payments of the window summed by (category, China
// hour, merchant); SpendingProfile folds them and Matches answers for one audience. Pure: no
// I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qb::marketing {

// Parts of the China-time day. Bit numbers are stable (journaled in an audience's record).
enum class DayPart : uint8_t {
  kNight = 0,      // 00-06
  kMorning = 1,    // 06-11
  kNoon = 2,       // 11-14
  kAfternoon = 3,  // 14-18
  kEvening = 4,    // 18-24
};
inline constexpr int kDayPartCount = 5;

DayPart DayPartOfHour(int32_t china_hour);   // 0..23
std::string_view DayPartName(DayPart part);  // "night", "morning", ...
std::optional<DayPart> ParseDayPart(std::string_view name);

inline constexpr int32_t kMaxAudienceWindowDays = 90;
inline constexpr int32_t kMaxAudienceTopRank = 5;
inline constexpr int64_t kMaxAudienceMinPayments = 1'000;
inline constexpr size_t kMaxAudienceListSize = 64;

// Who an offer push goes to. Empty lists and a zero mask mean "any". A customer matches when
// they made at least min_payments payments in the window and every given criterion holds.
struct OfferAudience {
  int32_t window_days = 30;                 // 1..kMaxAudienceWindowDays
  std::vector<std::string> top_categories;  // merchant category ids (merchant_category.h)
  int32_t top_rank = 1;                     // one of top_categories is among their top N
  uint8_t day_parts_mask = 0;               // bit DayPart: their usual part of the day
  std::vector<uint64_t> merchant_ids;       // they paid at one of these
  int64_t min_payments = 1;                 // 1..kMaxAudienceMinPayments

  bool operator==(const OfferAudience&) const = default;
};

// The first field out of range ("window_days", "top_rank", "min_payments", "top_categories",
// "merchant_ids"), or "" when the audience is valid. Categories must be known ids.
std::string_view InvalidAudienceField(const OfferAudience& audience);

// One customer's payments in the window with one category, China hour and merchant.
struct SpendingCell {
  std::string_view category;  // "" when the merchant is unknown to the read models
  int32_t china_hour = 0;     // 0..23
  uint64_t merchant_id = 0;
  int64_t net_fen = 0;  // amount less refunds, > 0
  int64_t count = 0;    // payments, > 0
};

// A customer's profile, folded from their cells.
class SpendingProfile {
 public:
  explicit SpendingProfile(std::span<const SpendingCell> cells);

  int64_t payments() const { return payments_; }
  // Categories by net spend, largest first (ties: by id); "" (unknown) is never ranked.
  const std::vector<std::string_view>& categories_by_spend() const { return ranked_; }
  // The part of the day with the most payments (ties: the earlier part).
  DayPart usual_day_part() const { return usual_; }
  bool Visited(uint64_t merchant_id) const;

  bool Matches(const OfferAudience& audience) const;

 private:
  int64_t payments_ = 0;
  std::vector<std::string_view> ranked_;
  DayPart usual_ = DayPart::kNight;
  std::vector<uint64_t> merchants_;  // sorted, unique
};

}  // namespace qb::marketing
