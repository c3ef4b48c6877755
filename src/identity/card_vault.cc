#include "identity/card_vault.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <utility>

#include "base/bytes.h"
#include "identity/sodium_internal.h"

namespace qb::identity {
namespace {

constexpr size_t kMaxKeyFileBytes = 64 * 1024;
constexpr size_t kMaxDataKeys = 1024;
constexpr size_t kVersionSize = 4;

static_assert(CardVault::kNonceSize == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(CardVault::kTagSize == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(SecretKey::kSize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

std::string VersionBytes(uint32_t version) {
  std::string bytes;
  ByteWriter(&bytes).U32(version);
  return bytes;
}

std::string AssociatedData(std::string_view version_bytes, std::string_view context) {
  std::string data(version_bytes);
  data.append(context);
  return data;
}

Status LineError(size_t line_number, std::string_view what) {
  return Status::InvalidArgument("key file line " + std::to_string(line_number) + ": " +
                                 std::string(what));
}

// Applies one non-comment line to `keys`.
Status ParseKeyLine(std::string_view line, size_t line_number, VaultKeys* keys) {
  constexpr std::string_view kLookup = "lookup=";
  constexpr std::string_view kVersion = "version=";
  constexpr std::string_view kKey = " key=";
  if (line.starts_with(kLookup)) {
    if (!keys->lookup_key.empty()) return LineError(line_number, "duplicate lookup key");
    std::optional<SecretKey> key = SecretKey::FromHex(line.substr(kLookup.size()));
    if (!key) return LineError(line_number, "lookup key must be 64 hex digits");
    keys->lookup_key = std::move(*key);
    return Status::Ok();
  }
  if (!line.starts_with(kVersion)) return LineError(line_number, "unrecognised entry");
  size_t key_at = line.find(kKey);
  if (key_at == std::string_view::npos) return LineError(line_number, "missing key=");
  std::string_view version_text = line.substr(kVersion.size(), key_at - kVersion.size());
  uint32_t version = 0;
  auto [end, error] =
      std::from_chars(version_text.data(), version_text.data() + version_text.size(), version);
  if (error != std::errc() || end != version_text.data() + version_text.size() || version == 0) {
    return LineError(line_number, "version must be a decimal number from 1");
  }
  if (keys->data_keys.contains(version)) return LineError(line_number, "duplicate version");
  if (keys->data_keys.size() >= kMaxDataKeys) return LineError(line_number, "too many keys");
  std::optional<SecretKey> key = SecretKey::FromHex(line.substr(key_at + kKey.size()));
  if (!key) return LineError(line_number, "data key must be 64 hex digits");
  keys->data_keys.emplace(version, std::move(*key));
  return Status::Ok();
}

}  // namespace

Status ParseKeyFile(std::string_view text, VaultKeys* keys) {
  if (text.size() > kMaxKeyFileBytes) return Status::InvalidArgument("key file too large");
  VaultKeys parsed;
  size_t line_number = 0;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    Status status = ParseKeyLine(line, line_number, &parsed);
    if (!status.ok()) return status;
  }
  if (parsed.data_keys.empty()) return Status::InvalidArgument("key file has no data keys");
  if (parsed.lookup_key.empty()) return Status::InvalidArgument("key file has no lookup key");
  parsed.active_version = parsed.data_keys.rbegin()->first;
  *keys = std::move(parsed);
  return Status::Ok();
}

Status ReadKeyFileText(const std::string& path, std::string* text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open key file " + path);
  // fstat on the open descriptor checks the file actually read, not whatever the path names
  // a moment later.
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Status::IoError("key file is not a regular file: " + path);
  }
  if ((info.st_mode & 077) != 0) {
    ::close(fd);
    return Status::InvalidArgument("key file must not be readable by others");
  }
  text->clear();
  char buffer[4096];
  bool read_failed = false;
  // Reading one buffer past the limit is enough for the parsers to reject an oversized file.
  while (text->size() <= kMaxKeyFileBytes) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      read_failed = n < 0;
      break;
    }
    text->append(buffer, static_cast<size_t>(n));
  }
  sodium_memzero(buffer, sizeof(buffer));
  ::close(fd);
  if (read_failed) return Status::IoError("cannot read key file " + path);
  return Status::Ok();
}

Status LoadKeyFile(const std::string& path, VaultKeys* keys) {
  std::string text;
  Status status = ReadKeyFileText(path, &text);
  if (status.ok()) status = ParseKeyFile(text, keys);
  sodium_memzero(text.data(), text.size());
  return status;
}

VaultKeys GenerateDevelopmentKeys() {
  VaultKeys keys;
  keys.data_keys.emplace(1, SecretKey::Random());
  keys.active_version = 1;
  keys.lookup_key = SecretKey::Random();
  return keys;
}

CardVault::CardVault(std::map<uint32_t, SecretKey> data_keys, uint32_t active_version,
                     SecretKey lookup_key)
    : data_keys_mutex_(std::make_unique<std::mutex>()),
      data_keys_(std::make_shared<const DataKeys>(DataKeys{std::move(data_keys), active_version})),
      lookup_key_(std::move(lookup_key)) {}

