// A Store that passes every call to another one: the base of the test decorators that hold,
// fail or tear some calls and forward the rest.
#pragma once

#include <memory>

#include "store/store.h"

namespace qb::testing {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}
  Store* inner() { return inner_.get(); }

  Status AppendJournal(std::span<const JournalRecord> records) override {
    return inner_->AppendJournal(records);
  }
  Status ReadJournal(uint64_t from_seq,
                     const std::function<bool(uint64_t, std::string_view)>& visit) override {
    return inner_->ReadJournal(from_seq, visit);
  }
  Status TruncateJournal(uint64_t from_seq) override { return inner_->TruncateJournal(from_seq); }
  Status LastJournalSeq(uint64_t* seq) override { return inner_->LastJournalSeq(seq); }
  Status WriteCheckpoint(uint64_t seq, std::string_view state_bytes) override {
    return inner_->WriteCheckpoint(seq, state_bytes);
  }
  Status ListCheckpoints(size_t limit, std::vector<uint64_t>* seqs) override {
    return inner_->ListCheckpoints(limit, seqs);
  }
  Status ReadCheckpoint(uint64_t seq, CheckpointInfo* checkpoint) override {
    return inner_->ReadCheckpoint(seq, checkpoint);
  }
  Status ApplyProjection(const Projection& projection) override {
    return inner_->ApplyProjection(projection);
  }
  Status ProjectedSeq(uint64_t* seq) override { return inner_->ProjectedSeq(seq); }
  Status ResetReadModels() override { return inner_->ResetReadModels(); }
  Status ReadAccount(uint64_t id, std::optional<ledger::Account>* account) override {
    return inner_->ReadAccount(id, account);
  }
  Status ListAccountTransfers(uint64_t account_id, std::optional<int64_t> before_ns, size_t limit,
                              TransferPage* page) override {
    return inner_->ListAccountTransfers(account_id, before_ns, limit, page);
  }
  Status CountReadModel(uint64_t* accounts, uint64_t* transfers) override {
    return inner_->CountReadModel(accounts, transfers);
  }
  Status ForEachProjectedAccount(
      const std::function<void(const ledger::Account&)>& visit) override {
    return inner_->ForEachProjectedAccount(visit);
  }
  Status ListHistory(uint64_t account_id, const HistoryFilter& filter,
                     std::optional<int64_t> before_ns, size_t limit, HistoryPage* page) override {
    return inner_->ListHistory(account_id, filter, before_ns, limit, page);
  }
  Status SearchCustomers(std::string_view phone_prefix, std::optional<uint64_t> before_id,
                         size_t limit, CustomerPage* page) override {
    return inner_->SearchCustomers(phone_prefix, before_id, limit, page);
  }
  Status ReadCustomer(uint64_t id, std::optional<CustomerRow>* customer) override {
    return inner_->ReadCustomer(id, customer);
  }
  Status ReadMerchant(uint64_t id, std::optional<MerchantRow>* merchant) override {
    return inner_->ReadMerchant(id, merchant);
  }
  Status ListMerchants(uint8_t status, std::optional<uint64_t> before_id, size_t limit,
                       std::vector<MerchantRow>* merchants,
                       std::optional<uint64_t>* next_cursor) override {
    return inner_->ListMerchants(status, before_id, limit, merchants, next_cursor);
  }
  Status ReadOrder(uint64_t id, std::optional<OrderRow>* order) override {
    return inner_->ReadOrder(id, order);
  }
  Status ListOrders(uint64_t merchant_id, std::optional<uint64_t> before_id, size_t limit,
                    std::vector<OrderRow>* orders, std::optional<uint64_t>* next_cursor) override {
    return inner_->ListOrders(merchant_id, before_id, limit, orders, next_cursor);
  }
  Status ReadPayment(uint64_t id, std::optional<PaymentRow>* payment) override {
    return inner_->ReadPayment(id, payment);
  }
  Status ListPayments(const PaymentFilter& filter, std::optional<uint64_t> cursor, size_t limit,
                      PaymentPage* page) override {
    return inner_->ListPayments(filter, cursor, limit, page);
  }
  Status ListRefunds(uint64_t payment_id, std::vector<RefundRow>* refunds) override {
    return inner_->ListRefunds(payment_id, refunds);
  }
  Status ReadInvoiceOfPayment(uint64_t payment_id, std::optional<InvoiceRow>* invoice) override {
    return inner_->ReadInvoiceOfPayment(payment_id, invoice);
  }
  Status ReadInvoice(std::string_view number, std::optional<InvoiceRow>* invoice) override {
    return inner_->ReadInvoice(number, invoice);
  }
  Status ListCreditInvoices(uint64_t payment_id, std::vector<CreditInvoiceRow>* invoices) override {
    return inner_->ListCreditInvoices(payment_id, invoices);
  }
  Status ReadCreditInvoice(std::string_view number,
                           std::optional<CreditInvoiceRow>* invoice) override {
    return inner_->ReadCreditInvoice(number, invoice);
  }
  Status ListRefundsOwingCreditInvoice(size_t limit, std::vector<RefundRow>* refunds) override {
    return inner_->ListRefundsOwingCreditInvoice(limit, refunds);
  }
  Status ListSettlements(uint64_t merchant_id, size_t limit,
                         std::vector<SettlementRow>* settlements) override {
    return inner_->ListSettlements(merchant_id, limit, settlements);
  }
  Status AggregateMerchantSales(const SalesQuery& query, SalesReport* report) override {
    return inner_->AggregateMerchantSales(query, report);
  }
  Status AggregateCustomerSpending(const SpendingQuery& query, SpendingReport* report) override {
    return inner_->AggregateCustomerSpending(query, report);
  }
  Status AggregateCustomerMovements(const MovementQuery& query, MovementReport* report) override {
    return inner_->AggregateCustomerMovements(query, report);
  }
  Status CountRewardedCustomers(uint64_t budget_account_id, int64_t* customers) override {
    return inner_->CountRewardedCustomers(budget_account_id, customers);
  }
  Status ListInbox(uint64_t customer_id, std::optional<uint64_t> before, size_t limit,
                   InboxPage* page) override {
    return inner_->ListInbox(customer_id, before, limit, page);
  }
  Status HasInboxMessage(uint64_t customer_id, uint64_t push_id, bool* found) override {
    return inner_->HasInboxMessage(customer_id, push_id, found);
  }
  Status ListOfferPushes(uint64_t campaign_id, std::vector<OfferPushRow>* pushes) override {
    return inner_->ListOfferPushes(campaign_id, pushes);
  }
  Status ListOfferRecipients(uint64_t campaign_id, std::vector<uint64_t>* customers) override {
    return inner_->ListOfferRecipients(campaign_id, customers);
  }
  Status ForEachSpendingProfile(
      const SpendingProfileQuery& query,
      const std::function<void(uint64_t, std::span<const SpendingCellRow>)>& visit) override {
    return inner_->ForEachSpendingProfile(query, visit);
  }
  Status ListWebhookDeliveries(uint64_t merchant_id, size_t limit,
                               std::vector<WebhookDeliveryRow>* deliveries) override {
    return inner_->ListWebhookDeliveries(merchant_id, limit, deliveries);
  }
  Status ReadWebhookDelivery(std::string_view event_id,
                             std::optional<WebhookDeliveryRow>* delivery) override {
    return inner_->ReadWebhookDelivery(event_id, delivery);
  }
  Status ListPendingWebhookDeliveries(size_t limit,
                                      std::vector<WebhookDeliveryRow>* deliveries) override {
    return inner_->ListPendingWebhookDeliveries(limit, deliveries);
  }
  Status FixWebhookBody(std::string_view event_id, std::string* body) override {
    return inner_->FixWebhookBody(event_id, body);
  }
  Status RecordWebhookAttempt(const WebhookAttemptRow& attempt) override {
    return inner_->RecordWebhookAttempt(attempt);
  }
  Status AbandonWebhookDelivery(std::string_view event_id, std::string_view reason) override {
    return inner_->AbandonWebhookDelivery(event_id, reason);
  }
  Status ListWebhookAttempts(std::string_view event_id,
                             std::vector<WebhookAttemptRow>* attempts) override {
    return inner_->ListWebhookAttempts(event_id, attempts);
  }
  Status ListAuditEntries(const AuditFilter& filter, std::optional<uint64_t> before_seq,
                          size_t limit, AuditPage* page) override {
    return inner_->ListAuditEntries(filter, before_seq, limit, page);
  }
  Status ReadAuditEntries(uint64_t from_seq, size_t limit,
                          std::vector<audit::AuditEntry>* entries) override {
    return inner_->ReadAuditEntries(from_seq, limit, entries);
  }

 private:
  std::unique_ptr<Store> inner_;
};

}  // namespace qb::testing
