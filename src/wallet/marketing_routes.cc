// The marketing API (issue 6): campaigns and coupon templates for marketing staff, offers,
// coupons and the checkout quote for customers. The campaign book lives in engine memory, so
// every read is an engine::Query (a copy taken on the engine thread, in command order) and
// every change one of the marketing commands 55 to 61 (engine/marketing_command.h). JSON shapes
// are in marketing_json.h.
//
// Refusals of the campaign book answer with the book's own code (BookRefusal): 422 for a
// configuration error, 404 for an unknown campaign or template, 409 otherwise.
#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "api/query.h"
#include "engine/marketing_command.h"
#include "engine/state_machine.h"
#include "identity/phone.h"
#include "marketing/segments.h"
#include "paytoken/qr_payload.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/json_fields.h"
#include "wallet/marketing_internal.h"
#include "wallet/marketing_json.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/staff_access.h"
#include "wallet/step_up.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::MarketingResult;

constexpr int64_t kMaxTopUpFen = marketing::kMaxBudgetFen;
constexpr int64_t kMaxQuoteFen = 100'000'000;  // As a payment (pay_routes.cc).
constexpr size_t kMaxQrChars = 512;

HttpResponse CampaignNotFound() {
  return ErrorResponse(api::ApiError{404, "CAMPAIGN_NOT_FOUND", "no such campaign"});
}
}  // namespace

HttpResponse TemplateNotFound() {
  return ErrorResponse(api::ApiError{404, "COUPON_TEMPLATE_NOT_FOUND", "no such coupon template"});
}

namespace {

// The engine's clock for reads: a read-only batch keeps the last batch's time, which may be
// long past, so the API's clock is taken when it is later.
int64_t NowNs(const engine::StateMachine& state, int64_t api_now_ns) {
  return std::max(api_now_ns, state.batch_time_ns());
}

// What segments are derived from (marketing/segments.h), as the engine derives them to price.
marketing::CustomerFacts FactsOf(const identity::Customer& customer) {
  return {.registered_s = customer.registered_ns / kNsPerSecond,
          .tier = static_cast<uint8_t>(customer.tier),
          .verified = customer.verified(),
          .channel = customer.channel};
}

}  // namespace

// The answer to a marketing command that did not succeed.
HttpResponse MarketingFailure(MarketingResult result, const engine::Reply& reply) {
  switch (result) {
    case MarketingResult::kRefused:
      return ErrorResponse(BookRefusal(reply.text));
    case MarketingResult::kStaffNotFound:
      return ErrorResponse(ErrorCode::kUnauthorized, "the staff member no longer exists");
    case MarketingResult::kCustomerNotFound:
      return ErrorResponse(ErrorCode::kNotFound, "customer_ids: an unknown customer");
    case MarketingResult::kMerchantNotFound:
      return ErrorResponse(ErrorCode::kMerchantNotFound, "merchant_id: no such merchant");
    case MarketingResult::kInsufficientFunds:
      return ErrorResponse(ErrorCode::kMerchantInsufficientFunds,
                           "the co-funding merchant's balance cannot cover the amount");
    case MarketingResult::kDuplicate:
      return ErrorResponse(ErrorCode::kDuplicate, "this top-up was made before");
    case MarketingResult::kRiskDenied:
      return ErrorResponse(RiskDeniedError());  // risk_routes.cc
    case MarketingResult::kOk:
    case MarketingResult::kInvalid:
      break;
  }
  return ErrorResponse(ErrorCode::kBadRequest, "the request could not be applied");
}

api::ApiResult<std::vector<std::string>> ParsePhones(std::string_view body) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  std::vector<std::string> phones;
  if (const boost::json::array* list = f.Array("phones", true, kMaxListedPhones)) {
    if (list->empty()) f.Fail(ErrorCode::kFieldInvalid, "phones", "at least one phone");
    for (const boost::json::value& phone : *list) {
      if (!phone.is_string() || phone.as_string().size() > 64) {
        f.Fail(ErrorCode::kFieldInvalid, "phones", "strings of at most 64 bytes");
        break;
      }
      phones.emplace_back(phone.as_string());
    }
  }
  f.Finish();
  if (error) return *error;
  return phones;
}

ResolvedPhones ResolvePhones(const engine::StateMachine& state,
                             const std::vector<std::string>& given) {
  ResolvedPhones list;
  absl::flat_hash_set<uint64_t> seen;
  for (const std::string& text : given) {
    const std::optional<std::string> phone = identity::NormalizePhone(text);
    const identity::Customer* customer = phone ? state.customers().FindByPhone(*phone) : nullptr;
    if (!phone) {
      list.invalid.push_back(text);
    } else if (customer == nullptr || customer->closed()) {
      list.not_found.push_back(text);
    } else if (!seen.insert(customer->id).second) {
      ++list.duplicates;
    } else {
      list.customers.push_back(customer->id);
    }
  }
  return list;
}

namespace {

// Submits a marketing command; `then` runs on kOk (and on whatever `also_ok` names).
void SubmitMarketing(WalletContext& context, engine::Command command, const Responder& respond,
                     std::function<void(const engine::Reply&)> then,
                     std::optional<MarketingResult> also_ok = std::nullopt) {
  SubmitCommand(
      context, std::move(command), respond,
      [respond, then = std::move(then), also_ok](uint8_t code, const engine::Reply& reply) {
        const auto result = static_cast<MarketingResult>(code);
        if (result != MarketingResult::kOk && result != also_ok) {
          return respond(MarketingFailure(result, reply));
        }
        then(reply);
      });
}

// A campaign as the engine holds it, with its co-funding (and the funders' names) if any.
struct CampaignCopy {
  marketing::CampaignState state;
  std::optional<CoFundingView> co_funding;

