// The SQLite store's class, shared by the files that implement it: sqlite_store.cc (opening,
// journal, checkpoints, projection, accounts, history, customers), sqlite_payment_store.cc
// (merchants, orders, payments, refunds, invoices, settlements) and sqlite_report_store.cc
// (report aggregates). Private to the SQLite store.
#pragma once

#include <mutex>
#include <string>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace qb::sqlite {

// Keeps a transaction open until Commit(); rolls back otherwise.
class Transaction {
 public:
  explicit Transaction(sqlite::Database* db) : db_(db) { status_ = db_->Exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (status_.ok() && !committed_) db_->Exec("ROLLBACK");
  }
  const Status& status() const { return status_; }
  Status Commit() {
    Status status = db_->Exec("COMMIT");
    committed_ = status.ok();
    return status;
  }

 private:
  sqlite::Database* db_;
  Status status_;
  bool committed_ = false;
};

class SqliteStore final : public Store {
 public:
  Status Open(const std::string& data_dir);

  Status AppendJournal(std::span<const JournalRecord> records) override;
  Status ReadJournal(uint64_t from_seq,
                     const std::function<bool(uint64_t, std::string_view)>& visit) override;
  Status TruncateJournal(uint64_t from_seq) override;
  Status LastJournalSeq(uint64_t* seq) override;
  Status WriteCheckpoint(uint64_t seq, std::string_view state_bytes) override;
  Status ListCheckpoints(size_t limit, std::vector<uint64_t>* seqs) override;
  Status ReadCheckpoint(uint64_t seq, CheckpointInfo* checkpoint) override;
  Status ApplyProjection(const Projection& projection) override;
  Status ProjectedSeq(uint64_t* seq) override;
  Status ResetReadModels() override;
  Status ReadAccount(uint64_t id, std::optional<ledger::Account>* account) override;
  Status ListAccountTransfers(uint64_t account_id, std::optional<int64_t> before_ns, size_t limit,
                              TransferPage* page) override;
  Status CountReadModel(uint64_t* accounts, uint64_t* transfers) override;
  Status ForEachProjectedAccount(const std::function<void(const ledger::Account&)>& visit) override;
  Status ListHistory(uint64_t account_id, const HistoryFilter& filter,
                     std::optional<int64_t> before_ns, size_t limit, HistoryPage* page) override;
  Status SearchCustomers(std::string_view phone_prefix, std::optional<uint64_t> before_id,
                         size_t limit, CustomerPage* page) override;
  Status ReadCustomer(uint64_t id, std::optional<CustomerRow>* customer) override;
  Status ReadMerchant(uint64_t id, std::optional<MerchantRow>* merchant) override;
  Status ListMerchants(uint8_t status, std::optional<uint64_t> before_id, size_t limit,
                       std::vector<MerchantRow>* merchants,
                       std::optional<uint64_t>* next_cursor) override;
  Status ReadOrder(uint64_t id, std::optional<OrderRow>* order) override;
  Status ListOrders(uint64_t merchant_id, std::optional<uint64_t> before_id, size_t limit,
                    std::vector<OrderRow>* orders, std::optional<uint64_t>* next_cursor) override;
  Status ReadPayment(uint64_t id, std::optional<PaymentRow>* payment) override;
  Status ListPayments(const PaymentFilter& filter, std::optional<uint64_t> cursor, size_t limit,
                      PaymentPage* page) override;
  Status ListRefunds(uint64_t payment_id, std::vector<RefundRow>* refunds) override;
  Status ReadInvoiceOfPayment(uint64_t payment_id, std::optional<InvoiceRow>* invoice) override;
  Status ReadInvoice(std::string_view number, std::optional<InvoiceRow>* invoice) override;
  Status ListCreditInvoices(uint64_t payment_id, std::vector<CreditInvoiceRow>* invoices) override;
  Status ReadCreditInvoice(std::string_view number,
                           std::optional<CreditInvoiceRow>* invoice) override;
  Status ListRefundsOwingCreditInvoice(size_t limit, std::vector<RefundRow>* refunds) override;
  Status ListSettlements(uint64_t merchant_id, size_t limit,
                         std::vector<SettlementRow>* settlements) override;
  // Report aggregates: sqlite_report_store.cc.
  Status AggregateMerchantSales(const SalesQuery& query, SalesReport* report) override;
  Status AggregateCustomerSpending(const SpendingQuery& query, SpendingReport* report) override;
  Status AggregateCustomerMovements(const MovementQuery& query, MovementReport* report) override;
  Status CountRewardedCustomers(uint64_t budget_account_id, int64_t* customers) override;
  Status ListInbox(uint64_t customer_id, std::optional<uint64_t> before, size_t limit,
                   InboxPage* page) override;
  Status HasInboxMessage(uint64_t customer_id, uint64_t push_id, bool* found) override;
  Status ListOfferPushes(uint64_t campaign_id, std::vector<OfferPushRow>* pushes) override;
  Status ListOfferRecipients(uint64_t campaign_id, std::vector<uint64_t>* customers) override;
  Status ForEachSpendingProfile(
      const SpendingProfileQuery& query,
      const std::function<void(uint64_t customer_id, std::span<const SpendingCellRow> cells)>&
          visit) override;
  // The webhook outbox: sqlite_webhook_store.cc.
  Status ListWebhookDeliveries(uint64_t merchant_id, size_t limit,
                               std::vector<WebhookDeliveryRow>* deliveries) override;
  Status ReadWebhookDelivery(std::string_view event_id,
                             std::optional<WebhookDeliveryRow>* delivery) override;
  Status ListPendingWebhookDeliveries(size_t limit,
                                      std::vector<WebhookDeliveryRow>* deliveries) override;
  Status FixWebhookBody(std::string_view event_id, std::string* body) override;
  Status RecordWebhookAttempt(const WebhookAttemptRow& attempt) override;
  Status AbandonWebhookDelivery(std::string_view event_id, std::string_view reason) override;
  Status ListWebhookAttempts(std::string_view event_id,
                             std::vector<WebhookAttemptRow>* attempts) override;
  // The audit log: sqlite_audit_store.cc.
  Status ListAuditEntries(const AuditFilter& filter, std::optional<uint64_t> before_seq,
                          size_t limit, AuditPage* page) override;
  Status ReadAuditEntries(uint64_t from_seq, size_t limit,
                          std::vector<audit::AuditEntry>* entries) override;

