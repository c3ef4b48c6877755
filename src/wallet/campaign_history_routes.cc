// Campaigns measured against the payments in the read models, on a worker:
//
//   POST /api/v1/staff/campaigns/dry-run   a candidate priced over the last 1..30 days of real
//                                          payments (marketing::DryRun) before ops launch it;
//                                          nothing reaches the engine, nothing is committed
//   GET /api/v1/staff/campaigns/{id}/uplift   a running campaign's treated customers against
//                                          its A/B holdout (marketing::MeasureUplift), over the
//                                          last 30 days of its window
//
// History lacks some of what live pricing knows; the answers' "notes" say which approximations
// were made:
//   window_shifted_to_history   always: the campaign is priced as if live over the period
//   first_order_from_scanned_history   first-order campaigns: a payment is a customer's first
//                               when it is the first one scanned and the customer registered
//                               within the period (earlier customers count as not new)
//   segments_as_today           segment targeting: tier, verification and channel as they are
//                               now, the new-customer segment at the payment's time
//   device_caps_skip, identity_caps_skip   a per-device or per-identity cap: payments have no
//                               device or identity in history, so, as live pricing does for an
//                               unknown device, none is rewarded (dry run)
//   ages_as_today               age bands: each customer's age on the payment's day, from
//                               the birth date the engine holds now (none for customers
//                               verified before birth dates were kept)
//   inactivity_from_payments    win-back: a customer's idleness judged from their completed
//                               payments alone (not transfers, top-ups or withdrawals), looking
//                               back the campaign's inactive days before the period
//   population_as_today         the uplift's population: the open customers in the campaign's
//                               segments and age band now (inactivity is not judged)
#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "engine/state_machine.h"
#include "identity/calendar_date.h"
#include "marketing/dry_run.h"
#include "marketing/segments.h"
#include "marketing/uplift.h"
#include "merchant/merchant_category.h"
#include "merchant/merchant_code.h"
#include "wallet/handler_util.h"
#include "wallet/marketing_json.h"
#include "wallet/money_internal.h"
#include "wallet/staff_access.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

// The most payments one dry run prices (the newest ones, when the period has more): about 30
// MB of rows, seconds of work on a worker.
constexpr size_t kMaxDryRunPayments = 300'000;
constexpr size_t kPageSize = 2'000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kNsPerDay = kSecondsPerDay * kNsPerSecond;
// Customers whose birth dates and lists one engine read looks up, so the engine is not stalled.
constexpr size_t kCustomerFactsPerRead = 4'096;

marketing::Channel ChannelOf(uint8_t channel) {
  switch (static_cast<payments::PaymentChannel>(channel)) {
    case payments::PaymentChannel::kPaymentCode:
      return marketing::Channel::kPaymentCode;
    case payments::PaymentChannel::kOnline:
      return marketing::Channel::kOnline;
    case payments::PaymentChannel::kNfc:
      return marketing::Channel::kNfc;
    default:
      return marketing::Channel::kQr;  // Static and dynamic QR.
  }
}

std::string ChinaDate(int64_t china_day) {
  int64_t year = 0;
  int64_t month = 0;
  int64_t day = 0;
  CivilFromDays(china_day, &year, &month, &day);
  char text[16];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day));
  return text;
}

struct Loaded {
  std::vector<marketing::DryRunPayment> payments;
  size_t scanned = 0;
  bool truncated = false;
};

bool HasAgeBand(const marketing::Eligibility& e) { return e.age_min != 0 || e.age_max != 0; }

// The customer's age at `now_ns`; -1 when the birth date is unknown.
int32_t AgeAt(const identity::Customer& c, int64_t now_ns) {
  return c.identity ? identity::ChinaAgeAt(c.identity->birth_date, now_ns) : -1;
}

