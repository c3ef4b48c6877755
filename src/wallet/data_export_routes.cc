// GET /api/v1/me/data-export: the caller's personal data as one JSON download (PIPL art. 45,
// the right to a copy): profile (as GET /me shows it: name and resident ID masked), bound cards
// (first 6 / last 4 only), balance, wallet history (payments, transfers, top-ups, refunds),
// signed-in sessions and the audit log's entries about the customer (security events).
//
// The export is itself recorded in the audit chain ("pii.export", actor and target the
// customer) before the data is read; an export the log could not record is not made. Secrets
// never leave: no password, PIN or TOTP secret hashes, no sealed blobs, no full ID or PAN.
// History and audit entries are capped (kMaxHistoryEntries, kMaxAuditEntries) and the answer
// says when a cap cut them ("truncated").
#include <string>
#include <utility>

#include "api/json_writer.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/sessions.h"
#include "wallet/step_up.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

constexpr size_t kHistoryPageEntries = 100;
constexpr size_t kMaxHistoryEntries = 10'000;
constexpr size_t kAuditPageEntries = 100;
constexpr size_t kMaxAuditEntries = 2'000;

// The wallet's history, newest first, at most kMaxHistoryEntries; `truncated` when there were
// more.
Status HistoryJson(WalletContext& context, uint64_t account_id, api::JsonArrayWriter* out,
                   bool* truncated) {
  std::optional<int64_t> before_ns;
  size_t written = 0;
  *truncated = false;
  while (written < kMaxHistoryEntries) {
    HistoryPage page;
    Status s = Services(context).store->ListHistory(account_id, HistoryFilter{}, before_ns,
                                                    kHistoryPageEntries, &page);
    if (!s.ok()) return s;
    for (const HistoryEntry& entry : page.entries) {
      out->Object(HistoryEntryJson(entry, account_id));
      written++;
    }
    if (!page.next_cursor) return Status::Ok();
    before_ns = page.next_cursor;
  }
  *truncated = true;
  return Status::Ok();
}

// The audit entries whose target is the customer, newest first, without the staff member's id
// (the customer learns what was done and why; auditors see who).
Status AuditJson(WalletContext& context, uint64_t customer_id, api::JsonArrayWriter* out,
                 bool* truncated) {
  AuditFilter filter;
  filter.target = "customer:" + std::to_string(customer_id);
  std::optional<uint64_t> before_seq;
  size_t written = 0;
  *truncated = false;
  while (written < kMaxAuditEntries) {
    AuditPage page;
    Status s =
        Services(context).store->ListAuditEntries(filter, before_seq, kAuditPageEntries, &page);
    if (!s.ok()) return s;
    for (const audit::AuditEntry& entry : page.entries) {
      api::JsonObjectWriter json;
      json.String("time", Rfc3339(entry.event.time_ns))
          .String("action", entry.event.action)
          .String("by", audit::ActorKindName(entry.event.actor_kind))
          .String("detail", entry.event.detail);
      out->Object(std::move(json));
      written++;
    }
    if (!page.next_cursor) return Status::Ok();
    before_seq = page.next_cursor;
  }
  *truncated = true;
  return Status::Ok();
}

api::JsonArrayWriter SessionsJson(WalletContext& context, uint64_t customer_id) {
  api::JsonArrayWriter list;
  for (const auto& [hash, session] :
       Sessions(context).ListOf(Principal::Kind::kCustomer, customer_id)) {
    api::JsonObjectWriter item;
    item.String("id", SessionId(hash))
        .String("created_at", Rfc3339(session.created_ns))
        .String("last_active_at", Rfc3339(session.last_seen_ns))
        .String("device", session.origin.device)
        .String("ip", session.origin.ip);
    list.Object(std::move(item));
  }
  return list;
}

// On a worker: records the export, then reads and answers everything.
// `ip_tag`: AuditIpTag of the customer's address, "" when unknown.
void Export(WalletContext& context, const CustomerSnapshot& snapshot, std::string_view ip_tag,
            const Responder& respond) {
  const uint64_t customer_id = snapshot.customer.id;
  engine::RecordAudit record;
  record.event.actor_kind = audit::ActorKind::kCustomer;
  record.event.actor_id = customer_id;
  record.event.action = "pii.export";
  record.event.target = "customer:" + std::to_string(customer_id);
  if (!ip_tag.empty()) {
    api::JsonObjectWriter detail;  // As pii.reveal and aml.export write it.
    detail.String("ip", ip_tag);
    record.event.detail = detail.Serialize();
  }
  engine::Reply recorded = Services(context).engine->Execute(std::move(record));
  if (recorded.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(recorded));
  if (recorded.results.empty() ||
      recorded.results[0] != static_cast<uint8_t>(engine::AuditResult::kOk)) {
    return respond(ErrorResponse(ErrorCode::kInternal, "the export could not be recorded"));
  }
  // The audit rows are read from the read model: wait for it to hold this export's entry.
  WaitForProjection(context, recorded.journal_seq, int64_t{5} * 1'000'000'000);

  const int64_t now_ns = Services(context).clock->NowNs();
  api::JsonArrayWriter cards;
  for (const identity::BoundCard& card : snapshot.customer.cards) cards.Object(CardJson(card));
  api::JsonArrayWriter history;
  api::JsonArrayWriter security;
  bool history_truncated = false;
  bool security_truncated = false;
  Status s =
      HistoryJson(context, snapshot.customer.wallet_account_id, &history, &history_truncated);
  if (s.ok()) s = AuditJson(context, customer_id, &security, &security_truncated);
  if (!s.ok()) {
    LogError("data export read failed", {{"error", s.ToString()}});
    return respond(
        ErrorResponse(ErrorCode::kStoreUnavailable, "the read models cannot be read now"));
  }
  api::JsonObjectWriter body;
  body.String("exported_at", Rfc3339(now_ns))
      .String("format", "qianbao-personal-data/1")
      .Object("profile", CustomerJson(snapshot.customer, snapshot.policy, now_ns))
      .Array("cards", std::move(cards))
      .Object("balance", BalanceJson(snapshot.wallet))
      .Array("history", std::move(history))
      .Bool("history_truncated", history_truncated)
      .Array("sessions", SessionsJson(context, customer_id))
      .Array("security_events", std::move(security))
      .Bool("security_events_truncated", security_truncated);
  HttpResponse response = api::JsonResponse(200, body);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"qianbao-data-" +
                                                           std::to_string(customer_id) + ".json\"");
  respond(std::move(response));
}

}  // namespace

void AddDataExportRoutes(Router& router, WalletContext& context) {
  router.Add("GET", "/api/v1/me/data-export", [&context](HttpRequest&& request, Responder respond) {
    std::optional<Principal> me = RequireCustomer(context, request, respond);
    if (!me) return;
    std::string ip_tag = AuditIpTag(context, request.remote_address);
    ReadCustomer(context, me->id, respond,
                 [&context, ip_tag = std::move(ip_tag), respond](CustomerSnapshot snapshot) {
                   RunOnWorker(
                       context,
                       [&context, snapshot = std::move(snapshot), ip_tag, respond]() {
                         Export(context, snapshot, ip_tag, respond);
                       },
                       respond);
                 });
  });
}

}  // namespace qb::wallet
