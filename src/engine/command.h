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

#include "identity/customer_book.h"
#include "identity/staff_book.h"
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

// Identity commands. Secrets arrive hashed: the API generates codes and tokens, hashes them and
// sends only the hashes, so neither the journal nor a checkpoint ever holds a usable secret.
struct IssueOtp {
  std::string phone;
  identity::OtpPurpose purpose = identity::OtpPurpose::kRegister;
  std::string code_hash;
};

// Creates the customer and their wallet account (ids allocated by the engine; the new
// customer id comes back in Reply::value).
struct RegisterCustomer {
  identity::Registration registration;
};

struct RecordLogin {
  uint64_t customer_id = 0;
  bool password_ok = false;
};

struct CreateSession {
  std::string token_hash;
  uint64_t customer_id = 0;
};

struct RevokeSession {
  std::string token_hash;
};

// Money from one customer's wallet to another's, found by phone, within both wallets' tier
// limits. `transfer_id` is the idempotency key, as for any transfer. The memo is journaled and
// projected into the history; the engine does not keep it.
struct P2PTransfer {
  uint64_t transfer_id = 0;
  uint64_t from_customer_id = 0;
  std::string to_phone;
  int64_t amount_fen = 0;
  std::string memo;
};

// Real-name verification passed (the API asked the IdentityVerifier): raises tier IV to III.
// The resident ID arrives sealed (CardVault blob) with a keyed lookup hash, so one identity
// can hold only one wallet, and masked for display.
struct VerifyIdentity {
  uint64_t customer_id = 0;
  identity::VerifiedIdentity identity;
};

// Binds a card (sealed PAN, keyed hash, display fields) to a verified customer; the new card id
// comes back in Reply::value. The first card raises tier III to II.
struct BindCard {
  uint64_t customer_id = 0;
  identity::BoundCard card;  // `id` and `bound_ns` are set by the engine.
};

// Unbinds one of the customer's cards. Losing the last card drops tier II back to III.
struct UnbindCard {
  uint64_t customer_id = 0;
  uint64_t card_id = 0;
};

// Staff grant a tier after in-person verification (tier I). Needs a verified identity.
struct GrantTier {
  uint64_t customer_id = 0;
  identity::WalletTier tier = identity::WalletTier::kI;
  uint64_t staff_id = 0;
};

// First phase of a card top-up (bank clearing → wallet) or withdrawal (wallet → bank
// clearing): a pending transfer with no timeout, settled by SettleHold once the bank answers.
// A top-up checks the balance cap counting pending money in; a withdrawal needs the funds.
enum class HoldKind : uint8_t { kTopUp = 1, kWithdrawal = 2 };
struct HoldFunds {
  HoldKind kind = HoldKind::kTopUp;
  uint64_t transfer_id = 0;
  uint64_t customer_id = 0;
  uint64_t card_id = 0;
  int64_t amount_fen = 0;
};

// Posts (the bank did it) or voids (the bank refused) a hold made by HoldFunds.
// `transfer_id` is the id of the posting/voiding transfer.
struct SettleHold {
  uint64_t transfer_id = 0;
  uint64_t hold_id = 0;
  bool post = false;
};

// Staff. Passwords arrive hashed, as for customers; the new staff id comes back in
// Reply::value.
struct CreateStaff {
  identity::StaffRegistration staff;
};

struct RecordStaffLogin {
  uint64_t staff_id = 0;
  bool password_ok = false;
};

struct CreateStaffSession {
  std::string token_hash;
  uint64_t staff_id = 0;
};

using Command =
    std::variant<CreateAccounts, CreateTransfers, CloseAccount, Query, IssueOtp, RegisterCustomer,
                 RecordLogin, CreateSession, RevokeSession, P2PTransfer, VerifyIdentity, BindCard,
                 UnbindCard, GrantTier, HoldFunds, SettleHold, CreateStaff, RecordStaffLogin,
                 CreateStaffSession>;

// Stable numbers, written into the journal. Append, never renumber.
enum class CommandType : uint16_t {
  kCreateAccounts = 1,
  kCreateTransfers = 2,
  kCloseAccount = 3,
  kQuery = 4,
  kIssueOtp = 5,
  kRegisterCustomer = 6,
  kRecordLogin = 7,
  kCreateSession = 8,
  kRevokeSession = 9,
  kP2PTransfer = 10,
  kVerifyIdentity = 11,
  kBindCard = 12,
  kUnbindCard = 13,
  kGrantTier = 14,
  kHoldFunds = 15,
  kSettleHold = 16,
  kCreateStaff = 17,
  kRecordStaffLogin = 18,
  kCreateStaffSession = 19,
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
  // CreateAccountResult / CreateTransferResult values, one per item; one bool for Close; one
  // IdentityResult for identity, card and staff commands; one MoneyResult for P2PTransfer,
  // HoldFunds and SettleHold.
  absl::InlinedVector<uint8_t, 2> results;
  // RegisterCustomer: the new customer's id; BindCard: the card id; CreateStaff: the staff id;
  // P2PTransfer (ok): the transfer's ledger timestamp.
  uint64_t value = 0;
  // P2PTransfer (ok): the payee's masked real name, "" when unverified. Lets the API answer a
  // transfer without a second trip through the engine.
  std::string text;
  uint64_t journal_seq = 0;  // The batch that holds the command.
  int64_t batch_time_ns = 0;
};

// The outcome of a money command (P2PTransfer, HoldFunds, SettleHold), ordered by precedence.
// Stable values: append, never renumber.
enum class MoneyResult : uint8_t {
  kOk = 0,
  kInvalid = 1,  // Zero or negative amount, or zero id.
  kSenderNotFound = 2,
  kReceiverNotFound = 3,
  kSameCustomer = 4,
  kExceedsPerPayment = 5,
  kExceedsDaily = 6,
  kExceedsYearly = 7,
  kReceiverBalanceCap = 8,
  kInsufficientFunds = 9,
  kDuplicate = 10,     // The transfer id was used before; nothing moved this time.
  kCardNotFound = 11,  // Not one of the customer's bound cards.
  kHoldNotFound = 12,  // SettleHold: no such hold (or not one made by HoldFunds).
  kHoldSettled = 13,   // SettleHold: the hold was already posted or voided.
};

std::string_view MoneyResultName(MoneyResult result);

// Customer wallets get ledger account ids from this base up, one per customer id, so they can
// never collide with the system and merchant accounts below it.
inline constexpr uint64_t kCustomerWalletAccountBase = uint64_t{1} << 48;
// The bank clearing account: money on its way from or to real bank cards. It may go negative
// (the banks owe the wallet), so it has no balance flag.
inline constexpr uint64_t kBankClearingAccountId = 1;
// Transfer codes (ledger/types.h), by their engine names.
inline constexpr uint16_t kTransferCodeP2P = ledger::transfer_codes::kP2P;
inline constexpr uint16_t kTransferCodeTopUp = ledger::transfer_codes::kTopUp;
inline constexpr uint16_t kTransferCodeWithdrawal = ledger::transfer_codes::kWithdrawal;
inline constexpr size_t kMaxIdentityFieldBytes = 512;

// Limits on one command, so a single request cannot stall the engine.
inline constexpr size_t kMaxItemsPerCommand = 8190;

}  // namespace qb::engine
