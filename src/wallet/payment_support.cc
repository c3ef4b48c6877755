// What the merchant and payment routes share: the unsealed secrets, the payment error table,
// the JSON views and the QR helpers (payment_internal.h).
#include <sodium.h>

#include <utility>

#include "engine/state_machine.h"
#include "merchant/merchant_category.h"
#include "paytoken/payment_code.h"
#include "qrimage/qr_image.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"

namespace qb::wallet {

using api::ErrorCode;
using engine::PaymentResult;

// --- PaymentSecrets ---

void PaymentSecrets::PutApiKey(const std::string& key_id, ApiKeySecret secret) {
  std::lock_guard lock(mutex_);
  api_keys_[key_id] = std::move(secret);
}

void PaymentSecrets::RevokeApiKey(const std::string& key_id) {
  std::lock_guard lock(mutex_);
  api_keys_.erase(key_id);
}

std::optional<PaymentSecrets::ApiKeySecret> PaymentSecrets::FindApiKey(
    std::string_view key_id) const {
  std::lock_guard lock(mutex_);
  auto it = api_keys_.find(std::string(key_id));
  if (it == api_keys_.end()) return std::nullopt;
  return it->second;
}

void PaymentSecrets::PutDevice(uint32_t slot, uint64_t customer_id, std::string secret) {
  std::lock_guard lock(mutex_);
  // One device per customer: the old slot's codes stop matching at once, as in the engine.
  if (auto it = slot_of_customer_.find(customer_id); it != slot_of_customer_.end()) {
    devices_.erase(it->second);
  }
  slot_of_customer_[customer_id] = slot;
  devices_[slot] = std::move(secret);
}

paytoken::PaymentCodeMatch PaymentSecrets::Match(const paytoken::PaymentCodeConfig& config,
                                                 std::string_view code, int64_t now_ns) const {
  paytoken::PaymentCodeMatch match;
  if (code.size() != paytoken::kPaymentCodeDigits) return match;
  for (char c : code) {
    if (c < '0' || c > '9') return match;
  }
  auto number = [&code](size_t from, size_t digits) {
    uint64_t value = 0;
    for (size_t i = from; i < from + digits; i++) value = value * 10 + (code[i] - '0');
    return value;
  };
  if (number(0, 2) != config.prefix) {
    match.result = paytoken::PaymentCodeResult::kWrongPrefix;
    return match;
  }
  match.device_slot = static_cast<uint32_t>(number(2, paytoken::kPaymentCodeSlotDigits));
  const uint64_t value =
      number(2 + paytoken::kPaymentCodeSlotDigits, paytoken::kPaymentCodeValueDigits);
  std::lock_guard lock(mutex_);
  auto it = devices_.find(match.device_slot);
  if (it == devices_.end()) {
    match.result = paytoken::PaymentCodeResult::kUnknownDevice;
    return match;
  }
  const std::string& secret = it->second;
  auto value_at = [&secret](int64_t step) {
    return paytoken::HotpSha256(secret, static_cast<uint64_t>(step)) %
           paytoken::kPaymentCodeValueModulus;
  };
  const int64_t current = paytoken::PaymentCodeStep(config, now_ns);
  const int64_t window = config.window_steps;
  for (int64_t step = current + window; step >= current - window && step >= 0; --step) {
    if (value_at(step) == value) {
      match.result = paytoken::PaymentCodeResult::kOk;
      match.step = step;
      return match;
    }
  }
  const int64_t oldest = current - window - config.expired_lookback_steps;
  for (int64_t step = current - window - 1; step >= oldest && step >= 0; --step) {
    if (value_at(step) == value) {
      match.result = paytoken::PaymentCodeResult::kExpired;
      match.step = step;
      return match;
    }
  }
  match.result = paytoken::PaymentCodeResult::kInvalidCode;
  return match;
}

void LoadPaymentSecrets(WalletContext& context) {
  struct Sealed {
    std::vector<std::pair<std::string, PaymentSecrets::ApiKeySecret>> keys;
    std::vector<std::pair<uint32_t, std::pair<uint64_t, std::string>>> devices;
  };
  Sealed sealed;
  engine::Query query;
  query.read = [&sealed](const engine::StateMachine& state) {
    state.payments().ForEachMerchant([&](const payments::Merchant& merchant) {
      for (const payments::ApiKey& key : merchant.api_keys) {
        if (!key.revoked) sealed.keys.push_back({key.key_id, {merchant.id, key.secret_sealed}});
      }
    });
    state.payments().ForEachDevice([&](const payments::PaymentDevice& device) {
      sealed.devices.push_back({device.slot, {device.customer_id, device.secret_sealed}});
    });
  };
  engine::Reply reply = Services(context).engine->Execute(std::move(query));
  if (reply.status != engine::ReplyStatus::kOk) {
    LogError("could not load merchant keys and payment devices",
             {{"status", engine::ReplyStatusName(reply.status)}});
    return;
  }
  const identity::CardVault& vault = *Services(context).vault;
  size_t unreadable = 0;
  for (auto& [key_id, key] : sealed.keys) {
    std::optional<std::string> secret = vault.Decrypt(key.secret, kApiKeySealContext);
    if (!secret) {
      unreadable++;
      continue;
    }
    Secrets(context).PutApiKey(key_id, {key.merchant_id, std::move(*secret)});
  }
  for (auto& [slot, device] : sealed.devices) {
    std::optional<std::string> secret = vault.Decrypt(device.second, kDeviceSealContext);
    if (!secret) {
      unreadable++;
      continue;
    }
    Secrets(context).PutDevice(slot, device.first, std::move(*secret));
  }
  if (unreadable > 0) {
    LogError("some merchant keys or payment devices cannot be unsealed with this key file",
             {{"count", std::to_string(unreadable)}});
  }
}

// --- China business days ---

int64_t ChinaDay(int64_t unix_ns) {
  const int64_t shifted = unix_ns + kChinaOffsetNs;
  return shifted >= 0 ? shifted / kNsPerDay : (shifted - kNsPerDay + 1) / kNsPerDay;
}
int64_t DayStartNs(int64_t day) { return day * kNsPerDay - kChinaOffsetNs; }

std::string DateText(int64_t day) {
  int64_t y = 0, m = 0, d = 0;
  CivilFromDays(day, &y, &m, &d);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return text;
}

// "YYYY-MM-DD" → days since the epoch, or nullopt.
std::optional<int64_t> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int64_t parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; i++) {
    for (size_t j = starts[i]; j < starts[i] + lengths[i]; j++) {
      if (text[j] < '0' || text[j] > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (text[j] - '0');
    }
  }
  if (parts[0] < 2000 || parts[0] > 2099 || parts[1] < 1 || parts[1] > 12 || parts[2] < 1) {
    return std::nullopt;
  }
  const int64_t day = DaysFromCivil(parts[0], parts[1], parts[2]);
  int64_t y = 0, m = 0, d = 0;
  CivilFromDays(day, &y, &m, &d);
  if (d != parts[2]) return std::nullopt;  // 2026-02-30 and the like.
  return day;
}

