// Envelope encryption of the card vault's keys (PCI DSS 3.5/3.6). The keyring file holds each
// data key, and the lookup key, only wrapped (sealed) by a master key — the key-encrypting key
// (KEK) — which reaches the process out of band (QIANBAO_MASTER_KEY_FILE or
// QIANBAO_MASTER_KEY, see server/config.h) and never sits next to the keyring.
//
// Wrapped keyring grammar, one entry per line; blank lines and '#' comments are ignored:
//
//   master=<32 hex>                          (exactly one: the master key's check value)
//   lookup wrapped=<144 hex>                 (exactly one)
//   version=<decimal 1..2^32-1> wrapped=<144 hex>   (one or more, distinct versions)
//
//   wrapped := nonce:24 bytes | ciphertext:32 bytes | tag:16 bytes
//
// sealed with XChaCha20-Poly1305 (IETF) under the KEK. The associated data names the slot —
// "qianbao keyring v1 data <version>" or "qianbao keyring v1 lookup" — so a wrapped key moved
// to another version or to the lookup line fails to open instead of silently becoming another
// version's key. The check value is the first 16 bytes of BLAKE2b keyed by the KEK over
// "qianbao keyring master check v1": it tells a wrong master key (one clear error) from a
// damaged line (another), and reveals nothing about the key. The highest version is active.
//
// The plain grammar of card_vault.h (`version=<n> key=<64 hex>`, `lookup=<64 hex>`) still loads
// for existing development set-ups; `qianbao keys migrate` rewrites it wrapped. A file mixing
// the two is refused. Errors name the line but never echo key material.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "identity/card_vault.h"
#include "identity/secret_key.h"

namespace qb::identity {

enum class KeyringFormat { kPlain, kWrapped };

// 32 hex characters identifying `master_key` (see above).
std::string MasterKeyCheck(const SecretKey& master_key);

// Parses either format into *keys. A wrapped keyring needs `master_key` (null or empty: an
// error saying so); a plain one ignores it. On error *keys is unchanged.
Status ParseKeyring(std::string_view text, const SecretKey* master_key, VaultKeys* keys,
                    KeyringFormat* format);

// Reads `path` with LoadKeyFile's checks (no group/other permission) and parses it.
Status LoadKeyring(const std::string& path, const SecretKey* master_key, VaultKeys* keys,
                   KeyringFormat* format);

// The wrapped text of `keys` (fresh nonces each call) under `master_key`.
std::string FormatWrappedKeyring(const VaultKeys& keys, const SecretKey& master_key);

// The plain text of `keys` (card_vault.h grammar): only for a development keyring that was plain
// already, so `qianbao keys rotate` keeps `make run` working without a master key.
std::string FormatPlainKeyring(const VaultKeys& keys);

// Replaces `path` atomically: writes `<path>.tmp` (mode 0600, O_EXCL), fsyncs it, renames it
// over `path` and fsyncs the directory, so a reader sees the old file or the new one, never a
// torn one, and a crash leaves one of them on disk.
Status WriteKeyringFile(const std::string& path, std::string_view text);

// The master key from a file holding 64 hex digits (optionally followed by a newline; the file
// must grant no group or other permission) or, when `file_path` is empty, from `hex` itself.
// Errors never echo the key.
Status LoadMasterKey(const std::string& file_path, std::string_view hex, SecretKey* master_key);

}  // namespace qb::identity