// The completed payments of [from_ns, to_ns) not refunded in full, oldest first, with what
// pricing needs to know. Completed payments of the `lookback_ns` before from_ns are read too,
// for how long each customer had been idle (none is priced).
Status LoadHistory(Store& store, int64_t from_ns, int64_t to_ns, int64_t lookback_ns,
                   Loaded* loaded) {
  std::vector<PaymentRow> rows;
  PaymentFilter filter;
  filter.from_ns = from_ns - lookback_ns;
  filter.to_ns = to_ns;
  std::optional<uint64_t> cursor;
  for (;;) {
    PaymentPage page;
    if (Status s = store.ListPayments(filter, cursor, kPageSize, &page); !s.ok()) return s;
    for (PaymentRow& row : page.payments) {
      loaded->scanned++;
      // A payment refunded in full took its rewards back and costs nothing, but it was
      // activity; it is kept to judge idleness.
      if (row.state != static_cast<uint8_t>(payments::PaymentState::kCompleted)) continue;
      if (rows.size() == kMaxDryRunPayments) {
        loaded->truncated = true;
        break;
      }
      rows.push_back(row);
    }
    if (loaded->truncated || !page.next_cursor) break;
    cursor = page.next_cursor;
  }
  std::sort(rows.begin(), rows.end(), [](const PaymentRow& a, const PaymentRow& b) {
    return a.created_ns != b.created_ns ? a.created_ns < b.created_ns : a.id < b.id;
  });
  // merchant id → (MCC, region from the credit code)
  absl::flat_hash_map<uint64_t, std::pair<uint32_t, uint32_t>> merchants;
  absl::flat_hash_map<uint64_t, std::optional<CustomerRow>> customers;
  absl::flat_hash_set<uint64_t> paid;
  absl::flat_hash_set<std::pair<uint64_t, uint64_t>> paid_at;
  absl::flat_hash_map<uint64_t, int64_t> last_paid_ns;  // customer → their latest payment so far
  loaded->payments.reserve(rows.size());
  for (const PaymentRow& row : rows) {
    int64_t& last_ns = last_paid_ns[row.customer_id];
    const int64_t previous_ns = last_ns;
    last_ns = row.created_ns;
    if (row.created_ns < from_ns || row.refunded_fen >= row.amount_fen) continue;
    auto known = merchants.find(row.merchant_id);
    if (known == merchants.end()) {
      std::optional<MerchantRow> merchant;
      if (Status s = store.ReadMerchant(row.merchant_id, &merchant); !s.ok()) return s;
      const merchant::MerchantCategory* found =
          merchant ? merchant::FindMerchantCategoryById(merchant->category) : nullptr;
      known = merchants
                  .emplace(
                      row.merchant_id,
                      std::pair(found != nullptr ? found->mcc : 0,
                                merchant ? merchant::RegionOfCreditCode(merchant->credit_code) : 0))
                  .first;
    }
    auto customer = customers.find(row.customer_id);
    if (customer == customers.end()) {
      std::optional<CustomerRow> read;
      if (Status s = store.ReadCustomer(row.customer_id, &read); !s.ok()) return s;
      customer = customers.emplace(row.customer_id, std::move(read)).first;
    }
    marketing::DryRunPayment p;
    p.payment_id = row.id;
    p.customer_id = row.customer_id;
    p.merchant_id = row.merchant_id;
    p.merchant_category = known->second.first;
    p.region = known->second.second;
    p.channel = ChannelOf(row.channel);
    p.amount_fen = row.amount_fen;
    p.time_s = row.created_ns / kNsPerSecond;
    const bool new_in_period = customer->second && customer->second->registered_ns >= from_ns;
    p.first_payment_ever = new_in_period && paid.insert(row.customer_id).second;
    p.first_at_merchant =
        new_in_period && paid_at.insert({row.customer_id, row.merchant_id}).second;
    // Idle since the customer's last payment, or registration; at least since the look-back
    // began when neither is within it.
    int64_t since_ns = std::max(previous_ns, from_ns - lookback_ns);
    if (const std::optional<CustomerRow>& c = customer->second) {
      p.segment_bits = marketing::SegmentBitsOf({.registered_s = c->registered_ns / kNsPerSecond,
                                                 .tier = c->tier,
                                                 .verified = !c->real_name_masked.empty(),
                                                 .channel = c->channel},
                                                p.time_s);
      since_ns = std::max(since_ns, c->registered_ns);
    }
    p.idle_days = std::max<int64_t>(row.created_ns - since_ns, 0) / kNsPerDay;
    loaded->payments.push_back(p);
  }
  return Status::Ok();
}

