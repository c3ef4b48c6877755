// The staff console: staff accounts, customer search and detail, tier grants, the development
// SMS outbox and the ledger verification. Every route checks the caller's roles first.
//
// SQL reads (search, detail, history, verification) run on a worker; engine state is copied out
// with a Query and rendered on the callback.
#include <absl/container/flat_hash_map.h>

#include <boost/json.hpp>
#include <memory>
#include <utility>

#include "api/cursor.h"
#include "api/query.h"
#include "engine/state_machine.h"
#include "identity/password.h"
#include "identity/phone.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/staff_access.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using identity::StaffRole;

constexpr int64_t kProjectionWaitNs = int64_t{5} * 1'000'000'000;
constexpr size_t kRecentHistory = 20;
constexpr int kVerificationAttempts = 5;

HttpResponse StoreFailure(const Status& status) {
  LogError("read model query failed", {{"error", status.ToString()}});
  return ErrorResponse(ErrorCode::kStoreUnavailable, "the read models cannot be read now");
}

// --- POST /api/v1/staff/staff ---

// Takes "roles" (an array of role names) out of a body ParseBody has already checked, and
// returns the body without it for the ObjectReader, which reads scalars only.
api::ApiResult<std::pair<uint32_t, std::string>> TakeRoles(const std::string& body) {
  boost::json::value value = boost::json::parse(body);  // Valid: ParseBody accepted it.
  boost::json::object& object = value.as_object();
  const boost::json::value* roles = object.if_contains("roles");
  if (roles == nullptr || roles->is_null()) {
    return api::MakeError(ErrorCode::kFieldRequired, "roles: required");
  }
  if (!roles->is_array() || roles->as_array().empty() || roles->as_array().size() > 16) {
    return api::MakeError(ErrorCode::kFieldInvalid, "roles: a list of 1 to 16 role names");
  }
  uint32_t bits = 0;
  for (const boost::json::value& name : roles->as_array()) {
    std::optional<StaffRole> role;
    if (name.is_string()) role = identity::ParseStaffRole(name.as_string());
    if (!role) return api::MakeError(ErrorCode::kFieldInvalid, "roles: unknown role");
    bits |= static_cast<uint32_t>(*role);
  }
  object.erase("roles");
  return std::pair<uint32_t, std::string>(bits, boost::json::serialize(object));
}

void HandleCreateStaff(WalletContext& context, const Principal& admin, HttpRequest&& request,
                       Responder respond) {
  if (!ParseBody(request, respond)) return;
  api::ApiResult<std::pair<uint32_t, std::string>> roles = TakeRoles(request.body);
  if (!roles.ok()) return respond(ErrorResponse(roles.error()));
  api::ApiResult<api::JsonObject> rest = api::ParseJsonObject(roles.value().second);
  if (!rest.ok()) return respond(ErrorResponse(rest.error()));
  api::ObjectReader reader(rest.value());
  std::string username = reader.RequiredString("username", 32);
  std::string display_name = reader.RequiredString("display_name", 64);
  std::string password = reader.RequiredString("password", 256);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  username = LowerAscii(std::move(username));
  if (!IsValidUsername(username)) {
    return respond(FieldInvalid("username", "3-32 of a-z, 0-9, _ . -, starting with a letter"));
  }
  if (identity::CheckPasswordStrength(password, "") != identity::PasswordStrength::kOk ||
      password.size() > 64) {
    return respond(ErrorResponse(ErrorCode::kWeakPassword,
                                 "password: 8-64 characters with letters and digits"));
  }
  identity::StaffRegistration registration{std::move(username), std::move(display_name), "",
                                           roles.value().first};
  RunOnWorker(
      context,
      [&context, registration = std::move(registration), password = std::move(password),
       admin_id = admin.id, respond]() mutable {
        std::optional<std::string> hash = identity::HashPassword(password);
        if (!hash) return respond(ErrorResponse(ErrorCode::kOverloaded, "busy; retry"));
        registration.password_hash = std::move(*hash);
        identity::Staff staff{0, registration.username, registration.display_name, "",
                              registration.roles};
        Services(context).engine->Submit(
            engine::CreateStaff{std::move(registration)},
            [staff = std::move(staff), admin_id, respond](engine::Reply&& reply) mutable {
              if (reply.status != engine::ReplyStatus::kOk) {
                return respond(EngineFailureResponse(reply));
              }
              const auto result = static_cast<identity::IdentityResult>(reply.results.at(0));
              if (result != identity::IdentityResult::kOk) {
                return respond(ErrorResponse(IdentityError(result)));
              }
              staff.id = reply.value;
              staff.created_ns = reply.batch_time_ns;
              LogInfo("staff created", {{"staff_id", std::to_string(staff.id)},
                                        {"by_staff_id", std::to_string(admin_id)}});
              respond(api::JsonResponse(201, StaffJson(staff)));
            });
      },
      respond);
}