// --- Webhooks ---

std::string WebhookSecret(const WalletContext& context, uint64_t merchant_id, uint32_t version) {
  std::string label = "merchant-webhook:" + std::to_string(merchant_id);
  if (version > 0) label += ":v" + std::to_string(version);
  unsigned char mac[32];
  crypto_generichash(mac, sizeof(mac), reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), Services(context).webhook_key->data(),
                     identity::SecretKey::kSize);
  std::string secret = "whsec_";
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char byte : mac) {
    secret.push_back(kHex[byte >> 4]);
    secret.push_back(kHex[byte & 0xF]);
  }
  sodium_memzero(mac, sizeof(mac));
  return secret;
}

WebhookSecrets WebhookSecretsAt(const WalletContext& context, uint64_t merchant_id,
                                uint32_t version, int64_t rotated_ns, int64_t now_ns) {
  WebhookSecrets secrets;
  secrets.version = version;
  secrets.current = WebhookSecret(context, merchant_id, version);
  const int64_t until_ns = rotated_ns + kWebhookSecretOverlapNs;
  if (version > 0 && now_ns < until_ns) {
    secrets.previous = WebhookSecret(context, merchant_id, version - 1);
    secrets.previous_valid_until_ns = until_ns;
  }
  return secrets;
}

std::optional<WebhookSecrets> ReadWebhookSecrets(WalletContext& context, uint64_t merchant_id) {
  std::optional<std::pair<uint32_t, int64_t>> version;
  const engine::Reply reply =
      Services(context).engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
        if (const payments::Merchant* m = state.payments().FindMerchant(merchant_id)) {
          version.emplace(m->webhook_secret_version, m->webhook_rotated_ns);
        }
      }});
  if (reply.status != engine::ReplyStatus::kOk || !version) return std::nullopt;
  return WebhookSecretsAt(context, merchant_id, version->first, version->second,
                          Services(context).clock->NowNs());
}

