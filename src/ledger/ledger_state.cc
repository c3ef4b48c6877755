// Whole-state operations of the Ledger: the state hash, the invariant check, and the
// checkpoint encoding.
//
// Checkpoint byte grammar (all integers little-endian):
//   ledger_state  := magic:u32 ("QBL1") version:u32 last_timestamp_ns:i64
//                    account_count:u64 account*  transfer_count:u64 transfer*
//                    pending_count:u64 pending*
//   account       := id:u64 user_data:u64 debits_pending:i64 debits_posted:i64
//                    credits_pending:i64 credits_posted:i64 timestamp_ns:i64
//                    ledger:u32 kind:u16 flags:u16                          (64 bytes)
//   transfer      := id:u64 debit_account_id:u64 credit_account_id:u64 amount:i64
//                    pending_id:u64 user_data:u64 timestamp_ns:i64 timeout_s:u32
//                    ledger:u32 code:u16 flags:u16                          (68 bytes)
//   pending       := pending_id:u64 status:u8 expires_at_ns:i64            (17 bytes)
// The state hash is BLAKE2b-256 over the same encodings, with every table sorted by id, so it
// does not depend on hash-map order.
#include <algorithm>

#include "base/bytes.h"
#include "base/checked.h"
#include "ledger/ledger.h"
#include "ledger/ledger_codec.h"

