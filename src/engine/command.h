// Commands: the only way to change engine state. Each is executed by the single writer in
// journal order; the same commands at the same batch times always give the same state.
#pragma once

#include <absl/container/inlined_vector.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/types.h"

namespace qb::engine {

class StateMachine;

struct CreateAccounts {
  std::vector<ledger::Account> accounts;
};

struct CreateTransfers {
  // Two inline: a payment with one reward fits without a heap allocation.
  absl::InlinedVector<ledger::Transfer, 2> transfers;
};

struct CloseAccount {
  uint64_t account_id = 0;
};

// A read that runs on the engine thread at its place in the command order and is answered
// only once everything before it is durable. Not journaled: it changes nothing.
struct Query {
  std::function<void(const StateMachine&)> read;
};

using Command = std::variant<CreateAccounts, CreateTransfers, CloseAccount, Query>;

// Stable numbers, written into the journal. Append, never renumber.
enum class CommandType : uint16_t {
  kCreateAccounts = 1,
  kCreateTransfers = 2,
  kCloseAccount = 3,
  kQuery = 4,
};

CommandType TypeOf(const Command& command);
std::string_view CommandTypeName(CommandType type);
inline bool IsJournaled(const Command& command) { return !std::holds_alternative<Query>(command); }

// The engine's answer to one command.
enum class ReplyStatus : uint8_t {
  kOk = 0,          // Executed; `results` holds one ledger result code per item.
  kOverloaded,      // The queue was full; nothing happened. Retry later.
  kStoreFailed,     // The journal could not be made durable; the outcome is unknown until
                    // recovery, which keeps or drops the command as a whole.
  kShuttingDown,    // The engine is stopping; nothing happened.
  kInvalidCommand,  // Rejected before execution (e.g. too many items).
};

std::string_view ReplyStatusName(ReplyStatus status);

struct Reply {
  ReplyStatus status = ReplyStatus::kOk;
  // CreateAccountResult / CreateTransferResult values, one per item, or one bool for Close.
  absl::InlinedVector<uint8_t, 2> results;
  uint64_t journal_seq = 0;  // The batch that holds the command.
  int64_t batch_time_ns = 0;
};

// Limits on one command, so a single request cannot stall the engine.
inline constexpr size_t kMaxItemsPerCommand = 8190;

}  // namespace qb::engine
