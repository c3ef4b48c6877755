// `qianbao keys` against real files and a real data directory: init, rotate, status and retire
// with the server stopped; the same rotation with the "server" running (an engine holding the
// data directory's lock and a KeyringWatcher, as qianbaod has), where the watcher reloads the
// keyring, reseals in the background and writes the key usage the CLI reads; migrate from the
// plain format; rewrap under a new master key; and the refusals.
#include "cli/keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "base/clock.h"
#include "engine/engine.h"
#include "engine/reseal.h"
#include "identity/keyring.h"
#include "server/data_dir_lock.h"
#include "server/keyring_watcher.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace qb::cli {
namespace {

constexpr int64_t kStartNs = 1'700'000'000'000'000'000;

class KeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(data_dir_);
    WriteSecret(master_file_, std::string(64, 'a'));
    options_.key_file = dir_.path() + "/keys.txt";
    options_.data_dir = data_dir_;
    options_.master_key_file = master_file_;
  }

  static void WriteSecret(const std::string& path, const std::string& text) {
    std::ofstream(path) << text << "\n";
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }

  int Keys(KeysCommand command, std::string* output = nullptr) {
    std::ostringstream out, err;
    const int rc = RunKeys(command, options_, out, err);
    last_out_ = out.str();
    last_err_ = err.str();
    if (output != nullptr) *output = out.str() + err.str();
    return rc;
  }

  identity::CardVault Vault() {
    identity::SecretKey master;
    EXPECT_TRUE(identity::LoadMasterKey(master_file_, "", &master).ok());
    identity::VaultKeys keys;
    identity::KeyringFormat format{};
    Status s = identity::LoadKeyring(options_.key_file, &master, &keys, &format);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return *identity::CardVault::FromKeys(std::move(keys));
  }

  void OpenEngine() {
    ASSERT_TRUE(OpenSqliteStore(data_dir_, &store_).ok());
    ASSERT_TRUE(
        engine::Engine::Open(store_.get(), &clock_, engine::EngineOptions(), nullptr, &engine_)
            .ok());
  }
  void StopEngine() {
    engine_->Stop();
    engine_.reset();
    store_.reset();
  }

  // Three verified customers whose resident IDs are sealed by `vault`.
  void Populate(const identity::CardVault& vault) {
    for (int n = 1; n <= 3; n++) {
      const std::string phone = "1380013800" + std::to_string(n);
      ASSERT_EQ(engine_->Execute(engine::IssueOtp{phone, identity::OtpPurpose::kRegister, "h"})
                    .results.at(0),
                0);
      engine::Reply reply =
          engine_->Execute(engine::RegisterCustomer{{phone, "h", "argon2", "campus", ""}});
      ASSERT_EQ(reply.results.at(0), 0);
      const uint64_t id = reply.value;
      const std::string resident_id = "11010519491231002" + std::to_string(n);
      identity::VerifiedIdentity verified{
          "张三", "idhash-" + std::to_string(n),
          vault.Encrypt(resident_id, "resident_id:" + std::to_string(id)), "1101**002X", 0};
      ASSERT_EQ(engine_->Execute(engine::VerifyIdentity{id, verified}).results.at(0), 0);
    }
  }

  // The resident IDs as the vault opens them.
  // The actions of the audit log once the projector has caught up with the journal.
  std::vector<std::string> AuditActions() {
    uint64_t last = 0, projected = 0;
    EXPECT_TRUE(store_->LastJournalSeq(&last).ok());
    for (int i = 0; i < 500 && projected < last; i++) {
      EXPECT_TRUE(store_->ProjectedSeq(&projected).ok());
      if (projected < last) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::vector<audit::AuditEntry> entries;
    EXPECT_TRUE(store_->ReadAuditEntries(1, 1000, &entries).ok());
    std::vector<std::string> actions;
    for (const audit::AuditEntry& entry : entries) actions.push_back(entry.event.action);
    return actions;
  }
  std::vector<std::string> Open(const identity::CardVault& vault) {
    std::vector<std::string> opened;
    engine_->Execute(engine::Query{[&](const engine::StateMachine& s) {
      for (uint64_t id = 1; id <= s.customers().customer_count(); id++) {
        std::optional<std::string> plain = vault.Decrypt(
            s.customers().FindById(id)->identity->id_sealed, "resident_id:" + std::to_string(id));
        opened.push_back(plain.value_or("?"));
      }
    }});
    return opened;
  }

  qb::testing::TempDir dir_;
  const std::string data_dir_ = dir_.path() + "/data";
  const std::string master_file_ = dir_.path() + "/master.key";
  KeysOptions options_;
  std::string last_out_, last_err_;
  ManualClock clock_{kStartNs};
  std::unique_ptr<Store> store_;
  std::unique_ptr<engine::Engine> engine_;
};

