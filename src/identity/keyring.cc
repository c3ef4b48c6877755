#include "identity/keyring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <utility>

#include "identity/sodium_internal.h"

namespace qb::identity {
namespace {

constexpr size_t kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kWrappedSize = kNonceSize + SecretKey::kSize + kTagSize;
constexpr size_t kCheckSize = 16;
constexpr size_t kMaxDataKeys = 1024;
constexpr std::string_view kMasterPrefix = "master=";
constexpr std::string_view kLookupPrefix = "lookup wrapped=";
constexpr std::string_view kVersionPrefix = "version=";
constexpr std::string_view kWrappedField = " wrapped=";

std::string DataSlot(uint32_t version) {
  return "qianbao keyring v1 data " + std::to_string(version);
}
constexpr std::string_view kLookupSlot = "qianbao keyring v1 lookup";

Status LineError(size_t line_number, std::string_view what) {
  return Status::InvalidArgument("keyring line " + std::to_string(line_number) + ": " +
                                 std::string(what));
}

std::string Wrap(const SecretKey& key, std::string_view slot, const SecretKey& master_key) {
  unsigned char out[kWrappedSize];
  randombytes_buf(out, kNonceSize);
  unsigned long long sealed_size = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonceSize, &sealed_size, key.data(),
                                             SecretKey::kSize,
                                             reinterpret_cast<const unsigned char*>(slot.data()),
                                             slot.size(), nullptr, out, master_key.data());
  QB_ASSERT(sealed_size == SecretKey::kSize + kTagSize);
  return internal::ToHex(out, sizeof(out));
}

// The key wrapped in `hex` for `slot`, or nullopt when the hex is malformed or the
// authentication fails (altered, or wrapped for another slot or under another master key).
std::optional<SecretKey> Unwrap(std::string_view hex, std::string_view slot,
                                const SecretKey& master_key) {
  unsigned char wrapped[kWrappedSize];
  size_t wrapped_size = 0;
  const char* hex_end = nullptr;
  if (hex.size() != kWrappedSize * 2 ||
      sodium_hex2bin(wrapped, sizeof(wrapped), hex.data(), hex.size(), nullptr, &wrapped_size,
                     &hex_end) != 0 ||
      wrapped_size != kWrappedSize || hex_end != hex.data() + hex.size()) {
    return std::nullopt;
  }
  unsigned char key[SecretKey::kSize];
  unsigned long long key_size = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      key, &key_size, nullptr, wrapped + kNonceSize, kWrappedSize - kNonceSize,
      reinterpret_cast<const unsigned char*>(slot.data()), slot.size(), wrapped, master_key.data());
  std::optional<SecretKey> result;
  if (rc == 0 && key_size == SecretKey::kSize) {
    result =
        SecretKey::FromBytes(std::string_view(reinterpret_cast<const char*>(key), sizeof(key)));
  }
  sodium_memzero(key, sizeof(key));
  return result;
}

bool IsWrappedEntry(std::string_view line) {
  return line.starts_with(kMasterPrefix) || line.starts_with(kLookupPrefix) ||
         (line.starts_with(kVersionPrefix) && line.find(kWrappedField) != std::string_view::npos);
}

// Calls visit(line, line_number) for each line that is neither blank nor a comment.
template <typename Visit>
Status ForEachEntry(std::string_view text, Visit&& visit) {
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (Status status = visit(line, line_number); !status.ok()) return status;
  }
  return Status::Ok();
}

