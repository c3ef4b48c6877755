// Checkpoints: the whole engine state at a journal position, so recovery replays only the
// journal after it.
//
// Byte grammar (integers little-endian):
//   checkpoint := magic:u32 ("QBC1") seq:u64 last_record_hash:u8[32] state_hash:u8[32]
//                 state_bytes:u64 state{state_bytes}
// `state` is StateMachine::Serialize. On load, the state hash is recomputed and must match:
// a checkpoint that does not reproduce its own hash is not used.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/state_machine.h"
#include "journal/reader.h"

namespace qb::engine {

void EncodeCheckpoint(const StateMachine& state, const journal::ChainPosition& position,
                      std::string* out);

// Restores `state` and `position`; Corruption if the bytes or the hash do not check out.
Status DecodeCheckpoint(std::string_view bytes, StateMachine* state,
                        journal::ChainPosition* position, Digest* state_hash);

}  // namespace qb::engine
