// What the merchant and payment routes share (merchant_routes.cc, merchant_payment_routes.cc,
// pay_routes.cc, payment_support.cc): who a merchant caller is, the secrets the API holds
// unsealed, the payment error table and the JSON views. Private to the wallet module.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "api/json_writer.h"
#include "api/query.h"
#include "engine/command.h"
#include "identity/secret_key.h"
#include "paytoken/payment_code.h"
#include "store/store.h"
#include "wallet/wallet_internal.h"
#include "webhook/delivery_log.h"
#include "webhook/dispatcher.h"

namespace qb::wallet {

// A merchant's caller: a portal user (Bearer session) or the merchant's server (a request signed
// with an API key, Authorization: QB-HMAC-SHA256 ...).
struct MerchantCaller {
  uint64_t merchant_id = 0;
  uint64_t user_id = 0;  // 0 for an API key.
  uint32_t roles = 0;    // payments::kMerchantOwner / kMerchantCashier; API keys: cashier.
  std::string key_id;    // For an API key.
  std::string token_hash;
  // The owner of Idempotency-Keys sent by this merchant ("m<id>"): a portal user and the
  // merchant's server share the merchant's key space.
  std::string IdempotencyOwner() const {
    std::string owner = "m";  // Built by append: GCC 12 warns falsely on "m" + std::string.
    owner.append(std::to_string(merchant_id));
    return owner;
  }
};

// The caller as a merchant, or nullopt after answering 401 (no live merchant session and no
// valid signature) or 403 (not the owner, when `owner_only`; or an API key where only a portal
// session may act, when `!allow_api_key`).
std::optional<MerchantCaller> RequireMerchant(WalletContext& context, const HttpRequest& request,
                                              const Responder& respond, bool owner_only,
                                              bool allow_api_key);

// Secrets the API needs in the clear, unsealed once from the engine's sealed copies: merchants'
// API key secrets (to check request signatures) and customers' payment-code device secrets (to
// match codes). Thread-safe.
class PaymentSecrets {
 public:
  struct ApiKeySecret {
    uint64_t merchant_id = 0;
    std::string secret;
  };
  void PutApiKey(const std::string& key_id, ApiKeySecret secret);
  void RevokeApiKey(const std::string& key_id);
  std::optional<ApiKeySecret> FindApiKey(std::string_view key_id) const;

  // Device secrets are 32 raw bytes, kept as plain strings: guarded memory per device would
  // not scale to millions of phones (and mlock limits).
  void PutDevice(uint32_t slot, uint64_t customer_id, std::string secret);
  // Matches a code against the slot's secret at `now_ns` without consuming it (the engine makes
  // the step single use). kUnknownDevice when the slot is free.
  paytoken::PaymentCodeMatch Match(const paytoken::PaymentCodeConfig& config, std::string_view code,
                                   int64_t now_ns) const;