// What the engine holds of each payment's customer: the age on the payment's day (from the
// birth date) and the custom lists holding the customer now, read a bounded number of
// customers at a time. *list_found says whether the campaign's custom list exists.
engine::Reply FillCustomerFacts(const WalletServices& services, const marketing::Eligibility& e,
                                std::vector<marketing::DryRunPayment>* out, bool* list_found) {
  std::vector<uint64_t> ids;
  for (const marketing::DryRunPayment& p : *out) ids.push_back(p.customer_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  struct Facts {
    uint32_t birth_date = 0;
    uint64_t list_bits = 0;
  };
  absl::flat_hash_map<uint64_t, Facts> facts;
  *list_found = e.customer_list == 0;
  for (size_t next = 0; next == 0 || next < ids.size(); next += kCustomerFactsPerRead) {
    const size_t end = std::min(ids.size(), next + kCustomerFactsPerRead);
    engine::Reply read =
        services.engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
          const marketing::CustomerLists& lists = state.campaigns().customer_lists();
          if (e.customer_list != 0) *list_found = lists.Find(e.customer_list) != nullptr;
          for (size_t i = next; i < end; ++i) {
            const identity::Customer* c = state.customers().FindById(ids[i]);
            if (c == nullptr) continue;
            facts[ids[i]] =
                Facts{c->identity ? c->identity->birth_date : 0, lists.MembershipBits(ids[i])};
          }
        }});
    if (read.status != engine::ReplyStatus::kOk) return read;
  }
  for (marketing::DryRunPayment& p : *out) {
    const auto found = facts.find(p.customer_id);
    if (found == facts.end()) continue;
    p.list_bits = found->second.list_bits;
    if (found->second.birth_date != 0) {
      p.age_years = identity::ChinaAgeAt(found->second.birth_date, p.time_s * kNsPerSecond);
    }
  }
  return engine::Reply{};
}

// LoadHistory with what the campaign's targeting needs: the look-back that idleness is judged
// over, and the customers' ages. False once `respond` has the failure.
bool LoadHistoryFor(const WalletServices& services, const marketing::Eligibility& e,
                    int64_t from_ns, int64_t to_ns, Loaded* loaded, const Responder& respond) {
  const int64_t lookback_ns =
      int64_t{std::clamp(e.inactive_days, 0, marketing::kMaxInactiveDays)} * kNsPerDay;
  if (Status s = LoadHistory(*services.store, from_ns, to_ns, lookback_ns, loaded); !s.ok()) {
    respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read payments now"));
    return false;
  }
  if (HasAgeBand(e) || e.customer_list != 0) {
    bool list_found = false;
    if (engine::Reply read = FillCustomerFacts(services, e, &loaded->payments, &list_found);
        read.status != engine::ReplyStatus::kOk) {
      respond(EngineFailureResponse(read));
      return false;
    }
    if (!list_found) {
      respond(ErrorResponse(BookRefusal("CAMPAIGN_INVALID_TARGETING:eligibility.customer_list")));
      return false;
    }
  }
  return true;
}

// The notes of the approximations LoadHistoryFor makes for `e`.
void TargetingNotes(const marketing::Eligibility& e, api::JsonArrayWriter* notes) {
  if (e.segment_mask != 0) notes->String("segments_as_today");
  if (HasAgeBand(e)) notes->String("ages_as_today");
  if (e.inactive_days != 0) notes->String("inactivity_from_payments");
  if (e.customer_list != 0) notes->String("list_as_today");
}

