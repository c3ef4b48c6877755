// Reads the journal back from the store and checks the hash chain, for recovery and audits.
//
// A record that fails to decode is a torn write only if it is the last record: it was never
// acknowledged (replies wait for durability), so it is dropped. A bad record with records after
// it, or a broken hash chain, is corruption and stops recovery.
#pragma once

#include <functional>

#include "base/status.h"
#include "journal/record.h"
#include "store/store.h"

namespace qb::journal {

struct ChainPosition {
  uint64_t last_seq = 0;  // 0: before the first record.
  Digest last_hash{};     // Hash of record last_seq; zeroes before the first record.
};

struct ReadReport {
  uint64_t records_read = 0;
  bool dropped_torn_tail = false;
  ChainPosition end;  // Where the chain ends after reading.
};

using RecordVisitor = std::function<Status(const BatchHeader&, std::string_view payload)>;

// Reads records after `start` in order, checking sequence and chain continuity, and calls
// `visit` for each. If `truncate_torn_tail`, a torn last record is removed from the store.
Status ReadJournal(Store* store, ChainPosition start, bool truncate_torn_tail,
                   const RecordVisitor& visit, ReadReport* report);

}  // namespace qb::journal
