// Redeem codes (兑换码) over HTTP: marketing ops create batches of codes for a coupon template
// and download them; a customer types one in for a coupon.
//
//   POST /api/v1/staff/coupon-templates/{id}/code-batches  {"count": n}: a new batch (201)
//   GET  /api/v1/staff/coupon-templates/{id}/code-batches  the template's batches, newest first
//   GET  /api/v1/staff/code-batches/{id}/codes.csv         every code of a batch (audited)
//   POST /api/v1/me/coupon-codes                           {"code": "..."}: redeem one (201)
//
// A code is its batch, its index and a MAC over both (marketing/coupon_codes.h). The MAC is the
// first 36 bits of the vault's keyed look-up hash of "coupon-code:<batch>:<index>": computed
// here, on a worker thread for a whole batch, so a million codes never pass through the engine
// and the journal holds neither key nor code. A code whose MAC does not match is answered as
// one that does not exist (COUPON_CODE_INVALID), and every redeem attempt is rate limited per
// address and per customer, so guessing is hopeless.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "engine/state_machine.h"
#include "marketing/coupon_codes.h"
#include "server/log.h"
#include "wallet/auth_rate_limits.h"
#include "wallet/handler_util.h"
#include "wallet/json_fields.h"
#include "wallet/marketing_internal.h"
#include "wallet/money_internal.h"
#include "wallet/staff_access.h"
#include "wallet/step_up.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::MarketingResult;

uint64_t CodeMac(WalletContext& context, uint64_t batch_id, uint32_t index) {
  const std::string hash = Services(context).vault->LookupHash(
      "coupon-code:" + std::to_string(batch_id) + ":" + std::to_string(index));
  uint64_t mac = 0;
  for (size_t i = 0; i < 9 && i < hash.size(); ++i) {  // 9 hex digits: 36 bits
    const char c = hash[i];
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0;
    mac = (mac << 4) | static_cast<uint64_t>(digit);
  }
  return mac & marketing::kCouponCodeMacMask;
}

HttpResponse BatchNotFound() {
  return ErrorResponse(api::ApiError{404, "COUPON_CODE_BATCH_NOT_FOUND", "no such code batch"});
}

std::string DownloadPath(uint64_t batch_id) {
  return "/api/v1/staff/code-batches/" + std::to_string(batch_id) + "/codes.csv";
}

api::JsonObjectWriter BatchJson(const marketing::CodeBatch& b) {
  api::JsonObjectWriter batch;
  batch.String("id", std::to_string(b.id))
      .String("template_id", std::to_string(b.template_id))
      .Int("count", b.count)
      .Int("redeemed", b.redeemed)
      .String("created_at", Rfc3339(b.created_s * kNsPerSecond))
      .String("download", DownloadPath(b.id));
  return batch;
}

// A batch without its bitmap (up to 125 KB): what the answers need.
marketing::CodeBatch Summary(const marketing::CodeBatch& b) {
  marketing::CodeBatch copy = b;
  copy.used.clear();
  return copy;
}

void AnswerBatches(WalletContext& context, uint64_t template_id, const Responder& respond) {
  ReadEngine<std::optional<std::vector<marketing::CodeBatch>>>(
      context, respond,
      [template_id](
          const engine::StateMachine& state) -> std::optional<std::vector<marketing::CodeBatch>> {
        if (state.campaigns().coupons().FindTemplate(template_id) == nullptr) return std::nullopt;
        std::vector<marketing::CodeBatch> batches;
        for (const marketing::CodeBatch* b : state.coupon_codes().OfTemplate(template_id)) {
          batches.push_back(Summary(*b));
        }
        return batches;
      },
      [respond](std::optional<std::vector<marketing::CodeBatch>> batches) {
        if (!batches) return respond(TemplateNotFound());
        api::JsonArrayWriter items;
        for (const marketing::CodeBatch& b : *batches) items.Object(BatchJson(b));
        api::JsonObjectWriter body;
        body.Array("batches", std::move(items));
        respond(api::JsonResponse(200, body));
      });
}

void CreateBatch(WalletContext& context, const Principal& staff, uint64_t template_id,
                 HttpRequest&& request, const Responder& respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<boost::json::object> root = ParseRoot(request.body);
  if (!root.ok()) return respond(ErrorResponse(root.error()));
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  const int64_t count = f.Int("count", true, 1, marketing::kMaxCodesPerBatch).value_or(0);
  f.Finish();
  if (error) return respond(ErrorResponse(*error));
  // A retried request (same Idempotency-Key) answers the first batch instead of making another.
  std::optional<Responder> answer = respond;
  if (!request.Header("Idempotency-Key").empty()) {
    answer = BeginIdempotent(context, request, "staff:" + std::to_string(staff.id), respond);
    if (!answer) return;
  }
  engine::CreateCouponCodes command{staff.id, template_id, static_cast<uint32_t>(count)};
  SubmitCommand(context, command, *answer,
                [&context, respond = *answer](uint8_t result, const engine::Reply& reply) {
                  const auto code = static_cast<MarketingResult>(result);
                  if (code != MarketingResult::kOk) return respond(MarketingFailure(code, reply));
                  const uint64_t batch_id = reply.value;
                  ReadEngine<marketing::CodeBatch>(
                      context, respond,
                      [batch_id](const engine::StateMachine& state) {
                        return Summary(*state.coupon_codes().Find(batch_id));
                      },
                      [respond](marketing::CodeBatch batch) {
                        respond(api::JsonResponse(201, BatchJson(batch)));
                      });
                });
}