  CampaignCopy(const engine::StateMachine& engine, const marketing::CampaignState& found)
      : state(found) {
    const marketing::CoFunding* funding = engine.co_funding().Find(found.campaign.id);
    if (funding == nullptr) return;
    co_funding.emplace();
    co_funding->funding = *funding;
    for (const marketing::CoFunder& m : funding->merchants) {
      const payments::Merchant* merchant = engine.payments().FindMerchant(m.merchant_id);
      co_funding->merchant_names.push_back(merchant != nullptr ? merchant->profile.legal_name
                                                               : std::string());
    }
  }
  api::JsonObjectWriter Json(std::optional<int64_t> reward_customers = std::nullopt) const {
    return CampaignJson(state, co_funding ? &*co_funding : nullptr, reward_customers);
  }
};

// Answers `status` with the campaign as the engine holds it now (with "returned" when set).
void AnswerCampaign(WalletContext& context, uint64_t campaign_id, int status,
                    std::optional<int64_t> returned, const Responder& respond) {
  ReadEngine<std::optional<CampaignCopy>>(
      context, respond,
      [campaign_id](const engine::StateMachine& state) -> std::optional<CampaignCopy> {
        const marketing::CampaignState* found = state.campaigns().FindCampaign(campaign_id);
        if (found == nullptr) return std::nullopt;
        return CampaignCopy(state, *found);
      },
      [status, returned, respond](std::optional<CampaignCopy> found) {
        if (!found) return respond(CampaignNotFound());
        api::JsonObjectWriter body = found->Json();
        if (returned) body.Amount("returned", *returned);
        respond(api::JsonResponse(status, body));
      });
}

// GET of one campaign: as the engine holds it, with the distinct customers it rewarded, which
// the read models count (on a worker, once they hold everything durable when asked).
void AnswerCampaignWithReach(WalletContext& context, uint64_t campaign_id,
                             const Responder& respond) {
  const uint64_t durable = Services(context).engine->stats().durable_seq;
  ReadEngine<std::optional<CampaignCopy>>(
      context, respond,
      [campaign_id](const engine::StateMachine& state) -> std::optional<CampaignCopy> {
        const marketing::CampaignState* found = state.campaigns().FindCampaign(campaign_id);
        if (found == nullptr) return std::nullopt;
        return CampaignCopy(state, *found);
      },
      [&context, campaign_id, durable, respond](std::optional<CampaignCopy> found) {
        if (!found) return respond(CampaignNotFound());
        RunOnWorker(
            context,
            [&context, campaign_id, durable, found = std::move(*found), respond] {
              constexpr int64_t kWaitNs = int64_t{5} * kNsPerSecond;
              WaitForProjection(context, durable, kWaitNs);
              int64_t customers = 0;
              std::optional<int64_t> rewarded;
              if (Services(context)
                      .store
                      ->CountRewardedCustomers(engine::kCampaignBudgetAccountBase + campaign_id,
                                               &customers)
                      .ok()) {
                rewarded = customers;
              }
              respond(api::JsonResponse(200, found.Json(rewarded)));
            },
            respond);
      });
}

// The campaigns the calling merchant co-funded, newest first, each with its own side only.
void ListMerchantCoFunding(WalletContext& context, uint64_t merchant_id, Responder respond) {
  struct Row {
    marketing::CampaignState state;
    marketing::CoFunding funding;
  };
  ReadEngine<std::vector<Row>>(
      context, respond,
      [merchant_id](const engine::StateMachine& state) {
        std::vector<Row> rows;
        for (const auto& [campaign_id, funding] : state.co_funding().campaigns()) {
          for (const marketing::CoFunder& m : funding.merchants) {
            if (m.merchant_id != merchant_id) continue;
            rows.push_back({*state.campaigns().FindCampaign(campaign_id), funding});
            break;
          }
        }
        return rows;
      },
      [merchant_id, respond](std::vector<Row> rows) {
        api::JsonArrayWriter items;
        for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
          items.Object(MerchantCoFundingJson(it->state, it->funding, merchant_id));
        }
        api::JsonObjectWriter body;
        body.Array("items", std::move(items));
        respond(api::JsonResponse(200, body));
      });
}

// Staff keys live in their own namespace of the idempotency cache.
std::string StaffOwner(const Principal& staff) {
  std::string owner = "s";
  owner.append(std::to_string(staff.id));
  return owner;
}

// --- Campaigns (staff) ---

void ListCampaigns(WalletContext& context, Responder respond) {
  ReadEngine<std::vector<CampaignCopy>>(
      context, respond,
      [](const engine::StateMachine& state) {
        std::vector<CampaignCopy> copies;
        for (const marketing::CampaignState& found : state.campaigns().campaigns()) {
          copies.emplace_back(state, found);
        }
        return copies;
      },
      [respond](std::vector<CampaignCopy> campaigns) {
        api::JsonArrayWriter items;
        // Ids grow with creation: newest first is the reverse of the book's order.
        for (auto it = campaigns.rbegin(); it != campaigns.rend(); ++it) {
          items.Object(it->Json());
        }
        api::JsonObjectWriter body;
        body.Array("items", std::move(items));
        respond(api::JsonResponse(200, body));
      });
}

