// Offer pushes and the message inbox (定向推送, issue 6). Marketing ops choose customers by their
// spending profile over a recent window (marketing/offer_audience.h: top categories, usual time
// of day, merchants visited), preview how many match, and put a campaign's offer in their
// inboxes (engine PushOffer, command 78). Customers read their messages and may refuse offers
// chosen from their profile (PIPL art. 24); the engine then lets no push reach them.
//
// Staff:
//   POST /api/v1/staff/campaigns/{id}/offer-pushes/preview  {"audience": {...}}
//        → {"customers", "opted_out", "already_pushed"}
//   POST /api/v1/staff/campaigns/{id}/offer-pushes  {"title", "body", "audience"} → 201 push
//   GET  /api/v1/staff/campaigns/{id}/offer-pushes  → {"pushes": [...]}, newest first
// Customers:
//   GET  /api/v1/me/messages?limit=&cursor=  → {"messages", "unread", "next_cursor"}
//   POST /api/v1/me/messages/read  {"id"?}   → {"unread"}
//   GET|PUT /api/v1/me/offer-preferences  {"personalised": bool}
//
// Each customer gets a campaign's offer once: the preview counts and the push skip those who
// have it, and the read model keeps one message per customer and campaign.
#include <sodium.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/cursor.h"
#include "api/query.h"
#include "engine/offer_command.h"
#include "engine/state_machine.h"
#include "marketing/offer_audience.h"
#include "payments/payment_book.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/json_fields.h"
#include "wallet/marketing_internal.h"
#include "wallet/money_internal.h"
#include "wallet/staff_access.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::MarketingResult;

