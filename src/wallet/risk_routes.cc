// The risk API (issue 7): the rule sets, the block/allow lists and the review queue of payments
// the risk rules held, for risk analysts (and admins; auditors read). The risk engine lives in
// engine memory, so every read is an engine::Query and every change one of the risk commands
// 62 to 64 (engine/risk_command.h), journaled and audited by the engine.
//
// Devices on the lists: the API takes the raw device id the app sends as X-Device-Id and hashes
// it the way sessions do (DeviceHash); the engine keys the device by the first 16 hex digits of
// that hash. The raw id cannot be recovered, so GET shows a device as "hash:<16 hex digits>",
// which POST and DELETE also accept. IPs likewise: POST and DELETE take the address, hashed as
// the wallet hashes every client's (IpHash), and GET shows "hash:<16 hex digits>".
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/cursor.h"
#include "api/json_reader.h"
#include "api/query.h"
#include "base/bytes.h"
#include "engine/risk_command.h"
#include "engine/state_machine.h"
#include "identity/phone.h"
#include "risk/default_rules.h"
#include "risk/risk_engine.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/marketing_json.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/risk_rules_json.h"
#include "wallet/staff_access.h"
#include "wallet/step_up.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {

api::ApiError RiskDeniedError() {
  return api::ApiError{403, "RISK_DENIED",
                       std::string(risk::CustomerMessage(risk::Verdict::kDeny))};
}

std::string_view RiskReviewMessage() { return risk::CustomerMessage(risk::Verdict::kReview); }

namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::RiskResult;

constexpr size_t kMaxDeviceIdChars = 64;
constexpr size_t kMaxRuleNameChars = 64;
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kMaxThreshold = int64_t{1} << 40;
constexpr uint32_t kRulesMaxFields = 4'000;

HttpResponse ReviewNotFound() {
  return ErrorResponse(api::ApiError{404, "REVIEW_NOT_FOUND", "no payment held for review"});
}
HttpResponse ReviewClosed() {
  return ErrorResponse(
      api::ApiError{409, "REVIEW_CLOSED", "the review was approved, rejected or expired"});
}
HttpResponse ListEntryNotFound() {
  return ErrorResponse(api::ApiError{404, "LIST_ENTRY_NOT_FOUND", "no such list entry"});
}

// The answer to a risk command that did not succeed.
HttpResponse RiskFailure(RiskResult result, const engine::Reply& reply) {
  switch (result) {
    case RiskResult::kStaffNotFound:
      return ErrorResponse(ErrorCode::kUnauthorized, "the staff member no longer exists");
    case RiskResult::kRulesInvalid:
      return ErrorResponse(api::ApiError{422, "RULES_INVALID", reply.text});
    case RiskResult::kListRefused:
      return ErrorResponse(api::ApiError{422, "LIST_ENTRY_INVALID", reply.text});
    case RiskResult::kNotListed:
      return ListEntryNotFound();
    case RiskResult::kReviewNotFound:
      return ReviewNotFound();
    case RiskResult::kReviewClosed:
      return ReviewClosed();
    case RiskResult::kPaymentFailed:
      // The hold is gone (it expired in the same instant): the review is over either way.
      return ReviewClosed();
    case RiskResult::kOk:
    case RiskResult::kInvalid:
      break;
  }
  LogError("risk command failed unexpectedly", {{"result", engine::RiskResultName(result)}});
  return ErrorResponse(ErrorCode::kBadRequest, "the request could not be applied");
}

void SubmitRisk(WalletContext& context, engine::Command command, const Responder& respond,
                std::function<void(const engine::Reply&)> then) {
  SubmitCommand(context, std::move(command), respond,
                [respond, then = std::move(then)](uint8_t code, const engine::Reply& reply) {
                  const auto result = static_cast<RiskResult>(code);
                  if (result != RiskResult::kOk) return respond(RiskFailure(result, reply));
                  then(reply);
                });
}

std::string TimeOfSeconds(int64_t unix_s) { return Rfc3339(unix_s * kNsPerSecond); }

// --- The review queue ---

// One review as the queue shows it, copied on the engine thread.
struct ReviewItem {
  engine::RiskReview review;  // For a closed review: only the payment fields.
  engine::ReviewState state = engine::ReviewState::kOpen;
  engine::ReviewLabel label = engine::ReviewLabel::kUnknown;
  std::string phone;
  std::string merchant_name;
  std::vector<std::string> symbols;  // Per feature: the name of a symbol value, else "".
};

