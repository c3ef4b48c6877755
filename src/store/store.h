// The Store: where the journal, the checkpoints and the read models live. One interface, one
// schema, several backends (SQLite now; PostgreSQL later) passing the same tests.
//
// Contract:
// - AppendJournal is durable when it returns ok: the records survive a crash or power loss.
//   Records are appended with consecutive sequence numbers, all or none.
// - Journal and checkpoint methods are called by one thread at a time (the journal writer, or
//   the engine thread while the writer is idle); projection methods by the projector thread;
//   read-model queries by any thread. Implementations synchronise internally.
// - Domain modules never see SQL: they hand in records and get records back.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "ledger/types.h"

namespace qb {

struct JournalRecord {
  uint64_t seq = 0;
  std::string bytes;  // The encoded batch (journal/record.h).
};

struct CheckpointInfo {
  uint64_t seq = 0;         // The last journal record the checkpoint includes.
  std::string state_bytes;  // The serialized engine state.
};

// A customer as the read models see them: what staff search and the history's counterparty
// column need. No secrets and no full identity numbers; the real name only masked.
struct CustomerRow {
  uint64_t id = 0;
  uint64_t wallet_account_id = 0;
  std::string phone;
  std::string real_name_masked;  // "" until verified.
  std::string resident_id_masked;
  uint8_t tier = 4;  // identity::WalletTier.
  std::string channel;
  std::string invite_code;
  int64_t registered_ns = 0;
  bool operator==(const CustomerRow&) const = default;
};

// A card as the history's counterparty column shows it.
struct CardRow {
  uint64_t id = 0;
  uint64_t customer_id = 0;
  std::string bank_code;
  std::string first6;
  std::string last4;
  bool operator==(const CardRow&) const = default;
};

// What the projector writes for one or more journal batches.
struct Projection {
  uint64_t last_seq = 0;                    // Highest journal seq these changes cover.
  std::vector<ledger::Account> accounts;    // New state of every account created or touched.
  std::vector<ledger::Transfer> transfers;  // Every transfer created.
  std::vector<CustomerRow> customers;       // New state of every customer created or changed.
  std::vector<CardRow> cards;               // Every card bound (unbinding keeps the row).
  std::vector<std::pair<uint64_t, std::string>> memos;  // transfer id → the payer's memo.
};

// One line of a wallet's history: a transfer that is not itself a post or void, with its
// status resolved (a hold is "pending" until posted or voided) and its counterparty.
enum class HistoryStatus : uint8_t { kPosted, kPending, kVoided };
struct HistoryEntry {
  ledger::Transfer transfer;
  HistoryStatus status = HistoryStatus::kPosted;
  std::string memo;
  std::optional<CustomerRow> counterparty_customer;  // For transfers between wallets.
  std::optional<CardRow> card;                       // For top-ups and withdrawals.
};

struct HistoryFilter {
  std::vector<uint16_t> codes;  // Transfer codes; empty means all.
  // Only money in (credit_account_id == the account) or out; both when neither is set.
  bool only_in = false;
  bool only_out = false;
  std::optional<int64_t> from_ns;  // Inclusive.
  std::optional<int64_t> to_ns;    // Exclusive.
};

struct HistoryPage {
  std::vector<HistoryEntry> entries;
  std::optional<int64_t> next_cursor;  // Timestamp to continue before, if more.
};

struct CustomerPage {
  std::vector<CustomerRow> customers;
  std::optional<uint64_t> next_cursor;  // Customer id to continue below, if more.
};

struct TransferPage {
  std::vector<ledger::Transfer> transfers;
  std::optional<int64_t> next_cursor;  // Timestamp to continue before, if more.
};

class Store {
 public:
  virtual ~Store() = default;

  // --- Journal ---
  virtual Status AppendJournal(std::span<const JournalRecord> records) = 0;
  // Calls `visit` for each record with seq >= from_seq in order; stops early if it returns
  // false.
  virtual Status ReadJournal(uint64_t from_seq,
                             const std::function<bool(uint64_t, std::string_view)>& visit) = 0;
  // Removes records with seq >= from_seq: used to drop a torn tail found by recovery.
  virtual Status TruncateJournal(uint64_t from_seq) = 0;
  virtual Status LastJournalSeq(uint64_t* seq) = 0;  // 0 when empty.

  // --- Checkpoints ---
  virtual Status WriteCheckpoint(uint64_t seq, std::string_view state_bytes) = 0;
  // Newest first; at most `limit`.
  virtual Status ListCheckpoints(size_t limit, std::vector<uint64_t>* seqs) = 0;
  virtual Status ReadCheckpoint(uint64_t seq, CheckpointInfo* checkpoint) = 0;

  // --- Read models ---
  virtual Status ApplyProjection(const Projection& projection) = 0;
  virtual Status ProjectedSeq(uint64_t* seq) = 0;
  virtual Status ResetReadModels() = 0;
  virtual Status ReadAccount(uint64_t id, std::optional<ledger::Account>* account) = 0;
  // An account's transfers, newest first, with timestamps before `before_ns` (cursor).
  virtual Status ListAccountTransfers(uint64_t account_id, std::optional<int64_t> before_ns,
                                      size_t limit, TransferPage* page) = 0;
  virtual Status CountReadModel(uint64_t* accounts, uint64_t* transfers) = 0;
  // An account's history, newest first, before `before_ns` (cursor), filtered.
  virtual Status ListHistory(uint64_t account_id, const HistoryFilter& filter,
                             std::optional<int64_t> before_ns, size_t limit, HistoryPage* page) = 0;
  // Customers whose phone starts with `phone_prefix` (all when empty), newest first, with ids
  // below `before_id` (cursor).
  virtual Status SearchCustomers(std::string_view phone_prefix, std::optional<uint64_t> before_id,
                                 size_t limit, CustomerPage* page) = 0;
  virtual Status ReadCustomer(uint64_t id, std::optional<CustomerRow>* customer) = 0;
  // Visits every projected account (for verification against the engine).
  virtual Status ForEachProjectedAccount(
      const std::function<void(const ledger::Account&)>& visit) = 0;
};

}  // namespace qb