Status ParseWrappedLine(std::string_view line, size_t line_number, const SecretKey& master_key,
                        VaultKeys* keys) {
  if (line.starts_with(kLookupPrefix)) {
    if (!keys->lookup_key.empty()) return LineError(line_number, "duplicate lookup key");
    std::optional<SecretKey> key =
        Unwrap(line.substr(kLookupPrefix.size()), kLookupSlot, master_key);
    if (!key)
      return LineError(line_number, "the wrapped lookup key fails authentication (altered)");
    keys->lookup_key = std::move(*key);
    return Status::Ok();
  }
  if (!line.starts_with(kVersionPrefix)) return LineError(line_number, "unrecognised entry");
  const size_t wrapped_at = line.find(kWrappedField);
  if (wrapped_at == std::string_view::npos) return LineError(line_number, "missing wrapped=");
  std::string_view version_text =
      line.substr(kVersionPrefix.size(), wrapped_at - kVersionPrefix.size());
  uint32_t version = 0;
  auto [end, error] =
      std::from_chars(version_text.data(), version_text.data() + version_text.size(), version);
  if (error != std::errc() || end != version_text.data() + version_text.size() || version == 0) {
    return LineError(line_number, "version must be a decimal number from 1");
  }
  if (keys->data_keys.contains(version)) return LineError(line_number, "duplicate version");
  if (keys->data_keys.size() >= kMaxDataKeys) return LineError(line_number, "too many keys");
  std::optional<SecretKey> key =
      Unwrap(line.substr(wrapped_at + kWrappedField.size()), DataSlot(version), master_key);
  if (!key) {
    return LineError(line_number,
                     "the wrapped data key fails authentication (altered, or moved from another "
                     "version)");
  }
  keys->data_keys.emplace(version, std::move(*key));
  return Status::Ok();
}

