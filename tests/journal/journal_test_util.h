// Helpers shared by the journal tests: a temporary data directory and a builder that makes a
// valid hash-chained run of records, so each test corrupts only what it is about.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/command.h"
#include "engine/command_codec.h"
#include "journal/record.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace qb::journal::testing {

using qb::testing::TempDir;

inline constexpr int64_t kBaseTimeNs = 1'700'000'000'000'000'000;

// A payload of `count` CloseAccount commands: small, valid, and different for every seq.
inline std::string PayloadFor(uint64_t seq, uint32_t count = 1) {
  std::string payload;
  for (uint32_t i = 0; i < count; i++) {
    engine::EncodeCommand(engine::CloseAccount{seq * 100 + i}, &payload);
  }
  return payload;
}

// Builds records 1..n in order, each linked to the one before, as the journal writer does.
class ChainBuilder {
 public:
  // Encodes the next record; `prev_hash_override` replaces the correct link when given.
  JournalRecord Next(const Digest* prev_hash_override = nullptr) {
    BatchHeader header;
    header.seq = records_.size() + 1;
    header.batch_time_ns = kBaseTimeNs + static_cast<int64_t>(header.seq);
    header.command_count = 1;
    header.prev_hash = prev_hash_override ? *prev_hash_override : last_hash_;
    JournalRecord record;
    record.seq = header.seq;
    EncodeRecord(header, PayloadFor(header.seq), &record.bytes);
    last_hash_ = RecordHash(record.bytes);
    records_.push_back(record);
    return record;
  }
  std::vector<JournalRecord> Build(size_t n) {
    for (size_t i = 0; i < n; i++) Next();
    return records_;
  }
  const std::vector<JournalRecord>& records() const { return records_; }

 private:
  std::vector<JournalRecord> records_;
  Digest last_hash_{};
};

inline void FlipBit(std::string* bytes, size_t byte_index, int bit = 0) {
  (*bytes)[byte_index] = static_cast<char>((*bytes)[byte_index] ^ (1 << bit));
}

}  // namespace qb::journal::testing