constexpr size_t kMaxTitleChars = 40;
constexpr size_t kMaxBodyChars = 200;
constexpr int64_t kNsPerDay = int64_t{86'400} * kNsPerSecond;
constexpr int64_t kProjectionWaitNs = int64_t{5} * kNsPerSecond;
// Customers looked up per engine read, so a large audience never stalls the engine.
constexpr size_t kCustomersPerRead = 65'536;

HttpResponse CampaignNotFound() {
  return ErrorResponse(api::ApiError{404, "CAMPAIGN_NOT_FOUND", "no such campaign"});
}

HttpResponse StoreFailure() {
  return ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read the read models now");
}

api::ApiResult<marketing::OfferAudience> ReadAudience(const boost::json::object& object) {
  std::optional<api::ApiError> error;
  Fields f(object, "audience.", &error);
  marketing::OfferAudience a;
  a.window_days = static_cast<int32_t>(
      f.Int("window_days", false, 1, marketing::kMaxAudienceWindowDays).value_or(30));
  if (const boost::json::array* list =
          f.Array("top_categories", false, marketing::kMaxAudienceListSize)) {
    for (const boost::json::value& v : *list) {
      if (!v.is_string()) {
        f.Fail(ErrorCode::kFieldInvalid, "top_categories", "merchant category ids");
        break;
      }
      a.top_categories.emplace_back(v.as_string());
    }
  }
  a.top_rank =
      static_cast<int32_t>(f.Int("top_rank", false, 1, marketing::kMaxAudienceTopRank).value_or(1));
  if (const boost::json::array* list = f.Array("day_parts", false, marketing::kDayPartCount)) {
    for (const boost::json::value& v : *list) {
      std::optional<marketing::DayPart> part;
      if (v.is_string()) part = marketing::ParseDayPart(v.as_string());
      if (!part) {
        f.Fail(ErrorCode::kFieldInvalid, "day_parts",
               "of night, morning, noon, afternoon, evening");
        break;
      }
      a.day_parts_mask |= static_cast<uint8_t>(1u << static_cast<uint8_t>(*part));
    }
  }
  if (const boost::json::array* list =
          f.Array("merchant_ids", false, marketing::kMaxAudienceListSize)) {
    for (const boost::json::value& v : *list) {
      std::optional<uint64_t> id;
      if (v.is_string()) id = ParseId(v.as_string());
      if (!id || *id == 0) {
        f.Fail(ErrorCode::kFieldInvalid, "merchant_ids", "decimal id strings");
        break;
      }
      a.merchant_ids.push_back(*id);
    }
  }
  a.min_payments = f.Int("min_payments", false, 1, marketing::kMaxAudienceMinPayments).value_or(1);
  f.Finish();
  if (error) return *error;
  if (const std::string_view bad = marketing::InvalidAudienceField(a); !bad.empty()) {
    return api::MakeError(ErrorCode::kFieldInvalid, "audience." + std::string(bad) + ": invalid");
  }
  return a;
}

api::JsonObjectWriter AudienceJson(const marketing::OfferAudience& a) {
  api::JsonArrayWriter categories;
  for (const std::string& c : a.top_categories) categories.String(c);
  api::JsonArrayWriter parts;
  for (int part = 0; part < marketing::kDayPartCount; part++) {
    if ((a.day_parts_mask & (1u << part)) != 0) {
      parts.String(marketing::DayPartName(static_cast<marketing::DayPart>(part)));
    }
  }
  api::JsonArrayWriter merchants;
  for (const uint64_t id : a.merchant_ids) merchants.String(std::to_string(id));
  api::JsonObjectWriter json;
  json.Int("window_days", a.window_days)
      .Array("top_categories", std::move(categories))
      .Int("top_rank", a.top_rank)
      .Array("day_parts", std::move(parts))
      .Array("merchant_ids", std::move(merchants))
      .Int("min_payments", a.min_payments);
  return json;
}

// Who an audience reaches now: matched by profile, less those holding the campaign's offer
// already, less those who refused personalised offers (closed customers drop out silently).
struct AudienceMatch {
  std::vector<uint64_t> customers;  // ascending
  int64_t opted_out = 0;
  int64_t already_pushed = 0;
};

// Waits (on a worker) until the read models hold everything durable now: a list or a profile
// read right after a payment or a push sees it.
void CatchUp(WalletContext& context) {
  WaitForProjection(context, Services(context).engine->stats().durable_seq, kProjectionWaitNs);
}

// On a worker. False after answering through `respond`.
bool MatchAudience(WalletContext& context, uint64_t campaign_id,
                   const marketing::OfferAudience& audience, int64_t now_ns,
                   const Responder& respond, AudienceMatch* match) {
  CatchUp(context);
  Store& store = *Services(context).store;
  std::vector<uint64_t> matched;
  const Store::SpendingProfileQuery query{
      .from_ns = now_ns - audience.window_days * kNsPerDay,
      .to_ns = now_ns + 1,
      .state = static_cast<uint8_t>(payments::PaymentState::kCompleted)};
  std::vector<marketing::SpendingCell> cells;
  Status s = store.ForEachSpendingProfile(
      query, [&](uint64_t customer_id, std::span<const SpendingCellRow> rows) {
        cells.clear();
        for (const SpendingCellRow& row : rows) {
          cells.push_back({row.category, row.china_hour, row.merchant_id, row.net_fen, row.count});
        }
        if (marketing::SpendingProfile(cells).Matches(audience)) matched.push_back(customer_id);
      });
  std::vector<uint64_t> pushed;
  if (s.ok()) s = store.ListOfferRecipients(campaign_id, &pushed);
  if (!s.ok()) {
    respond(StoreFailure());
    return false;
  }
  std::vector<uint64_t> fresh;
  std::set_difference(matched.begin(), matched.end(), pushed.begin(), pushed.end(),
                      std::back_inserter(fresh));
  match->already_pushed = static_cast<int64_t>(matched.size() - fresh.size());
  for (size_t at = 0; at < fresh.size(); at += kCustomersPerRead) {
    const size_t end = std::min(fresh.size(), at + kCustomersPerRead);
    engine::Reply read =
        Services(context).engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
          for (size_t i = at; i < end; i++) {
            const identity::Customer* customer = state.customers().FindById(fresh[i]);
            if (customer == nullptr || customer->closed()) continue;
            if (state.RefusedPersonalisedOffers(fresh[i])) {
              match->opted_out++;
            } else {
              match->customers.push_back(fresh[i]);
            }
          }
        }});
    if (read.status != engine::ReplyStatus::kOk) {
      respond(EngineFailureResponse(read));
      return false;
    }
  }
  return true;
}

// The campaign's status, or an answer: 404 unknown, 409 draft or ended (when `pushing`).
bool CheckCampaign(WalletContext& context, uint64_t campaign_id, bool pushing,
                   const Responder& respond) {
  std::optional<marketing::CampaignStatus> status;
  engine::Reply read =
      Services(context).engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
        if (const marketing::CampaignState* c = state.campaigns().FindCampaign(campaign_id)) {
          status = c->campaign.status;
        }
      }});
  if (read.status != engine::ReplyStatus::kOk) {
    respond(EngineFailureResponse(read));
    return false;
  }
  if (!status) {
    respond(CampaignNotFound());
    return false;
  }
  if (pushing && (*status == marketing::CampaignStatus::kDraft ||
                  *status == marketing::CampaignStatus::kEnded)) {
    respond(ErrorResponse(api::ApiError{409, "CAMPAIGN_NOT_PUSHABLE",
                                        "only a scheduled, live or paused campaign is pushed"}));
    return false;
  }
  return true;
}

