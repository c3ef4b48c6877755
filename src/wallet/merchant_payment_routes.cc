// What a merchant does with payments: orders (dynamic QR and online checkout), charging a
// customer's payment code, the payment list and detail, and refunds. Every route takes a
// portal session or a signed API request (RequireMerchant); money POSTs need Idempotency-Key.
#include <memory>
#include <utility>

#include "engine/state_machine.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

constexpr std::string_view kCny = "CNY";
constexpr int64_t kMaxPaymentFen = 100'000'000;  // ¥1,000,000: beyond any tier's payment.
constexpr size_t kMaxListLimit = 100;
constexpr size_t kDefaultListLimit = 20;
constexpr int64_t kReadWaitNs = int64_t{2} * kNsPerSecond;

bool IsToken(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool IsHttpUrl(std::string_view url) {
  return (url.starts_with("http://") || url.starts_with("https://")) && url.size() <= 256 &&
         url.find_first_of(" \t\r\n") == std::string_view::npos;
}

// Runs `read` on a worker once the read models hold everything durable so far, so a merchant
// reading right after a write sees it.
void ReadModels(WalletContext& context, const Responder& respond, std::function<void()> read) {
  const uint64_t durable = Services(context).engine->stats().durable_seq;
  RunOnWorker(
      context,
      [&context, durable, read = std::move(read)]() {
        WaitForProjection(context, durable, kReadWaitNs);
        read();
      },
      respond);
}

HttpResponse StoreFailure() {
  return ErrorResponse(ErrorCode::kStoreUnavailable, "the read models cannot be read now");
}

struct ListParams {
  std::optional<uint64_t> cursor;
  size_t limit = kDefaultListLimit;
};

std::optional<ListParams> ReadListParams(const api::QueryParams& query, const Responder& respond) {
  ListParams params;
  if (std::string_view cursor = query.GetOr("cursor"); !cursor.empty()) {
    params.cursor = ParseId(cursor);
    if (!params.cursor) {
      respond(FieldInvalid("cursor", "not a cursor from this list"));
      return std::nullopt;
    }
  }
  if (std::string_view text = query.GetOr("limit"); !text.empty()) {
    std::optional<uint64_t> limit = ParseId(text);
    if (!limit || *limit > kMaxListLimit) {
      respond(FieldInvalid("limit", "1 to 100"));
      return std::nullopt;
    }
    params.limit = static_cast<size_t>(*limit);
  }
  return params;
}

void NextCursor(api::JsonObjectWriter& body, std::optional<uint64_t> next) {
  if (next) {
    body.String("next_cursor", std::to_string(*next));
  } else {
    body.Null("next_cursor");
  }
}

// --- Orders ---

HttpResponse OrderResponse(WalletContext& context, int status, const OrderRow& order) {
  api::JsonObjectWriter body = OrderJson(order, Services(context).clock->NowNs());
  const std::string qr = OrderQrText(context, order);
  body.String("qr_text", qr);
  // The hosted checkout page of the web app: it shows the order and lets the customer pay.
  std::string path = "/pay?qr=";
  path.append(qr);
  body.String("checkout_path", path);
  return api::JsonResponse(status, body);
}

void CreateOrderRoute(WalletContext& context, const MerchantCaller& caller, HttpRequest&& request,
                      Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  OrderRow order;
  order.merchant_id = caller.merchant_id;
  order.merchant_order_no = reader.RequiredString("merchant_order_no", 64);
  order.amount_fen = reader.RequiredAmount("amount", kMaxPaymentFen);
  reader.RequiredEnum("currency", {kCny});
  order.description =
      reader.OptionalString("description", 128, api::TextPolicy::kSingleLine, 0).value_or("");
  order.notify_url = reader.OptionalString("notify_url", 256).value_or("");
  order.return_url = reader.OptionalString("return_url", 256).value_or("");
  const std::optional<int64_t> ttl_s = reader.OptionalInt64("expires_in_seconds", 60, 86'400);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (!IsToken(order.merchant_order_no)) {
    return respond(FieldInvalid("merchant_order_no", "1-64 of [A-Za-z0-9_-]"));
  }
  if (!order.notify_url.empty() && !IsHttpUrl(order.notify_url)) {
    return respond(FieldInvalid("notify_url", "an http(s) URL"));
  }
  if (!order.return_url.empty() && !IsHttpUrl(order.return_url)) {
    return respond(FieldInvalid("return_url", "an http(s) URL"));
  }
  const int64_t now_ns = Services(context).clock->NowNs();
  order.expires_ns =
      now_ns + (ttl_s ? *ttl_s * kNsPerSecond : Services(context).options.default_order_ttl_ns);
  engine::CreateOrder command{order.merchant_id, order.merchant_order_no, order.amount_fen,
                              order.expires_ns,  order.description,       order.notify_url,
                              order.return_url};
  SubmitCommand(context, std::move(command), respond,
                [&context, order, respond](uint8_t result, const engine::Reply& reply) mutable {
                  const auto code = static_cast<PaymentResult>(result);
                  if (code == PaymentResult::kOk) {
                    order.id = reply.value;
                    order.created_ns = reply.batch_time_ns;
                    return respond(OrderResponse(context, 201, order));
                  }
                  if (code != PaymentResult::kDuplicate) return respond(PaymentError(code));
                  // The same order again: answer with the order as it stands.
                  const uint64_t id = reply.value;
                  const uint64_t seq = reply.journal_seq;
                  RunOnWorker(
                      context,
                      [&context, id, seq, respond]() {
                        WaitForProjection(context, seq, kReadWaitNs);
                        std::optional<OrderRow> row;
                        if (!Services(context).store->ReadOrder(id, &row).ok()) {
                          return respond(StoreFailure());
                        }
                        if (!row) return respond(PaymentError(PaymentResult::kOrderNotFound));
                        respond(OrderResponse(context, 200, *row));
                      },
                      respond);
                });
}

// The merchant's order `id`, read after every durable write; answers 404 for another
// merchant's order.
void WithOrder(WalletContext& context, const MerchantCaller& caller, const HttpRequest& request,
               const Responder& respond, std::function<void(OrderRow)> then) {
  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id) return respond(PaymentError(PaymentResult::kOrderNotFound));
  ReadModels(
      context, respond,
      [&context, id = *id, merchant_id = caller.merchant_id, respond, then = std::move(then)]() {
        std::optional<OrderRow> row;
        if (!Services(context).store->ReadOrder(id, &row).ok()) {
          return respond(StoreFailure());
        }
        if (!row || row->merchant_id != merchant_id) {
          return respond(PaymentError(PaymentResult::kOrderNotFound));
        }
        then(std::move(*row));
      });
}