Status ParseWrapped(std::string_view text, const SecretKey* master_key, VaultKeys* keys) {
  if (master_key == nullptr || master_key->empty()) {
    return Status::InvalidArgument(
        "the keyring's keys are wrapped: give the master key (QIANBAO_MASTER_KEY_FILE or "
        "QIANBAO_MASTER_KEY)");
  }
  // The check line first, wherever it is, so a wrong master key gets its own error instead of
  // "line 2 fails authentication".
  std::string check;
  Status status = ForEachEntry(text, [&](std::string_view line, size_t line_number) {
    if (!line.starts_with(kMasterPrefix)) return Status::Ok();
    if (!check.empty()) return LineError(line_number, "duplicate master=");
    check = std::string(line.substr(kMasterPrefix.size()));
    if (check.empty()) return LineError(line_number, "empty master=");
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (check.empty()) return Status::InvalidArgument("the keyring has no master= check line");
  const std::string expected = MasterKeyCheck(*master_key);
  if (check.size() != expected.size() ||
      sodium_memcmp(check.data(), expected.data(), expected.size()) != 0) {
    return Status::InvalidArgument(
        "the master key does not open this keyring (wrong master key, or the keyring was "
        "rewrapped under another one)");
  }
  VaultKeys parsed;
  status = ForEachEntry(text, [&](std::string_view line, size_t line_number) {
    if (line.starts_with(kMasterPrefix)) return Status::Ok();
    if (!IsWrappedEntry(line)) {
      return LineError(line_number, "a plain key in a wrapped keyring (mixing is refused)");
    }
    return ParseWrappedLine(line, line_number, *master_key, &parsed);
  });
  if (!status.ok()) return status;
  if (parsed.data_keys.empty()) return Status::InvalidArgument("keyring has no data keys");
  if (parsed.lookup_key.empty()) return Status::InvalidArgument("keyring has no lookup key");
  parsed.active_version = parsed.data_keys.rbegin()->first;
  *keys = std::move(parsed);
  return Status::Ok();
}

}  // namespace

std::string MasterKeyCheck(const SecretKey& master_key) {
  internal::EnsureSodiumInitialized();
  constexpr std::string_view kLabel = "qianbao keyring master check v1";
  unsigned char check[kCheckSize];
  crypto_generichash(check, sizeof(check), reinterpret_cast<const unsigned char*>(kLabel.data()),
                     kLabel.size(), master_key.data(), SecretKey::kSize);
  return internal::ToHex(check, sizeof(check));
}

Status ParseKeyring(std::string_view text, const SecretKey* master_key, VaultKeys* keys,
                    KeyringFormat* format) {
  internal::EnsureSodiumInitialized();
  bool wrapped = false;
  Status scan = ForEachEntry(text, [&](std::string_view line, size_t) {
    wrapped = wrapped || IsWrappedEntry(line);
    return Status::Ok();
  });
  if (!scan.ok()) return scan;
  if (!wrapped) {
    Status status = ParseKeyFile(text, keys);
    if (status.ok()) *format = KeyringFormat::kPlain;
    return status;
  }
  Status status = ParseWrapped(text, master_key, keys);
  if (status.ok()) *format = KeyringFormat::kWrapped;
  return status;
}

Status LoadKeyring(const std::string& path, const SecretKey* master_key, VaultKeys* keys,
                   KeyringFormat* format) {
  std::string text;
  Status status = ReadKeyFileText(path, &text);
  if (status.ok()) status = ParseKeyring(text, master_key, keys, format);
  sodium_memzero(text.data(), text.size());
  return status;
}

std::string FormatWrappedKeyring(const VaultKeys& keys, const SecretKey& master_key) {
  internal::EnsureSodiumInitialized();
  QB_ASSERT(!master_key.empty() && !keys.lookup_key.empty());
  std::string text =
      "# qianbao keyring: card-vault keys wrapped by the master key (identity/keyring.h).\n"
      "# Managed by `qianbao keys`; the highest version is the active one.\n";
  text += std::string(kMasterPrefix) + MasterKeyCheck(master_key) + "\n";
  text += std::string(kLookupPrefix) + Wrap(keys.lookup_key, kLookupSlot, master_key) + "\n";
  for (const auto& [version, key] : keys.data_keys) {
    text += std::string(kVersionPrefix) + std::to_string(version) + std::string(kWrappedField) +
            Wrap(key, DataSlot(version), master_key) + "\n";
  }
  return text;
}

std::string FormatPlainKeyring(const VaultKeys& keys) {
  internal::EnsureSodiumInitialized();
  QB_ASSERT(!keys.lookup_key.empty());
  std::string text =
      "# qianbao development keyring: plain keys (card_vault.h); `qianbao keys migrate` wraps "
      "them.\n";
  for (const auto& [version, key] : keys.data_keys) {
    text += std::string(kVersionPrefix) + std::to_string(version) +
            " key=" + internal::ToHex(key.data(), SecretKey::kSize) + "\n";
  }
  text += "lookup=" + internal::ToHex(keys.lookup_key.data(), SecretKey::kSize) + "\n";
  return text;
}

Status WriteKeyringFile(const std::string& path, std::string_view text) {
  const std::string temp = path + ".tmp";
  ::unlink(temp.c_str());  // A leftover from a crashed writer; the lock file keeps writers apart.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot create " + temp);
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool ok = written == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return Status::IoError("cannot write the keyring " + path);
  }
  std::filesystem::path directory = std::filesystem::path(path).parent_path();
  if (directory.empty()) directory = ".";
  const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    const bool synced = ::fsync(dir_fd) == 0;
    ::close(dir_fd);
    if (!synced) return Status::IoError("cannot sync the keyring's directory");
  }
  return Status::Ok();
}

Status LoadMasterKey(const std::string& file_path, std::string_view hex, SecretKey* master_key) {
  std::string text;
  if (!file_path.empty()) {
    Status status = ReadKeyFileText(file_path, &text);
    if (!status.ok()) {
      sodium_memzero(text.data(), text.size());
      return Status::InvalidArgument("master key file " + file_path + ": " + status.message());
    }
    hex = text;
  }
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.remove_suffix(1);
  std::optional<SecretKey> key = SecretKey::FromHex(hex);
  sodium_memzero(text.data(), text.size());
  if (!key) return Status::InvalidArgument("the master key must be 64 hex digits");
  *master_key = std::move(*key);
  return Status::Ok();
}

}  // namespace qb::identity
