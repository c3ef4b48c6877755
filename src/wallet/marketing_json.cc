#include "wallet/marketing_json.h"

#include <array>
#include <boost/json.hpp>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "api/json_reader.h"
#include "marketing/segments.h"
#include "wallet/handler_util.h"
#include "wallet/json_fields.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using marketing::AmountShape;
using marketing::CampaignType;

constexpr int64_t kNsPerSecondLocal = 1'000'000'000;
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr size_t kMaxNameChars = 256;  // The book checks its own, tighter, limit in bytes.

std::string TimeText(int64_t unix_s) { return Rfc3339(unix_s * kNsPerSecondLocal); }

bool ReadDigits(std::string_view text, size_t* at, size_t count, int64_t* out) {
  if (*at + count > text.size()) return false;
  int64_t value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[*at + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *at += count;
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t* at, char c) {
  if (*at >= text.size() || text[*at] != c) return false;
  ++*at;
  return true;
}

constexpr std::array<std::string_view, 5> kTypeNames = {
    "instant_discount", "first_order", "threshold_coupon", "discount_coupon", "cashback"};
constexpr std::array<std::string_view, 5> kShapeNames = {"none", "fixed", "percent", "random_range",
                                                         "threshold"};
constexpr std::array<std::string_view, 4> kChannelNames = {"qr", "payment_code", "online", "nfc"};

void ReadReward(Fields& parent, marketing::RewardRule* rule, std::optional<api::ApiError>* error) {
  const boost::json::object* object = parent.Object("reward", false);
  if (object == nullptr) return;
  Fields f(*object, "reward.", error);
  if (std::optional<size_t> shape = f.Enum("shape", true, kShapeNames)) {
    rule->shape = static_cast<AmountShape>(*shape);
  }
  rule->fixed_fen = f.Int("fixed", false, kInt64Min, kInt64Max).value_or(0);
  rule->percent_bps =
      static_cast<int32_t>(f.Int("percent_bps", false, kInt32Min, kInt32Max).value_or(0));
  rule->percent_cap_fen = f.Int("percent_cap", false, kInt64Min, kInt64Max).value_or(0);
  rule->random_lo_fen = f.Int("random_lo", false, kInt64Min, kInt64Max).value_or(0);
  rule->random_hi_fen = f.Int("random_hi", false, kInt64Min, kInt64Max).value_or(0);
  rule->threshold_fen = f.Int("threshold", false, kInt64Min, kInt64Max).value_or(0);
  rule->save_fen = f.Int("save", false, kInt64Min, kInt64Max).value_or(0);
  if (std::optional<size_t> scope = f.Enum("first_order_scope", false, {"ever", "at_merchant"})) {
    rule->first_order_scope =
        *scope == 0 ? marketing::FirstOrderScope::kEver : marketing::FirstOrderScope::kAtMerchant;
  }
  // Cashback only: held this long (pending in the wallet, voided by a refund) before it can be
  // spent; 0 pays at once.
  rule->hold_seconds = f.Int("hold_seconds", false, kInt64Min, kInt64Max).value_or(0);
  f.Finish();
}

void ReadEligibility(Fields& parent, marketing::Eligibility* e,
                     std::optional<api::ApiError>* error) {
  const boost::json::object* object = parent.Object("eligibility", true);
  if (object == nullptr) return;
  Fields f(*object, "eligibility.", error);
  e->window_start_s = f.Time("starts_at", true).value_or(0);
  e->window_end_s = f.Time("ends_at", true).value_or(0);
  if (const boost::json::array* hours = f.Array("hours", false, 24)) {
    e->hours_mask = 0;
    for (const boost::json::value& hour : *hours) {
      if (!hour.is_int64() || hour.as_int64() < 0 || hour.as_int64() > 23) {
        f.Fail(ErrorCode::kFieldInvalid, "hours", "China-time hours 0 to 23");
        break;
      }
      e->hours_mask |= uint32_t{1} << hour.as_int64();
    }
  }
  if (const boost::json::array* channels = f.Array("channels", false, 4)) {
    e->channel_mask = 0;
    for (const boost::json::value& channel : *channels) {
      int index = -1;
      int i = 0;
      for (const std::string_view name : kChannelNames) {
        if (channel.is_string() && channel.as_string() == name) index = i;
        ++i;
      }
      if (index < 0) {
        f.Fail(ErrorCode::kFieldInvalid, "channels", "qr, payment_code, online or nfc");
        break;
      }
      e->channel_mask |= marketing::ChannelBit(static_cast<marketing::Channel>(index));
    }
  }
  if (const boost::json::array* ids =
          f.Array("merchant_ids", false, marketing::kMaxTargetListSize)) {
    for (const boost::json::value& id : *ids) {
      std::optional<uint64_t> parsed;
      if (id.is_string()) parsed = ParseId(id.as_string());
      if (!parsed || *parsed == 0) {
        f.Fail(ErrorCode::kFieldInvalid, "merchant_ids", "decimal id strings");
        break;
      }
      e->merchant_ids.push_back(*parsed);
    }
  }
  if (const boost::json::array* categories =
          f.Array("categories", false, marketing::kMaxTargetListSize)) {
    for (const boost::json::value& category : *categories) {
      if (!category.is_int64() || category.as_int64() < 0 ||
          category.as_int64() > std::numeric_limits<uint32_t>::max()) {
        f.Fail(ErrorCode::kFieldInvalid, "categories", "merchant category codes (integers)");
        break;
      }
      e->categories.push_back(static_cast<uint32_t>(category.as_int64()));
    }
  }
  // GB/T 2260 divisions (a province, city or district), matched against the one in the
  // merchant's credit code: 350000 covers all of Fujian, 350100 Fuzhou.
  if (const boost::json::array* regions =
          f.Array("regions", false, marketing::kMaxTargetListSize)) {
    for (const boost::json::value& region : *regions) {
      if (!region.is_int64() || region.as_int64() < 110'000 || region.as_int64() > 829'999) {
        f.Fail(ErrorCode::kFieldInvalid, "regions",
               "six-digit administrative division codes (integers, e.g. 350100)");
        break;
      }
      e->regions.push_back(static_cast<uint32_t>(region.as_int64()));
    }
  }
  // Customer segments (marketing/segments.h) by name; any one of them qualifies.
  if (const boost::json::array* segments = f.Array("segments", false, 64)) {
    for (const boost::json::value& name : *segments) {
      const std::optional<marketing::Segment> segment =
          name.is_string() ? marketing::ParseSegment(name.as_string()) : std::nullopt;
      if (!segment) {
        f.Fail(ErrorCode::kFieldInvalid, "segments",
               "segment names: new_customer, verified, tier_i .. tier_iv, channel_<sign-up "
               "channel>");
        break;
      }
      e->segment_mask |= marketing::SegmentBit(*segment);
    }
  }
  // Age band in whole years (0: no bound) and win-back days (0: everyone); ValidateCampaign
  // checks the ranges.
  e->age_min = static_cast<int32_t>(f.Int("age_min", false, kInt32Min, kInt32Max).value_or(0));
  e->age_max = static_cast<int32_t>(f.Int("age_max", false, kInt32Min, kInt32Max).value_or(0));
  e->inactive_days =
      static_cast<int32_t>(f.Int("inactive_days", false, kInt32Min, kInt32Max).value_or(0));
  // A custom list's id (customer_list_routes.cc); the campaign book checks that it exists.
  const uint64_t list = f.Id("customer_list", false).value_or(0);
  if (list > std::numeric_limits<uint32_t>::max())
    f.Fail(ErrorCode::kFieldInvalid, "customer_list", "a custom list's id");
  e->customer_list = static_cast<uint32_t>(list);
  e->min_amount_fen = f.Int("min_amount", false, kInt64Min, kInt64Max).value_or(0);
  e->holdout_percent =
      static_cast<int32_t>(f.Int("holdout_percent", false, kInt32Min, kInt32Max).value_or(0));
  f.Finish();
}

void ReadCaps(Fields& parent, marketing::Caps* caps, std::optional<api::ApiError>* error) {
  const boost::json::object* object = parent.Object("caps", true);
  if (object == nullptr) return;
  Fields f(*object, "caps.", error);
  caps->budget_total_fen = f.Int("budget_total", true, kInt64Min, kInt64Max).value_or(0);
  caps->budget_daily_fen = f.Int("budget_daily", false, kInt64Min, kInt64Max).value_or(0);
  caps->customer_count_daily =
      f.Int("customer_count_daily", false, kInt64Min, kInt64Max).value_or(0);
  caps->customer_count_lifetime =
      f.Int("customer_count_lifetime", false, kInt64Min, kInt64Max).value_or(0);
  caps->customer_amount_daily_fen =
      f.Int("customer_amount_daily", false, kInt64Min, kInt64Max).value_or(0);
  caps->customer_amount_lifetime_fen =
      f.Int("customer_amount_lifetime", false, kInt64Min, kInt64Max).value_or(0);
  caps->device_count_lifetime =
      f.Int("device_count_lifetime", false, kInt64Min, kInt64Max).value_or(0);
  caps->identity_count_lifetime =
      f.Int("identity_count_lifetime", false, kInt64Min, kInt64Max).value_or(0);
  f.Finish();
}

}  // namespace