void CreateCampaign(WalletContext& context, const Principal& staff, HttpRequest&& request,
                    Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<marketing::Campaign> config = ParseCampaignInput(request.body);
  if (!config.ok()) return respond(ErrorResponse(config.error()));
  // The Idempotency-Key is optional here: creating moves the budget into the campaign, so a
  // client that retries sends one and gets the first answer again.
  Responder answer = respond;
  if (!request.Header("Idempotency-Key").empty()) {
    std::optional<Responder> recorded =
        BeginIdempotent(context, request, StaffOwner(staff), respond);
    if (!recorded) return;
    answer = std::move(*recorded);
  }
  SubmitMarketing(context, engine::CreateCampaign{staff.id, std::move(config).value()}, answer,
                  [&context, answer, staff_id = staff.id](const engine::Reply& reply) {
                    LogInfo("campaign created", {{"campaign_id", std::to_string(reply.value)},
                                                 {"by_staff_id", std::to_string(staff_id)}});
                    AnswerCampaign(context, reply.value, 201, std::nullopt, answer);
                  });
}

void UpdateCampaign(WalletContext& context, const Principal& staff, uint64_t campaign_id,
                    HttpRequest&& request, Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<marketing::Campaign> config = ParseCampaignInput(request.body);
  if (!config.ok()) return respond(ErrorResponse(config.error()));
  config.value().id = campaign_id;
  SubmitMarketing(context, engine::UpdateCampaign{staff.id, std::move(config).value()}, respond,
                  [&context, campaign_id, respond](const engine::Reply&) {
                    AnswerCampaign(context, campaign_id, 200, std::nullopt, respond);
                  });
}

void SetCampaignStatus(WalletContext& context, const Principal& staff, uint64_t campaign_id,
                       HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string name =
      reader.RequiredEnum("status", {"draft", "scheduled", "live", "paused", "ended"});
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  const marketing::CampaignStatus status = *ParseCampaignStatus(name);
  const bool ending = status == marketing::CampaignStatus::kEnded;
  SubmitMarketing(context, engine::TransitionCampaign{staff.id, campaign_id, status}, respond,
                  [&context, campaign_id, ending, respond](const engine::Reply& reply) {
                    std::optional<int64_t> returned;
                    if (ending) returned = static_cast<int64_t>(reply.value);
                    AnswerCampaign(context, campaign_id, 200, returned, respond);
                  });
}

void TopUpCampaign(WalletContext& context, const Principal& staff, uint64_t campaign_id,
                   HttpRequest&& request, Responder respond) {
  if (!RequireIdempotencyKey(request, respond)) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const int64_t amount = reader.RequiredAmount("amount", kMaxTopUpFen);
  reader.RequiredEnum("currency", {"CNY"});
  const std::optional<std::string> merchant = reader.OptionalString("merchant_id", 20);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (amount < 1) return respond(FieldInvalid("amount", "at least 1 fen"));
  uint64_t merchant_id = 0;
  if (merchant) {
    std::optional<uint64_t> parsed = ParseId(*merchant);
    if (!parsed || *parsed == 0) return respond(FieldInvalid("merchant_id", "a merchant id"));
    merchant_id = *parsed;
  }
  std::optional<Responder> answer = BeginIdempotent(context, request, StaffOwner(staff), respond);
  if (!answer) return;
  // The transfer id comes from the key, so a retry the cache forgot (a restart) meets the
  // ledger's duplicate check and moves nothing.
  engine::FundCampaign command;
  command.transfer_id = DeriveTransferId(staff.id, request.Header("Idempotency-Key"),
                                         "campaign-top-up-" + std::to_string(campaign_id));
  command.staff_id = staff.id;
  command.campaign_id = campaign_id;
  command.merchant_id = merchant_id;
  command.amount_fen = amount;
  SubmitMarketing(
      context, command, *answer,
      [&context, campaign_id, respond = *answer](const engine::Reply&) {
        AnswerCampaign(context, campaign_id, 200, std::nullopt, respond);
      },
      MarketingResult::kDuplicate);
}

// --- Coupon templates (staff) ---

struct TemplateCopy {
  marketing::CouponTemplate config;
  int64_t issued = 0;
};

void ListTemplates(WalletContext& context, const HttpRequest& request, Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  std::optional<uint64_t> campaign_id;
  if (std::string_view text = query->GetOr("campaign_id"); !text.empty()) {
    campaign_id = ParseId(text);
    if (!campaign_id) return respond(FieldInvalid("campaign_id", "a campaign id"));
  }
  ReadEngine<std::vector<TemplateCopy>>(
      context, respond,
      [campaign_id](const engine::StateMachine& state) {
        const marketing::CouponBook& coupons = state.campaigns().coupons();
        std::vector<TemplateCopy> copies;
        for (uint64_t id = coupons.template_count(); id >= 1; --id) {  // Newest first.
          const marketing::CouponTemplate* t = coupons.FindTemplate(id);
          if (campaign_id && t->campaign_id != *campaign_id) continue;
          copies.push_back(TemplateCopy{*t, coupons.IssuedCount(id)});
        }
        return copies;
      },
      [respond](std::vector<TemplateCopy> copies) {
        api::JsonArrayWriter items;
        for (const TemplateCopy& copy : copies) {
          items.Object(CouponTemplateJson(copy.config, copy.issued));
        }
        api::JsonObjectWriter body;
        body.Array("items", std::move(items));
        respond(api::JsonResponse(200, body));
      });
}

