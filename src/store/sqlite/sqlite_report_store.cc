// The SQLite store's report aggregates (see store.h, "Reports"): a merchant's sales and a
// customer's spending, summed by SQLite so that no payment row crosses into C++. Integer
// arithmetic only: SUM over integers is exact and fails with "integer overflow" rather than
// rounding.
//
// Reports run on their own connection (see OpenReportConnection), each in one read
// transaction: its statements all see one snapshot of the read models, so its figures agree
// with each other, while the projector goes on writing.
#include <algorithm>
#include <string>

#include "store/sqlite/sqlite_store_internal.h"

namespace qb::sqlite {
namespace {

// The payments whose `key` (merchant_id or customer_id) is ?1, in state ?2, with created_ns in
// [?3, ?4). Found as ListPayments finds a time range: seq order is created_ns order, so the
// range's ends are looked up on payments_by_time and the scan walks the key's index
// (payments_by_merchant or payments_by_customer: key, seq) between them, touching only the
// key's rows in range. The created_ns terms are checked again on each row ('+' keeps the
// planner off the time index for the scan).
std::string PaymentsInRange(std::string_view key) {
  return std::string(" FROM payments WHERE ") + std::string(key) +
         " = ?1 AND state = ?2 AND +created_ns >= ?3 AND +created_ns < ?4 AND seq >= (SELECT "
         "seq FROM payments WHERE created_ns >= ?3 ORDER BY created_ns, seq LIMIT 1) AND seq < "
         "COALESCE((SELECT seq FROM payments WHERE created_ns >= ?4 ORDER BY created_ns, seq "
         "LIMIT 1), 9223372036854775807)";
}

// A read transaction: in WAL mode every statement in it sees the snapshot the first one saw.
// Declared before the statements, so that they are finalized before it ends.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database* db) : db_(db), status_(db->Exec("BEGIN")) {}
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot() {
    if (status_.ok()) db_->Exec("COMMIT");
  }
  const Status& status() const { return status_; }

 private:
  Database* db_;
  Status status_;
};

void BindRange(Statement* s, uint64_t key, uint8_t state, int64_t from_ns, int64_t to_ns) {
  s->BindU64(1, key);
  s->BindInt64(2, state);
  s->BindInt64(3, from_ns);
  s->BindInt64(4, to_ns);
}

}  // namespace

// The caller holds report_mutex_. The read-model connection has applied the migrations, so
// this one finds the schema current and changes nothing.
Status SqliteStore::OpenReportConnection() {
  if (report_db_open_) return Status::Ok();
  std::string path;
  {
    std::lock_guard lock(read_mutex_);
    const char* name = sqlite3_db_filename(read_db_.handle(), "main");
    if (name != nullptr) path = name;
  }
  if (path.empty()) return Status::IoError("the read model has no file to report from");
  Status s = report_db_.Open(path, "NORMAL", sql::ReadModelMigrations(sql::Dialect::kSqlite));
  report_db_open_ = s.ok();
  return s;
}

