// `qianbao audit verify`: proves the audit log's rows are the chain the engine built. It rebuilds
// the engine state at the journal position the read models were projected to (the newest
// checkpoint at or before it, then the journal), reads every audit row in seq order and checks
// them with audit::VerifyAuditChain against the head that state holds: an edited, inserted,
// removed or reordered row breaks the chain there, and rows cut off the end (or a forged suffix)
// miss the head. It never writes to the store.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "audit/audit_chain.h"
#include "base/status.h"
#include "store/store.h"

namespace qb::cli {

// Rows are read and checked this many at a time.
inline constexpr size_t kAuditVerifyPageRows = 10'000;

struct AuditLogCheck {
  audit::AuditVerifyResult result;
  uint64_t rows = 0;  // Rows read before the first problem (all of them when ok).
};

// Checks the store's audit rows against the chain ending at `head` (the engine's, at the
// position the read models were projected to). Fails only if the store cannot be read.
Status CheckAuditLog(Store* store, const audit::AuditChain& head, AuditLogCheck* check);

// Returns 0 when the audit log checks out, 1 when it does not, 2 if the store cannot be read.
int RunAuditVerify(const std::string& data_dir, std::ostream& out);

}  // namespace qb::cli
