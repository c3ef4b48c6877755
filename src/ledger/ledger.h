// The ledger: accounts and transfers in memory, pure and deterministic, no I/O and no clock.
//
// Contract:
// - Not thread-safe. Exactly one thread (the engine's writer) owns a Ledger.
// - Every create call is given the time of its batch; the ledger stamps each created record
//   with a strictly increasing timestamp derived from it, so replay stamps the same times.
// - A failed transfer changes nothing. A linked chain (kLinked on every transfer but the last)
//   succeeds or fails as one; the failing transfer gets its own result and the others
//   kLinkedEventFailed.
// - Invariant after every call: for each ledger the sum of (debits - credits), posted and
//   pending separately, over all accounts is zero; and each account's totals equal the sums of
//   the transfers that touched it. CheckInvariants() verifies both.
#pragma once

#include <absl/container/btree_set.h>
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/digest.h"
#include "base/huge_page_allocator.h"
#include "ledger/types.h"

namespace qb::ledger {

enum class PendingStatus : uint8_t { kPending = 1, kPosted = 2, kVoided = 3, kExpired = 4 };

class Ledger {
 public:
  Ledger() = default;
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Forgets everything: an empty ledger again.
  void Clear();

  // Pre-sizes the tables so a known workload does not rehash mid-run.
  void Reserve(size_t accounts, size_t transfers);

  // Results are written to `results`, one per input, in order. `now_ns` is the batch time.
  void CreateAccounts(std::span<const Account> accounts, int64_t now_ns,
                      std::vector<CreateAccountResult>* results);
  void CreateTransfers(std::span<const Transfer> transfers, int64_t now_ns,
                       std::vector<CreateTransferResult>* results);

  // Voids pending transfers whose timeout has passed at `now_ns`, oldest first, at most
  // `limit` of them. Returns how many expired; appends their ids to `expired_ids` if given.
  size_t ExpirePending(int64_t now_ns, size_t limit, std::vector<uint64_t>* expired_ids = nullptr);

  // Marks an account closed: no further transfers may touch it. Refused while it holds
  // pending amounts. Returns false if the account is unknown or has pending amounts.
  bool CloseAccount(uint64_t account_id);

  const Account* FindAccount(uint64_t id) const;
  // Cache hints for an account or transfer id about to be used (found or inserted): they start
  // loading memory and change nothing.
  void PrefetchAccount(uint64_t id) const { accounts_.prefetch(id); }
  void PrefetchTransfer(uint64_t id) const { transfers_.prefetch(id); }
  const Transfer* FindTransfer(uint64_t id) const;
  std::optional<PendingStatus> FindPendingStatus(uint64_t pending_id) const;

  size_t account_count() const { return accounts_.size(); }
  size_t transfer_count() const { return transfers_.size(); }
  int64_t last_timestamp_ns() const { return last_timestamp_ns_; }

  // Calls `visit` for every account / transfer, in no particular order.
  template <typename Visit>
  void ForEachAccount(Visit visit) const {
    for (const auto& [id, account] : accounts_) visit(account);
  }
  template <typename Visit>
  void ForEachTransfer(Visit visit) const {
    for (const auto& [id, transfer] : transfers_) visit(transfer);
  }

  // A digest of the whole state, independent of insertion order and hash seeds: two ledgers
  // that executed the same commands at the same times have the same StateHash.
  Digest StateHash() const;

  // Verifies the double-entry invariants; returns a description of the first violation.
  std::optional<std::string> CheckInvariants() const;

  // Checkpoint support: the complete state as bytes, and back.
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  struct PendingEntry {
    PendingStatus status;
    int64_t expires_at_ns;  // 0: never.
  };
  // What a chain must restore if a later member fails.
  struct Undo {
    uint64_t transfer_id;
    Account debit_before;
    Account credit_before;
    uint64_t pending_id;  // Resolved pending transfer, or 0.
    std::optional<PendingEntry> pending_before;
  };

  CreateAccountResult CreateAccount(const Account& input, int64_t timestamp_ns);
  CreateTransferResult CreateTransfer(const Transfer& input, int64_t timestamp_ns);
  CreateTransferResult CreateSinglePhase(const Transfer& input, int64_t timestamp_ns);
  CreateTransferResult ResolvePending(const Transfer& input, int64_t timestamp_ns);
  CreateTransferResult CheckExisting(const Transfer& input, const Transfer& existing) const;
  int64_t NextTimestamp(int64_t now_ns);
  void SetPending(uint64_t pending_id, std::optional<PendingEntry> entry);
  void Rollback(size_t undo_mark);

  template <typename V>
  using Table = absl::flat_hash_map<uint64_t, V, absl::Hash<uint64_t>, std::equal_to<uint64_t>,
                                    HugePageAllocator<std::pair<const uint64_t, V>>>;

  Table<Account> accounts_;
  Table<Transfer> transfers_;
  Table<PendingEntry> pending_;
  absl::btree_set<std::pair<int64_t, uint64_t>> expiries_;  // (expires_at_ns, pending id)
  std::vector<Undo> undo_;
  int64_t last_timestamp_ns_ = 0;
};

}  // namespace qb::ledger
