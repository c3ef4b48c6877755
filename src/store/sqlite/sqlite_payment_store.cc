// The SQLite store's payment read models: merchants, orders, payments, refunds, invoices and
// settlements (see sqlite_store_internal.h).
#include <algorithm>
#include <string>

#include "store/sqlite/payment_rows.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace qb::sqlite {

Status SqliteStore::PreparePaymentStatements() {
  using sqlite::kMerchantColumns, sqlite::kOrderColumns, sqlite::kPaymentColumns,
      sqlite::kRefundColumns;
  Status s = upsert_merchant_.Prepare(
      read_db_.handle(),
      std::string("INSERT INTO merchants (") + kMerchantColumns +
          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (id) DO "
          "UPDATE SET account_id = excluded.account_id, legal_name = excluded.legal_name, "
          "credit_code = excluded.credit_code, category = excluded.category, fee_bps = "
          "excluded.fee_bps, status = excluded.status, settlement_bank_code = "
          "excluded.settlement_bank_code, settlement_account_last4 = "
          "excluded.settlement_account_last4, contact_phone = excluded.contact_phone, "
          "onboarded_by_staff_id = excluded.onboarded_by_staff_id, created_ns = "
          "excluded.created_ns, status_changed_ns = excluded.status_changed_ns");
  if (s.ok()) {
    s = upsert_order_.Prepare(
        read_db_.handle(),
        std::string("INSERT INTO orders (") + kOrderColumns +
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (id) DO UPDATE "
            "SET merchant_id = excluded.merchant_id, merchant_order_no = "
            "excluded.merchant_order_no, amount_fen = excluded.amount_fen, description = "
            "excluded.description, notify_url = excluded.notify_url, return_url = "
            "excluded.return_url, created_ns = excluded.created_ns, expires_ns = "
            "excluded.expires_ns, status = excluded.status, payment_id = excluded.payment_id");
  }
  if (s.ok()) {
    s = update_order_state_.Prepare(read_db_.handle(),
                                    "UPDATE orders SET status = ?2, payment_id = ?3 WHERE id = ?1");
  }
  if (s.ok()) {
    // MAX(seq) is one step down the payments_by_seq index.
    s = upsert_payment_.Prepare(
        read_db_.handle(),
        std::string("INSERT INTO payments (seq, ") + kPaymentColumns +
            ") VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM payments), ?1, ?2, ?3, ?4, ?5, ?6, "
            "?7, ?8, ?9, ?10, ?11) ON CONFLICT (id) DO UPDATE SET merchant_id = "
            "excluded.merchant_id, customer_id = excluded.customer_id, order_id = "
            "excluded.order_id, channel = excluded.channel, state = excluded.state, amount_fen = "
            "excluded.amount_fen, fee_fen = excluded.fee_fen, refunded_fen = "
            "excluded.refunded_fen, fee_refunded_fen = excluded.fee_refunded_fen, created_ns = "
            "excluded.created_ns");
  }
  if (s.ok()) {
    s = insert_refund_.Prepare(read_db_.handle(), std::string("INSERT OR IGNORE INTO refunds (") +
                                                      kRefundColumns +
                                                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  }
  if (s.ok()) {
    s = insert_invoice_.Prepare(read_db_.handle(),
                                std::string("INSERT OR IGNORE INTO invoices (") +
                                    sqlite::kInvoiceColumns +
                                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                    "?13, ?14)");
  }
  if (s.ok()) {
    s = insert_credit_invoice_.Prepare(
        read_db_.handle(), std::string("INSERT OR IGNORE INTO credit_invoices (") +
                               sqlite::kCreditInvoiceColumns +
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  }
  if (s.ok()) {
    // The paying payment's row is written first (ApplyPaymentRows), so its time is there. A
    // payment awaiting the customer's confirmation owes no notice until it completes
    // (state 1, payments::PaymentState::kCompleted); it is projected again then.
    s = insert_webhook_delivery_.Prepare(
        read_db_.handle(),
        "INSERT OR IGNORE INTO webhook_deliveries (event_id, merchant_id, order_id, payment_id, "
        "url, body, state, attempts, last_http_status, last_error, next_attempt_ns, created_ns) "
        "SELECT ?3, o.merchant_id, o.id, p.id, o.notify_url, '', 0, 0, 0, '', 0, "
        "p.created_ns FROM orders o JOIN payments p ON p.id = ?2 AND p.state = 1 WHERE o.id = ?1 "
        "AND o.notify_url <> ''");
  }
  if (s.ok()) {
    s = upsert_settlement_.Prepare(
        read_db_.handle(),
        "INSERT INTO settlements (id, merchant_id, business_day, amount_fen, created_ns, state) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET state = excluded.state");
  }
  return s;
}

Status SqliteStore::ApplyPaymentRows(const Projection& p) {
  for (const MerchantRow& m : p.merchants) {
    sqlite::BindMerchant(&upsert_merchant_, m);
    if (Status s = upsert_merchant_.Run(); !s.ok()) return s;
  }
  for (const OrderRow& o : p.orders) {
    sqlite::BindOrder(&upsert_order_, o);
    if (Status s = upsert_order_.Run(); !s.ok()) return s;
  }
  // After the upserts: an order created and paid in the same batches arrives in both.
  for (const Projection::OrderState& o : p.order_states) {
    update_order_state_.BindU64(1, o.id);
    update_order_state_.BindInt64(2, o.status);
    update_order_state_.BindU64(3, o.payment_id);
    if (Status s = update_order_state_.Run(); !s.ok()) return s;
  }
  // New payments take their seq in time order, whatever order the projection lists them in;
  // the sort is stable, so of two states of one payment the later listed still wins.
  std::vector<const PaymentRow*> payments;
  payments.reserve(p.payments.size());
  for (const PaymentRow& payment : p.payments) payments.push_back(&payment);
  std::stable_sort(payments.begin(), payments.end(), [](const PaymentRow* a, const PaymentRow* b) {
    return a->created_ns < b->created_ns;
  });
  for (const PaymentRow* payment : payments) {
    sqlite::BindPayment(&upsert_payment_, *payment);
    if (Status s = upsert_payment_.Run(); !s.ok()) return s;
  }
  // The notices the paid orders owe, in the same transaction (see WebhookDeliveryRow).
  for (const Projection::OrderState& o : p.order_states) {
    if (o.payment_id == 0) continue;
    insert_webhook_delivery_.BindU64(1, o.id);
    insert_webhook_delivery_.BindU64(2, o.payment_id);
    // Ids are unsigned 64-bit: SQL would print the stored (signed) integer.
    insert_webhook_delivery_.BindText(3, "evt_" + std::to_string(o.payment_id));
    if (Status s = insert_webhook_delivery_.Run(); !s.ok()) return s;
  }
  for (const RefundRow& r : p.refunds) {
    sqlite::BindRefund(&insert_refund_, r);
    if (Status s = insert_refund_.Run(); !s.ok()) return s;
  }
  for (const InvoiceRow& r : p.invoices) {
    sqlite::BindInvoice(&insert_invoice_, r);
    if (Status s = insert_invoice_.Run(); !s.ok()) return s;
  }
  for (const CreditInvoiceRow& r : p.credit_invoices) {
    sqlite::BindCreditInvoice(&insert_credit_invoice_, r);
    if (Status s = insert_credit_invoice_.Run(); !s.ok()) return s;
  }
  for (const SettlementRow& r : p.settlements) {
    upsert_settlement_.BindU64(1, r.id);
    upsert_settlement_.BindU64(2, r.merchant_id);
    upsert_settlement_.BindInt64(3, r.business_day);
    upsert_settlement_.BindInt64(4, r.amount_fen);
    upsert_settlement_.BindInt64(5, r.created_ns);
    upsert_settlement_.BindInt64(6, r.state);
    if (Status s = upsert_settlement_.Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

Status SqliteStore::ReadMerchant(uint64_t id, std::optional<MerchantRow>* merchant) {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + sqlite::kMerchantColumns +
                                                   " FROM merchants WHERE id = ?1");
  if (!s.ok()) return s;
  select.BindU64(1, id);
  merchant->reset();
  if (select.Step(&s)) *merchant = sqlite::ReadMerchantRow(select, 0);
  return s;
}

Status SqliteStore::ListMerchants(uint8_t status, std::optional<uint64_t> before_id, size_t limit,
                                  std::vector<MerchantRow>* merchants,
                                  std::optional<uint64_t>* next_cursor) {
  merchants->clear();
  next_cursor->reset();
  const uint64_t below = before_id.value_or(INT64_MAX);
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + sqlite::kMerchantColumns +
                                                   " FROM merchants WHERE id < ?1" +
                                                   (status != 0 ? " AND status = ?2" : "") +
                                                   " ORDER BY id DESC LIMIT ?3");
  if (!s.ok()) return s;
  select.BindU64(1, below);
  if (status != 0) select.BindInt64(2, status);
  select.BindU64(3, limit + 1);
  while (select.Step(&s)) merchants->push_back(sqlite::ReadMerchantRow(select, 0));
  if (merchants->size() > limit) {
    merchants->pop_back();
    *next_cursor = merchants->empty() ? below : merchants->back().id;
  }
  return s;
}

Status SqliteStore::ReadOrder(uint64_t id, std::optional<OrderRow>* order) {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + sqlite::kOrderColumns +
                                                   " FROM orders WHERE id = ?1");
  if (!s.ok()) return s;
  select.BindU64(1, id);
  order->reset();
  if (select.Step(&s)) *order = sqlite::ReadOrderRow(select);
  return s;
}

Status SqliteStore::ListOrders(uint64_t merchant_id, std::optional<uint64_t> before_id,
                               size_t limit, std::vector<OrderRow>* orders,
                               std::optional<uint64_t>* next_cursor) {
  orders->clear();
  next_cursor->reset();
  const uint64_t below = before_id.value_or(INT64_MAX);
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s =
      select.Prepare(read_db_.handle(), std::string("SELECT ") + sqlite::kOrderColumns +
                                            " FROM orders WHERE merchant_id = ?1 AND id < ?2 "
                                            "ORDER BY id DESC LIMIT ?3");
  if (!s.ok()) return s;
  select.BindU64(1, merchant_id);
  select.BindU64(2, below);
  select.BindU64(3, limit + 1);
  while (select.Step(&s)) orders->push_back(sqlite::ReadOrderRow(select));
  if (orders->size() > limit) {
    orders->pop_back();
    *next_cursor = orders->empty() ? below : orders->back().id;
  }
  return s;
}

Status SqliteStore::ReadPayment(uint64_t id, std::optional<PaymentRow>* payment) {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + sqlite::kPaymentColumns +
                                                   " FROM payments WHERE id = ?1");
  if (!s.ok()) return s;
  select.BindU64(1, id);
  payment->reset();
  if (select.Step(&s)) *payment = sqlite::ReadPaymentRow(select);
  return s;
}

// Pages by seq, newest first; the cursor is the last seq served. Payments are projected in
// time order, so seq order is created_ns order and a time range is a seq range: its ends are
// found on payments_by_time, and the scan then walks payments_by_merchant, payments_by_customer
// or payments_by_seq from the cursor, touching only rows it serves. The created_ns terms are
// checked again on each row (the '+' keeps the planner off the time index for the scan), so a
// row outside the range is never served.
Status SqliteStore::ListPayments(const PaymentFilter& filter, std::optional<uint64_t> cursor,
                                 size_t limit, PaymentPage* page) {
  page->payments.clear();
  page->next_cursor.reset();
  const uint64_t below = std::min<uint64_t>(cursor.value_or(INT64_MAX), INT64_MAX);
  std::string where = " WHERE seq < ?1";
  if (filter.merchant_id) where += " AND merchant_id = ?2";
  if (filter.customer_id) where += " AND customer_id = ?3";
  if (filter.from_ns) {
    where +=
        " AND +created_ns >= ?4 AND seq >= (SELECT seq FROM payments WHERE created_ns >= ?4 "
        "ORDER BY created_ns, seq LIMIT 1)";
  }
  if (filter.to_ns) {
    where +=
        " AND +created_ns < ?5 AND seq < COALESCE((SELECT seq FROM payments WHERE created_ns "
        ">= ?5 ORDER BY created_ns, seq LIMIT 1), ?1)";
  }
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + sqlite::kPaymentColumns +
                                                   ", seq FROM payments" + where +
                                                   " ORDER BY seq DESC LIMIT ?6");
  if (!s.ok()) return s;
  select.BindU64(1, below);
  if (filter.merchant_id) select.BindU64(2, *filter.merchant_id);
  if (filter.customer_id) select.BindU64(3, *filter.customer_id);
  if (filter.from_ns) select.BindInt64(4, *filter.from_ns);
  if (filter.to_ns) select.BindInt64(5, *filter.to_ns);
  select.BindU64(6, limit + 1);
  uint64_t last_seq = below;
  while (select.Step(&s)) {
    if (page->payments.size() == limit) {
      page->next_cursor = last_seq;  // A row beyond the limit: there are more.
      break;
    }
    page->payments.push_back(sqlite::ReadPaymentRow(select));
    last_seq = select.ColumnU64(11);
  }
  return s;
}

