// POST /api/v1/staff/customers/{id}/reveal: a staff member opens one sealed value of a customer
// (the resident ID, or one bound card's number) and says why. Everywhere else staff see only the
// masked forms.
//
// Body: {"field": "resident_id" | "card", "card_id": "<id>" (for a card only), "reason": 5-200
// characters}. The order is what makes the reveal accountable: the sealed blob is copied out of
// the engine, opened on a worker (CardVault), then the engine records "pii.reveal" (who, which
// customer, which field, the reason; never the value) and only once that entry is in the chain
// does the answer carry the value. A reveal the log could not record is not made.
#include <memory>
#include <string>
#include <utility>

#include "engine/state_machine.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/staff_access.h"
#include "wallet/step_up.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

constexpr size_t kMinReasonChars = 5;
constexpr size_t kMaxReasonChars = 200;

struct RevealRequest {
  uint64_t customer_id = 0;
  bool card = false;  // false: the resident ID.
  uint64_t card_id = 0;
  std::string reason;
  std::string ip_tag;  // AuditIpTag of the staff member's address, "" when unknown.
};

// What the engine holds: the sealed blob and the context it was sealed under.
struct SealedCopy {
  bool customer_found = false;
  std::string sealed;
  std::string context;
};

// Code points other than spaces: a reason of blanks says nothing.
size_t MeaningfulChars(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c != ' ' && c != '\t' && (byte & 0xC0) != 0x80) count++;
  }
  return count;
}

api::ApiResult<RevealRequest> ParseReveal(uint64_t customer_id, const api::JsonObject& body) {
  api::ObjectReader reader(body);
  RevealRequest reveal;
  reveal.customer_id = customer_id;
  reveal.card = reader.RequiredEnum("field", {"resident_id", "card"}) == "card";
  const std::optional<std::string> card_id = reader.OptionalString("card_id", 20);
  reveal.reason = reader.RequiredString("reason", kMaxReasonChars, api::TextPolicy::kSingleLine,
                                        kMinReasonChars);
  if (auto error = reader.Finish()) return *error;
  if (MeaningfulChars(reveal.reason) < kMinReasonChars) {
    return api::MakeError(ErrorCode::kFieldInvalid, "reason: at least 5 characters, not spaces");
  }
  if (reveal.card) {
    if (!card_id) return api::MakeError(ErrorCode::kFieldRequired, "card_id: required for a card");
    std::optional<uint64_t> id = ParseId(*card_id);
    if (!id) return api::MakeError(ErrorCode::kFieldInvalid, "card_id: a card id");
    reveal.card_id = *id;
  } else if (card_id) {
    return api::MakeError(ErrorCode::kFieldInvalid, "card_id: only with field \"card\"");
  }
  return reveal;
}

// {"field","card_id"?,"reason"}: what the audit entry says. The value is never in it.
std::string AuditDetail(const RevealRequest& reveal) {
  api::JsonObjectWriter detail;
  detail.String("field", reveal.card ? "card" : "resident_id");
  if (reveal.card) detail.String("card_id", std::to_string(reveal.card_id));
  detail.String("reason", reveal.reason);
  if (!reveal.ip_tag.empty()) detail.String("ip", reveal.ip_tag);
  return detail.Serialize();
}

// On a worker: opens the blob, records the reveal, then answers with the value.
void OpenAndRecord(WalletContext& context, uint64_t staff_id, const RevealRequest& reveal,
                   const SealedCopy& copy, Responder respond) {
  std::optional<std::string> value = Services(context).vault->Decrypt(copy.sealed, copy.context);
  if (!value) {
    LogError("sealed customer data unreadable",
             {{"customer_id", std::to_string(reveal.customer_id)}});
    return respond(ErrorResponse(ErrorCode::kInternal, "the sealed value cannot be opened"));
  }
  engine::RecordAudit record;
  record.event.actor_kind = audit::ActorKind::kStaff;
  record.event.actor_id = staff_id;
  record.event.action = "pii.reveal";
  record.event.target = "customer:" + std::to_string(reveal.customer_id);
  record.event.detail = AuditDetail(reveal);
  Services(context).engine->Submit(
      std::move(record), [reveal, value = std::move(*value),
                          respond = std::move(respond)](engine::Reply&& reply) mutable {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        if (reply.results.empty() ||
            reply.results[0] != static_cast<uint8_t>(engine::AuditResult::kOk)) {
          return respond(ErrorResponse(ErrorCode::kInternal, "the reveal could not be recorded"));
        }
        api::JsonObjectWriter body;
        body.String("customer_id", std::to_string(reveal.customer_id))
            .String("field", reveal.card ? "card" : "resident_id");
        if (reveal.card) body.String("card_id", std::to_string(reveal.card_id));
        body.String("value", value).String("audit_seq", std::to_string(reply.value));
        respond(api::JsonResponse(200, body));
      });
}

void HandleReveal(WalletContext& context, const Principal& staff, uint64_t customer_id,
                  HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ApiResult<RevealRequest> parsed = ParseReveal(customer_id, *body);
  if (!parsed.ok()) return respond(ErrorResponse(parsed.error()));
  RevealRequest reveal = std::move(parsed).value();
  reveal.ip_tag = AuditIpTag(context, request.remote_address);
  auto copy = std::make_shared<SealedCopy>();
  engine::Query query;
  query.read = [copy, reveal](const engine::StateMachine& state) {
    const identity::Customer* customer = state.customers().FindById(reveal.customer_id);
    if (customer == nullptr) return;
    copy->customer_found = true;
    const std::string id = std::to_string(reveal.customer_id);
    if (!reveal.card && customer->identity) {
      copy->sealed = customer->identity->id_sealed;
      copy->context = "resident_id:" + id;
    } else if (reveal.card) {
      if (const identity::BoundCard* card = customer->FindCard(reveal.card_id)) {
        copy->sealed = card->pan_sealed;
        copy->context = "card:" + id;
      }
    }
  };
  Services(context).engine->Submit(
      std::move(query), [&context, staff_id = staff.id, reveal = std::move(reveal), copy,
                         respond = std::move(respond)](engine::Reply&& reply) {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        if (!copy->customer_found) {
          return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
        }
        if (copy->sealed.empty()) {
          return respond(ErrorResponse(ErrorCode::kNotFound,
                                       reveal.card ? "no such card" : "no verified identity"));
        }
        RunOnWorker(
            context,
            [&context, staff_id, reveal, copy, respond]() {
              OpenAndRecord(context, staff_id, reveal, *copy, respond);
            },
            respond);
      });
}

}  // namespace

void AddPiiRoutes(Router& router, WalletContext& context) {
  AddStaffRoute(router, context, "POST", "/api/v1/staff/customers/{id}/reveal",
                [&context](const Principal& staff, HttpRequest&& request, Responder respond) {
                  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
                  if (!id) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
                  HandleReveal(context, staff, *id, std::move(request), std::move(respond));
                });
}

}  // namespace qb::wallet
