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

// What the projector writes for one or more journal batches.
struct Projection {
  uint64_t last_seq = 0;                    // Highest journal seq these changes cover.
  std::vector<ledger::Account> accounts;    // New state of every account created or touched.
  std::vector<ledger::Transfer> transfers;  // Every transfer created.
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
  // Visits every projected account (for verification against the engine).
  virtual Status ForEachProjectedAccount(
      const std::function<void(const ledger::Account&)>& visit) = 0;
};

}  // namespace qb