Status SqliteStore::ListRefunds(uint64_t payment_id, std::vector<RefundRow>* refunds) {
  refunds->clear();
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            std::string("SELECT ") + sqlite::kRefundColumns +
                                " FROM refunds WHERE payment_id = ?1 ORDER BY created_ns, id");
  if (!s.ok()) return s;
  select.BindU64(1, payment_id);
  while (select.Step(&s)) refunds->push_back(sqlite::ReadRefundRow(select));
  return s;
}

Status SqliteStore::ReadInvoiceOfPayment(uint64_t payment_id, std::optional<InvoiceRow>* invoice) {
  invoice->reset();
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + sqlite::kInvoiceColumns +
                                                   " FROM invoices WHERE payment_id = ?1");
  if (!s.ok()) return s;
  select.BindU64(1, payment_id);
  if (select.Step(&s)) *invoice = sqlite::ReadInvoiceRow(select);
  return s;
}

Status SqliteStore::ReadInvoice(std::string_view number, std::optional<InvoiceRow>* invoice) {
  invoice->reset();
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + sqlite::kInvoiceColumns +
                                                   " FROM invoices WHERE number = ?1");
  if (!s.ok()) return s;
  select.BindText(1, number);
  if (select.Step(&s)) *invoice = sqlite::ReadInvoiceRow(select);
  return s;
}

