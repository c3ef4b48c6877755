// Settlement and reconciliation. Staff run the daily settlement (T+1: a business day is paid
// out once it is over): for every active merchant with takings not yet paid, the engine holds
// the amount (merchant → bank clearing), the bank pays the merchant's settlement account, and
// the hold is posted (paid) or voided (refused; the money waits for the next run). A bank that
// does not answer leaves the settlement "processing"; running the same day again asks the bank
// again with the same request id, so nothing is paid twice.
//
// The reconciliation report totals the ledger by transfer kind and checks that the balances of
// customers, merchants, fee income and bank clearing are exactly what the movements say, and
// that the payment and settlement records agree with the ledger.
#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

#include "base/digest.h"
#include "engine/state_machine.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/staff_access.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

constexpr size_t kMaxMerchantsPerRun = 100'000;

uint64_t SettlementId(uint64_t merchant_id, int64_t day) {
  Hasher hasher;
  hasher.Update("qianbao/wallet/settlement-id/v1");
  hasher.UpdateU64(merchant_id);
  hasher.UpdateU64(static_cast<uint64_t>(day));
  return IdFromDigest(hasher.Finish());
}

api::JsonObjectWriter SettlementJson(const SettlementRow& row) {
  api::JsonObjectWriter json;
  json.String("id", std::to_string(row.id))
      .String("merchant_id", std::to_string(row.merchant_id))
      .String("business_date", DateText(row.business_day))
      .Amount("amount", row.amount_fen)
      .String("currency", "CNY")
      .String("status",
              payments::SettlementStateName(static_cast<payments::SettlementState>(row.state)))
      .String("created_at", Rfc3339(row.created_ns));
  return json;
}

// --- The run ---

struct Payee {
  uint64_t merchant_id = 0;
  std::string legal_name;
  std::string bank_code;
  std::string account_sealed;
};

// One merchant's settlement, on a worker: engine hold, bank payout, engine post/void. Blocks on
// the engine (Execute) and the bank; the run goes merchant by merchant.
SettlementRow SettleOne(WalletContext& context, const Payee& payee, int64_t day) {
  const WalletServices& services = Services(context);
  SettlementRow row{SettlementId(payee.merchant_id, day), payee.merchant_id, day, 0, 0, 0};
  engine::Reply started =
      services.engine->Execute(engine::StartSettlement{row.id, payee.merchant_id, day});
  if (started.status != engine::ReplyStatus::kOk) return row;  // state 0: not started
  const auto code = static_cast<PaymentResult>(started.results.at(0));
  if (code != PaymentResult::kOk && code != PaymentResult::kDuplicate) return row;
  // What the engine holds now (a re-run finds the settlement as it stands).
  std::optional<payments::Settlement> settlement;
  services.engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
    if (const payments::Settlement* s = state.payments().FindSettlement(row.id)) settlement = *s;
  }});
  if (!settlement) return row;
  row.amount_fen = settlement->amount_fen;
  row.created_ns = settlement->created_ns;
  row.state = static_cast<uint8_t>(settlement->state);
  if (settlement->state != payments::SettlementState::kProcessing) return row;

  std::optional<std::string> account =
      services.vault->Decrypt(payee.account_sealed, kSettlementSealContext);
  if (!account) {
    LogError("settlement account unreadable", {{"merchant_id", std::to_string(payee.merchant_id)}});
    return row;
  }
  bank::AccountPayoutRequest payout;
  payout.request_id = "stl-" + std::to_string(row.id);
  payout.bank_code = payee.bank_code;
  payout.account_number = std::move(*account);
  payout.account_name = payee.legal_name;
  payout.amount_fen = settlement->amount_fen;
  const bank::BankResult result = services.bank->PayAccount(payout);
  if (result.code == bank::BankResultCode::kTimeout ||
      result.code == bank::BankResultCode::kUnavailable) {
    LogWarn("settlement payout unanswered; stays processing",
            {{"merchant_id", std::to_string(payee.merchant_id)}});
    return row;
  }
  engine::Reply finished =
      services.engine->Execute(engine::FinishSettlement{row.id, result.approved()});
  if (finished.status == engine::ReplyStatus::kOk &&
      static_cast<PaymentResult>(finished.results.at(0)) == PaymentResult::kOk) {
    row.state = static_cast<uint8_t>(result.approved() ? payments::SettlementState::kPaid
                                                       : payments::SettlementState::kFailed);
  }
  LogInfo("settlement", {{"merchant_id", std::to_string(payee.merchant_id)},
                         {"business_date", DateText(day)},
                         {"result", bank::BankResultCodeName(result.code)}});
  return row;
}

}  // namespace