void AnswerTemplate(WalletContext& context, uint64_t template_id, int status,
                    const Responder& respond) {
  ReadEngine<std::optional<TemplateCopy>>(
      context, respond,
      [template_id](const engine::StateMachine& state) -> std::optional<TemplateCopy> {
        const marketing::CouponBook& coupons = state.campaigns().coupons();
        const marketing::CouponTemplate* t = coupons.FindTemplate(template_id);
        if (t == nullptr) return std::nullopt;
        return TemplateCopy{*t, coupons.IssuedCount(template_id)};
      },
      [status, respond](std::optional<TemplateCopy> copy) {
        if (!copy) return respond(TemplateNotFound());
        respond(api::JsonResponse(status, CouponTemplateJson(copy->config, copy->issued)));
      });
}

void CreateTemplate(WalletContext& context, const Principal& staff, HttpRequest&& request,
                    Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<marketing::CouponTemplate> config = ParseCouponTemplateInput(request.body);
  if (!config.ok()) return respond(ErrorResponse(config.error()));
  SubmitMarketing(context, engine::CreateCouponTemplate{staff.id, std::move(config).value()},
                  respond, [&context, respond](const engine::Reply& reply) {
                    AnswerTemplate(context, reply.value, 201, respond);
                  });
}

// {"segments": [...]}: every open customer in any of the segments gets one coupon, in id order.
// The customers are found first, a bounded number of ids per engine read so that a large book
// does not stall the engine; then, if the stock left covers them all, they are issued
// kMaxCouponIssuePerCommand a command (each command all or nothing). Stock taken by claims in
// between can stop a later command: the answer then says how many were issued.
constexpr uint64_t kSegmentScanIdsPerRead = 65'536;

void IssueToSegments(WalletContext& context, uint64_t staff_id, uint64_t template_id,
                     uint64_t segment_mask, const Responder& respond) {
  const int64_t api_now_ns = Services(context).clock->NowNs();
  std::vector<uint64_t> customers;
  int64_t stock_left = 0;
  bool found = false;
  for (uint64_t next_id = 1;;) {
    bool done = false;
    engine::Reply read =
        Services(context).engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
          const marketing::CouponBook& coupons = state.campaigns().coupons();
          const marketing::CouponTemplate* t = coupons.FindTemplate(template_id);
          found = t != nullptr;
          if (!found) return;
          stock_left = t->stock - coupons.IssuedCount(template_id);
          const uint64_t last = state.customers().customer_count();
          const int64_t now_s = NowNs(state, api_now_ns) / kNsPerSecond;
          for (uint64_t scanned = 0; next_id <= last && scanned < kSegmentScanIdsPerRead;
               ++scanned, ++next_id) {
            const identity::Customer* customer = state.customers().FindById(next_id);
            if (customer == nullptr || customer->closed()) continue;
            if ((marketing::SegmentBitsOf(FactsOf(*customer), now_s) & segment_mask) != 0) {
              customers.push_back(customer->id);
            }
          }
          done = next_id > last;
        }});
    if (read.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(read));
    if (!found) return respond(TemplateNotFound());
    if (done) break;
  }
  if (customers.empty()) {
    return respond(FieldInvalid("segments", "no open customer is in these segments"));
  }
  if (static_cast<int64_t>(customers.size()) > stock_left) {
    return respond(ErrorResponse(api::ApiError{
        409, "COUPON_OUT_OF_STOCK",
        "the template's stock left (" + std::to_string(stock_left) + ") does not cover the " +
            std::to_string(customers.size()) + " customers in these segments"}));
  }
  int64_t issued = 0;
  uint64_t first_coupon_id = 0;
  for (size_t at = 0; at < customers.size(); at += engine::kMaxCouponIssuePerCommand) {
    const size_t end = std::min(customers.size(), at + engine::kMaxCouponIssuePerCommand);
    engine::IssueCoupons command{
        staff_id, template_id,
        std::vector<uint64_t>(customers.begin() + at, customers.begin() + end)};
    engine::Reply reply = Services(context).engine->Execute(std::move(command));
    if (reply.status != engine::ReplyStatus::kOk || reply.results.size() != 1) {
      return respond(EngineFailureResponse(reply));
    }
    const auto result = static_cast<MarketingResult>(reply.results[0]);
    if (result != MarketingResult::kOk) {
      if (issued == 0) return respond(MarketingFailure(result, reply));
      LogWarn("segment coupon issue stopped part way",
              {{"template_id", std::to_string(template_id)}, {"issued", std::to_string(issued)}});
      return respond(
          ErrorWith(ErrorCode::kConflict, "the issue stopped part way: " + std::string(reply.text),
                    [issued](api::JsonObjectWriter& json) { json.Int("issued", issued); }));
    }
    if (first_coupon_id == 0) first_coupon_id = reply.value;
    issued += static_cast<int64_t>(end - at);
  }
  LogInfo("coupons issued to segments",
          {{"template_id", std::to_string(template_id)}, {"issued", std::to_string(issued)}});
  api::JsonObjectWriter body;
  body.Int("issued", issued).String("first_coupon_id", std::to_string(first_coupon_id));
  respond(api::JsonResponse(200, body));
}

// {"phones": [...]}: a list ops uploaded (the console reads a CSV and sends it in parts of at
// most kMaxListedPhones). Each phone that names an open customer gets one coupon, all in one
// command (all or nothing); the answer lists the rows that named no customer or no phone, and
// counts the rows repeating a customer listed before (each customer gets one coupon).
struct PhoneList {
  bool template_found = false;
  ResolvedPhones phones;
};

