#include "bank/simulated_bank.h"

#include <thread>
#include <utility>

#include "base/assert.h"
#include "base/checked.h"
#include "base/digest.h"

namespace qb::bank {

SimulatedBank::SimulatedBank(SimulatedBankOptions options) : options_(options), rng_(options.seed) {
  QB_ASSERT(options_.failure_rate_ppm <= 1'000'000);
  QB_ASSERT(options_.max_amount_fen > 0);
  QB_ASSERT(options_.latency.count() >= 0);
  QB_ASSERT(options_.opening_balance_fen >= 0 &&
            options_.opening_balance_fen <= kMaxCardBalanceFen);
}

void SimulatedBank::AddCard(const std::string& card_token, int64_t balance_fen) {
  QB_ASSERT(balance_fen >= 0 && balance_fen <= kMaxCardBalanceFen);
  std::lock_guard lock(mutex_);
  bool inserted = cards_.emplace(card_token, SimulatedCard{balance_fen, 0, false}).second;
  QB_ASSERT(inserted);
}

bool SimulatedBank::SetBlocked(const std::string& card_token, bool blocked) {
  std::lock_guard lock(mutex_);
  auto it = cards_.find(card_token);
  if (it == cards_.end()) return false;
  it->second.blocked = blocked;
  return true;
}

std::optional<SimulatedCard> SimulatedBank::Card(const std::string& card_token) const {
  std::lock_guard lock(mutex_);
  auto it = cards_.find(card_token);
  if (it == cards_.end()) return std::nullopt;
  return it->second;
}

int64_t SimulatedBank::settlement_fen() const {
  std::lock_guard lock(mutex_);
  return settlement_fen_;
}

int64_t SimulatedBank::TotalMoneyFen() const {
  std::lock_guard lock(mutex_);
  int64_t total = settlement_fen_;
  for (const auto& [token, card] : cards_) {
    std::optional<int64_t> sum = CheckedAdd(total, card.balance_fen);
    QB_ASSERT(sum.has_value());
    total = *sum;
  }
  for (const auto& [account, balance] : accounts_) {
    std::optional<int64_t> sum = CheckedAdd(total, balance);
    QB_ASSERT(sum.has_value());
    total = *sum;
  }
  return total;
}

BankResult SimulatedBank::Authorize(const DebitRequest& request) {
  Sleep();
  std::lock_guard lock(mutex_);
  return StartTransaction(TransactionKind::kAuthorization, request.request_id, request.card_token,
                          request.amount_fen, request.currency);
}

BankResult SimulatedBank::Payout(const PayoutRequest& request) {
  Sleep();
  std::lock_guard lock(mutex_);
  return StartTransaction(TransactionKind::kPayout, request.request_id, request.card_token,
                          request.amount_fen, request.currency);
}

BankResult SimulatedBank::PayAccount(const AccountPayoutRequest& request) {
  Sleep();
  std::lock_guard lock(mutex_);
  const std::string& number = request.account_number;
  bool digits = number.size() >= 8 && number.size() <= 30;
  for (char c : number) digits = digits && c >= '0' && c <= '9';
  if (request.request_id.empty() || request.request_id.size() > kMaxRequestIdBytes || !digits ||
      request.amount_fen <= 0 || request.currency != kCurrencyCny) {
    return BankResult{BankResultCode::kInvalidRequest, ""};
  }
  Failure failure = DrawFailure();
  if (failure == Failure::kUnavailable) return BankResult{BankResultCode::kUnavailable, ""};
  if (failure == Failure::kTimeoutLost) return BankResult{BankResultCode::kTimeout, ""};
  // The account is recorded as the transaction's "card" so a reused request id is recognised.
  const std::string key = "account:" + number;
  BankResult result;
  auto it = requests_.find(request.request_id);
  if (it != requests_.end()) {
    const Transaction& first = it->second;
    const bool same = first.kind == TransactionKind::kPayout && first.card_token == key &&
                      first.amount_fen == request.amount_fen;
    result = same ? first.result : BankResult{BankResultCode::kRequestIdReused, ""};
  } else if (requests_.size() >= options_.max_requests) {
    return BankResult{BankResultCode::kUnavailable, ""};
  } else {
    Transaction transaction{
        TransactionKind::kPayout, key, request.amount_fen, {}, AuthorizationState::kNone};
    BankResultCode code = BankResultCode::kApproved;
    std::optional<int64_t> balance = CheckedAdd(accounts_[number], request.amount_fen);
    std::optional<int64_t> settlement = CheckedSub(settlement_fen_, request.amount_fen);
    if (request.amount_fen > options_.max_amount_fen || !balance || !settlement) {
      code = BankResultCode::kDeclinedLimit;
    } else {
      accounts_[number] = *balance;
      settlement_fen_ = *settlement;
    }
    transaction.result = BankResult{code, NextReference()};
    result = transaction.result;
    requests_.emplace(request.request_id, std::move(transaction));
  }
  if (failure == Failure::kTimeoutProcessed) return BankResult{BankResultCode::kTimeout, ""};
  return result;
}

int64_t SimulatedBank::AccountBalanceFen(const std::string& account_number) const {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(account_number);
  return it == accounts_.end() ? 0 : it->second;
}

BankResult SimulatedBank::Capture(const std::string& auth_id) {
  Sleep();
  std::lock_guard lock(mutex_);
  return Settle(auth_id, AuthorizationState::kCaptured);
}

BankResult SimulatedBank::Void(const std::string& auth_id) {
  Sleep();
  std::lock_guard lock(mutex_);
  return Settle(auth_id, AuthorizationState::kVoided);
}

TransactionStatus SimulatedBank::Status(const std::string& request_id) {
  Sleep();
  std::lock_guard lock(mutex_);
  auto it = requests_.find(request_id);
  if (it == requests_.end()) return TransactionStatus{};
  const Transaction& transaction = it->second;
  return TransactionStatus{true, transaction.kind, transaction.result, transaction.state,
                           transaction.amount_fen};
}

BankResult SimulatedBank::BindCard(const CardBindingRequest& request) {
  Sleep();
  std::lock_guard lock(mutex_);
  if (ValidateBindingFields(request) != BankResultCode::kApproved) {
    return BankResult{BankResultCode::kInvalidRequest, ""};
  }
  Failure failure = DrawFailure();
  if (failure == Failure::kUnavailable) return BankResult{BankResultCode::kUnavailable, ""};
  if (failure == Failure::kTimeoutLost) return BankResult{BankResultCode::kTimeout, ""};

  std::string pan_hash = DigestHex(HashBytes(request.pan));
  BankResult result;
  auto it = binding_requests_.find(request.request_id);
  if (it != binding_requests_.end()) {
    result = it->second.pan_hash == pan_hash ? it->second.result
                                             : BankResult{BankResultCode::kRequestIdReused, ""};
  } else if (binding_requests_.size() >= options_.max_requests) {
    return BankResult{BankResultCode::kUnavailable, ""};
  } else {
    result = DecideBinding(request, pan_hash);
    binding_requests_.emplace(request.request_id, Binding{std::move(pan_hash), result});
  }
  if (failure == Failure::kTimeoutProcessed) return BankResult{BankResultCode::kTimeout, ""};
  return result;
}

BankResult SimulatedBank::DecideBinding(const CardBindingRequest& request,
                                        const std::string& pan_hash) {
  if (request.holder_name.find("不匹配") != std::string::npos) {
    return BankResult{BankResultCode::kDeclinedInvalidCard, NextReference()};
  }
  auto known = token_by_pan_.find(pan_hash);
  if (known != token_by_pan_.end()) {
    if (cards_.at(known->second).blocked) {
      return BankResult{BankResultCode::kDeclinedCardBlocked, NextReference()};
    }
    return BankResult{BankResultCode::kApproved, known->second};
  }
  // "CT" and a counter: never all digits, so never mistaken for a PAN.
  std::string digits = std::to_string(token_by_pan_.size() + 1);
  std::string token = "CT" + std::string(digits.size() < 12 ? 12 - digits.size() : 0, '0') + digits;
  bool inserted =
      cards_.emplace(token, SimulatedCard{options_.opening_balance_fen, 0, false}).second;
  QB_ASSERT(inserted);  // AddCard tokens never start with "CT" in practice; asserted anyway.
  token_by_pan_.emplace(pan_hash, token);
  return BankResult{BankResultCode::kApproved, std::move(token)};
}

size_t SimulatedBank::bound_card_count() const {
  std::lock_guard lock(mutex_);
  return token_by_pan_.size();
}

SimulatedBank::Failure SimulatedBank::DrawFailure() {
  // One draw per call whatever the outcome, so the sequence depends only on the call order.
  uint64_t draw = rng_();
  if (draw % 1'000'000 >= options_.failure_rate_ppm) return Failure::kNone;
  switch ((draw / 1'000'000) % 3) {
    case 0:
      return Failure::kUnavailable;
    case 1:
      return Failure::kTimeoutLost;
    default:
      return Failure::kTimeoutProcessed;
  }
}

std::string SimulatedBank::NextReference() {
  std::string digits = std::to_string(next_reference_++);
  return "SB" + std::string(digits.size() < 12 ? 12 - digits.size() : 0, '0') + digits;
}

BankResult SimulatedBank::StartTransaction(TransactionKind kind, const std::string& request_id,
                                           const std::string& card_token, int64_t amount_fen,
                                           const std::string& currency) {
  // Malformed requests are refused before they reach the (simulated) network.
  if (ValidateRequestFields(request_id, card_token, amount_fen, currency) !=
      BankResultCode::kApproved) {
    return BankResult{BankResultCode::kInvalidRequest, ""};
  }
  Failure failure = DrawFailure();
  if (failure == Failure::kUnavailable) return BankResult{BankResultCode::kUnavailable, ""};
  if (failure == Failure::kTimeoutLost) return BankResult{BankResultCode::kTimeout, ""};

  BankResult result;
  auto it = requests_.find(request_id);
  if (it != requests_.end()) {
    const Transaction& first = it->second;
    bool same =
        first.kind == kind && first.card_token == card_token && first.amount_fen == amount_fen;
    result = same ? first.result : BankResult{BankResultCode::kRequestIdReused, ""};
  } else if (requests_.size() >= options_.max_requests) {
    return BankResult{BankResultCode::kUnavailable, ""};
  } else {
    Transaction transaction{kind, card_token, amount_fen, {}, AuthorizationState::kNone};
    transaction.result = BankResult{Decide(kind, card_token, amount_fen), NextReference()};
    if (kind == TransactionKind::kAuthorization && transaction.result.approved()) {
      transaction.state = AuthorizationState::kHeld;
      auth_requests_.emplace(transaction.result.bank_reference, request_id);
    }
    result = transaction.result;
    requests_.emplace(request_id, std::move(transaction));
  }
  if (failure == Failure::kTimeoutProcessed) return BankResult{BankResultCode::kTimeout, ""};
  return result;
}

BankResultCode SimulatedBank::Decide(TransactionKind kind, const std::string& card_token,
                                     int64_t amount_fen) {
  auto it = cards_.find(card_token);
  if (it == cards_.end()) return BankResultCode::kDeclinedInvalidCard;
  SimulatedCard& card = it->second;
  if (card.blocked) return BankResultCode::kDeclinedCardBlocked;
  if (amount_fen > options_.max_amount_fen) return BankResultCode::kDeclinedLimit;
  if (kind == TransactionKind::kAuthorization) {
    if (amount_fen > card.balance_fen - card.held_fen) {
      return BankResultCode::kDeclinedInsufficientFunds;
    }
    card.held_fen += amount_fen;
    QB_ASSERT(card.held_fen <= card.balance_fen);
    return BankResultCode::kApproved;
  }
  std::optional<int64_t> balance = CheckedAdd(card.balance_fen, amount_fen);
  std::optional<int64_t> settlement = CheckedSub(settlement_fen_, amount_fen);
  if (!balance || *balance > kMaxCardBalanceFen || !settlement) {
    return BankResultCode::kDeclinedLimit;
  }
  card.balance_fen = *balance;
  settlement_fen_ = *settlement;
  return BankResultCode::kApproved;
}

BankResult SimulatedBank::Settle(const std::string& auth_id, AuthorizationState target) {
  Failure failure = DrawFailure();
  if (failure == Failure::kUnavailable) return BankResult{BankResultCode::kUnavailable, ""};
  if (failure == Failure::kTimeoutLost) return BankResult{BankResultCode::kTimeout, ""};

  auto found = auth_requests_.find(auth_id);
  if (found == auth_requests_.end()) return BankResult{BankResultCode::kNotFound, ""};
  Transaction& transaction = requests_.at(found->second);
  BankResult result{BankResultCode::kApproved, auth_id};
  if (transaction.state == target) {
    // A retried Capture or Void: approved again, nothing moves.
  } else if (transaction.state != AuthorizationState::kHeld) {
    result.code = BankResultCode::kInvalidState;
  } else {
    SimulatedCard& card = cards_.at(transaction.card_token);
    QB_ASSERT(card.held_fen >= transaction.amount_fen);
    QB_ASSERT(card.balance_fen >= card.held_fen);
    card.held_fen -= transaction.amount_fen;
    if (target == AuthorizationState::kCaptured) {
      std::optional<int64_t> settlement = CheckedAdd(settlement_fen_, transaction.amount_fen);
      QB_ASSERT(settlement.has_value());  // bounded by the sum of card balances
      card.balance_fen -= transaction.amount_fen;
      settlement_fen_ = *settlement;
    }
    transaction.state = target;
  }
  if (failure == Failure::kTimeoutProcessed) return BankResult{BankResultCode::kTimeout, ""};
  return result;
}

void SimulatedBank::Sleep() const {
  if (options_.latency.count() > 0) std::this_thread::sleep_for(options_.latency);
}

}  // namespace qb::bank
