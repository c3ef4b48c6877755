#include "marketing/offer_audience.h"

#include <algorithm>
#include <array>
#include <utility>

#include "base/checked.h"
#include "merchant/merchant_category.h"

namespace qb::marketing {
namespace {

constexpr std::array<std::string_view, kDayPartCount> kDayPartNames = {"night", "morning", "noon",
                                                                       "afternoon", "evening"};

}  // namespace

DayPart DayPartOfHour(int32_t china_hour) {
  if (china_hour < 6) return DayPart::kNight;
  if (china_hour < 11) return DayPart::kMorning;
  if (china_hour < 14) return DayPart::kNoon;
  if (china_hour < 18) return DayPart::kAfternoon;
  return DayPart::kEvening;
}

std::string_view DayPartName(DayPart part) { return kDayPartNames[static_cast<size_t>(part)]; }

std::optional<DayPart> ParseDayPart(std::string_view name) {
  for (size_t i = 0; i < kDayPartNames.size(); i++) {
    if (kDayPartNames[i] == name) return static_cast<DayPart>(i);
  }
  return std::nullopt;
}

std::string_view InvalidAudienceField(const OfferAudience& a) {
  if (a.window_days < 1 || a.window_days > kMaxAudienceWindowDays) return "window_days";
  if (a.top_rank < 1 || a.top_rank > kMaxAudienceTopRank) return "top_rank";
  if (a.min_payments < 1 || a.min_payments > kMaxAudienceMinPayments) return "min_payments";
  if (a.top_categories.size() > kMaxAudienceListSize) return "top_categories";
  for (const std::string& category : a.top_categories) {
    if (merchant::FindMerchantCategoryById(category) == nullptr) return "top_categories";
  }
  if (a.merchant_ids.size() > kMaxAudienceListSize) return "merchant_ids";
  for (uint64_t id : a.merchant_ids) {
    if (id == 0) return "merchant_ids";
  }
  if (a.day_parts_mask >= (1u << kDayPartCount)) return "day_parts";
  return "";
}

SpendingProfile::SpendingProfile(std::span<const SpendingCell> cells) {
  std::vector<std::pair<std::string_view, int64_t>> spend;  // category → net
  std::array<int64_t, kDayPartCount> by_part{};
  for (const SpendingCell& cell : cells) {
    // Sums of one customer's payments: far below int64 range, but never wrap silently.
    payments_ = CheckedAdd(payments_, cell.count).value_or(INT64_MAX);
    int64_t& part = by_part[static_cast<size_t>(DayPartOfHour(cell.china_hour))];
    part = CheckedAdd(part, cell.count).value_or(INT64_MAX);
    merchants_.push_back(cell.merchant_id);
    if (cell.category.empty()) continue;
    auto at = std::find_if(spend.begin(), spend.end(),
                           [&](const auto& entry) { return entry.first == cell.category; });
    if (at == spend.end()) {
      spend.emplace_back(cell.category, cell.net_fen);
    } else {
      at->second = CheckedAdd(at->second, cell.net_fen).value_or(INT64_MAX);
    }
  }
  std::sort(spend.begin(), spend.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (const auto& [category, net] : spend) ranked_.push_back(category);
  size_t usual = 0;
  for (size_t i = 1; i < by_part.size(); i++) {
    if (by_part[i] > by_part[usual]) usual = i;
  }
  usual_ = static_cast<DayPart>(usual);
  std::sort(merchants_.begin(), merchants_.end());
  merchants_.erase(std::unique(merchants_.begin(), merchants_.end()), merchants_.end());
}

bool SpendingProfile::Visited(uint64_t merchant_id) const {
  return std::binary_search(merchants_.begin(), merchants_.end(), merchant_id);
}

bool SpendingProfile::Matches(const OfferAudience& audience) const {
  if (payments_ < audience.min_payments) return false;
  if (audience.day_parts_mask != 0 &&
      (audience.day_parts_mask & (1u << static_cast<uint8_t>(usual_))) == 0) {
    return false;
  }
  if (!audience.top_categories.empty()) {
    const size_t rank = std::min(ranked_.size(), static_cast<size_t>(audience.top_rank));
    const bool hit = std::any_of(ranked_.begin(), ranked_.begin() + rank, [&](std::string_view c) {
      return std::find(audience.top_categories.begin(), audience.top_categories.end(), c) !=
             audience.top_categories.end();
    });
    if (!hit) return false;
  }
  if (!audience.merchant_ids.empty() &&
      std::none_of(audience.merchant_ids.begin(), audience.merchant_ids.end(),
                   [&](uint64_t id) { return Visited(id); })) {
    return false;
  }
  return true;
}

}  // namespace qb::marketing
