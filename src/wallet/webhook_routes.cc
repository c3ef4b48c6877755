// Merchants' webhooks: sending the notices the outbox says are owed, recording every attempt
// back into it, and the portal's view (the secret, the delivery log, the manual re-send).
//
// The projection writes an outbox row for every order paid with a notify_url, in the same
// transaction as the payment (store.h, WebhookDeliveryRow). Two paths send it: at once, when the
// payment's reply goes out (NotifyOrderPaid), and the sweep (SweepWebhookOutbox), which queues
// whatever the dispatcher does not have: after a restart (resuming at the recorded attempt), a
// full queue or a read model that lagged. The dispatcher refuses an event id it already has, so
// the two never send one notice twice at once.
#include <memory>
#include <utility>

#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/payment_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

constexpr std::string_view kEventPrefix = "evt_";
constexpr size_t kDeliveriesShown = 100;

class OutboxDeliveryLog final : public webhook::DeliveryLog {
 public:
  explicit OutboxDeliveryLog(Store* store) : store_(store) {}

  void Record(const webhook::DeliveryAttempt& a) override {
    WebhookAttemptRow row{a.event_id,    a.attempt, a.started_ns,
                          a.duration_ns, a.http_status, a.error,
                          static_cast<uint8_t>(a.outcome), a.next_attempt_ns};
    if (Status s = store_->RecordWebhookAttempt(row); !s.ok()) {
      LogError("webhook attempt not recorded",
               {{"event_id", a.event_id}, {"error", s.ToString()}});
    }
  }

 private:
  Store* const store_;
};

// The "order.paid" body, fixed at the first attempt: every retry sends the same bytes.
std::optional<std::string> NoticeBody(WalletContext& context, const WebhookDeliveryRow& row) {
  if (!row.body.empty()) return row.body;
  Store& store = *Services(context).store;
  std::optional<OrderRow> order;
  std::optional<PaymentRow> payment;
  if (!store.ReadOrder(row.order_id, &order).ok() || !order ||
      !store.ReadPayment(row.payment_id, &payment).ok() || !payment) {
    return std::nullopt;
  }
  api::JsonObjectWriter data;
  data.Object("order", OrderJson(*order, Services(context).clock->NowNs()))
      .Object("payment", PaymentJson(*payment, PaymentAudience::kMerchant));
  api::JsonObjectWriter json;
  json.String("id", row.event_id)
      .String("type", "order.paid")
      .String("created_at", Rfc3339(row.created_ns))
      .Object("data", std::move(data));
  std::string body = json.Serialize();
  if (!store.FixWebhookBody(row.event_id, &body).ok()) return std::nullopt;
  return body;
}

// Hands an owed notice to the dispatcher, resuming where the outbox says it got to.
// `single_attempt` for the portal's re-send. False when it could not be queued.
bool Deliver(WalletContext& context, const WebhookDeliveryRow& row, bool single_attempt) {
  std::optional<std::string> body = NoticeBody(context, row);
  if (!body) {
    LogError("webhook not sent: order or payment unreadable", {{"event_id", row.event_id}});
    return false;
  }
  webhook::WebhookEvent event{row.event_id, row.merchant_id, row.url,
                              WebhookSecret(context, row.merchant_id), std::move(*body)};
  event.attempts_made = row.attempts;
  event.next_attempt_ns = single_attempt ? 0 : row.next_attempt_ns;
  event.single_attempt = single_attempt;
  Status s = Webhooks(context).Enqueue(std::move(event));
  if (!s.ok() && !Webhooks(context).Find(row.event_id)) {
    LogWarn("webhook not queued (the sweep retries)",
            {{"event_id", row.event_id}, {"error", s.ToString()}});
    return false;
  }
  return true;
}

void ListWebhooks(WalletContext& context, const MerchantCaller& caller, Responder respond) {
  RunOnWorker(
      context,
      [&context, merchant_id = caller.merchant_id, respond]() {
        Store& store = *Services(context).store;
        std::vector<WebhookDeliveryRow> rows;
        if (!store.ListWebhookDeliveries(merchant_id, kDeliveriesShown, &rows).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read webhooks"));
        }
        api::JsonArrayWriter deliveries;
        for (const WebhookDeliveryRow& d : rows) {
          std::vector<WebhookAttemptRow> log;
          if (!store.ListWebhookAttempts(d.event_id, &log).ok()) {
            return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read webhooks"));
          }
          api::JsonArrayWriter attempts;
          for (const WebhookAttemptRow& a : log) {
            api::JsonObjectWriter attempt;
            attempt.Int("attempt", a.attempt)
                .String("started_at", Rfc3339(a.started_ns))
                .Int("duration_ms", a.duration_ns / 1'000'000)
                .Int("http_status", a.http_status)
                .String("error", a.error)
                .String("outcome", webhook::DeliveryOutcomeName(
                                       static_cast<webhook::DeliveryOutcome>(a.outcome)));
            attempts.Object(std::move(attempt));
          }
          const auto state = static_cast<webhook::DeliveryState>(d.state);
          api::JsonObjectWriter json;
          json.String("event_id", d.event_id)
              .String("order_id", std::to_string(d.order_id))
              .String("url", d.url)
              .String("state", webhook::DeliveryStateName(state))
              .Int("attempts", d.attempts)
              .Int("last_http_status", d.last_http_status)
              .String("last_error", d.last_error)
              .String("created_at", Rfc3339(d.created_ns));
          if (state != webhook::DeliveryState::kPending || d.next_attempt_ns == 0) {
            json.Null("next_attempt_at");
          } else {
            json.String("next_attempt_at", Rfc3339(d.next_attempt_ns));
          }
          json.Array("log", std::move(attempts));
          deliveries.Object(std::move(json));
        }
        api::JsonObjectWriter body;
        body.Array("deliveries", std::move(deliveries));
        respond(api::JsonResponse(200, body));
      },
      respond);
}