api::JsonObjectWriter PushJson(const OfferPushRow& push) {
  api::JsonObjectWriter json;
  json.String("id", std::to_string(push.id))
      .String("campaign_id", std::to_string(push.campaign_id))
      .String("title", push.title)
      .String("body", push.body)
      .String("created_at", Rfc3339(push.created_ns))
      .String("staff_id", std::to_string(push.staff_id))
      .Int("delivered", push.delivered)
      .Int("read", push.read);
  // Written by this file from a checked audience; one that no longer parses is left out.
  boost::system::error_code ec;
  boost::json::value stored = boost::json::parse(push.audience, ec);
  if (!ec && stored.is_object()) {
    api::ApiResult<marketing::OfferAudience> audience = ReadAudience(stored.as_object());
    if (audience.ok()) json.Object("audience", AudienceJson(audience.value()));
  }
  return json;
}

struct PushInput {
  std::string title;
  std::string body;
  marketing::OfferAudience audience;
};

api::ApiResult<PushInput> ParsePushInput(std::string_view text, bool with_words) {
  api::ApiResult<boost::json::object> root = ParseRoot(text);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  PushInput input;
  if (with_words) {
    input.title = f.String("title", true, kMaxTitleChars).value_or("");
    input.body = f.String("body", true, kMaxBodyChars).value_or("");
    if (!error && input.title.empty()) f.Fail(ErrorCode::kFieldInvalid, "title", "not empty");
    if (!error && input.body.empty()) f.Fail(ErrorCode::kFieldInvalid, "body", "not empty");
  }
  const boost::json::object* audience = f.Object("audience", true);
  f.Finish();
  if (error) return *error;
  api::ApiResult<marketing::OfferAudience> parsed = ReadAudience(*audience);
  if (!parsed.ok()) return parsed.error();
  input.audience = std::move(parsed).value();
  return input;
}

void PreviewPush(WalletContext& context, const Principal&, uint64_t campaign_id,
                 HttpRequest&& request, Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<PushInput> input = ParsePushInput(request.body, false);
  if (!input.ok()) return respond(ErrorResponse(input.error()));
  const int64_t now_ns = Services(context).clock->NowNs();
  RunOnWorker(
      context,
      [&context, campaign_id, audience = std::move(input).value().audience, now_ns, respond] {
        if (!CheckCampaign(context, campaign_id, false, respond)) return;
        AudienceMatch match;
        if (!MatchAudience(context, campaign_id, audience, now_ns, respond, &match)) return;
        api::JsonObjectWriter body;
        body.Int("customers", static_cast<int64_t>(match.customers.size()))
            .Int("opted_out", match.opted_out)
            .Int("already_pushed", match.already_pushed);
        respond(api::JsonResponse(200, body));
      },
      respond);
}

uint64_t NewPushId() {
  uint64_t id = 0;
  while (id == 0) {
    randombytes_buf(&id, sizeof(id));
    id &= uint64_t{INT64_MAX};  // Stays a positive SQL integer.
  }
  return id;
}