namespace qb::ledger {
namespace {

constexpr uint32_t kMagic = 0x314C4251;  // "QBL1"
constexpr uint32_t kVersion = 1;

template <typename Map>
std::vector<uint64_t> SortedKeys(const Map& map) {
  std::vector<uint64_t> keys;
  keys.reserve(map.size());
  for (const auto& [key, value] : map) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

Digest Ledger::StateHash() const {
  Hasher hasher;
  std::string buffer;
  ByteWriter writer(&buffer);
  writer.I64(last_timestamp_ns_);
  auto flush = [&] {
    hasher.Update(buffer);
    buffer.clear();
  };
  for (uint64_t id : SortedKeys(accounts_)) {
    EncodeAccount(accounts_.at(id), &writer);
    if (buffer.size() > 65536) flush();
  }
  flush();
  for (uint64_t id : SortedKeys(transfers_)) {
    EncodeTransfer(transfers_.at(id), &writer);
    if (buffer.size() > 65536) flush();
  }
  flush();
  for (uint64_t id : SortedKeys(pending_)) {
    const PendingEntry& entry = pending_.at(id);
    writer.U64(id);
    writer.U8(static_cast<uint8_t>(entry.status));
    writer.I64(entry.expires_at_ns);
  }
  flush();
  return hasher.Finish();
}

std::optional<std::string> Ledger::CheckInvariants() const {
  struct Totals {
    int64_t debits_pending = 0, debits_posted = 0, credits_pending = 0, credits_posted = 0;
  };
  absl::flat_hash_map<uint64_t, Totals> expected;
  expected.reserve(accounts_.size());
  auto add = [](int64_t& field, int64_t amount) {
    auto sum = CheckedAdd(field, amount);
    if (!sum) return false;
    field = *sum;
    return true;
  };
  for (const auto& [id, t] : transfers_) {
    if (!accounts_.contains(t.debit_account_id) || !accounts_.contains(t.credit_account_id)) {
      return "transfer " + std::to_string(id) + " names an unknown account";
    }
    // One map access at a time: a second insertion may move the first one's entry.
    bool ok = true;
    if (t.flags & transfer_flags::kPending) {
      if (pending_.at(id).status == PendingStatus::kPending) {
        ok = add(expected[t.debit_account_id].debits_pending, t.amount) &&
             add(expected[t.credit_account_id].credits_pending, t.amount);
      }
    } else if (!(t.flags & transfer_flags::kVoidPending)) {
      ok = add(expected[t.debit_account_id].debits_posted, t.amount) &&
           add(expected[t.credit_account_id].credits_posted, t.amount);
    }
    if (!ok) return "transfer sums overflow at transfer " + std::to_string(id);
  }
  // Each account's totals fit in an int64 (transfers that would overflow them are refused), but
  // their sum over a whole ledger need not: the per-ledger sums are 128-bit, which cannot
  // overflow for fewer than 2^64 accounts.
  struct WideTotals {
    __int128 debits_pending = 0, debits_posted = 0, credits_pending = 0, credits_posted = 0;
  };
  absl::flat_hash_map<uint32_t, WideTotals> per_ledger;
  for (const auto& [id, a] : accounts_) {
    const Totals& e = expected[id];
    if (e.debits_pending != a.debits_pending || e.debits_posted != a.debits_posted ||
        e.credits_pending != a.credits_pending || e.credits_posted != a.credits_posted) {
      return "account " + std::to_string(id) + " totals differ from the sum of its transfers";
    }
    WideTotals& l = per_ledger[a.ledger];
    l.debits_pending += a.debits_pending;
    l.debits_posted += a.debits_posted;
    l.credits_pending += a.credits_pending;
    l.credits_posted += a.credits_posted;
  }
  for (const auto& [ledger, l] : per_ledger) {
    if (l.debits_posted != l.credits_posted || l.debits_pending != l.credits_pending) {
      return "ledger " + std::to_string(ledger) + " does not sum to zero";
    }
  }
  return std::nullopt;
}

void Ledger::Serialize(std::string* out) const {
  out->reserve(out->size() + 32 + accounts_.size() * 64 + transfers_.size() * 68 +
               pending_.size() * 17);
  ByteWriter writer(out);
  writer.U32(kMagic);
  writer.U32(kVersion);
  writer.I64(last_timestamp_ns_);
  writer.U64(accounts_.size());
  for (const auto& [id, account] : accounts_) EncodeAccount(account, &writer);
  writer.U64(transfers_.size());
  for (const auto& [id, transfer] : transfers_) EncodeTransfer(transfer, &writer);
  writer.U64(pending_.size());
  for (const auto& [id, entry] : pending_) {
    writer.U64(id);
    writer.U8(static_cast<uint8_t>(entry.status));
    writer.I64(entry.expires_at_ns);
  }
}

void Ledger::Clear() {
  accounts_.clear();
  transfers_.clear();
  pending_.clear();
  expiries_.clear();
  undo_.clear();
  last_timestamp_ns_ = 0;
}

bool Ledger::Deserialize(std::string_view bytes) {
  ByteReader reader(bytes);
  if (reader.U32() != kMagic || reader.U32() != kVersion) return false;
  Clear();
  last_timestamp_ns_ = reader.I64();
  // Counts are bounded by the bytes present, so a corrupt count cannot ask for huge memory.
  const uint64_t account_count = reader.U64();
  if (account_count > reader.remaining() / 64) return false;
  accounts_.reserve(account_count);
  for (uint64_t i = 0; i < account_count; i++) {
    Account account = DecodeAccount(&reader);
    if (!accounts_.emplace(account.id, account).second) return false;
  }
  const uint64_t transfer_count = reader.U64();
  if (transfer_count > reader.remaining() / 68) return false;
  transfers_.reserve(transfer_count);
  size_t hold_count = 0;
  for (uint64_t i = 0; i < transfer_count; i++) {
    Transfer transfer = DecodeTransfer(&reader);
    if (!transfers_.emplace(transfer.id, transfer).second) return false;
    if (transfer.flags & transfer_flags::kPending) hold_count++;
  }
  const uint64_t pending_count = reader.U64();
  if (pending_count > reader.remaining() / 17) return false;
  // The pending table must describe exactly the stored holds: the ledger later looks up one
  // from the other and would otherwise fail on a missing entry.
  if (pending_count != hold_count) return false;
  for (uint64_t i = 0; i < pending_count; i++) {
    const uint64_t id = reader.U64();
    const uint8_t status = reader.U8();
    const int64_t expires_at_ns = reader.I64();
    if (status < static_cast<uint8_t>(PendingStatus::kPending) ||
        status > static_cast<uint8_t>(PendingStatus::kExpired)) {
      return false;
    }
    auto hold = transfers_.find(id);
    if (hold == transfers_.end() || !(hold->second.flags & transfer_flags::kPending)) return false;
    if (pending_.contains(id)) return false;
    SetPending(id, PendingEntry{static_cast<PendingStatus>(status), expires_at_ns});
  }
  return reader.ok() && reader.remaining() == 0;
}

}  // namespace qb::ledger