std::optional<int64_t> ParseRfc3339Seconds(std::string_view text) {
  size_t at = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, &at, 4, &year) || !Expect(text, &at, '-') ||
      !ReadDigits(text, &at, 2, &month) || !Expect(text, &at, '-') ||
      !ReadDigits(text, &at, 2, &day) || !(Expect(text, &at, 'T') || Expect(text, &at, 't')) ||
      !ReadDigits(text, &at, 2, &hour) || !Expect(text, &at, ':') ||
      !ReadDigits(text, &at, 2, &minute) || !Expect(text, &at, ':') ||
      !ReadDigits(text, &at, 2, &second)) {
    return std::nullopt;
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 ||
      second > 59) {
    return std::nullopt;
  }
  // The day must exist in its month: round-trip through the civil calendar.
  const int64_t days = DaysFromCivil(year, month, day);
  int64_t y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  if (y != year || m != month || d != day) return std::nullopt;
  if (Expect(text, &at, '.')) {
    size_t digits = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) ++digits;
    if (digits == 0 || digits > 9) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (!(Expect(text, &at, 'Z') || Expect(text, &at, 'z'))) {
    if (at >= text.size() || (text[at] != '+' && text[at] != '-')) return std::nullopt;
    const int64_t sign = text[at++] == '+' ? 1 : -1;
    int64_t offset_hours = 0, offset_minutes = 0;
    if (!ReadDigits(text, &at, 2, &offset_hours) || !Expect(text, &at, ':') ||
        !ReadDigits(text, &at, 2, &offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
  }
  if (at != text.size()) return std::nullopt;
  const int64_t unix_s = days * 86'400 + hour * 3600 + minute * 60 + second - offset_seconds;
  if (unix_s < 0) return std::nullopt;
  return unix_s;
}

api::ApiResult<marketing::Campaign> ParseCampaignInput(std::string_view body) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  marketing::Campaign campaign;
  campaign.name = f.String("name", true, kMaxNameChars).value_or("");
  if (std::optional<size_t> type = f.Enum("type", true, kTypeNames)) {
    campaign.type = static_cast<CampaignType>(*type + 1);
  }
  ReadReward(f, &campaign.rule, &error);
  ReadEligibility(f, &campaign.eligibility, &error);
  ReadCaps(f, &campaign.caps, &error);
  campaign.exclusive_group = static_cast<uint32_t>(
      f.Int("exclusive_group", false, 0, std::numeric_limits<uint32_t>::max()).value_or(0));
  campaign.priority =
      static_cast<int32_t>(f.Int("priority", false, kInt32Min, kInt32Max).value_or(0));
  f.Finish();
  if (error) return *error;
  return campaign;
}

