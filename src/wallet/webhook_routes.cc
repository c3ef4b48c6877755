// Merchants' webhooks: sending the notices the outbox says are owed, recording every attempt
// back into it, and the portal's view (the secret, the delivery log, the manual re-send).
//
// The projection writes an outbox row for every order paid with a notify_url, in the same
// transaction as the payment (store.h, WebhookDeliveryRow). Two paths send it: at once, when the
// payment's reply goes out (NotifyOrderPaid), and the sweep (SweepWebhookOutbox), which queues
// whatever the dispatcher does not have: after a restart (resuming at the recorded attempt), a
// full queue or a read model that lagged. The dispatcher refuses an event id it already has, so
// the two never send one notice twice at once.
#include <map>
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

constexpr std::string_view kEventPrefix = "evt_";
constexpr size_t kDeliveriesShown = 100;

class OutboxDeliveryLog final : public webhook::DeliveryLog {
 public:
  explicit OutboxDeliveryLog(Store* store) : store_(store) {}

  void Record(const webhook::DeliveryAttempt& a) override {
    WebhookAttemptRow row{a.event_id,
                          a.attempt,
                          a.started_ns,
                          a.duration_ns,
                          a.http_status,
                          a.error,
                          static_cast<uint8_t>(a.outcome),
                          a.next_attempt_ns};
    if (Status s = store_->RecordWebhookAttempt(row); !s.ok()) {
      LogError("webhook attempt not recorded", {{"event_id", a.event_id}, {"error", s.ToString()}});
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

// Hands an owed notice to the dispatcher, resuming where the outbox says it got to, signed with
// the merchant's `secrets` (both of them inside the overlap after a rotation). `single_attempt`
// for the portal's re-send. False when it could not be queued.
bool Deliver(WalletContext& context, const WebhookDeliveryRow& row, const WebhookSecrets& secrets,
             bool single_attempt) {
  std::optional<std::string> body = NoticeBody(context, row);
  if (!body) {
    LogError("webhook not sent: order or payment unreadable", {{"event_id", row.event_id}});
    return false;
  }
  webhook::WebhookEvent event;
  event.event_id = row.event_id;
  event.merchant_id = row.merchant_id;
  event.url = row.url;
  event.secret = secrets.current;
  event.body = std::move(*body);
  event.previous_secret = secrets.previous;
  event.previous_valid_until_ns = secrets.previous_valid_until_ns;
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

// The same, reading the merchant's secret version from the engine first (blocks).
bool Deliver(WalletContext& context, const WebhookDeliveryRow& row, bool single_attempt) {
  std::optional<WebhookSecrets> secrets = ReadWebhookSecrets(context, row.merchant_id);
  if (!secrets) {
    LogWarn("webhook not queued: secret version unreadable (the sweep retries)",
            {{"event_id", row.event_id}});
    return false;
  }
  return Deliver(context, row, *secrets, single_attempt);
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
          return respond(
              ErrorResponse(ErrorCode::kOverloaded, "the delivery queue is full; retry"));
        }
        HttpResponse response;
        response.status = 202;
        respond(std::move(response));
      },
      respond);
}

// The portal's view of the secrets; never cached by the browser or a proxy.
HttpResponse SecretResponse(const WebhookSecrets& secrets) {
  api::JsonObjectWriter body;
  body.String("secret", secrets.current)
      .Int("version", secrets.version)
      .String("signature_header", "QB-Signature")
      .String("scheme", "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>");
  if (secrets.previous_valid_until_ns == 0) {
    body.Null("previous_valid_until");
  } else {
    body.String("previous_valid_until", Rfc3339(secrets.previous_valid_until_ns));
  }
  HttpResponse response = api::JsonResponse(200, body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

void ShowSecret(WalletContext& context, const MerchantCaller& caller, Responder respond) {
  using Version = std::optional<std::pair<uint32_t, int64_t>>;
  ReadEngine<Version>(
      context, respond,
      [merchant_id = caller.merchant_id](const engine::StateMachine& state) -> Version {
        const payments::Merchant* m = state.payments().FindMerchant(merchant_id);
        if (m == nullptr) return std::nullopt;
        return std::pair(m->webhook_secret_version, m->webhook_rotated_ns);
      },
      [&context, merchant_id = caller.merchant_id, respond](Version version) {
        if (!version) return respond(PaymentError(PaymentResult::kMerchantNotFound));
        respond(
            SecretResponse(WebhookSecretsAt(context, merchant_id, version->first, version->second,
                                            Services(context).clock->NowNs())));
      });
}

// A new secret at once; for kWebhookSecretOverlapNs the webhooks carry the old one's signature
// too, so the merchant can switch its receiver over without losing a notice.
void RotateSecret(WalletContext& context, const MerchantCaller& caller, Responder respond) {
  const uint64_t merchant_id = caller.merchant_id;
  SubmitCommand(context, engine::RotateWebhookSecret{merchant_id, caller.user_id}, respond,
                [&context, merchant_id, by = caller.user_id, respond](uint8_t result,
                                                                      const engine::Reply& reply) {
                  const auto code = static_cast<PaymentResult>(result);
                  if (code != PaymentResult::kOk) return respond(PaymentError(code));
                  const WebhookSecrets secrets =
                      WebhookSecretsAt(context, merchant_id, static_cast<uint32_t>(reply.value),
                                       reply.batch_time_ns, Services(context).clock->NowNs());
                  // Notices already queued (retries included) are signed with the new secrets from
                  // their next attempt on, not with the ones they were queued with.
                  const size_t requeued = Webhooks(context).UpdateSecrets(
                      merchant_id, secrets.current, secrets.previous,
                      secrets.previous_valid_until_ns);
                  LogInfo("webhook secret rotated", {{"merchant_id", std::to_string(merchant_id)},
                                                     {"version", std::to_string(secrets.version)},
                                                     {"by_user_id", std::to_string(by)},
                                                     {"queued_notices", std::to_string(requeued)}});
                  respond(SecretResponse(secrets));
                });
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
  if (Status s = services.store->ListPendingWebhookDeliveries(services.options.webhooks.max_pending,
                                                              &rows);
      !s.ok()) {
    LogError("webhook sweep: outbox unreadable", {{"error", s.ToString()}});
    return;
  }
  const int64_t now_ns = services.clock->NowNs();
  size_t queued = 0, abandoned = 0;
  // One engine read per merchant, not per notice. A rotation during the sweep re-signs what it
  // queued (RotateSecret updates the dispatcher after the engine).
  std::map<uint64_t, WebhookSecrets> secrets_of;
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
    auto secrets = secrets_of.find(row.merchant_id);
    if (secrets == secrets_of.end()) {
      std::optional<WebhookSecrets> read = ReadWebhookSecrets(context, row.merchant_id);
      if (!read) break;  // The engine refused: the next sweep goes on.
      secrets = secrets_of.emplace(row.merchant_id, std::move(*read)).first;
    }
    // Queue full: the next sweep goes on.
    if (!Deliver(context, row, secrets->second, false)) break;
    queued++;
  }
  if (queued + abandoned > 0) {
    LogInfo("webhook sweep",
            {{"queued", std::to_string(queued)}, {"abandoned", std::to_string(abandoned)}});
  }
}

void AddWebhookRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  router.Add("GET", "/api/v1/merchant/webhook-secret",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, true, false);
               if (caller) ShowSecret(*shared, *caller, std::move(respond));
             });
  router.Add("POST", "/api/v1/merchant/webhook-secret/rotate",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, true, false);
               if (caller) RotateSecret(*shared, *caller, std::move(respond));
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
