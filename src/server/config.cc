#include "server/config.h"

#include <arpa/inet.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

namespace qb {
namespace {

// Upper limits keep a typo (an extra zero or three) from turning into an allocation that
// takes the machine down; none is near what a real deployment needs.
constexpr int64_t kMaxIoThreads = 256;
constexpr int64_t kMaxBodyBytes = int64_t{1} << 30;
constexpr int64_t kMaxQueueCapacity = int64_t{1} << 24;
constexpr int64_t kMaxBatchCommands = int64_t{1} << 20;
constexpr int64_t kMaxCheckpointEveryCommands = int64_t{1} << 40;
constexpr int64_t kMaxWalletWorkers = 64;
constexpr int64_t kMaxIdleMinutes = 12 * 60;  // The absolute session lifetime.
constexpr int64_t kMaxTimeoutMs = 60'000;

struct StringField {
  std::string_view section;
  std::string_view key;
  std::string_view env;  // Empty when no variable overrides it.
  std::string ServerConfig::*member;
};

struct IntegerField {
  std::string_view section;
  std::string_view key;
  std::string_view env;
  int64_t min;
  int64_t max;
  void (*set)(ServerConfig&, int64_t);
};

constexpr std::array kStringFields = {
    StringField{"server", "listen_address", "QIANBAO_LISTEN_ADDRESS",
                &ServerConfig::listen_address},
    StringField{"store", "backend", "QIANBAO_STORE_BACKEND", &ServerConfig::store_backend},
    StringField{"store", "data_dir", "QIANBAO_DATA_DIR", &ServerConfig::data_dir},
    StringField{"store", "postgres_url", "QIANBAO_POSTGRES_URL", &ServerConfig::postgres_url},
    StringField{"log", "level", "QIANBAO_LOG_LEVEL", &ServerConfig::log_level},
    StringField{"wallet", "deployment", "QIANBAO_DEPLOYMENT", &ServerConfig::deployment},
    StringField{"wallet", "key_file", "QIANBAO_KEY_FILE", &ServerConfig::key_file},
    StringField{"wallet", "master_key_file", "QIANBAO_MASTER_KEY_FILE",
                &ServerConfig::master_key_file},
    StringField{"sms", "provider", "QIANBAO_SMS_PROVIDER", &ServerConfig::sms_provider},
    StringField{"sms", "url", "QIANBAO_SMS_URL", &ServerConfig::sms_url},
    StringField{"sms", "body_template", "", &ServerConfig::sms_body_template},
    StringField{"sms", "api_key_header", "", &ServerConfig::sms_api_key_header},
    StringField{"webhooks", "private_networks", "QIANBAO_WEBHOOKS_PRIVATE_NETWORKS",
                &ServerConfig::webhook_private_networks},
    StringField{"wallet", "auth_rate_limits", "QIANBAO_AUTH_RATE_LIMITS",
                &ServerConfig::auth_rate_limits},
    StringField{"server", "tls_cert", "QIANBAO_TLS_CERT", &ServerConfig::tls_cert},
    StringField{"server", "tls_key", "QIANBAO_TLS_KEY", &ServerConfig::tls_key},
    StringField{"server", "tls", "QIANBAO_TLS", &ServerConfig::tls},
    StringField{"wallet", "webauthn_rp_id", "QIANBAO_WEBAUTHN_RP_ID",
                &ServerConfig::webauthn_rp_id},
    StringField{"wallet", "webauthn_origin", "QIANBAO_WEBAUTHN_ORIGIN",
                &ServerConfig::webauthn_origin},
};

const std::array kIntegerFields = {
    IntegerField{"server", "listen_port", "QIANBAO_LISTEN_PORT", 0, 65535,
                 [](ServerConfig& c, int64_t v) { c.listen_port = static_cast<uint16_t>(v); }},
    IntegerField{"server", "io_threads", "QIANBAO_IO_THREADS", 1, kMaxIoThreads,
                 [](ServerConfig& c, int64_t v) { c.io_threads = static_cast<uint32_t>(v); }},
    IntegerField{"server", "max_body_bytes", "", 1, kMaxBodyBytes,
                 [](ServerConfig& c, int64_t v) { c.max_body_bytes = static_cast<uint64_t>(v); }},
    IntegerField{
        "engine", "command_queue_capacity", "", 1, kMaxQueueCapacity,
        [](ServerConfig& c, int64_t v) { c.command_queue_capacity = static_cast<uint64_t>(v); }},
    IntegerField{
        "engine", "max_batch_commands", "", 1, kMaxBatchCommands,
        [](ServerConfig& c, int64_t v) { c.max_batch_commands = static_cast<uint64_t>(v); }},
    IntegerField{
        "engine", "checkpoint_every_commands", "", 1, kMaxCheckpointEveryCommands,
        [](ServerConfig& c, int64_t v) { c.checkpoint_every_commands = static_cast<uint64_t>(v); }},
    IntegerField{
        "wallet", "worker_threads", "", 1, kMaxWalletWorkers,
        [](ServerConfig& c, int64_t v) { c.wallet_worker_threads = static_cast<uint32_t>(v); }},
    IntegerField{
        "wallet", "customer_idle_minutes", "", 1, kMaxIdleMinutes,
        [](ServerConfig& c, int64_t v) { c.customer_idle_minutes = static_cast<uint32_t>(v); }},
    IntegerField{
        "wallet", "staff_idle_minutes", "", 1, kMaxIdleMinutes,
        [](ServerConfig& c, int64_t v) { c.staff_idle_minutes = static_cast<uint32_t>(v); }},
    IntegerField{"sms", "timeout_ms", "", 100, kMaxTimeoutMs,
                 [](ServerConfig& c, int64_t v) { c.sms_timeout_ms = static_cast<uint32_t>(v); }},
    IntegerField{"bank", "latency_ms", "", 0, kMaxTimeoutMs,
                 [](ServerConfig& c, int64_t v) { c.bank_latency_ms = static_cast<uint32_t>(v); }},
    IntegerField{
        "bank", "failure_rate_ppm", "", 0, 1'000'000,
        [](ServerConfig& c, int64_t v) { c.bank_failure_rate_ppm = static_cast<uint32_t>(v); }},
    IntegerField{"bank", "seed", "", 0, INT64_MAX,
                 [](ServerConfig& c, int64_t v) { c.bank_seed = static_cast<uint64_t>(v); }},
    IntegerField{"settlement", "hour", "", -1, 23,
                 [](ServerConfig& c, int64_t v) { c.settlement_hour = static_cast<int>(v); }},
};

constexpr std::array<std::string_view, 9> kSections = {
    "server", "store", "engine", "log", "wallet", "sms", "bank", "webhooks", "settlement"};
constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug",    "info", "warn",
                                                        "error", "critical", "off"};

std::string RangeError(std::string_view where, int64_t min, int64_t max) {
  return std::string(where) + ": must be an integer from " + std::to_string(min) + " to " +
         std::to_string(max);
}

// Applies one key of the file. Returns an error, or "" when the key is known and valid.
std::string ApplyTomlKey(std::string_view section, std::string_view key, const toml::node& node,
                         const std::string& where, ServerConfig& config) {
  for (const StringField& field : kStringFields) {
    if (field.section != section || field.key != key) continue;
    const toml::value<std::string>* value = node.as_string();
    if (value == nullptr) return where + ": must be a string";
    config.*field.member = value->get();
    return "";
  }
  for (const IntegerField& field : kIntegerFields) {
    if (field.section != section || field.key != key) continue;
    const toml::value<int64_t>* value = node.as_integer();
    if (value == nullptr || value->get() < field.min || value->get() > field.max) {
      return RangeError(where, field.min, field.max);
    }
    field.set(config, value->get());
    return "";
  }
  return where + ": unknown key";
}

std::string ApplyFile(const std::string& path, ServerConfig& config) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return "config file " + path + ": not found or not a regular file";
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    const toml::source_position& begin = error.source().begin;
    return "config file " + path + ":" + std::to_string(begin.line) + ":" +
           std::to_string(begin.column) + ": " + std::string(error.description());
  }
  for (const auto& [section_key, section_node] : root) {
    std::string section(section_key.str());
    std::string where = path + ": [" + section + "]";
    if (std::find(kSections.begin(), kSections.end(), section) == kSections.end()) {
      return where + ": unknown section";
    }
    const toml::table* table = section_node.as_table();
    if (table == nullptr) return where + ": must be a table";
    for (const auto& [key, node] : *table) {
      std::string error =
          ApplyTomlKey(section, key.str(), node, where + " " + std::string(key.str()), config);
      if (!error.empty()) return error;
    }
  }
  return "";
}