void ListOrdersRoute(WalletContext& context, const MerchantCaller& caller,
                     const HttpRequest& request, Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  std::optional<ListParams> params = ReadListParams(*query, respond);
  if (!params) return;
  ReadModels(context, respond,
             [&context, merchant_id = caller.merchant_id, params = *params, respond]() {
               std::vector<OrderRow> rows;
               std::optional<uint64_t> next;
               if (!Services(context)
                        .store->ListOrders(merchant_id, params.cursor, params.limit, &rows, &next)
                        .ok()) {
                 return respond(StoreFailure());
               }
               const int64_t now_ns = Services(context).clock->NowNs();
               api::JsonArrayWriter list;
               for (const OrderRow& row : rows) list.Object(OrderJson(row, now_ns));
               api::JsonObjectWriter body;
               body.Array("orders", std::move(list));
               NextCursor(body, next);
               respond(api::JsonResponse(200, body));
             });
}

void CloseOrderRoute(WalletContext& context, const MerchantCaller& caller,
                     const HttpRequest& request, Responder respond) {
  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id) return respond(PaymentError(PaymentResult::kOrderNotFound));
  SubmitCommand(
      context, engine::CloseOrder{caller.merchant_id, *id}, respond,
      [&context, id = *id, respond](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<PaymentResult>(result);
        if (code != PaymentResult::kOk) return respond(PaymentError(code));
        const uint64_t seq = reply.journal_seq;
        RunOnWorker(
            context,
            [&context, id, seq, respond]() {
              WaitForProjection(context, seq, kReadWaitNs);
              std::optional<OrderRow> row;
              if (!Services(context).store->ReadOrder(id, &row).ok() || !row) {
                return respond(StoreFailure());
              }
              respond(api::JsonResponse(200, OrderJson(*row, Services(context).clock->NowNs())));
            },
            respond);
      });
}

// --- Payments ---