void Resend(WalletContext& context, const MerchantCaller& caller, std::string event_id,
            Responder respond) {
  RunOnWorker(
      context,
      [&context, merchant_id = caller.merchant_id, event_id = std::move(event_id), respond]() {
        std::optional<WebhookDeliveryRow> row;
        if (!Services(context).store->ReadWebhookDelivery(event_id, &row).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read webhooks"));
        }
        if (!row || row->merchant_id != merchant_id) {
          return respond(ErrorResponse(ErrorCode::kNotFound, "no such webhook delivery"));
        }
        // Remembered by the dispatcher: it re-sends (or brings a pending retry forward).
        // Forgotten (long finished, or before a restart): one attempt from the outbox's row.
        const bool queued = Webhooks(context).Find(event_id)
                                ? Webhooks(context).Resend(event_id).ok()
                                : Deliver(context, *row, true);
        if (!queued) {
          return respond(ErrorResponse(ErrorCode::kOverloaded, "the delivery queue is full; retry"));
        }
        HttpResponse response;
        response.status = 202;
        respond(std::move(response));
      },
      respond);
}

}  // namespace

std::unique_ptr<webhook::DeliveryLog> MakeOutboxDeliveryLog(Store* store) {
  return std::make_unique<OutboxDeliveryLog>(store);
}

void NotifyOrderPaid(WalletContext& context, uint64_t payment_id, uint64_t seq) {
  RunOnWorker(
      context,
      [&context, payment_id, seq]() {
        constexpr int64_t kWaitNs = int64_t{5} * 1'000'000'000;
        if (!WaitForProjection(context, seq, kWaitNs)) return;  // The sweep sends it.
        std::string event_id(kEventPrefix);
        event_id += std::to_string(payment_id);
        std::optional<WebhookDeliveryRow> row;
        if (!Services(context).store->ReadWebhookDelivery(event_id, &row).ok() || !row) return;
        if (row->state != 0 || Webhooks(context).Find(event_id)) return;
        Deliver(context, *row, false);
      },
      [](HttpResponse) {});
}

void SweepWebhookOutbox(WalletContext& context) {
  const WalletServices& services = Services(context);
  std::vector<WebhookDeliveryRow> rows;
  if (Status s = services.store->ListPendingWebhookDeliveries(
          services.options.webhooks.max_pending, &rows);
      !s.ok()) {
    LogError("webhook sweep: outbox unreadable", {{"error", s.ToString()}});
    return;
  }
  const int64_t now_ns = services.clock->NowNs();
  size_t queued = 0, abandoned = 0;
  for (const WebhookDeliveryRow& row : rows) {
    if (Webhooks(context).Find(row.event_id)) continue;
    if (now_ns - row.created_ns > services.options.webhook_max_age_ns) {
      // Owed so long (the server was down for days) that the merchant has surely asked for the
      // order's state; sending now would only surprise. The portal can still re-send it.
      if (services.store->AbandonWebhookDelivery(row.event_id, "not sent in time; re-send by hand")
              .ok()) {
        abandoned++;
      }
      continue;
    }
    if (!Deliver(context, row, false)) break;  // Queue full: the next sweep goes on.
    queued++;
  }
  if (queued + abandoned > 0) {
    LogInfo("webhook sweep",
            {{"queued", std::to_string(queued)}, {"abandoned", std::to_string(abandoned)}});
  }
}

void AddWebhookRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  router.Add(
      "GET", "/api/v1/merchant/webhook-secret", [shared](HttpRequest&& request, Responder respond) {
        std::optional<MerchantCaller> caller =
            RequireMerchant(*shared, request, respond, true, false);
        if (!caller) return;
        api::JsonObjectWriter body;
        body.String("secret", WebhookSecret(*shared, caller->merchant_id))
            .String("signature_header", "QB-Signature")
            .String("scheme", "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>");
        HttpResponse response = api::JsonResponse(200, body);
        response.headers.emplace_back("Cache-Control", "no-store");
        respond(std::move(response));
      });
  router.Add("GET", "/api/v1/merchant/webhooks",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, false, true);
               if (caller) ListWebhooks(*shared, *caller, std::move(respond));
             });
  router.Add("POST", "/api/v1/merchant/webhooks/{event_id}/resend",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, false, true);
               if (caller) {
                 Resend(*shared, *caller, std::string(request.PathParam("event_id")),
                        std::move(respond));
               }
             });
}

}  // namespace qb::wallet