void IssueToPhones(WalletContext& context, uint64_t staff_id, uint64_t template_id,
                   std::vector<std::string> given, const Responder& respond) {
  ReadEngine<PhoneList>(
      context, respond,
      [template_id, given](const engine::StateMachine& state) {
        PhoneList list;
        list.template_found = state.campaigns().coupons().FindTemplate(template_id) != nullptr;
        list.phones = ResolvePhones(state, given);
        return list;
      },
      [&context, staff_id, template_id, respond](PhoneList found) {
        const ResolvedPhones& list = found.phones;
        if (!found.template_found) return respond(TemplateNotFound());
        auto answer = [respond, list](int64_t issued, uint64_t first_coupon_id) {
          api::JsonArrayWriter not_found;
          for (const std::string& phone : list.not_found) not_found.String(phone);
          api::JsonArrayWriter invalid;
          for (const std::string& phone : list.invalid) invalid.String(phone);
          api::JsonObjectWriter body;
          body.Int("issued", issued);
          if (first_coupon_id != 0) {
            body.String("first_coupon_id", std::to_string(first_coupon_id));
          } else {
            body.Null("first_coupon_id");
          }
          body.Array("not_found", std::move(not_found))
              .Array("invalid", std::move(invalid))
              .Int("duplicates", list.duplicates);
          respond(api::JsonResponse(200, body));
        };
        if (list.customers.empty()) return answer(0, 0);
        const auto count = static_cast<int64_t>(list.customers.size());
        SubmitMarketing(context, engine::IssueCoupons{staff_id, template_id, list.customers},
                        respond, [answer, count, template_id](const engine::Reply& reply) {
                          LogInfo("coupons issued to a list",
                                  {{"template_id", std::to_string(template_id)},
                                   {"issued", std::to_string(count)}});
                          answer(count, reply.value);
                        });
      });
}

void IssueCoupons(WalletContext& context, const Principal& staff, uint64_t template_id,
                  HttpRequest&& request, Responder respond) {
  if (!IsJson(request, respond)) return;
  if (const api::ApiResult<boost::json::object> root = ParseRoot(request.body);
      root.ok() && root.value().contains("phones")) {
    api::ApiResult<std::vector<std::string>> phones = ParsePhones(request.body);
    if (!phones.ok()) return respond(ErrorResponse(phones.error()));
    // A part of a list retried after a lost answer (same Idempotency-Key) is not issued twice.
    std::optional<Responder> answer = respond;
    if (!request.Header("Idempotency-Key").empty()) {
      answer = BeginIdempotent(context, request, "staff:" + std::to_string(staff.id), respond);
      if (!answer) return;
    }
    return IssueToPhones(context, staff.id, template_id, std::move(phones).value(), *answer);
  }
  api::ApiResult<uint64_t> segments = ParseSegmentMask(request.body);
  if (!segments.ok()) return respond(ErrorResponse(segments.error()));
  if (segments.value() != 0) {
    RunOnWorker(
        context,
        [&context, staff_id = staff.id, template_id, mask = segments.value(), respond] {
          IssueToSegments(context, staff_id, template_id, mask, respond);
        },
        respond);
    return;
  }
  api::ApiResult<std::vector<uint64_t>> ids =
      ParseCustomerIds(request.body, engine::kMaxCouponIssuePerCommand);
  if (!ids.ok()) return respond(ErrorResponse(ids.error()));
  const size_t count = ids.value().size();
  SubmitMarketing(context, engine::IssueCoupons{staff.id, template_id, std::move(ids).value()},
                  respond, [count, respond](const engine::Reply& reply) {
                    api::JsonObjectWriter body;
                    body.Int("issued", static_cast<int64_t>(count))
                        .String("first_coupon_id", std::to_string(reply.value));
                    respond(api::JsonResponse(200, body));
                  });
}

// --- The customer's side ---

struct OfferTemplate {
  marketing::CouponTemplate config;
  int64_t issued = 0;
  int64_t mine = 0;
  bool claimable = false;
};
struct Offers {
  std::vector<marketing::Campaign> campaigns;
  std::vector<OfferTemplate> templates;
};

bool Applies(marketing::CampaignStatus status) {
  return status == marketing::CampaignStatus::kScheduled ||
         status == marketing::CampaignStatus::kLive;
}

