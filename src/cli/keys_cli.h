// The `qianbao keys` subcommands' flags (CLI11), kept beside cli/keys.h so main.cc only adds
// and runs them. Included by main.cc alone: qb_cli does not link CLI11.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <vector>

#include "cli/keys.h"

namespace qb::cli {

class KeysCli {
 public:
  explicit KeysCli(CLI::App& app) {
    CLI::App* keys = app.add_subcommand("keys", "Card-vault keys: envelope keyring and rotation");
    keys->require_subcommand(1);
    Add(keys, KeysCommand::kInit, "init", "Create a wrapped keyring (data key version 1)");
    Add(keys, KeysCommand::kMigrate, "migrate", "Wrap a plain keyring under the master key");
    CLI::App* rotate = Add(keys, KeysCommand::kRotate, "rotate",
                           "Add a new active data-key version; qianbaod re-encrypts in the "
                           "background");
    rotate->add_flag("--status", status_, "Show how many stored values each version seals");
    rotate->add_option("--data", options_.data_dir, "Data directory (with --status)")
        ->envname("QIANBAO_DATA_DIR");
    CLI::App* retire =
        Add(keys, KeysCommand::kRetire, "retire", "Drop a data-key version no stored value uses");
    retire->add_option("version", options_.version, "The version to drop")->required();
    retire->add_option("--data", options_.data_dir, "Data directory")
        ->envname("QIANBAO_DATA_DIR")
        ->required();
    CLI::App* rewrap =
        Add(keys, KeysCommand::kRewrap, "rewrap", "Wrap the keyring under a new master key");
    rewrap
        ->add_option("--new-master-key-file", options_.new_master_key_file,
                     "The new master key (64 hex digits, mode 0600)")
        ->required();
  }

  // The exit code when a keys subcommand was given, else nullopt.
  std::optional<int> Run() {
    for (auto [command, sub] : subcommands_) {
      if (!sub->parsed()) continue;
      if (command == KeysCommand::kRotate && status_) command = KeysCommand::kStatus;
      // The hex form of the master key comes only from the environment, never a flag (a flag
      // would show in `ps`).
      if (const char* hex = std::getenv("QIANBAO_MASTER_KEY")) options_.master_key_hex = hex;
      return RunKeys(command, options_, std::cout, std::cerr);
    }
    return std::nullopt;
  }

 private:
  CLI::App* Add(CLI::App* keys, KeysCommand command, const char* name, const char* help) {
    CLI::App* sub = keys->add_subcommand(name, help);
    sub->add_option("--key-file", options_.key_file, "The keyring file")
        ->envname("QIANBAO_KEY_FILE");
    sub->add_option("--master-key-file", options_.master_key_file,
                    "The master key (64 hex digits, mode 0600); else QIANBAO_MASTER_KEY")
        ->envname("QIANBAO_MASTER_KEY_FILE");
    subcommands_.emplace_back(command, sub);
    return sub;
  }

  KeysOptions options_;
  bool status_ = false;
  std::vector<std::pair<KeysCommand, CLI::App*>> subcommands_;
};

}  // namespace qb::cli
