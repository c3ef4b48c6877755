#include "cli/verify.h"

#include <absl/container/flat_hash_map.h>

#include "cli/audit_verify.h"
#include "engine/checkpoint.h"
#include "engine/command_codec.h"
#include "engine/recovery.h"
#include "store/sqlite/sqlite_store.h"

namespace qb::cli {
namespace {

struct Findings {
  int problems = 0;
  std::ostream* out;
  void Fail(const std::string& what) {
    problems++;
    *out << "  MISMATCH " << what << "\n";
  }
  void Pass(const std::string& what) { *out << "  ok       " << what << "\n"; }
};

// Compares the read models with the engine state at the same journal position.
void CompareReadModels(Store* store, const engine::StateMachine& state, Findings* findings) {
  absl::flat_hash_map<uint64_t, ledger::Account> projected;
  Status s = store->ForEachProjectedAccount(
      [&](const ledger::Account& account) { projected.emplace(account.id, account); });
  uint64_t account_rows = 0, transfer_rows = 0;
  if (s.ok()) s = store->CountReadModel(&account_rows, &transfer_rows);
  if (!s.ok()) return findings->Fail("read models unreadable: " + s.ToString());
  size_t differing = 0;
  state.ledger().ForEachAccount([&](const ledger::Account& account) {
    auto it = projected.find(account.id);
    if (it == projected.end() || !(it->second == account)) differing++;
  });
  if (differing != 0 || projected.size() != state.ledger().account_count()) {
    findings->Fail("read-model accounts: " + std::to_string(differing) + " differ; " +
                   std::to_string(projected.size()) + " rows vs " +
                   std::to_string(state.ledger().account_count()) + " in the engine");
  } else {
    findings->Pass("read-model accounts equal the engine (" + std::to_string(projected.size()) +
                   ")");
  }
  // Customers: every engine customer has its row, equal field by field, and no other row.
  size_t customer_rows = 0, customers_differing = 0;
  std::optional<uint64_t> cursor;
  do {
    CustomerPage page;
    if (s = store->SearchCustomers("", cursor, 10'000, &page); !s.ok()) {
      return findings->Fail("read-model customers unreadable: " + s.ToString());
    }
    for (const CustomerRow& row : page.customers) {
      customer_rows++;
      const identity::Customer* customer = state.customers().FindById(row.id);
      if (customer == nullptr || !(engine::StateMachine::CustomerRowOf(*customer) == row)) {
        customers_differing++;
      }
    }
    cursor = page.next_cursor;
  } while (cursor);
  if (customers_differing != 0 || customer_rows != state.customers().customer_count()) {
    findings->Fail("read-model customers: " + std::to_string(customers_differing) + " differ; " +
                   std::to_string(customer_rows) + " rows vs " +
                   std::to_string(state.customers().customer_count()) + " in the engine");
  } else {
    findings->Pass("read-model customers equal the engine (" + std::to_string(customer_rows) + ")");
  }
  if (transfer_rows != state.ledger().transfer_count()) {
    findings->Fail("read-model transfers: " + std::to_string(transfer_rows) + " rows vs " +
                   std::to_string(state.ledger().transfer_count()) + " in the engine");
  } else {
    findings->Pass("read-model transfers equal the engine (" + std::to_string(transfer_rows) + ")");
  }
}

// The audit rows against the engine's chain at the same journal position.
void CheckAuditRows(Store* store, const engine::StateMachine& state, Findings* findings) {
  AuditLogCheck check;
  if (Status s = CheckAuditLog(store, state.audit_chain(), &check); !s.ok()) {
    return findings->Fail("audit log unreadable: " + s.ToString());
  }
  if (!check.result.ok) {
    return findings->Fail("audit log at seq " + std::to_string(check.result.first_bad_seq) + ": " +
                          check.result.problem);
  }
  findings->Pass("audit log hash chain intact and ends at the engine's head (" +
                 std::to_string(check.rows) + " entries)");
}

}  // namespace

int RunVerify(const std::string& data_dir, std::ostream& out) {
  std::unique_ptr<Store> store;
  if (Status s = OpenSqliteStore(data_dir, &store); !s.ok()) {
    out << "verify: cannot open " << data_dir << ": " << s.ToString() << "\n";
    return 2;
  }
  Findings findings{0, &out};
  uint64_t projected_seq = 0, last_seq = 0;
  std::vector<uint64_t> checkpoints;
  Status s = store->ProjectedSeq(&projected_seq);
  if (s.ok()) s = store->LastJournalSeq(&last_seq);
  if (s.ok()) s = store->ListCheckpoints(1, &checkpoints);
  if (!s.ok()) {
    out << "verify: cannot read " << data_dir << ": " << s.ToString() << "\n";
    return 2;
  }
  out << "verify " << data_dir << ": journal has " << last_seq << " batches, read models at "
      << projected_seq << ", newest checkpoint at "
      << (checkpoints.empty() ? std::string("none") : std::to_string(checkpoints[0])) << "\n";

  // The checkpoint's own hash, to compare with genesis replay at the same position.
  std::optional<Digest> checkpoint_hash;
  uint64_t checkpoint_seq = 0;
  if (!checkpoints.empty()) {
    CheckpointInfo info;
    engine::StateMachine loaded;
    journal::ChainPosition position;
    Digest hash;
    s = store->ReadCheckpoint(checkpoints[0], &info);
    if (s.ok()) s = engine::DecodeCheckpoint(info.state_bytes, &loaded, &position, &hash);
    if (s.ok()) {
      checkpoint_hash = hash;
      checkpoint_seq = position.last_seq;
    } else {
      findings.Fail("newest checkpoint unusable: " + s.ToString());
    }
  }

  engine::StateMachine state;
  std::vector<engine::Command> commands;
  auto at_position = [&](uint64_t seq) {
    if (checkpoint_hash && seq == checkpoint_seq) {
      if (state.StateHash() == *checkpoint_hash) {
        findings.Pass("genesis replay reproduces checkpoint " + std::to_string(seq) + " hash " +
                      DigestHex(*checkpoint_hash).substr(0, 16));
      } else {
        findings.Fail("genesis replay differs from checkpoint " + std::to_string(seq));
      }
    }
    if (seq == projected_seq) {
      CompareReadModels(store.get(), state, &findings);
      CheckAuditRows(store.get(), state, &findings);
    }
  };
  at_position(0);
  journal::ReadReport read;
  s = journal::ReadJournal(
      store.get(), journal::ChainPosition{}, /*truncate_torn_tail=*/false,
      [&](const journal::BatchHeader& header, std::string_view payload) -> Status {
        if (!engine::DecodeCommands(payload, header.command_count, &commands)) {
          return Status::Corruption("record " + std::to_string(header.seq) +
                                    " holds malformed commands");
        }
        state.BeginBatch(header.batch_time_ns, nullptr);
        for (const engine::Command& command : commands) state.Apply(command);
        state.EndBatch();
        at_position(header.seq);
        return Status::Ok();
      },
      &read);
  if (!s.ok()) {
    findings.Fail("journal: " + s.ToString());
  } else {
    findings.Pass("journal hash chain intact over " + std::to_string(read.records_read) +
                  " batches");
  }
  if (read.dropped_torn_tail) {
    out << "  note     the last batch is torn (never acknowledged); the next start drops it\n";
  }
  if (projected_seq > read.end.last_seq) {
    findings.Fail("read models are ahead of the journal");
  } else if (projected_seq < read.end.last_seq) {
    out << "  note     read models lag the journal by " << (read.end.last_seq - projected_seq)
        << " batches; the next start catches them up\n";
  }
  if (auto violation = state.ledger().CheckInvariants()) {
    findings.Fail("ledger invariant: " + *violation);
  } else {
    findings.Pass("every ledger sums to zero; every balance equals its transfers (" +
                  std::to_string(state.ledger().account_count()) + " accounts, " +
                  std::to_string(state.ledger().transfer_count()) + " transfers)");
  }

  // Checkpoint + tail must land on the same state as genesis replay.
  if (checkpoint_hash) {
    engine::StateMachine recovered;
    engine::RecoveryReport report;
    engine::RecoveryOptions options;
    options.truncate_torn_tail = false;
    options.project = false;
    s = engine::Recover(store.get(), options, &recovered, &report);
    if (!s.ok()) {
      findings.Fail("recovery from checkpoint: " + s.ToString());
    } else if (recovered.StateHash() != state.StateHash()) {
      findings.Fail("checkpoint + journal tail differs from genesis replay");
    } else {
      findings.Pass("checkpoint + journal tail equals genesis replay");
    }
  }
  out << "state hash " << DigestHex(state.StateHash()) << "\n";
  out << (findings.problems == 0
              ? "verify: OK\n"
              : "verify: FAILED with " + std::to_string(findings.problems) + " problem(s)\n");
  return findings.problems == 0 ? 0 : 1;
}

}  // namespace qb::cli
