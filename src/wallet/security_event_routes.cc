// GET /api/v1/me/security-events: the caller's recent security events, newest first, from the
// audit log's read model (rows whose target is "customer:<id>").
//
// Only what a bank tells a customer about their own account is shown: log-ins and failed ones
// (and the lock), two-step log-in on/off/locked and recovery-code use, payment PIN set, changed,
// reset or locked, biometric device keys bound, removed, failed or locked, bank staff viewing their
// resident ID or a card number (with the reason staff gave, not who: the staff id stays in the log
// for auditors), their data exported and the account closed. Other entries about the customer (a
// tier grant) are skipped. The log does not record the device or IP of these events (the engine's
// commands do not carry them), so each event answers "device" and "ip" as null; the signed-in
// devices list shows those.
//
// Query: cursor (from next_cursor) and limit (1-100, default 20). Answers {events: [{id, time,
// type, by, description, field?, reason?, locked?, device, ip}], next_cursor}.
#include <boost/json.hpp>
#include <string>
#include <utility>

#include "api/cursor.h"
#include "api/query.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

// Rows read per store page while filtering, and pages read per request at most: a customer's
// rows are nearly all shown, so this bounds the work without short pages in practice.
constexpr size_t kPagesPerRequest = 4;

struct EventKind {
  std::string_view action;
  std::string_view type;
  std::string_view description;  // English; the app words it in the customer's language by type.
};

constexpr EventKind kShown[] = {
    {"customer.login", "login", "Signed in"},
    {"customer.login_failed", "login_failed", "Wrong password at sign-in"},
    {"customer.sign_out", "signed_out", "Signed out"},
    {"customer.totp_enable", "totp_enabled", "Two-step sign-in turned on"},
    {"customer.totp_disable", "totp_disabled", "Two-step sign-in turned off"},
    {"customer.totp_locked", "totp_locked", "Two-step sign-in locked after wrong codes"},
    {"customer.recovery_code_use", "recovery_code_used", "A recovery code was used"},
    {"customer.pin_set", "pin_set", "Payment PIN set"},
    {"customer.pin_change", "pin_changed", "Payment PIN changed"},
    {"customer.pin_reset", "pin_reset", "Payment PIN reset with an SMS code and your ID"},
    {"customer.pin_locked", "pin_locked", "Payments locked after wrong PINs"},
    {"customer.device_key_bind", "device_key_bound", "A phone was set up for biometric sign-in"},
    {"customer.device_key_remove", "device_key_removed", "A phone's biometric sign-in was removed"},
    {"customer.device_key_bad_signature", "device_key_bad_signature",
     "A biometric sign-in from a phone failed"},
    {"customer.device_key_locked", "device_key_locked", "A phone's biometric sign-in was locked"},
    {"pii.reveal", "staff_viewed_data", "Bank staff viewed your full details"},
    {"pii.export", "data_exported", "Your personal data was exported"},
    {"customer.close", "account_closed", "Wallet closed"},
};

const EventKind* FindShown(std::string_view action) {
  for (const EventKind& kind : kShown) {
    if (kind.action == action) return &kind;
  }
  return nullptr;
}

std::string_view ByWhom(audit::ActorKind actor) {
  switch (actor) {
    case audit::ActorKind::kCustomer:
      return "you";
    case audit::ActorKind::kStaff:
      return "bank_staff";
    default:
      return "system";
  }
}

// One event as the customer sees it. The detail is the JSON object the engine or the API
// recorded (ids, names and a reason; never a secret); only the fields named here are passed on.
api::JsonObjectWriter EventJson(const audit::AuditEntry& entry, const EventKind& kind) {
  api::JsonObjectWriter json;
  json.String("id", std::to_string(entry.seq))
      .String("time", Rfc3339(entry.event.time_ns))
      .String("type", kind.type)
      .String("by", ByWhom(entry.event.actor_kind))
      .String("description", kind.description);
  boost::system::error_code error;
  boost::json::value detail = boost::json::parse(entry.event.detail, error);
  if (!error && detail.is_object()) {
    const boost::json::object& object = detail.as_object();
    for (std::string_view name : {"field", "reason"}) {
      if (const boost::json::value* value = object.if_contains(name); value && value->is_string()) {
        json.String(name, std::string_view(value->as_string()));
      }
    }
    if (const boost::json::value* locked = object.if_contains("locked");
        locked && locked->is_bool()) {
      json.Bool("locked", locked->as_bool());
    }
  }
  json.Null("device").Null("ip");
  return json;
}

HttpResponse ListSecurityEvents(WalletContext& context, uint64_t customer_id,
                                std::optional<uint64_t> before_seq, size_t limit) {
  AuditFilter filter;
  filter.target = "customer:" + std::to_string(customer_id);
  api::JsonArrayWriter events;
  size_t shown = 0;
  std::optional<uint64_t> next = before_seq;
  bool more = true;
  for (size_t pages = 0; pages < kPagesPerRequest && shown < limit && more; pages++) {
    AuditPage page;
    Status s = Services(context).store->ListAuditEntries(filter, next, limit - shown, &page);
    if (!s.ok()) {
      LogError("security events query failed", {{"error", s.ToString()}});
      return ErrorResponse(ErrorCode::kStoreUnavailable, "the read models cannot be read now");
    }
    for (const audit::AuditEntry& entry : page.entries) {
      next = entry.seq;
      if (const EventKind* kind = FindShown(entry.event.action)) {
        events.Object(EventJson(entry, *kind));
        shown++;
      }
    }
    more = page.next_cursor.has_value();
  }
  api::JsonObjectWriter body;
  body.Array("events", std::move(events));
  if (more && next) {
    body.String("next_cursor", api::EncodeCursor(static_cast<int64_t>(*next)));
  } else {
    body.Null("next_cursor");
  }
  return api::JsonResponse(200, body);
}

void GetSecurityEvents(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> me = RequireCustomer(context, request, respond);
  if (!me) return;
  api::ApiResult<api::QueryParams> params = api::ParseQuery(request.target);
  if (!params.ok()) return respond(ErrorResponse(params.error()));
  api::ApiResult<int64_t> limit = api::ParseLimit(params.value().GetOr("limit"));
  if (!limit.ok()) return respond(ErrorResponse(limit.error()));
  std::optional<uint64_t> before_seq;
  if (std::string_view cursor = params.value().GetOr("cursor"); !cursor.empty()) {
    api::ApiResult<int64_t> position = api::DecodeCursor(cursor);
    if (!position.ok()) return respond(ErrorResponse(position.error()));
    if (position.value() <= 0) {
      return respond(ErrorResponse(ErrorCode::kFieldInvalid, "cursor: not one this API gave"));
    }
    before_seq = static_cast<uint64_t>(position.value());
  }
  RunOnWorker(
      context,
      [&context, customer_id = me->id, before_seq, limit = static_cast<size_t>(limit.value()),
       respond]() { respond(ListSecurityEvents(context, customer_id, before_seq, limit)); },
      respond);
}

}  // namespace

void AddSecurityEventRoutes(Router& router, WalletContext& context) {
  router.Add("GET", "/api/v1/me/security-events",
             [&context](HttpRequest&& request, Responder respond) {
               GetSecurityEvents(context, std::move(request), std::move(respond));
             });
}

}  // namespace qb::wallet