std::optional<ReviewItem> ItemOf(const engine::StateMachine& state, uint64_t payment_id) {
  ReviewItem item;
  if (const engine::RiskReview* open = state.risk().FindReview(payment_id)) {
    item.review = *open;
  } else if (const engine::RiskReviewOutcome* closed = state.risk().FindOutcome(payment_id)) {
    const payments::Payment* payment = state.payments().FindPayment(payment_id);
    if (payment == nullptr) return std::nullopt;
    item.review.payment_id = payment_id;
    item.review.customer_id = payment->customer_id;
    item.review.merchant_id = payment->merchant_id;
    item.review.amount_fen = payment->amount_fen;
    item.review.channel = static_cast<uint8_t>(payment->channel);
    item.review.created_s = payment->created_ns / kNsPerSecond;
    item.review.expires_s = item.review.created_s + engine::kRiskReviewTimeoutS;
    item.review.score = closed->score;
    item.state = closed->state;
    item.label = closed->label;
  } else {
    return std::nullopt;
  }
  if (const identity::Customer* c = state.customers().FindById(item.review.customer_id)) {
    item.phone = c->phone;
  }
  if (const payments::Merchant* m = state.payments().FindMerchant(item.review.merchant_id)) {
    item.merchant_name = m->profile.legal_name;
  }
  // Symbols ("payment", "qr") by name: their codes mean nothing outside the engine.
  for (const risk::FeatureValue& value : item.review.features) {
    const bool symbol = value.slot < risk::kFeatureCount &&
                        risk::kFeatureInfos[value.slot].type == risk::ValueType::kSymbol;
    item.symbols.emplace_back(symbol ? state.risk().engine().symbols().Name(value.value) : "");
  }
  return item;
}

api::JsonObjectWriter ReviewJson(const ReviewItem& item) {
  const engine::RiskReview& r = item.review;
  api::JsonObjectWriter json;
  json.String("payment_id", std::to_string(r.payment_id))
      .String("customer_id", std::to_string(r.customer_id))
      .String("customer_phone", item.phone.empty() ? "" : identity::MaskPhone(item.phone))
      .String("merchant_id", std::to_string(r.merchant_id))
      .String("merchant_name", item.merchant_name)
      .Amount("amount", r.amount_fen)
      .String("currency", "CNY")
      .String("channel",
              payments::IsPaymentChannel(r.channel)
                  ? payments::PaymentChannelName(static_cast<payments::PaymentChannel>(r.channel))
                  : "unknown")
      .String("created_at", TimeOfSeconds(r.created_s))
      .String("expires_at", TimeOfSeconds(r.expires_s))
      .String("state", engine::ReviewStateName(item.state))
      .Int("score", r.score);
  if (item.state == engine::ReviewState::kOpen) {
    json.Null("label");
  } else {
    json.String("label", engine::ReviewLabelName(item.label));
  }
  api::JsonArrayWriter rules;
  for (const engine::RiskReviewRule& rule : r.rules) {
    api::JsonObjectWriter one;
    one.Int("id", rule.rule_id)
        .String("name", rule.name)
        .Int("score", rule.score)
        .String("action", risk::ActionName(rule.action));
    rules.Object(std::move(one));
  }
  json.Array("rules", std::move(rules));
  // Only what the fired rules read (the explanation an analyst needs, nothing more).
  api::JsonObjectWriter features;
  for (size_t i = 0; i < r.features.size(); i++) {
    const risk::FeatureValue& value = r.features[i];
    if (value.slot >= risk::kFeatureCount) continue;
    const risk::FeatureInfo& info = risk::kFeatureInfos[value.slot];
    if (i < item.symbols.size() && !item.symbols[i].empty()) {
      features.String(info.name, item.symbols[i]);
    } else if (info.type == risk::ValueType::kBool) {
      features.Bool(info.name, value.value != 0);
    } else {
      features.Int(info.name, value.value);
    }
  }
  json.Object("features", std::move(features));
  json.String("explanation", r.explanation);
  // Enough of the keyed hash to match other reviews of the device, never the device id.
  json.String("device", r.device_hash.substr(0, 16));
  return json;
}