void AnswerCharged(WalletContext& context, const engine::Pay& pay, Responder respond) {
  ReadEngine<std::optional<payments::Payment>>(
      context, respond,
      [id = pay.payment_id](const engine::StateMachine& state) -> std::optional<payments::Payment> {
        const payments::Payment* p = state.payments().FindPayment(id);
        if (p == nullptr) return std::nullopt;
        return *p;
      },
      [merchant_id = pay.merchant_id, amount_fen = pay.amount_fen,
       respond](std::optional<payments::Payment> payment) {
        if (!payment || payment->merchant_id != merchant_id || payment->amount_fen != amount_fen) {
          return respond(api::ErrorResponse(ErrorCode::kIdempotencyKeyReused,
                                            "this Idempotency-Key was used for another request"));
        }
        respond(api::JsonResponse(201, PaymentJson(*payment, PaymentAudience::kMerchant)));
      });
}

// --- Errors ---

std::optional<api::QueryParams> QueryOf(const HttpRequest& request, const Responder& respond) {
  api::ApiResult<api::QueryParams> params = api::ParseQuery(request.target);
  if (!params.ok()) {
    respond(api::ErrorResponse(params.error()));
    return std::nullopt;
  }
  return std::move(params).value();
}

HttpResponse PaymentError(PaymentResult result) {
  switch (result) {
    case PaymentResult::kMerchantNotFound:
      return Error(ErrorCode::kMerchantNotFound, "no such merchant");
    case PaymentResult::kMerchantNotActive:
      return Error(ErrorCode::kMerchantNotActive, "the merchant cannot take payments now");
    case PaymentResult::kUserTaken:
      return Error(ErrorCode::kUsernameTaken, "the username is taken");
    case PaymentResult::kApiKeyRefused:
      return Error(ErrorCode::kApiKeyLimit, "the merchant has the most live API keys it may");
    case PaymentResult::kApiKeyNotFound:
      return Error(ErrorCode::kNotFound, "no such live API key");
    case PaymentResult::kOrderExists:
      return Error(ErrorCode::kOrderExists,
                   "an order with this merchant_order_no exists with another amount");
    case PaymentResult::kOrderNotFound:
      return Error(ErrorCode::kOrderNotFound, "no such order");
    case PaymentResult::kOrderNotOpen:
      return Error(ErrorCode::kOrderNotOpen, "the order is paid or closed");
    case PaymentResult::kOrderExpired:
      return Error(ErrorCode::kOrderExpired, "the order has expired");
    case PaymentResult::kAmountMismatch:
      return Error(ErrorCode::kAmountMismatch, "the amount is not the order's amount");
    case PaymentResult::kDeviceNotFound:
      return Error(ErrorCode::kPaymentCodeInvalid, "the payment code is not valid");
    case PaymentResult::kCodeExpired:
      return Error(ErrorCode::kPaymentCodeExpired,
                   "the payment code has expired; ask the customer to refresh it");
    case PaymentResult::kCodeReused:
      return Error(ErrorCode::kPaymentCodeUsed, "the payment code was used already");
    case PaymentResult::kExceedsPerPayment:
      return LimitExceeded("per_payment", "the amount is above the wallet's per-payment limit");
    case PaymentResult::kExceedsDaily:
      return LimitExceeded("daily", "the amount would exceed the wallet's daily limit");
    case PaymentResult::kExceedsYearly:
      return LimitExceeded("yearly", "the amount would exceed the wallet's yearly limit");
    case PaymentResult::kInsufficientFunds:
      return Error(ErrorCode::kInsufficientFunds, "the wallet's available balance is too low");
    case PaymentResult::kPaymentNotFound:
      return Error(ErrorCode::kPaymentNotFound, "no such payment");
    case PaymentResult::kNotAwaitingConfirmation:
      return Error(ErrorCode::kNotAwaitingConfirmation,
                   "the payment is not waiting for confirmation (done, declined or timed out)");
    case PaymentResult::kRefundExceedsPayment:
      return Error(ErrorCode::kRefundExceedsPayment,
                   "the refunds would exceed what the payment paid");
    case PaymentResult::kMerchantInsufficientFunds:
      return Error(ErrorCode::kMerchantInsufficientFunds,
                   "the merchant's balance cannot cover this refund now");
    case PaymentResult::kPaymentNotCompleted:
      return Error(ErrorCode::kPaymentNotCompleted, "the payment has not completed");
    case PaymentResult::kCustomerNotFound:
      return Error(ErrorCode::kNotFound, "no such customer");
    case PaymentResult::kNfcTokenNotFound:
      return Error(ErrorCode::kNfcInvalid, "the NFC token is not valid");
    case PaymentResult::kNfcReplayed:
      return Error(ErrorCode::kNfcReplayed, "this tap was used already");
    case PaymentResult::kNfcKeysExhausted:
      return Error(ErrorCode::kNfcKeysExhausted,
                   "the phone's payment keys are used up; it must refresh them");
    case PaymentResult::kLoginLocked:
      return Error(ErrorCode::kLoginLocked,
                   "too many wrong passwords; log-in is locked for 30 minutes");
    case PaymentResult::kUserNotFound:
      return Error(ErrorCode::kMerchantUserNotFound, "no such user of this merchant");
    case PaymentResult::kUserDisabled:
      return Error(ErrorCode::kUserDisabled,
                   "this user is disabled; ask the merchant's owner to enable it");
    case PaymentResult::kLastOwner:
      return Error(ErrorCode::kLastOwner, "the merchant must keep an active owner");
    case PaymentResult::kSelfDisable:
      return Error(ErrorCode::kCannotDisableSelf, "an owner cannot disable themself");
    case PaymentResult::kNotOwner:
      return Error(ErrorCode::kForbidden, "only the merchant's owner may do this");
    case PaymentResult::kChallengeRequired:
      return Error(ErrorCode::kChallengeRequired, "a stronger factor is needed");
    case PaymentResult::kRiskDenied:
      return ErrorResponse(RiskDeniedError());  // risk_routes.cc
    case PaymentResult::kPointsNotAccepted:
      return ErrorResponse(
          api::ApiError{400, "POINTS_NOT_ACCEPTED", "points cannot pay for this payment now"});
    case PaymentResult::kPointsInsufficient:
      return ErrorResponse(
          api::ApiError{409, "POINTS_INSUFFICIENT", "you hold fewer points than this uses"});
    default:
      break;
  }
  LogError("payment command failed unexpectedly", {{"result", engine::PaymentResultName(result)}});
  return Error(ErrorCode::kInternal, "the request could not be executed");
}