Status SqliteStore::ListCreditInvoices(uint64_t payment_id,
                                       std::vector<CreditInvoiceRow>* invoices) {
  invoices->clear();
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            std::string("SELECT ") + sqlite::kCreditInvoiceColumns +
                                " FROM credit_invoices WHERE payment_id = ?1 ORDER BY issued_ns, "
                                "number");
  if (!s.ok()) return s;
  select.BindU64(1, payment_id);
  while (select.Step(&s)) invoices->push_back(sqlite::ReadCreditInvoiceRow(select));
  return s;
}

Status SqliteStore::ReadCreditInvoice(std::string_view number,
                                      std::optional<CreditInvoiceRow>* invoice) {
  invoice->reset();
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s =
      select.Prepare(read_db_.handle(), std::string("SELECT ") + sqlite::kCreditInvoiceColumns +
                                            " FROM credit_invoices WHERE number = ?1");
  if (!s.ok()) return s;
  select.BindText(1, number);
  if (select.Step(&s)) *invoice = sqlite::ReadCreditInvoiceRow(select);
  return s;
}

Status SqliteStore::ListRefundsOwingCreditInvoice(size_t limit, std::vector<RefundRow>* refunds) {
  refunds->clear();
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  // The blue invoice states the payment less the refunds made before it was asked for, so
  // those owe nothing: a refund owes a red invoice when the refunds before it (in the order
  // they were made) already add up to payment - blue. Comparing amounts, not times, stays exact
  // when a refund lands while the blue invoice is being issued.
  Status s = select.Prepare(
      read_db_.handle(),
      "SELECT r.id, r.payment_id, r.merchant_id, r.customer_id, r.amount_fen, r.fee_fen, "
      "r.created_ns FROM (SELECT *, COALESCE(SUM(amount_fen) OVER (PARTITION BY payment_id "
      "ORDER BY created_ns, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS "
      "before_fen FROM refunds WHERE payment_id IN (SELECT payment_id FROM invoices)) r "
      "JOIN invoices i ON i.payment_id = r.payment_id JOIN payments p ON p.id = r.payment_id "
      "WHERE r.before_fen >= p.amount_fen - i.amount_fen AND NOT EXISTS (SELECT 1 FROM "
      "credit_invoices c WHERE c.refund_id = r.id) ORDER BY r.created_ns, r.id LIMIT ?1");
  if (!s.ok()) return s;
  select.BindInt64(1, static_cast<int64_t>(limit));
  while (select.Step(&s)) refunds->push_back(sqlite::ReadRefundRow(select));
  return s;
}