api::ApiResult<DryRunInput> ParseDryRunInput(std::string_view body) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  const boost::json::object* campaign = f.Object("campaign", true);
  DryRunInput input;
  input.days = f.Int("days", false, 1, 30).value_or(30);
  f.Finish();
  if (error) return *error;
  // The campaign is read as creating one reads it, with the same messages.
  api::ApiResult<marketing::Campaign> parsed =
      ParseCampaignInput(boost::json::serialize(*campaign));
  if (!parsed.ok()) return parsed.error();
  input.campaign = std::move(parsed).value();
  return input;
}

api::ApiResult<marketing::CouponTemplate> ParseCouponTemplateInput(std::string_view body) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  marketing::CouponTemplate t;
  t.campaign_id = f.Id("campaign_id", true).value_or(0);
  t.name = f.String("name", true, kMaxNameChars).value_or("");
  if (std::optional<size_t> kind = f.Enum("kind", true, {"threshold", "percent"})) {
    t.kind = *kind == 0 ? marketing::CouponKind::kThreshold : marketing::CouponKind::kPercent;
  }
  t.threshold_fen = f.Int("threshold", false, kInt64Min, kInt64Max).value_or(0);
  t.save_fen = f.Int("save", false, kInt64Min, kInt64Max).value_or(0);
  t.discount_bps =
      static_cast<int32_t>(f.Int("discount_bps", false, kInt32Min, kInt32Max).value_or(0));
  t.discount_cap_fen = f.Int("discount_cap", false, kInt64Min, kInt64Max).value_or(0);
  t.stock = f.Int("stock", true, kInt64Min, kInt64Max).value_or(0);
  if (const boost::json::object* validity = f.Object("validity", true)) {
    Fields v(*validity, "validity.", &error);
    if (std::optional<size_t> kind = v.Enum("kind", true, {"fixed_window", "days_after_claim"})) {
      t.validity = *kind == 0 ? marketing::ValidityKind::kFixedWindow
                              : marketing::ValidityKind::kDaysAfterClaim;
    }
    t.valid_from_s = v.Time("valid_from", false).value_or(0);
    t.valid_until_s = v.Time("valid_until", false).value_or(0);
    t.valid_days = v.Int("valid_days", false, kInt64Min, kInt64Max).value_or(0);
    v.Finish();
  }
  t.claim_start_s = f.Time("claim_starts_at", true).value_or(0);
  t.claim_end_s = f.Time("claim_ends_at", true).value_or(0);
  t.per_customer_limit =
      static_cast<int32_t>(f.Int("per_customer_limit", false, kInt32Min, kInt32Max).value_or(0));
  f.Finish();
  if (error) return *error;
  return t;
}