Status SqliteStore::AggregateMerchantSales(const SalesQuery& q, SalesReport* report) {
  *report = SalesReport();
  if (q.bucket_ns <= 0 || q.origin_ns > q.from_ns || q.from_ns > q.to_ns ||
      (static_cast<__int128>(q.to_ns) - q.origin_ns) / q.bucket_ns >=
          static_cast<__int128>(kMaxSalesBuckets)) {
    return Status::InvalidArgument("sales query: origin <= from <= to, at most " +
                                   std::to_string(kMaxSalesBuckets) + " buckets");
  }
  const std::string range = PaymentsInRange("merchant_id");
  std::lock_guard lock(report_mutex_);
  if (Status s = OpenReportConnection(); !s.ok()) return s;
  ReadSnapshot snapshot(&report_db_);
  if (!snapshot.status().ok()) return snapshot.status();
  Statement by_channel;
  Status s = by_channel.Prepare(report_db_.handle(),
                                "SELECT channel, COUNT(*), SUM(amount_fen), SUM(refunded_fen), "
                                "SUM(fee_fen - fee_refunded_fen)" +
                                    range + " GROUP BY channel ORDER BY channel");
  if (!s.ok()) return s;
  // How many customers paid, and how many of them twice or more.
  Statement customers;
  s = customers.Prepare(report_db_.handle(),
                        "SELECT COUNT(*), COALESCE(SUM(payments >= 2), 0) FROM (SELECT COUNT(*) "
                        "AS payments" +
                            range + " GROUP BY customer_id)");
  if (!s.ok()) return s;
  // One bucket at a time: SQLite groups by sorting, and many small sorts (a bucket's
  // payments) cost half of one large one (the range's) over a million payments.
  // (128-bit bounds: no bucket_ns can overflow them.)
  for (int64_t bucket = 0; bucket < static_cast<int64_t>(kMaxSalesBuckets); bucket++) {
    const __int128 start_ns = static_cast<__int128>(q.origin_ns) + __int128{bucket} * q.bucket_ns;
    if (start_ns >= q.to_ns) break;
    const int64_t from_ns = std::max(static_cast<int64_t>(start_ns), q.from_ns);
    const int64_t to_ns = static_cast<int64_t>(std::min<__int128>(start_ns + q.bucket_ns, q.to_ns));
    by_channel.Reset();
    BindRange(&by_channel, q.merchant_id, q.state, from_ns, to_ns);
    while (by_channel.Step(&s)) {
      report->channels.push_back(SalesChannelRow{
          bucket, static_cast<uint8_t>(by_channel.ColumnInt64(0)), by_channel.ColumnInt64(1),
          by_channel.ColumnInt64(2), by_channel.ColumnInt64(3), by_channel.ColumnInt64(4)});
    }
    if (!s.ok()) return s;
    customers.Reset();
    BindRange(&customers, q.merchant_id, q.state, from_ns, to_ns);
    if (customers.Step(&s) && customers.ColumnInt64(0) > 0) {
      report->customers.push_back(
          SalesCustomerRow{bucket, customers.ColumnInt64(0), customers.ColumnInt64(1)});
    }
    if (!s.ok()) return s;
  }
  customers.Reset();
  BindRange(&customers, q.merchant_id, q.state, q.from_ns, q.to_ns);
  if (customers.Step(&s)) {
    report->unique_customers = customers.ColumnInt64(0);
    report->repeat_customers = customers.ColumnInt64(1);
  }
  return s;
}

