// The customer's side of paying merchants: scanning a merchant's QR (static: type the amount;
// dynamic or online checkout: the order's amount), the payment-code device and small-payment
// caps (免密), confirming payments the merchant took by code, and the payment list.
#include <sodium.h>

#include <memory>
#include <set>
#include <utility>

#include "engine/state_machine.h"
#include "merchant/merchant_category.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/step_up.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

constexpr std::string_view kCny = "CNY";
constexpr int64_t kMaxPaymentFen = 100'000'000;
constexpr size_t kMaxQrChars = 512;
constexpr int kSlotAttempts = 4;
constexpr int64_t kReadWaitNs = int64_t{2} * kNsPerSecond;

// A scanned QR, checked: signature, version, expiry.
std::optional<paytoken::QrPayload> ReadQr(WalletContext& context, std::string_view text,
                                          const Responder& respond) {
  paytoken::QrPayload payload;
  const paytoken::QrResult result = paytoken::VerifyQr(text, *Services(context).qr_keys,
                                                       Services(context).clock->NowNs(), &payload);
  if (result == paytoken::QrResult::kOk) return payload;
  if (result == paytoken::QrResult::kExpired) {
    respond(ErrorResponse(ErrorCode::kQrExpired, "the QR code has expired; ask for a new one"));
  } else {
    respond(ErrorResponse(ErrorCode::kQrInvalid, "this is not a valid qianbao payment QR code"));
  }
  return std::nullopt;
}

struct MerchantView {
  bool found = false;
  payments::Merchant merchant;
  std::optional<payments::Order> order;
};

api::JsonObjectWriter MerchantSummary(const payments::Merchant& m) {
  const merchant::MerchantCategory* category =
      merchant::FindMerchantCategoryById(m.profile.category);
  api::JsonObjectWriter json;
  json.String("id", std::to_string(m.id))
      .String("name", m.profile.legal_name)
      .String("category", m.profile.category)
      .String("category_name", category == nullptr ? "" : category->name_zh)
      .String("status", payments::MerchantStatusName(m.status));
  return json;
}