// Every code of the batch, one a line after a "code" header: computed on a worker thread, then
// the export is audited (the codes are bearer value) before the file goes out.
void DownloadCodes(WalletContext& context, const Principal& staff, const HttpRequest& request,
                   const Responder& respond) {
  const std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id || *id == 0) return respond(BatchNotFound());
  ReadEngine<std::optional<marketing::CodeBatch>>(
      context, respond,
      [batch_id = *id](const engine::StateMachine& state) -> std::optional<marketing::CodeBatch> {
        const marketing::CodeBatch* b = state.coupon_codes().Find(batch_id);
        return b == nullptr ? std::nullopt : std::optional(Summary(*b));
      },
      [&context, respond, staff_id = staff.id](std::optional<marketing::CodeBatch> batch) {
        if (!batch) return respond(BatchNotFound());
        RunOnWorker(
            context,
            [&context, respond, staff_id, batch = *batch] {
              HttpResponse response;
              response.body.reserve(5 + size_t{batch.count} * 20);
              response.body = "code\n";
              for (uint32_t i = 0; i < batch.count; ++i) {
                response.body +=
                    marketing::FormatCouponCode({batch.id, i, CodeMac(context, batch.id, i)});
                response.body += '\n';
              }
              response.content_type = "text/csv; charset=utf-8";
              response.headers.emplace_back(
                  "Content-Disposition",
                  "attachment; filename=\"coupon-codes-" + std::to_string(batch.id) + ".csv\"");
              response.headers.emplace_back("Cache-Control", "private, no-store");
              engine::RecordAudit record;
              record.event.actor_kind = audit::ActorKind::kStaff;
              record.event.actor_id = staff_id;
              record.event.action = "coupon.codes_exported";
              record.event.target = "coupon_code_batch:" + std::to_string(batch.id);
              record.event.detail = "{\"count\":" + std::to_string(batch.count) + "}";
              Services(context).engine->Submit(
                  std::move(record),
                  [response = std::move(response), respond](engine::Reply&& reply) mutable {
                    if (reply.status != engine::ReplyStatus::kOk) {
                      return respond(EngineFailureResponse(reply));
                    }
                    if (reply.results.empty() ||
                        reply.results[0] != static_cast<uint8_t>(engine::AuditResult::kOk)) {
                      return respond(
                          ErrorResponse(ErrorCode::kInternal, "the export could not be recorded"));
                    }
                    respond(std::move(response));
                  });
            },
            respond);
      });
}

HttpResponse InvalidCode() {
  return ErrorResponse(api::ApiError{422, "COUPON_CODE_INVALID", "this code is not valid"});
}

void Redeem(WalletContext& context, const Principal& customer, HttpRequest&& request,
            const Responder& respond) {
  if (!AdmitAuthAttempt(context, AuthAction::kRedeemCode, request, std::to_string(customer.id),
                        respond)) {
    return;
  }
  if (!IsJson(request, respond)) return;
  api::ApiResult<boost::json::object> root = ParseRoot(request.body);
  if (!root.ok()) return respond(ErrorResponse(root.error()));
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  const std::string text = f.String("code", true, 64).value_or("");
  f.Finish();
  if (error) return respond(ErrorResponse(*error));
  const std::optional<marketing::CouponCode> code = marketing::ParseCouponCode(text);
  if (!code || code->mac != CodeMac(context, code->batch_id, code->index)) {
    return respond(InvalidCode());
  }
  // With an Idempotency-Key (the app sends one per tap), a retry after a lost answer gets the
  // coupon instead of COUPON_CODE_USED. In memory, as for claims.
  std::optional<Responder> answer = respond;
  if (!request.Header("Idempotency-Key").empty()) {
    answer = BeginIdempotent(context, request, std::to_string(customer.id), respond);
    if (!answer) return;
  }
  engine::RedeemCouponCode command{customer.id, code->batch_id, code->index,
                                   DeviceHash(context, DeviceIdOf(request))};
  SubmitCommand(context, std::move(command), *answer,
                [&context, respond = *answer](uint8_t result, const engine::Reply& reply) {
                  const auto code = static_cast<MarketingResult>(result);
                  if (code == MarketingResult::kRefused && reply.text == "COUPON_CODE_INVALID") {
                    return respond(InvalidCode());
                  }
                  if (code == MarketingResult::kRefused && reply.text == "COUPON_CODE_USED") {
                    return respond(ErrorResponse(api::ApiError{
                        409, "COUPON_CODE_USED", "this code has been redeemed already"}));
                  }
                  if (code != MarketingResult::kOk) return respond(MarketingFailure(code, reply));
                  AnswerCoupon(context, reply.value, respond);
                });
}

}  // namespace

void AddCouponCodeRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  auto with_template = [shared](auto handler) {
    return [shared, handler](const Principal& staff, HttpRequest&& request, Responder respond) {
      const std::optional<uint64_t> id = ParseId(request.PathParam("id"));
      if (!id || *id == 0) return respond(TemplateNotFound());
      handler(*shared, staff, *id, std::move(request), respond);
    };
  };
  AddStaffRoute(router, context, "POST", "/api/v1/staff/coupon-templates/{id}/code-batches",
                with_template(CreateBatch));
  AddStaffRoute(router, context, "GET", "/api/v1/staff/coupon-templates/{id}/code-batches",
                with_template([](WalletContext& c, const Principal&, uint64_t id, HttpRequest&&,
                                 const Responder& respond) { AnswerBatches(c, id, respond); }));
  AddStaffRoute(router, context, "GET", "/api/v1/staff/code-batches/{id}/codes.csv",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  DownloadCodes(*shared, staff, request, respond);
                });
  router.Add("POST", "/api/v1/me/coupon-codes", [shared](HttpRequest&& request, Responder respond) {
    std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
    if (principal) Redeem(*shared, *principal, std::move(request), respond);
  });
}

}  // namespace qb::wallet