const std::vector<std::string> kResidentIds = {"110105194912310021", "110105194912310022",
                                               "110105194912310023"};

TEST_F(KeysTest, RotateWithTheServerStoppedThenCountAndRetire) {
  ASSERT_EQ(Keys(KeysCommand::kInit), 0) << last_err_;
  EXPECT_EQ(Keys(KeysCommand::kInit), 1);  // Never overwrites a keyring.
  OpenEngine();
  Populate(Vault());
  StopEngine();

  ASSERT_EQ(Keys(KeysCommand::kRotate), 0) << last_err_;
  EXPECT_NE(last_out_.find("added data key version 2"), std::string::npos) << last_out_;
  std::string status;
  ASSERT_EQ(Keys(KeysCommand::kStatus, &status), 0) << status;
  EXPECT_NE(status.find("counted in the stopped server's state"), std::string::npos) << status;
  EXPECT_NE(status.find("version 1: 3"), std::string::npos) << status;
  EXPECT_NE(status.find("version 2 (active): 0"), std::string::npos) << status;
  EXPECT_NE(status.find("3 stored values still to re-encrypt"), std::string::npos) << status;

  // Version 1 still seals three values: retiring it is refused; the active one never goes.
  options_.version = 1;
  EXPECT_EQ(Keys(KeysCommand::kRetire), 1);
  EXPECT_NE(last_err_.find("may still be in use (3 stored values"), std::string::npos) << last_err_;
  options_.version = 2;
  EXPECT_EQ(Keys(KeysCommand::kRetire), 1);
  EXPECT_NE(last_err_.find("is the active one"), std::string::npos) << last_err_;

  // The server starts: its watcher's first round reseals what the rotation left.
  OpenEngine();
  identity::CardVault vault = Vault();
  identity::SecretKey master;
  ASSERT_TRUE(identity::LoadMasterKey(master_file_, "", &master).ok());
  {
    KeyringWatcherOptions watcher_options;
    watcher_options.key_file = options_.key_file;
    KeyringWatcher watcher(engine_.get(), &vault, &master, &clock_, watcher_options);
    const engine::KeyUsage usage = watcher.RunOnce();
    EXPECT_EQ(usage.old_blobs(), 0u);
  }
  StopEngine();
  ASSERT_EQ(Keys(KeysCommand::kStatus, &status), 0) << status;
  EXPECT_NE(status.find("version 1: 0  unused: may be retired"), std::string::npos) << status;
  EXPECT_NE(status.find("every stored value is sealed with the active version"), std::string::npos)
      << status;
  options_.version = 1;
  ASSERT_EQ(Keys(KeysCommand::kRetire), 0) << last_err_;
  identity::CardVault retired = Vault();
  EXPECT_EQ(retired.versions(), (std::vector<uint32_t>{2}));
  OpenEngine();
  EXPECT_EQ(Open(retired), kResidentIds);
  StopEngine();
}