// POST /me/scans: what the customer is about to pay, before they pay it.
void Scan(WalletContext& context, HttpRequest&& request, Responder respond) {
  if (!RequireCustomer(context, request, respond)) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string text = reader.RequiredString("qr", kMaxQrChars);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<paytoken::QrPayload> qr = ReadQr(context, text, respond);
  if (!qr) return;
  const uint64_t order_id =
      qr->kind == paytoken::QrKind::kDynamic ? ParseId(qr->order_id).value_or(0) : 0;
  ReadEngine<MerchantView>(
      context, respond,
      [merchant_id = qr->merchant_id, order_id](const engine::StateMachine& state) {
        MerchantView view;
        if (const payments::Merchant* m = state.payments().FindMerchant(merchant_id)) {
          view.found = true;
          view.merchant = *m;
        }
        if (const payments::Order* o = state.payments().FindOrder(order_id)) view.order = *o;
        return view;
      },
      [&context, qr = *qr, order_id, respond](MerchantView view) {
        if (!view.found) return respond(PaymentError(PaymentResult::kMerchantNotFound));
        if (qr.kind == paytoken::QrKind::kStatic) {
          api::JsonObjectWriter json;
          json.String("kind", "static")
              .Object("merchant", MerchantSummary(view.merchant))
              .Null("amount")
              .Null("order")
              .String("currency", "CNY");
          return respond(api::JsonResponse(200, json));
        }
        if (!view.order || view.order->merchant_id != qr.merchant_id) {
          return respond(PaymentError(PaymentResult::kOrderNotFound));
        }
        // The order's description and the merchant's return URL live in the read models.
        const uint64_t durable = Services(context).engine->stats().durable_seq;
        RunOnWorker(
            context,
            [&context, view, order_id, durable, respond]() {
              WaitForProjection(context, durable, int64_t{2} * kNsPerSecond);
              std::optional<OrderRow> row;
              if (!Services(context).store->ReadOrder(order_id, &row).ok()) {
                return respond(
                    api::ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read the order now"));
              }
              const payments::Order& o = *view.order;
              std::string_view status = payments::OrderStatusName(o.status);
              if (o.status == payments::OrderStatus::kOpen &&
                  Services(context).clock->NowNs() >= o.expires_ns) {
                status = "expired";
              }
              api::JsonObjectWriter order;
              order.String("id", std::to_string(order_id))
                  .String("merchant_order_no", o.merchant_order_no)
                  .String("status", status)
                  .String("expires_at", Rfc3339(o.expires_ns))
                  .String("description", row ? row->description : "")
                  .String("return_url", row ? row->return_url : "");
              api::JsonObjectWriter json;
              json.String("kind", "dynamic")
                  .Object("merchant", MerchantSummary(view.merchant))
                  .Amount("amount", o.amount_fen)
                  .Object("order", std::move(order))
                  .String("currency", "CNY");
              respond(api::JsonResponse(200, json));
            },
            respond);
      });
}

void SubmitPay(WalletContext& context, const HttpRequest& request, engine::Pay pay,
               const Responder& respond);

// A payment with what marketing and points did to it, as the engine holds them.
struct PaymentRewards {
  std::optional<payments::Payment> payment;
  std::optional<engine::PaymentMarketing> marketing;
  std::optional<points::PaymentPoints> points;
};

PaymentRewards ReadPaymentRewards(const engine::StateMachine& state, uint64_t payment_id) {
  PaymentRewards rewards;
  if (const payments::Payment* p = state.payments().FindPayment(payment_id)) rewards.payment = *p;
  if (const engine::PaymentMarketing* m = state.FindPaymentMarketing(payment_id)) {
    rewards.marketing = *m;
  }
  if (const points::PaymentPoints* p = state.points().FindPayment(payment_id)) {
    rewards.points = *p;
  }
  return rewards;
}

// What marketing and points did to a payment: "discount" (campaigns and coupon), "paid" (what
// left the wallet), "cashback", "coupon_id" (null when none was redeemed), "points_used",
// "points_discount" (their worth) and "points_earned".
void AddMarketingFields(const PaymentRewards& rewards, api::JsonObjectWriter* body) {
  const payments::Payment& payment = *rewards.payment;
  const engine::PaymentMarketing m = rewards.marketing.value_or(engine::PaymentMarketing{});
  const points::PaymentPoints p = rewards.points.value_or(points::PaymentPoints{});
  // While a payment awaits confirmation only the chosen coupon is known; nothing moved yet.
  const bool completed = payment.state == payments::PaymentState::kCompleted;
  const int64_t discount = completed ? m.discount_fen : 0;
  body->Amount("discount", discount)
      .Amount("paid", payment.amount_fen - discount - p.discount_fen)
      .Amount("cashback", completed ? m.cashback_fen : 0);
  if (completed && m.coupon_id != 0) {
    body->String("coupon_id", std::to_string(m.coupon_id));
  } else {
    body->Null("coupon_id");
  }
  body->Int("points_used", p.redeemed)
      .Amount("points_discount", p.discount_fen)
      .Int("points_earned", p.earned - p.earned_reversed);
}

// POST /me/payments: pays a scanned QR (or an online order's checkout page).
void PayQr(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  if (!RequireIdempotencyKey(request, respond)) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string text = reader.RequiredString("qr", kMaxQrChars);
  const std::optional<int64_t> amount = reader.OptionalInt64("amount", 1, kMaxPaymentFen);
  reader.RequiredEnum("currency", {kCny});
  const std::optional<std::string> via = reader.OptionalString("via", 16);
  std::optional<std::string> pin = reader.OptionalString("payment_pin", kMaxPaymentPinChars);
  PaymentFactors factors = ReadPaymentFactors(reader);
  // A coupon the customer chose (marketing); one that cannot be used is simply not used.
  const std::optional<std::string> coupon = reader.OptionalString("coupon_id", 20);
  // Points to pay with (the points programme); then no offer applies.
  const std::optional<int64_t> points = reader.OptionalInt64("points", 0, kMaxPointsPerPayment);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (auto problem = FactorProblem(factors)) return respond(std::move(*problem));
  std::optional<uint64_t> coupon_id;
  if (coupon) {
    coupon_id = ParseId(*coupon);
    if (!coupon_id || *coupon_id == 0) return respond(FieldInvalid("coupon_id", "a coupon id"));
  }
  if (factors.device_signature) {
    return respond(FieldInvalid("device_signature",
                                "a device key confirms the held payment (POST "
                                "/api/v1/me/payments/{id}/confirm), not the first request"));
  }
  if (via && *via != "scan" && *via != "checkout") {
    return respond(FieldInvalid("via", "scan or checkout"));
  }
  std::optional<paytoken::QrPayload> qr = ReadQr(context, text, respond);
  if (!qr) return;
  engine::Pay pay;
  pay.customer_id = principal->id;
  pay.merchant_id = qr->merchant_id;
  pay.coupon_id = coupon_id.value_or(0);
  pay.points = points.value_or(0);
  if (qr->kind == paytoken::QrKind::kStatic) {
    if (!amount) return respond(ErrorResponse(ErrorCode::kFieldRequired, "amount: required"));
    if (via == "checkout") return respond(FieldInvalid("via", "checkout needs an order's QR"));
    pay.amount_fen = *amount;
    pay.channel = payments::PaymentChannel::kStaticQr;
  } else {
    if (amount && *amount != qr->amount_fen) {
      return respond(PaymentError(PaymentResult::kAmountMismatch));
    }
    pay.amount_fen = qr->amount_fen;
    pay.order_id = ParseId(qr->order_id).value_or(0);
    if (pay.order_id == 0) return respond(PaymentError(PaymentResult::kOrderNotFound));
    pay.channel = via == "checkout" ? payments::PaymentChannel::kOnline
                                    : payments::PaymentChannel::kDynamicQr;
  }
  // The payment PIN and any second factor first, before the Idempotency-Key is taken: a
  // refused PIN leaves nothing behind, and a retry with the right PIN may use the same key.
  auto held = std::make_shared<HttpRequest>(std::move(request));
  const uint64_t customer_id = principal->id;
  RequirePaymentPin(
      context, customer_id, std::move(pin), respond,
      [&context, held, pay, customer_id, factors = std::move(factors), respond]() mutable {
        AuthenticatePayment(context, customer_id, *held, std::move(factors), "", respond,
                            [&context, held, pay, respond](engine::PaymentAuth auth) mutable {
                              pay.auth = std::move(auth);
                              SubmitPay(context, *held, std::move(pay), respond);
                            });
      });
}

void SubmitPay(WalletContext& context, const HttpRequest& request, engine::Pay pay,
               const Responder& respond) {
  std::optional<Responder> answer =
      BeginIdempotent(context, request, std::to_string(pay.customer_id), respond);
  if (!answer) return;
  pay.payment_id = DeriveTransferId(pay.customer_id, request.Header("Idempotency-Key"), "pay");
  SubmitCommand(
      context, pay, *answer,
      [&context, pay, respond = *answer](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<PaymentResult>(result);
        if (code == PaymentResult::kSecondFactorRejected) {
          return respond(
              ErrorResponse(IdentityError(static_cast<identity::IdentityResult>(reply.value))));
        }
        if (code != PaymentResult::kOk && code != PaymentResult::kDuplicate) {
          return respond(PaymentError(code));
        }
        if (code == PaymentResult::kOk) {
          LogInfo("payment", {{"merchant_id", std::to_string(pay.merchant_id)},
                              {"channel", payments::PaymentChannelName(pay.channel)}});
          if (pay.order_id != 0) {
            NotifyOrderPaid(context, pay.payment_id, reply.journal_seq);
          }
        }
        struct Paid {
          PaymentRewards rewards;
          std::optional<payments::Merchant> merchant;
        };
        ReadEngine<Paid>(
            context, respond,
            [pay](const engine::StateMachine& state) {
              Paid paid;
              paid.rewards = ReadPaymentRewards(state, pay.payment_id);
              if (const payments::Merchant* m = state.payments().FindMerchant(pay.merchant_id)) {
                paid.merchant = *m;
              }
              return paid;
            },
            [pay, respond](Paid paid) {
              const std::optional<payments::Payment>& payment = paid.rewards.payment;
              if (!payment || payment->customer_id != pay.customer_id ||
                  payment->merchant_id != pay.merchant_id ||
                  payment->amount_fen != pay.amount_fen || !paid.merchant) {
                return respond(ErrorResponse(ErrorCode::kIdempotencyKeyReused,
                                             "this Idempotency-Key was used for another request"));
              }
              const payments::Payment& p = *payment;
              // Held until the customer steps up (a replay of this request answers the same).
              if (p.step_up != 0) {
                return respond(ChallengeRequired(
                    static_cast<identity::AuthStrength>(p.step_up), p.id,
                    p.created_ns + int64_t{engine::kStepUpTimeoutS} * kNsPerSecond));
              }
              api::JsonObjectWriter body = PaymentJson(p, PaymentAudience::kCustomer);
              body.Object("merchant", MerchantSummary(*paid.merchant));
              AddMarketingFields(paid.rewards, &body);
              // Held by the risk rules for an analyst (risk_routes.cc): accepted, not done.
              if (p.state == payments::PaymentState::kUnderReview) {
                body.String("message", RiskReviewMessage());
                return respond(api::JsonResponse(202, body));
              }
              respond(api::JsonResponse(201, body));
            });
      });
}

// --- Payment codes ---

std::string Base64Url(std::string_view bytes) {
  std::string text(
      sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(text.find('\0'));
  return text;
}

void RegisterDevice(WalletContext& context, uint64_t customer_id, int attempt, Responder respond) {
  std::string secret(identity::SecretKey::kSize, '\0');
  randombytes_buf(secret.data(), secret.size());
  const auto slot = static_cast<uint32_t>(randombytes_uniform(paytoken::kPaymentCodeSlotCount));
  engine::RegisterPaymentDevice command{
      customer_id, slot, Services(context).vault->Encrypt(secret, kDeviceSealContext)};
  SubmitCommand(context, std::move(command), respond,
                [&context, customer_id, attempt, slot, secret = std::move(secret), respond](
                    uint8_t result, const engine::Reply&) mutable {
                  const auto code = static_cast<PaymentResult>(result);
                  if (code == PaymentResult::kSlotTaken && attempt + 1 < kSlotAttempts) {
                    return RegisterDevice(context, customer_id, attempt + 1, respond);
                  }
                  if (code != PaymentResult::kOk) return respond(PaymentError(code));
                  const std::string encoded = Base64Url(secret);
                  Secrets(context).PutDevice(slot, customer_id, std::move(secret));
                  const paytoken::PaymentCodeConfig& config =
                      Services(context).options.payment_code;
                  api::JsonObjectWriter body;
                  body.Int("slot", slot)
                      .String("secret", encoded)
                      .Int("prefix", config.prefix)
                      .Int("step_seconds", config.step_seconds)
                      .Int("digits", paytoken::kPaymentCodeDigits)
                      .String("algorithm", "HOTP-SHA256");
                  HttpResponse response = api::JsonResponse(201, body);
                  response.headers.emplace_back("Cache-Control", "no-store");
                  respond(std::move(response));
                });
}

HttpResponse SmallPaymentsResponse(const payments::SmallPaymentSetting& s) {
  api::JsonObjectWriter body;
  body.Bool("enabled", s.enabled)
      .Amount("per_payment", s.per_payment_fen)
      .Amount("per_day", s.per_day_fen)
      .String("currency", "CNY");
  return api::JsonResponse(200, body);
}

void ReadSmallPayments(WalletContext& context, uint64_t customer_id, Responder respond) {
  ReadEngine<payments::SmallPaymentSetting>(
      context, respond,
      [customer_id](const engine::StateMachine& state) {
        return state.payments().SmallPayments(customer_id);
      },
      [respond](payments::SmallPaymentSetting s) { respond(SmallPaymentsResponse(s)); });
}

void SetSmallPayments(WalletContext& context, const Principal& principal, HttpRequest&& request,
                      Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const bool enabled = reader.RequiredBool("enabled");
  const int64_t per_payment =
      reader.RequiredAmount("per_payment", payments::kMaxSmallPaymentPerPaymentFen);
  const int64_t per_day = reader.RequiredAmount("per_day", payments::kMaxSmallPaymentPerDayFen);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  if (per_payment > per_day) {
    return respond(FieldInvalid("per_payment", "must not be above per_day"));
  }
  SubmitCommand(context, engine::SetSmallPayments{principal.id, enabled, per_payment, per_day},
                respond,
                [&context, id = principal.id, respond](uint8_t result, const engine::Reply&) {
                  const auto code = static_cast<PaymentResult>(result);
                  if (code != PaymentResult::kOk) return respond(PaymentError(code));
                  ReadSmallPayments(context, id, respond);
                });
}

void SubmitConfirm(WalletContext& context, engine::ConfirmPayment command, Responder respond);

// POST /me/payments/{id}/confirm with an optional body: the payment PIN (required once one is
// set: this pays from the balance) and, for a payment held for a step-up, a second factor or a
// device signature bound to this payment. Declining needs neither.
void Confirm(WalletContext& context, const Principal& principal, HttpRequest&& request,
             bool confirm, Responder respond) {
  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id) return respond(PaymentError(PaymentResult::kPaymentNotFound));
  engine::ConfirmPayment command{principal.id, *id, confirm, {}};
  if (!confirm) return SubmitConfirm(context, std::move(command), std::move(respond));
  std::optional<std::string> pin;
  PaymentFactors factors;
  if (!request.body.empty()) {
    std::optional<api::JsonObject> body = ParseBody(request, respond);
    if (!body) return;
    api::ObjectReader reader(*body);
    pin = reader.OptionalString("payment_pin", kMaxPaymentPinChars);
    factors = ReadPaymentFactors(reader);
    if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
    if (auto problem = FactorProblem(factors)) return respond(std::move(*problem));
  }
  const uint64_t customer_id = principal.id;
  auto held = std::make_shared<HttpRequest>(std::move(request));
  // The payment as the customer saw it: a device signature must be bound to its id and amount.
  ReadEngine<std::optional<payments::Payment>>(
      context, respond,
      [id = *id](const engine::StateMachine& state) -> std::optional<payments::Payment> {
        const payments::Payment* p = state.payments().FindPayment(id);
        if (p == nullptr) return std::nullopt;
        return *p;
      },
      [&context, customer_id, held, command = std::move(command), pin = std::move(pin),
       factors = std::move(factors), respond](std::optional<payments::Payment> payment) mutable {
        if (!payment || payment->customer_id != customer_id) {
          return respond(PaymentError(PaymentResult::kPaymentNotFound));
        }
        std::string device_context = PaymentChallengeContext(payment->id, payment->amount_fen);
        RequirePaymentPin(context, customer_id, std::move(pin), respond,
                          [&context, customer_id, held, command = std::move(command),
                           factors = std::move(factors), device_context = std::move(device_context),
                           respond]() mutable {
                            AuthenticatePayment(context, customer_id, *held, std::move(factors),
                                                std::move(device_context), respond,
                                                [&context, command = std::move(command),
                                                 respond](engine::PaymentAuth auth) mutable {
                                                  command.auth = std::move(auth);
                                                  SubmitConfirm(context, std::move(command),
                                                                std::move(respond));
                                                });
                          });
      });
}

void SubmitConfirm(WalletContext& context, engine::ConfirmPayment command, Responder respond) {
  const uint64_t payment_id = command.payment_id;
  const bool confirm = command.confirm;
  SubmitCommand(
      context, std::move(command), respond,
      [&context, id = payment_id, confirm, respond](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<PaymentResult>(result);
        if (code == PaymentResult::kChallengeRequired) {
          // Still held; the hold's own deadline is in the payment (GET shows it).
          return respond(
              ChallengeRequired(static_cast<identity::AuthStrength>(reply.value), id, 0));
        }
        if (code == PaymentResult::kSecondFactorRejected) {
          return respond(
              ErrorResponse(IdentityError(static_cast<identity::IdentityResult>(reply.value))));
        }
        if (code != PaymentResult::kOk) return respond(PaymentError(code));
        // A confirmed payment of an order owes the merchant its notice now.
        if (confirm) NotifyOrderPaid(context, id, reply.journal_seq);
        ReadEngine<PaymentRewards>(
            context, respond,
            [id](const engine::StateMachine& state) { return ReadPaymentRewards(state, id); },
            [respond](PaymentRewards rewards) {
              if (!rewards.payment) return respond(PaymentError(PaymentResult::kPaymentNotFound));
              api::JsonObjectWriter body =
                  PaymentJson(*rewards.payment, PaymentAudience::kCustomer);
              AddMarketingFields(rewards, &body);
              respond(api::JsonResponse(200, body));
            });
      });
}

// --- Lists ---

api::JsonObjectWriter WithMerchant(const PaymentRow& row, Store& store) {
  api::JsonObjectWriter json = PaymentJson(row, PaymentAudience::kCustomer);
  std::optional<MerchantRow> merchant;
  if (store.ReadMerchant(row.merchant_id, &merchant).ok() && merchant) {
    api::JsonObjectWriter summary;
    summary.String("id", std::to_string(merchant->id))
        .String("name", merchant->legal_name)
        .String("category", merchant->category);
    json.Object("merchant", std::move(summary));
  } else {
    json.Null("merchant");
  }
  return json;
}

void ListMine(WalletContext& context, const Principal& principal, const HttpRequest& request,
              Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  std::optional<uint64_t> cursor;
  if (std::string_view text = query->GetOr("cursor"); !text.empty()) {
    cursor = ParseId(text);
    if (!cursor) return respond(FieldInvalid("cursor", "not a cursor from this list"));
  }
  size_t limit = 20;
  if (std::string_view text = query->GetOr("limit"); !text.empty()) {
    std::optional<uint64_t> parsed = ParseId(text);
    if (!parsed || *parsed > 100) return respond(FieldInvalid("limit", "1 to 100"));
    limit = static_cast<size_t>(*parsed);
  }
  const std::string status(query->GetOr("status"));
  if (!status.empty() && status != "awaiting_confirmation") {
    return respond(FieldInvalid("status", "awaiting_confirmation, or none"));
  }
  const uint64_t durable = Services(context).engine->stats().durable_seq;
  RunOnWorker(
      context,
      [&context, id = principal.id, cursor, limit, status, durable, respond]() {
        WaitForProjection(context, durable, kReadWaitNs);
        PaymentFilter filter;
        filter.customer_id = id;
        PaymentPage page;
        Store& store = *Services(context).store;
        if (!store.ListPayments(filter, cursor, limit, &page).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read payments now"));
        }
        api::JsonArrayWriter list;
        for (const PaymentRow& row : page.payments) {
          // Waiting payments time out within minutes, so they are always among the newest.
          if (!status.empty() &&
              row.state != static_cast<uint8_t>(payments::PaymentState::kAwaitingConfirmation)) {
            continue;
          }
          list.Object(WithMerchant(row, store));
        }
        api::JsonObjectWriter body;
        body.Array("payments", std::move(list));
        if (page.next_cursor && status.empty()) {
          body.String("next_cursor", std::to_string(*page.next_cursor));
        } else {
          body.Null("next_cursor");
        }
        respond(api::JsonResponse(200, body));
      },
      respond);
}

void MineDetail(WalletContext& context, const Principal& principal, const HttpRequest& request,
                Responder respond) {
  std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id) return respond(PaymentError(PaymentResult::kPaymentNotFound));
  const uint64_t durable = Services(context).engine->stats().durable_seq;
  RunOnWorker(
      context,
      [&context, customer_id = principal.id, id = *id, durable, respond]() {
        WaitForProjection(context, durable, kReadWaitNs);
        Store& store = *Services(context).store;
        std::optional<PaymentRow> payment;
        std::vector<RefundRow> refunds;
        if (!store.ReadPayment(id, &payment).ok() || !store.ListRefunds(id, &refunds).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read payments now"));
        }
        if (!payment || payment->customer_id != customer_id) {
          return respond(PaymentError(PaymentResult::kPaymentNotFound));
        }
        auto body = std::make_shared<api::JsonObjectWriter>(WithMerchant(*payment, store));
        api::JsonArrayWriter list;
        for (const RefundRow& refund : refunds) list.Object(RefundJson(refund));
        body->Array("refunds", std::move(list));
        // What marketing gave it lives in the engine, not the read models.
        ReadEngine<PaymentRewards>(
            context, respond,
            [id](const engine::StateMachine& state) { return ReadPaymentRewards(state, id); },
            [body, respond](PaymentRewards rewards) {
              if (rewards.payment) AddMarketingFields(rewards, body.get());
              respond(api::JsonResponse(200, *body));
            });
      },
      respond);
}

