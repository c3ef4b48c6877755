#include "identity/card_vault.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace qb::identity {
namespace {

constexpr std::string_view kPan = "6222021234567890123";

// Obviously fake test keys: one repeated hex digit each.
std::string FakeHex(char digit) { return std::string(64, digit); }
SecretKey FakeKey(char digit) { return *SecretKey::FromHex(FakeHex(digit)); }

CardVault MakeVault(std::map<uint32_t, char> versions, uint32_t active, char lookup = 'f') {
  std::map<uint32_t, SecretKey> keys;
  for (auto [version, digit] : versions) keys.emplace(version, FakeKey(digit));
  std::optional<CardVault> vault = CardVault::FromKeys(std::move(keys), active, FakeKey(lookup));
  EXPECT_TRUE(vault.has_value());
  return std::move(*vault);
}

TEST(SecretKeyTest, FromHexAndBytes) {
  EXPECT_TRUE(SecretKey::FromHex(FakeHex('a')).has_value());
  EXPECT_TRUE(SecretKey::FromHex(FakeHex('A')).has_value());
  EXPECT_FALSE(SecretKey::FromHex(std::string(63, 'a')).has_value());
  EXPECT_FALSE(SecretKey::FromHex(std::string(66, 'a')).has_value());
  EXPECT_FALSE(SecretKey::FromHex(std::string(63, 'a') + "g").has_value());
  EXPECT_TRUE(SecretKey::FromBytes(std::string(32, '\x07')).has_value());
  EXPECT_FALSE(SecretKey::FromBytes(std::string(31, '\x07')).has_value());

  SecretKey key = FakeKey('1');
  SecretKey copy = key.Clone();
  EXPECT_EQ(0, std::memcmp(key.data(), copy.data(), SecretKey::kSize));
  SecretKey moved = std::move(key);
  EXPECT_TRUE(key.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is defined
  EXPECT_FALSE(moved.empty());
}

TEST(CardVaultTest, FromKeysRejectsInconsistentKeys) {
  std::map<uint32_t, SecretKey> keys;
  EXPECT_FALSE(CardVault::FromKeys(std::move(keys), 1, FakeKey('f')).has_value());
  keys.clear();
  keys.emplace(1, FakeKey('1'));
  EXPECT_FALSE(CardVault::FromKeys(std::move(keys), 2, FakeKey('f')).has_value());
  keys.clear();
  keys.emplace(1, FakeKey('1'));
  EXPECT_FALSE(CardVault::FromKeys(std::move(keys), 1, SecretKey()).has_value());
  keys.clear();
  keys.emplace(0, FakeKey('1'));
  EXPECT_FALSE(CardVault::FromKeys(std::move(keys), 0, FakeKey('f')).has_value());
}

TEST(CardVaultTest, RoundTrip) {
  CardVault vault = MakeVault({{1, '1'}}, 1);
  std::string blob = vault.Encrypt(kPan, "customer-42");
  EXPECT_EQ(blob.size(), CardVault::kHeaderSize + kPan.size() + CardVault::kTagSize);
  EXPECT_EQ(blob.find(kPan), std::string::npos);
  EXPECT_EQ(vault.Decrypt(blob, "customer-42"), kPan);
  EXPECT_FALSE(vault.NeedsReencryption(blob));
}

TEST(CardVaultTest, EachEncryptionUsesAFreshNonce) {
  CardVault vault = MakeVault({{1, '1'}}, 1);
  std::string first = vault.Encrypt(kPan, "customer-42");
  std::string second = vault.Encrypt(kPan, "customer-42");
  EXPECT_NE(first, second);
  EXPECT_NE(first.substr(4, CardVault::kNonceSize), second.substr(4, CardVault::kNonceSize));
}

TEST(CardVaultTest, WrongContextFails) {
  CardVault vault = MakeVault({{1, '1'}}, 1);
  std::string blob = vault.Encrypt(kPan, "customer-42");
  EXPECT_EQ(vault.Decrypt(blob, "customer-43"), std::nullopt);
  EXPECT_EQ(vault.Decrypt(blob, ""), std::nullopt);
}

TEST(CardVaultTest, EveryTamperedByteFails) {
  CardVault vault = MakeVault({{1, '1'}, {2, '2'}}, 1);
  std::string blob = vault.Encrypt(kPan, "customer-42");
  // Version, nonce, ciphertext and tag are all covered: flipping any single byte must fail.
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string tampered = blob;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_EQ(vault.Decrypt(tampered, "customer-42"), std::nullopt) << "byte " << i;
  }
}

TEST(CardVaultTest, RelabelledVersionFails) {
  CardVault vault = MakeVault({{1, '1'}, {2, '1'}}, 1);  // same key under both versions
  std::string blob = vault.Encrypt(kPan, "customer-42");
  blob[0] = 2;  // still decryptable key material, but the version is in the associated data
  EXPECT_EQ(vault.Decrypt(blob, "customer-42"), std::nullopt);
}

TEST(CardVaultTest, TruncatedAndUnknownVersionFail) {
  CardVault vault = MakeVault({{1, '1'}}, 1);
  std::string blob = vault.Encrypt(kPan, "c");
  for (size_t size : {size_t{0}, size_t{3}, CardVault::kHeaderSize,
                      CardVault::kHeaderSize + CardVault::kTagSize - 1, blob.size() - 1}) {
    EXPECT_EQ(vault.Decrypt(blob.substr(0, size), "c"), std::nullopt) << size;
  }
  std::string unknown = blob;
  unknown[0] = 9;
  EXPECT_EQ(vault.Decrypt(unknown, "c"), std::nullopt);
  EXPECT_TRUE(vault.NeedsReencryption(unknown));
  EXPECT_TRUE(vault.NeedsReencryption("short"));
}

TEST(CardVaultTest, KeyRotation) {
  CardVault old_vault = MakeVault({{1, '1'}}, 1);
  std::string old_blob = old_vault.Encrypt(kPan, "customer-42");

  CardVault rotated = MakeVault({{1, '1'}, {2, '2'}}, 2);
  EXPECT_EQ(rotated.active_version(), 2u);
  EXPECT_TRUE(rotated.NeedsReencryption(old_blob));
  EXPECT_EQ(rotated.Decrypt(old_blob, "customer-42"), kPan);

  std::string new_blob = rotated.Encrypt(kPan, "customer-42");
  EXPECT_FALSE(rotated.NeedsReencryption(new_blob));
  EXPECT_EQ(rotated.Decrypt(new_blob, "customer-42"), kPan);
  EXPECT_EQ(old_vault.Decrypt(new_blob, "customer-42"), std::nullopt);  // v2 unknown there
}

TEST(CardVaultTest, LookupHashStableAndKeyed) {
  CardVault vault = MakeVault({{1, '1'}}, 1, 'f');
  CardVault rotated_data_key = MakeVault({{1, '1'}, {2, '2'}}, 2, 'f');
  CardVault other_lookup = MakeVault({{1, '1'}}, 1, 'e');
  std::string hash = vault.LookupHash(kPan);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(vault.LookupHash(kPan), hash);
  EXPECT_EQ(rotated_data_key.LookupHash(kPan), hash);  // data-key rotation keeps duplicates found
  EXPECT_NE(other_lookup.LookupHash(kPan), hash);
  EXPECT_NE(vault.LookupHash("4111111111111111"), hash);
}

TEST(KeyFileTest, ParsesVersionsAndLookup) {
  std::string text = "# card keys\n\nversion=1 key=" + FakeHex('1') +
                     "\r\nversion=3 key=" + FakeHex('3') + "\nlookup=" + FakeHex('f') + "\n";
  VaultKeys keys;
  Status status = ParseKeyFile(text, &keys);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(keys.data_keys.size(), 2u);
  EXPECT_EQ(keys.active_version, 3u);
  EXPECT_FALSE(keys.lookup_key.empty());

  std::optional<CardVault> vault = CardVault::FromKeys(std::move(keys));
  ASSERT_TRUE(vault.has_value());
  EXPECT_EQ(vault->LookupHash(kPan), MakeVault({{1, '1'}}, 1, 'f').LookupHash(kPan));
  std::string blob = MakeVault({{1, '1'}}, 1).Encrypt(kPan, "c");
  EXPECT_EQ(vault->Decrypt(blob, "c"), kPan);
}

TEST(KeyFileTest, MalformedFilesRejected) {
  const std::string lookup = "lookup=" + FakeHex('f') + "\n";
  const std::string v1 = "version=1 key=" + FakeHex('1') + "\n";
  for (const std::string& text : {
           std::string(""),
           lookup,                                                     // no data keys
           v1,                                                         // no lookup key
           v1 + v1 + lookup,                                           // duplicate version
           v1 + lookup + lookup,                                       // duplicate lookup
           "version=0 key=" + FakeHex('1') + "\n" + lookup,            // version 0
           "version=x key=" + FakeHex('1') + "\n" + lookup,            // non-numeric version
           "version=99999999999 key=" + FakeHex('1') + "\n" + lookup,  // overflows u32
           "version=1 key=" + FakeHex('1').substr(1) + "\n" + lookup,  // short key
           "version=1 key=" + std::string(64, 'z') + "\n" + lookup,    // not hex
           "version=1\n" + lookup,                                     // missing key
           v1 + "lookup " + FakeHex('f') + "\n",                       // unrecognised entry
           v1 + lookup + "active=1\n",                                 // unrecognised entry
       }) {
    VaultKeys keys;
    Status status = ParseKeyFile(text, &keys);
    EXPECT_FALSE(status.ok()) << text;
    EXPECT_EQ(status.message().find(FakeHex('1')), std::string::npos);
  }
}

class KeyFileOnDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("qb_identity_keys_" + std::to_string(::getpid()) + ".txt");
    std::ofstream out(path_);
    out << "version=1 key=" << FakeHex('1') << "\nlookup=" << FakeHex('f') << "\n";
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::filesystem::path path_;
};