void ChargeRoute(WalletContext& context, const MerchantCaller& caller, HttpRequest&& request,
                 Responder respond) {
  if (!RequireIdempotencyKey(request, respond)) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string code = reader.RequiredString("code", 32);
  const int64_t amount_fen = reader.RequiredAmount("amount", kMaxPaymentFen);
  reader.RequiredEnum("currency", {kCny});
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<Responder> answer =
      BeginIdempotent(context, request, caller.IdempotencyOwner(), respond);
  if (!answer) return;

  const paytoken::PaymentCodeConfig& config = Services(context).options.payment_code;
  const paytoken::PaymentCodeMatch match =
      Secrets(context).Match(config, code, Services(context).clock->NowNs());
  switch (match.result) {
    case paytoken::PaymentCodeResult::kOk:
      break;
    case paytoken::PaymentCodeResult::kExpired:
      return (*answer)(PaymentError(PaymentResult::kCodeExpired));
    default:
      return (*answer)(PaymentError(PaymentResult::kDeviceNotFound));
  }
  engine::Pay pay;
  pay.payment_id =
      DeriveTransferId(caller.merchant_id, request.Header("Idempotency-Key"), "charge");
  pay.merchant_id = caller.merchant_id;
  pay.amount_fen = amount_fen;
  pay.channel = payments::PaymentChannel::kPaymentCode;
  pay.device_slot = match.device_slot;
  pay.code_step = match.step;
  pay.code_step_seconds = config.step_seconds;
  pay.code_window_steps = config.window_steps;
  SubmitCommand(context, pay, *answer,
                [&context, pay, respond = *answer](uint8_t result, const engine::Reply&) {
                  const auto code = static_cast<PaymentResult>(result);
                  // A retry of a charge that went through (after a restart the idempotency cache is
                  // gone; the engine remembers) answers the same payment, if it is the same
                  // request.
                  if (code != PaymentResult::kOk && code != PaymentResult::kDuplicate) {
                    return respond(PaymentError(code));
                  }
                  AnswerCharged(context, pay, respond);
                });
}

void ListPaymentsRoute(WalletContext& context, const MerchantCaller& caller,
                       const HttpRequest& request, Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  std::optional<ListParams> params = ReadListParams(*query, respond);
  if (!params) return;
  PaymentFilter filter;
  filter.merchant_id = caller.merchant_id;
  ReadModels(context, respond, [&context, filter, params = *params, respond]() {
    PaymentPage page;
    if (!Services(context).store->ListPayments(filter, params.cursor, params.limit, &page).ok()) {
      return respond(StoreFailure());
    }
    api::JsonArrayWriter list;
    for (const PaymentRow& row : page.payments)
      list.Object(PaymentJson(row, PaymentAudience::kMerchant));
    api::JsonObjectWriter body;
    body.Array("payments", std::move(list));
    NextCursor(body, page.next_cursor);
    respond(api::JsonResponse(200, body));
  });
}

void PaymentDetailRoute(WalletContext& context, const MerchantCaller& caller,
                        const HttpRequest& request, Responder respond) {
  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id) return respond(PaymentError(PaymentResult::kPaymentNotFound));
  ReadModels(context, respond, [&context, id = *id, merchant_id = caller.merchant_id, respond]() {
    std::optional<PaymentRow> payment;
    std::vector<RefundRow> refunds;
    if (!Services(context).store->ReadPayment(id, &payment).ok() ||
        !Services(context).store->ListRefunds(id, &refunds).ok()) {
      return respond(StoreFailure());
    }
    if (!payment || payment->merchant_id != merchant_id) {
      return respond(PaymentError(PaymentResult::kPaymentNotFound));
    }
    api::JsonObjectWriter body = PaymentJson(*payment, PaymentAudience::kMerchant);
    api::JsonArrayWriter list;
    for (const RefundRow& refund : refunds) list.Object(RefundJson(refund));
    body.Array("refunds", std::move(list));
    respond(api::JsonResponse(200, body));
  });
}

HttpResponse RefundResponse(uint64_t refund_id, uint64_t payment_id, int64_t amount_fen,
                            int64_t refunded_total_fen, int64_t created_ns) {
  api::JsonObjectWriter body;
  body.String("id", std::to_string(refund_id))
      .String("payment_id", std::to_string(payment_id))
      .Amount("amount", amount_fen)
      .String("currency", "CNY")
      .String("status", "completed")
      .Amount("payment_refunded", refunded_total_fen)
      .String("created_at", Rfc3339(created_ns));
  return api::JsonResponse(201, body);
}