 private:
  mutable std::mutex mutex_;
  absl::flat_hash_map<std::string, ApiKeySecret> api_keys_;  // Live keys only.
  absl::flat_hash_map<uint32_t, std::string> devices_;
  absl::flat_hash_map<uint64_t, uint32_t> slot_of_customer_;
};

PaymentSecrets& Secrets(WalletContext& context);
webhook::WebhookDispatcher& Webhooks(WalletContext& context);
// The secret a merchant verifies webhooks with: derived from the server's webhook key, the
// merchant id and the secret version the engine keeps (RotateWebhookSecret), so it needs no
// storage. Version 0 keeps the label from before versions existed, so a merchant that never
// rotated keeps its secret.
std::string WebhookSecret(const WalletContext& context, uint64_t merchant_id, uint32_t version);
// For this long after a rotation every webhook is signed with the previous secret too.
inline constexpr int64_t kWebhookSecretOverlapNs = int64_t{24} * 3'600 * 1'000'000'000;
// A merchant's webhook secrets at some moment.
struct WebhookSecrets {
  uint32_t version = 0;
  std::string current;
  std::string previous;                 // Empty outside the overlap after a rotation.
  int64_t previous_valid_until_ns = 0;  // 0 outside the overlap.
};
// The secrets of a merchant whose engine state says `version`, rotated at `rotated_ns`.
WebhookSecrets WebhookSecretsAt(const WalletContext& context, uint64_t merchant_id,
                                uint32_t version, int64_t rotated_ns, int64_t now_ns);
// The same, reading the version from the engine: blocks, so only on a worker or a periodic
// task. nullopt when the engine refused the read or the merchant is unknown.
std::optional<WebhookSecrets> ReadWebhookSecrets(WalletContext& context, uint64_t merchant_id);

// --- Settlement (settlement_routes.cc) ---
struct SettlementRun {
  std::vector<SettlementRow> settlements;  // One per merchant paid or being paid.
};
// Settles every merchant's takings up to China business day `day` (T+1: a day that is over),
// merchant by merchant: an engine hold, the bank payout, then post or void. Blocks on the engine
// and the bank; idempotent (a re-run pays nothing twice and finishes unanswered payouts).
// nullopt when the engine could not be read. `by` names who asked, for the log.
std::optional<SettlementRun> SettleDay(WalletContext& context, int64_t day, std::string_view by);
// The daily run: each China day, once options.settlement_hour has struck, settles the day before;
// repeated every 10 minutes while a payout stays unanswered. For a PeriodicTask.
std::function<void()> MakeSettlementScheduler(WalletContext& context);

// --- The webhook outbox (webhook_routes.cc) ---
// The projection owes an "order.paid" notice for every order paid with a notify_url (a row in
// the store's webhook outbox); these send what is owed.
// After a payment of an order is durable in journal batch `seq`: queues its notice at once, if
// one is owed. On a worker; failures are logged (the sweep sends it later).
void NotifyOrderPaid(WalletContext& context, uint64_t payment_id, uint64_t seq);
// Queues every owed notice the dispatcher does not have (after a restart, a full queue, a read
// model that lagged), resuming each at its recorded attempt; abandons those owed longer than
// options.webhook_max_age_ns. Run by a PeriodicTask.
void SweepWebhookOutbox(WalletContext& context);
// Where the dispatcher reports attempts: the outbox rows in `store`.
std::unique_ptr<webhook::DeliveryLog> MakeOutboxDeliveryLog(Store* store);
// --- Red-letter invoices (credit_invoice.cc) ---
// A refund of an invoiced payment owes a red-letter invoice (红字发票) for the refunded amount,
// issued through the InvoiceProvider (request_id "red-<refund id>") and recorded with
// RecordCreditInvoice. After refund `refund_id` of `payment_id` is durable in journal batch
// `seq`: issues its red invoice, if one is owed, on a worker. Failures are logged (the catch-up
// issues it later).
void IssueCreditInvoiceAfterRefund(WalletContext& context, uint64_t refund_id, uint64_t payment_id,
                                   uint64_t seq);
// Issues every red-letter invoice still owed, oldest refund first; stops at the first platform
// failure. Blocks on the platform and the engine. Run by a PeriodicTask. Returns how many were
// recorded.
size_t IssueOwedCreditInvoices(WalletContext& context);
// Loads every live API key and device secret from the engine (at start).
void LoadPaymentSecrets(WalletContext& context);
// Sealing contexts (AAD) for the card vault.
inline constexpr std::string_view kApiKeySealContext = "merchant-api-key";
inline constexpr std::string_view kDeviceSealContext = "payment-device";
inline constexpr std::string_view kSettlementSealContext = "settlement-account";

// Business days are China time (UTC+8), counted in days since 1970-01-01.
inline constexpr int64_t kNsPerDay = int64_t{86'400} * 1'000'000'000;
// The most points one request may name: ¥1,000,000 at 10,000 points a yuan.
inline constexpr int64_t kMaxPointsPerPayment = 10'000'000'000;
inline constexpr int64_t kChinaOffsetNs = int64_t{8 * 3'600} * 1'000'000'000;
int64_t ChinaDay(int64_t unix_ns);
int64_t DayStartNs(int64_t day);    // The day's first nanosecond as Unix time.
std::string DateText(int64_t day);  // "2026-11-23".
std::optional<int64_t> ParseDate(std::string_view text);  // "YYYY-MM-DD" (2000-2099), or nullopt.

// The request's query parameters, or nullopt after answering 400 through `respond`.
std::optional<api::QueryParams> QueryOf(const HttpRequest& request, const Responder& respond);

// Answers 201 with the merchant's payment `pay.payment_id` as the engine holds it now; when it
// is not the merchant's payment of `pay.amount_fen` (an Idempotency-Key reused for another
// request), IDEMPOTENCY_KEY_REUSED.
void AnswerCharged(WalletContext& context, const engine::Pay& pay, Responder respond);

// The contract's error for a merchant or payment command that did not succeed.
HttpResponse PaymentError(engine::PaymentResult result);

// --- Views (payment_support.cc) ---
api::JsonObjectWriter MerchantJson(const MerchantRow& merchant);
api::JsonObjectWriter MerchantJson(const payments::Merchant& merchant);
api::JsonObjectWriter OrderJson(const OrderRow& order, int64_t now_ns);
// Who reads a payment: the merchant sees its fee; the customer does not (the merchant's rate is
// the merchant's business).
enum class PaymentAudience : uint8_t { kMerchant, kCustomer };
api::JsonObjectWriter PaymentJson(const PaymentRow& payment, PaymentAudience audience);
api::JsonObjectWriter PaymentJson(const payments::Payment& payment, PaymentAudience audience);
api::JsonObjectWriter RefundJson(const RefundRow& refund);

// The signed QR text of a merchant (static) or an order (dynamic), or "" if it cannot be signed.
std::string StaticQrText(const WalletContext& context, uint64_t merchant_id);
std::string OrderQrText(const WalletContext& context, const OrderRow& order);
// The QR as an image response (PNG or SVG by `format`), or an error response.
HttpResponse QrImageResponse(std::string_view text, std::string_view format);

// --- Route registration ---
void AddMerchantRoutes(Router& router, WalletContext& context);      // merchant_routes.cc
void AddMerchantUserRoutes(Router& router, WalletContext& context);  // merchant_user_routes.cc
void AddMerchantPaymentRoutes(Router& router,
                              WalletContext& context);             // merchant_payment_routes.cc
void AddPayRoutes(Router& router, WalletContext& context);         // pay_routes.cc
void AddInvoiceRoutes(Router& router, WalletContext& context);     // invoice_routes.cc
void AddReportRoutes(Router& router, WalletContext& context);      // report_routes.cc
void AddSettlementRoutes(Router& router, WalletContext& context);  // settlement_routes.cc
void AddNfcRoutes(Router& router, WalletContext& context);         // nfc_routes.cc
void AddWebhookRoutes(Router& router, WalletContext& context);     // webhook_routes.cc

}  // namespace qb::wallet