void HandleListStaff(WalletContext& context, Responder respond) {
  auto staff = std::make_shared<std::vector<identity::Staff>>();
  engine::Query query;
  query.read = [staff](const engine::StateMachine& state) {
    staff->reserve(state.staff().staff_count());
    state.staff().ForEach([&](const identity::Staff& member) {
      staff->push_back(member);
      staff->back().password_hash.clear();
    });
  };
  Services(context).engine->Submit(std::move(query),
                                   [staff, respond = std::move(respond)](engine::Reply&& reply) {
                                     if (reply.status != engine::ReplyStatus::kOk)
                                       return respond(EngineFailureResponse(reply));
                                     api::JsonArrayWriter list;
                                     for (const identity::Staff& member : *staff)
                                       list.Object(StaffJson(member));
                                     api::JsonObjectWriter body;
                                     body.Array("staff", std::move(list));
                                     respond(api::JsonResponse(200, body));
                                   });
}

// --- GET /api/v1/staff/customers ---

struct SearchQuery {
  std::string phone_prefix;
  std::optional<uint64_t> id;  // When q could also be a customer id.
  std::optional<uint64_t> before_id;
  size_t limit = 20;
};

api::ApiResult<SearchQuery> ParseSearch(const HttpRequest& request) {
  api::ApiResult<api::QueryParams> params = api::ParseQuery(request.target);
  if (!params.ok()) return params.error();
  SearchQuery search;
  std::string_view q = params.value().GetOr("q");
  while (!q.empty() && q.front() == ' ') q.remove_prefix(1);
  while (!q.empty() && q.back() == ' ') q.remove_suffix(1);
  if (std::optional<std::string> phone = identity::NormalizePhone(q)) {
    search.phone_prefix = *phone;
  } else if (!q.empty()) {
    if (q.size() > 11 || q.find_first_not_of("0123456789") != std::string_view::npos) {
      return api::MakeError(ErrorCode::kFieldInvalid, "q: phone digits or a customer id");
    }
    search.phone_prefix = std::string(q);
    search.id = ParseId(q);
  }
  if (auto cursor = params.value().Get("cursor"); cursor && !cursor->empty()) {
    api::ApiResult<int64_t> position = api::DecodeCursor(*cursor);
    if (!position.ok()) return position.error();
    search.before_id = static_cast<uint64_t>(position.value());
  }
  api::ApiResult<int64_t> limit = api::ParseLimit(params.value().GetOr("limit"));
  if (!limit.ok()) return limit.error();
  search.limit = static_cast<size_t>(limit.value());
  return search;
}

HttpResponse SearchCustomers(WalletContext& context, const SearchQuery& search) {
  Store* store = Services(context).store;
  api::JsonArrayWriter list;
  std::optional<uint64_t> exact_id;
  // An id match comes first, on the first page only.
  if (search.id && !search.before_id) {
    std::optional<CustomerRow> row;
    if (Status s = store->ReadCustomer(*search.id, &row); !s.ok()) return StoreFailure(s);
    if (row) {
      list.Object(CustomerSummaryJson(*row));
      exact_id = row->id;
    }
  }
  CustomerPage page;
  Status s = store->SearchCustomers(search.phone_prefix, search.before_id, search.limit, &page);
  if (!s.ok()) return StoreFailure(s);
  for (const CustomerRow& row : page.customers) {
    if (row.id != exact_id) list.Object(CustomerSummaryJson(row));
  }
  api::JsonObjectWriter body;
  body.Array("customers", std::move(list));
  if (page.next_cursor) {
    body.String("next_cursor", api::EncodeCursor(static_cast<int64_t>(*page.next_cursor)));
  } else {
    body.Null("next_cursor");
  }
  return api::JsonResponse(200, body);
}

