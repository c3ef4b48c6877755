// Key rotation without downtime, inside qianbaod. A background thread:
//
//  1. notices when the keyring file changes (`qianbao keys rotate`, `retire`; it polls the
//     file's inode, size and modification time every poll_interval — no signal is needed) and
//     reloads the vault's data keys, refusing a keyring that drops a version still in use;
//  2. runs reseal passes (engine/reseal.h) after a reload until a pass finds nothing left to
//     reseal, and once at start and every rescan_interval to keep the counts fresh;
//  3. writes the counts of each pass to <data_dir>/key-usage (engine::FormatKeyUsage), which
//     `qianbao keys rotate --status` and `qianbao keys retire` read while the server runs.
//
// Each reseal step is bounded (ResealOptions) and the thread pauses step_pause between steps,
// so requests keep flowing through the engine during a rotation. Key material is never logged.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "base/clock.h"
#include "engine/engine.h"
#include "engine/reseal.h"
#include "identity/card_vault.h"
#include "identity/secret_key.h"

namespace qb {

struct KeyringWatcherOptions {
  std::string key_file;
  std::string usage_path;  // Where the key-usage counts go; "" writes none.
  std::chrono::milliseconds poll_interval{2000};
  std::chrono::milliseconds step_pause{5};
  std::chrono::milliseconds rescan_interval{std::chrono::hours(1)};
  engine::ResealOptions reseal;
};

class KeyringWatcher {
 public:
  // `engine`, `vault`, `master_key` (null for a plain keyring) and `clock` must outlive the
  // watcher.
  KeyringWatcher(engine::Engine* engine, identity::CardVault* vault,
                 const identity::SecretKey* master_key, const Clock* clock,
                 KeyringWatcherOptions options);
  ~KeyringWatcher();
  KeyringWatcher(const KeyringWatcher&) = delete;
  KeyringWatcher& operator=(const KeyringWatcher&) = delete;

  void Start();
  // Stops the thread after its current step. Idempotent; call before the engine stops.
  void Stop();

  // One round of the loop on the caller's thread (tests): reload if the file changed, then
  // passes until nothing is left to reseal. Returns the last pass's counts.
  engine::KeyUsage RunOnce();

 private:
  struct FileId {
    ino_t inode = 0;
    off_t size = 0;
    int64_t modified_ns = 0;
    bool operator==(const FileId&) const = default;
  };
  FileId Identify() const;
  bool Reload();
  // Steps until a pass ends or Stop; false when stopped or the engine refused.
  bool RunPass(engine::KeyUsage* usage);
  void Run();
  bool Stopping();

  // Records a key event in the audit chain ("keys.reload", "keys.reseal"); a failure is
  // logged, the rotation goes on.
  void AuditKeyEvent(std::string action, std::string detail);

  engine::Engine* const engine_;
  identity::CardVault* const vault_;
  const identity::SecretKey* const master_key_;
  const Clock* const clock_;
  const KeyringWatcherOptions options_;
  engine::Resealer resealer_;
  FileId loaded_;
  int passes_wanted_ = 1;  // The first counts what the server started with.
  engine::KeyUsage last_usage_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace qb