// --- Views ---

namespace {

std::string_view StatusName(uint8_t status) {
  return payments::MerchantStatusName(static_cast<payments::MerchantStatus>(status));
}

std::string_view CategoryName(std::string_view id) {
  const merchant::MerchantCategory* category = merchant::FindMerchantCategoryById(id);
  return category == nullptr ? std::string_view() : category->name_zh;
}

std::string_view PaymentStateName(payments::PaymentState state) {
  switch (state) {
    case payments::PaymentState::kCompleted:
      return "completed";
    case payments::PaymentState::kAwaitingConfirmation:
      return "awaiting_confirmation";
    case payments::PaymentState::kCancelled:
      return "cancelled";
    case payments::PaymentState::kUnderReview:
      return "under_review";
  }
  return "unknown";
}

api::JsonObjectWriter PaymentJsonOf(uint64_t id, uint64_t merchant_id, uint64_t customer_id,
                                    uint64_t order_id, payments::PaymentChannel channel,
                                    payments::PaymentState state, int64_t amount_fen,
                                    std::optional<int64_t> fee_fen, int64_t refunded_fen,
                                    int64_t created_ns) {
  api::JsonObjectWriter json;
  json.String("id", std::to_string(id))
      .String("merchant_id", std::to_string(merchant_id))
      .String("customer_id", std::to_string(customer_id));
  if (order_id == 0) {
    json.Null("order_id");
  } else {
    json.String("order_id", std::to_string(order_id));
  }
  json.String("channel", payments::PaymentChannelName(channel))
      .String("status", PaymentStateName(state))
      .Amount("amount", amount_fen);
  if (fee_fen) json.Amount("fee", *fee_fen);
  json.Amount("refunded", refunded_fen)
      .String("currency", "CNY")
      .String("created_at", Rfc3339(created_ns));
  return json;
}

}  // namespace

api::JsonObjectWriter MerchantJson(const MerchantRow& m) {
  api::JsonObjectWriter json;
  json.String("id", std::to_string(m.id))
      .String("legal_name", m.legal_name)
      .String("credit_code", m.credit_code)
      .String("category", m.category)
      .String("category_name", CategoryName(m.category))
      .Int("fee_bps", m.fee_bps)
      .String("status", StatusName(m.status))
      .String("settlement_bank_code", m.settlement_bank_code)
      .String("settlement_account_last4", m.settlement_account_last4)
      .String("contact_phone", m.contact_phone)
      .String("created_at", Rfc3339(m.created_ns))
      .String("status_changed_at", Rfc3339(m.status_changed_ns));
  return json;
}