std::optional<SettlementRun> SettleDay(WalletContext& context, int64_t day, std::string_view by) {
  std::vector<Payee> payees;
  engine::Reply read = Services(context).engine->Execute(
      engine::Query{[&payees, day](const engine::StateMachine& state) {
        state.payments().ForEachMerchant([&](const payments::Merchant& m) {
          if (payees.size() >= kMaxMerchantsPerRun) return;
          // Those with takings to pay, and those whose payout a re-run must finish.
          const uint64_t existing = state.payments().FindSettlementOf(m.id, day);
          if (state.payments().UnsettledUpTo(m.id, day) <= 0 && existing == 0) return;
          payees.push_back({m.id, m.profile.legal_name, m.profile.settlement_bank_code,
                            m.profile.settlement_account_sealed});
        });
      }});
  if (read.status != engine::ReplyStatus::kOk) return std::nullopt;
  LogInfo("settlement run", {{"business_date", DateText(day)},
                             {"merchants", std::to_string(payees.size())},
                             {"by", std::string(by)}});
  SettlementRun run;
  for (const Payee& payee : payees) {
    SettlementRow row = SettleOne(context, payee, day);
    if (row.state == 0) continue;  // Nothing to settle (or not active).
    run.settlements.push_back(row);
  }
  return run;
}