void ListReviews(WalletContext& context, const HttpRequest& request, Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  const std::string_view state = query->GetOr("state", "open");
  if (state != "open" && state != "all") {
    return respond(FieldInvalid("state", "open or all"));
  }
  const bool all = state == "all";
  ReadEngine<std::vector<ReviewItem>>(
      context, respond,
      [all](const engine::StateMachine& s) {
        std::vector<ReviewItem> items;
        for (const auto& [id, review] : s.risk().reviews()) {
          if (std::optional<ReviewItem> item = ItemOf(s, id)) items.push_back(std::move(*item));
        }
        if (all) {
          // Newest closed first, after the open ones.
          const auto& outcomes = s.risk().outcomes();
          for (auto it = outcomes.rbegin(); it != outcomes.rend(); ++it) {
            if (std::optional<ReviewItem> item = ItemOf(s, it->payment_id)) {
              items.push_back(std::move(*item));
            }
          }
        }
        return items;
      },
      [respond](std::vector<ReviewItem> items) {
        api::JsonArrayWriter array;
        for (const ReviewItem& item : items) array.Object(ReviewJson(item));
        api::JsonObjectWriter body;
        body.Array("items", std::move(array));
        respond(api::JsonResponse(200, body));
      });
}

void DecideReview(WalletContext& context, const Principal& staff, HttpRequest&& request,
                  bool approve, Responder respond) {
  const std::optional<uint64_t> payment_id = ParseId(request.PathParam("payment_id"));
  if (!payment_id || *payment_id == 0) return respond(ReviewNotFound());
  engine::ReviewLabel label = engine::ReviewLabel::kUnknown;
  bool block_device = false;
  if (!request.body.empty()) {
    std::optional<api::JsonObject> body = ParseBody(request, respond);
    if (!body) return;
    api::ObjectReader reader(*body);
    const std::optional<std::string> text = reader.OptionalString("label", 16);
    if (!approve) block_device = reader.OptionalBool("block_device").value_or(false);
    if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
    if (text) {
      if (*text == "legit") {
        label = engine::ReviewLabel::kLegit;
      } else if (*text == "fraud") {
        label = engine::ReviewLabel::kFraud;
      } else if (*text != "unknown") {
        return respond(ErrorResponse(ErrorCode::kFieldInvalid, "label: legit, fraud or unknown"));
      }
    }
  }
  // The item as the analyst saw it, before the engine closes it (and drops its explanation).
  const uint64_t id = *payment_id;
  ReadEngine<std::optional<ReviewItem>>(
      context, respond, [id](const engine::StateMachine& s) { return ItemOf(s, id); },
      [&context, staff_id = staff.id, id, approve, label, block_device,
       respond](std::optional<ReviewItem> item) {
        if (!item) return respond(ReviewNotFound());
        if (item->state != engine::ReviewState::kOpen) return respond(ReviewClosed());
        SubmitRisk(context, engine::ReviewPayment{staff_id, id, approve, label, block_device},
                   respond,
                   [item = std::move(*item), approve, label, respond,
                    staff_id](const engine::Reply&) mutable {
                     LogInfo("risk review", {{"payment_id", std::to_string(item.review.payment_id)},
                                             {"approve", approve ? "true" : "false"},
                                             {"by_staff_id", std::to_string(staff_id)}});
                     item.state =
                         approve ? engine::ReviewState::kApproved : engine::ReviewState::kRejected;
                     item.label = label;
                     respond(api::JsonResponse(200, ReviewJson(item)));
                   });
      });
}

// --- Rule sets ---

int64_t CountJson(uint64_t count) {
  return count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
             ? std::numeric_limits<int64_t>::max()
             : static_cast<int64_t>(count);
}

api::JsonObjectWriter VerdictCountsJson(const std::array<uint64_t, 4>& counts) {
  api::JsonObjectWriter json;
  for (risk::Verdict v : {risk::Verdict::kAllow, risk::Verdict::kChallenge, risk::Verdict::kReview,
                          risk::Verdict::kDeny}) {
    json.Int(risk::VerdictName(v), CountJson(counts[static_cast<size_t>(v)]));
  }
  return json;
}