TEST_F(KeysTest, RotateWhileTheServerRunsWithoutDowntime) {
  ASSERT_EQ(Keys(KeysCommand::kInit), 0) << last_err_;
  // The "server": the data directory locked, an engine and a watcher polling the keyring.
  DataDirLock server_lock;
  ASSERT_EQ(server_lock.Acquire(data_dir_), "");
  OpenEngine();
  identity::CardVault vault = Vault();
  identity::SecretKey master;
  ASSERT_TRUE(identity::LoadMasterKey(master_file_, "", &master).ok());
  Populate(vault);
  KeyringWatcherOptions watcher_options;
  watcher_options.key_file = options_.key_file;
  watcher_options.usage_path = data_dir_ + "/" + std::string(engine::kKeyUsageFileName);
  watcher_options.poll_interval = std::chrono::milliseconds(20);
  KeyringWatcher watcher(engine_.get(), &vault, &master, &clock_, watcher_options);
  watcher.Start();

  ASSERT_EQ(Keys(KeysCommand::kRotate), 0) << last_err_;
  // Requests keep being served while the watcher reloads and reseals.
  std::string status;
  for (int i = 0; i < 500; i++) {
    ASSERT_EQ(Open(vault), kResidentIds);
    if (Keys(KeysCommand::kStatus, &status) == 0 &&
        status.find("every stored value is sealed with the active version") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(status.find("the running qianbaod's last pass"), std::string::npos) << status;
  EXPECT_NE(status.find("version 1: 0  unused: may be retired"), std::string::npos) << status;
  EXPECT_EQ(vault.active_version(), 2u);

  options_.version = 1;
  ASSERT_EQ(Keys(KeysCommand::kRetire), 0) << last_err_;
  for (int i = 0; i < 500 && vault.versions().size() != 1; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(vault.versions(), (std::vector<uint32_t>{2}));  // The server dropped version 1.
  EXPECT_EQ(Open(vault), kResidentIds);
  watcher.Stop();
  // The audit log has the server taking up version 2, the re-encryption, and dropping 1.
  const std::vector<std::string> actions = AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "keys.reload"), 2) << actions.size();
  EXPECT_GE(std::count(actions.begin(), actions.end(), "keys.reseal"), 1);
  StopEngine();
}

TEST_F(KeysTest, TheServerRefusesAKeyringThatDropsAVersionStillInUse) {
  ASSERT_EQ(Keys(KeysCommand::kInit), 0) << last_err_;
  OpenEngine();
  identity::CardVault vault = Vault();
  identity::SecretKey master;
  ASSERT_TRUE(identity::LoadMasterKey(master_file_, "", &master).ok());
  Populate(vault);
  ASSERT_EQ(Keys(KeysCommand::kRotate), 0) << last_err_;
  KeyringWatcherOptions watcher_options;
  watcher_options.key_file = options_.key_file;
  watcher_options.step_pause = std::chrono::milliseconds(0);
  KeyringWatcher watcher(engine_.get(), &vault, &master, &clock_, watcher_options);
  // Someone edits version 1 out of the keyring by hand before the server has resealed.
  identity::VaultKeys keys;
  identity::KeyringFormat format{};
  ASSERT_TRUE(identity::LoadKeyring(options_.key_file, &master, &keys, &format).ok());
  keys.data_keys.erase(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));  // A new mtime.
  ASSERT_TRUE(
      identity::WriteKeyringFile(options_.key_file, identity::FormatWrappedKeyring(keys, master))
          .ok());
  watcher.RunOnce();
  EXPECT_EQ(vault.versions(), (std::vector<uint32_t>{1}));  // Kept: version 1 is in use.
  EXPECT_EQ(Open(vault), kResidentIds);
  StopEngine();
}

TEST_F(KeysTest, MigrateRewrapAndRefusals) {
  // A plain development keyring (what `make run` writes) rotates without a master key.
  WriteSecret(options_.key_file,
              "version=1 key=" + std::string(64, '1') + "\nlookup=" + std::string(64, 'f'));
  KeysOptions no_master = options_;
  no_master.master_key_file.clear();
  std::swap(options_, no_master);
  ASSERT_EQ(Keys(KeysCommand::kRotate), 0) << last_err_;
  EXPECT_NE(last_out_.find("not wrapped"), std::string::npos);
  EXPECT_EQ(Keys(KeysCommand::kMigrate), 1);  // Wrapping needs the master key.
  EXPECT_NE(last_err_.find("no master key"), std::string::npos) << last_err_;
  std::swap(options_, no_master);

  ASSERT_EQ(Keys(KeysCommand::kMigrate), 0) << last_err_;
  EXPECT_EQ(Keys(KeysCommand::kMigrate), 1);  // Wrapped already.
  std::ifstream file(options_.key_file);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(std::string(64, '1')), std::string::npos);  // No plain key left.
  EXPECT_EQ(Vault().versions(), (std::vector<uint32_t>{1, 2}));

  // A wrong master key: a clear refusal, the keyring untouched.
  const std::string wrong_file = dir_.path() + "/wrong.key";
  WriteSecret(wrong_file, std::string(64, 'b'));
  options_.master_key_file = wrong_file;
  EXPECT_EQ(Keys(KeysCommand::kRotate), 1);
  EXPECT_NE(last_err_.find("master key does not open this keyring"), std::string::npos)
      << last_err_;
  options_.master_key_file = master_file_;
  EXPECT_EQ(Vault().versions(), (std::vector<uint32_t>{1, 2}));

  // Rewrap under a new master key: the new one opens it, the old one no longer does.
  const std::string new_file = dir_.path() + "/new.key";
  WriteSecret(new_file, std::string(64, 'c'));
  options_.new_master_key_file = new_file;
  ASSERT_EQ(Keys(KeysCommand::kRewrap), 0) << last_err_;
  EXPECT_EQ(Keys(KeysCommand::kRotate), 1);
  options_.master_key_file = new_file;
  ASSERT_EQ(Keys(KeysCommand::kRotate), 0) << last_err_;
  options_.master_key_file.clear();
  options_.master_key_hex = std::string(64, 'c');  // QIANBAO_MASTER_KEY works as well.
  std::string status;
  options_.data_dir = data_dir_;
  ASSERT_EQ(Keys(KeysCommand::kStatus, &status), 0) << status;
  EXPECT_NE(status.find("(wrapped), active version 3"), std::string::npos) << status;
}

}  // namespace
}  // namespace qb::cli
