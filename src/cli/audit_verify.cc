#include "cli/audit_verify.h"

#include <memory>
#include <vector>

#include "engine/checkpoint.h"
#include "engine/command_codec.h"
#include "engine/state_machine.h"
#include "journal/reader.h"
#include "store/sqlite/sqlite_store.h"

namespace qb::cli {
namespace {

// The engine state after journal record `target_seq`: the newest checkpoint at or before it
// that checks out, then the journal up to it.
Status StateAt(Store* store, uint64_t target_seq, engine::StateMachine* state) {
  std::vector<uint64_t> seqs;
  if (Status s = store->ListCheckpoints(8, &seqs); !s.ok()) return s;
  journal::ChainPosition start;
  for (uint64_t seq : seqs) {
    if (seq > target_seq) continue;
    CheckpointInfo info;
    Digest hash;
    Status s = store->ReadCheckpoint(seq, &info);
    if (s.ok()) s = engine::DecodeCheckpoint(info.state_bytes, state, &start, &hash);
    if (s.ok()) break;
    state->Reset();
    start = journal::ChainPosition{};
  }
  std::vector<engine::Command> commands;
  journal::ReadReport read;
  return journal::ReadJournal(
      store, start, /*truncate_torn_tail=*/false,
      [&](const journal::BatchHeader& header, std::string_view payload) -> Status {
        if (header.seq > target_seq) return Status::Ok();
        if (!engine::DecodeCommands(payload, header.command_count, &commands)) {
          return Status::Corruption("journal record " + std::to_string(header.seq) +
                                    " holds malformed commands");
        }
        state->BeginBatch(header.batch_time_ns, nullptr);
        for (const engine::Command& command : commands) state->Apply(command);
        state->EndBatch();
        return Status::Ok();
      },
      &read);
}

}  // namespace

Status CheckAuditLog(Store* store, const audit::AuditChain& head, AuditLogCheck* check) {
  *check = AuditLogCheck{};
  uint64_t seq = 0;
  Digest hash{};
  std::vector<audit::AuditEntry> rows;
  // Each page continues from the last row checked; a full page may have more after it.
  for (;;) {
    if (Status s = store->ReadAuditEntries(seq + 1, kAuditVerifyPageRows, &rows); !s.ok()) {
      return s;
    }
    // Rows at or below `seq` cannot come back (seq >= from): the first row read must be seq+1.
    check->result = audit::VerifyAuditChain(rows, seq, hash);
    if (!check->result.ok) {
      for (const audit::AuditEntry& row : rows) {
        if (row.seq >= check->result.first_bad_seq) break;
        check->rows++;
      }
      return Status::Ok();
    }
    check->rows += rows.size();
    if (!rows.empty()) {
      seq = rows.back().seq;
      hash = rows.back().hash;
    }
    if (rows.size() < kAuditVerifyPageRows) break;
  }
  if (seq == head.seq() && hash == head.head()) return Status::Ok();
  check->result.ok = false;
  check->result.first_bad_seq = seq + 1;
  if (seq < head.seq()) {
    check->result.problem = "cut tail: the rows end at seq " + std::to_string(seq) +
                            ", the engine's chain at seq " + std::to_string(head.seq());
  } else if (seq > head.seq()) {
    check->result.first_bad_seq = head.seq() + 1;
    check->result.problem =
        "rows beyond the engine's chain (which ends at seq " + std::to_string(head.seq()) + ")";
  } else {
    check->result.problem = "head mismatch: the last row is not the engine's head";
  }
  return Status::Ok();
}

int RunAuditVerify(const std::string& data_dir, std::ostream& out) {
  std::unique_ptr<Store> store;
  if (Status s = OpenSqliteStore(data_dir, &store); !s.ok()) {
    out << "audit verify: cannot open " << data_dir << ": " << s.ToString() << "\n";
    return 2;
  }
  uint64_t projected_seq = 0;
  engine::StateMachine state;
  Status s = store->ProjectedSeq(&projected_seq);
  if (s.ok()) s = StateAt(store.get(), projected_seq, &state);
  if (!s.ok()) {
    out << "audit verify: cannot rebuild the engine state: " << s.ToString() << "\n";
    return 2;
  }
  AuditLogCheck check;
  if (s = CheckAuditLog(store.get(), state.audit_chain(), &check); !s.ok()) {
    out << "audit verify: cannot read the audit log: " << s.ToString() << "\n";
    return 2;
  }
  if (!check.result.ok) {
    out << "audit verify: FAILED at seq " << check.result.first_bad_seq << ": "
        << check.result.problem << " (" << check.rows << " rows before it check out)\n";
    return 1;
  }
  out << "audit verify: OK, " << check.rows << " entries, head "
      << DigestHex(state.audit_chain().head()).substr(0, 16) << " at seq "
      << state.audit_chain().seq() << "\n";
  return 0;
}

}  // namespace qb::cli
