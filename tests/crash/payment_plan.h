// What the crash workload does, shared with the harness that checks it: account ids, set-up
// amounts, and every payment's two transfers as a pure function of the payment's transfer id.
// The workload reports only ids and results; the harness recomputes everything else from the id
// and compares it with what recovery brought back.
//
// Transfer ids:
//   set-up          1 .. 2^20                     (fixed, so re-running set-up is idempotent)
//   budget top-ups  2^62 | run << 24 | n
//   payments        run << 40 | thread << 39 | n << 1    (bit 0 clear: customer → merchant)
//   cashback        payment id | 1                       (campaign → customer)
// `run` counts workload starts on a data directory (1, 2, ...), so runs never reuse an id.
#pragma once

#include <cstdint>

#include "ledger/types.h"

namespace qb::crash {

inline constexpr uint64_t kCustomers = 1'000;
inline constexpr uint64_t kMerchants = 20;
inline constexpr uint64_t kClearingId = 20'001;   // Bank clearing: funds the customers.
inline constexpr uint64_t kMarketingId = 20'002;  // Marketing expense: funds the budget.
inline constexpr uint64_t kCampaignId = 20'003;   // Campaign budget: no overdraft.
inline constexpr uint64_t CustomerId(uint64_t i) { return 1 + i; }
inline constexpr uint64_t MerchantId(uint64_t i) { return 10'001 + i; }

inline constexpr int64_t kCustomerFunding = 100'000'000;  // ¥1,000,000 each, in fen.
// Small on purpose: payments drain the budget faster than the top-ups refill it, so cashback
// (and with it the whole linked payment) keeps failing for lack of budget.
inline constexpr int64_t kInitialBudget = 2'000'000;
inline constexpr int64_t kBudgetTopUp = 50'000;

inline constexpr uint16_t kCodePayment = 1;
inline constexpr uint16_t kCodeCashback = 2;
inline constexpr uint16_t kCodeTopUp = 3;
inline constexpr uint16_t kCodeBudget = 4;

inline constexpr uint64_t kFirstPaymentId = uint64_t{1} << 40;
inline constexpr uint64_t kBudgetTopUpIdBit = uint64_t{1} << 62;

inline constexpr uint64_t PaymentId(uint64_t run, uint64_t thread, uint64_t n) {
  return run << 40 | thread << 39 | n << 1;
}
inline constexpr bool IsPaymentTransfer(uint64_t id) {
  return id >= kFirstPaymentId && (id & kBudgetTopUpIdBit) == 0;
}
inline constexpr uint64_t PartnerOf(uint64_t id) { return id ^ 1; }

struct PlannedPayment {
  ledger::Transfer payment;   // Customer → merchant, linked to the cashback.
  ledger::Transfer cashback;  // Campaign → customer.
};

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  return x ^ (x >> 33);
}

inline ledger::Transfer PlanTransfer(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount,
                                     uint16_t code, uint16_t flags = 0) {
  ledger::Transfer t;
  t.id = id;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount = amount;
  t.ledger = ledger::kLedgerCny;
  t.code = code;
  t.flags = flags;
  return t;
}

// `payment_id` has bit 0 clear.
inline PlannedPayment PlanPayment(uint64_t payment_id) {
  const uint64_t h = Mix(payment_id);
  const uint64_t customer = CustomerId(h % kCustomers);
  const uint64_t merchant = MerchantId((h >> 20) % kMerchants);
  // One payment in a hundred is more than any wallet holds, so it fails on the customer side.
  const int64_t amount =
      (h >> 40) % 100 == 0 ? 2 * kCustomerFunding : 100 + static_cast<int64_t>((h >> 48) % 20'000);
  PlannedPayment p;
  p.payment = PlanTransfer(payment_id, customer, merchant, amount, kCodePayment,
                           ledger::transfer_flags::kLinked);
  p.cashback =
      PlanTransfer(payment_id | 1, kCampaignId, customer, amount * 2 / 100 + 1, kCodeCashback);
  return p;
}

}  // namespace qb::crash