// --- GET /api/v1/staff/customers/{id} ---

struct WalletCopy {
  bool found = false;
  std::vector<identity::BoundCard> cards;
  std::optional<ledger::Account> wallet;
  // Refunds that reached the account after it closed, not yet paid out by support.
  int64_t refunds_owed_fen = 0;
};

void HandleCustomerDetail(WalletContext& context, uint64_t customer_id, Responder respond) {
  std::optional<CustomerRow> row;
  if (Status s = Services(context).store->ReadCustomer(customer_id, &row); !s.ok()) {
    return respond(StoreFailure(s));
  }
  if (!row) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
  auto history = std::make_shared<HistoryPage>();
  Status s = Services(context).store->ListHistory(row->wallet_account_id, HistoryFilter{},
                                                  std::nullopt, kRecentHistory, history.get());
  if (!s.ok()) return respond(StoreFailure(s));

  auto copy = std::make_shared<WalletCopy>();
  engine::Query query;
  query.read = [copy, customer_id](const engine::StateMachine& state) {
    const identity::Customer* customer = state.customers().FindById(customer_id);
    if (customer == nullptr) return;
    copy->found = true;
    copy->cards = customer->cards;
    if (const ledger::Account* wallet = state.ledger().FindAccount(customer->wallet_account_id)) {
      copy->wallet = *wallet;
    }
    const uint64_t owed_id = engine::kClosedRefundAccountBase + customer_id;
    if (const ledger::Account* owed = state.ledger().FindAccount(owed_id)) {
      copy->refunds_owed_fen = owed->credits_posted - owed->debits_posted;
    }
  };
  Services(context).engine->Submit(
      std::move(query),
      [copy, history, row = std::move(*row), respond = std::move(respond)](engine::Reply&& reply) {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        if (!copy->found) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
        api::JsonObjectWriter customer = CustomerSummaryJson(row);
        if (row.resident_id_masked.empty()) {
          customer.Null("resident_id_masked");
        } else {
          customer.String("resident_id_masked", row.resident_id_masked);
        }
        api::JsonArrayWriter cards;
        for (const identity::BoundCard& card : copy->cards) cards.Object(CardJson(card));
        api::JsonArrayWriter recent;
        for (const HistoryEntry& entry : history->entries) {
          recent.Object(HistoryEntryJson(entry, row.wallet_account_id));
        }
        api::JsonObjectWriter body;
        body.Object("customer", std::move(customer)).Array("cards", std::move(cards));
        if (copy->wallet) {
          body.Object("balance", BalanceJson(*copy->wallet));
        } else {
          body.Null("balance");
        }
        body.Amount("refunds_owed", copy->refunds_owed_fen).Array("recent", std::move(recent));
        respond(api::JsonResponse(200, body));
      });
}

// --- POST /api/v1/staff/customers/{id}/tier ---

void HandleGrantTier(WalletContext& context, const Principal& staff, uint64_t customer_id,
                     HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  // Only tier I is granted by staff (in-person verification); the others follow from the
  // customer's own identity verification and cards.
  reader.RequiredEnum("tier", {"I"});
  const std::optional<std::string> note =
      reader.OptionalString("note", 200, api::TextPolicy::kMultiLine);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  engine::GrantTier command{customer_id, identity::WalletTier::kI, staff.id};
  Services(context).engine->Submit(command, [&context, customer_id, staff_id = staff.id,
                                             respond = std::move(respond)](engine::Reply&& reply) {
    if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
    const auto result = static_cast<identity::IdentityResult>(reply.results.at(0));
    if (result != identity::IdentityResult::kOk) {
      return respond(ErrorResponse(IdentityError(result)));
    }
    LogInfo("tier granted", {{"customer_id", std::to_string(customer_id)},
                             {"tier", "I"},
                             {"by_staff_id", std::to_string(staff_id)}});
    // Answer from the read model once it holds the grant.
    RunOnWorker(
        context,
        [&context, customer_id, seq = reply.journal_seq, respond]() {
          WaitForProjection(context, seq, kProjectionWaitNs);
          std::optional<CustomerRow> row;
          Status s = Services(context).store->ReadCustomer(customer_id, &row);
          if (!s.ok()) return respond(StoreFailure(s));
          if (!row) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
          respond(api::JsonResponse(200, CustomerSummaryJson(*row)));
        },
        respond);
  });
}