api::ApiResult<std::vector<uint64_t>> ParseCustomerIds(std::string_view body, size_t max_count) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  std::vector<uint64_t> ids;
  if (const boost::json::array* list = f.Array("customer_ids", true, max_count)) {
    if (list->empty()) f.Fail(ErrorCode::kFieldInvalid, "customer_ids", "at least one id");
    ids.reserve(list->size());
    for (const boost::json::value& id : *list) {
      std::optional<uint64_t> parsed;
      if (id.is_string()) parsed = ParseId(id.as_string());
      if (!parsed || *parsed == 0) {
        f.Fail(ErrorCode::kFieldInvalid, "customer_ids", "decimal id strings");
        break;
      }
      ids.push_back(*parsed);
    }
  }
  f.Finish();
  if (error) return *error;
  return ids;
}

api::ApiResult<uint64_t> ParseSegmentMask(std::string_view body) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  if (!root.value().contains("segments")) return uint64_t{0};
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  uint64_t mask = 0;
  if (const boost::json::array* names = f.Array("segments", true, 64)) {
    for (const boost::json::value& name : *names) {
      const std::optional<marketing::Segment> segment =
          name.is_string() ? marketing::ParseSegment(name.as_string()) : std::nullopt;
      if (!segment) {
        f.Fail(ErrorCode::kFieldInvalid, "segments", "segment names (marketing/segments.h)");
        break;
      }
      mask |= marketing::SegmentBit(*segment);
    }
    if (names->empty()) f.Fail(ErrorCode::kFieldInvalid, "segments", "at least one segment");
  }
  f.Finish();
  if (error) return *error;
  return mask;
}

