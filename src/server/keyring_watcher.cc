#include "server/keyring_watcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <utility>

#include "identity/keyring.h"
#include "server/log.h"

namespace qb {
namespace {

std::string VersionList(const std::vector<uint32_t>& versions) {
  std::string text;
  for (uint32_t version : versions) {
    if (!text.empty()) text += ",";
    text += std::to_string(version);
  }
  return text;
}

}  // namespace

KeyringWatcher::KeyringWatcher(engine::Engine* engine, identity::CardVault* vault,
                               const identity::SecretKey* master_key, const Clock* clock,
                               KeyringWatcherOptions options)
    : engine_(engine),
      vault_(vault),
      master_key_(master_key),
      clock_(clock),
      options_(std::move(options)),
      resealer_(engine, vault, options_.reseal),
      loaded_(Identify()) {}

KeyringWatcher::~KeyringWatcher() { Stop(); }

void KeyringWatcher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void KeyringWatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool KeyringWatcher::Stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

KeyringWatcher::FileId KeyringWatcher::Identify() const {
  struct stat info {};
  if (::stat(options_.key_file.c_str(), &info) != 0) return FileId{};
  return FileId{info.st_ino, info.st_size,
                int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec};
}

bool KeyringWatcher::Reload() {
  identity::VaultKeys keys;
  identity::KeyringFormat format{};
  if (Status s = identity::LoadKeyring(options_.key_file, master_key_, &keys, &format); !s.ok()) {
    LogError("cannot reload the keyring; keeping the keys in use",
             {{"path", options_.key_file}, {"error", s.ToString()}});
    return false;
  }
  // A version may leave the keyring only once a whole pass under the current active key found
  // no value sealed with it; otherwise those values would become unreadable.
  for (uint32_t version : vault_->versions()) {
    if (keys.data_keys.contains(version)) continue;
    auto used = last_usage_.blobs_by_version.find(version);
    const bool unused = last_usage_.complete &&
                        last_usage_.active_version == vault_->active_version() &&
                        (used == last_usage_.blobs_by_version.end() || used->second == 0);
    if (!unused) {
      LogError("the keyring drops a key version still in use; keeping the keys in use",
               {{"path", options_.key_file}, {"version", std::to_string(version)}});
      return false;
    }
  }
  const uint32_t active = keys.active_version;
  std::vector<uint32_t> versions;
  for (const auto& [version, key] : keys.data_keys) versions.push_back(version);
  if (Status s = vault_->ReloadDataKeys(std::move(keys)); !s.ok()) {
    LogError("cannot use the reloaded keyring; keeping the keys in use",
             {{"path", options_.key_file}, {"error", s.ToString()}});
    return false;
  }
  LogInfo("keyring reloaded",
          {{"active_version", std::to_string(active)}, {"versions", VersionList(versions)}});
  AuditKeyEvent("keys.reload", "{\"active_version\":" + std::to_string(active) +
                                   ",\"versions\":\"" + VersionList(versions) + "\"}");
  return true;
}

void KeyringWatcher::AuditKeyEvent(std::string action, std::string detail) {
  audit::AuditEvent event;
  event.time_ns = clock_->NowNs();
  event.actor_kind = audit::ActorKind::kSystem;
  event.action = std::move(action);
  event.target = "keyring";
  event.detail = std::move(detail);
  engine::Reply reply = engine_->Execute(engine::RecordAudit{std::move(event)});
  if (reply.status != engine::ReplyStatus::kOk || reply.results.empty() || reply.results[0] != 0) {
    LogError("a key event could not be audited",
             {{"status", std::string(engine::ReplyStatusName(reply.status))}});
  }
}

bool KeyringWatcher::RunPass(engine::KeyUsage* usage) {
  bool done = false;
  while (!done) {
    if (Stopping()) return false;
    if (Status s = resealer_.Step(&done); !s.ok()) {
      LogWarn("key rotation paused", {{"error", s.ToString()}});
      return false;
    }
    if (!done && options_.step_pause.count() > 0) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.step_pause, [this] { return stopping_; });
    }
  }
  *usage = resealer_.usage();
  last_usage_ = *usage;
  if (!options_.usage_path.empty()) {
    Status s = identity::WriteKeyringFile(options_.usage_path,
                                          engine::FormatKeyUsage(*usage, clock_->NowNs()));
    if (!s.ok()) LogWarn("cannot write the key-usage file", {{"error", s.ToString()}});
  }
  if (usage->resealed > 0 || usage->unreadable > 0) {
    AuditKeyEvent("keys.reseal", "{\"active_version\":" + std::to_string(usage->active_version) +
                                     ",\"resealed\":" + std::to_string(usage->resealed) +
                                     ",\"old_values_left\":" + std::to_string(usage->old_blobs()) +
                                     ",\"unreadable\":" + std::to_string(usage->unreadable) + "}");
    LogInfo("reseal pass done", {{"active_version", std::to_string(usage->active_version)},
                                 {"resealed", std::to_string(usage->resealed)},
                                 {"old_values_left", std::to_string(usage->old_blobs())},
                                 {"unreadable", std::to_string(usage->unreadable)}});
  }
  return true;
}

engine::KeyUsage KeyringWatcher::RunOnce() {
  const FileId now = Identify();
  if (!(now == loaded_)) {
    loaded_ = now;
    // Two passes at least: a request that sealed with the old key just before the reload may
    // commit after the first pass went by its row.
    if (Reload()) passes_wanted_ = std::max(passes_wanted_, 2);
  }
  engine::KeyUsage usage;
  while (passes_wanted_ > 0) {
    if (!RunPass(&usage)) break;
    // Keep going while passes still move values; stop once one finds nothing to do.
    const bool moved = usage.resealed > 0 || usage.changed > 0;
    passes_wanted_ = moved ? std::max(passes_wanted_ - 1, 1) : passes_wanted_ - 1;
  }
  return usage;
}

void KeyringWatcher::Run() {
  int64_t next_rescan_ns = 0;
  while (!Stopping()) {
    const int64_t now_ns = clock_->NowNs();
    if (now_ns >= next_rescan_ns) {
      passes_wanted_ = std::max(passes_wanted_, 1);
      next_rescan_ns =
          now_ns +
          std::chrono::duration_cast<std::chrono::nanoseconds>(options_.rescan_interval).count();
    }
    RunOnce();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
  }
}

}  // namespace qb
