// `qianbao keys`: the card-vault keyring (identity/keyring.h) and key rotation.
//
//   init      a new wrapped keyring: data key version 1 and a lookup key, under the master key
//   migrate   rewrites a plain keyring (card_vault.h grammar) wrapped under the master key
//   rotate    adds data key version max+1 and makes it active; a running qianbaod reloads the
//             file and reseals stored values in the background (server/keyring_watcher.h)
//   rotate --status   how many stored values each version still seals
//   retire <v>        drops version v once no stored value uses it
//   rewrap    the same keys wrapped under a new master key
//
// Every change replaces the keyring atomically (identity::WriteKeyringFile) while holding an
// exclusive lock on <key file>.lock, so two operators cannot lose each other's versions. The
// counts come from <data dir>/key-usage, written by a running qianbaod after each reseal pass,
// or, when the server is stopped, from the engine state itself. Exit codes: 0 done, 1 refused
// (a reason on stderr), 2 an I/O or engine failure.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace qb::cli {

enum class KeysCommand { kInit, kMigrate, kRotate, kStatus, kRetire, kRewrap };

struct KeysOptions {
  std::string key_file;
  std::string data_dir;  // status and retire: the server's data directory.
  // The master key: a file of 64 hex digits, or else the hex itself (QIANBAO_MASTER_KEY).
  std::string master_key_file;
  std::string master_key_hex;
  std::string new_master_key_file;  // rewrap
  uint32_t version = 0;             // retire
};

int RunKeys(KeysCommand command, const KeysOptions& options, std::ostream& out, std::ostream& err);

}  // namespace qb::cli