std::string BookFieldName(std::string_view field) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"eligibility.window_start_s", "eligibility.starts_at"},
      {"eligibility.window_end_s", "eligibility.ends_at"},
      {"eligibility.hours_mask", "eligibility.hours"},
      {"eligibility.channel_mask", "eligibility.channels"},
      {"claim_start_s", "claim_starts_at"},
      {"claim_end_s", "claim_ends_at"},
      {"valid_from_s", "validity.valid_from"},
      {"valid_until_s", "validity.valid_until"},
      {"valid_days", "validity.valid_days"},
      {"validity", "validity.kind"},
      {"rule.hold_seconds", "reward.hold_seconds"},
  };
  for (const auto& [book, api_name] : kNames) {
    if (field == book) return std::string(api_name);
  }
  std::string name(field);
  if (name.starts_with("rule.")) name = "reward." + name.substr(5);
  if (name.ends_with("_fen")) name.resize(name.size() - 4);
  return name;
}

api::ApiError BookRefusal(std::string_view reply_text) {
  const size_t colon = reply_text.find(':');
  const std::string_view code = reply_text.substr(0, colon);
  const std::string field =
      colon == std::string_view::npos ? "" : BookFieldName(reply_text.substr(colon + 1));
  int status = 409;
  if (code.starts_with("CAMPAIGN_INVALID_") || code.starts_with("COUPON_INVALID_")) status = 422;
  if (code == "CAMPAIGN_NOT_FOUND" || code == "COUPON_TEMPLATE_NOT_FOUND") status = 404;
  if (code == "COUPON_CODE_INVALID") status = 422;
  if (code == "CUSTOMER_LIST_NOT_FOUND") status = 404;
  std::string message = field.empty()
                            ? std::string("the campaign book refused: ") + std::string(code)
                            : field + ": refused by the campaign book";
  if (code == "CAMPAIGN_COFUND_MERCHANT_NOT_TARGETED") {
    status = 422;
    message =
        "merchant_id: a merchant co-funds only a campaign that applies at it "
        "(list it in eligibility.merchant_ids first)";
  } else if (field == "eligibility.customer_list") {
    message = "eligibility.customer_list: no such custom list";
  } else if (code == "CUSTOMER_LIST_IN_USE") {
    message = "a campaign that has not ended targets this list";
  } else if (code == "CUSTOMER_LIST_LIMIT") {
    message = "at most 64 custom lists exist at once: delete one first";
  } else if (code == "CAMPAIGN_COFUNDED_MERCHANTS_FIXED") {
    message = "eligibility.merchant_ids: fixed once a merchant co-funded the campaign";
  }
  return api::ApiError{status, std::string(code), std::move(message)};
}

std::string_view CampaignTypeApiName(CampaignType type) {
  const auto index = static_cast<size_t>(type) - 1;
  return index < kTypeNames.size() ? kTypeNames[index] : "unknown";
}

std::string_view CampaignStatusApiName(marketing::CampaignStatus status) {
  switch (status) {
    case marketing::CampaignStatus::kDraft:
      return "draft";
    case marketing::CampaignStatus::kScheduled:
      return "scheduled";
    case marketing::CampaignStatus::kLive:
      return "live";
    case marketing::CampaignStatus::kPaused:
      return "paused";
    case marketing::CampaignStatus::kEnded:
      return "ended";
  }
  return "unknown";
}

std::optional<marketing::CampaignStatus> ParseCampaignStatus(std::string_view name) {
  for (const auto status :
       {marketing::CampaignStatus::kDraft, marketing::CampaignStatus::kScheduled,
        marketing::CampaignStatus::kLive, marketing::CampaignStatus::kPaused,
        marketing::CampaignStatus::kEnded}) {
    if (CampaignStatusApiName(status) == name) return status;
  }
  return std::nullopt;
}

