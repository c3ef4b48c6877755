// The settings of qianbaod, read from a TOML file and then from QIANBAO_* environment
// variables, which win. The file layout, with the defaults:
//
//   [server]
//   listen_address = "127.0.0.1"
//   listen_port = 8080              # 0 asks the OS for a free port
//   io_threads = 1
//   max_body_bytes = 65536
//   tls_cert = ""                   # PEM certificate chain (server's certificate first); with
//   tls_key = ""                    # its PEM private key, qianbaod serves HTTPS only
//   tls = "auto"                    # "auto": HTTPS when tls_cert and tls_key are set, else plain
//                                   # HTTP (development only); "proxy": plain HTTP because a
//                                   # proxy in front terminates TLS (production accepts either
//                                   # tls_cert + tls_key or "proxy")
//   [store]
//   backend = "sqlite"              # "postgres" is reserved and rejected for now
//   data_dir = "./data"
//   postgres_url = ""
//   [engine]
//   command_queue_capacity = 65536
//   max_batch_commands = 8192
//   checkpoint_every_commands = 2000000
//   [log]
//   level = "info"                  # trace, debug, info, warn, error, critical, off
//   [wallet]
//   deployment = "development"      # or "production", which refuses development stand-ins
//   key_file = ""                   # card-vault keys (identity/card_vault.h); "" generates
//                                   # throw-away keys, development only
//   master_key_file = ""            # the master key (KEK, 64 hex) that wraps the keyring's
//                                   # keys (identity/keyring.h); or QIANBAO_MASTER_KEY itself
//   worker_threads = 2
//   customer_idle_minutes = 30
//   staff_idle_minutes = 15
//   auth_rate_limits = "on"         # per-IP/account/phone limits on log-in, sign-up and OTP;
//                                   # "off" only for load tests, refused in production
//   webauthn_rp_id = "localhost"    # WebAuthn device keys (mfa/webauthn.h): the relying party
//                                   # id, a domain (browsers refuse IP addresses)
//   webauthn_origin = ""            # the origin clientDataJSON must name, e.g.
//                                   # "https://wallet.example.cn"; "" in development means
//                                   # http(s)://localhost:<listen_port>, in production that
//                                   # WebAuthn is off (the browser key still works)
//   [sms]
//   provider = "outbox"             # "outbox" (development: kept in memory, shown to admins)
//                                   # or "http" (a provider's HTTP API)
//   url = ""                        # http: "http://host[:port]/path"
//   body_template = ""              # http: see identity::HttpSmsConfig
//   api_key_header = ""             # http: header carrying QIANBAO_SMS_API_KEY, if any
//   timeout_ms = 5000
//   [bank]                          # the simulated bank (the only one so far)
//   latency_ms = 0
//   failure_rate_ppm = 0
//   seed = 1
//   [webhooks]
//   private_networks = ""           # "allow" or "refuse" merchant notify URLs on loopback and
//                                   # private addresses; "" allows them in development only
//   [settlement]
//   hour = 2                        # the daily T+1 settlement starts then, China time (0-23);
//                                   # -1: only when staff run it
//
// Environment: QIANBAO_DATA_DIR, QIANBAO_LISTEN_ADDRESS, QIANBAO_LISTEN_PORT,
// QIANBAO_STORE_BACKEND, QIANBAO_POSTGRES_URL, QIANBAO_LOG_LEVEL, QIANBAO_IO_THREADS,
// QIANBAO_DEPLOYMENT, QIANBAO_KEY_FILE, QIANBAO_MASTER_KEY_FILE, QIANBAO_SMS_PROVIDER,
// QIANBAO_SMS_URL, QIANBAO_WEBHOOKS_PRIVATE_NETWORKS, QIANBAO_AUTH_RATE_LIMITS,
// QIANBAO_TLS_CERT, QIANBAO_TLS_KEY, QIANBAO_TLS, QIANBAO_WEBAUTHN_RP_ID,
// QIANBAO_WEBAUTHN_ORIGIN. The SMS provider's API key comes only from
// QIANBAO_SMS_API_KEY, read by qianbaod, never a file. The
// master key may come from QIANBAO_MASTER_KEY (64 hex) instead of a file; qianbaod reads it
// and removes it from its environment.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace qb {

struct ServerConfig {
  std::string data_dir = "./data";
  std::string listen_address = "127.0.0.1";
  uint16_t listen_port = 8080;
  std::string store_backend = "sqlite";
  std::string postgres_url;  // A secret (it may hold a password): never log it.
  uint32_t io_threads = 1;
  uint64_t max_body_bytes = 65536;
  uint64_t command_queue_capacity = 65536;
  uint64_t max_batch_commands = 8192;
  uint64_t checkpoint_every_commands = 2000000;
  std::string log_level = "info";
  std::string deployment = "development";
  std::string key_file;
  std::string master_key_file;  // A path; the key itself never sits in the config.
  uint32_t wallet_worker_threads = 2;
  uint32_t customer_idle_minutes = 30;
  uint32_t staff_idle_minutes = 15;
  int settlement_hour = 2;
  std::string sms_provider = "outbox";
  std::string sms_url;
  std::string sms_body_template;
  std::string sms_api_key_header;
  uint32_t sms_timeout_ms = 5000;
  uint32_t bank_latency_ms = 0;
  uint32_t bank_failure_rate_ppm = 0;
  uint64_t bank_seed = 1;
  std::string webhook_private_networks;  // "allow", "refuse" or "" (by deployment).
  std::string auth_rate_limits = "on";   // "on", or "off" for load tests (not in production).
  std::string webauthn_rp_id = "localhost";
  std::string webauthn_origin;  // "": see above.
  std::string tls_cert;         // Paths; both set or both empty.
  std::string tls_key;
  std::string tls = "auto";  // "auto" or "proxy" (TLS terminates at a proxy in front).
};

// Returns the value of an environment variable, or nothing when it is unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Looks variables up in the process environment.
std::optional<std::string> ProcessEnv(std::string_view name);

// Fills *config from the file at path (or from the defaults when path is empty), then from
// the environment, then checks every value. Returns an empty string on success, or a message
// naming the file, key or variable at fault: a missing or malformed file, an unknown section or
// key, a value of the wrong type or out of range. On failure *config is left unchanged.
std::string LoadServerConfig(const std::string& path, ServerConfig* config,
                             const EnvLookup& env = ProcessEnv);

}  // namespace qb
