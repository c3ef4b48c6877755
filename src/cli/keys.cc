#include "cli/keys.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <memory>
#include <ostream>

#include "base/clock.h"
#include "engine/engine.h"
#include "engine/reseal.h"
#include "identity/keyring.h"
#include "server/data_dir_lock.h"
#include "store/sqlite/sqlite_store.h"

namespace qb::cli {
namespace {

// An exclusive flock on <key file>.lock for the life of the object.
class KeyringLock {
 public:
  ~KeyringLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool Acquire(const std::string& key_file) {
    fd_ = ::open((key_file + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    return fd_ >= 0 && ::flock(fd_, LOCK_EX) == 0;
  }

 private:
  int fd_ = -1;
};

struct Keyring {
  identity::VaultKeys keys;
  identity::KeyringFormat format = identity::KeyringFormat::kPlain;
};

class KeysRun {
 public:
  KeysRun(const KeysOptions& options, std::ostream& out, std::ostream& err)
      : options_(options), out_(out), err_(err) {}

  int Init();
  int Migrate();
  int Rotate();
  int Status();
  int Retire();
  int Rewrap();

 private:
  // Loads the master key (false and a message when it is missing or malformed).
  bool MasterKey(identity::SecretKey* key, bool required);
  bool Load(const identity::SecretKey& master_key, Keyring* keyring);
  // Takes the keyring's lock: 0, or 2 after a message.
  int Lock(KeyringLock* lock);
  // The opening of every command that changes an existing keyring: the master key (optional
  // only where a plain development keyring may be read), the lock, then the keyring. 0, or
  // the exit code after a message.
  int Open(bool master_required, identity::SecretKey* master_key, KeyringLock* lock,
           Keyring* keyring);
  bool Save(const Keyring& keyring, const identity::SecretKey& master_key);
  // How many stored values each version seals: from a stopped server's state, else from the
  // running server's key-usage file. Returns 1 or 2 on failure, after a message.
  int Usage(const Keyring& keyring, engine::KeyUsage* usage, std::string* source);
  int CountStopped(const Keyring& keyring, engine::KeyUsage* usage);
  bool Fail(const std::string& message) {
    err_ << "keys: " << message << "\n";
    return false;
  }

  const KeysOptions& options_;
  std::ostream& out_;
  std::ostream& err_;
};

std::string VersionList(const identity::VaultKeys& keys) {
  std::string text;
  for (const auto& [version, key] : keys.data_keys) {
    if (!text.empty()) text += ",";
    text += std::to_string(version);
  }
  return text;
}

bool KeysRun::MasterKey(identity::SecretKey* key, bool required) {
  if (options_.master_key_file.empty() && options_.master_key_hex.empty()) {
    if (!required) return true;
    return Fail(
        "no master key: give --master-key-file, QIANBAO_MASTER_KEY_FILE or QIANBAO_MASTER_KEY");
  }
  qb::Status s = identity::LoadMasterKey(options_.master_key_file, options_.master_key_hex, key);
  return s.ok() || Fail(s.message());
}

bool KeysRun::Load(const identity::SecretKey& master_key, Keyring* keyring) {
  qb::Status s =
      identity::LoadKeyring(options_.key_file, master_key.empty() ? nullptr : &master_key,
                            &keyring->keys, &keyring->format);
  return s.ok() || Fail(options_.key_file + ": " + s.message());
}

int KeysRun::Lock(KeyringLock* lock) {
  if (lock->Acquire(options_.key_file)) return 0;
  Fail("cannot lock " + options_.key_file + ".lock");
  return 2;
}

int KeysRun::Open(bool master_required, identity::SecretKey* master_key, KeyringLock* lock,
                  Keyring* keyring) {
  if (!MasterKey(master_key, master_required)) return 1;
  if (int rc = Lock(lock); rc != 0) return rc;
  return Load(*master_key, keyring) ? 0 : 1;
}

bool KeysRun::Save(const Keyring& keyring, const identity::SecretKey& master_key) {
  const std::string text = keyring.format == identity::KeyringFormat::kWrapped
                               ? identity::FormatWrappedKeyring(keyring.keys, master_key)
                               : identity::FormatPlainKeyring(keyring.keys);
  qb::Status s = identity::WriteKeyringFile(options_.key_file, text);
  return s.ok() || Fail(s.message());
}

int KeysRun::Init() {
  identity::SecretKey master_key;
  if (!MasterKey(&master_key, true)) return 1;
  std::error_code ec;
  if (std::filesystem::exists(options_.key_file, ec)) {
    Fail(options_.key_file + " exists; `qianbao keys rotate` adds a version to it");
    return 1;
  }
  KeyringLock lock;
  if (int rc = Lock(&lock); rc != 0) return rc;
  Keyring keyring;
  keyring.format = identity::KeyringFormat::kWrapped;
  keyring.keys.data_keys.emplace(1, identity::SecretKey::Random());
  keyring.keys.active_version = 1;
  keyring.keys.lookup_key = identity::SecretKey::Random();
  if (!Save(keyring, master_key)) return 2;
  out_ << "created " << options_.key_file << ": data key version 1, wrapped by the master key "
       << identity::MasterKeyCheck(master_key) << "\n";
  return 0;
}

int KeysRun::Migrate() {
  identity::SecretKey master_key;
  KeyringLock lock;
  Keyring keyring;
  if (int rc = Open(true, &master_key, &lock, &keyring); rc != 0) return rc;
  if (keyring.format == identity::KeyringFormat::kWrapped) {
    Fail(options_.key_file + " is wrapped already");
    return 1;
  }
  keyring.format = identity::KeyringFormat::kWrapped;
  if (!Save(keyring, master_key)) return 2;
  out_ << "wrapped " << options_.key_file << " (versions " << VersionList(keyring.keys)
       << ") under the master key " << identity::MasterKeyCheck(master_key)
       << "; start qianbaod with that master key from now on\n";
  return 0;
}

int KeysRun::Rotate() {
  identity::SecretKey master_key;
  KeyringLock lock;
  Keyring keyring;
  if (int rc = Open(false, &master_key, &lock, &keyring); rc != 0) return rc;
  const uint32_t newest = keyring.keys.data_keys.rbegin()->first;
  if (newest == UINT32_MAX) {
    Fail("no version left after " + std::to_string(newest));
    return 1;
  }
  keyring.keys.data_keys.emplace(newest + 1, identity::SecretKey::Random());
  keyring.keys.active_version = newest + 1;
  if (!Save(keyring, master_key)) return 2;
  out_ << "added data key version " << newest + 1 << " to " << options_.key_file
       << " and made it active (versions " << VersionList(keyring.keys) << ")\n"
       << "a running qianbaod reloads the keyring within seconds and re-encrypts stored values "
          "in the background; follow it with `qianbao keys rotate --status`\n";
  if (keyring.format == identity::KeyringFormat::kPlain) {
    out_ << "warning: the keys are not wrapped (development); `qianbao keys migrate` wraps them\n";
  }
  return 0;
}

int KeysRun::CountStopped(const Keyring& keyring, engine::KeyUsage* usage) {
  std::unique_ptr<Store> store;
  if (qb::Status s = OpenSqliteStore(options_.data_dir, &store); !s.ok()) {
    Fail("cannot open " + options_.data_dir + ": " + s.ToString());
    return 2;
  }
  engine::EngineOptions engine_options;
  engine_options.checkpoint_on_stop = false;  // Only reading: leave the directory as it was.
  SystemClock clock;
  std::unique_ptr<engine::Engine> engine;
  if (qb::Status s = engine::Engine::Open(store.get(), &clock, engine_options, nullptr, &engine);
      !s.ok()) {
    Fail("recovery failed: " + s.ToString());
    return 2;
  }
  identity::VaultKeys keys;
  for (const auto& [version, key] : keyring.keys.data_keys)
    keys.data_keys.emplace(version, key.Clone());
  keys.active_version = keyring.keys.active_version;
  keys.lookup_key = keyring.keys.lookup_key.Clone();
  std::optional<identity::CardVault> vault = identity::CardVault::FromKeys(std::move(keys));
  engine::ResealOptions count_only;
  count_only.reseal = false;
  engine::Resealer counter(engine.get(), &*vault, count_only);
  qb::Status s = counter.RunPass(usage);
  engine->Stop();
  if (!s.ok()) {
    Fail(s.ToString());
    return 2;
  }
  return 0;
}

int KeysRun::Usage(const Keyring& keyring, engine::KeyUsage* usage, std::string* source) {
  if (options_.data_dir.empty()) {
    Fail("give --data, the server's data directory, to count the stored values");
    return 1;
  }
  DataDirLock data_lock;
  if (std::filesystem::is_directory(options_.data_dir) &&
      data_lock.Acquire(options_.data_dir).empty()) {
    *source = "counted in the stopped server's state";
    return CountStopped(keyring, usage);
  }
  const std::string path = options_.data_dir + "/" + std::string(engine::kKeyUsageFileName);
  std::string text;
  int64_t written_ns = 0;
  if (!identity::ReadKeyFileText(path, &text).ok() ||
      !engine::ParseKeyUsage(text, usage, &written_ns)) {
    Fail("the server is running but has written no key usage yet (" + path +
         "); try again in a minute");
    return 1;
  }
  const std::time_t written_s = static_cast<std::time_t>(written_ns / 1'000'000'000);
  char when[32];
  std::strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&written_s));
  *source = "the running qianbaod's last pass, at " + std::string(when);
  return 0;
}

int KeysRun::Status() {
  identity::SecretKey master_key;
  if (!MasterKey(&master_key, false)) return 1;
  Keyring keyring;
  if (!Load(master_key, &keyring)) return 1;
  engine::KeyUsage usage;
  std::string source;
  if (int rc = Usage(keyring, &usage, &source); rc != 0) return rc;
  const uint32_t active = keyring.keys.active_version;
  out_ << "keyring " << options_.key_file << " ("
       << (keyring.format == identity::KeyringFormat::kWrapped ? "wrapped" : "plain")
       << "), active version " << active << "\n";
  out_ << "stored values, " << source << ":\n";
  const bool current = usage.complete && usage.active_version == active;
  for (const auto& [version, key] : keyring.keys.data_keys) {
    auto it = usage.blobs_by_version.find(version);
    const uint64_t count = it == usage.blobs_by_version.end() ? 0 : it->second;
    out_ << "  version " << version << (version == active ? " (active)" : "") << ": " << count;
    if (version != active && count == 0 && current) out_ << "  unused: may be retired";
    out_ << "\n";
  }
  for (const auto& [version, count] : usage.blobs_by_version) {
    if (!keyring.keys.data_keys.contains(version)) {
      out_ << "  version " << version << " (not in the keyring!): " << count << "\n";
    }
  }
  if (usage.unreadable > 0) out_ << "  unreadable: " << usage.unreadable << "\n";
  if (usage.active_version != active) {
    out_ << "qianbaod still seals with version " << usage.active_version
         << ": it has not reloaded the keyring yet (see its log)\n";
  } else if (usage.old_blobs() == 0) {
    out_ << "every stored value is sealed with the active version\n";
  } else {
    out_ << usage.old_blobs() << " stored values still to re-encrypt\n";
  }
  return 0;
}

int KeysRun::Retire() {
  identity::SecretKey master_key;
  KeyringLock lock;
  Keyring keyring;
  if (int rc = Open(false, &master_key, &lock, &keyring); rc != 0) return rc;
  const uint32_t version = options_.version;
  if (!keyring.keys.data_keys.contains(version)) {
    Fail("the keyring has no version " + std::to_string(version));
    return 1;
  }
  if (version == keyring.keys.active_version) {
    Fail("version " + std::to_string(version) + " is the active one; rotate first");
    return 1;
  }
  engine::KeyUsage usage;
  std::string source;
  if (int rc = Usage(keyring, &usage, &source); rc != 0) return rc;
  auto it = usage.blobs_by_version.find(version);
  const uint64_t count = it == usage.blobs_by_version.end() ? 0 : it->second;
  if (!usage.complete || usage.active_version != keyring.keys.active_version || count > 0) {
    Fail("version " + std::to_string(version) + " may still be in use (" + std::to_string(count) +
         " stored values, " + source +
         "); wait for the re-encryption (`qianbao keys rotate --status`)");
    return 1;
  }
  keyring.keys.data_keys.erase(version);
  if (!Save(keyring, master_key)) return 2;
  out_ << "retired version " << version << " from " << options_.key_file << " (versions "
       << VersionList(keyring.keys) << ")\n";
  return 0;
}

int KeysRun::Rewrap() {
  if (options_.new_master_key_file.empty()) {
    Fail("give --new-master-key-file");
    return 1;
  }
  identity::SecretKey new_master_key;
  if (qb::Status s = identity::LoadMasterKey(options_.new_master_key_file, "", &new_master_key);
      !s.ok()) {
    Fail(s.message());
    return 1;
  }
  identity::SecretKey master_key;
  KeyringLock lock;
  Keyring keyring;
  if (int rc = Open(true, &master_key, &lock, &keyring); rc != 0) return rc;
  keyring.format = identity::KeyringFormat::kWrapped;
  if (!Save(keyring, new_master_key)) return 2;
  out_ << "rewrapped " << options_.key_file << " under the master key "
       << identity::MasterKeyCheck(new_master_key)
       << "; restart qianbaod with the new master key (the running one keeps its keys but cannot "
          "reload this keyring until then)\n";
  return 0;
}

}  // namespace

int RunKeys(KeysCommand command, const KeysOptions& options, std::ostream& out, std::ostream& err) {
  if (options.key_file.empty()) {
    err << "keys: give --key-file or QIANBAO_KEY_FILE\n";
    return 1;
  }
  KeysRun run(options, out, err);
  switch (command) {
    case KeysCommand::kInit:
      return run.Init();
    case KeysCommand::kMigrate:
      return run.Migrate();
    case KeysCommand::kRotate:
      return run.Rotate();
    case KeysCommand::kStatus:
      return run.Status();
    case KeysCommand::kRetire:
      return run.Retire();
    case KeysCommand::kRewrap:
      return run.Rewrap();
  }
  return 1;
}

}  // namespace qb::cli
