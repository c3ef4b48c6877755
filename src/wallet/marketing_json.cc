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

// Reads the members of one JSON object by name and remembers which were read, so that Finish
// can refuse the first one nobody asked for. The first error wins; `path` prefixes field names
// in messages ("caps.").
class Fields {
 public:
  Fields(const boost::json::object& object, std::string path, std::optional<api::ApiError>* error)
      : object_(object), path_(std::move(path)), error_(error) {}

  // The member, or null when absent or JSON null (FIELD_REQUIRED when `required`).
  const boost::json::value* Get(std::string_view name, bool required) {
    read_.emplace_back(name);
    const boost::json::value* value = object_.if_contains(name);
    if (value != nullptr && value->is_null()) value = nullptr;
    if (value == nullptr && required) Fail(ErrorCode::kFieldRequired, name, "required");
    return value;
  }

  std::optional<int64_t> Int(std::string_view name, bool required, int64_t min, int64_t max) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return std::nullopt;
    std::optional<int64_t> number;
    if (value->is_int64()) number = value->as_int64();
    if (value->is_uint64() && value->as_uint64() <= static_cast<uint64_t>(kInt64Max)) {
      number = static_cast<int64_t>(value->as_uint64());
    }
    if (!number || *number < min || *number > max) {
      Fail(ErrorCode::kFieldInvalid, name,
           "an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return number;
  }

  std::optional<std::string> String(std::string_view name, bool required, size_t max_chars) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) {
      Fail(ErrorCode::kFieldInvalid, name, "a string");
      return std::nullopt;
    }
    const boost::json::string& text = value->as_string();
    size_t chars = 0;
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7F) {
        Fail(ErrorCode::kFieldInvalid, name, "no control characters");
        return std::nullopt;
      }
      if ((byte & 0xC0) != 0x80) ++chars;
    }
    if (chars > max_chars) {
      Fail(ErrorCode::kFieldInvalid, name, "at most " + std::to_string(max_chars) + " characters");
      return std::nullopt;
    }
    return std::string(text);
  }

  // One of `allowed`: its index.
  std::optional<size_t> Enum(std::string_view name, bool required,
                             std::initializer_list<std::string_view> allowed) {
    return Enum(name, required, std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }
  std::optional<size_t> Enum(std::string_view name, bool required,
                             std::span<const std::string_view> allowed) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return std::nullopt;
    if (value->is_string()) {
      size_t index = 0;
      for (const std::string_view option : allowed) {
        if (value->as_string() == option) return index;
        ++index;
      }
    }
    std::string why = "one of";
    for (const std::string_view option : allowed) {
      why += ' ';
      why.append(option);
    }
    Fail(ErrorCode::kFieldInvalid, name, why);
    return std::nullopt;
  }

  std::optional<int64_t> Time(std::string_view name, bool required) {
    std::optional<std::string> text = String(name, required, 64);
    if (!text) return std::nullopt;
    std::optional<int64_t> seconds = ParseRfc3339Seconds(*text);
    if (!seconds) Fail(ErrorCode::kFieldInvalid, name, "an RFC 3339 time");
    return seconds;
  }

  std::optional<uint64_t> Id(std::string_view name, bool required) {
    std::optional<std::string> text = String(name, required, 20);
    if (!text) return std::nullopt;
    std::optional<uint64_t> id = ParseId(*text);
    if (!id || *id == 0) Fail(ErrorCode::kFieldInvalid, name, "a decimal id string");
    return id;
  }

  const boost::json::object* Object(std::string_view name, bool required) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return nullptr;
    if (!value->is_object()) {
      Fail(ErrorCode::kFieldInvalid, name, "an object");
      return nullptr;
    }
    return &value->as_object();
  }

  const boost::json::array* Array(std::string_view name, bool required, size_t max_size) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return nullptr;
    if (!value->is_array() || value->as_array().size() > max_size) {
      Fail(ErrorCode::kFieldInvalid, name, "a list of at most " + std::to_string(max_size));
      return nullptr;
    }
    return &value->as_array();
  }

  std::optional<bool> Bool(std::string_view name, bool required) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return std::nullopt;
    if (!value->is_bool()) {
      Fail(ErrorCode::kFieldInvalid, name, "true or false");
      return std::nullopt;
    }
    return value->as_bool();
  }

  void Fail(ErrorCode code, std::string_view name, std::string_view why) {
    if (*error_) return;
    *error_ = api::MakeError(code, path_ + std::string(name) + ": " + std::string(why));
  }

  // UNKNOWN_FIELD for the first member nobody read.
  void Finish() {
    for (const auto& member : object_) {
      bool known = false;
      for (const std::string& name : read_) known |= member.key() == name;
      if (!known) {
        Fail(ErrorCode::kUnknownField, member.key(), "unknown field");
        return;
      }
    }
  }

 private:
  const boost::json::object& object_;
  std::string path_;
  std::optional<api::ApiError>* error_;
  std::vector<std::string> read_;
};

