// `qianbao verify`: proves a data directory is sound. It replays the journal from genesis into
// a fresh engine and checks that
//   - the hash chain and every record are intact;
//   - the state at the newest checkpoint's position has the checkpoint's state hash, and
//     checkpoint + later journal reach the same final hash as genesis replay;
//   - every ledger sums to zero and every balance equals the sum of its transfers;
//   - the read models equal the engine state at the position they were projected to, and the
//     audit log's rows form the hash chain that ends at that state's audit head.
// It never writes to the store.
#pragma once

#include <ostream>
#include <string>

namespace qb::cli {

// Returns 0 when everything checks out, 1 on any mismatch, 2 if the store cannot be read.
int RunVerify(const std::string& data_dir, std::ostream& out);

}  // namespace qb::cli