// A set and, per rule, its hits since this version was installed (engine/risk_monitor.h).
api::JsonObjectWriter RuleSetJson(const risk::RuleSetSpec& spec,
                                  const engine::RiskSetStats& stats) {
  api::JsonObjectWriter json;
  json.Int("version", static_cast<int64_t>(spec.version));
  json.Int("evaluated", CountJson(stats.evaluated));
  json.Object("verdicts", VerdictCountsJson(stats.verdicts));
  auto threshold = [&json](std::string_view name, const std::optional<int64_t>& value) {
    if (value) {
      json.Int(name, *value);
    } else {
      json.Null(name);
    }
  };
  threshold("review_at", spec.thresholds.review_at);
  threshold("challenge_at", spec.thresholds.challenge_at);
  threshold("deny_at", spec.thresholds.deny_at);
  api::JsonArrayWriter rules;
  for (size_t i = 0; i < spec.rules.size(); i++) {
    const risk::RuleSpec& rule = spec.rules[i];
    api::JsonObjectWriter one;
    one.Int("id", rule.id)
        .String("name", rule.name)
        .String("expression", rule.expression)
        .Int("score", rule.score)
        .String("action", risk::ActionName(rule.action))
        .Bool("shadow", rule.shadow)
        .Int("hits", i < stats.hits.size() ? CountJson(stats.hits[i]) : 0);
    if (rule.active_from_s != 0) {
      one.String("active_from", TimeOfSeconds(rule.active_from_s));
    } else {
      one.Null("active_from");
    }
    if (rule.active_until_s != 0) {
      one.String("active_until", TimeOfSeconds(rule.active_until_s));
    } else {
      one.Null("active_until");
    }
    rules.Object(std::move(one));
  }
  json.Array("rules", std::move(rules));
  return json;
}

struct RuleSets {
  std::optional<risk::RuleSetSpec> active;
  std::optional<risk::RuleSetSpec> shadow;
  engine::RiskSetStats active_stats;
  engine::RiskSetStats shadow_stats;
};

void AnswerRules(WalletContext& context, int status, std::optional<bool> only_shadow,
                 const Responder& respond) {
  ReadEngine<RuleSets>(
      context, respond,
      [](const engine::StateMachine& s) {
        return RuleSets{s.risk().active(), s.risk().shadow(), s.risk().monitor().active(),
                        s.risk().monitor().shadow()};
      },
      [status, only_shadow, respond](RuleSets sets) {
        auto set_json = [](const std::optional<risk::RuleSetSpec>& set,
                           const engine::RiskSetStats& stats, api::JsonObjectWriter* body,
                           std::string_view key) {
          if (set) {
            body->Object(key, RuleSetJson(*set, stats));
          } else {
            body->Null(key);
          }
        };
        if (only_shadow) {
          const std::optional<risk::RuleSetSpec>& set = *only_shadow ? sets.shadow : sets.active;
          if (!set) {
            api::JsonObjectWriter empty;
            empty.Null("version");
            return respond(api::JsonResponse(status, empty));
          }
          return respond(api::JsonResponse(
              status, RuleSetJson(*set, *only_shadow ? sets.shadow_stats : sets.active_stats)));
        }
        api::JsonObjectWriter body;
        set_json(sets.active, sets.active_stats, &body, "active");
        set_json(sets.shadow, sets.shadow_stats, &body, "shadow");
        respond(api::JsonResponse(status, body));
      });
}