// --- GET /api/v1/staff/sms-outbox ---

HttpResponse ListOutbox(const identity::OutboxSmsGateway& outbox, const HttpRequest& request) {
  api::ApiResult<api::QueryParams> params = api::ParseQuery(request.target);
  if (!params.ok()) return ErrorResponse(params.error());
  std::optional<std::string> phone;
  if (auto text = params.value().Get("phone"); text && !text->empty()) {
    phone = identity::NormalizePhone(*text);
    if (!phone) return FieldInvalid("phone", "not a mainland mobile number");
  }
  api::ApiResult<int64_t> limit = api::ParseLimit(params.value().GetOr("limit"));
  if (!limit.ok()) return ErrorResponse(limit.error());
  api::JsonArrayWriter messages;
  for (const identity::SmsOutboxEntry& entry :
       outbox.List(phone, static_cast<size_t>(limit.value()))) {
    api::JsonObjectWriter message;
    message.String("phone", entry.phone)
        .String("template_id", entry.template_id)
        .String("text", entry.text)
        .Int("sequence", static_cast<int64_t>(entry.sequence));
    if (entry.sent_unix_ns > 0) {
      message.String("sent_at", Rfc3339(entry.sent_unix_ns));
    } else {
      message.Null("sent_at");
    }
    messages.Object(std::move(message));
  }
  api::JsonObjectWriter body;
  body.Array("messages", std::move(messages));
  return api::JsonResponse(200, body);
}

// --- GET /api/v1/staff/ledger/verification ---

struct LedgerSnapshot {
  std::vector<ledger::Account> accounts;
  uint64_t transfers = 0;
  std::optional<std::string> violation;
};

struct Verification {
  uint64_t journal_seq = 0;
  uint64_t projected_seq = 0;
  uint64_t accounts = 0;
  uint64_t transfers = 0;
  bool invariants_ok = false;
  bool read_models_ok = false;
  std::vector<std::string> problems;
};

// Compares the read models with the engine snapshot taken at `snapshot_seq`. Returns false
// when the read models are at another position (they moved on meanwhile): try again.
bool CompareAtSeq(Store* store, const LedgerSnapshot& snapshot, uint64_t snapshot_seq,
                  Verification* out) {
  uint64_t before = 0, after = 0, account_rows = 0, transfer_rows = 0;
  absl::flat_hash_map<uint64_t, ledger::Account> projected;
  Status s = store->ProjectedSeq(&before);
  if (s.ok() && before != snapshot_seq) return false;
  if (s.ok()) {
    s = store->ForEachProjectedAccount(
        [&](const ledger::Account& account) { projected.emplace(account.id, account); });
  }
  if (s.ok()) s = store->CountReadModel(&account_rows, &transfer_rows);
  if (s.ok()) s = store->ProjectedSeq(&after);
  if (!s.ok()) {
    out->problems.push_back("read models unreadable: " + s.ToString());
    return true;
  }
  if (after != snapshot_seq) return false;
  out->projected_seq = after;
  size_t differing = 0;
  for (const ledger::Account& account : snapshot.accounts) {
    auto it = projected.find(account.id);
    if (it == projected.end() || !(it->second == account)) differing++;
  }
  if (differing != 0 || projected.size() != snapshot.accounts.size()) {
    out->problems.push_back("read-model accounts: " + std::to_string(differing) + " differ; " +
                            std::to_string(projected.size()) + " rows vs " +
                            std::to_string(snapshot.accounts.size()) + " in the engine");
  }
  if (transfer_rows != snapshot.transfers) {
    out->problems.push_back("read-model transfers: " + std::to_string(transfer_rows) + " rows vs " +
                            std::to_string(snapshot.transfers) + " in the engine");
  }
  out->read_models_ok = out->problems.empty();
  return true;
}

HttpResponse VerificationResponse(WalletContext& context, const Verification& v) {
  api::JsonArrayWriter problems;
  for (const std::string& problem : v.problems) problems.String(problem);
  api::JsonObjectWriter body;
  body.String("status", v.invariants_ok && v.read_models_ok ? "ok" : "mismatch")
      .String("checked_at", Rfc3339(Services(context).clock->NowNs()))
      .Int("journal_seq", static_cast<int64_t>(v.journal_seq))
      .Int("projected_seq", static_cast<int64_t>(v.projected_seq))
      .Int("accounts", static_cast<int64_t>(v.accounts))
      .Int("transfers", static_cast<int64_t>(v.transfers))
      .Bool("invariants_ok", v.invariants_ok)
      .Bool("read_models_ok", v.read_models_ok)
      .Array("problems", std::move(problems));
  return api::JsonResponse(200, body);
}