void ListOffers(WalletContext& context, const Principal& customer, Responder respond) {
  const int64_t api_now_ns = Services(context).clock->NowNs();
  ReadEngine<Offers>(
      context, respond,
      [customer_id = customer.id, api_now_ns](const engine::StateMachine& state) {
        const int64_t now_s = NowNs(state, api_now_ns) / kNsPerSecond;
        const marketing::CampaignBook& book = state.campaigns();
        uint64_t segment_bits = 0;
        if (const identity::Customer* me = state.customers().FindById(customer_id)) {
          segment_bits = marketing::SegmentBitsOf(FactsOf(*me), now_s);
        }
        Offers offers;
        for (const marketing::CampaignState& s : book.campaigns()) {
          const marketing::Campaign& c = s.campaign;
          if (!Applies(c.status) || now_s < c.eligibility.window_start_s ||
              now_s >= c.eligibility.window_end_s) {
            continue;
          }
          if (marketing::HoldoutBucket(c.id, customer_id) < c.eligibility.holdout_percent) {
            continue;  // Held out of this campaign (A/B): it would give this customer nothing.
          }
          if (c.eligibility.segment_mask != 0 && (c.eligibility.segment_mask & segment_bits) == 0) {
            continue;  // Targets segments this customer is in none of.
          }
          offers.campaigns.push_back(c);
        }
        const marketing::CouponBook& coupons = book.coupons();
        std::vector<int64_t> mine(coupons.template_count() + 1, 0);
        for (const uint64_t coupon_id : coupons.CouponsOf(customer_id)) {
          mine[coupons.FindCoupon(coupon_id)->template_id]++;
        }
        for (uint64_t id = 1; id <= coupons.template_count(); ++id) {
          const marketing::CouponTemplate* t = coupons.FindTemplate(id);
          const marketing::CampaignState* campaign = book.FindCampaign(t->campaign_id);
          // Live campaigns whose claim window is open or still to open (a flash grab).
          if (campaign == nullptr || !Applies(campaign->campaign.status) ||
              now_s >= t->claim_end_s) {
            continue;
          }
          OfferTemplate offer{*t, coupons.IssuedCount(id), mine[id], false};
          const bool window_open = now_s >= t->claim_start_s;
          const bool expired =
              t->validity == marketing::ValidityKind::kFixedWindow && now_s >= t->valid_until_s;
          const bool under_limit = t->per_customer_limit == 0 || offer.mine < t->per_customer_limit;
          offer.claimable = window_open && !expired && under_limit && offer.issued < t->stock;
          offers.templates.push_back(std::move(offer));
        }
        return offers;
      },
      [respond](Offers offers) {
        api::JsonArrayWriter campaigns;
        for (const marketing::Campaign& c : offers.campaigns) {
          api::JsonObjectWriter json;
          json.String("id", std::to_string(c.id))
              .String("name", c.name)
              .String("type", CampaignTypeApiName(c.type))
              .Object("reward", RewardJson(c.rule))
              .Object("eligibility", EligibilityJson(c.eligibility, true));
          campaigns.Object(std::move(json));
        }
        api::JsonArrayWriter templates;
        for (const OfferTemplate& offer : offers.templates) {
          api::JsonObjectWriter json = CouponTemplateJson(offer.config, offer.issued);
          json.Bool("claimable", offer.claimable).Int("claimed_by_me", offer.mine);
          templates.Object(std::move(json));
        }
        api::JsonObjectWriter body;
        body.Array("campaigns", std::move(campaigns))
            .Array("coupon_templates", std::move(templates));
        respond(api::JsonResponse(200, body));
      });
}

struct CouponCopy {
  marketing::Coupon coupon;
  marketing::CouponTemplate config;
};

}  // namespace

void AnswerCoupon(WalletContext& context, uint64_t coupon_id, const Responder& respond) {
  const int64_t api_now_ns = Services(context).clock->NowNs();
  ReadEngine<std::optional<std::pair<CouponCopy, int64_t>>>(
      context, respond,
      [coupon_id, api_now_ns](
          const engine::StateMachine& state) -> std::optional<std::pair<CouponCopy, int64_t>> {
        const marketing::CouponBook& coupons = state.campaigns().coupons();
        const marketing::Coupon* coupon = coupons.FindCoupon(coupon_id);
        if (coupon == nullptr) return std::nullopt;
        return std::pair{CouponCopy{*coupon, *coupons.FindTemplate(coupon->template_id)},
                         NowNs(state, api_now_ns) / kNsPerSecond};
      },
      [respond](std::optional<std::pair<CouponCopy, int64_t>> copy) {
        if (!copy) {
          return respond(ErrorResponse(ErrorCode::kInternal, "the coupon could not be read"));
        }
        respond(api::JsonResponse(
            201, CouponJson(copy->first.coupon, copy->first.config, copy->second)));
      });
}

