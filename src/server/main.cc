// qianbaod, the qianbao server: loads the configuration, recovers the engine from the store,
// starts the HTTP server and serves until SIGINT or SIGTERM.
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "bank/simulated_bank.h"
#include "base/clock.h"
#include "base/malloc_tuning.h"
#include "base/metrics.h"
#include "engine/engine.h"
#include "engine/risk_bootstrap.h"
#include "identity/card_vault.h"
#include "identity/identity_verifier.h"
#include "identity/keyring.h"
#include "identity/sms_gateway.h"
#include "identity/tier_limits.h"
#include "invoice/local_invoice_provider.h"
#include "paytoken/qr_payload.h"
#include "server/config.h"
#include "server/data_dir_lock.h"
#include "server/http_server.h"
#include "server/keyring_watcher.h"
#include "server/log.h"
#include "server/routes.h"
#include "server/signals.h"
#include "server/static_files.h"
#include "server/tls_context.h"
#include "store/sqlite/sqlite_store.h"
#include "wallet/services.h"

namespace {

qb::HttpServerOptions HttpOptionsFrom(const qb::ServerConfig& config,
                                      qb::metrics::Registry* metrics) {
  qb::HttpServerOptions options;
  options.listen_address = config.listen_address;
  options.listen_port = config.listen_port;
  options.io_threads = config.io_threads;
  options.max_body_bytes = config.max_body_bytes;
  options.tls_certificate_chain_file = config.tls_cert;
  options.tls_private_key_file = config.tls_key;
  options.tls_terminated_by_proxy = config.tls == "proxy";
  options.metrics = metrics;
  return options;
}

qb::engine::EngineOptions EngineOptionsFrom(const qb::ServerConfig& config) {
  qb::engine::EngineOptions options;
  options.queue_capacity = config.command_queue_capacity;
  options.max_batch_commands = config.max_batch_commands;
  options.checkpoint_every_commands = config.checkpoint_every_commands;
  return options;
}

void LogRecovery(const qb::engine::RecoveryReport& report) {
  qb::LogInfo("recovered", {{"checkpoint_seq", std::to_string(report.checkpoint_seq)},
                            {"batches_replayed", std::to_string(report.records_replayed)},
                            {"commands_replayed", std::to_string(report.commands_replayed)},
                            {"journal_seq", std::to_string(report.end.last_seq)},
                            {"dropped_torn_tail", report.dropped_torn_tail ? "true" : "false"},
                            {"duration_ms", std::to_string(report.duration_ns / 1'000'000)}});
}

// Keys derived from the lookup key, so that one key file holds every secret: BLAKE2b-256 keyed
// with the lookup key over a fixed label. Different labels keep the keys independent in use.
qb::identity::SecretKey DeriveKey(const qb::identity::SecretKey& lookup_key,
                                  std::string_view label) {
  unsigned char derived[qb::identity::SecretKey::kSize];
  crypto_generichash(derived, sizeof(derived), reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), lookup_key.data(), qb::identity::SecretKey::kSize);
  auto key = qb::identity::SecretKey::FromBytes(
      std::string_view(reinterpret_cast<const char*>(derived), sizeof(derived)));
  sodium_memzero(derived, sizeof(derived));
  return std::move(*key);
}

// The SMS gateway the configuration asks for; null after logging why it cannot be made.
qb::identity::SmsGateway* MakeSmsGateway(const qb::ServerConfig& config, const qb::Clock& clock,
                                         std::unique_ptr<qb::identity::OutboxSmsGateway>* outbox,
                                         std::unique_ptr<qb::identity::HttpSmsGateway>* http) {
  const auto deployment = config.deployment == "production"
                              ? qb::identity::Deployment::kProduction
                              : qb::identity::Deployment::kDevelopment;
  if (config.sms_provider == "outbox") {
    qb::Status s = qb::identity::OutboxSmsGateway::Create(
        deployment, qb::identity::OutboxSmsGateway::kDefaultCapacity, outbox, &clock);
    if (!s.ok()) {
      qb::LogError("cannot create the SMS outbox", {{"error", s.ToString()}});
      return nullptr;
    }
    qb::LogWarn("SMS go to the in-memory outbox, readable by admins: development only");
    return outbox->get();
  }
  qb::identity::HttpSmsConfig sms;
  sms.url = config.sms_url;
  sms.body_template = config.sms_body_template;
  sms.timeout_ms = config.sms_timeout_ms;
  if (!config.sms_api_key_header.empty()) {
    std::optional<std::string> key = qb::ProcessEnv("QIANBAO_SMS_API_KEY");
    if (!key) {
      qb::LogError("[sms] api_key_header is set but QIANBAO_SMS_API_KEY is not");
      return nullptr;
    }
    sms.headers.emplace(config.sms_api_key_header, std::move(*key));
  }
  if (qb::Status s = qb::identity::HttpSmsGateway::Create(std::move(sms), http); !s.ok()) {
    qb::LogError("cannot create the SMS gateway", {{"error", s.ToString()}});
    return nullptr;
  }
  return http->get();
}

