// Rebuilds engine state from the store: the newest checkpoint that checks out, then the
// journal after it. Also used by `qianbao verify` to replay from genesis.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "engine/state_machine.h"
#include "journal/reader.h"
#include "store/store.h"

namespace qb::engine {

struct RecoveryOptions {
  bool use_checkpoint = true;  // false: replay the whole journal from genesis.
  bool truncate_torn_tail = true;
  bool project = true;  // Feed the read models with batches they have not seen.
};

struct RecoveryReport {
  uint64_t checkpoint_seq = 0;  // 0: started from genesis.
  uint64_t records_replayed = 0;
  uint64_t commands_replayed = 0;
  bool dropped_torn_tail = false;
  uint64_t checkpoints_rejected = 0;
  journal::ChainPosition end;
  int64_t duration_ns = 0;
};

// `state` must be freshly constructed.
Status Recover(Store* store, const RecoveryOptions& options, StateMachine* state,
               RecoveryReport* report);

}  // namespace qb::engine