// One attempt: snapshot the ledger in the engine (and check its invariants there), then compare
// the read models on a worker once they reach the snapshot's position.
void Verify(WalletContext& context, int attempts_left, Responder respond) {
  auto snapshot = std::make_shared<LedgerSnapshot>();
  engine::Query query;
  // Copies every account: O(accounts) on the engine thread, acceptable for an admin check.
  query.read = [snapshot](const engine::StateMachine& state) {
    snapshot->violation = state.ledger().CheckInvariants();
    snapshot->accounts.reserve(state.ledger().account_count());
    state.ledger().ForEachAccount(
        [&](const ledger::Account& account) { snapshot->accounts.push_back(account); });
    snapshot->transfers = state.ledger().transfer_count();
  };
  Services(context).engine->Submit(
      std::move(query),
      [&context, snapshot, attempts_left, respond = std::move(respond)](engine::Reply&& reply) {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        const uint64_t seq = reply.journal_seq;
        RunOnWorker(
            context,
            [&context, snapshot, seq, attempts_left, respond]() {
              Verification v;
              v.journal_seq = seq;
              v.accounts = snapshot->accounts.size();
              v.transfers = snapshot->transfers;
              v.invariants_ok = !snapshot->violation;
              if (snapshot->violation) v.problems.push_back("ledger: " + *snapshot->violation);
              WaitForProjection(context, seq, kProjectionWaitNs);
              if (CompareAtSeq(Services(context).store, *snapshot, seq, &v)) {
                return respond(VerificationResponse(context, v));
              }
              if (attempts_left > 1) return Verify(context, attempts_left - 1, respond);
              v.projected_seq = Services(context).engine->stats().projected_seq;
              v.problems.push_back(
                  "the read models kept moving; they could not be compared at one position");
              respond(VerificationResponse(context, v));
            },
            respond);
      });
}

}  // namespace

void AddConsoleRoutes(Router& router, WalletContext& context) {
  AddStaffRoute(router, context, "POST", "/api/v1/staff/staff",
                [&context](const Principal& admin, HttpRequest&& request, Responder respond) {
                  HandleCreateStaff(context, admin, std::move(request), std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/staff",
                [&context](const Principal&, HttpRequest&&, Responder respond) {
                  HandleListStaff(context, std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/customers",
                [&context](const Principal&, HttpRequest&& request, Responder respond) {
                  api::ApiResult<SearchQuery> search = ParseSearch(request);
                  if (!search.ok()) return respond(ErrorResponse(search.error()));
                  RunOnWorker(
                      context,
                      [&context, search = std::move(search).value(), respond]() {
                        respond(SearchCustomers(context, search));
                      },
                      respond);
                });
  AddStaffRoute(
      router, context, "GET", "/api/v1/staff/customers/{id}",
      [&context](const Principal&, HttpRequest&& request, Responder respond) {
        std::optional<uint64_t> id = ParseId(request.PathParam("id"));
        if (!id) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
        RunOnWorker(
            context,
            [&context, id = *id, respond]() { HandleCustomerDetail(context, id, respond); },
            respond);
      });
  AddStaffRoute(router, context, "POST", "/api/v1/staff/customers/{id}/tier",
                [&context](const Principal& staff, HttpRequest&& request, Responder respond) {
                  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
                  if (!id) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
                  HandleGrantTier(context, staff, *id, std::move(request), std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/sms-outbox",
                [&context](const Principal&, HttpRequest&& request, Responder respond) {
                  const identity::OutboxSmsGateway* outbox = Services(context).options.sms_outbox;
                  if (outbox == nullptr) {
                    return respond(ErrorResponse(ErrorCode::kNotFound,
                                                 "this server sends SMS through a provider"));
                  }
                  respond(ListOutbox(*outbox, request));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/ledger/verification",
                [&context](const Principal&, HttpRequest&&, Responder respond) {
                  Verify(context, kVerificationAttempts, std::move(respond));
                });
}

}  // namespace qb::wallet