namespace {

void RunSettlement(WalletContext& context, const Principal& staff, HttpRequest&& request,
                   Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::optional<std::string> date = reader.OptionalString("business_date", 10);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  const int64_t today = ChinaDay(Services(context).clock->NowNs());
  std::optional<int64_t> day = today - 1;
  if (date) day = ParseDate(*date);
  if (!day || *day >= today) {
    return respond(ErrorResponse(ErrorCode::kFieldInvalid,
                                 "business_date: YYYY-MM-DD, a day that is over (T+1)"));
  }
  RunOnWorker(
      context,
      [&context, day = *day, staff_id = staff.id, respond]() {
        std::optional<SettlementRun> run =
            SettleDay(context, day, "staff " + std::to_string(staff_id));
        if (!run) {
          return respond(
              ErrorResponse(ErrorCode::kOverloaded, "the server is busy; retry shortly"));
        }
        api::JsonArrayWriter list;
        int64_t total = 0;
        for (const SettlementRow& row : run->settlements) {
          if (row.state == static_cast<uint8_t>(payments::SettlementState::kPaid)) {
            total += row.amount_fen;
          }
          list.Object(SettlementJson(row));
        }
        api::JsonObjectWriter out;
        out.String("business_date", DateText(day))
            .Array("settlements", std::move(list))
            .Amount("paid_total", total)
            .String("currency", "CNY");
        respond(api::JsonResponse(200, out));
      },
      respond);
}

// Settlements with each business day's breakdown from the payment read model.
void ListSettlements(WalletContext& context, uint64_t merchant_id, Responder respond) {
  const uint64_t durable = Services(context).engine->stats().durable_seq;
  RunOnWorker(
      context,
      [&context, merchant_id, durable, respond]() {
        WaitForProjection(context, durable, int64_t{2} * kNsPerSecond);
        std::vector<SettlementRow> rows;
        Store& store = *Services(context).store;
        if (!store.ListSettlements(merchant_id, 100, &rows).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read settlements"));
        }
        api::JsonArrayWriter list;
        for (const SettlementRow& row : rows) {
          api::JsonObjectWriter json = SettlementJson(row);
          // The day's own takings (a settlement may also carry earlier days' remainders).
          PaymentFilter filter;
          filter.merchant_id = row.merchant_id;
          filter.from_ns = DayStartNs(row.business_day);
          filter.to_ns = filter.from_ns.value() + kNsPerDay;
          int64_t count = 0, gross = 0, fees = 0, refunded = 0;
          std::optional<uint64_t> cursor;
          for (int page_number = 0; page_number < 100; page_number++) {
            PaymentPage page;
            if (!store.ListPayments(filter, cursor, 1000, &page).ok()) break;
            for (const PaymentRow& p : page.payments) {
              if (p.state != static_cast<uint8_t>(payments::PaymentState::kCompleted)) continue;
              count++;
              gross += p.amount_fen;
              fees += p.fee_fen - p.fee_refunded_fen;
              refunded += p.refunded_fen;
            }
            if (!page.next_cursor) break;
            cursor = page.next_cursor;
          }
          api::JsonObjectWriter day;
          day.Int("payment_count", count)
              .Amount("gross", gross)
              .Amount("fees", fees)
              .Amount("refunds", refunded)
              .Amount("net", gross - fees - refunded);
          json.Object("day", std::move(day));
          list.Object(std::move(json));
        }
        api::JsonObjectWriter body;
        body.Array("settlements", std::move(list));
        respond(api::JsonResponse(200, body));
      },
      respond);
}

// --- Reconciliation ---

struct Totals {
  int64_t posted = 0;
  int64_t count = 0;
};

struct Reconciliation {
  std::map<uint16_t, Totals> by_code;
  int64_t customers = 0, merchants = 0, merchants_pending = 0, fee_income = 0, clearing = 0;
  int64_t total = 0;
  int64_t payments_completed = 0, payments_refunded = 0, payments_fees = 0;
  int64_t settlements_paid = 0, settlements_processing = 0;
  std::optional<std::string> ledger_problem;
};

void Reconcile(WalletContext& context, Responder respond) {
  auto r = std::make_shared<Reconciliation>();
  engine::Query query{[r](const engine::StateMachine& state) {
    const ledger::Ledger& ledger = state.ledger();
    r->ledger_problem = ledger.CheckInvariants();
    ledger.ForEachTransfer([&](const ledger::Transfer& t) {
      using namespace ledger::transfer_flags;
      // Posted money only: a hold moves nothing until its post, and a void never does.
      if ((t.flags & (kVoidPending | kPending)) != 0) return;
      Totals& totals = r->by_code[t.code];
      totals.posted += t.amount;
      totals.count++;
    });
    ledger.ForEachAccount([&](const ledger::Account& a) {
      const int64_t balance = a.CreditBalance();
      r->total += balance;
      switch (static_cast<ledger::AccountKind>(a.kind)) {
        case ledger::AccountKind::kCustomerWallet:
          r->customers += balance;
          break;
        case ledger::AccountKind::kMerchantSettlement:
          r->merchants += balance;
          r->merchants_pending += a.debits_pending;
          break;
        case ledger::AccountKind::kFeeIncome:
          r->fee_income += balance;
          break;
        case ledger::AccountKind::kBankClearing:
          r->clearing += balance;
          break;
        default:
          break;
      }
    });
    state.payments().ForEachPayment([&](const payments::Payment& p) {
      if (p.state != payments::PaymentState::kCompleted) return;
      r->payments_completed += p.amount_fen;
      r->payments_refunded += p.refunded_fen;
      r->payments_fees += p.fee_fen - p.fee_refunded_fen;
    });
    state.payments().ForEachSettlement([&](const payments::Settlement& s) {
      if (s.state == payments::SettlementState::kPaid) r->settlements_paid += s.amount_fen;
      if (s.state == payments::SettlementState::kProcessing) {
        r->settlements_processing += s.amount_fen;
      }
    });
  }};
  Services(context).engine->Submit(std::move(query), [r, respond](engine::Reply&& reply) {
    if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
    auto posted = [&r](uint16_t code) {
      auto it = r->by_code.find(code);
      return it == r->by_code.end() ? int64_t{0} : it->second.posted;
    };
    namespace codes = ledger::transfer_codes;
    const int64_t payments = posted(codes::kPayment), fees = posted(codes::kPaymentFee),
                  refunds = posted(codes::kRefund), fee_refunds = posted(codes::kRefundFee),
                  settled = posted(codes::kSettlement), top_ups = posted(codes::kTopUp),
                  withdrawals = posted(codes::kWithdrawal);
    api::JsonArrayWriter checks;
    bool all_ok = true;
    auto check = [&](std::string_view id, std::string_view name, int64_t expected, int64_t actual) {
      api::JsonObjectWriter json;
      json.String("id", id)
          .String("name", name)
          .Amount("expected", expected)
          .Amount("actual", actual)
          .Bool("ok", expected == actual);
      all_ok = all_ok && expected == actual;
      checks.Object(std::move(json));
    };
    check("merchant_balances", "merchants = payments - fees - refunds + fee refunds - settlements",
          payments - fees - refunds + fee_refunds - settled, r->merchants);
    check("fee_income", "fee income = fees - fee refunds", fees - fee_refunds, r->fee_income);
    check("customer_balances", "customers = top-ups - withdrawals - payments + refunds",
          top_ups - withdrawals - payments + refunds, r->customers);
    check("bank_clearing", "bank clearing = withdrawals + settlements - top-ups",
          withdrawals + settled - top_ups, r->clearing);
    check("sum_zero", "all balances sum to zero", 0, r->total);
    check("payment_records", "payment records = payments posted", r->payments_completed, payments);
    check("refund_records", "refund records = refunds posted", r->payments_refunded, refunds);
    check("fee_records", "fee records = fee income", r->payments_fees, r->fee_income);
    check("paid_settlements", "paid settlements = settlements posted", r->settlements_paid,
          settled);
    check("processing_settlements", "processing settlements = merchants' pending payouts",
          r->settlements_processing, r->merchants_pending);
    api::JsonObjectWriter movements;
    for (const auto& [code, totals] : r->by_code) {
      api::JsonObjectWriter json;
      json.Amount("posted", totals.posted).Int("count", totals.count);
      movements.Object(std::to_string(code), std::move(json));
    }
    api::JsonObjectWriter balances;
    balances.Amount("customers", r->customers)
        .Amount("merchants", r->merchants)
        .Amount("fee_income", r->fee_income)
        .Amount("bank_clearing", r->clearing);
    api::JsonObjectWriter body;
    body.Bool("ok", all_ok && !r->ledger_problem)
        .Array("checks", std::move(checks))
        .Object("balances", std::move(balances))
        .Object("movements_by_code", std::move(movements))
        .String("currency", "CNY");
    if (r->ledger_problem) {
      body.String("ledger_problem", *r->ledger_problem);
    } else {
      body.Null("ledger_problem");
    }
    respond(api::JsonResponse(200, body));
  });
}

// The daily run's clock (see MakeSettlementScheduler). Only its PeriodicTask calls Tick.
class SettlementScheduler {
 public:
  explicit SettlementScheduler(WalletContext& context) : context_(context) {}

