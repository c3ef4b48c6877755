// The settings of qianbaod, read from a TOML file and then from QIANBAO_* environment
// variables, which win. The file layout, with the defaults:
//
//   [server]
//   listen_address = "127.0.0.1"
//   listen_port = 8080              # 0 asks the OS for a free port
//   io_threads = 1
//   max_body_bytes = 65536
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
//
// Environment: QIANBAO_DATA_DIR, QIANBAO_LISTEN_ADDRESS, QIANBAO_LISTEN_PORT,
// QIANBAO_STORE_BACKEND, QIANBAO_POSTGRES_URL, QIANBAO_LOG_LEVEL, QIANBAO_IO_THREADS.
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
