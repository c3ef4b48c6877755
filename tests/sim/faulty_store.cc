#include "faulty_store.h"

#include <string>
#include <vector>

namespace qb::sim {

FaultyStore::FaultyStore(std::unique_ptr<Store> inner, uint64_t seed, const FaultRates& rates)
    : ForwardingStore(std::move(inner)),
      rates_(rates),
      append_rng_(seed ^ 0xA99E4D),
      checkpoint_rng_(seed ^ 0xC4EC4),
      projection_rng_(seed ^ 0x940EC7) {
  next_append_fault_ = DrawAppendFault();
}

AppendFault FaultyStore::DrawAppendFault() {
  uint64_t roll = append_rng_.Below(1000);
  if (roll < rates_.append_fail_before_write) return AppendFault::kFailBeforeWrite;
  roll -= rates_.append_fail_before_write;
  if (roll < rates_.append_ambiguous) return AppendFault::kAmbiguous;
  roll -= rates_.append_ambiguous;
  if (roll < rates_.append_torn) return AppendFault::kTorn;
  return AppendFault::kNone;
}

AppendFault FaultyStore::next_append_fault() const {
  std::lock_guard lock(mutex_);
  return next_append_fault_;
}

FaultCounts FaultyStore::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

Status FaultyStore::AppendJournal(std::span<const JournalRecord> records) {
  AppendFault fault;
  uint64_t cut = 0;
  {
    std::lock_guard lock(mutex_);
    fault = next_append_fault_;
    next_append_fault_ = DrawAppendFault();
    if (fault == AppendFault::kTorn) cut = append_rng_.Next();
    switch (fault) {
      case AppendFault::kNone:
        break;
      case AppendFault::kFailBeforeWrite:
        counts_.append_fail_before_write++;
        break;
      case AppendFault::kAmbiguous:
        counts_.append_ambiguous++;
        break;
      case AppendFault::kTorn:
        counts_.append_torn++;
        break;
    }
  }
  switch (fault) {
    case AppendFault::kNone:
      return inner()->AppendJournal(records);
    case AppendFault::kFailBeforeWrite:
      return Status::IoError("injected: append failed before writing");
    case AppendFault::kAmbiguous: {
      Status s = inner()->AppendJournal(records);
      return s.ok() ? Status::IoError("injected: append reported failure after writing") : s;
    }
    case AppendFault::kTorn: {
      // Everything but the last record lands whole; the last is cut anywhere short of its end.
      std::vector<JournalRecord> torn(records.begin(), records.end());
      std::string& last = torn.back().bytes;
      last.resize(cut % last.size());
      Status s = inner()->AppendJournal(torn);
      return s.ok() ? Status::IoError("injected: torn append") : s;
    }
  }
  return Status::IoError("unreachable");
}

Status FaultyStore::WriteCheckpoint(uint64_t seq, std::string_view state_bytes) {
  {
    std::lock_guard lock(mutex_);
    if (checkpoint_rng_.Below(1000) < rates_.checkpoint_fail) {
      counts_.checkpoint_fail++;
      return Status::IoError("injected: checkpoint write failed");
    }
  }
  return inner()->WriteCheckpoint(seq, state_bytes);
}

Status FaultyStore::ApplyProjection(const Projection& projection) {
  {
    std::lock_guard lock(mutex_);
    if (projection_rng_.Below(1000) < rates_.projection_fail) {
      counts_.projection_fail++;
      return Status::IoError("injected: projection failed");
    }
  }
  return inner()->ApplyProjection(projection);
}

}  // namespace qb::sim