namespace {

void ClaimCoupon(WalletContext& context, const Principal& customer, HttpRequest&& request,
                 Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string text = reader.RequiredString("template_id", 20);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<uint64_t> template_id = ParseId(text);
  if (!template_id || *template_id == 0) return respond(TemplateNotFound());
  // With an Idempotency-Key (the app sends one per tap), a retry after a lost answer gets the
  // first answer instead of claiming a second coupon. The cache is in memory: after a restart
  // a retry claims again, within the template's per-customer limit.
  std::optional<Responder> answer = respond;
  if (!request.Header("Idempotency-Key").empty()) {
    answer = BeginIdempotent(context, request, std::to_string(customer.id), respond);
    if (!answer) return;
  }
  // The claiming device goes along for the risk rules (coupon farms).
  engine::ClaimCoupon claim{customer.id, *template_id, DeviceHash(context, DeviceIdOf(request))};
  SubmitMarketing(context, std::move(claim), *answer,
                  [&context, respond = *answer](const engine::Reply& reply) {
                    AnswerCoupon(context, reply.value, respond);
                  });
}

void ListCoupons(WalletContext& context, const Principal& customer, Responder respond) {
  const int64_t api_now_ns = Services(context).clock->NowNs();
  ReadEngine<std::pair<std::vector<CouponCopy>, int64_t>>(
      context, respond,
      [customer_id = customer.id, api_now_ns](const engine::StateMachine& state) {
        const marketing::CouponBook& coupons = state.campaigns().coupons();
        std::vector<CouponCopy> copies;
        const std::vector<uint64_t> ids = coupons.CouponsOf(customer_id);
        for (auto it = ids.rbegin(); it != ids.rend(); ++it) {  // Newest first.
          const marketing::Coupon* coupon = coupons.FindCoupon(*it);
          copies.push_back(CouponCopy{*coupon, *coupons.FindTemplate(coupon->template_id)});
        }
        return std::pair{std::move(copies), NowNs(state, api_now_ns) / kNsPerSecond};
      },
      [respond](std::pair<std::vector<CouponCopy>, int64_t> list) {
        api::JsonArrayWriter items;
        for (const CouponCopy& copy : list.first) {
          items.Object(CouponJson(copy.coupon, copy.config, list.second));
        }
        api::JsonObjectWriter body;
        body.Array("items", std::move(items));
        respond(api::JsonResponse(200, body));
      });
}

struct QuoteAnswer {
  marketing::Plan plan;
  std::vector<std::string> names;  // The campaign of each reward's name.
  uint64_t best_coupon_id = 0;
  // Points: the customer's balance, the most this payment takes, what the request's points
  // buy (then no campaign applies), and what the payment earns.
  int64_t points_balance = 0;
  int64_t points_max = 0;
  int64_t points_max_fen = 0;  // What points_max is worth.
  points::Redemption points_used;
  int64_t points_earned = 0;
};

void Quote(WalletContext& context, const Principal& customer, HttpRequest&& request,
           Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string text = reader.RequiredString("qr", kMaxQrChars);
  const std::optional<int64_t> amount = reader.OptionalInt64("amount", 1, kMaxQuoteFen);
  const std::optional<std::string> coupon_text = reader.OptionalString("coupon_id", 20);
  const int64_t points = reader.OptionalInt64("points", 0, kMaxPointsPerPayment).value_or(0);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  uint64_t coupon_id = 0;
  if (coupon_text) {
    std::optional<uint64_t> parsed = ParseId(*coupon_text);
    if (!parsed || *parsed == 0) return respond(FieldInvalid("coupon_id", "a coupon id"));
    coupon_id = *parsed;
  }
  const int64_t api_now_ns = Services(context).clock->NowNs();
  paytoken::QrPayload qr;
  const paytoken::QrResult verified =
      paytoken::VerifyQr(text, *Services(context).qr_keys, api_now_ns, &qr);
  if (verified == paytoken::QrResult::kExpired) {
    return respond(ErrorResponse(ErrorCode::kQrExpired, "the QR code has expired"));
  }
  if (verified != paytoken::QrResult::kOk) {
    return respond(ErrorResponse(ErrorCode::kQrInvalid, "this is not a valid qianbao payment QR"));
  }
  int64_t amount_fen = 0;
  payments::PaymentChannel channel = payments::PaymentChannel::kStaticQr;
  if (qr.kind == paytoken::QrKind::kStatic) {
    if (!amount) return respond(ErrorResponse(ErrorCode::kFieldRequired, "amount: required"));
    amount_fen = *amount;
  } else {
    if (amount && *amount != qr.amount_fen) {
      return respond(ErrorResponse(ErrorCode::kAmountMismatch, "amount: not the order's amount"));
    }
    amount_fen = qr.amount_fen;
    channel = payments::PaymentChannel::kDynamicQr;
  }
  ReadEngine<QuoteAnswer>(
      context, respond,
      [customer_id = customer.id, merchant_id = qr.merchant_id, channel, amount_fen, coupon_id,
       points, api_now_ns](const engine::StateMachine& state) {
        const int64_t now_ns = NowNs(state, api_now_ns);
        QuoteAnswer answer;
        const points::Program& program = state.points().program();
        answer.points_balance = state.PointsBalance(customer_id);
        const points::Redemption most = points::Redeem(program, answer.points_balance, amount_fen);
        answer.points_max = most.points;
        answer.points_max_fen = most.discount_fen;
        if (points > 0) {
          // Points do not combine with offers (engine::Pay::points): no campaign, no coupon.
          answer.points_used =
              points::Redeem(program, std::min(points, answer.points_balance), amount_fen);
          answer.points_earned = state.QuotePointsEarned(
              customer_id, merchant_id, amount_fen - answer.points_used.discount_fen, now_ns);
          return answer;
        }
        answer.plan =
            state.QuoteMarketing(customer_id, merchant_id, channel, amount_fen, coupon_id, now_ns);
        const marketing::CampaignBook& book = state.campaigns();
        for (const marketing::Reward& reward : answer.plan.rewards) {
          const marketing::CampaignState* c = book.FindCampaign(reward.campaign_id);
          answer.names.push_back(c == nullptr ? "" : c->campaign.name);
        }
        // The best of the customer's coupons: the one a quote with it discounts most. O(coupons
        // held) quotes, bounded by what one customer holds.
        int64_t best_discount = 0;
        const int64_t now_s = now_ns / kNsPerSecond;
        for (const uint64_t id : book.coupons().CouponsOf(customer_id)) {
          if (!book.coupons().CheckRedeemable(id, customer_id, now_s).ok()) continue;
          const marketing::Plan with =
              state.QuoteMarketing(customer_id, merchant_id, channel, amount_fen, id, now_ns);
          bool used = false;
          for (const marketing::Reward& reward : with.rewards) used |= reward.coupon_id == id;
          if (used && with.discount_fen > best_discount) {
            best_discount = with.discount_fen;
            answer.best_coupon_id = id;
          }
        }
        answer.points_earned = state.QuotePointsEarned(
            customer_id, merchant_id,
            answer.plan.rewards.empty() ? amount_fen : answer.plan.customer_pays_fen, now_ns);
        return answer;
      },
      [amount_fen, respond](QuoteAnswer answer) {
        const marketing::Plan& plan = answer.plan;
        const bool priced = !plan.rewards.empty();
        api::JsonArrayWriter rewards;
        uint64_t used_coupon = 0;
        for (size_t i = 0; i < plan.rewards.size(); ++i) {
          const marketing::Reward& reward = plan.rewards[i];
          if (reward.kind == marketing::RewardKind::kCoupon) used_coupon = reward.coupon_id;
          api::JsonObjectWriter json;
          json.String("campaign_id", std::to_string(reward.campaign_id))
              .String("name", answer.names[i])
              .String("kind", RewardKindApiName(reward.kind))
              .Amount("amount", reward.amount_fen);
          // Held cashback: when it can be spent.
          if (reward.kind == marketing::RewardKind::kCashbackHeld) {
            json.String("release_at", Rfc3339(reward.release_at_s * int64_t{1'000'000'000}));
          }
          rewards.Object(std::move(json));
        }
        api::JsonObjectWriter points;
        points.Int("balance", answer.points_balance)
            .Int("max_redeemable", answer.points_max)
            .Amount("max_discount", answer.points_max_fen)
            .Int("used", answer.points_used.points)
            .Amount("discount", answer.points_used.discount_fen)
            .Int("earn", answer.points_earned);
        api::JsonObjectWriter body;
        body.Amount("amount", amount_fen)
            .Amount("discount", priced ? plan.discount_fen : 0)
            .Amount("pay", (priced ? plan.customer_pays_fen : amount_fen) -
                               answer.points_used.discount_fen)
            .Amount("cashback", priced ? plan.cashback_fen : 0)
            .Array("rewards", std::move(rewards))
            .Object("points", std::move(points));
        if (used_coupon != 0) {
          body.String("coupon_id", std::to_string(used_coupon));
        } else {
          body.Null("coupon_id");
        }
        if (answer.best_coupon_id != 0) {
          body.String("best_coupon_id", std::to_string(answer.best_coupon_id));
        } else {
          body.Null("best_coupon_id");
        }
        respond(api::JsonResponse(200, body));
      });
}

using CustomerHandler = void (*)(WalletContext&, const Principal&, HttpRequest&&, Responder);

// A staff route whose path has the {id} of a campaign or template.
template <typename Handler>
StaffHandler WithId(WalletContext& context, bool campaign, Handler handler) {
  return [&context, campaign, handler](const Principal& staff, HttpRequest&& request,
                                       Responder respond) {
    std::optional<uint64_t> id = ParseId(request.PathParam("id"));
    if (!id || *id == 0) return respond(campaign ? CampaignNotFound() : TemplateNotFound());
    handler(context, staff, *id, std::move(request), std::move(respond));
  };
}

}  // namespace

void AddMarketingRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "GET", "/api/v1/staff/campaigns",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  ListCampaigns(*shared, std::move(respond));
                });
  AddStaffRoute(router, context, "POST", "/api/v1/staff/campaigns",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  CreateCampaign(*shared, staff, std::move(request), std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/campaigns/{id}",
                WithId(context, true,
                       [](WalletContext& c, const Principal&, uint64_t id, HttpRequest&&,
                          Responder respond) { AnswerCampaignWithReach(c, id, respond); }));
  AddStaffRoute(router, context, "PUT", "/api/v1/staff/campaigns/{id}",
                WithId(context, true, UpdateCampaign));
  AddStaffRoute(router, context, "POST", "/api/v1/staff/campaigns/{id}/status",
                WithId(context, true, SetCampaignStatus));
  AddStaffRoute(router, context, "POST", "/api/v1/staff/campaigns/{id}/top-ups",
                WithId(context, true, TopUpCampaign));
  // The merchant's side of the campaigns it co-funded (portal sessions and API keys alike).
  router.Add("GET", "/api/v1/merchant/co-funded-campaigns",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, false, true);
               if (caller) ListMerchantCoFunding(*shared, caller->merchant_id, std::move(respond));
             });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/coupon-templates",
                [shared](const Principal&, HttpRequest&& request, Responder respond) {
                  ListTemplates(*shared, request, std::move(respond));
                });
  AddStaffRoute(router, context, "POST", "/api/v1/staff/coupon-templates",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  CreateTemplate(*shared, staff, std::move(request), std::move(respond));
                });
  AddStaffRoute(router, context, "POST", "/api/v1/staff/coupon-templates/{id}/issues",
                WithId(context, false, IssueCoupons));

  auto customer = [shared](CustomerHandler handler) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
      if (principal) handler(*shared, *principal, std::move(request), std::move(respond));
    };
  };
  router.Add("GET", "/api/v1/me/offers",
             customer([](WalletContext& c, const Principal& p, HttpRequest&&, Responder a) {
               ListOffers(c, p, std::move(a));
             }));
  router.Add("POST", "/api/v1/me/coupons", customer(ClaimCoupon));
  router.Add("GET", "/api/v1/me/coupons",
             customer([](WalletContext& c, const Principal& p, HttpRequest&&, Responder a) {
               ListCoupons(c, p, std::move(a));
             }));
  router.Add("POST", "/api/v1/me/payments/quote", customer(Quote));
}

void ReleaseDueCashback(WalletContext& context) {
  for (;;) {
    engine::Reply reply = Services(context).engine->Execute(engine::ReleaseCashback{});
    if (reply.status != engine::ReplyStatus::kOk) {
      // Busy or stopping: the next run tries again.
      LogWarn("cashback release not run",
              {{"status", std::string(engine::ReplyStatusName(reply.status))}});
      return;
    }
    if (reply.value > 0)
      LogInfo("held cashback released", {{"count", std::to_string(reply.value)}});
    if (reply.value < engine::kMaxCashbackReleasesPerCommand) return;
  }
}

}  // namespace qb::wallet