TEST_F(KeyFileOnDiskTest, OwnerOnlyFileLoads) {
  ASSERT_EQ(::chmod(path_.c_str(), 0600), 0);
  VaultKeys keys;
  Status status = LoadKeyFile(path_.string(), &keys);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(keys.active_version, 1u);
}

TEST_F(KeyFileOnDiskTest, WorldOrGroupReadableFileRejected) {
  for (mode_t mode : {0644, 0640, 0604, 0660}) {
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
    VaultKeys keys;
    Status status = LoadKeyFile(path_.string(), &keys);
    EXPECT_FALSE(status.ok()) << mode;
    EXPECT_EQ(status.message(), "key file must not be readable by others");
  }
}

TEST_F(KeyFileOnDiskTest, MissingFileIsIoError) {
  VaultKeys keys;
  EXPECT_EQ(LoadKeyFile(path_.string() + ".missing", &keys).code(), Status::Code::kIoError);
}

TEST(DevelopmentKeysTest, RandomAndUsable) {
  VaultKeys first = GenerateDevelopmentKeys();
  VaultKeys second = GenerateDevelopmentKeys();
  EXPECT_EQ(first.active_version, 1u);
  EXPECT_NE(0, std::memcmp(first.lookup_key.data(), second.lookup_key.data(), SecretKey::kSize));
  std::optional<CardVault> vault = CardVault::FromKeys(std::move(first));
  ASSERT_TRUE(vault.has_value());
  EXPECT_EQ(vault->Decrypt(vault->Encrypt(kPan, "c"), "c"), kPan);
}

}  // namespace
}  // namespace qb::identity