std::string ApplyEnv(const EnvLookup& env, ServerConfig& config) {
  for (const StringField& field : kStringFields) {
    if (std::optional<std::string> value = env(field.env)) config.*field.member = *value;
  }
  for (const IntegerField& field : kIntegerFields) {
    if (field.env.empty()) continue;
    std::optional<std::string> text = env(field.env);
    if (!text) continue;
    int64_t value = 0;
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc() || ptr != end || value < field.min || value > field.max) {
      return RangeError(field.env, field.min, field.max);
    }
    field.set(config, value);
  }
  return "";
}

// The TLS keys only: whether the files exist and match is checked when the server starts.
std::string ValidateTls(const ServerConfig& config) {
  if (config.tls != "auto" && config.tls != "proxy") {
    return "[server] tls must be \"auto\" or \"proxy\"";
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return "[server] tls_cert and tls_key must be set together";
  }
  if (config.tls == "proxy" && !config.tls_cert.empty()) {
    return "[server] tls = \"proxy\" serves plain HTTP: leave tls_cert and tls_key empty";
  }
  return "";
}

// Checks what a single key cannot: values from the environment, and choices among names.
std::string Validate(const ServerConfig& config) {
  if (config.store_backend == "postgres") {
    return "store backend \"postgres\" is not supported yet; use \"sqlite\"";
  }
  if (config.store_backend != "sqlite") {
    return "store backend \"" + config.store_backend + "\" is unknown; use \"sqlite\"";
  }
  if (config.data_dir.empty()) return "data_dir must not be empty";
  // Only numeric addresses: resolving a host name at start-up could bind somewhere unexpected.
  unsigned char address[sizeof(in6_addr)];
  if (inet_pton(AF_INET, config.listen_address.c_str(), address) != 1 &&
      inet_pton(AF_INET6, config.listen_address.c_str(), address) != 1) {
    return "listen_address \"" + config.listen_address + "\" is not a numeric IPv4 or IPv6 address";
  }
  if (config.deployment != "development" && config.deployment != "production") {
    return "deployment \"" + config.deployment + "\" is unknown; use development or production";
  }
  if (config.sms_provider != "outbox" && config.sms_provider != "http") {
    return "sms provider \"" + config.sms_provider + "\" is unknown; use outbox or http";
  }
  if (config.sms_provider == "http" &&
      (config.sms_url.empty() || config.sms_body_template.empty())) {
    return "sms provider \"http\" needs [sms] url and body_template";
  }
  if (!config.webhook_private_networks.empty() && config.webhook_private_networks != "allow" &&
      config.webhook_private_networks != "refuse") {
    return "[webhooks] private_networks must be \"allow\" or \"refuse\"";
  }
  if (config.auth_rate_limits != "on" && config.auth_rate_limits != "off") {
    return "[wallet] auth_rate_limits must be \"on\" or \"off\"";
  }
  if (std::string error = ValidateTls(config); !error.empty()) return error;
  if (config.deployment == "production") {
    if (config.auth_rate_limits != "on")
      return "production needs [wallet] auth_rate_limits = \"on\"";
    // Development stand-ins would hand codes to admins or lose every card on restart.
    if (config.sms_provider == "outbox") return "production needs [sms] provider = \"http\"";
    if (config.key_file.empty()) return "production needs [wallet] key_file";
    // Bearer tokens, passwords and card numbers must not cross a network in the clear.
    if (config.tls == "auto" && config.tls_cert.empty()) {
      return "production needs HTTPS: set [server] tls_cert and tls_key, or [server] tls = "
             "\"proxy\" when a proxy in front terminates TLS";
    }
  }
  if (std::find(kLogLevels.begin(), kLogLevels.end(), config.log_level) == kLogLevels.end()) {
    return "log level \"" + config.log_level +
           "\" is unknown; use trace, debug, info, warn, error, critical or off";
  }
  return "";
}

}  // namespace

std::optional<std::string> ProcessEnv(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string LoadServerConfig(const std::string& path, ServerConfig* config, const EnvLookup& env) {
  ServerConfig loaded;
  std::string error;
  if (!path.empty()) error = ApplyFile(path, loaded);
  if (error.empty()) error = ApplyEnv(env, loaded);
  if (error.empty()) error = Validate(loaded);
  if (!error.empty()) return error;
  *config = std::move(loaded);
  return "";
}

}  // namespace qb