Status SqliteStore::AggregateCustomerSpending(const SpendingQuery& q, SpendingReport* report) {
  *report = SpendingReport();
  const std::vector<int64_t>& starts = q.period_starts_ns;
  if (starts.empty() || starts.size() > kMaxSpendingPeriods || starts.back() > q.to_ns) {
    return Status::InvalidArgument("spending query: 1 to " + std::to_string(kMaxSpendingPeriods) +
                                   " periods, starting before to_ns");
  }
  for (size_t i = 1; i < starts.size(); i++) {
    if (starts[i - 1] > starts[i]) return Status::InvalidArgument("spending query: unsorted");
  }
  const std::string range = PaymentsInRange("customer_id");
  // Net amounts of the counted payments; then each with its merchant's row, if there is one.
  const std::string net_payments = "(SELECT merchant_id, amount_fen - refunded_fen AS net" + range +
                                   " AND amount_fen - refunded_fen > 0)";
  std::lock_guard lock(report_mutex_);
  if (Status s = OpenReportConnection(); !s.ok()) return s;
  ReadSnapshot snapshot(&report_db_);
  if (!snapshot.status().ok()) return snapshot.status();
  Statement by_category;
  Status s = by_category.Prepare(
      report_db_.handle(),
      "SELECT COALESCE(m.category, ?5) AS category, SUM(p.net), COUNT(*) FROM " + net_payments +
          " p LEFT JOIN merchants m ON m.id = p.merchant_id GROUP BY category ORDER BY category");
  if (!s.ok()) return s;
  for (size_t period = 0; period < starts.size(); period++) {
    const int64_t end_ns = period + 1 < starts.size() ? starts[period + 1] : q.to_ns;
    by_category.Reset();
    BindRange(&by_category, q.customer_id, q.state, starts[period], end_ns);
    by_category.BindText(5, q.unknown_category);
    while (by_category.Step(&s)) {
      report->categories.push_back(
          SpendingCategoryRow{period, std::string(by_category.ColumnText(0)),
                              by_category.ColumnInt64(1), by_category.ColumnInt64(2)});
    }
    if (!s.ok()) return s;
  }
  if (q.top_merchant_limit == 0) return s;

  Statement top;
  s = top.Prepare(report_db_.handle(),
                  "SELECT p.merchant_id, COALESCE(m.legal_name, ''), p.net, p.payments FROM "
                  "(SELECT merchant_id, SUM(net) AS net, COUNT(*) AS payments FROM " +
                      net_payments +
                      " GROUP BY merchant_id) p LEFT JOIN merchants m ON m.id = p.merchant_id "
                      "ORDER BY p.net DESC, p.merchant_id LIMIT ?5");
  if (!s.ok()) return s;
  BindRange(&top, q.customer_id, q.state, starts.front(), q.to_ns);
  top.BindU64(5, q.top_merchant_limit);
  while (top.Step(&s)) {
    report->top_merchants.push_back(SpendingMerchantRow{
        top.ColumnU64(0), std::string(top.ColumnText(1)), top.ColumnInt64(2), top.ColumnInt64(3)});
  }
  return s;
}

// One pass over the window's payments on payments_by_time, grouped by customer first, so each
// customer's cells arrive together and only one customer's are held at a time. The China hour
// is UTC+8 (no daylight saving); created_ns is never negative.
Status SqliteStore::ForEachSpendingProfile(
    const SpendingProfileQuery& q,
    const std::function<void(uint64_t customer_id, std::span<const SpendingCellRow> cells)>&
        visit) {
  std::lock_guard lock(report_mutex_);
  if (Status s = OpenReportConnection(); !s.ok()) return s;
  ReadSnapshot snapshot(&report_db_);
  if (!snapshot.status().ok()) return snapshot.status();
  Statement select;
  Status s = select.Prepare(
      report_db_.handle(),
      "SELECT p.customer_id, COALESCE(m.category, ''), (p.created_ns / 1000000000 + 28800) / 3600 "
      "% 24 AS hour, p.merchant_id, SUM(p.amount_fen - p.refunded_fen), COUNT(*) FROM payments p "
      "LEFT JOIN merchants m ON m.id = p.merchant_id WHERE p.state = ?1 AND p.created_ns >= ?2 "
      "AND p.created_ns < ?3 AND p.amount_fen - p.refunded_fen > 0 GROUP BY p.customer_id, 2, "
      "hour, p.merchant_id ORDER BY p.customer_id");
  if (!s.ok()) return s;
  select.BindInt64(1, q.state);
  select.BindInt64(2, q.from_ns);
  select.BindInt64(3, q.to_ns);
  std::vector<SpendingCellRow> cells;
  uint64_t customer = 0;
  while (select.Step(&s)) {
    const uint64_t id = select.ColumnU64(0);
    if (id != customer && !cells.empty()) {
      visit(customer, cells);
      cells.clear();
    }
    customer = id;
    cells.push_back(SpendingCellRow{
        std::string(select.ColumnText(1)), static_cast<int32_t>(select.ColumnInt64(2)),
        select.ColumnU64(3), select.ColumnInt64(4), select.ColumnInt64(5)});
  }
  if (s.ok() && !cells.empty()) visit(customer, cells);
  return s;
}

}  // namespace qb::sqlite
