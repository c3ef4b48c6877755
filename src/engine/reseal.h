// The background half of key rotation: walks every sealed value in the engine state (resident
// IDs, card PANs, TOTP secrets, merchants' settlement accounts and API-key secrets, payment-
// device secrets) and re-encrypts those sealed under an older data key with the vault's active
// one, through journaled ResealSecrets commands (engine/reseal_command.h).
//
// Bounded work, so the engine is never blocked: one Step reads at most
// ResealOptions::max_rows_per_scan customers or merchants in one Query (a copy of their blobs,
// on the engine thread), opens and reseals off the engine thread, and submits them in commands
// of at most kMaxResealsPerCommand (64) items. Other commands queue between the steps as
// between any two requests. A pass is the steps from the first customer to the last merchant;
// it counts the blobs per key version as it goes (KeyUsage), which tells when an old version is
// no longer used and may be retired.
//
// Thread-safety: a Resealer is used by one thread at a time; the engine and the vault are
// shared. The seal contexts are the API's (wallet/payment_internal.h, wallet/totp_routes.cc,
// wallet/identity_card_routes.cc); SealContextOf must follow them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/engine.h"
#include "engine/reseal_command.h"
#include "identity/card_vault.h"

namespace qb::engine {

struct ResealOptions {
  size_t max_rows_per_scan = 256;  // Customers or merchants read by one Query.
  size_t max_reseals_per_command = kMaxResealsPerCommand;
  bool reseal = true;  // False: only count (qianbao keys rotate --status on a stopped server).
};

// What one pass found. Blobs resealed during the pass count under the new version.
struct KeyUsage {
  uint32_t active_version = 0;
  std::map<uint32_t, uint64_t> blobs_by_version;
  uint64_t unreadable = 0;  // Older blobs the vault cannot open (unknown version or damaged).
  uint64_t resealed = 0;
  uint64_t changed = 0;   // Changed by a request between the read and the reseal: next pass.
  bool complete = false;  // A whole pass, first customer to last merchant.

  // Blobs under versions other than the active one.
  uint64_t old_blobs() const;
};

// The context a value of `field` owned by `owner_id` is sealed with.
std::string SealContextOf(SealedField field, uint64_t owner_id);

class Resealer {
 public:
  Resealer(Engine* engine, const identity::CardVault* vault, ResealOptions options = {});

  // One bounded step. Sets *pass_done when it finished a pass; usage() then holds the pass's
  // counts until the next step. Errors: the engine refused a command (shutting down, failed).
  Status Step(bool* pass_done);
  // Steps until a pass is done.
  Status RunPass(KeyUsage* usage);

  const KeyUsage& usage() const { return usage_; }

 private:
  struct Found {
    SealedValue value;  // expected = the stored blob; replacement filled by Reseal.
  };
  Status Scan(std::vector<Found>* found, bool* finished);
  Status Reseal(std::vector<Found> found);
  void Count(uint32_t version, uint64_t n = 1) { usage_.blobs_by_version[version] += n; }

  Engine* const engine_;
  const identity::CardVault* const vault_;
  const ResealOptions options_;
  bool pass_started_ = false;
  bool in_merchants_ = false;  // The scan's cursor: a customer or merchant id, from 1.
  uint64_t next_id_ = 1;
  KeyUsage usage_;
};

// The key-usage file qianbaod writes into its data directory after each pass, read by
// `qianbao keys rotate --status` and `qianbao keys retire` while the server runs:
//
//   active=<version>
//   complete=<0|1>
//   version=<n> blobs=<count>        (one per version seen)
//   unreadable=<count>
//   written_ns=<unix ns>
inline constexpr std::string_view kKeyUsageFileName = "key-usage";
std::string FormatKeyUsage(const KeyUsage& usage, int64_t written_ns);
bool ParseKeyUsage(std::string_view text, KeyUsage* usage, int64_t* written_ns);

}  // namespace qb::engine