void AnswerDryRun(const DryRunInput& input, const Loaded& loaded, const marketing::DryRunResult& r,
                  int64_t from_s, int64_t to_s, const Responder& respond) {
  api::JsonArrayWriter days;
  for (const marketing::DryRunDay& day : r.days) {
    api::JsonObjectWriter json;
    json.String("date", ChinaDate(day.china_day))
        .Int("rewarded_payments", day.rewarded_payments)
        .Amount("cost", day.cost_fen);
    days.Object(std::move(json));
  }
  const marketing::Campaign& c = input.campaign;
  api::JsonArrayWriter notes;
  notes.String("window_shifted_to_history");
  if (c.type == marketing::CampaignType::kFirstOrder) {
    notes.String("first_order_from_scanned_history");
  }
  TargetingNotes(c.eligibility, &notes);
  if (c.caps.device_count_lifetime != 0) notes.String("device_caps_skip");
  if (c.caps.identity_count_lifetime != 0) notes.String("identity_caps_skip");
  api::JsonObjectWriter body;
  body.String("from", Rfc3339(from_s * kNsPerSecond))
      .String("to", Rfc3339(to_s * kNsPerSecond))
      .Int("days", input.days)
      .Int("payments_scanned", static_cast<int64_t>(loaded.scanned))
      .Bool("truncated", loaded.truncated)
      .Int("rewarded_payments", r.rewarded_payments)
      .Int("customers_reached", r.customers_reached)
      .Int("holdout_customers", r.holdout_customers)
      .Amount("cost", r.discount_fen + r.cashback_fen)
      .Amount("discount", r.discount_fen)
      .Amount("cashback", r.cashback_fen)
      .Amount("gmv", r.gmv_fen);
  if (r.budget_exhausted_s != 0) {
    body.String("budget_exhausted_at", Rfc3339(r.budget_exhausted_s * kNsPerSecond));
  } else {
    body.Null("budget_exhausted_at");
  }
  body.Array("by_day", std::move(days)).Array("notes", std::move(notes));
  respond(api::JsonResponse(200, body));
}

void DryRunCampaign(WalletContext& context, HttpRequest&& request, Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<DryRunInput> parsed = ParseDryRunInput(request.body);
  if (!parsed.ok()) return respond(ErrorResponse(parsed.error()));
  const int64_t now_ns = Services(context).clock->NowNs();
  RunOnWorker(
      context,
      [&context, input = std::move(parsed).value(), now_ns, respond] {
        const int64_t from_ns = now_ns - input.days * kSecondsPerDay * kNsPerSecond;
        Loaded loaded;
        // Up to and including this instant: a payment made in this very batch counts.
        if (!LoadHistoryFor(Services(context), input.campaign.eligibility, from_ns, now_ns + 1,
                            &loaded, respond)) {
          return;
        }
        const int64_t from_s = from_ns / kNsPerSecond;
        const int64_t to_s = now_ns / kNsPerSecond + 1;  // Past the newest payment's second.
        marketing::DryRunResult result;
        const marketing::Error e =
            marketing::DryRun(input.campaign, loaded.payments, from_s, to_s, &result);
        if (e.code == "CAMPAIGN_DRY_RUN_UNSUPPORTED") {
          return respond(ErrorResponse(api::ApiError{
              422, std::string(e.code),
              "type: coupon campaigns reward through coupons customers hold, which history "
              "does not have"}));
        }
        if (!e.ok()) {
          std::string text(e.code);
          if (!e.field.empty()) text.append(":").append(e.field);
          return respond(ErrorResponse(BookRefusal(text)));
        }
        AnswerDryRun(input, loaded, result, from_s, to_s, respond);
      },
      respond);
}

// --- Uplift ---

constexpr uint64_t kPopulationIdsPerRead = 65'536;
constexpr int64_t kUpliftDays = 30;

api::JsonObjectWriter GroupJson(const marketing::UpliftGroup& group) {
  api::JsonObjectWriter json;
  json.Int("customers", group.customers)
      .Int("paying_customers", group.paying_customers)
      .Int("payments", group.payments)
      .Amount("gmv", group.gmv_fen);
  if (group.customers > 0) {
    json.Amount("gmv_per_customer", group.gmv_fen / group.customers);
  } else {
    json.Null("gmv_per_customer");
  }
  return json;
}

