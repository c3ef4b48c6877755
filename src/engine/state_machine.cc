#include "engine/state_machine.h"

#include "base/assert.h"
#include "base/bytes.h"
#include "base/checked.h"

namespace qb::engine {

bool StateMachine::IsValid(const Command& command) {
  if (const auto* c = std::get_if<CreateAccounts>(&command)) {
    return !c->accounts.empty() && c->accounts.size() <= kMaxItemsPerCommand;
  }
  if (const auto* c = std::get_if<CreateTransfers>(&command)) {
    return !c->transfers.empty() && c->transfers.size() <= kMaxItemsPerCommand;
  }
  if (const auto* c = std::get_if<Query>(&command)) return static_cast<bool>(c->read);
  // Identity fields are bounded so one command cannot bloat the journal or the state.
  auto short_enough = [](const std::string& field) {
    return field.size() <= kMaxIdentityFieldBytes;
  };
  if (const auto* c = std::get_if<IssueOtp>(&command)) {
    return short_enough(c->phone) && short_enough(c->code_hash);
  }
  if (const auto* c = std::get_if<RegisterCustomer>(&command)) {
    const identity::Registration& r = c->registration;
    return short_enough(r.phone) && short_enough(r.otp_hash) && short_enough(r.password_hash) &&
           short_enough(r.channel) && short_enough(r.invite_code);
  }
  if (const auto* c = std::get_if<CreateSession>(&command)) return short_enough(c->token_hash);
  if (const auto* c = std::get_if<RevokeSession>(&command)) return short_enough(c->token_hash);
  if (const auto* c = std::get_if<P2PTransfer>(&command)) return short_enough(c->to_phone);
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
  } else {
    return ApplyIdentity(command);
  }
  return reply;
}

Reply StateMachine::ApplyIdentity(const Command& command) {
  using identity::IdentityResult;
  Reply reply;
  auto result = [&reply](auto code) { reply.results.push_back(static_cast<uint8_t>(code)); };
  if (const auto* c = std::get_if<IssueOtp>(&command)) {
    result(customers_.IssueOtp(c->phone, c->purpose, c->code_hash, batch_time_ns_));
  } else if (const auto* c = std::get_if<RegisterCustomer>(&command)) {
    result(Register(*c, &reply.value));
  } else if (const auto* c = std::get_if<RecordLogin>(&command)) {
    result(customers_.RecordLogin(c->customer_id, c->password_ok, batch_time_ns_));
  } else if (const auto* c = std::get_if<CreateSession>(&command)) {
    result(customers_.CreateSession(c->token_hash, c->customer_id, batch_time_ns_));
  } else if (const auto* c = std::get_if<RevokeSession>(&command)) {
    result(customers_.RevokeSession(c->token_hash));
  } else if (const auto* c = std::get_if<P2PTransfer>(&command)) {
    result(ApplyP2P(*c));
  } else {
    QB_ASSERT(false && "unhandled command type");
  }
  return reply;
}

identity::IdentityResult StateMachine::Register(const RegisterCustomer& command,
                                                uint64_t* customer_id) {
  // Customers are never deleted, so the next id is the count plus one on every replay.
  const uint64_t id = customers_.customer_count() + 1;
  const uint64_t wallet_id = kCustomerWalletAccountBase + id;
  if (ledger_.FindAccount(wallet_id) != nullptr) return identity::IdentityResult::kInvalid;
  const identity::IdentityResult result =
      customers_.Register(command.registration, id, wallet_id, batch_time_ns_);
  if (result != identity::IdentityResult::kOk) return result;
  ledger::Account wallet;
  wallet.id = wallet_id;
  wallet.user_data = id;
  wallet.ledger = ledger::kLedgerCny;
  wallet.kind = static_cast<uint16_t>(ledger::AccountKind::kCustomerWallet);
  wallet.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  ledger_.CreateAccounts(std::span(&wallet, 1), batch_time_ns_, &account_results_);
  // The id range is reserved for wallets and was checked free above.
  QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
  Touch(wallet_id);
  *customer_id = id;
  return result;
}

