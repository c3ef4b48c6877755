// Card numbers at rest (PCI DSS 3.4/3.5). A PAN is stored only as a CardVault blob:
//
//   blob := version:u32 (little-endian) | nonce:24 bytes | ciphertext | tag:16 bytes
//
// sealed with XChaCha20-Poly1305 (IETF) under data key `version`. The associated data is the
// 4 version bytes followed by a caller-chosen context (e.g. the customer id), so a blob copied
// to another customer's row, or relabelled with another version, fails to decrypt. Random
// 192-bit nonces are safe to draw per message without a counter. Duplicate detection uses a
// separate keyed BLAKE2b hash so no code path needs to decrypt to compare cards.
//
// Keys rotate by adding a new version and making it active: old blobs still decrypt, and
// NeedsReencryption tells a background job which rows to rewrite (engine/reseal.h). The data
// keys can be swapped while the vault is shared (ReloadDataKeys, when the keyring file gains a
// version); the lookup key never changes. Every method is safe to call from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "identity/secret_key.h"

namespace qb::identity {

struct VaultKeys {
  std::map<uint32_t, SecretKey> data_keys;  // version -> key; versions start at 1
  uint32_t active_version = 0;              // new blobs use this key
  SecretKey lookup_key;                     // keys LookupHash; never rotated casually
};

// Key file grammar, one entry per line; blank lines and lines starting with '#' are ignored:
//
//   version=<decimal 1..2^32-1> key=<64 hex>     (one or more, distinct versions)
//   lookup=<64 hex>                              (exactly one)
//
// The highest version is the active one. Errors name the line but never echo key material.
Status ParseKeyFile(std::string_view text, VaultKeys* keys);

// Reads and parses `path`. Refuses a file whose mode grants any group or other permission
// ("key file must not be readable by others"), since the keys guard every stored card.
Status LoadKeyFile(const std::string& path, VaultKeys* keys);

// The bytes of a key file (at most 64 KiB plus one buffer), with LoadKeyFile's checks: a
// regular file that grants no group or other permission. Callers wipe *text when done.
Status ReadKeyFileText(const std::string& path, std::string* text);

// Random keys (version 1 active) for development and tests. They die with the process, so
// every stored card becomes unreadable on restart; callers should log a warning.
VaultKeys GenerateDevelopmentKeys();

class CardVault {
 public:
  static constexpr size_t kNonceSize = 24;
  static constexpr size_t kTagSize = 16;
  static constexpr size_t kHeaderSize = 4 + kNonceSize;

  // nullopt when there are no data keys, a key is empty, version 0 is used, or the active
  // version has no key.
  static std::optional<CardVault> FromKeys(std::map<uint32_t, SecretKey> data_keys,
                                           uint32_t active_version, SecretKey lookup_key);
  static std::optional<CardVault> FromKeys(VaultKeys keys);

  // Seals `pan` under the active key, binding `context`. Each call draws a fresh nonce, so two
  // encryptions of the same PAN differ.
  std::string Encrypt(std::string_view pan, std::string_view context) const;

  // The PAN, or nullopt if the blob is truncated, names an unknown version, was altered, or
  // was sealed with another context. The plaintext is an ordinary std::string: keep its life
  // short and never log it.
  std::optional<std::string> Decrypt(std::string_view blob, std::string_view context) const;

  // 64 hex characters: BLAKE2b-256 of the PAN keyed with the lookup key. Equal PANs give equal
  // hashes under the same lookup key; without the key the hash reveals nothing. Pass the
  // normalised PAN (see NormalizePan) so formatting does not split duplicates.
  std::string LookupHash(std::string_view pan) const;

  // True when the blob was sealed with a key other than the active one (or is malformed).
  bool NeedsReencryption(std::string_view blob) const;

  uint32_t active_version() const;
  // The versions the vault can open, ascending.
  std::vector<uint32_t> versions() const;

  // Replaces the data keys (a keyring reloaded after `qianbao keys rotate` or `retire`). Blobs
  // sealed before keep opening as long as their version is still among `keys.data_keys`.
  // Refused (nothing changes) when the keys are inconsistent as for FromKeys, or when
  // `keys.lookup_key` is not the vault's lookup key: look-up hashes and the keys derived from it
  // must never change under a running server.
  Status ReloadDataKeys(VaultKeys keys);

 private:
  struct DataKeys {
    std::map<uint32_t, SecretKey> keys;
    uint32_t active_version = 0;
  };

  CardVault(std::map<uint32_t, SecretKey> data_keys, uint32_t active_version, SecretKey lookup_key);
  std::shared_ptr<const DataKeys> Snapshot() const;

  // Readers copy the pointer under the mutex and use the keys outside it, so a reload never
  // waits for a seal and a key map is freed only after its last reader is done. The mutex sits
  // behind a unique_ptr so a CardVault stays movable (FromKeys returns it by value).
  std::unique_ptr<std::mutex> data_keys_mutex_;
  std::shared_ptr<const DataKeys> data_keys_;
  SecretKey lookup_key_;
};

}  // namespace qb::identity
