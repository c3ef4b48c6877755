#include "engine/state_machine.h"

#include "base/assert.h"

namespace qb::engine {

bool StateMachine::IsValid(const Command& command) {
  if (const auto* c = std::get_if<CreateAccounts>(&command)) {
    return !c->accounts.empty() && c->accounts.size() <= kMaxItemsPerCommand;
  }
  if (const auto* c = std::get_if<CreateTransfers>(&command)) {
    return !c->transfers.empty() && c->transfers.size() <= kMaxItemsPerCommand;
  }
  if (const auto* c = std::get_if<Query>(&command)) return static_cast<bool>(c->read);
  return true;
}

void StateMachine::BeginBatch(int64_t batch_time_ns, Projection* projection) {
  QB_ASSERT(!in_batch_);
  in_batch_ = true;
  batch_time_ns_ = batch_time_ns;
  projection_ = projection;
  expired_ids_.clear();
  ledger_.ExpirePending(batch_time_ns, kMaxExpirationsPerBatch,
                        projection_ ? &expired_ids_ : nullptr);
  for (uint64_t id : expired_ids_) {
    const ledger::Transfer* pending = ledger_.FindTransfer(id);
    Touch(pending->debit_account_id);
    Touch(pending->credit_account_id);
  }
}

void StateMachine::Touch(uint64_t account_id) {
  if (projection_ != nullptr) touched_accounts_.insert(account_id);
}

Reply StateMachine::Apply(const Command& command) {
  QB_ASSERT(in_batch_);
  Reply reply;
  if (const auto* c = std::get_if<CreateTransfers>(&command)) {
    ledger_.CreateTransfers(c->transfers, batch_time_ns_, &transfer_results_);
    for (size_t i = 0; i < transfer_results_.size(); i++) {
      reply.results.push_back(static_cast<uint8_t>(transfer_results_[i]));
      if (projection_ == nullptr || transfer_results_[i] != ledger::CreateTransferResult::kOk) {
        continue;
      }
      const ledger::Transfer& created = *ledger_.FindTransfer(c->transfers[i].id);
      projection_->transfers.push_back(created);
      Touch(created.debit_account_id);
      Touch(created.credit_account_id);
    }
  } else if (const auto* c = std::get_if<CreateAccounts>(&command)) {
    ledger_.CreateAccounts(c->accounts, batch_time_ns_, &account_results_);
    for (size_t i = 0; i < account_results_.size(); i++) {
      reply.results.push_back(static_cast<uint8_t>(account_results_[i]));
      if (account_results_[i] == ledger::CreateAccountResult::kOk) Touch(c->accounts[i].id);
    }
  } else if (const auto* c = std::get_if<CloseAccount>(&command)) {
    const bool closed = ledger_.CloseAccount(c->account_id);
    reply.results.push_back(closed ? 1 : 0);
    if (closed) Touch(c->account_id);
  } else if (const auto* c = std::get_if<Query>(&command)) {
    c->read(*this);
  }
  return reply;
}

void StateMachine::EndBatch() {
  QB_ASSERT(in_batch_);
  in_batch_ = false;
  if (projection_ != nullptr) {
    for (uint64_t id : touched_accounts_) projection_->accounts.push_back(*ledger_.FindAccount(id));
    touched_accounts_.clear();
  }
  projection_ = nullptr;
}

}  // namespace qb::engine
