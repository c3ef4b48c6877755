#include "engine/recovery.h"

#include <vector>

#include "base/clock.h"
#include "engine/checkpoint.h"
#include "engine/command_codec.h"

namespace qb::engine {
namespace {

// Projections replayed during recovery are written in chunks of about this many transfers.
constexpr size_t kProjectionChunkTransfers = 100'000;

// Loads the newest usable checkpoint. A checkpoint ahead of the read models is skipped when
// projecting, because the batches between would never reach them.
Status LoadCheckpoint(Store* store, uint64_t max_seq, StateMachine* state, RecoveryReport* report) {
  std::vector<uint64_t> seqs;
  if (Status s = store->ListCheckpoints(8, &seqs); !s.ok()) return s;
  for (uint64_t seq : seqs) {
    if (seq > max_seq) continue;
    CheckpointInfo info;
    Status s = store->ReadCheckpoint(seq, &info);
    Digest hash;
    if (s.ok()) s = DecodeCheckpoint(info.state_bytes, state, &report->end, &hash);
    if (s.ok()) {
      report->checkpoint_seq = seq;
      return Status::Ok();
    }
    report->checkpoints_rejected++;
    state->Reset();  // Whatever a bad checkpoint left behind is discarded.
  }
  return Status::Ok();
}

}  // namespace

Status Recover(Store* store, const RecoveryOptions& options, StateMachine* state,
               RecoveryReport* report) {
  const int64_t start_ns = MonotonicNowNs();
  *report = RecoveryReport{};
  uint64_t projected_seq = 0;
  if (options.project) {
    if (Status s = store->ProjectedSeq(&projected_seq); !s.ok()) return s;
  }
  if (options.use_checkpoint) {
    const uint64_t max_seq = options.project ? projected_seq : UINT64_MAX;
    if (Status s = LoadCheckpoint(store, max_seq, state, report); !s.ok()) return s;
  }
  Projection projection;
  std::vector<Command> commands;
  auto flush = [&]() -> Status {
    if (projection.last_seq == 0) return Status::Ok();
    Status s = store->ApplyProjection(projection);
    projection = Projection();
    return s;
  };
  journal::ReadReport read;
  Status s = journal::ReadJournal(
      store, report->end, options.truncate_torn_tail,
      [&](const journal::BatchHeader& header, std::string_view payload) -> Status {
        if (!DecodeCommands(payload, header.command_count, &commands)) {
          return Status::Corruption("journal record " + std::to_string(header.seq) +
                                    " holds malformed commands");
        }
        const bool project = options.project && header.seq > projected_seq;
        state->BeginBatch(header.batch_time_ns, project ? &projection : nullptr);
        for (const Command& command : commands) state->Apply(command);
        state->EndBatch();
        report->commands_replayed += commands.size();
        if (project) projection.last_seq = header.seq;
        if (projection.transfers.size() >= kProjectionChunkTransfers) return flush();
        return Status::Ok();
      },
      &read);
  if (s.ok()) s = flush();
  report->records_replayed = read.records_read;
  report->dropped_torn_tail = read.dropped_torn_tail;
  report->end = read.end;
  report->duration_ns = MonotonicNowNs() - start_ns;
  return s;
}

}  // namespace qb::engine
