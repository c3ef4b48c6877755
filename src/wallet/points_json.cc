#include "wallet/points_json.h"

#include <limits>
#include <string>
#include <utility>

#include "marketing/segments.h"
#include "wallet/json_fields.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();

std::string TimeText(int64_t unix_s) { return Rfc3339(unix_s * 1'000'000'000); }

}  // namespace

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