void CreatePush(WalletContext& context, const Principal& staff, uint64_t campaign_id,
                HttpRequest&& request, Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<PushInput> input = ParsePushInput(request.body, true);
  if (!input.ok()) return respond(ErrorResponse(input.error()));
  const int64_t now_ns = Services(context).clock->NowNs();
  RunOnWorker(
      context,
      [&context, staff_id = staff.id, campaign_id, input = std::move(input).value(), now_ns,
       respond] {
        if (!CheckCampaign(context, campaign_id, true, respond)) return;
        AudienceMatch match;
        if (!MatchAudience(context, campaign_id, input.audience, now_ns, respond, &match)) return;
        if (match.customers.empty()) {
          return respond(ErrorResponse(api::ApiError{
              422, "OFFER_AUDIENCE_EMPTY", "no customer who may get this offer matches"}));
        }
        const uint64_t push_id = NewPushId();
        const std::string audience = AudienceJson(input.audience).Serialize();
        uint64_t seq = 0;
        int64_t delivered = 0;
        for (size_t at = 0; at < match.customers.size(); at += engine::kMaxOfferPushCustomers) {
          const size_t end = std::min(match.customers.size(), at + engine::kMaxOfferPushCustomers);
          engine::PushOffer command{
              staff_id,
              push_id,
              campaign_id,
              input.title,
              input.body,
              audience,
              std::vector<uint64_t>(match.customers.begin() + at, match.customers.begin() + end)};
          engine::Reply reply = Services(context).engine->Execute(std::move(command));
          if (reply.status != engine::ReplyStatus::kOk || reply.results.size() != 1) {
            return respond(EngineFailureResponse(reply));
          }
          const auto result = static_cast<MarketingResult>(reply.results[0]);
          if (result != MarketingResult::kOk) {
            if (at == 0) return respond(MarketingFailure(result, reply));
            // Ended while the push went out: the parts sent stay sent.
            LogWarn("offer push stopped part way", {{"push_id", std::to_string(push_id)},
                                                    {"delivered", std::to_string(delivered)}});
            break;
          }
          delivered += static_cast<int64_t>(reply.value);
          seq = reply.journal_seq;
        }
        LogInfo("offer pushed", {{"campaign_id", std::to_string(campaign_id)},
                                 {"push_id", std::to_string(push_id)},
                                 {"delivered", std::to_string(delivered)}});
        WaitForProjection(context, seq, kProjectionWaitNs);
        std::vector<OfferPushRow> pushes;
        if (!Services(context).store->ListOfferPushes(campaign_id, &pushes).ok()) {
          return respond(StoreFailure());
        }
        for (const OfferPushRow& push : pushes) {
          if (push.id == push_id) return respond(api::JsonResponse(201, PushJson(push)));
        }
        respond(StoreFailure());  // Not projected within the wait.
      },
      respond);
}

void ListPushes(WalletContext& context, const Principal&, uint64_t campaign_id, HttpRequest&&,
                Responder respond) {
  RunOnWorker(
      context,
      [&context, campaign_id, respond] {
        if (!CheckCampaign(context, campaign_id, false, respond)) return;
        CatchUp(context);
        std::vector<OfferPushRow> pushes;
        if (!Services(context).store->ListOfferPushes(campaign_id, &pushes).ok()) {
          return respond(StoreFailure());
        }
        api::JsonArrayWriter list;
        for (const OfferPushRow& push : pushes) list.Object(PushJson(push));
        api::JsonObjectWriter body;
        body.Array("pushes", std::move(list));
        respond(api::JsonResponse(200, body));
      },
      respond);
}

// --- Customers ---

void ListMessages(WalletContext& context, const Principal& customer, HttpRequest&& request,
                  Responder respond) {
  api::ApiResult<api::QueryParams> params = api::ParseQuery(request.target);
  if (!params.ok()) return respond(ErrorResponse(params.error()));
  api::ApiResult<int64_t> limit = api::ParseLimit(params.value().GetOr("limit"));
  if (!limit.ok()) return respond(ErrorResponse(limit.error()));
  std::optional<uint64_t> before;
  if (std::string_view cursor = params.value().GetOr("cursor"); !cursor.empty()) {
    api::ApiResult<int64_t> position = api::DecodeCursor(cursor);
    if (!position.ok()) return respond(ErrorResponse(position.error()));
    before = static_cast<uint64_t>(position.value());
  }
  RunOnWorker(
      context,
      [&context, customer_id = customer.id, before, limit = limit.value(), respond] {
        CatchUp(context);
        InboxPage page;
        if (!Services(context)
                 .store->ListInbox(customer_id, before, static_cast<size_t>(limit), &page)
                 .ok()) {
          return respond(StoreFailure());
        }
        api::JsonArrayWriter messages;
        for (const InboxMessageRow& m : page.messages) {
          api::JsonObjectWriter json;
          json.String("id", std::to_string(m.push_id))
              .String("kind", "offer")
              .String("campaign_id", std::to_string(m.campaign_id))
              .String("title", m.title)
              .String("body", m.body)
              .String("created_at", Rfc3339(m.created_ns))
              .Bool("read", m.read_ns != 0);
          messages.Object(std::move(json));
        }
        api::JsonObjectWriter body;
        body.Array("messages", std::move(messages)).Int("unread", page.unread);
        if (page.next_cursor) {
          body.String("next_cursor", api::EncodeCursor(static_cast<int64_t>(*page.next_cursor)));
        } else {
          body.Null("next_cursor");
        }
        respond(api::JsonResponse(200, body));
      },
      respond);
}

// Answers {"unread": n} once the read model holds journal batch `seq`.
void AnswerUnread(WalletContext& context, uint64_t customer_id, uint64_t seq,
                  const Responder& respond) {
  RunOnWorker(
      context,
      [&context, customer_id, seq, respond] {
        WaitForProjection(context, seq, kProjectionWaitNs);
        InboxPage page;
        if (!Services(context).store->ListInbox(customer_id, std::nullopt, 0, &page).ok()) {
          return respond(StoreFailure());
        }
        api::JsonObjectWriter body;
        body.Int("unread", page.unread);
        respond(api::JsonResponse(200, body));
      },
      respond);
}