// The body as one JSON object: the strict parser's checks (duplicate keys, UTF-8, limits) and
// then Boost.JSON's tree, which the nested inputs need.
api::ApiResult<boost::json::object> ParseRoot(std::string_view body) {
  api::ParseLimits limits;
  limits.max_fields = kMarketingMaxFields;
  api::ApiResult<api::JsonObject> strict = api::ParseJsonObject(body, limits);
  if (!strict.ok()) return strict.error();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) {
    return api::MakeError(ErrorCode::kMalformedJson, "the body is not a JSON object");
  }
  return std::move(value.as_object());
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
  std::string message = field.empty()
                            ? std::string("the campaign book refused: ") + std::string(code)
                            : field + ": refused by the campaign book";
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
  }
  api::JsonArrayWriter segments;
  for (const marketing::Segment segment : marketing::AllSegments()) {
    if ((e.segment_mask & marketing::SegmentBit(segment)) != 0) {
      segments.String(marketing::SegmentName(segment));
    }
  }
  json.Array("segments", std::move(segments));
  json.Amount("min_amount", e.min_amount_fen);
  if (!brief) json.Int("holdout_percent", e.holdout_percent);
  return json;
}

api::JsonObjectWriter CampaignJson(const marketing::CampaignState& state) {
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
  // Figures the book tracks. Distinct reward customers and holdout customers are not tracked,
  // so they are left out rather than guessed; new customers are known only for 首单 campaigns,
  // where every rewarded payment is a customer's first.
  const marketing::CampaignSpend& spend = state.spend;
  api::JsonObjectWriter figures;
  figures.Amount("budget_total", caps.budget_total_fen)
      .Amount("spent", spend.spent_total_fen)
      .Amount("remaining", caps.budget_total_fen - spend.spent_total_fen)
      .Int("rewarded_payments", spend.rewarded_payments)
      .Amount("gmv", spend.rewarded_gmv_fen);
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
      .Object("figures", std::move(figures))
      .String("currency", "CNY");
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

api::ApiResult<points::Program> ParsePointsProgramInput(std::string_view body) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  points::Program program;
  program.enabled = f.Bool("enabled", true).value_or(false);
  program.earn_per_yuan =
      static_cast<int32_t>(f.Int("earn_points_per_yuan", true, kInt32Min, kInt32Max).value_or(0));
  program.redeem_points_per_yuan =
      static_cast<int32_t>(f.Int("redeem_points_per_yuan", true, kInt32Min, kInt32Max).value_or(0));
  // A whole percent in the API; basis points in the engine.
  program.redeem_max_bps =
      static_cast<int32_t>(f.Int("redeem_max_percent", true, 0, 100).value_or(0) * 100);
  if (const boost::json::array* rules =
          f.Array("multipliers", false, points::kMaxMultiplierRules)) {
    for (size_t i = 0; i < rules->size() && !error; ++i) {
      const std::string path = "multipliers[" + std::to_string(i) + "].";
      if (!(*rules)[i].is_object()) {
        f.Fail(ErrorCode::kFieldInvalid, "multipliers", "a list of objects");
        break;
      }
      Fields m((*rules)[i].as_object(), path, &error);
      points::MultiplierRule rule;
      rule.name = m.String("name", true, points::kMaxRuleNameBytes).value_or("");
      rule.multiplier =
          static_cast<int32_t>(m.Int("multiplier", true, kInt32Min, kInt32Max).value_or(0));
      if (const boost::json::array* categories =
              m.Array("categories", false, points::kMaxRuleCategories)) {
        for (const boost::json::value& category : *categories) {
          if (!category.is_int64() || category.as_int64() < 0 ||
              category.as_int64() > std::numeric_limits<uint32_t>::max()) {
            m.Fail(ErrorCode::kFieldInvalid, "categories", "merchant category codes (integers)");
            break;
          }
          rule.categories.push_back(static_cast<uint32_t>(category.as_int64()));
        }
      }
      if (const boost::json::array* weekdays = m.Array("weekdays", false, 7)) {
        uint8_t mask = 0;
        for (const boost::json::value& day : *weekdays) {
          if (!day.is_int64() || day.as_int64() < 1 || day.as_int64() > 7) {
            m.Fail(ErrorCode::kFieldInvalid, "weekdays", "ISO weekdays, 1 (Monday) to 7");
            break;
          }
          mask |= static_cast<uint8_t>(1u << (day.as_int64() - 1));
        }
        if (!weekdays->empty()) rule.weekday_mask = mask;
      }
      if (const boost::json::array* segments = m.Array("segments", false, 64)) {
        for (const boost::json::value& name : *segments) {
          const std::optional<marketing::Segment> segment =
              name.is_string() ? marketing::ParseSegment(name.as_string()) : std::nullopt;
          if (!segment) {
            m.Fail(ErrorCode::kFieldInvalid, "segments", "segment names (marketing/segments.h)");
            break;
          }
          rule.segment_mask |= marketing::SegmentBit(*segment);
        }
      }
      if (std::optional<int64_t> start = m.Time("starts_at", false)) rule.window_start_s = *start;
      if (std::optional<int64_t> end = m.Time("ends_at", false)) rule.window_end_s = *end;
      m.Finish();
      program.multipliers.push_back(std::move(rule));
    }
  }
  f.Finish();
  if (error) return *error;
  return program;
}