// The card-vault keys from the key file, or throw-away ones in development.
// The master key (KEK) from [wallet] master_key_file or QIANBAO_MASTER_KEY. The variable is
// removed from the environment at once, so no child process inherits it. An empty key when
// neither is set (a plain keyring, or development without a key file).
bool LoadMasterKey(const qb::ServerConfig& config, qb::identity::SecretKey* master_key) {
  std::optional<std::string> hex = qb::ProcessEnv("QIANBAO_MASTER_KEY");
  ::unsetenv("QIANBAO_MASTER_KEY");
  if (config.master_key_file.empty() && !hex) return true;
  qb::Status s = qb::identity::LoadMasterKey(config.master_key_file, hex.value_or(""), master_key);
  if (hex) sodium_memzero(hex->data(), hex->size());
  if (!s.ok()) {
    qb::LogError("cannot load the master key", {{"error", s.ToString()}});
    return false;
  }
  return true;
}

bool LoadVaultKeys(const qb::ServerConfig& config, const qb::identity::SecretKey& master_key,
                   qb::identity::VaultKeys* keys) {
  if (config.key_file.empty()) {
    *keys = qb::identity::GenerateDevelopmentKeys();
    qb::LogWarn(
        "no key file: generated throw-away card-vault keys; sealed cards and identities "
        "become unreadable, and pending codes invalid, after a restart (set [wallet] key_file "
        "or QIANBAO_KEY_FILE)");
    return true;
  }
  qb::identity::KeyringFormat format{};
  if (qb::Status s = qb::identity::LoadKeyring(
          config.key_file, master_key.empty() ? nullptr : &master_key, keys, &format);
      !s.ok()) {
    qb::LogError("cannot load the key file", {{"path", config.key_file}, {"error", s.ToString()}});
    return false;
  }
  if (format == qb::identity::KeyringFormat::kPlain) {
    // PCI DSS 3.5: keys that protect card data are stored only encrypted by a key-encrypting key.
    if (config.deployment == "production") {
      qb::LogError(
          "production needs a wrapped keyring: run `qianbao keys migrate` with the master "
          "key (docs/SECURITY.md, Key management)",
          {{"path", config.key_file}});
      return false;
    }
    qb::LogWarn("the key file holds plain keys: development only (qianbao keys migrate wraps them)",
                {{"path", config.key_file}});
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  qb::TuneMallocForEngine();
  CLI::App app{"qianbaod: the qianbao wallet server"};
  std::string config_path;
  app.add_option("--config", config_path, "TOML configuration file; defaults apply without one");
  CLI11_PARSE(app, argc, argv);

  qb::ServerConfig config;
  if (std::string error = qb::LoadServerConfig(config_path, &config); !error.empty()) {
    std::fprintf(stderr, "qianbaod: %s\n", error.c_str());
    return 2;
  }
  if (std::string error = qb::SetupLogging(config.log_level); !error.empty()) {
    std::fprintf(stderr, "qianbaod: %s\n", error.c_str());
    return 2;
  }
  if (!config.tls_cert.empty()) {
    if (std::string error = qb::CheckTlsFiles(config.tls_cert, config.tls_key); !error.empty()) {
      qb::LogError("refusing to start: the TLS certificate or key is unusable", {{"error", error}});
      return 1;
    }
  }
  // Before any thread starts, so that only WaitForStopSignal below sees the signals.
  qb::BlockStopSignals();
  qb::LogInfo("starting", {{"data_dir", config.data_dir}, {"store", config.store_backend}});

  // Declared before the server, which uses them until it is destroyed.
  qb::metrics::Registry metrics;
  // The lock comes first: not even the store's migrations may run beside another process.
  std::error_code mkdir_error;
  std::filesystem::create_directories(config.data_dir, mkdir_error);
  qb::DataDirLock data_dir_lock;
  if (std::string error = data_dir_lock.Acquire(config.data_dir); !error.empty()) {
    qb::LogError("refusing to start", {{"error", error}});
    return 1;
  }
  std::unique_ptr<qb::Store> store;
  if (qb::Status s = qb::OpenSqliteStore(config.data_dir, &store); !s.ok()) {
    qb::LogError("cannot open the store", {{"error", s.ToString()}});
    return 1;
  }
  qb::SystemClock clock;
  std::unique_ptr<qb::engine::Engine> engine;
  if (qb::Status s = qb::engine::Engine::Open(store.get(), &clock, EngineOptionsFrom(config),
                                              &metrics, &engine);
      !s.ok()) {
    qb::LogError("recovery failed; refusing to start", {{"error", s.ToString()}});
    return 1;
  }
  LogRecovery(engine->recovery_report());
  // The risk engine starts with the default rules, journaled once (engine/risk_bootstrap.h).
  if (qb::Status s = qb::engine::EnsureDefaultRiskRules(*engine); !s.ok()) {
    qb::LogError("the default risk rules cannot be installed", {{"error", s.ToString()}});
    return 1;
  }

  // The wallet API's services. Declared before the router and the server, which use them.
  std::unique_ptr<qb::identity::OutboxSmsGateway> sms_outbox;
  std::unique_ptr<qb::identity::HttpSmsGateway> sms_http;
  qb::identity::SmsGateway* sms = MakeSmsGateway(config, clock, &sms_outbox, &sms_http);
  qb::identity::SecretKey master_key;
  qb::identity::VaultKeys keys;
  if (sms == nullptr || !LoadMasterKey(config, &master_key) ||
      !LoadVaultKeys(config, master_key, &keys)) {
    return 1;
  }
  const qb::identity::SecretKey otp_pepper = DeriveKey(keys.lookup_key, "qianbao otp pepper v1");
  // Merchants' QR codes are signed with an Ed25519 key whose seed comes from the key file too,
  // so printed codes stay valid across restarts.
  const qb::paytoken::QrSigningKey qr_key(1, DeriveKey(keys.lookup_key, "qianbao qr signing v1"));
  const qb::identity::SecretKey webhook_key =
      DeriveKey(keys.lookup_key, "qianbao webhook signing v1");
  const qb::identity::SecretKey nfc_issuer_key =
      DeriveKey(keys.lookup_key, "qianbao nfc issuer v1");
  qb::paytoken::QrKeyRing qr_keys;
  qr_keys.Add(qr_key.key_id(), qr_key.public_key());
  std::optional<qb::identity::CardVault> vault = qb::identity::CardVault::FromKeys(std::move(keys));
  if (!vault) {
    qb::LogError("the key file holds no usable card-vault keys", {{"path", config.key_file}});
    return 1;
  }
  qb::identity::LocalIdentityVerifier verifier(
      qb::identity::LocalIdentityVerifierOptions{qb::identity::ChinaDateAt(clock.NowNs()), {}});
  qb::LogWarn("identity verification uses the local stand-in: development only");
  qb::bank::SimulatedBankOptions bank_options;
  bank_options.seed = config.bank_seed;
  bank_options.failure_rate_ppm = config.bank_failure_rate_ppm;
  bank_options.latency = std::chrono::milliseconds(config.bank_latency_ms);
  qb::bank::SimulatedBank bank(bank_options);
  // The tax platform's stand-in: numbers invoices itself and says so on every PDF.
  std::unique_ptr<qb::invoice::LocalInvoiceProvider> invoices;
  qb::invoice::LocalInvoiceProviderOptions invoice_options;
  invoice_options.directory = config.data_dir + "/invoices";
  if (qb::Status s = qb::invoice::LocalInvoiceProvider::Open(invoice_options, &invoices); !s.ok()) {
    qb::LogError("the local invoice provider cannot start", {{"error", s.ToString()}});
    return 1;
  }
  qb::LogWarn("e-invoices come from the local stand-in provider, not a tax platform");

  qb::wallet::WalletServices services;
  services.engine = engine.get();
  services.store = store.get();
  services.clock = &clock;
  services.vault = &*vault;
  services.sms = sms;
  services.verifier = &verifier;
  services.bank = &bank;
  services.otp_pepper = &otp_pepper;
  services.qr_key = &qr_key;
  services.qr_keys = &qr_keys;
  services.webhook_key = &webhook_key;
  services.invoices = invoices.get();
  services.nfc_issuer_key = &nfc_issuer_key;
  // Merchants testing against their own machine use loopback notify URLs; production refuses
  // them (SSRF) unless told otherwise.
  services.options.webhooks.allow_private_networks =
      config.webhook_private_networks.empty() ? config.deployment == "development"
                                              : config.webhook_private_networks == "allow";
  services.options.customer_idle_timeout_ns =
      int64_t{config.customer_idle_minutes} * 60 * 1'000'000'000;
  services.options.staff_idle_timeout_ns = int64_t{config.staff_idle_minutes} * 60 * 1'000'000'000;
  services.options.settlement_hour = config.settlement_hour;
  services.options.auth_rate_limits = config.auth_rate_limits == "on";
  services.options.webauthn_rp_id = config.webauthn_rp_id;
  services.options.webauthn_origin = config.webauthn_origin;
  if (config.webauthn_origin.empty() && config.deployment == "development") {
    services.options.webauthn_origin = std::string(config.tls_cert.empty() ? "http" : "https") +
                                       "://localhost:" + std::to_string(config.listen_port);
  }
  services.options.sms_outbox = sms_outbox.get();
  services.options.worker_threads = config.wallet_worker_threads;

  qb::Router router;
  // Stopped after the server and the engine (the end of main): its workers may still be
  // answering requests the engine has replied to.
  qb::wallet::WalletApi wallet(services, router);
  qb::AddOperationalRoutes(router, metrics, [&engine]() -> std::string {
    return engine->stats().failed ? "the journal cannot be written; restart to recover" : "";
  });

  // The built web app (`make web` → web/dist), relative to the working directory; every GET
  // that no route matches, outside /api, is served from it.
  qb::StaticFiles web_app("web/dist");
  router.SetFallback([&web_app](qb::HttpRequest&& request, qb::Responder respond) {
    web_app.Serve(request, std::move(respond));
  });

  // Key rotation without downtime: reload the keyring when it changes and reseal old values in
  // the background (server/keyring_watcher.h). Only with a key file: throw-away development keys
  // have nothing to rotate.
  std::unique_ptr<qb::KeyringWatcher> keyring_watcher;
  if (!config.key_file.empty()) {
    qb::KeyringWatcherOptions watcher_options;
    watcher_options.key_file = config.key_file;
    watcher_options.usage_path = config.data_dir + "/" + std::string(qb::engine::kKeyUsageFileName);
    keyring_watcher = std::make_unique<qb::KeyringWatcher>(
        engine.get(), &*vault, master_key.empty() ? nullptr : &master_key, &clock,
        std::move(watcher_options));
    keyring_watcher->Start();
  }

  qb::HttpServer server(HttpOptionsFrom(config, &metrics), router.AsHandler());
  if (std::string error = server.Start(); !error.empty()) {
    qb::LogError("cannot start the HTTP server", {{"error", error}});
    return 1;
  }
  qb::LogInfo("listening", {{"address", config.listen_address},
                            {"port", std::to_string(server.port())},
                            {"scheme", server.tls() ? "https" : "http"},
                            {"allocator", qb::MallocDescription()}});
  if (!server.tls() && config.tls != "proxy") {
    qb::LogWarn("serving plain HTTP: development only (set [server] tls_cert and tls_key)");
  }

  int signal_number = qb::WaitForStopSignal();
  qb::LogInfo("stopping", {{"signal", std::to_string(signal_number)}});
  server.Stop();
  if (keyring_watcher) keyring_watcher->Stop();
  // The engine stops before the wallet API goes (at the end of main): every engine callback has
  // then run, so none can reach the API's state after it is destroyed.
  engine->Stop();
  qb::LogInfo("stopped");
  return 0;
}