api::JsonObjectWriter RewardJson(const marketing::RewardRule& rule) {
  const auto shape = static_cast<size_t>(rule.shape);
  api::JsonObjectWriter json;
  json.String("shape", shape < kShapeNames.size() ? kShapeNames[shape] : "none")
      .Amount("fixed", rule.fixed_fen)
      .Int("percent_bps", rule.percent_bps)
      .Amount("percent_cap", rule.percent_cap_fen)
      .Amount("random_lo", rule.random_lo_fen)
      .Amount("random_hi", rule.random_hi_fen)
      .Amount("threshold", rule.threshold_fen)
      .Amount("save", rule.save_fen)
      .String("first_order_scope",
              rule.first_order_scope == marketing::FirstOrderScope::kEver ? "ever" : "at_merchant")
      .Int("hold_seconds", rule.hold_seconds);
  return json;
}

api::JsonObjectWriter EligibilityJson(const marketing::Eligibility& e, bool brief) {
  api::JsonObjectWriter json;
  json.String("starts_at", TimeText(e.window_start_s)).String("ends_at", TimeText(e.window_end_s));
  if (!brief) {
    api::JsonArrayWriter hours;
    for (int hour = 0; hour < 24; ++hour) {
      if ((e.hours_mask & (uint32_t{1} << hour)) != 0) hours.Int(hour);
    }
    json.Array("hours", std::move(hours));
  }
  api::JsonArrayWriter channels;
  int index = 0;
  for (const std::string_view name : kChannelNames) {
    if ((e.channel_mask & marketing::ChannelBit(static_cast<marketing::Channel>(index))) != 0) {
      channels.String(name);
    }
    ++index;
  }
  json.Array("channels", std::move(channels));
  api::JsonArrayWriter merchants;
  for (const uint64_t id : e.merchant_ids) merchants.String(std::to_string(id));
  json.Array("merchant_ids", std::move(merchants));
  if (!brief) {
    api::JsonArrayWriter categories;
    for (const uint32_t category : e.categories) categories.Int(category);
    json.Array("categories", std::move(categories));
    api::JsonArrayWriter regions;
    for (const uint32_t region : e.regions) regions.Int(region);
    json.Array("regions", std::move(regions));
  }
  api::JsonArrayWriter segments;
  for (const marketing::Segment segment : marketing::AllSegments()) {
    if ((e.segment_mask & marketing::SegmentBit(segment)) != 0) {
      segments.String(marketing::SegmentName(segment));
    }
  }
  json.Array("segments", std::move(segments));
  json.Int("age_min", e.age_min);
  json.Int("age_max", e.age_max);
  json.Int("inactive_days", e.inactive_days);
  if (e.customer_list != 0) {
    json.String("customer_list", std::to_string(e.customer_list));
  } else {
    json.Null("customer_list");
  }
  json.Amount("min_amount", e.min_amount_fen);
  if (!brief) json.Int("holdout_percent", e.holdout_percent);
  return json;
}

namespace {

api::JsonObjectWriter CoFundingJson(const marketing::CampaignState& state,
                                    const CoFundingView& view) {
  const marketing::CoFunding& funding = view.funding;
  const bool ended = state.campaign.status == marketing::CampaignStatus::kEnded;
  // What is (or would be, ended now) back with the funders: T − spent either way.
  const int64_t unspent_fen = funding.total_fen - state.spend.spent_total_fen;
  int64_t merchants_cost = 0;
  int64_t merchants_back = 0;
  std::vector<api::JsonObjectWriter> merchant_items;
  for (size_t i = 0; i < funding.merchants.size(); i++) {
    const marketing::CoFunder& m = funding.merchants[i];
    const int64_t back =
        ended ? m.returned_fen : marketing::OwedBack(m.funded_fen, unspent_fen, funding.total_fen);
    merchants_cost += m.funded_fen - back;
    merchants_back += back;
    api::JsonObjectWriter item;
    item.String("kind", "merchant")
        .String("merchant_id", std::to_string(m.merchant_id))
        .String("name", view.merchant_names[i])
        .Amount("funded", m.funded_fen)
        .Amount("cost", m.funded_fen - back)
        .Amount("returned", back);
    merchant_items.push_back(std::move(item));
  }
  api::JsonObjectWriter bank;
  bank.String("kind", "bank")
      .Amount("funded", funding.total_fen - funding.merchants_funded_fen())
      .Amount("cost", state.spend.spent_total_fen - merchants_cost)
      .Amount("returned", unspent_fen - merchants_back);
  api::JsonArrayWriter funders;
  funders.Object(std::move(bank));
  for (api::JsonObjectWriter& item : merchant_items) funders.Object(std::move(item));
  api::JsonObjectWriter json;
  json.Amount("funded", funding.total_fen)
      .Amount("cost", state.spend.spent_total_fen)
      .Bool("settled", ended)
      .Array("funders", std::move(funders));
  return json;
}

}  // namespace