api::JsonObjectWriter MerchantJson(const payments::Merchant& m) {
  MerchantRow row{m.id,
                  m.account_id,
                  m.profile.legal_name,
                  m.profile.credit_code,
                  m.profile.category,
                  m.profile.fee_bps,
                  static_cast<uint8_t>(m.status),
                  m.profile.settlement_bank_code,
                  m.profile.settlement_account_last4,
                  m.profile.contact_phone,
                  m.onboarded_by_staff_id,
                  m.created_ns,
                  m.status_changed_ns};
  return MerchantJson(row);
}

api::JsonObjectWriter OrderJson(const OrderRow& o, int64_t now_ns) {
  auto status = static_cast<payments::OrderStatus>(o.status);
  std::string_view status_name = payments::OrderStatusName(status);
  if (status == payments::OrderStatus::kOpen && now_ns >= o.expires_ns) status_name = "expired";
  api::JsonObjectWriter json;
  json.String("id", std::to_string(o.id))
      .String("merchant_id", std::to_string(o.merchant_id))
      .String("merchant_order_no", o.merchant_order_no)
      .Amount("amount", o.amount_fen)
      .String("currency", "CNY")
      .String("description", o.description)
      .String("notify_url", o.notify_url)
      .String("return_url", o.return_url)
      .String("status", status_name)
      .String("created_at", Rfc3339(o.created_ns))
      .String("expires_at", Rfc3339(o.expires_ns));
  if (o.payment_id == 0) {
    json.Null("payment_id");
  } else {
    json.String("payment_id", std::to_string(o.payment_id));
  }
  return json;
}

api::JsonObjectWriter PaymentJson(const PaymentRow& p, PaymentAudience audience) {
  return PaymentJsonOf(
      p.id, p.merchant_id, p.customer_id, p.order_id,
      static_cast<payments::PaymentChannel>(p.channel),
      static_cast<payments::PaymentState>(p.state), p.amount_fen,
      audience == PaymentAudience::kMerchant ? std::optional<int64_t>(p.fee_fen) : std::nullopt,
      p.refunded_fen, p.created_ns);
}

api::JsonObjectWriter PaymentJson(const payments::Payment& p, PaymentAudience audience) {
  return PaymentJsonOf(
      p.id, p.merchant_id, p.customer_id, p.order_id, p.channel, p.state, p.amount_fen,
      audience == PaymentAudience::kMerchant ? std::optional<int64_t>(p.fee_fen) : std::nullopt,
      p.refunded_fen, p.created_ns);
}

api::JsonObjectWriter RefundJson(const RefundRow& r) {
  api::JsonObjectWriter json;
  json.String("id", std::to_string(r.id))
      .String("payment_id", std::to_string(r.payment_id))
      .Amount("amount", r.amount_fen)
      .Amount("fee_returned", r.fee_fen)
      .String("currency", "CNY")
      .String("status", "completed")
      .String("created_at", Rfc3339(r.created_ns));
  return json;
}

// --- QR ---

std::string StaticQrText(const WalletContext& context, uint64_t merchant_id) {
  paytoken::QrPayload payload;
  payload.kind = paytoken::QrKind::kStatic;
  payload.merchant_id = merchant_id;
  std::string text;
  if (paytoken::SignQr(payload, *Services(context).qr_key, &text) != paytoken::QrResult::kOk) {
    return "";
  }
  return text;
}

std::string OrderQrText(const WalletContext& context, const OrderRow& order) {
  paytoken::QrPayload payload;
  payload.kind = paytoken::QrKind::kDynamic;
  payload.merchant_id = order.merchant_id;
  payload.order_id = std::to_string(order.id);
  payload.amount_fen = order.amount_fen;
  payload.currency = "CNY";
  payload.expires_at_ns = order.expires_ns;
  std::string text;
  if (paytoken::SignQr(payload, *Services(context).qr_key, &text) != paytoken::QrResult::kOk) {
    return "";
  }
  return text;
}

HttpResponse QrImageResponse(std::string_view text, std::string_view format) {
  if (text.empty()) return Error(ErrorCode::kInternal, "the QR code could not be signed");
  qrimage::QrImageOptions options;
  HttpResponse response;
  Status s;
  if (format == "svg") {
    s = qrimage::RenderQrSvg(text, options, &response.body);
    response.content_type = "image/svg+xml";
  } else {
    s = qrimage::RenderQrPng(text, options, &response.body);
    response.content_type = "image/png";
  }
  if (!s.ok()) {
    LogError("QR image failed", {{"error", s.ToString()}});
    return Error(ErrorCode::kInternal, "the QR image could not be drawn");
  }
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace qb::wallet
