#include "store/sql_dialect.h"

#include <string>

namespace qb::sql {
namespace {

// Types that differ: SQLite stores 64-bit integers as INTEGER and blobs as BLOB; PostgreSQL
// needs BIGINT and BYTEA.
std::string Int64(Dialect d) { return d == Dialect::kSqlite ? "INTEGER" : "BIGINT"; }
std::string Blob(Dialect d) { return d == Dialect::kSqlite ? "BLOB" : "BYTEA"; }

}  // namespace

std::vector<Migration> JournalMigrations(Dialect d) {
  const std::string i64 = Int64(d);
  const std::string blob = Blob(d);
  return {
      {1, "CREATE TABLE journal (seq " + i64 + " PRIMARY KEY, bytes " + blob +
              " NOT NULL);"
              "CREATE TABLE checkpoints (seq " +
              i64 + " PRIMARY KEY, size_bytes " + i64 + " NOT NULL, chunk_count " + i64 +
              " NOT NULL);"
              "CREATE TABLE checkpoint_chunks (seq " +
              i64 + " NOT NULL, chunk " + i64 + " NOT NULL, bytes " + blob +
              " NOT NULL, PRIMARY KEY (seq, chunk));"},
  };
}

std::vector<Migration> ReadModelMigrations(Dialect d) {
  const std::string i64 = Int64(d);
  return {
      {1, "CREATE TABLE projector_state (id " + i64 + " PRIMARY KEY, seq " + i64 +
              " NOT NULL);"
              "INSERT INTO projector_state (id, seq) VALUES (1, 0);"
              "CREATE TABLE accounts (id " +
              i64 + " PRIMARY KEY, ledger " + i64 + " NOT NULL, kind " + i64 + " NOT NULL, flags " +
              i64 + " NOT NULL, user_data " + i64 + " NOT NULL, debits_pending " + i64 +
              " NOT NULL, debits_posted " + i64 + " NOT NULL, credits_pending " + i64 +
              " NOT NULL, credits_posted " + i64 + " NOT NULL, created_ns " + i64 +
              " NOT NULL);"
              "CREATE TABLE transfers (id " +
              i64 + " PRIMARY KEY, debit_account_id " + i64 + " NOT NULL, credit_account_id " +
              i64 + " NOT NULL, amount " + i64 + " NOT NULL, pending_id " + i64 +
              " NOT NULL, user_data " + i64 + " NOT NULL, timeout_s " + i64 + " NOT NULL, ledger " +
              i64 + " NOT NULL, code " + i64 + " NOT NULL, flags " + i64 +
              " NOT NULL, timestamp_ns " + i64 +
              " NOT NULL);"
              "CREATE INDEX transfers_by_debit ON transfers (debit_account_id, timestamp_ns);"
              "CREATE INDEX transfers_by_credit ON transfers (credit_account_id, timestamp_ns);"},
      // Customers, cards and memos for the history and staff search; holds resolved by
      // pending_id.
      {2, "CREATE TABLE customers (id " + i64 + " PRIMARY KEY, wallet_account_id " + i64 +
              " NOT NULL UNIQUE, phone TEXT NOT NULL, real_name_masked TEXT NOT NULL, "
              "resident_id_masked TEXT NOT NULL, tier " +
              i64 + " NOT NULL, channel TEXT NOT NULL, invite_code TEXT NOT NULL, registered_ns " +
              i64 +
              " NOT NULL);"
              "CREATE INDEX customers_by_phone ON customers (phone);"
              "CREATE TABLE cards (id " +
              i64 + " PRIMARY KEY, customer_id " + i64 +
              " NOT NULL, bank_code TEXT NOT NULL, first6 TEXT NOT NULL, last4 TEXT NOT NULL);"
              "CREATE TABLE transfer_memos (transfer_id " +
              i64 +
              " PRIMARY KEY, memo TEXT NOT NULL);"
              "CREATE INDEX transfers_by_pending ON transfers (pending_id) WHERE pending_id <> 0;"},
      // Merchants, orders, payments and refunds. A payment's seq is its position in projection
      // order (which is time order), given on first insert and kept by later upserts: lists
      // page by it, newest first.
      {3, "CREATE TABLE merchants (id " + i64 + " PRIMARY KEY, account_id " + i64 +
              " NOT NULL, legal_name TEXT NOT NULL, credit_code TEXT NOT NULL, category TEXT NOT "
              "NULL, fee_bps " +
              i64 + " NOT NULL, status " + i64 +
              " NOT NULL, settlement_bank_code TEXT NOT NULL, settlement_account_last4 TEXT NOT "
              "NULL, contact_phone TEXT NOT NULL, onboarded_by_staff_id " +
              i64 + " NOT NULL, created_ns " + i64 + " NOT NULL, status_changed_ns " + i64 +
              " NOT NULL);"
              "CREATE INDEX merchants_by_status ON merchants (status, id);"
              "CREATE TABLE orders (id " +
              i64 + " PRIMARY KEY, merchant_id " + i64 +
              " NOT NULL, merchant_order_no TEXT NOT NULL, amount_fen " + i64 +
              " NOT NULL, description TEXT NOT NULL, notify_url TEXT NOT NULL, return_url TEXT NOT "
              "NULL, created_ns " +
              i64 + " NOT NULL, expires_ns " + i64 + " NOT NULL, status " + i64 +
              " NOT NULL, payment_id " + i64 +
              " NOT NULL);"
              "CREATE INDEX orders_by_merchant ON orders (merchant_id, id);"
              "CREATE TABLE payments (id " +
              i64 + " PRIMARY KEY, seq " + i64 + " NOT NULL, merchant_id " + i64 +
              " NOT NULL, customer_id " + i64 + " NOT NULL, order_id " + i64 +
              " NOT NULL, channel " + i64 + " NOT NULL, state " + i64 + " NOT NULL, amount_fen " +
              i64 + " NOT NULL, fee_fen " + i64 + " NOT NULL, refunded_fen " + i64 +
              " NOT NULL, fee_refunded_fen " + i64 + " NOT NULL, created_ns " + i64 +
              " NOT NULL);"
              "CREATE UNIQUE INDEX payments_by_seq ON payments (seq);"
              "CREATE INDEX payments_by_merchant ON payments (merchant_id, seq);"
              "CREATE INDEX payments_by_customer ON payments (customer_id, seq);"
              "CREATE INDEX payments_by_time ON payments (created_ns, seq);"
              "CREATE TABLE refunds (id " +
              i64 + " PRIMARY KEY, payment_id " + i64 + " NOT NULL, merchant_id " + i64 +
              " NOT NULL, customer_id " + i64 + " NOT NULL, amount_fen " + i64 +
              " NOT NULL, fee_fen " + i64 + " NOT NULL, created_ns " + i64 +
              " NOT NULL);"
              "CREATE INDEX refunds_by_payment ON refunds (payment_id, created_ns, id);"},
      {4, "CREATE TABLE invoices (number TEXT PRIMARY KEY, payment_id " + i64 +
              " NOT NULL UNIQUE, merchant_id " + i64 + " NOT NULL, customer_id " + i64 +
              " NOT NULL, buyer_title TEXT NOT NULL, buyer_tax_id TEXT NOT NULL, seller_name TEXT "
              "NOT NULL, seller_tax_id TEXT NOT NULL, item_name TEXT NOT NULL, amount_fen " +
              i64 + " NOT NULL, tax_fen " + i64 + " NOT NULL, tax_rate_bp " + i64 +
              " NOT NULL, issued_ns " + i64 + " NOT NULL, issued_locally " + i64 + " NOT NULL);"},
      {5, "CREATE TABLE settlements (id " + i64 + " PRIMARY KEY, merchant_id " + i64 +
              " NOT NULL, business_day " + i64 + " NOT NULL, amount_fen " + i64 +
              " NOT NULL, created_ns " + i64 + " NOT NULL, state " + i64 +
              " NOT NULL);"
              "CREATE INDEX settlements_by_merchant ON settlements (merchant_id, business_day);"
              "CREATE INDEX settlements_by_day ON settlements (business_day);"},
      // The webhook outbox (kept by ResetReadModels; see store.h).
      {6, "CREATE TABLE webhook_deliveries (event_id TEXT PRIMARY KEY, merchant_id " + i64 +
              " NOT NULL, order_id " + i64 + " NOT NULL, payment_id " + i64 +
              " NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL, state " + i64 +
              " NOT NULL, attempts " + i64 + " NOT NULL, last_http_status " + i64 +
              " NOT NULL, last_error TEXT NOT NULL, next_attempt_ns " + i64 +
              " NOT NULL, created_ns " + i64 +
              " NOT NULL);"
              "CREATE INDEX webhook_deliveries_by_merchant ON webhook_deliveries (merchant_id, "
              "created_ns);"
              "CREATE INDEX webhook_deliveries_by_state ON webhook_deliveries (state, "
              "next_attempt_ns);"
              "CREATE TABLE webhook_attempts (event_id TEXT NOT NULL, attempt " +
              i64 + " NOT NULL, started_ns " + i64 + " NOT NULL, duration_ns " + i64 +
              " NOT NULL, http_status " + i64 + " NOT NULL, error TEXT NOT NULL, outcome " + i64 +
              " NOT NULL, next_attempt_ns " + i64 + " NOT NULL, PRIMARY KEY (event_id, attempt));"},
      // Red-letter invoices (红字发票), one per refund of an invoiced payment.
      {7,
       "CREATE TABLE credit_invoices (number TEXT PRIMARY KEY, refund_id " + i64 +
           " NOT NULL UNIQUE, payment_id " + i64 +
           " NOT NULL, original_number TEXT NOT NULL, merchant_id " + i64 +
           " NOT NULL, customer_id " + i64 + " NOT NULL, amount_fen " + i64 +
           " NOT NULL, tax_fen " + i64 + " NOT NULL, tax_rate_bp " + i64 + " NOT NULL, issued_ns " +
           i64 + " NOT NULL, issued_locally " + i64 +
           " NOT NULL);"
           "CREATE INDEX credit_invoices_by_payment ON credit_invoices (payment_id, issued_ns);"},
      // The audit log as the engine chained it: hashes in lower-case hex.
      {8, "CREATE TABLE audit_log (seq " + i64 + " PRIMARY KEY, time_ns " + i64 +
              " NOT NULL, actor_kind " + i64 + " NOT NULL, actor_id " + i64 +
              " NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, "
              "prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
              "CREATE INDEX audit_log_by_actor ON audit_log (actor_kind, actor_id, seq);"
              "CREATE INDEX audit_log_by_target ON audit_log (target, seq);"
              "CREATE INDEX audit_log_by_action ON audit_log (action, seq);"},
      // Account closure (PIPL): when the customer closed the wallet, 0 while open.
      {9, "ALTER TABLE customers ADD COLUMN closed_ns " + i64 + " NOT NULL DEFAULT 0;"},
      // AML reports (issue 7): a day's P2P transfers, posted top-ups and withdrawals and
      // refunds by time. Partial, so that payments (code 30, the hot path; the AML report reads
      // them from payments_by_time) add no index entry. The codes are ledger::transfer_codes and
      // must stay the same as the report query's (SqliteStore::AggregateCustomerMovements).
      {10,
       "CREATE INDEX transfers_aml_by_time ON transfers (timestamp_ns) WHERE code IN (10, "
       "20, 21, 32);"},
      // Offer pushes and the message inbox (engine/offer_command.h). A customer holds one
      // message per push and per campaign; seq orders an inbox.
      {11, "CREATE TABLE offer_pushes (id " + i64 + " PRIMARY KEY, campaign_id " + i64 +
               " NOT NULL, staff_id " + i64 +
               " NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, audience TEXT NOT NULL, "
               "created_ns " +
               i64 +
               " NOT NULL);"
               "CREATE INDEX offer_pushes_by_campaign ON offer_pushes (campaign_id, created_ns);"
               "CREATE TABLE inbox_messages (seq " +
               i64 + " PRIMARY KEY, customer_id " + i64 + " NOT NULL, push_id " + i64 +
               " NOT NULL, campaign_id " + i64 + " NOT NULL, created_ns " + i64 +
               " NOT NULL, read_ns " + i64 +
               " NOT NULL DEFAULT 0, UNIQUE (customer_id, push_id), UNIQUE (customer_id, "
               "campaign_id));"
               "CREATE INDEX inbox_messages_by_customer ON inbox_messages (customer_id, seq);"
               "CREATE INDEX inbox_messages_by_push ON inbox_messages (push_id, read_ns);"},
  };
}

}  // namespace qb::sql