// Reads one JSON member strictly; the first problem wins.
class Members {
 public:
  Members(const boost::json::object& object, std::string path, std::optional<api::ApiError>* error)
      : object_(object), path_(std::move(path)), error_(error) {}

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
    if (value->is_uint64() && value->as_uint64() <= static_cast<uint64_t>(max)) {
      number = static_cast<int64_t>(value->as_uint64());
    }
    if (!number || *number < min || *number > max) {
      Fail(ErrorCode::kFieldInvalid, name,
           "an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return number;
  }
  std::optional<std::string> String(std::string_view name, bool required, size_t max_bytes) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string() || value->as_string().size() > max_bytes) {
      Fail(ErrorCode::kFieldInvalid, name, "a string of at most " + std::to_string(max_bytes));
      return std::nullopt;
    }
    for (const char c : value->as_string()) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
        Fail(ErrorCode::kFieldInvalid, name, "no control characters");
        return std::nullopt;
      }
    }
    return std::string(value->as_string());
  }
  std::optional<bool> Bool(std::string_view name) {
    const boost::json::value* value = Get(name, false);
    if (value == nullptr) return std::nullopt;
    if (!value->is_bool()) {
      Fail(ErrorCode::kFieldInvalid, name, "true or false");
      return std::nullopt;
    }
    return value->as_bool();
  }
  std::optional<int64_t> Time(std::string_view name) {
    std::optional<std::string> text = String(name, false, 64);
    if (!text) return std::nullopt;
    std::optional<int64_t> seconds = ParseRfc3339Seconds(*text);
    if (!seconds) Fail(ErrorCode::kFieldInvalid, name, "an RFC 3339 time");
    return seconds;
  }
  void Fail(ErrorCode code, std::string_view name, std::string_view why) {
    if (*error_) return;
    *error_ = api::MakeError(code, path_ + std::string(name) + ": " + std::string(why));
  }
  void Finish() {
    for (const auto& member : object_) {
      if (std::find(read_.begin(), read_.end(), member.key()) == read_.end()) {
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

}  // namespace

// The PUT body (wallet/risk_rules_json.h); also the backtest's rule file.
api::ApiResult<std::pair<risk::RuleSetSpec, bool>> ParseRuleSet(std::string_view text) {
  api::ParseLimits limits;
  limits.max_fields = kRulesMaxFields;
  api::ApiResult<api::JsonObject> strict = api::ParseJsonObject(text, limits);
  if (!strict.ok()) return strict.error();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    return api::MakeError(ErrorCode::kMalformedJson, "the body is not a JSON object");
  }
  std::optional<api::ApiError> error;
  Members root(value.as_object(), "", &error);
  risk::RuleSetSpec spec;
  const bool shadow = root.Bool("shadow").value_or(false);
  root.Get("version", false);
  spec.thresholds.review_at = root.Int("review_at", false, -kMaxThreshold, kMaxThreshold);
  spec.thresholds.challenge_at = root.Int("challenge_at", false, -kMaxThreshold, kMaxThreshold);
  spec.thresholds.deny_at = root.Int("deny_at", false, -kMaxThreshold, kMaxThreshold);
  const boost::json::value* rules = root.Get("rules", true);
  if (rules != nullptr &&
      (!rules->is_array() || rules->as_array().size() > risk::RuleSet::kMaxRules)) {
    root.Fail(ErrorCode::kFieldInvalid, "rules",
              "a list of at most " + std::to_string(risk::RuleSet::kMaxRules) + " rules");
  }
  if (!error && rules != nullptr) {
    size_t index = 0;
    for (const boost::json::value& item : rules->as_array()) {
      const std::string path = "rules[" + std::to_string(index++) + "].";
      if (!item.is_object()) {
        root.Fail(ErrorCode::kFieldInvalid, path.substr(0, path.size() - 1), "an object");
        break;
      }
      Members fields(item.as_object(), path, &error);
      risk::RuleSpec rule;
      rule.id = static_cast<uint32_t>(fields.Int("id", true, 1, kInt32Max).value_or(0));
      rule.name = fields.String("name", true, kMaxRuleNameChars).value_or("");
      rule.expression =
          fields.String("expression", true, engine::kMaxRiskExpressionBytes).value_or("");
      rule.score =
          static_cast<int32_t>(fields.Int("score", false, kInt32Min, kInt32Max).value_or(0));
      if (std::optional<std::string> action = fields.String("action", false, 16)) {
        bool known = false;
        for (risk::Action a : {risk::Action::kNone, risk::Action::kChallenge, risk::Action::kReview,
                               risk::Action::kDeny, risk::Action::kDenyReward}) {
          if (risk::ActionName(a) == *action) {
            rule.action = a;
            known = true;
          }
        }
        if (!known) {
          fields.Fail(ErrorCode::kFieldInvalid, "action",
                      "none, challenge, review, deny or deny_reward");
        }
      }
      rule.shadow = fields.Bool("shadow").value_or(false);
      rule.active_from_s = fields.Time("active_from").value_or(0);
      rule.active_until_s = fields.Time("active_until").value_or(0);
      fields.Finish();
      if (error) break;
      spec.rules.push_back(std::move(rule));
    }
  }
  root.Finish();
  if (error) return *error;
  return std::make_pair(std::move(spec), shadow);
}

namespace {

void PutRules(WalletContext& context, const Principal& staff, HttpRequest&& request,
              Responder respond) {
  api::ApiResult<std::pair<risk::RuleSetSpec, bool>> parsed = ParseRuleSet(request.body);
  if (!parsed.ok()) return respond(ErrorResponse(parsed.error()));
  // Named, not a structured binding: clang 14 cannot capture one in the lambda below.
  const bool shadow = parsed.value().second;
  risk::RuleSetSpec spec = std::move(parsed).value().first;
  SubmitRisk(context, engine::SetRiskRules{staff.id, shadow, std::move(spec)}, respond,
             [&context, shadow, respond, staff_id = staff.id](const engine::Reply& reply) {
               LogInfo("risk rules set", {{"version", std::to_string(reply.value)},
                                          {"shadow", shadow ? "true" : "false"},
                                          {"by_staff_id", std::to_string(staff_id)}});
               AnswerRules(context, 200, shadow, respond);
             });
}

// --- The shadow log ---

// The disagreements between the shadow and the active set, newest first: ?limit= (default 20,
// at most 100) and ?cursor= (next_cursor of the page before; the position is a log sequence
// number, the page holding the entries below it).
void GetShadowLog(WalletContext& context, const HttpRequest& request, Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  uint64_t before = std::numeric_limits<uint64_t>::max();
  if (auto cursor = query->Get("cursor"); cursor && !cursor->empty()) {
    api::ApiResult<int64_t> position = api::DecodeCursor(*cursor);
    if (!position.ok()) return respond(ErrorResponse(position.error()));
    before = static_cast<uint64_t>(position.value());
  }
  api::ApiResult<int64_t> limit = api::ParseLimit(query->GetOr("limit"));
  if (!limit.ok()) return respond(ErrorResponse(limit.error()));
  struct Page {
    std::vector<engine::ShadowLogEntry> entries;
    bool more = false;
    std::vector<std::pair<uint32_t, std::string>> names;  // The shadow set's rules.
  };
  const auto max = static_cast<size_t>(limit.value());
  ReadEngine<Page>(
      context, respond,
      [before, max](const engine::StateMachine& s) {
        Page page;
        const auto& log = s.risk().monitor().log();
        for (auto it = log.rbegin(); it != log.rend(); ++it) {
          if (it->seq >= before) continue;
          if (page.entries.size() == max) {
            page.more = true;
            break;
          }
          page.entries.push_back(*it);
        }
        if (const auto& shadow = s.risk().shadow()) {
          for (const risk::RuleSpec& rule : shadow->rules)
            page.names.emplace_back(rule.id, rule.name);
        }
        return page;
      },
      [respond](Page page) {
        api::JsonArrayWriter items;
        for (const engine::ShadowLogEntry& e : page.entries) {
          api::JsonObjectWriter item;
          item.String("id", std::to_string(e.seq))
              .String("at", TimeOfSeconds(e.at_s))
              .String("event", e.event < std::size(risk::kEventNames) ? risk::kEventNames[e.event]
                                                                      : "unknown");
          if (e.subject_id != 0) {
            item.String("subject_id", std::to_string(e.subject_id));
          } else {
            item.Null("subject_id");
          }
          item.String("customer_id", std::to_string(e.customer_id))
              .Amount("amount", e.amount_fen)
              .String("currency", "CNY")
              .String("active_verdict", risk::VerdictName(e.active))
              .String("shadow_verdict", risk::VerdictName(e.shadow))
              .Int("shadow_version", static_cast<int64_t>(e.shadow_version));
          api::JsonArrayWriter rules;
          for (uint32_t id : e.rule_ids) {
            api::JsonObjectWriter rule;
            rule.Int("id", id);
            std::string name;
            for (const auto& [rule_id, rule_name] : page.names) {
              if (rule_id == id) name = rule_name;
            }
            rule.String("name", name);
            rules.Object(std::move(rule));
          }
          item.Array("rules", std::move(rules));
          items.Object(std::move(item));
        }
        api::JsonObjectWriter body;
        body.Array("items", std::move(items));
        if (page.more && !page.entries.empty()) {
          body.String("next_cursor",
                      api::EncodeCursor(static_cast<int64_t>(page.entries.back().seq)));
        } else {
          body.Null("next_cursor");
        }
        respond(api::JsonResponse(200, body));
      });
}

// --- Lists ---

// In risk::EntityKind order.
constexpr std::string_view kKindNames[] = {"customer", "device", "ip", "card", "merchant", "payee"};

std::string_view KindName(risk::EntityKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::string HexKey(uint64_t key) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(key));
  return std::string("hash:") + text;
}

struct ListRow {
  risk::ListType list = risk::ListType::kBlock;
  risk::EntityKind kind = risk::EntityKind::kDevice;
  uint64_t key = 0;
  int64_t expires_at_s = 0;
  int64_t added_at_s = 0;
  std::string reason;
};

// The entries, from the lists' own serialized form (risk/lists.h documents it; the lists have
// no other way to walk them), sorted by list, kind and key.
std::vector<ListRow> ListRows(const risk::RiskLists& lists) {
  std::string bytes;
  lists.Serialize(&bytes);
  ByteReader reader(bytes);
  reader.U32();  // magic
  reader.U64();  // max entries
  const uint64_t count = reader.U64();
  std::vector<ListRow> rows;
  for (uint64_t i = 0; i < count && reader.ok(); i++) {
    ListRow row;
    row.list = static_cast<risk::ListType>(reader.U8());
    row.kind = static_cast<risk::EntityKind>(reader.U8());
    row.key = reader.U64();
    row.expires_at_s = reader.I64();
    row.added_at_s = reader.I64();
    row.reason = std::string(reader.LengthPrefixed());
    if (reader.ok()) rows.push_back(std::move(row));
  }
  return rows;
}

api::JsonObjectWriter ListRowJson(const ListRow& row) {
  api::JsonObjectWriter json;
  json.String("kind", KindName(row.kind))
      .String("value", row.kind == risk::EntityKind::kDevice || row.kind == risk::EntityKind::kIp
                           ? HexKey(row.key)
                           : std::to_string(row.key))
      .String("list", row.list == risk::ListType::kBlock ? "block" : "allow");
  if (row.expires_at_s != 0) {
    json.String("expires_at", TimeOfSeconds(row.expires_at_s));
  } else {
    json.Null("expires_at");
  }
  json.String("added_at", TimeOfSeconds(row.added_at_s)).String("reason", row.reason);
  return json;
}

void GetLists(WalletContext& context, Responder respond) {
  struct Snapshot {
    std::vector<ListRow> rows;
    int64_t now_s = 0;
  };
  const int64_t api_now_s = Services(context).clock->NowNs() / kNsPerSecond;
  ReadEngine<Snapshot>(
      context, respond,
      [api_now_s](const engine::StateMachine& s) {
        return Snapshot{ListRows(s.risk().engine().lists()),
                        std::max(api_now_s, s.batch_time_ns() / kNsPerSecond)};
      },
      [respond](Snapshot snapshot) {
        api::JsonArrayWriter items;
        for (const ListRow& row : snapshot.rows) {
          // Expired entries stay stored until purged; they are in force no more.
          if (row.expires_at_s != 0 && row.expires_at_s <= snapshot.now_s) continue;
          items.Object(ListRowJson(row));
        }
        api::JsonObjectWriter body;
        body.Array("items", std::move(items));
        respond(api::JsonResponse(200, body));
      });
}

bool IsDeviceId(std::string_view id) {
  if (id.empty() || id.size() > kMaxDeviceIdChars) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

// The engine's key for a value the console sent: an id in decimal, for a device the raw
// X-Device-Id (hashed here as sessions hash it), for an IP the address (hashed as the wallet
// hashes the client's, IpHash), or for either a "hash:" key GET showed.
std::optional<uint64_t> EntityKey(WalletContext& context, risk::EntityKind kind,
                                  std::string_view value) {
  if (kind != risk::EntityKind::kDevice && kind != risk::EntityKind::kIp) {
    std::optional<uint64_t> id = ParseId(value);
    if (!id || *id == 0) return std::nullopt;
    return id;
  }
  if (value.starts_with("hash:")) {
    const uint64_t key = engine::RiskDeviceId(std::string(value.substr(5)) + std::string(48, '0'));
    if (value.size() != 21 || key == 0) return std::nullopt;
    return key;
  }
  if (kind == risk::EntityKind::kIp) {
    const uint64_t key = engine::RiskDeviceId(IpHash(context, value));
    if (key == 0) return std::nullopt;
    return key;
  }
  if (!IsDeviceId(value)) return std::nullopt;
  const uint64_t key = engine::RiskDeviceId(DeviceHash(context, value));
  if (key == 0) return std::nullopt;
  return key;
}

void ChangeList(WalletContext& context, const Principal& staff, HttpRequest&& request, bool remove,
                Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string kind_name =
      reader.RequiredEnum("kind", {"customer", "device", "ip", "card", "merchant", "payee"});
  const std::string value = reader.RequiredString("value", 80);
  const std::string list_name = reader.RequiredEnum("list", {"block", "allow"});
  std::optional<std::string> expires;
  std::optional<std::string> reason;
  if (!remove) {
    expires = reader.OptionalString("expires_at", 64);
    reason = reader.OptionalString("reason", risk::RiskLists::kMaxReasonBytes,
                                   api::TextPolicy::kSingleLine, 0);
  }
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  size_t kind_index = 0;
  for (std::string_view name : kKindNames) {
    if (name == kind_name) break;
    kind_index++;
  }
  const auto kind = static_cast<risk::EntityKind>(kind_index);
  const std::optional<uint64_t> key = EntityKey(context, kind, value);
  if (!key) {
    return respond(ErrorResponse(ErrorCode::kFieldInvalid,
                                 kind == risk::EntityKind::kDevice
                                     ? "value: the device id the app sends as X-Device-Id"
                                 : kind == risk::EntityKind::kIp ? "value: an IPv4 or IPv6 address"
                                                                 : "value: a decimal id"));
  }
  int64_t expires_at_s = 0;
  if (expires) {
    std::optional<int64_t> seconds = ParseRfc3339Seconds(*expires);
    if (!seconds || *seconds <= 0) {
      return respond(ErrorResponse(ErrorCode::kFieldInvalid, "expires_at: an RFC 3339 time"));
    }
    expires_at_s = *seconds;
  }
  if (reason && reason->size() > risk::RiskLists::kMaxReasonBytes) {
    return respond(ErrorResponse(ErrorCode::kFieldInvalid, "reason: at most 200 bytes"));
  }
  ListRow row;
  row.list = list_name == "block" ? risk::ListType::kBlock : risk::ListType::kAllow;
  row.kind = kind;
  row.key = *key;
  row.expires_at_s = expires_at_s;
  row.reason = reason.value_or("");
  engine::SetRiskListEntry command{staff.id,     kind,       *key,  row.list,
                                   expires_at_s, row.reason, remove};
  SubmitRisk(context, std::move(command), respond,
             [row = std::move(row), remove, respond](const engine::Reply& reply) mutable {
               row.added_at_s = reply.batch_time_ns / kNsPerSecond;
               respond(api::JsonResponse(remove ? 200 : 201, ListRowJson(row)));
             });
}

}  // namespace

void AddRiskRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "GET", "/api/v1/staff/risk/reviews",
                [shared](const Principal&, HttpRequest&& request, Responder respond) {
                  ListReviews(*shared, request, std::move(respond));
                });
  AddStaffRoute(router, context, "POST", "/api/v1/staff/risk/reviews/{payment_id}/approve",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  DecideReview(*shared, staff, std::move(request), true, std::move(respond));
                });
  AddStaffRoute(router, context, "POST", "/api/v1/staff/risk/reviews/{payment_id}/reject",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  DecideReview(*shared, staff, std::move(request), false, std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/risk/rules",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  AnswerRules(*shared, 200, std::nullopt, respond);
                });
  AddStaffRoute(router, context, "PUT", "/api/v1/staff/risk/rules",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  PutRules(*shared, staff, std::move(request), std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/risk/shadow-log",
                [shared](const Principal&, HttpRequest&& request, Responder respond) {
                  GetShadowLog(*shared, request, std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/risk/lists",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  GetLists(*shared, std::move(respond));
                });
  AddStaffRoute(router, context, "POST", "/api/v1/staff/risk/lists",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  ChangeList(*shared, staff, std::move(request), false, std::move(respond));
                });
  AddStaffRoute(router, context, "DELETE", "/api/v1/staff/risk/lists",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  ChangeList(*shared, staff, std::move(request), true, std::move(respond));
                });
}

}  // namespace qb::wallet