void AddPointsProgramFields(const points::Program& program, api::JsonObjectWriter* json) {
  api::JsonArrayWriter rules;
  for (const points::MultiplierRule& rule : program.multipliers) {
    api::JsonObjectWriter r;
    r.String("name", rule.name).Int("multiplier", rule.multiplier);
    api::JsonArrayWriter categories;
    for (const uint32_t category : rule.categories) categories.Int(category);
    r.Array("categories", std::move(categories));
    api::JsonArrayWriter weekdays;
    if (rule.weekday_mask != points::kAllWeekdaysMask) {
      for (int day = 0; day < 7; ++day) {
        if ((rule.weekday_mask & (1u << day)) != 0) weekdays.Int(day + 1);
      }
    }
    r.Array("weekdays", std::move(weekdays));
    api::JsonArrayWriter segments;
    for (const marketing::Segment segment : marketing::AllSegments()) {
      if ((rule.segment_mask & marketing::SegmentBit(segment)) != 0) {
        segments.String(marketing::SegmentName(segment));
      }
    }
    r.Array("segments", std::move(segments));
    if (rule.window_start_s > 0) {
      r.String("starts_at", TimeText(rule.window_start_s));
    } else {
      r.Null("starts_at");
    }
    if (rule.window_end_s < points::kMaxTimeS) {
      r.String("ends_at", TimeText(rule.window_end_s));
    } else {
      r.Null("ends_at");
    }
    rules.Object(std::move(r));
  }
  json->Bool("enabled", program.enabled)
      .Int("earn_points_per_yuan", program.earn_per_yuan)
      .Int("redeem_points_per_yuan", program.redeem_points_per_yuan)
      .Int("redeem_max_percent", program.redeem_max_bps / 100)
      .Array("multipliers", std::move(rules));
}

}  // namespace qb::wallet