  void Tick() {
    const WalletOptions& options = Services(context_).options;
    if (options.settlement_hour < 0) return;
    const int64_t now_ns = Services(context_).clock->NowNs();
    const int64_t today = ChinaDay(now_ns);
    if (now_ns - DayStartNs(today) < options.settlement_hour * kNsPerHour) return;
    const bool retry_due = retry_ && now_ns - last_run_ns_ >= kRetryAfterNs;
    if (settled_day_ == today && !retry_due) return;
    std::optional<SettlementRun> run = SettleDay(context_, today - 1, "scheduler");
    if (!run) return;  // The engine was busy: the next tick tries again.
    settled_day_ = today;
    last_run_ns_ = now_ns;
    // A payout the bank did not answer stays processing; the run is repeated until it is not.
    retry_ =
        std::any_of(run->settlements.begin(), run->settlements.end(), [](const SettlementRow& row) {
          return row.state == static_cast<uint8_t>(payments::SettlementState::kProcessing);
        });
  }

 private:
  static constexpr int64_t kNsPerHour = int64_t{3'600} * kNsPerSecond;
  static constexpr int64_t kRetryAfterNs = 10 * int64_t{60} * kNsPerSecond;

  WalletContext& context_;
  int64_t settled_day_ = -1;  // The China day whose run (for the day before) has been made.
  int64_t last_run_ns_ = 0;
  bool retry_ = false;
};

}  // namespace

std::function<void()> MakeSettlementScheduler(WalletContext& context) {
  auto scheduler = std::make_shared<SettlementScheduler>(context);
  return [scheduler] { scheduler->Tick(); };
}

void AddSettlementRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "POST", "/api/v1/staff/settlements/run",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  RunSettlement(*shared, staff, std::move(request), std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/settlements",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  ListSettlements(*shared, 0, std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/reconciliation",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  Reconcile(*shared, std::move(respond));
                });
  router.Add("GET", "/api/v1/merchant/settlements",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, false, true);
               if (caller) ListSettlements(*shared, caller->merchant_id, std::move(respond));
             });
}

}  // namespace qb::wallet
