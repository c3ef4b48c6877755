// qianbaod, the qianbao server: loads the configuration, recovers the engine from the store,
// starts the HTTP server and serves until SIGINT or SIGTERM.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "base/clock.h"
#include "base/metrics.h"
#include "engine/engine.h"
#include "server/config.h"
#include "server/http_server.h"
#include "server/log.h"
#include "server/routes.h"
#include "server/signals.h"
#include "server/static_files.h"
#include "store/sqlite/sqlite_store.h"

namespace {

qb::HttpServerOptions HttpOptionsFrom(const qb::ServerConfig& config,
                                      qb::metrics::Registry* metrics) {
  qb::HttpServerOptions options;
  options.listen_address = config.listen_address;
  options.listen_port = config.listen_port;
  options.io_threads = config.io_threads;
  options.max_body_bytes = config.max_body_bytes;
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

}  // namespace

int main(int argc, char** argv) {
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
  // Before any thread starts, so that only WaitForStopSignal below sees the signals.
  qb::BlockStopSignals();
  qb::LogInfo("starting", {{"data_dir", config.data_dir}, {"store", config.store_backend}});

  // Declared before the server, which uses them until it is destroyed.
  qb::metrics::Registry metrics;
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

  qb::Router router;
  qb::AddOperationalRoutes(router, metrics, [&engine]() -> std::string {
    return engine->stats().failed ? "the journal cannot be written; restart to recover" : "";
  });

  // The built web app (`make web` → web/dist), relative to the working directory; every GET
  // that no route matches, outside /api, is served from it.
  qb::StaticFiles web_app("web/dist");
  router.SetFallback([&web_app](qb::HttpRequest&& request, qb::Responder respond) {
    web_app.Serve(request, std::move(respond));
  });

  qb::HttpServer server(HttpOptionsFrom(config, &metrics), router.AsHandler());
  if (std::string error = server.Start(); !error.empty()) {
    qb::LogError("cannot start the HTTP server", {{"error", error}});
    return 1;
  }
  qb::LogInfo("listening",
              {{"address", config.listen_address}, {"port", std::to_string(server.port())}});

  int signal_number = qb::WaitForStopSignal();
  qb::LogInfo("stopping", {{"signal", std::to_string(signal_number)}});
  server.Stop();
  engine->Stop();
  qb::LogInfo("stopped");
  return 0;
}