void ReadMessagesRoute(WalletContext& context, const Principal& customer, HttpRequest&& request,
                       Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<boost::json::object> root = ParseRoot(request.body);
  if (!root.ok()) return respond(ErrorResponse(root.error()));
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  const uint64_t push_id = f.Id("id", false).value_or(0);
  f.Finish();
  if (error) return respond(ErrorResponse(*error));
  RunOnWorker(
      context,
      [&context, customer_id = customer.id, push_id, respond] {
        if (push_id != 0) {
          bool found = false;
          if (!Services(context).store->HasInboxMessage(customer_id, push_id, &found).ok()) {
            return respond(StoreFailure());
          }
          if (!found) {
            return respond(
                ErrorResponse(api::ApiError{404, "MESSAGE_NOT_FOUND", "no such message"}));
          }
        }
        SubmitCommand(context, engine::ReadMessages{customer_id, push_id}, respond,
                      [&context, customer_id, respond](uint8_t code, const engine::Reply& reply) {
                        const auto result = static_cast<MarketingResult>(code);
                        if (result != MarketingResult::kOk) {
                          return respond(MarketingFailure(result, reply));
                        }
                        AnswerUnread(context, customer_id, reply.journal_seq, respond);
                      });
      },
      respond);
}

void AnswerPreference(bool personalised, const Responder& respond) {
  api::JsonObjectWriter body;
  body.Bool("personalised", personalised);
  respond(api::JsonResponse(200, body));
}

void GetPreference(WalletContext& context, const Principal& customer, HttpRequest&&,
                   Responder respond) {
  ReadEngine<bool>(
      context, respond,
      [customer_id = customer.id](const engine::StateMachine& state) {
        return !state.RefusedPersonalisedOffers(customer_id);
      },
      [respond](bool personalised) { AnswerPreference(personalised, respond); });
}

void SetPreference(WalletContext& context, const Principal& customer, HttpRequest&& request,
                   Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<boost::json::object> root = ParseRoot(request.body);
  if (!root.ok()) return respond(ErrorResponse(root.error()));
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  const std::optional<bool> personalised = f.Bool("personalised", true);
  f.Finish();
  if (error) return respond(ErrorResponse(*error));
  SubmitCommand(context, engine::SetOfferPreference{customer.id, *personalised}, respond,
                [respond, on = *personalised](uint8_t code, const engine::Reply& reply) {
                  const auto result = static_cast<MarketingResult>(code);
                  if (result != MarketingResult::kOk) {
                    return respond(MarketingFailure(result, reply));
                  }
                  AnswerPreference(on, respond);
                });
}

using CustomerHandler = void (*)(WalletContext&, const Principal&, HttpRequest&&, Responder);
using CampaignHandler = void (*)(WalletContext&, const Principal&, uint64_t, HttpRequest&&,
                                 Responder);

StaffHandler WithCampaign(WalletContext& context, CampaignHandler handler) {
  return [&context, handler](const Principal& staff, HttpRequest&& request, Responder respond) {
    std::optional<uint64_t> id = ParseId(request.PathParam("id"));
    if (!id || *id == 0) return respond(CampaignNotFound());
    handler(context, staff, *id, std::move(request), std::move(respond));
  };
}

}  // namespace

void AddOfferRoutes(Router& router, WalletContext& context) {
  AddStaffRoute(router, context, "POST", "/api/v1/staff/campaigns/{id}/offer-pushes/preview",
                WithCampaign(context, PreviewPush));
  AddStaffRoute(router, context, "POST", "/api/v1/staff/campaigns/{id}/offer-pushes",
                WithCampaign(context, CreatePush));
  AddStaffRoute(router, context, "GET", "/api/v1/staff/campaigns/{id}/offer-pushes",
                WithCampaign(context, ListPushes));

  WalletContext* shared = &context;
  auto customer = [shared](CustomerHandler handler) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
      if (principal) handler(*shared, *principal, std::move(request), std::move(respond));
    };
  };
  router.Add("GET", "/api/v1/me/messages", customer(ListMessages));
  router.Add("POST", "/api/v1/me/messages/read", customer(ReadMessagesRoute));
  router.Add("GET", "/api/v1/me/offer-preferences", customer(GetPreference));
  router.Add("PUT", "/api/v1/me/offer-preferences", customer(SetPreference));
}

}  // namespace qb::wallet
