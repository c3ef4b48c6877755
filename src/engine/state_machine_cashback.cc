// Held cashback: a cashback campaign with rule.hold_seconds pays each reward as a pending
// transfer budget → wallet, inside the payment's linked chain (ChargePayment). The customer
// sees it as pending and cannot spend it; the campaign book counts it as spent. Then:
//
// - at its release time (reward.release_at_s) the hold is posted: by the sweep the server
//   submits every minute (ReleaseCashback, command 67), or, if a refund of the payment comes
//   first, just before that refund, so that the ledger always agrees with the book, which
//   takes a hold past its release time as released;
// - a refund before the release reverses the hold's share by voiding the hold and holding what
//   is left anew (AppendReversals), under the id HeldCashbackId gives for the new reversed
//   amount; a full refund voids it all. After the release, a refund claws the share back from
//   the wallet, as for cashback paid at once.
//
// So the budget account always holds exactly budget − spent (pending debits count), and no
// extra state is kept: which holds wait is derived from the book's records and the ledger's
// pending transfers (RebuildCashbackHolds, on load). Same class and rules as state_machine.cc.
#include <string>
#include <vector>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"

namespace qb::engine {

using internal::DerivedId;
using internal::kNsPerSecond;

uint64_t StateMachine::HeldCashbackId(uint64_t payment_id, size_t index, int64_t reversed_fen) {
  // The first hold has the id every reward transfer of the chain has.
  std::string purpose = "reward-" + std::to_string(index);
  if (reversed_fen > 0) purpose += "-rest-" + std::to_string(reversed_fen);
  return DerivedId(payment_id, purpose);
}

void StateMachine::NoteCashbackHolds(uint64_t payment_id) {
  const marketing::PaymentRecord* record = campaigns_.FindPayment(payment_id);
  if (record == nullptr) return;
  for (size_t i = 0; i < record->rewards.size(); i++) {
    const marketing::Reward& reward = record->rewards[i].reward;
    if (reward.kind != marketing::RewardKind::kCashbackHeld) continue;
    cashback_holds_.emplace(reward.release_at_s, payment_id, static_cast<uint32_t>(i));
  }
}

size_t StateMachine::ReleaseDueCashback(uint64_t payment_id, size_t limit) {
  const int64_t now_s = batch_time_ns_ / kNsPerSecond;
  std::vector<std::tuple<int64_t, uint64_t, uint32_t>> due;
  if (payment_id != 0) {
    const marketing::PaymentRecord* record = campaigns_.FindPayment(payment_id);
    if (record == nullptr) return 0;
    for (size_t i = 0; i < record->rewards.size() && due.size() < limit; i++) {
      const auto key = std::make_tuple(record->rewards[i].reward.release_at_s, payment_id,
                                       static_cast<uint32_t>(i));
      if (std::get<0>(key) <= now_s && cashback_holds_.contains(key)) due.push_back(key);
    }
  } else {
    for (auto it = cashback_holds_.begin();
         it != cashback_holds_.end() && std::get<0>(*it) <= now_s && due.size() < limit; ++it) {
      due.push_back(*it);
    }
  }
  for (const auto& key : due) {
    const uint64_t payment = std::get<1>(key);
    const uint32_t index = std::get<2>(key);
    const marketing::PaymentRecord& record = *campaigns_.FindPayment(payment);
    const marketing::PaymentRecord::Applied& applied = record.rewards.at(index);
    ledger::Transfer post =
        *ledger_.FindTransfer(HeldCashbackId(payment, index, applied.reversed_fen));
    post.pending_id = post.id;
    post.id = DerivedId(payment, "release-" + std::to_string(index));
    post.amount = 0;  // The whole hold.
    post.timeout_s = 0;
    post.timestamp_ns = 0;
    post.flags = ledger::transfer_flags::kPostPending;
    ledger_.CreateTransfers(std::span(&post, 1), batch_time_ns_, &transfer_results_);
    // The hold has no timeout, and only this posts or voids it (a refund takes it out of
    // cashback_holds_ when it voids the last of it).
    QB_ASSERT(transfer_results_[0] == ledger::CreateTransferResult::kOk);
    ProjectCreated(std::span(&post, 1));
    cashback_holds_.erase(key);
  }
  return due.size();
}

Reply StateMachine::ApplyReleaseCashback() {
  Reply reply;
  reply.value = ReleaseDueCashback(0, kMaxCashbackReleasesPerCommand);
  reply.results.push_back(0);
  return reply;
}

void StateMachine::RebuildCashbackHolds() {
  cashback_holds_.clear();
  campaigns_.ForEachPayment([&](uint64_t payment_id, const marketing::PaymentRecord& record) {
    for (size_t i = 0; i < record.rewards.size(); i++) {
      const marketing::PaymentRecord::Applied& applied = record.rewards[i];
      if (applied.reward.kind != marketing::RewardKind::kCashbackHeld ||
          applied.reversed_fen == applied.reward.amount_fen) {
        continue;
      }
      const std::optional<ledger::PendingStatus> status =
          ledger_.FindPendingStatus(HeldCashbackId(payment_id, i, applied.reversed_fen));
      if (status == ledger::PendingStatus::kPending) {
        cashback_holds_.emplace(applied.reward.release_at_s, payment_id, static_cast<uint32_t>(i));
      }
    }
  });
}

}  // namespace qb::engine