std::shared_ptr<const CardVault::DataKeys> CardVault::Snapshot() const {
  std::lock_guard lock(*data_keys_mutex_);
  return data_keys_;
}

uint32_t CardVault::active_version() const { return Snapshot()->active_version; }

std::vector<uint32_t> CardVault::versions() const {
  std::vector<uint32_t> versions;
  for (const auto& [version, key] : Snapshot()->keys) versions.push_back(version);
  return versions;
}

Status CardVault::ReloadDataKeys(VaultKeys keys) {
  if (keys.data_keys.empty() || !keys.data_keys.contains(keys.active_version)) {
    return Status::InvalidArgument("the keyring has no active data key");
  }
  for (const auto& [version, key] : keys.data_keys) {
    if (version == 0 || key.empty()) return Status::InvalidArgument("the keyring has an empty key");
  }
  if (keys.lookup_key.empty() ||
      sodium_memcmp(keys.lookup_key.data(), lookup_key_.data(), SecretKey::kSize) != 0) {
    return Status::InvalidArgument("the keyring's lookup key differs from the running one");
  }
  auto replacement =
      std::make_shared<const DataKeys>(DataKeys{std::move(keys.data_keys), keys.active_version});
  std::lock_guard lock(*data_keys_mutex_);
  data_keys_ = std::move(replacement);
  return Status::Ok();
}

std::optional<CardVault> CardVault::FromKeys(std::map<uint32_t, SecretKey> data_keys,
                                             uint32_t active_version, SecretKey lookup_key) {
  if (data_keys.empty() || lookup_key.empty() || !data_keys.contains(active_version)) {
    return std::nullopt;
  }
  for (const auto& [version, key] : data_keys) {
    if (version == 0 || key.empty()) return std::nullopt;
  }
  internal::EnsureSodiumInitialized();
  return CardVault(std::move(data_keys), active_version, std::move(lookup_key));
}

std::optional<CardVault> CardVault::FromKeys(VaultKeys keys) {
  return FromKeys(std::move(keys.data_keys), keys.active_version, std::move(keys.lookup_key));
}

std::string CardVault::Encrypt(std::string_view pan, std::string_view context) const {
  const std::shared_ptr<const DataKeys> data_keys = Snapshot();
  auto active = data_keys->keys.find(data_keys->active_version);
  QB_ASSERT(active != data_keys->keys.end());  // FromKeys and ReloadDataKeys guarantee it
  const SecretKey& key = active->second;
  std::string blob = VersionBytes(data_keys->active_version);
  std::string associated = AssociatedData(blob, context);
  blob.resize(kHeaderSize + pan.size() + kTagSize);
  auto* out = reinterpret_cast<unsigned char*>(blob.data());
  unsigned char* nonce = out + kVersionSize;
  randombytes_buf(nonce, kNonceSize);
  unsigned long long sealed_size = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out + kHeaderSize, &sealed_size, reinterpret_cast<const unsigned char*>(pan.data()),
      pan.size(), reinterpret_cast<const unsigned char*>(associated.data()), associated.size(),
      nullptr, nonce, key.data());
  QB_ASSERT(sealed_size == pan.size() + kTagSize);
  return blob;
}

std::optional<std::string> CardVault::Decrypt(std::string_view blob,
                                              std::string_view context) const {
  if (blob.size() < kHeaderSize + kTagSize) return std::nullopt;
  ByteReader reader(blob);
  uint32_t version = reader.U32();
  const std::shared_ptr<const DataKeys> data_keys = Snapshot();
  auto key = data_keys->keys.find(version);
  if (key == data_keys->keys.end()) return std::nullopt;
  std::string associated = AssociatedData(blob.substr(0, kVersionSize), context);
  const auto* nonce = reinterpret_cast<const unsigned char*>(blob.data()) + kVersionSize;
  std::string_view sealed = blob.substr(kHeaderSize);
  std::string pan(sealed.size() - kTagSize, '\0');
  unsigned long long pan_size = 0;
  int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      reinterpret_cast<unsigned char*>(pan.data()), &pan_size, nullptr,
      reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
      reinterpret_cast<const unsigned char*>(associated.data()), associated.size(), nonce,
      key->second.data());
  if (rc != 0) return std::nullopt;
  QB_ASSERT(pan_size == pan.size());
  return pan;
}

std::string CardVault::LookupHash(std::string_view pan) const {
  unsigned char hash[crypto_generichash_BYTES];
  static_assert(sizeof(hash) == 32);
  crypto_generichash(hash, sizeof(hash), reinterpret_cast<const unsigned char*>(pan.data()),
                     pan.size(), lookup_key_.data(), SecretKey::kSize);
  return internal::ToHex(hash, sizeof(hash));
}

bool CardVault::NeedsReencryption(std::string_view blob) const {
  if (blob.size() < kHeaderSize + kTagSize) return true;
  return ByteReader(blob).U32() != active_version();
}

}  // namespace qb::identity
