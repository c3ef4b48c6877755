#include "ledger/ledger.h"

#include <algorithm>
#include <bit>
#include <limits>

#include "base/assert.h"
#include "base/checked.h"

namespace qb::ledger {
namespace {

constexpr uint64_t kIdMax = std::numeric_limits<uint64_t>::max();
constexpr int64_t kNsPerSecond = 1'000'000'000;

bool HasFlag(uint16_t flags, uint16_t flag) { return (flags & flag) != 0; }

}  // namespace

void Ledger::Reserve(size_t accounts, size_t transfers) {
  accounts_.reserve(accounts);
  transfers_.reserve(transfers);
}

int64_t Ledger::NextTimestamp(int64_t now_ns) {
  last_timestamp_ns_ = std::max(now_ns, last_timestamp_ns_ + 1);
  return last_timestamp_ns_;
}

void Ledger::CreateAccounts(std::span<const Account> accounts, int64_t now_ns,
                            std::vector<CreateAccountResult>* results) {
  results->clear();
  results->reserve(accounts.size());
  for (const Account& account : accounts) {
    results->push_back(CreateAccount(account, now_ns));
  }
}

CreateAccountResult Ledger::CreateAccount(const Account& a, int64_t now_ns) {
  using R = CreateAccountResult;
  namespace f = account_flags;
  if (a.flags & ~f::kAll) return R::kReservedFlag;
  if (a.id == 0) return R::kIdMustNotBeZero;
  if (a.id == kIdMax) return R::kIdMustNotBeIntMax;
  if (HasFlag(a.flags, f::kDebitsMustNotExceedCredits) &&
      HasFlag(a.flags, f::kCreditsMustNotExceedDebits)) {
    return R::kFlagsAreMutuallyExclusive;
  }
  if (a.debits_pending != 0 || a.debits_posted != 0 || a.credits_pending != 0 ||
      a.credits_posted != 0) {
    return R::kBalancesMustBeZero;
  }
  if (a.timestamp_ns != 0) return R::kTimestampMustBeZero;
  if (a.ledger == 0) return R::kLedgerMustNotBeZero;
  if (a.kind == 0) return R::kKindMustNotBeZero;
  if (auto it = accounts_.find(a.id); it != accounts_.end()) {
    const Account& e = it->second;
    if (e.flags != a.flags) return R::kExistsWithDifferentFlags;
    if (e.user_data != a.user_data) return R::kExistsWithDifferentUserData;
    if (e.ledger != a.ledger) return R::kExistsWithDifferentLedger;
    if (e.kind != a.kind) return R::kExistsWithDifferentKind;
    return R::kExists;
  }
  Account created = a;
  created.timestamp_ns = NextTimestamp(now_ns);
  accounts_.emplace(created.id, created);
  return R::kOk;
}

void Ledger::CreateTransfers(std::span<const Transfer> transfers, int64_t now_ns,
                             std::vector<CreateTransferResult>* results) {
  using R = CreateTransferResult;
  results->assign(transfers.size(), R::kOk);
  constexpr size_t kNoChain = std::numeric_limits<size_t>::max();
  size_t chain_start = kNoChain;
  bool chain_broken = false;
  undo_.clear();
  for (size_t i = 0; i < transfers.size(); i++) {
    const Transfer& t = transfers[i];
    const bool linked = HasFlag(t.flags, transfer_flags::kLinked);
    R result;
    if (linked && chain_start == kNoChain) chain_start = i;
    if (linked && i + 1 == transfers.size()) {
      result = R::kLinkedEventChainOpen;
    } else if (chain_broken) {
      result = R::kLinkedEventFailed;
    } else {
      result = CreateTransfer(t, NextTimestamp(now_ns));
    }
    if (result != R::kOk && chain_start != kNoChain && !chain_broken) {
      chain_broken = true;
      Rollback(0);
      for (size_t j = chain_start; j < i; j++) (*results)[j] = R::kLinkedEventFailed;
    }
    (*results)[i] = result;
    const bool chain_ends = !linked || result == R::kLinkedEventChainOpen;
    if (chain_start != kNoChain && chain_ends) {
      chain_start = kNoChain;
      chain_broken = false;
    }
    // Undo records matter only while a chain is open.
    if (chain_start == kNoChain) undo_.clear();
  }
  QB_ASSERT(chain_start == kNoChain);
}

CreateTransferResult Ledger::CreateTransfer(const Transfer& t, int64_t timestamp_ns) {
  using R = CreateTransferResult;
  namespace tf = transfer_flags;
  if (t.flags & ~tf::kAll) return R::kReservedFlag;
  if (t.timestamp_ns != 0) return R::kTimestampMustBeZero;
  if (t.id == 0) return R::kIdMustNotBeZero;
  if (t.id == kIdMax) return R::kIdMustNotBeIntMax;
  const int phases = std::popcount(
      static_cast<unsigned>(t.flags & (tf::kPending | tf::kPostPending | tf::kVoidPending)));
  if (phases > 1) return R::kFlagsAreMutuallyExclusive;
  if (HasFlag(t.flags, tf::kPostPending) || HasFlag(t.flags, tf::kVoidPending)) {
    return ResolvePending(t, timestamp_ns);
  }
  return CreateSinglePhase(t, timestamp_ns);
}

CreateTransferResult Ledger::CheckExisting(const Transfer& t, const Transfer& e) const {
  using R = CreateTransferResult;
  if (t.flags != e.flags) return R::kExistsWithDifferentFlags;
  if (t.debit_account_id != 0 && t.debit_account_id != e.debit_account_id) {
    return R::kExistsWithDifferentDebitAccountId;
  }
  if (t.credit_account_id != 0 && t.credit_account_id != e.credit_account_id) {
    return R::kExistsWithDifferentCreditAccountId;
  }
  if (t.amount != 0 && t.amount != e.amount) return R::kExistsWithDifferentAmount;
  if (t.pending_id != e.pending_id) return R::kExistsWithDifferentPendingId;
  if (t.user_data != e.user_data) return R::kExistsWithDifferentUserData;
  if (t.timeout_s != e.timeout_s) return R::kExistsWithDifferentTimeout;
  if (t.code != 0 && t.code != e.code) return R::kExistsWithDifferentCode;
  return R::kExists;
}

CreateTransferResult Ledger::CreateSinglePhase(const Transfer& t, int64_t timestamp_ns) {
  using R = CreateTransferResult;
  namespace af = account_flags;
  const bool pending = HasFlag(t.flags, transfer_flags::kPending);
  if (t.debit_account_id == 0) return R::kDebitAccountIdMustNotBeZero;
  if (t.credit_account_id == 0) return R::kCreditAccountIdMustNotBeZero;
  if (t.debit_account_id == t.credit_account_id) return R::kAccountsMustBeDifferent;
  if (t.pending_id != 0) return R::kPendingIdMustBeZero;
  if (!pending && t.timeout_s != 0) return R::kTimeoutReservedForPendingTransfer;
  if (t.amount <= 0) return R::kAmountMustBePositive;
  if (t.ledger == 0) return R::kLedgerMustNotBeZero;
  if (t.code == 0) return R::kCodeMustNotBeZero;
  auto dr_it = accounts_.find(t.debit_account_id);
  if (dr_it == accounts_.end()) return R::kDebitAccountNotFound;
  auto cr_it = accounts_.find(t.credit_account_id);
  if (cr_it == accounts_.end()) return R::kCreditAccountNotFound;
  Account& dr = dr_it->second;
  Account& cr = cr_it->second;
  if (dr.ledger != cr.ledger) return R::kAccountsMustHaveTheSameLedger;
  if (t.ledger != dr.ledger) return R::kTransferMustHaveTheSameLedgerAsAccounts;
  if (auto it = transfers_.find(t.id); it != transfers_.end()) {
    return CheckExisting(t, it->second);
  }
  if (HasFlag(dr.flags, af::kClosed)) return R::kDebitAccountClosed;
  if (HasFlag(cr.flags, af::kClosed)) return R::kCreditAccountClosed;

  // Every new field value is computed before anything is written.
  auto dr_pending = CheckedAdd(dr.debits_pending, pending ? t.amount : 0);
  if (!dr_pending) return R::kOverflowsDebitsPending;
  auto cr_pending = CheckedAdd(cr.credits_pending, pending ? t.amount : 0);
  if (!cr_pending) return R::kOverflowsCreditsPending;
  auto dr_posted = CheckedAdd(dr.debits_posted, pending ? 0 : t.amount);
  if (!dr_posted) return R::kOverflowsDebitsPosted;
  auto cr_posted = CheckedAdd(cr.credits_posted, pending ? 0 : t.amount);
  if (!cr_posted) return R::kOverflowsCreditsPosted;
  auto dr_total = CheckedAdd(*dr_pending, *dr_posted);
  if (!dr_total) return R::kOverflowsDebits;
  auto cr_total = CheckedAdd(*cr_pending, *cr_posted);
  if (!cr_total) return R::kOverflowsCredits;
  int64_t expires_at_ns = 0;
  if (pending && t.timeout_s != 0) {
    auto timeout_ns = CheckedMul(int64_t{t.timeout_s}, kNsPerSecond);
    auto expires = timeout_ns ? CheckedAdd(timestamp_ns, *timeout_ns) : std::nullopt;
    if (!expires) return R::kOverflowsTimeout;
    expires_at_ns = *expires;
  }
  if (HasFlag(dr.flags, af::kDebitsMustNotExceedCredits) && *dr_total > dr.credits_posted) {
    return R::kExceedsCredits;
  }
  if (HasFlag(cr.flags, af::kCreditsMustNotExceedDebits) && *cr_total > cr.debits_posted) {
    return R::kExceedsDebits;
  }

  undo_.push_back(Undo{t.id, dr, cr, pending ? t.id : 0, std::nullopt});
  dr.debits_pending = *dr_pending;
  dr.debits_posted = *dr_posted;
  cr.credits_pending = *cr_pending;
  cr.credits_posted = *cr_posted;
  Transfer stored = t;
  stored.timestamp_ns = timestamp_ns;
  transfers_.emplace(t.id, stored);
  if (pending) SetPending(t.id, PendingEntry{PendingStatus::kPending, expires_at_ns});
  return R::kOk;
}

CreateTransferResult Ledger::ResolvePending(const Transfer& t, int64_t timestamp_ns) {
  using R = CreateTransferResult;
  const bool post = HasFlag(t.flags, transfer_flags::kPostPending);
  if (t.pending_id == 0) return R::kPendingIdMustNotBeZero;
  if (t.pending_id == t.id) return R::kPendingIdMustBeDifferent;
  if (t.timeout_s != 0) return R::kTimeoutReservedForPendingTransfer;
  if (t.amount < 0) return R::kAmountMustBePositive;
  auto p_it = transfers_.find(t.pending_id);
  if (p_it == transfers_.end()) return R::kPendingTransferNotFound;
  const Transfer& p = p_it->second;
  if (!HasFlag(p.flags, transfer_flags::kPending)) return R::kPendingTransferNotPending;
  if (t.debit_account_id != 0 && t.debit_account_id != p.debit_account_id) {
    return R::kPendingTransferHasDifferentDebitAccountId;
  }
  if (t.credit_account_id != 0 && t.credit_account_id != p.credit_account_id) {
    return R::kPendingTransferHasDifferentCreditAccountId;
  }
  if (t.ledger != 0 && t.ledger != p.ledger) return R::kPendingTransferHasDifferentLedger;
  if (t.code != 0 && t.code != p.code) return R::kPendingTransferHasDifferentCode;
  if (t.amount > p.amount) return R::kExceedsPendingTransferAmount;
  if (!post && t.amount != 0 && t.amount != p.amount) {
    return R::kPendingTransferHasDifferentAmount;
  }
  // A post of amount 0 posts the whole hold; a void always releases the whole hold.
  const int64_t amount = (t.amount == 0) ? p.amount : t.amount;
  if (auto it = transfers_.find(t.id); it != transfers_.end()) {
    Transfer resolved = t;
    resolved.amount = amount;
    return CheckExisting(resolved, it->second);
  }
  const PendingEntry entry = pending_.at(t.pending_id);
  if (entry.status == PendingStatus::kPosted) return R::kPendingTransferAlreadyPosted;
  if (entry.status == PendingStatus::kVoided) return R::kPendingTransferAlreadyVoided;
  if (entry.status == PendingStatus::kExpired) return R::kPendingTransferExpired;
  QB_ASSERT(entry.status == PendingStatus::kPending);
  // A hold is over at its deadline even if ExpirePending, which works through a bounded number
  // per call, has not reached it yet.
  if (entry.expires_at_ns != 0 && timestamp_ns >= entry.expires_at_ns) {
    return R::kPendingTransferExpired;
  }

  Account& dr = accounts_.at(p.debit_account_id);
  Account& cr = accounts_.at(p.credit_account_id);
  std::optional<int64_t> dr_posted = dr.debits_posted;
  std::optional<int64_t> cr_posted = cr.credits_posted;
  if (post) {
    dr_posted = CheckedAdd(dr.debits_posted, amount);
    if (!dr_posted) return R::kOverflowsDebitsPosted;
    cr_posted = CheckedAdd(cr.credits_posted, amount);
    if (!cr_posted) return R::kOverflowsCreditsPosted;
  }

  undo_.push_back(Undo{t.id, dr, cr, t.pending_id, entry});
  dr.debits_pending -= p.amount;
  cr.credits_pending -= p.amount;
  dr.debits_posted = *dr_posted;
  cr.credits_posted = *cr_posted;
  QB_ASSERT(dr.debits_pending >= 0 && cr.credits_pending >= 0);
  Transfer stored = t;
  stored.debit_account_id = p.debit_account_id;
  stored.credit_account_id = p.credit_account_id;
  stored.ledger = p.ledger;
  stored.code = p.code;
  stored.amount = amount;
  stored.timestamp_ns = timestamp_ns;
  const uint64_t pending_id = t.pending_id;
  transfers_.emplace(t.id, stored);
  SetPending(pending_id, PendingEntry{post ? PendingStatus::kPosted : PendingStatus::kVoided, 0});
  return R::kOk;
}

void Ledger::SetPending(uint64_t pending_id, std::optional<PendingEntry> entry) {
  if (auto it = pending_.find(pending_id); it != pending_.end()) {
    if (it->second.status == PendingStatus::kPending && it->second.expires_at_ns != 0) {
      expiries_.erase({it->second.expires_at_ns, pending_id});
    }
    if (!entry) pending_.erase(it);
  }
  if (!entry) return;
  pending_[pending_id] = *entry;
  if (entry->status == PendingStatus::kPending && entry->expires_at_ns != 0) {
    expiries_.insert({entry->expires_at_ns, pending_id});
  }
}

void Ledger::Rollback(size_t undo_mark) {
  while (undo_.size() > undo_mark) {
    const Undo& undo = undo_.back();
    accounts_[undo.debit_before.id] = undo.debit_before;
    accounts_[undo.credit_before.id] = undo.credit_before;
    transfers_.erase(undo.transfer_id);
    if (undo.pending_id != 0) SetPending(undo.pending_id, undo.pending_before);
    undo_.pop_back();
  }
}

size_t Ledger::ExpirePending(int64_t now_ns, size_t limit, std::vector<uint64_t>* expired_ids) {
  size_t expired = 0;
  while (expired < limit && !expiries_.empty() && expiries_.begin()->first <= now_ns) {
    const uint64_t pending_id = expiries_.begin()->second;
    const Transfer& p = transfers_.at(pending_id);
    Account& dr = accounts_.at(p.debit_account_id);
    Account& cr = accounts_.at(p.credit_account_id);
    dr.debits_pending -= p.amount;
    cr.credits_pending -= p.amount;
    QB_ASSERT(dr.debits_pending >= 0 && cr.credits_pending >= 0);
    SetPending(pending_id, PendingEntry{PendingStatus::kExpired, 0});
    if (expired_ids != nullptr) expired_ids->push_back(pending_id);
    expired++;
  }
  return expired;
}

bool Ledger::CloseAccount(uint64_t account_id) {
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) return false;
  Account& account = it->second;
  if (account.debits_pending != 0 || account.credits_pending != 0) return false;
  account.flags |= account_flags::kClosed;
  return true;
}

const Account* Ledger::FindAccount(uint64_t id) const {
  auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : &it->second;
}

const Transfer* Ledger::FindTransfer(uint64_t id) const {
  auto it = transfers_.find(id);
  return it == transfers_.end() ? nullptr : &it->second;
}

std::optional<PendingStatus> Ledger::FindPendingStatus(uint64_t pending_id) const {
  auto it = pending_.find(pending_id);
  if (it == pending_.end()) return std::nullopt;
  return it->second.status;
}

}  // namespace qb::ledger
