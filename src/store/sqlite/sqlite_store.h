// The embedded SQLite backend: two database files in the data directory, journal.db (journal
// and checkpoints; WAL, synchronous=FULL, so a commit is on disk when it returns) and
// readmodel.db (projections; rebuildable from the journal, so synchronous=NORMAL). Keeping them
// apart means the projector never holds the lock the journal writer needs.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace qb {

// Opens (creating if needed) the store in `data_dir` and applies pending migrations.
Status OpenSqliteStore(const std::string& data_dir, std::unique_ptr<Store>* store);

}  // namespace qb