 private:
  // Reports read readmodel.db on a connection of their own, opened on first use and used
  // under report_mutex_: in WAL mode a report's snapshot neither blocks nor waits for the
  // projector and the other read-model queries, however long it takes.
  Status OpenReportConnection();
  std::mutex report_mutex_;
  sqlite::Database report_db_;
  bool report_db_open_ = false;

  Status PreparePaymentStatements();
  // Writes the merchant, order, payment and refund rows; the caller holds the transaction.
  Status ApplyPaymentRows(const Projection& p);
  // Inserts the audit rows; the caller holds the transaction.
  Status ApplyAuditRows(const Projection& p);
  // sqlite_inbox_store.cc: the offer deliveries and inbox reads.
  Status ApplyInboxRows(const Projection& p);

  std::mutex journal_mutex_;
  sqlite::Database journal_db_;
  sqlite::Statement insert_record_;

  std::mutex read_mutex_;
  sqlite::Database read_db_;
  sqlite::Statement upsert_account_;
  sqlite::Statement insert_transfer_;
  sqlite::Statement set_projected_seq_;
  sqlite::Statement upsert_customer_;
  sqlite::Statement insert_card_;
  sqlite::Statement insert_memo_;
  sqlite::Statement upsert_merchant_;
  sqlite::Statement upsert_order_;
  sqlite::Statement update_order_state_;
  sqlite::Statement upsert_payment_;
  sqlite::Statement insert_refund_;
  sqlite::Statement insert_invoice_;
  sqlite::Statement insert_credit_invoice_;
  sqlite::Statement upsert_settlement_;
  sqlite::Statement insert_webhook_delivery_;
};

}  // namespace qb::sqlite