Status SqliteStore::ListSettlements(uint64_t merchant_id, size_t limit,
                                    std::vector<SettlementRow>* settlements) {
  settlements->clear();
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(
      read_db_.handle(),
      "SELECT id, merchant_id, business_day, amount_fen, created_ns, state FROM settlements "
      "WHERE ?1 = 0 OR merchant_id = ?1 ORDER BY business_day DESC, id DESC LIMIT ?2");
  if (!s.ok()) return s;
  select.BindU64(1, merchant_id);
  select.BindInt64(2, static_cast<int64_t>(limit));
  while (select.Step(&s)) {
    settlements->push_back(SettlementRow{
        select.ColumnU64(0), select.ColumnU64(1), select.ColumnInt64(2), select.ColumnInt64(3),
        select.ColumnInt64(4), static_cast<uint8_t>(select.ColumnInt64(5))});
  }
  return s;
}

// A payment counts while the campaign's rewards for it exceed what refunds took back: sums of
// the discount and cashback transfers out of the budget (codes 42 and 43) less the reversals
// into it (44 and 45), all linked to the payment by user_data. Holds and voids (flags 2 and 8)
// are left out: held cashback counts once released, when its post moves the money.
static_assert(ledger::transfer_codes::kCampaignDiscount == 42 &&
              ledger::transfer_codes::kCashback == 43 &&
              ledger::transfer_codes::kDiscountReversal == 44 &&
              ledger::transfer_codes::kCashbackReversal == 45);
static_assert((ledger::transfer_flags::kPending | ledger::transfer_flags::kVoidPending) == 10);
Status SqliteStore::CountRewardedCustomers(uint64_t budget_account_id, int64_t* customers) {
  *customers = 0;
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(
      read_db_.handle(),
      "SELECT COUNT(DISTINCT p.customer_id) FROM payments p JOIN (SELECT user_data AS payment_id, "
      "SUM(CASE WHEN debit_account_id = ?1 THEN amount ELSE -amount END) AS net FROM transfers "
      "WHERE ((debit_account_id = ?1 AND code IN (42, 43)) OR (credit_account_id = ?1 AND code "
      "IN (44, 45))) AND (flags & 10) = 0 GROUP BY user_data) r ON r.payment_id = p.id WHERE "
      "r.net > 0");
  if (!s.ok()) return s;
  select.BindU64(1, budget_account_id);
  if (select.Step(&s)) *customers = select.ColumnInt64(0);
  return s;
}

}  // namespace qb::sqlite
