// The envelope keyring: data keys wrapped by the master key, a wrong master key or a tampered
// or moved wrapped key refused with a clear error, the plain format still loading, the file
// replaced atomically with owner-only permissions, and the vault reloading its data keys.
#include "identity/keyring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace qb::identity {
namespace {

std::string FakeHex(char digit) { return std::string(64, digit); }
SecretKey FakeKey(char digit) { return *SecretKey::FromHex(FakeHex(digit)); }

VaultKeys Keys(uint32_t versions) {
  VaultKeys keys;
  for (uint32_t v = 1; v <= versions; v++)
    keys.data_keys.emplace(v, FakeKey(static_cast<char>('0' + v)));
  keys.active_version = versions;
  keys.lookup_key = FakeKey('f');
  return keys;
}

const SecretKey kMaster = FakeKey('a');

TEST(KeyringTest, WrappedKeysOpenUnderTheMasterKeyAndSealTheSame) {
  const std::string text = FormatWrappedKeyring(Keys(2), kMaster);
  // No key appears in the file in clear.
  for (char digit : {'1', '2', 'f'}) EXPECT_EQ(text.find(FakeHex(digit)), std::string::npos);
  VaultKeys parsed;
  KeyringFormat format{};
  ASSERT_TRUE(ParseKeyring(text, &kMaster, &parsed, &format).ok());
  EXPECT_EQ(format, KeyringFormat::kWrapped);
  EXPECT_EQ(parsed.active_version, 2u);
  ASSERT_EQ(parsed.data_keys.size(), 2u);
  // A blob sealed by a vault with the original keys opens with the unwrapped ones.
  CardVault original = *CardVault::FromKeys(Keys(2));
  CardVault unwrapped = *CardVault::FromKeys(std::move(parsed));
  EXPECT_EQ(unwrapped.Decrypt(original.Encrypt("6222021234567890123", "card:1"), "card:1"),
            "6222021234567890123");
  EXPECT_EQ(unwrapped.LookupHash("6222021234567890123"),
            original.LookupHash("6222021234567890123"));
  // Fresh nonces: wrapping twice gives different text.
  EXPECT_NE(FormatWrappedKeyring(Keys(2), kMaster), text);
}

TEST(KeyringTest, AWrongOrMissingMasterKeyIsRefusedClearly) {
  const std::string text = FormatWrappedKeyring(Keys(1), kMaster);
  VaultKeys parsed;
  KeyringFormat format{};
  const SecretKey wrong = FakeKey('b');
  Status s = ParseKeyring(text, &wrong, &parsed, &format);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("master key does not open this keyring"), std::string::npos)
      << s.message();
  s = ParseKeyring(text, nullptr, &parsed, &format);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("give the master key"), std::string::npos) << s.message();
  EXPECT_TRUE(parsed.data_keys.empty());
}

TEST(KeyringTest, ATamperedOrMovedWrappedKeyIsRefused) {
  const std::string text = FormatWrappedKeyring(Keys(2), kMaster);
  VaultKeys parsed;
  KeyringFormat format{};
  // One hex digit of version 2's wrapped key changed.
  std::string tampered = text;
  const size_t at = tampered.find("version=2 wrapped=") + 30;
  tampered[at] = tampered[at] == '0' ? '1' : '0';
  Status s = ParseKeyring(tampered, &kMaster, &parsed, &format);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("line 6: the wrapped data key fails authentication"),
            std::string::npos)
      << s.message();
  // Version 1's wrapped key relabelled as version 3: the slot is bound, so it fails.
  std::string moved = text;
  moved.replace(moved.find("version=1 "), 10, "version=3 ");
  s = ParseKeyring(moved, &kMaster, &parsed, &format);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("fails authentication"), std::string::npos) << s.message();
  // The wrapped lookup key used as a data key, likewise.
  const size_t lookup = text.find("lookup wrapped=") + 15;
  const std::string wrapped_lookup = text.substr(lookup, text.find('\n', lookup) - lookup);
  std::string swapped = text + "version=9 wrapped=" + wrapped_lookup + "\n";
  EXPECT_FALSE(ParseKeyring(swapped, &kMaster, &parsed, &format).ok());
  // Truncated hex.
  std::string truncated = text;
  truncated.erase(at, 2);
  EXPECT_FALSE(ParseKeyring(truncated, &kMaster, &parsed, &format).ok());
}

