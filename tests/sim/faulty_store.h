// A Store that forwards to a real one and, seeded, injects the I/O failures the engine must
// survive:
//   - append failed before writing: nothing stored, failure reported;
//   - append ambiguous: everything stored, failure reported (the fsync "failed" after the data
//     reached the disk, or the connection dropped after the commit);
//   - append torn: the last record stored cut short, failure reported (a crash mid-write);
//   - checkpoint and projection writes failed before writing.
// Faults are decided one call ahead, so a driver can ask what the next append will do (to save
// the state it expects to recover) without changing the sequence of decisions.
//
// Not thread-safe beyond what the wrapped store guarantees: the fault decisions themselves are
// made under a mutex, so the threaded engine may use it too.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include "sim_rng.h"
#include "store/store.h"
#include "support/forwarding_store.h"

namespace qb::sim {

enum class AppendFault : uint8_t { kNone, kFailBeforeWrite, kAmbiguous, kTorn };

// Probabilities in parts per thousand.
struct FaultRates {
  uint32_t append_fail_before_write = 0;
  uint32_t append_ambiguous = 0;
  uint32_t append_torn = 0;
  uint32_t checkpoint_fail = 0;
  uint32_t projection_fail = 0;
};

struct FaultCounts {
  uint64_t append_fail_before_write = 0;
  uint64_t append_ambiguous = 0;
  uint64_t append_torn = 0;
  uint64_t checkpoint_fail = 0;
  uint64_t projection_fail = 0;
  uint64_t total() const {
    return append_fail_before_write + append_ambiguous + append_torn + checkpoint_fail +
           projection_fail;
  }
};

class FaultyStore final : public qb::testing::ForwardingStore {
 public:
  FaultyStore(std::unique_ptr<Store> inner, uint64_t seed, const FaultRates& rates);

  AppendFault next_append_fault() const;
  FaultCounts counts() const;

  Status AppendJournal(std::span<const JournalRecord> records) override;
  Status WriteCheckpoint(uint64_t seq, std::string_view state_bytes) override;
  Status ApplyProjection(const Projection& projection) override;

 private:
  AppendFault DrawAppendFault();

  const FaultRates rates_;
  mutable std::mutex mutex_;
  Rng append_rng_;  // Separate streams: the engine's projector calls at its own pace.
  Rng checkpoint_rng_;
  Rng projection_rng_;
  AppendFault next_append_fault_;
  FaultCounts counts_;
};

}  // namespace qb::sim
