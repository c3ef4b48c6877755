// The lottery in the engine (抽奖): the configuration (SetLottery, command 70), the daily
// sign-in (LotterySignIn, 71), draws (DrawLottery, 72) and the draw a completed payment earns.
// The book's rules are in lottery/lottery_book.h.
//
// A draw's seed is a hash of the nonce the API drew from its CSPRNG, the customer, the draw id
// and the batch time, all journaled: replay draws the same prizes, and nobody outside the
// server can know the nonce before the draw. A prize won is one transfer: the lottery's budget
// account → wallet for cash (kLotteryCash; the account is funded from marketing expense by the
// configured budget, so cash prizes can never exceed it), the points pool → points account for
// points (kLotteryPoints).
#include <string>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"

namespace qb::engine {
namespace {

using internal::DerivedId;
using internal::kNsPerSecond;

uint64_t DrawSeed(const DrawLottery& c, int64_t batch_time_ns) {
  return internal::NonceSeed("qianbao/engine/lottery-draw/v1", c.nonce, c.customer_id, c.draw_id,
                             batch_time_ns);
}

}  // namespace

Reply StateMachine::ApplyLottery(const Command& command) {
  Reply reply;
  MarketingResult r = MarketingResult::kOk;
  const int64_t now_s = batch_time_ns_ / kNsPerSecond;
  auto refuse = [&](std::string_view code) {
    r = MarketingResult::kRefused;
    reply.text = std::string(code);
  };
  if (const auto* c = std::get_if<SetLottery>(&command)) {
    const int64_t budget_before = lottery_.on() ? lottery_.config().budget_fen : 0;
    if (staff_.FindById(c->staff_id) == nullptr) {
      r = MarketingResult::kStaffNotFound;
    } else if (const lottery::Error e = lottery_.SetConfig(c->config, now_s); !e.ok()) {
      r = MarketingResult::kInvalid;
      reply.text = std::string(e.code).append(":").append(e.field);
    } else {
      reply.value = lottery_.version();
      // Lowered never below what was spent (SetConfig checked).
      MoveProgramBudget(kLotteryBudgetAccountId, c->config.budget_fen - budget_before, reply.value,
                        "lottery-budget");
    }
  } else if (const auto* c = std::get_if<LotterySignIn>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    if (customer == nullptr || customer->closed()) {
      r = MarketingResult::kCustomerNotFound;
    } else if (const lottery::Error e = lottery_.SignIn(c->customer_id, now_s); !e.ok()) {
      refuse(e.code);
    }
  } else if (const auto* c = std::get_if<DrawLottery>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    if (customer == nullptr || customer->closed()) {
      r = MarketingResult::kCustomerNotFound;
    } else if (const lottery::Draw* earlier = lottery_.FindDraw(c->draw_id)) {
      r = earlier->customer_id == c->customer_id ? MarketingResult::kDuplicate
                                                 : MarketingResult::kInvalid;
      reply.value = c->draw_id;
    } else if (const lottery::Error e = lottery_.CanDraw(c->customer_id, now_s); !e.ok()) {
      refuse(e.code);
    } else {
      lottery::Draw draw;
      draw.id = c->draw_id;
      draw.customer_id = c->customer_id;
      draw.time_s = now_s;
      draw.prize = lottery_.Pick(DrawSeed(*c, batch_time_ns_));
      std::optional<ledger::Transfer> prize;
      if (draw.won()) {
        const lottery::Prize& won = lottery_.config().prizes[static_cast<size_t>(draw.prize)];
        draw.prize_name = won.name;
        draw.kind = won.kind;
        draw.amount = won.amount;
        ledger::Transfer t;
        t.id = DerivedId(c->draw_id, "lottery-prize");
        t.amount = won.amount;
        t.user_data = c->draw_id;
        if (won.kind == lottery::PrizeKind::kCash) {
          if (!WalletCanTake(*customer, won.amount)) refuse("LOTTERY_WALLET_FULL");
          t.debit_account_id = kLotteryBudgetAccountId;
          t.credit_account_id = customer->wallet_account_id;
          t.ledger = ledger::kLedgerCny;
          t.code = ledger::transfer_codes::kLotteryCash;
        } else {
          EnsurePointsAccounts(customer->id);
          t.debit_account_id = kPointsPoolAccountId;
          t.credit_account_id = kPointsAccountBase + customer->id;
          t.ledger = ledger::kLedgerPoints;
          t.code = ledger::transfer_codes::kLotteryPoints;
        }
        prize = t;
      }
      if (r == MarketingResult::kOk && prize) {
        ledger_.CreateTransfers(std::span(&*prize, 1), batch_time_ns_, &transfer_results_);
        // The book kept cash within the funded budget, and the id is derived from a new draw.
        QB_ASSERT(transfer_results_[0] == ledger::CreateTransferResult::kOk);
        ProjectCreated(std::span(&*prize, 1));
      }
      if (r == MarketingResult::kOk) {
        lottery_.Record(draw);
        reply.value = c->draw_id;
      }
    }
  }
  reply.results.push_back(static_cast<uint8_t>(r));
  return reply;
}

void StateMachine::NoteLotteryPayment(const payments::Payment& payment) {
  // Every payment asks: without a lottery, one branch.
  if (!lottery_.on()) return;
  lottery_.EarnByPayment(payment.customer_id, payment.amount_fen, batch_time_ns_ / kNsPerSecond);
}

}  // namespace qb::engine
