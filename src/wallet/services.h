// The customer wallet and staff console API (/api/v1): HTTP handlers that validate a request,
// authenticate it, turn it into engine commands and map the replies to JSON. Handlers never
// block an I/O thread: slow work (argon2id, the bank, the identity verifier, SMS) runs on the
// worker pool, and the engine answers through callbacks.
//
// Files: services.h (this: what the handlers share), sessions.{h,cc} (bearer tokens, idle
// timeout), auth_routes.cc (OTP, sign-up, log-in, staff log-in), auth_rate_limits.{h,cc}
// (per-address and per-name limits on those attempts), money_routes.cc (identity,
// cards, top-up, withdrawal, transfer, balance, history), console_routes.cc (staff console),
// openapi (the served document).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/idempotency.h"
#include "bank/bank_gateway.h"
#include "base/clock.h"
#include "engine/engine.h"
#include "identity/card_vault.h"
#include "identity/identity_verifier.h"
#include "identity/secret_key.h"
#include "identity/sms_gateway.h"
#include "invoice/invoice_provider.h"
#include "paytoken/payment_code.h"
#include "paytoken/qr_payload.h"
#include "server/routes.h"
#include "store/store.h"
#include "webhook/dispatcher.h"

namespace qb::wallet {

class WorkerPool;
class SessionCache;

struct WalletOptions {
  int64_t customer_idle_timeout_ns = int64_t{30} * 60 * 1'000'000'000;
  int64_t staff_idle_timeout_ns = int64_t{15} * 60 * 1'000'000'000;
  // When set, GET /api/v1/staff/sms-outbox reads it (development and tests only).
  const identity::OutboxSmsGateway* sms_outbox = nullptr;
  uint32_t worker_threads = 2;
  // Payment codes the customers' phones show (step, window, prefix).
  paytoken::PaymentCodeConfig payment_code;
  // The fee a merchant onboarded without one pays, in basis points of each payment.
  uint32_t default_fee_bps = 60;
  // Dynamic QR codes and orders live this long unless the merchant says otherwise.
  int64_t default_order_ttl_ns = int64_t{15} * 60 * 1'000'000'000;
  // Signed notifications to merchants' notify_url when an order is paid.
  webhook::DispatcherOptions webhooks;
  // How often the webhook outbox is swept for notices the dispatcher does not have (after a
  // restart or a full queue), and how old an unsent notice may be before it is abandoned (the
  // portal can still re-send it).
  int64_t webhook_sweep_interval_ns = int64_t{30} * 1'000'000'000;
  int64_t webhook_max_age_ns = int64_t{72} * 3'600 * 1'000'000'000;
  // The daily T+1 settlement starts at this hour, China time (0-23); -1: only when staff run it
  // (POST /api/v1/staff/settlements/run). The scheduler looks at the clock this often.
  int settlement_hour = 2;
  int64_t settlement_check_interval_ns = int64_t{60} * 1'000'000'000;
  // How often refunds of invoiced payments are checked for a red-letter invoice still owed (the
  // invoice platform was down when they were made).
  int64_t credit_invoice_interval_ns = int64_t{60} * 1'000'000'000;
  // How often closed accounts are checked for an identity whose AML keeping period has ended
  // (engine::PurgeClosedIdentities).
  int64_t identity_purge_interval_ns = int64_t{3'600} * 1'000'000'000;
  // How often held cashback is checked for holds whose release time has come
  // (engine::ReleaseCashback).
  int64_t cashback_release_interval_ns = int64_t{60} * 1'000'000'000;
  // The in-memory limits on log-in, sign-up and OTP attempts (auth_rate_limits.h holds the
  // rules) track at most this many keys (addresses, phones, usernames) per rule, 16..2^30,
  // roughly 100 bytes each. When a rule's table is full, new keys are refused.
  int64_t rate_limit_max_keys = 100'000;
  // Off only for load tests that sign up and log in many customers from one address; the
  // configuration refuses it in production.
  bool auth_rate_limits = true;
  // WebAuthn device keys (device_key_routes.cc): the relying party id and the one origin
  // clientDataJSON must name. An empty origin turns WebAuthn off (the browser key still works).
  std::string webauthn_rp_id = "localhost";
  std::string webauthn_origin;
};

// Everything the handlers use. Not owned; all must outlive the router the routes are added to.
struct WalletServices {
  engine::Engine* engine = nullptr;
  Store* store = nullptr;
  const Clock* clock = nullptr;
  const identity::CardVault* vault = nullptr;  // Seals PANs and resident IDs.
  identity::SmsGateway* sms = nullptr;
  identity::IdentityVerifier* verifier = nullptr;
  bank::BankGateway* bank = nullptr;
  const identity::SecretKey* otp_pepper = nullptr;      // Keys the OTP hashes.
  const paytoken::QrSigningKey* qr_key = nullptr;       // Signs merchants' QR codes.
  const paytoken::QrKeyRing* qr_keys = nullptr;         // Checks scanned QR codes.
  const identity::SecretKey* webhook_key = nullptr;     // Derives each merchant's webhook secret.
  invoice::InvoiceProvider* invoices = nullptr;         // Issues e-invoices (电子发票).
  const identity::SecretKey* nfc_issuer_key = nullptr;  // Derives NFC limited-use keys.
  WalletOptions options;
};

// Registers every /api/v1 route and GET /api/openapi.json on `router`. Starts the worker pool,
// which lives as long as the returned object; destroy it after the HTTP server stopped.
class WalletApi {
 public:
  WalletApi(WalletServices services, Router& router);
  ~WalletApi();
  WalletApi(const WalletApi&) = delete;
  WalletApi& operator=(const WalletApi&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qb::wallet