// Runs on a worker: the campaign and its population from the engine (a bounded number of
// customer ids per read, so the engine is not stalled), then the payments of its window.
void MeasureCampaignUplift(WalletContext& context, uint64_t campaign_id, int64_t now_ns,
                           const Responder& respond) {
  std::optional<marketing::Campaign> campaign;
  std::vector<uint64_t> population;
  for (uint64_t next_id = 1;;) {
    bool done = false;
    engine::Reply read =
        Services(context).engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
          const marketing::CampaignState* found = state.campaigns().FindCampaign(campaign_id);
          if (found == nullptr) return;
          campaign = found->campaign;
          const uint64_t mask = campaign->eligibility.segment_mask;
          const uint64_t last = state.customers().customer_count();
          for (uint64_t scanned = 0; next_id <= last && scanned < kPopulationIdsPerRead;
               ++scanned, ++next_id) {
            const identity::Customer* c = state.customers().FindById(next_id);
            if (c == nullptr || c->closed()) continue;
            const marketing::CustomerFacts facts{.registered_s = c->registered_ns / kNsPerSecond,
                                                 .tier = static_cast<uint8_t>(c->tier),
                                                 .verified = c->verified(),
                                                 .channel = c->channel};
            if (mask != 0 && (marketing::SegmentBitsOf(facts, now_ns / kNsPerSecond) & mask) == 0) {
              continue;
            }
            if (!marketing::AgeMatches(campaign->eligibility, AgeAt(*c, now_ns))) continue;
            const uint32_t list = campaign->eligibility.customer_list;
            if (list != 0 && !state.campaigns().customer_lists().Contains(list, c->id)) continue;
            population.push_back(c->id);
          }
          done = next_id > last;
        }});
    if (read.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(read));
    if (!campaign) {
      return respond(ErrorResponse(api::ApiError{404, "CAMPAIGN_NOT_FOUND", "no such campaign"}));
    }
    if (done) break;
  }
  const marketing::Eligibility& e = campaign->eligibility;
  if (e.holdout_percent < 1) {
    return respond(ErrorResponse(api::ApiError{
        422, "CAMPAIGN_NO_HOLDOUT",
        "eligibility.holdout_percent: the campaign has no holdout group to compare with"}));
  }
  const int64_t from_ns = std::max(e.window_start_s * kNsPerSecond,
                                   now_ns - kUpliftDays * kSecondsPerDay * kNsPerSecond);
  const int64_t to_ns = std::min(e.window_end_s * kNsPerSecond, now_ns + 1);
  Loaded loaded;
  if (from_ns < to_ns && !LoadHistoryFor(Services(context), e, from_ns, to_ns, &loaded, respond)) {
    return;
  }
  marketing::UpliftResult result;
  if (marketing::Error error =
          marketing::MeasureUplift(*campaign, population, loaded.payments, &result);
      !error.ok()) {
    return respond(ErrorResponse(api::ApiError{422, std::string(error.code), "no holdout"}));
  }
  api::JsonArrayWriter notes;
  notes.String("population_as_today");
  if (campaign->type == marketing::CampaignType::kFirstOrder) {
    notes.String("first_order_from_scanned_history");
  }
  TargetingNotes(e, &notes);
  api::JsonObjectWriter body;
  body.String("from", Rfc3339(from_ns))
      .String("to", Rfc3339(std::max(from_ns, to_ns)))
      .Int("holdout_percent", e.holdout_percent)
      .Int("payments_scanned", static_cast<int64_t>(loaded.scanned))
      .Bool("truncated", loaded.truncated)
      .Object("treated", GroupJson(result.treated))
      .Object("holdout", GroupJson(result.holdout));
  if (result.gmv_per_customer_uplift_bps) {
    body.Int("gmv_per_customer_uplift_bps", *result.gmv_per_customer_uplift_bps);
  } else {
    body.Null("gmv_per_customer_uplift_bps");
  }
  body.Array("notes", std::move(notes));
  respond(api::JsonResponse(200, body));
}

}  // namespace

void AddCampaignHistoryRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "POST", "/api/v1/staff/campaigns/dry-run",
                [shared](const Principal&, HttpRequest&& request, Responder respond) {
                  DryRunCampaign(*shared, std::move(request), std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/campaigns/{id}/uplift",
                [shared](const Principal&, HttpRequest&& request, Responder respond) {
                  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
                  if (!id || *id == 0) {
                    return respond(ErrorResponse(
                        api::ApiError{404, "CAMPAIGN_NOT_FOUND", "no such campaign"}));
                  }
                  const int64_t now_ns = Services(*shared).clock->NowNs();
                  RunOnWorker(
                      *shared,
                      [shared, campaign_id = *id, now_ns, respond] {
                        MeasureCampaignUplift(*shared, campaign_id, now_ns, respond);
                      },
                      respond);
                });
}

}  // namespace qb::wallet