using CustomerHandler = void (*)(WalletContext&, const Principal&, HttpRequest&&, Responder);

}  // namespace

void AddPayRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  auto customer = [shared](CustomerHandler handler) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
      if (principal) handler(*shared, *principal, std::move(request), std::move(respond));
    };
  };
  router.Add("POST", "/api/v1/me/scans", [shared](HttpRequest&& request, Responder respond) {
    Scan(*shared, std::move(request), std::move(respond));
  });
  router.Add("POST", "/api/v1/me/payments", [shared](HttpRequest&& request, Responder respond) {
    PayQr(*shared, std::move(request), std::move(respond));
  });
  router.Add("GET", "/api/v1/me/payments",
             customer([](WalletContext& c, const Principal& p, HttpRequest&& r, Responder a) {
               ListMine(c, p, r, std::move(a));
             }));
  router.Add("GET", "/api/v1/me/payments/{id}",
             customer([](WalletContext& c, const Principal& p, HttpRequest&& r, Responder a) {
               MineDetail(c, p, r, std::move(a));
             }));
  router.Add("POST", "/api/v1/me/payments/{id}/confirm",
             customer([](WalletContext& c, const Principal& p, HttpRequest&& r, Responder a) {
               Confirm(c, p, std::move(r), true, std::move(a));
             }));
  router.Add("POST", "/api/v1/me/payments/{id}/decline",
             customer([](WalletContext& c, const Principal& p, HttpRequest&& r, Responder a) {
               Confirm(c, p, std::move(r), false, std::move(a));
             }));
  router.Add("POST", "/api/v1/me/payment-device",
             customer([](WalletContext& c, const Principal& p, HttpRequest&&, Responder a) {
               RegisterDevice(c, p.id, 0, std::move(a));
             }));
  router.Add("GET", "/api/v1/me/small-payments",
             customer([](WalletContext& c, const Principal& p, HttpRequest&&, Responder a) {
               ReadSmallPayments(c, p.id, std::move(a));
             }));
  router.Add("PUT", "/api/v1/me/small-payments", customer(SetSmallPayments));
}

}  // namespace qb::wallet