TEST(KeyringTest, ThePlainFormatStillLoadsAndMixingIsRefused) {
  const std::string plain =
      "# dev\nversion=1 key=" + FakeHex('1') + "\nlookup=" + FakeHex('f') + "\n";
  VaultKeys parsed;
  KeyringFormat format{};
  ASSERT_TRUE(ParseKeyring(plain, nullptr, &parsed, &format).ok());
  EXPECT_EQ(format, KeyringFormat::kPlain);
  EXPECT_EQ(parsed.active_version, 1u);
  // What `qianbao keys rotate` writes for a plain keyring reads back the same.
  VaultKeys two = Keys(2);
  ASSERT_TRUE(ParseKeyring(FormatPlainKeyring(two), nullptr, &parsed, &format).ok());
  EXPECT_EQ(format, KeyringFormat::kPlain);
  EXPECT_EQ(parsed.data_keys.size(), 2u);

  const std::string mixed =
      FormatWrappedKeyring(Keys(1), kMaster) + "version=7 key=" + FakeHex('7') + "\n";
  Status s = ParseKeyring(mixed, &kMaster, &parsed, &format);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("mixing"), std::string::npos) << s.message();
}

TEST(KeyringTest, WriteReplacesTheFileAtomicallyOwnerOnly) {
  qb::testing::TempDir dir;
  const std::string path = dir.path() + "/keys.txt";
  ASSERT_TRUE(WriteKeyringFile(path, FormatWrappedKeyring(Keys(1), kMaster)).ok());
  ASSERT_TRUE(WriteKeyringFile(path, FormatWrappedKeyring(Keys(2), kMaster)).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  VaultKeys loaded;
  KeyringFormat format{};
  ASSERT_TRUE(LoadKeyring(path, &kMaster, &loaded, &format).ok());
  EXPECT_EQ(loaded.active_version, 2u);
}

TEST(KeyringTest, MasterKeyFromAFileOrHex) {
  qb::testing::TempDir dir;
  const std::string path = dir.path() + "/master.key";
  {
    std::ofstream file(path);
    file << FakeHex('a') << "\n";
  }
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  SecretKey key;
  ASSERT_TRUE(LoadMasterKey(path, "", &key).ok());
  EXPECT_EQ(MasterKeyCheck(key), MasterKeyCheck(kMaster));
  ASSERT_TRUE(LoadMasterKey("", FakeHex('a'), &key).ok());
  EXPECT_EQ(MasterKeyCheck(key), MasterKeyCheck(kMaster));
  Status s = LoadMasterKey("", "abc", &key);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("abc"), std::string::npos);  // Never echoed.
  std::filesystem::permissions(path, std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  EXPECT_FALSE(LoadMasterKey(path, "", &key).ok());
}

TEST(KeyringTest, TheVaultReloadsDataKeysButNeverTheLookupKey) {
  CardVault vault = *CardVault::FromKeys(Keys(1));
  const std::string old_blob = vault.Encrypt("6222021234567890123", "card:1");
  ASSERT_TRUE(vault.ReloadDataKeys(Keys(2)).ok());
  EXPECT_EQ(vault.active_version(), 2u);
  EXPECT_EQ(vault.versions(), (std::vector<uint32_t>{1, 2}));
  EXPECT_TRUE(vault.NeedsReencryption(old_blob));
  EXPECT_EQ(vault.Decrypt(old_blob, "card:1"), "6222021234567890123");
  const std::string new_blob = vault.Encrypt("6222021234567890123", "card:1");
  EXPECT_FALSE(vault.NeedsReencryption(new_blob));

  VaultKeys other_lookup = Keys(3);
  other_lookup.lookup_key = FakeKey('e');
  EXPECT_FALSE(vault.ReloadDataKeys(std::move(other_lookup)).ok());
  VaultKeys no_active = Keys(2);
  no_active.active_version = 5;
  EXPECT_FALSE(vault.ReloadDataKeys(std::move(no_active)).ok());
  EXPECT_EQ(vault.active_version(), 2u);  // Refusals change nothing.
}

}  // namespace
}  // namespace qb::identity
