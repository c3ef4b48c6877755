// The SQLite store's AML aggregate (store.h, Store::AggregateCustomerMovements): a day's money
// movements per customer, summed by SQLite in integer arithmetic (SUM fails with "integer
// overflow" rather than rounding), filtered by the thresholds before any row reaches C++.
//
// Transfers are found through transfers_aml_by_time, a partial index over the codes below (the
// query repeats its predicate word for word, as SQLite requires to use a partial index);
// payments through payments_by_time. One statement, so one snapshot of the read models, on the
// report connection (see OpenReportConnection).
#include <string>

#include "ledger/types.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace qb::sqlite {
namespace {

// Must match migration 10's index predicate exactly (store/sql_dialect.cc).
constexpr char kAmlCodes[] = "code IN (10, 20, 21, 32)";
static_assert(ledger::transfer_codes::kP2P == 10 && ledger::transfer_codes::kTopUp == 20 &&
              ledger::transfer_codes::kWithdrawal == 21 && ledger::transfer_codes::kRefund == 32);

// One side of the posted transfers in [?1, ?2) (not a hold, whose post counts instead, and not
// a void): the customer whose wallet is debited (out) or credited (in). Top-ups and withdrawals
// (codes 20 and 21) are the wallet's cash channel.
std::string Side(bool incoming) {
  return std::string("SELECT c.id AS customer, ") + (incoming ? "1" : "0") +
         " AS incoming, t.amount AS amount, (t.code IN (20, 21)) AS cash FROM transfers t JOIN "
         "customers c ON c.wallet_account_id = t." +
         (incoming ? "credit_account_id" : "debit_account_id") + " WHERE t." + kAmlCodes +
         " AND t.timestamp_ns >= ?1 AND t.timestamp_ns < ?2 AND (t.flags & " +
         std::to_string(ledger::transfer_flags::kPending | ledger::transfer_flags::kVoidPending) +
         ") = 0";
}

}  // namespace

Status SqliteStore::AggregateCustomerMovements(const MovementQuery& q, MovementReport* report) {
  *report = MovementReport();
  if (q.from_ns > q.to_ns || q.transfer_threshold_fen <= 0 || q.cash_threshold_fen <= 0 ||
      q.limit == 0) {
    return Status::InvalidArgument("movement query: from <= to, thresholds > 0, a limit");
  }
  const std::string moves =
      Side(false) + " UNION ALL " + Side(true) +
      " UNION ALL SELECT p.customer_id, 0, p.amount_fen, 0 FROM payments p WHERE p.created_ns >= "
      "?1 AND p.created_ns < ?2 AND p.state = ?3";
  const std::string sql =
      "SELECT m.customer, COALESCE(c.phone, ''), COALESCE(c.real_name_masked, ''), COUNT(*), "
      "SUM(CASE WHEN m.incoming = 1 THEN m.amount ELSE 0 END), "
      "SUM(CASE WHEN m.incoming = 0 THEN m.amount ELSE 0 END), SUM(m.cash), "
      "SUM(CASE WHEN m.cash = 1 AND m.incoming = 1 THEN m.amount ELSE 0 END), "
      "SUM(CASE WHEN m.cash = 1 AND m.incoming = 0 THEN m.amount ELSE 0 END) FROM (" +
      moves +
      ") m LEFT JOIN customers c ON c.id = m.customer GROUP BY m.customer "
      "HAVING SUM(m.amount) >= ?4 OR SUM(CASE WHEN m.cash = 1 THEN m.amount ELSE 0 END) >= ?5 "
      "ORDER BY m.customer LIMIT ?6";
  std::lock_guard lock(report_mutex_);
  if (Status s = OpenReportConnection(); !s.ok()) return s;
  Statement select;
  Status s = select.Prepare(report_db_.handle(), sql);
  if (!s.ok()) return s;
  select.BindInt64(1, q.from_ns);
  select.BindInt64(2, q.to_ns);
  select.BindInt64(3, q.payment_state);
  select.BindInt64(4, q.transfer_threshold_fen);
  select.BindInt64(5, q.cash_threshold_fen);
  select.BindU64(6, q.limit + 1);
  while (select.Step(&s)) {
    if (report->rows.size() == q.limit) {
      report->truncated = true;
      break;
    }
    CustomerMovementRow row;
    row.customer_id = select.ColumnU64(0);
    row.phone = std::string(select.ColumnText(1));
    row.real_name_masked = std::string(select.ColumnText(2));
    row.count = select.ColumnInt64(3);
    row.in_fen = select.ColumnInt64(4);
    row.out_fen = select.ColumnInt64(5);
    row.cash_count = select.ColumnInt64(6);
    row.cash_in_fen = select.ColumnInt64(7);
    row.cash_out_fen = select.ColumnInt64(8);
    report->rows.push_back(std::move(row));
  }
  return s;
}

}  // namespace qb::sqlite
