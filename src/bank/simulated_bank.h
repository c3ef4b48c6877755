// An in-memory bank that behaves like the real one where the wallet can tell: idempotent by
// request_id, declines for funds, blocks and limits, and timeouts that may or may not have
// moved money. For development, tests and simulations; the real bank plugs in behind
// BankGateway.
//
// Money is conserved: the sum of all card balances plus the bank's settlement position (money
// it has taken from cards for the wallet, minus money it has paid out) changes only by AddCard
// and by BindCard opening a card it has not seen before. Authorize holds part of a card's
// balance; Capture moves it to settlement; Void releases it. No operation lets a card's holds
// exceed its balance, so a card is never overdrawn.
//
// BindCard stands in for the four-element check: any well-formed request is the holder's card,
// except that a holder name containing "不匹配" is declined (kDeclinedInvalidCard) so callers can
// show a name mismatch. The first binding of a PAN opens a card with opening_balance_fen under
// a new token; binding the same PAN again (another request id) answers the same token. The
// bank keeps only a hash of each PAN, not the number.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>

#include "bank/bank_gateway.h"

namespace qb::bank {

struct SimulatedBankOptions {
  uint64_t seed = 1;
  // Injected failures per million calls of Authorize, Capture, Void and Payout, split evenly
  // between kUnavailable (nothing happened), kTimeout with nothing processed, and kTimeout
  // after the bank did process the request (only Status or a retry reveals the outcome).
  // Calls in the same order with the same seed fail the same way.
  uint32_t failure_rate_ppm = 0;
  std::chrono::microseconds latency{0};      // slept outside the lock on every call
  int64_t max_amount_fen = 5'000'000;        // per transaction (¥50,000)
  size_t max_requests = 1'000'000;           // remembered request ids; beyond, kUnavailable
  int64_t opening_balance_fen = 10'000'000;  // of a card opened by BindCard (¥100,000)
};

struct SimulatedCard {
  int64_t balance_fen = 0;
  int64_t held_fen = 0;  // authorized, not yet captured or voided; <= balance_fen
  bool blocked = false;
};

class SimulatedBank final : public BankGateway {
 public:
  static constexpr int64_t kMaxCardBalanceFen = 1'000'000'000'000'000;  // ¥10 trillion

  explicit SimulatedBank(SimulatedBankOptions options);

  // Setup. Precondition (asserted): the token is new and 0 <= balance_fen <= kMaxCardBalanceFen.
  void AddCard(const std::string& card_token, int64_t balance_fen);
  // False when there is no such card.
  bool SetBlocked(const std::string& card_token, bool blocked);

  std::optional<SimulatedCard> Card(const std::string& card_token) const;
  int64_t settlement_fen() const;
  // Sum of card balances, business accounts and settlement: constant between AddCard calls.
  int64_t TotalMoneyFen() const;

  BankResult Authorize(const DebitRequest& request) override;
  BankResult Capture(const std::string& auth_id) override;
  BankResult Void(const std::string& auth_id) override;
  BankResult Payout(const PayoutRequest& request) override;
  BankResult PayAccount(const AccountPayoutRequest& request) override;
  // What business accounts received through PayAccount.
  int64_t AccountBalanceFen(const std::string& account_number) const;
  TransactionStatus Status(const std::string& request_id) override;
  BankResult BindCard(const CardBindingRequest& request) override;

  // Cards opened by BindCard.
  size_t bound_card_count() const;

 private:
  enum class Failure : uint8_t { kNone, kUnavailable, kTimeoutLost, kTimeoutProcessed };

  struct Transaction {
    TransactionKind kind = TransactionKind::kAuthorization;
    std::string card_token;
    int64_t amount_fen = 0;
    BankResult result;
    AuthorizationState state = AuthorizationState::kNone;
  };

  struct Binding {
    std::string pan_hash;  // never the PAN itself
    BankResult result;
  };

  // All below run with mutex_ held.
  Failure DrawFailure();
  std::string NextReference();
  BankResult StartTransaction(TransactionKind kind, const std::string& request_id,
                              const std::string& card_token, int64_t amount_fen,
                              const std::string& currency);
  BankResultCode Decide(TransactionKind kind, const std::string& card_token, int64_t amount_fen);
  BankResult Settle(const std::string& auth_id, AuthorizationState target);
  BankResult DecideBinding(const CardBindingRequest& request, const std::string& pan_hash);
  void Sleep() const;

  const SimulatedBankOptions options_;
  mutable std::mutex mutex_;
  std::mt19937_64 rng_;                                    // guarded by mutex_
  std::map<std::string, SimulatedCard> cards_;             // guarded by mutex_
  std::map<std::string, int64_t> accounts_;                // business account → received; guarded
  std::unordered_map<std::string, Transaction> requests_;  // by request_id; guarded
  std::unordered_map<std::string, std::string> auth_requests_;  // auth_id -> request_id
  std::unordered_map<std::string, Binding> binding_requests_;   // by request_id; guarded
  std::unordered_map<std::string, std::string> token_by_pan_;   // PAN hash -> token; guarded
  int64_t settlement_fen_ = 0;                                  // guarded by mutex_
  uint64_t next_reference_ = 1;                                 // guarded by mutex_
};

}  // namespace qb::bank