void RefundRoute(WalletContext& context, const MerchantCaller& caller, HttpRequest&& request,
                 Responder respond) {
  std::optional<uint64_t> payment_id = ParseId(request.PathParam("id"));
  if (!payment_id) return respond(PaymentError(PaymentResult::kPaymentNotFound));
  if (!RequireIdempotencyKey(request, respond)) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const int64_t amount_fen = reader.RequiredAmount("amount", kMaxPaymentFen);
  reader.RequiredEnum("currency", {kCny});
  reader.OptionalString("reason", 128, api::TextPolicy::kSingleLine, 0);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<Responder> answer =
      BeginIdempotent(context, request, caller.IdempotencyOwner(), respond);
  if (!answer) return;
  engine::Refund refund{
      DeriveTransferId(caller.merchant_id, request.Header("Idempotency-Key"), "refund"),
      caller.merchant_id, *payment_id, amount_fen};
  SubmitCommand(
      context, refund, *answer,
      [&context, refund, respond = *answer](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<PaymentResult>(result);
        if (code == PaymentResult::kOk) {
          LogInfo("refund", {{"payment_id", std::to_string(refund.payment_id)},
                             {"merchant_id", std::to_string(refund.merchant_id)}});
          IssueCreditInvoiceAfterRefund(context, refund.refund_id, refund.payment_id,
                                        reply.journal_seq);
          return respond(RefundResponse(refund.refund_id, refund.payment_id, refund.amount_fen,
                                        static_cast<int64_t>(reply.value), reply.batch_time_ns));
        }
        if (code != PaymentResult::kDuplicate) return respond(PaymentError(code));
        struct Seen {
          std::optional<ledger::Transfer> transfer;
          int64_t refunded = 0;
        };
        ReadEngine<Seen>(
            context, respond,
            [refund](const engine::StateMachine& state) {
              Seen seen;
              if (const ledger::Transfer* t = state.ledger().FindTransfer(refund.refund_id)) {
                seen.transfer = *t;
              }
              if (const payments::Payment* p = state.payments().FindPayment(refund.payment_id)) {
                seen.refunded = p->refunded_fen;
              }
              return seen;
            },
            [refund, respond](Seen seen) {
              if (!seen.transfer || seen.transfer->code != ledger::transfer_codes::kRefund ||
                  seen.transfer->user_data != refund.payment_id ||
                  seen.transfer->amount != refund.amount_fen) {
                return respond(ErrorResponse(ErrorCode::kIdempotencyKeyReused,
                                             "this Idempotency-Key was used for another request"));
              }
              respond(RefundResponse(refund.refund_id, refund.payment_id, refund.amount_fen,
                                     seen.refunded, seen.transfer->timestamp_ns));
            });
      });
}

using MerchantHandler = void (*)(WalletContext&, const MerchantCaller&, HttpRequest&&, Responder);

}  // namespace

void AddMerchantPaymentRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  auto route = [shared](MerchantHandler handler) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      std::optional<MerchantCaller> caller =
          RequireMerchant(*shared, request, respond, /*owner_only=*/false, /*allow_api_key=*/true);
      if (caller) handler(*shared, *caller, std::move(request), std::move(respond));
    };
  };
  router.Add("POST", "/api/v1/merchant/orders", route(CreateOrderRoute));
  router.Add("GET", "/api/v1/merchant/orders",
             route([](WalletContext& c, const MerchantCaller& m, HttpRequest&& r, Responder a) {
               ListOrdersRoute(c, m, r, std::move(a));
             }));
  router.Add("GET", "/api/v1/merchant/orders/{id}",
             route([](WalletContext& c, const MerchantCaller& m, HttpRequest&& r, Responder a) {
               WithOrder(c, m, r, a, [&c, a](OrderRow order) {
                 a(api::JsonResponse(200, OrderJson(order, Services(c).clock->NowNs())));
               });
             }));
  router.Add("GET", "/api/v1/merchant/orders/{id}/qr",
             route([](WalletContext& c, const MerchantCaller& m, HttpRequest&& r, Responder a) {
               std::optional<api::QueryParams> query = QueryOf(r, a);
               if (!query) return;
               std::string format(query->GetOr("format", "png"));
               if (format != "png" && format != "svg") {
                 return a(FieldInvalid("format", "png or svg"));
               }
               WithOrder(c, m, r, a, [&c, a, format](OrderRow order) {
                 a(QrImageResponse(OrderQrText(c, order), format));
               });
             }));
  router.Add("POST", "/api/v1/merchant/orders/{id}/close",
             route([](WalletContext& c, const MerchantCaller& m, HttpRequest&& r, Responder a) {
               CloseOrderRoute(c, m, r, std::move(a));
             }));
  router.Add("POST", "/api/v1/merchant/charges", route(ChargeRoute));
  router.Add("GET", "/api/v1/merchant/payments",
             route([](WalletContext& c, const MerchantCaller& m, HttpRequest&& r, Responder a) {
               ListPaymentsRoute(c, m, r, std::move(a));
             }));
  router.Add("GET", "/api/v1/merchant/payments/{id}",
             route([](WalletContext& c, const MerchantCaller& m, HttpRequest&& r, Responder a) {
               PaymentDetailRoute(c, m, r, std::move(a));
             }));
  router.Add("POST", "/api/v1/merchant/payments/{id}/refunds", route(RefundRoute));
}

}  // namespace qb::wallet