MoneyResult StateMachine::ApplyP2P(const P2PTransfer& c) {
  using identity::LimitCheck;
  if (c.transfer_id == 0 || c.amount_fen <= 0) return MoneyResult::kInvalid;
  identity::Customer* sender = customers_.MutableById(c.from_customer_id);
  if (sender == nullptr) return MoneyResult::kSenderNotFound;
  const identity::Customer* receiver = customers_.FindByPhone(c.to_phone);
  if (receiver == nullptr) return MoneyResult::kReceiverNotFound;
  if (receiver->id == sender->id) return MoneyResult::kSameCustomer;
  if (ledger_.FindTransfer(c.transfer_id) != nullptr) return MoneyResult::kDuplicate;
  switch (identity::CheckOutgoing(tier_policies_.For(sender->tier), sender->spending, c.amount_fen,
                                  batch_time_ns_)) {
    case LimitCheck::kOk:
      break;
    case LimitCheck::kExceedsPerPayment:
      return MoneyResult::kExceedsPerPayment;
    case LimitCheck::kExceedsDaily:
      return MoneyResult::kExceedsDaily;
    default:
      return MoneyResult::kExceedsYearly;
  }
  const ledger::Account* to = ledger_.FindAccount(receiver->wallet_account_id);
  const std::optional<int64_t> balance_after = CheckedAdd(to->CreditBalance(), c.amount_fen);
  if (!balance_after || identity::CheckIncoming(tier_policies_.For(receiver->tier),
                                                *balance_after) != LimitCheck::kOk) {
    return MoneyResult::kReceiverBalanceCap;
  }
  ledger::Transfer transfer;
  transfer.id = c.transfer_id;
  transfer.debit_account_id = sender->wallet_account_id;
  transfer.credit_account_id = receiver->wallet_account_id;
  transfer.amount = c.amount_fen;
  transfer.ledger = ledger::kLedgerCny;
  transfer.code = kTransferCodeP2P;
  transfer.user_data = sender->id;
  ledger_.CreateTransfers(std::span(&transfer, 1), batch_time_ns_, &transfer_results_);
  if (transfer_results_[0] == ledger::CreateTransferResult::kExceedsCredits) {
    return MoneyResult::kInsufficientFunds;
  }
  QB_ASSERT(transfer_results_[0] == ledger::CreateTransferResult::kOk);
  identity::RecordOutgoing(&sender->spending, c.amount_fen, batch_time_ns_);
  if (projection_ != nullptr)
    projection_->transfers.push_back(*ledger_.FindTransfer(c.transfer_id));
  Touch(transfer.debit_account_id);
  Touch(transfer.credit_account_id);
  return MoneyResult::kOk;
}

void StateMachine::Reset() {
  ledger_.Clear();
  customers_.Clear();
}

Digest StateMachine::StateHash() const {
  Hasher hasher;
  hasher.Update(ledger_.StateHash());
  hasher.Update(customers_.StateHash());
  return hasher.Finish();
}

void StateMachine::Serialize(std::string* out) const {
  std::string ledger_bytes;
  ledger_.Serialize(&ledger_bytes);
  ByteWriter writer(out);
  writer.U64(ledger_bytes.size());
  writer.Bytes(ledger_bytes);
  customers_.Serialize(out);
}

bool StateMachine::Deserialize(std::string_view bytes) {
  ByteReader reader(bytes);
  const uint64_t ledger_bytes = reader.U64();
  if (!reader.ok() || ledger_bytes > reader.remaining()) return false;
  if (!ledger_.Deserialize(reader.Bytes(ledger_bytes))) return false;
  return customers_.Deserialize(bytes.substr(reader.position()));
}

std::string_view MoneyResultName(MoneyResult result) {
  switch (result) {
    case MoneyResult::kOk:
      return "ok";
    case MoneyResult::kInvalid:
      return "invalid";
    case MoneyResult::kSenderNotFound:
      return "sender_not_found";
    case MoneyResult::kReceiverNotFound:
      return "receiver_not_found";
    case MoneyResult::kSameCustomer:
      return "same_customer";
    case MoneyResult::kExceedsPerPayment:
      return "exceeds_per_payment";
    case MoneyResult::kExceedsDaily:
      return "exceeds_daily";
    case MoneyResult::kExceedsYearly:
      return "exceeds_yearly";
    case MoneyResult::kReceiverBalanceCap:
      return "receiver_balance_cap";
    case MoneyResult::kInsufficientFunds:
      return "insufficient_funds";
    case MoneyResult::kDuplicate:
      return "duplicate";
  }
  return "unknown";
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