api::JsonObjectWriter MerchantCoFundingJson(const marketing::CampaignState& state,
                                            const marketing::CoFunding& funding,
                                            uint64_t merchant_id) {
  const marketing::Campaign& c = state.campaign;
  const bool ended = c.status == marketing::CampaignStatus::kEnded;
  const int64_t unspent_fen = funding.total_fen - state.spend.spent_total_fen;
  api::JsonObjectWriter json;
  json.String("campaign_id", std::to_string(c.id))
      .String("name", c.name)
      .String("type", CampaignTypeApiName(c.type))
      .String("status", CampaignStatusApiName(c.status))
      .String("starts_at", TimeText(c.eligibility.window_start_s))
      .String("ends_at", TimeText(c.eligibility.window_end_s))
      .Amount("campaign_funded", funding.total_fen)
      .Amount("campaign_cost", state.spend.spent_total_fen)
      .Int("rewarded_payments", state.spend.rewarded_payments)
      .Bool("settled", ended);
  for (const marketing::CoFunder& m : funding.merchants) {
    if (m.merchant_id != merchant_id) continue;
    const int64_t back =
        ended ? m.returned_fen : marketing::OwedBack(m.funded_fen, unspent_fen, funding.total_fen);
    json.Amount("funded", m.funded_fen)
        .Amount("cost", m.funded_fen - back)
        .Amount("returned", back);
  }
  json.String("currency", "CNY");
  return json;
}

api::JsonObjectWriter CampaignJson(const marketing::CampaignState& state,
                                   const CoFundingView* co_funding,
                                   std::optional<int64_t> reward_customers) {
  const marketing::Campaign& c = state.campaign;
  const marketing::Caps& caps = c.caps;
  api::JsonObjectWriter caps_json;
  caps_json.Amount("budget_total", caps.budget_total_fen)
      .Amount("budget_daily", caps.budget_daily_fen)
      .Int("customer_count_daily", caps.customer_count_daily)
      .Int("customer_count_lifetime", caps.customer_count_lifetime)
      .Amount("customer_amount_daily", caps.customer_amount_daily_fen)
      .Amount("customer_amount_lifetime", caps.customer_amount_lifetime_fen)
      .Int("device_count_lifetime", caps.device_count_lifetime)
      .Int("identity_count_lifetime", caps.identity_count_lifetime);
  // Figures the book tracks, and the distinct customers rewarded when the read models counted
  // them. Holdout customers are not tracked, so they are left out rather than guessed; new
  // customers are known only for 首单 campaigns, where every rewarded payment is a customer's
  // first.
  const marketing::CampaignSpend& spend = state.spend;
  api::JsonObjectWriter figures;
  figures.Amount("budget_total", caps.budget_total_fen)
      .Amount("spent", spend.spent_total_fen)
      .Amount("remaining", caps.budget_total_fen - spend.spent_total_fen)
      .Int("rewarded_payments", spend.rewarded_payments)
      .Amount("gmv", spend.rewarded_gmv_fen);
  if (reward_customers) {
    figures.Int("reward_customers", *reward_customers);
    if (*reward_customers > 0) {
      figures.Amount("cost_per_customer", spend.spent_total_fen / *reward_customers);
    } else {
      figures.Null("cost_per_customer");
    }
  }
  if (c.type == CampaignType::kFirstOrder) {
    figures.Int("new_customers", spend.rewarded_payments);
    if (spend.rewarded_payments > 0) {
      figures.Amount("cost_per_new_customer", spend.spent_total_fen / spend.rewarded_payments);
    } else {
      figures.Null("cost_per_new_customer");
    }
  }
  api::JsonObjectWriter json;
  json.String("id", std::to_string(c.id))
      .String("name", c.name)
      .String("type", CampaignTypeApiName(c.type))
      .String("status", CampaignStatusApiName(c.status))
      .Object("reward", RewardJson(c.rule))
      .Object("eligibility", EligibilityJson(c.eligibility, false))
      .Object("caps", std::move(caps_json))
      .Int("exclusive_group", c.exclusive_group)
      .Int("priority", c.priority)
      .Object("figures", std::move(figures));
  if (co_funding != nullptr) {
    json.Object("co_funding", CoFundingJson(state, *co_funding));
  } else {
    json.Null("co_funding");
  }
  json.String("currency", "CNY");
  return json;
}

