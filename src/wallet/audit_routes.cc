// GET /api/v1/staff/audit: the audit log for auditors and admins, newest first, from the read
// model (the engine chains the entries; `qianbao audit verify` checks the rows).
//
// Query: action (a whole action or a prefix ending in '.', e.g. "staff."), actor ("staff:3",
// "customer:12", "merchant_user:5", "system"), target (exact, e.g. "merchant:7"), ip (an IPv4 or
// IPv6 address: the entries naming its network, which they hold only as a keyed hash), before
// (a seq: entries below it) and limit (1-100, default 20). Answers {entries: [{seq, time, actor,
// action, target, detail, hash}], next_before} where detail is the entry's JSON text as recorded.
#include <string>
#include <utility>

#include "api/cursor.h"
#include "api/query.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/staff_access.h"
#include "wallet/step_up.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

HttpResponse StoreFailure(const Status& status) {
  LogError("audit log query failed", {{"error", status.ToString()}});
  return ErrorResponse(ErrorCode::kStoreUnavailable, "the read models cannot be read now");
}

struct AuditQuery {
  AuditFilter filter;
  std::optional<uint64_t> before_seq;
  size_t limit = 20;
};

std::optional<audit::ActorKind> ParseActorKind(std::string_view name) {
  for (audit::ActorKind kind : {audit::ActorKind::kSystem, audit::ActorKind::kStaff,
                                audit::ActorKind::kCustomer, audit::ActorKind::kMerchantUser}) {
    if (audit::ActorKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

bool IsActionText(std::string_view text) {
  if (text.empty() || text.size() > audit::kMaxActionBytes) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  }
  return true;
}

api::ApiResult<AuditQuery> ParseAuditQuery(WalletContext& context, const HttpRequest& request) {
  api::ApiResult<api::QueryParams> params = api::ParseQuery(request.target);
  if (!params.ok()) return params.error();
  const api::QueryParams& p = params.value();
  AuditQuery query;
  if (std::string_view action = p.GetOr("action"); !action.empty()) {
    if (!IsActionText(action)) {
      return api::MakeError(ErrorCode::kFieldInvalid, "action: a-z, 0-9, '_' and '.'");
    }
    query.filter.action_prefix = std::string(action);
  }
  if (std::string_view actor = p.GetOr("actor"); !actor.empty()) {
    const size_t colon = actor.find(':');
    std::optional<audit::ActorKind> kind = ParseActorKind(actor.substr(0, colon));
    std::optional<uint64_t> id;
    if (colon != std::string_view::npos) id = ParseId(actor.substr(colon + 1));
    if (!kind || (colon != std::string_view::npos && !id)) {
      return api::MakeError(ErrorCode::kFieldInvalid,
                            "actor: system, or staff, customer or merchant_user with :id");
    }
    query.filter.actor_kind = kind;
    query.filter.actor_id = id;
  }
  if (std::string_view target = p.GetOr("target"); !target.empty()) {
    if (target.size() > audit::kMaxTargetBytes) {
      return api::MakeError(ErrorCode::kFieldInvalid, "target: at most 128 bytes");
    }
    query.filter.target = std::string(target);
  }
  if (std::string_view ip = p.GetOr("ip"); !ip.empty()) {
    const std::string tag = AuditIpTag(context, ip);
    if (tag.empty()) return api::MakeError(ErrorCode::kFieldInvalid, "ip: an IPv4 or IPv6 address");
    // The field as every writer of it spells it: the engine's log-in entries and the
    // JsonObjectWriter details of the API's entries, both without spaces.
    query.filter.detail_contains = "\"ip\":\"" + tag + "\"";
  }
  if (std::string_view before = p.GetOr("before"); !before.empty()) {
    query.before_seq = ParseId(before);
    if (!query.before_seq) return api::MakeError(ErrorCode::kFieldInvalid, "before: a seq");
  }
  api::ApiResult<int64_t> limit = api::ParseLimit(p.GetOr("limit"));
  if (!limit.ok()) return limit.error();
  query.limit = static_cast<size_t>(limit.value());
  return query;
}

api::JsonObjectWriter AuditEntryJson(const audit::AuditEntry& entry) {
  std::string actor(audit::ActorKindName(entry.event.actor_kind));
  if (entry.event.actor_kind != audit::ActorKind::kSystem || entry.event.actor_id != 0) {
    // Two appends, not "+": GCC 12 at -O3 reports a false -Wrestrict on the concatenation.
    actor.push_back(':');
    actor.append(std::to_string(entry.event.actor_id));
  }
  api::JsonObjectWriter json;
  json.String("seq", std::to_string(entry.seq))
      .String("time", Rfc3339(entry.event.time_ns))
      .String("actor", actor)
      .String("action", entry.event.action)
      .String("target", entry.event.target)
      .String("detail", entry.event.detail)
      .String("hash", DigestHex(entry.hash));
  return json;
}

HttpResponse ListAudit(WalletContext& context, const AuditQuery& query) {
  AuditPage page;
  Status s =
      Services(context).store->ListAuditEntries(query.filter, query.before_seq, query.limit, &page);
  if (!s.ok()) return StoreFailure(s);
  api::JsonArrayWriter entries;
  for (const audit::AuditEntry& entry : page.entries) entries.Object(AuditEntryJson(entry));
  api::JsonObjectWriter body;
  body.Array("entries", std::move(entries));
  if (page.next_cursor) {
    body.String("next_before", std::to_string(*page.next_cursor));
  } else {
    body.Null("next_before");
  }
  return api::JsonResponse(200, body);
}

}  // namespace

void AddAuditRoutes(Router& router, WalletContext& context) {
  AddStaffRoute(router, context, "GET", "/api/v1/staff/audit",
                [&context](const Principal&, HttpRequest&& request, Responder respond) {
                  api::ApiResult<AuditQuery> query = ParseAuditQuery(context, request);
                  if (!query.ok()) return respond(ErrorResponse(query.error()));
                  RunOnWorker(
                      context,
                      [&context, query = std::move(query).value(), respond]() {
                        respond(ListAudit(context, query));
                      },
                      respond);
                });
}

}  // namespace qb::wallet
