// Points in the engine: the programme (SetPointsProgram), the points a payment redeems and
// earns, their reversal by refunds, and their forfeit when the customer closes the wallet.
// Same class and rules as state_machine_payments.cc.
//
// A payment's points ride in its one linked chain (state_machine_marketing_payments.cc), after
// the rewards and before the fee:
//   customer points → pool      the points redeemed                  (points ledger)
//   marketing expense → merchant  their worth, so the merchant gets the full amount    (fen)
//   pool → customer points      the points earned on what was paid in cash (points ledger)
// A refund's chain adds the shares points::SharesOf gives (the remaining-amount method):
//   merchant → marketing expense  the worth's share                                   (fen)
//   pool → customer points      the redeemed points' share, back to the customer
//   customer points → pool      the earned points' share, as far as the balance goes: points
//                               already spent are not clawed back beyond it
// A customer who closed the wallet forfeits their points (ForfeitPoints): refunds after that
// move only the merchant's share of the worth.
#include <algorithm>
#include <string>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"
#include "marketing/segments.h"
#include "merchant/merchant_category.h"

namespace qb::engine {
namespace {

using internal::DerivedId;
using internal::kNsPerSecond;

uint64_t PointsAccountOf(uint64_t customer_id) { return kPointsAccountBase + customer_id; }

ledger::Transfer PointsTransfer(uint64_t id, uint64_t debit, uint64_t credit, int64_t points,
                                uint16_t code, uint64_t payment_id) {
  ledger::Transfer t;
  t.id = id;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount = points;
  t.ledger = ledger::kLedgerPoints;
  t.code = code;
  t.user_data = payment_id;
  return t;
}

}  // namespace

Reply StateMachine::ApplySetPointsProgram(const SetPointsProgram& c) {
  Reply reply;
  PaymentResult r = PaymentResult::kOk;
  if (staff_.FindById(c.staff_id) == nullptr) {
    r = PaymentResult::kStaffNotFound;
  } else if (const points::Error e = points_.SetProgram(c.program, batch_time_ns_ / kNsPerSecond);
             !e.ok()) {
    r = PaymentResult::kInvalid;
    reply.text = std::string(e.code).append(":").append(e.field);
  } else {
    reply.value = points_.version();
  }
  reply.results.push_back(static_cast<uint8_t>(r));
  return reply;
}

int64_t StateMachine::PointsBalance(uint64_t customer_id) const {
  const ledger::Account* account = ledger_.FindAccount(PointsAccountOf(customer_id));
  return account == nullptr ? 0 : account->credits_posted - account->debits_posted;
}

int64_t StateMachine::QuotePointsEarned(uint64_t customer_id, uint64_t merchant_id,
                                        int64_t paid_fen, int64_t time_ns) const {
  const points::Program& program = points_.program();
  // Every payment asks: without a programme earning, it costs nothing more.
  if (!program.enabled || program.earn_per_yuan == 0 || paid_fen < 100 ||
      paid_fen > points::kMaxPaymentFen) {
    return 0;
  }
  const identity::Customer* customer = customers_.FindById(customer_id);
  const payments::Merchant* merchant = payments_.FindMerchant(merchant_id);
  if (customer == nullptr || merchant == nullptr) return 0;
  points::PaymentFacts facts;
  // Only multiplier rules look at the merchant's category, the time and the segments.
  if (program.multipliers.empty()) return points::PointsEarned(program, paid_fen, facts);
  if (const merchant::MerchantCategory* category =
          merchant::FindMerchantCategoryById(merchant->profile.category)) {
    facts.merchant_category = category->mcc;
  }
  facts.time_s = time_ns / kNsPerSecond;
  facts.segment_bits =
      marketing::SegmentBitsOf({.registered_s = customer->registered_ns / kNsPerSecond,
                                .tier = static_cast<uint8_t>(customer->tier),
                                .verified = customer->verified(),
                                .channel = customer->channel},
                               facts.time_s);
  return points::PointsEarned(program, paid_fen, facts);
}

PaymentResult StateMachine::PricePoints(uint64_t customer_id, int64_t points, int64_t amount_fen,
                                        PointsCharge* charge) const {
  *charge = PointsCharge();
  if (points == 0) return PaymentResult::kOk;
  if (points < 0) return PaymentResult::kInvalid;
  const points::Redemption redemption = points::Redeem(points_.program(), points, amount_fen);
  if (redemption.discount_fen == 0) return PaymentResult::kPointsNotAccepted;
  if (PointsBalance(customer_id) < redemption.points) return PaymentResult::kPointsInsufficient;
  charge->redeem = redemption.points;
  charge->discount_fen = redemption.discount_fen;
  return PaymentResult::kOk;
}

void StateMachine::EnsurePointsAccounts(uint64_t customer_id) {
  if (ledger_.FindAccount(kPointsPoolAccountId) == nullptr) {
    ledger::Account pool;
    pool.id = kPointsPoolAccountId;
    pool.ledger = ledger::kLedgerPoints;
    pool.kind = static_cast<uint16_t>(ledger::AccountKind::kPointsPool);
    ledger_.CreateAccounts(std::span(&pool, 1), batch_time_ns_, &account_results_);
    // A fixed id below every customer and merchant range: only this creates it.
    QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
    Touch(kPointsPoolAccountId);
  }
  const uint64_t id = PointsAccountOf(customer_id);
  if (ledger_.FindAccount(id) != nullptr) return;
  ledger::Account account;
  account.id = id;
  account.user_data = customer_id;
  account.ledger = ledger::kLedgerPoints;
  account.kind = static_cast<uint16_t>(ledger::AccountKind::kCustomerPoints);
  account.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  ledger_.CreateAccounts(std::span(&account, 1), batch_time_ns_, &account_results_);
  // Its own id range, below the wallets: only this creates it. If the payment that needed it
  // then fails, it stays, empty, as a replay would leave it.
  QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
  Touch(id);
}

int64_t StateMachine::AppendPoints(const payments::Payment& payment, const PointsCharge& charge,
                                   int64_t cash_fen,
                                   absl::InlinedVector<ledger::Transfer, 2>* chain) {
  const int64_t earned = charge.earn ? QuotePointsEarned(payment.customer_id, payment.merchant_id,
                                                         cash_fen, batch_time_ns_)
                                     : 0;
  if (charge.redeem == 0 && earned == 0) return 0;
  EnsurePointsAccounts(payment.customer_id);
  const uint64_t account = PointsAccountOf(payment.customer_id);
  if (charge.redeem > 0) {
    chain->push_back(PointsTransfer(DerivedId(payment.id, "points-redeem"), account,
                                    kPointsPoolAccountId, charge.redeem,
                                    ledger::transfer_codes::kPointsRedeem, payment.id));
    EnsureMarketingExpenseAccount();
    ledger::Transfer worth;
    worth.id = DerivedId(payment.id, "points-discount");
    worth.debit_account_id = kMarketingExpenseAccountId;
    worth.credit_account_id = payments_.FindMerchant(payment.merchant_id)->account_id;
    worth.amount = charge.discount_fen;
    worth.ledger = ledger::kLedgerCny;
    worth.code = ledger::transfer_codes::kPointsDiscount;
    worth.user_data = payment.id;
    chain->push_back(worth);
  }
  if (earned > 0) {
    chain->push_back(PointsTransfer(DerivedId(payment.id, "points-earn"), kPointsPoolAccountId,
                                    account, earned, ledger::transfer_codes::kPointsEarn,
                                    payment.id));
  }
  return earned;
}

void StateMachine::RecordPoints(const payments::Payment& payment, const PointsCharge& charge,
                                int64_t cash_fen, int64_t earned) {
  points_.DropPending(payment.id);
  if (charge.redeem == 0 && earned == 0) return;
  points::PaymentPoints record;
  record.customer_id = payment.customer_id;
  record.paid_fen = cash_fen;
  record.earned = earned;
  record.redeemed = charge.redeem;
  record.discount_fen = charge.discount_fen;
  points_.RecordPayment(payment.id, record);
}

int64_t StateMachine::AppendPointsReversals(const payments::Payment& payment,
                                            int64_t refunded_after_fen, uint64_t refund_id,
                                            bool customer_closed,
                                            absl::InlinedVector<ledger::Transfer, 2>* chain,
                                            int64_t* clawed_back, points::RefundShares* shares) {
  *clawed_back = 0;
  *shares = points::RefundShares();
  const points::PaymentPoints* record = points_.FindPayment(payment.id);
  if (record == nullptr) return 0;
  *shares = points::SharesOf(*record, refunded_after_fen);
  if (shares->discount_back_fen > 0) {
    ledger::Transfer back;
    back.id = DerivedId(refund_id, "points-discount");
    back.debit_account_id = payments_.FindMerchant(payment.merchant_id)->account_id;
    back.credit_account_id = kMarketingExpenseAccountId;
    back.amount = shares->discount_back_fen;
    back.ledger = ledger::kLedgerCny;
    back.code = ledger::transfer_codes::kPointsDiscountReversal;
    back.user_data = payment.id;
    chain->push_back(back);
  }
  // A closed wallet's points were forfeited: nothing goes back to it, nothing is taken.
  if (customer_closed) {
    shares->restore = 0;
    return shares->discount_back_fen;
  }
  const uint64_t account = PointsAccountOf(payment.customer_id);
  if (shares->restore > 0) {
    chain->push_back(PointsTransfer(DerivedId(refund_id, "points-restore"), kPointsPoolAccountId,
                                    account, shares->restore,
                                    ledger::transfer_codes::kPointsRestore, payment.id));
  }
  // Points the customer already spent stay spent: the clawback takes what the balance (with
  // what this refund restores) holds.
  *clawed_back = std::min(shares->clawback, PointsBalance(payment.customer_id) + shares->restore);
  if (*clawed_back > 0) {
    chain->push_back(PointsTransfer(DerivedId(refund_id, "points-clawback"), account,
                                    kPointsPoolAccountId, *clawed_back,
                                    ledger::transfer_codes::kPointsClawback, payment.id));
  }
  return shares->discount_back_fen;
}

void StateMachine::ForfeitPoints(uint64_t customer_id) {
  const int64_t balance = PointsBalance(customer_id);
  if (balance <= 0) return;
  ledger::Transfer forfeit = PointsTransfer(
      DerivedId(kPointsAccountBase + customer_id, "points-forfeit"), PointsAccountOf(customer_id),
      kPointsPoolAccountId, balance, ledger::transfer_codes::kPointsForfeit, 0);
  ledger_.CreateTransfers(std::span(&forfeit, 1), batch_time_ns_, &transfer_results_);
  QB_ASSERT(transfer_results_[0] == ledger::CreateTransferResult::kOk);
  ProjectCreated(std::span(&forfeit, 1));
}

}  // namespace qb::engine