api::JsonObjectWriter CouponTemplateJson(const marketing::CouponTemplate& t, int64_t issued) {
  api::JsonObjectWriter validity;
  if (t.validity == marketing::ValidityKind::kFixedWindow) {
    validity.String("kind", "fixed_window")
        .String("valid_from", TimeText(t.valid_from_s))
        .String("valid_until", TimeText(t.valid_until_s));
  } else {
    validity.String("kind", "days_after_claim").Int("valid_days", t.valid_days);
  }
  api::JsonObjectWriter json;
  json.String("id", std::to_string(t.id))
      .String("campaign_id", std::to_string(t.campaign_id))
      .String("name", t.name)
      .String("kind", t.kind == marketing::CouponKind::kThreshold ? "threshold" : "percent")
      .Amount("threshold", t.threshold_fen)
      .Amount("save", t.save_fen)
      .Int("discount_bps", t.discount_bps)
      .Amount("discount_cap", t.discount_cap_fen)
      .Int("stock", t.stock)
      .Int("claimed", issued)
      .Int("remaining", t.stock - issued)
      .Object("validity", std::move(validity))
      .String("claim_starts_at", TimeText(t.claim_start_s))
      .String("claim_ends_at", TimeText(t.claim_end_s))
      .Int("per_customer_limit", t.per_customer_limit);
  return json;
}

api::JsonObjectWriter CouponJson(const marketing::Coupon& coupon,
                                 const marketing::CouponTemplate& t, int64_t now_s) {
  std::string_view state = "available";
  switch (marketing::CouponBook::EffectiveState(coupon, now_s)) {
    case marketing::CouponState::kAvailable:
      break;
    case marketing::CouponState::kRedeemed:
      state = "redeemed";
      break;
    case marketing::CouponState::kExpired:
      state = "expired";
      break;
    case marketing::CouponState::kVoided:
      state = "voided";
      break;
  }
  api::JsonObjectWriter json;
  json.String("id", std::to_string(coupon.id))
      .String("template_id", std::to_string(coupon.template_id))
      .String("campaign_id", std::to_string(t.campaign_id))
      .String("name", t.name)
      .String("kind", t.kind == marketing::CouponKind::kThreshold ? "threshold" : "percent")
      .Amount("threshold", t.threshold_fen)
      .Amount("save", t.save_fen)
      .Int("discount_bps", t.discount_bps)
      .Amount("discount_cap", t.discount_cap_fen)
      .String("state", state)
      .String("valid_from", TimeText(coupon.valid_from_s))
      .String("valid_until", TimeText(coupon.valid_until_s));
  return json;
}

std::string_view RewardKindApiName(marketing::RewardKind kind) {
  switch (kind) {
    case marketing::RewardKind::kDiscount:
      return "discount";
    case marketing::RewardKind::kCoupon:
      return "coupon";
    case marketing::RewardKind::kCashbackNow:
    case marketing::RewardKind::kCashbackHeld:
      return "cashback";
  }
  return "discount";
}

}  // namespace qb::wallet
