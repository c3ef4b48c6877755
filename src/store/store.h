// The Store: where the journal, the checkpoints and the read models live. One interface, one
// schema, several backends (SQLite now; PostgreSQL later) passing the same tests.
//
// Contract:
// - AppendJournal is durable when it returns ok: the records survive a crash or power loss.
//   Records are appended with consecutive sequence numbers, all or none.
// - Journal and checkpoint methods are called by one thread at a time (the journal writer, or
//   the engine thread while the writer is idle); projection methods by the projector thread;
//   read-model queries by any thread. Implementations synchronise internally.
// - Domain modules never see SQL: they hand in records and get records back.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "audit/audit_chain.h"
#include "base/status.h"
#include "ledger/types.h"

namespace qb {

struct JournalRecord {
  uint64_t seq = 0;
  std::string bytes;  // The encoded batch (journal/record.h).
};

struct CheckpointInfo {
  uint64_t seq = 0;         // The last journal record the checkpoint includes.
  std::string state_bytes;  // The serialized engine state.
};

// A customer as the read models see them: what staff search and the history's counterparty
// column need. No secrets and no full identity numbers; the real name only masked.
struct CustomerRow {
  uint64_t id = 0;
  uint64_t wallet_account_id = 0;
  std::string phone;
  std::string real_name_masked;  // "" until verified.
  std::string resident_id_masked;
  uint8_t tier = 4;  // identity::WalletTier.
  std::string channel;
  std::string invite_code;
  int64_t registered_ns = 0;
  int64_t closed_ns = 0;  // 0 while open; the phone is masked once closed.
  bool operator==(const CustomerRow&) const = default;
};

// A card as the history's counterparty column shows it.
struct CardRow {
  uint64_t id = 0;
  uint64_t customer_id = 0;
  std::string bank_code;
  std::string first6;
  std::string last4;
  bool operator==(const CardRow&) const = default;
};

// A merchant as the console, the portal and the customer's history see it. No secrets: the
// settlement account only by its last four digits.
struct MerchantRow {
  uint64_t id = 0;
  uint64_t account_id = 0;
  std::string legal_name;
  std::string credit_code;
  std::string category;
  uint32_t fee_bps = 0;
  uint8_t status = 1;  // payments::MerchantStatus.
  std::string settlement_bank_code;
  std::string settlement_account_last4;
  std::string contact_phone;
  uint64_t onboarded_by_staff_id = 0;
  int64_t created_ns = 0;
  int64_t status_changed_ns = 0;
  bool operator==(const MerchantRow&) const = default;
};

// An order (dynamic QR or online checkout) with what the engine does not keep: description and
// the merchant's URLs.
struct OrderRow {
  uint64_t id = 0;
  uint64_t merchant_id = 0;
  std::string merchant_order_no;
  int64_t amount_fen = 0;
  std::string description;
  std::string notify_url;
  std::string return_url;
  int64_t created_ns = 0;
  int64_t expires_ns = 0;
  uint8_t status = 1;  // payments::OrderStatus.
  uint64_t payment_id = 0;
  bool operator==(const OrderRow&) const = default;
};

// A payment to a merchant, in its latest state (refunded totals, confirmation).
struct PaymentRow {
  uint64_t id = 0;
  uint64_t merchant_id = 0;
  uint64_t customer_id = 0;
  uint64_t order_id = 0;
  uint8_t channel = 1;  // payments::PaymentChannel.
  uint8_t state = 1;    // payments::PaymentState.
  int64_t amount_fen = 0;
  int64_t fee_fen = 0;
  int64_t refunded_fen = 0;
  int64_t fee_refunded_fen = 0;
  int64_t created_ns = 0;
  bool operator==(const PaymentRow&) const = default;
};

// One refund of a payment (there may be several).
struct RefundRow {
  uint64_t id = 0;  // The merchant → customer transfer's id.
  uint64_t payment_id = 0;
  uint64_t merchant_id = 0;
  uint64_t customer_id = 0;
  int64_t amount_fen = 0;
  int64_t fee_fen = 0;  // The fee share given back to the merchant with it.
  int64_t created_ns = 0;
  bool operator==(const RefundRow&) const = default;
};

// An e-invoice issued for a payment (by the InvoiceProvider), as both sides see it.
struct InvoiceRow {
  std::string number;  // The platform's 20-digit number.
  uint64_t payment_id = 0;
  uint64_t merchant_id = 0;
  uint64_t customer_id = 0;
  std::string buyer_title;
  std::string buyer_tax_id;
  std::string seller_name;
  std::string seller_tax_id;
  std::string item_name;
  int64_t amount_fen = 0;  // Tax included.
  int64_t tax_fen = 0;
  uint32_t tax_rate_bp = 0;
  int64_t issued_ns = 0;
  bool issued_locally = false;  // By the local stand-in, not a tax authority.
  bool operator==(const InvoiceRow&) const = default;
};

// A red-letter invoice (红字发票): reverses `amount_fen` of the payment's (blue) invoice after
// one refund; one per refund. Buyer, seller and item are the blue invoice's.
struct CreditInvoiceRow {
  std::string number;  // The platform's 20-digit number.
  uint64_t refund_id = 0;
  uint64_t payment_id = 0;
  std::string original_number;  // The blue invoice it corrects.
  uint64_t merchant_id = 0;
  uint64_t customer_id = 0;
  int64_t amount_fen = 0;  // Reversed, tax included; positive (the refund's amount).
  int64_t tax_fen = 0;
  uint32_t tax_rate_bp = 0;
  int64_t issued_ns = 0;
  bool issued_locally = false;
  bool operator==(const CreditInvoiceRow&) const = default;
};

// A merchant's payout for a business day (payments::Settlement as the read models hold it).
struct SettlementRow {
  uint64_t id = 0;
  uint64_t merchant_id = 0;
  int64_t business_day = 0;  // Days since the epoch, China time.
  int64_t amount_fen = 0;
  int64_t created_ns = 0;
  uint8_t state = 1;  // payments::SettlementState.
  bool operator==(const SettlementRow&) const = default;
};

struct PaymentFilter {
  std::optional<uint64_t> merchant_id;
  std::optional<uint64_t> customer_id;
  std::optional<int64_t> from_ns;  // Inclusive.
  std::optional<int64_t> to_ns;    // Exclusive.
};

struct PaymentPage {
  std::vector<PaymentRow> payments;
  std::optional<uint64_t> next_cursor;  // Payment created_ns/id position to continue after.
};

// The webhook outbox: one row per notice owed to a merchant (today: an order paid, for orders
// with a notify_url), written by the projection in the same transaction that marks the order
// paid, so no paid order is ever left without its notice, whatever crashes. The dispatcher's
// progress (attempts, outcome, next retry) is written back as it goes. Unlike the read models,
// the outbox is not derived from the journal alone, so ResetReadModels keeps it; a rebuilt read
// model finds the rows already there.
struct WebhookDeliveryRow {
  std::string event_id;  // "evt_<payment id>"
  uint64_t merchant_id = 0;
  uint64_t order_id = 0;
  uint64_t payment_id = 0;
  std::string url;
  std::string body;   // Empty until the first attempt fixes it; every retry sends the same.
  uint8_t state = 0;  // webhook::DeliveryState: 0 pending, 1 delivered, 2 failed.
  uint32_t attempts = 0;
  int32_t last_http_status = 0;
  std::string last_error;
  int64_t next_attempt_ns = 0;  // When pending: not before this (0: as soon as possible).
  int64_t created_ns = 0;       // The payment's time.
  bool operator==(const WebhookDeliveryRow&) const = default;
};

// One HTTP attempt of a delivery (webhook::DeliveryAttempt).
struct WebhookAttemptRow {
  std::string event_id;
  uint32_t attempt = 0;  // 1-based over the delivery's life.
  int64_t started_ns = 0;
  int64_t duration_ns = 0;
  int32_t http_status = 0;
  std::string error;
  uint8_t outcome = 0;  // webhook::DeliveryOutcome: 0 delivered, 1 retry scheduled, 2 failed.
  int64_t next_attempt_ns = 0;
  bool operator==(const WebhookAttemptRow&) const = default;
};

// What the projector writes for one or more journal batches.
// Offer pushes and the message inbox (engine/offer_command.h). A push, as marketing ops sent
// it; `delivered` and `read` are counted by the read models (ignored when projected).
struct OfferPushRow {
  uint64_t id = 0;
  uint64_t campaign_id = 0;
  uint64_t staff_id = 0;
  std::string title;
  std::string body;
  std::string audience;  // JSON, as the API described it
  int64_t created_ns = 0;
  int64_t delivered = 0;
  int64_t read = 0;
  bool operator==(const OfferPushRow&) const = default;
};

// One part of a push: its row (inserted by the first part) and the customers given the message.
// A customer who already has a message of the push or of the campaign is skipped.
struct OfferDelivery {
  OfferPushRow push;
  std::vector<uint64_t> customers;
};

// A customer read message `push_id` of their inbox, or all of them (0).
struct InboxRead {
  uint64_t customer_id = 0;
  uint64_t push_id = 0;
  int64_t read_ns = 0;
};

// A message of a customer's inbox (only offers so far), with its push's words.
struct InboxMessageRow {
  uint64_t seq = 0;  // Inbox order, for paging: later messages have higher seqs.
  uint64_t push_id = 0;
  uint64_t campaign_id = 0;
  std::string title;
  std::string body;
  int64_t created_ns = 0;
  int64_t read_ns = 0;  // 0 while unread.
  bool operator==(const InboxMessageRow&) const = default;
};

struct InboxPage {
  std::vector<InboxMessageRow> messages;  // Newest first.
  std::optional<uint64_t> next_cursor;    // Seq to continue below, if more.
  int64_t unread = 0;                     // In the whole inbox.
};

// A customer's payments in a window summed by merchant category, China hour and merchant: what
// an offer audience is chosen from (marketing/offer_audience.h).
struct SpendingCellRow {
  std::string category;  // "" when the merchant is missing from the read model.
  int32_t china_hour = 0;
  uint64_t merchant_id = 0;
  int64_t net_fen = 0;
  int64_t count = 0;
};

struct Projection {
  uint64_t last_seq = 0;                    // Highest journal seq these changes cover.
  std::vector<ledger::Account> accounts;    // New state of every account created or touched.
  std::vector<ledger::Transfer> transfers;  // Every transfer created.
  std::vector<CustomerRow> customers;       // New state of every customer created or changed.
  std::vector<CardRow> cards;               // Every card bound (unbinding keeps the row).
  std::vector<std::pair<uint64_t, std::string>> memos;  // transfer id → the payer's memo.
  std::vector<MerchantRow> merchants;  // Upserts: the latest state of every merchant changed.
  std::vector<OrderRow> orders;        // Upserts.
  // Status changes of orders (paid, closed), applied after `orders`: the engine does not keep an
  // order's description and URLs, so it cannot send the whole row again.
  struct OrderState {
    uint64_t id = 0;
    uint8_t status = 1;
    uint64_t payment_id = 0;  // The payment that paid it; 0 unless paid.
  };
  // An order paid (payment_id set) with a notify_url also gets its webhook outbox row.
  std::vector<OrderState> order_states;
  std::vector<PaymentRow> payments;               // Upserts.
  std::vector<RefundRow> refunds;                 // Inserts.
  std::vector<InvoiceRow> invoices;               // Inserts (an invoice never changes).
  std::vector<CreditInvoiceRow> credit_invoices;  // Inserts (red-letter invoices).
  std::vector<SettlementRow> settlements;         // Upserts.
  std::vector<audit::AuditEntry> audit_entries;   // Inserts, in seq order (the audit log).
  // Offer deliveries and inbox reads, in command order (a read of "all" marks only what was
  // delivered before it).
  std::vector<std::variant<OfferDelivery, InboxRead>> inbox_changes;
};

// A search of the audit log (newest first). Empty fields match everything.
struct AuditFilter {
  std::string action_prefix;  // "staff." matches "staff.login"; a whole action matches itself.
  std::optional<audit::ActorKind> actor_kind;
  std::optional<uint64_t> actor_id;  // With actor_kind.
  std::string target;                // Exact.
  std::optional<int64_t> from_ns;    // Inclusive.
  std::optional<int64_t> to_ns;      // Exclusive.
  // A substring the detail must hold, e.g. "\"ip\":\"<16 hex>\"" for one network's entries.
  std::string detail_contains;
};

struct AuditPage {
  std::vector<audit::AuditEntry> entries;  // Newest (highest seq) first.
  std::optional<uint64_t> next_cursor;     // Seq to continue below, if more.
};

// One line of a wallet's history: a transfer that is not itself a post or void, with its
// status resolved (a hold is "pending" until posted or voided) and its counterparty.
enum class HistoryStatus : uint8_t { kPosted, kPending, kVoided };
struct HistoryEntry {
  ledger::Transfer transfer;
  HistoryStatus status = HistoryStatus::kPosted;
  std::string memo;
  std::optional<CustomerRow> counterparty_customer;  // For transfers between wallets.
  std::optional<CardRow> card;                       // For top-ups and withdrawals.
  // For payments (the transfer is the payment) and refunds (the transfer is a refund).
  std::optional<MerchantRow> merchant;
};

struct HistoryFilter {
  std::vector<uint16_t> codes;  // Transfer codes; empty means all.
  // Only money in (credit_account_id == the account) or out; both when neither is set.
  bool only_in = false;
  bool only_out = false;
  std::optional<int64_t> from_ns;  // Inclusive.
  std::optional<int64_t> to_ns;    // Exclusive.
};

struct HistoryPage {
  std::vector<HistoryEntry> entries;
  std::optional<int64_t> next_cursor;  // Timestamp to continue before, if more.
};

struct CustomerPage {
  std::vector<CustomerRow> customers;
  std::optional<uint64_t> next_cursor;  // Customer id to continue below, if more.
};

struct TransferPage {
  std::vector<ledger::Transfer> transfers;
  std::optional<int64_t> next_cursor;  // Timestamp to continue before, if more.
};

class Store {
 public:
  virtual ~Store() = default;

  // --- Journal ---
  virtual Status AppendJournal(std::span<const JournalRecord> records) = 0;
  // Calls `visit` for each record with seq >= from_seq in order; stops early if it returns
  // false.
  virtual Status ReadJournal(uint64_t from_seq,
                             const std::function<bool(uint64_t, std::string_view)>& visit) = 0;
  // Removes records with seq >= from_seq: used to drop a torn tail found by recovery.
  virtual Status TruncateJournal(uint64_t from_seq) = 0;
  virtual Status LastJournalSeq(uint64_t* seq) = 0;  // 0 when empty.

  // --- Checkpoints ---
  virtual Status WriteCheckpoint(uint64_t seq, std::string_view state_bytes) = 0;
  // Newest first; at most `limit`.
  virtual Status ListCheckpoints(size_t limit, std::vector<uint64_t>* seqs) = 0;
  virtual Status ReadCheckpoint(uint64_t seq, CheckpointInfo* checkpoint) = 0;

  // --- Read models ---
  virtual Status ApplyProjection(const Projection& projection) = 0;
  virtual Status ProjectedSeq(uint64_t* seq) = 0;
  virtual Status ResetReadModels() = 0;
  virtual Status ReadAccount(uint64_t id, std::optional<ledger::Account>* account) = 0;
  // An account's transfers, newest first, with timestamps before `before_ns` (cursor).
  virtual Status ListAccountTransfers(uint64_t account_id, std::optional<int64_t> before_ns,
                                      size_t limit, TransferPage* page) = 0;
  virtual Status CountReadModel(uint64_t* accounts, uint64_t* transfers) = 0;
  // An account's history, newest first, before `before_ns` (cursor), filtered.
  virtual Status ListHistory(uint64_t account_id, const HistoryFilter& filter,
                             std::optional<int64_t> before_ns, size_t limit, HistoryPage* page) = 0;
  // Customers whose phone starts with `phone_prefix` (all when empty), newest first, with ids
  // below `before_id` (cursor).
  virtual Status SearchCustomers(std::string_view phone_prefix, std::optional<uint64_t> before_id,
                                 size_t limit, CustomerPage* page) = 0;
  virtual Status ReadCustomer(uint64_t id, std::optional<CustomerRow>* customer) = 0;
  // --- Merchants and payments ---
  virtual Status ReadMerchant(uint64_t id, std::optional<MerchantRow>* merchant) = 0;
  // Newest first, ids below `before_id`; `status` 0 means any.
  virtual Status ListMerchants(uint8_t status, std::optional<uint64_t> before_id, size_t limit,
                               std::vector<MerchantRow>* merchants,
                               std::optional<uint64_t>* next_cursor) = 0;
  virtual Status ReadOrder(uint64_t id, std::optional<OrderRow>* order) = 0;
  // A merchant's orders, newest first, ids below `before_id`.
  virtual Status ListOrders(uint64_t merchant_id, std::optional<uint64_t> before_id, size_t limit,
                            std::vector<OrderRow>* orders,
                            std::optional<uint64_t>* next_cursor) = 0;
  virtual Status ReadPayment(uint64_t id, std::optional<PaymentRow>* payment) = 0;
  // Payments matching the filter, newest first; the cursor is opaque (a position in that order).
  virtual Status ListPayments(const PaymentFilter& filter, std::optional<uint64_t> cursor,
                              size_t limit, PaymentPage* page) = 0;
  // A payment's refunds, oldest first.
  virtual Status ListRefunds(uint64_t payment_id, std::vector<RefundRow>* refunds) = 0;
  // The invoice of a payment, or of a number; nullopt when there is none.
  virtual Status ReadInvoiceOfPayment(uint64_t payment_id, std::optional<InvoiceRow>* invoice) = 0;
  virtual Status ReadInvoice(std::string_view number, std::optional<InvoiceRow>* invoice) = 0;
  // A payment's red-letter invoices, oldest first; and one by its number (nullopt when none).
  virtual Status ListCreditInvoices(uint64_t payment_id,
                                    std::vector<CreditInvoiceRow>* invoices) = 0;
  virtual Status ReadCreditInvoice(std::string_view number,
                                   std::optional<CreditInvoiceRow>* invoice) = 0;
  // Refunds that owe a red-letter invoice: of a payment with a (blue) invoice, made at or after
  // it was issued, and without a red-letter invoice yet. Oldest first, at most `limit`.
  virtual Status ListRefundsOwingCreditInvoice(size_t limit, std::vector<RefundRow>* refunds) = 0;
  // Settlements, newest business day first; of one merchant, or of all when merchant_id is 0.
  virtual Status ListSettlements(uint64_t merchant_id, size_t limit,
                                 std::vector<SettlementRow>* settlements) = 0;

  // --- Reports: sums and counts over the payments, computed by the store ---
  // Exact for any number of payments: the store aggregates in integer arithmetic (money in fen;
  // a sum that would overflow int64 is an error, never a wrong figure) and the caller formats.
  // Only payments in `state` count: the caller names the completed state, since the store does
  // not know the domain's enums. Each call reads one consistent state of the read models. A
  // query outside the limits below is InvalidArgument.
  //
  // A merchant's sales in [from_ns, to_ns), by bucket: a payment falls in bucket
  // (created_ns - origin_ns) / bucket_ns, so the caller chooses what a bucket is (a China day,
  // a week from a Monday) by aligning origin_ns to a bucket's first nanosecond. At most
  // kMaxSalesBuckets buckets from origin_ns to to_ns.
  static constexpr size_t kMaxSalesBuckets = 1'000;
  struct SalesQuery {
    uint64_t merchant_id = 0;
    uint8_t state = 1;      // payments::PaymentState counted.
    int64_t from_ns = 0;    // Inclusive.
    int64_t to_ns = 0;      // Exclusive.
    int64_t origin_ns = 0;  // At or before from_ns.
    int64_t bucket_ns = 0;  // > 0.
  };
  struct SalesChannelRow {  // One bucket's payments through one channel.
    int64_t bucket = 0;
    uint8_t channel = 0;
    int64_t payment_count = 0;
    int64_t gross_fen = 0;     // Sum of amount_fen.
    int64_t refunded_fen = 0;  // Sum of refunded_fen.
    int64_t fee_fen = 0;       // Sum of fee_fen - fee_refunded_fen.
    bool operator==(const SalesChannelRow&) const = default;
  };
  struct SalesCustomerRow {  // One bucket's customers.
    int64_t bucket = 0;
    int64_t unique_customers = 0;
    int64_t repeat_customers = 0;  // With two or more payments in the bucket.
    bool operator==(const SalesCustomerRow&) const = default;
  };
  struct SalesReport {
    std::vector<SalesChannelRow> channels;    // By bucket, then channel; no empty rows.
    std::vector<SalesCustomerRow> customers;  // By bucket; no empty rows.
    int64_t unique_customers = 0;             // In the whole range.
    int64_t repeat_customers = 0;             // With two or more payments in the whole range.
  };
  virtual Status AggregateMerchantSales(const SalesQuery& query, SalesReport* report) = 0;

  // A customer's spending by period and merchant category, and the merchants they spent most
  // at. A payment counts with its net amount (amount_fen - refunded_fen), and only if that is
  // positive. Periods are [period_starts_ns[i], period_starts_ns[i + 1]), the last ending at
  // to_ns; at most kMaxSpendingPeriods.
  static constexpr size_t kMaxSpendingPeriods = 60;
  struct SpendingQuery {
    uint64_t customer_id = 0;
    uint8_t state = 1;                      // payments::PaymentState counted.
    std::vector<int64_t> period_starts_ns;  // Ascending.
    int64_t to_ns = 0;                      // Exclusive.
    // The category of payments to merchants missing from the read model.
    std::string unknown_category;
    size_t top_merchant_limit = 0;
  };
  struct SpendingCategoryRow {
    size_t period = 0;
    std::string category;
    int64_t net_fen = 0;
    int64_t payment_count = 0;
    bool operator==(const SpendingCategoryRow&) const = default;
  };
  struct SpendingMerchantRow {
    uint64_t merchant_id = 0;
    std::string legal_name;  // "" when the merchant is missing from the read model.
    int64_t net_fen = 0;
    int64_t payment_count = 0;
    bool operator==(const SpendingMerchantRow&) const = default;
  };
  struct SpendingReport {
    std::vector<SpendingCategoryRow> categories;  // By period, then category (byte order).
    // Over all the periods: the largest net first, then the lowest id; at most the limit.
    std::vector<SpendingMerchantRow> top_merchants;
  };
  virtual Status AggregateCustomerSpending(const SpendingQuery& query, SpendingReport* report) = 0;

  // AML (issue 7): each customer's money movements in [from_ns, to_ns), summed, for the
  // large-value report. A movement is a posted transfer between the customer's wallet and
  // anyone: P2P in and out (both customers count it), top-ups and withdrawals when posted (at the
  // post's time; holds and voids never count), refunds in; and payments out in `payment_state`
  // (at created_ns, with amount_fen, the payment's value before any discount). Top-ups and
  // withdrawals are also "cash". Only customers whose total (in + out) reaches
  // transfer_threshold_fen, or whose cash total reaches cash_threshold_fen, are returned, by
  // ascending customer id, at most `limit` (truncated when more qualify). Thresholds > 0.
  struct MovementQuery {
    int64_t from_ns = 0;        // Inclusive.
    int64_t to_ns = 0;          // Exclusive.
    uint8_t payment_state = 1;  // payments::PaymentState counted.
    int64_t transfer_threshold_fen = 0;
    int64_t cash_threshold_fen = 0;
    size_t limit = 0;
  };
  struct CustomerMovementRow {
    uint64_t customer_id = 0;
    std::string phone;             // Unmasked: the caller masks it.
    std::string real_name_masked;  // "" when not verified.
    int64_t count = 0;
    int64_t in_fen = 0;
    int64_t out_fen = 0;
    int64_t cash_count = 0;  // Top-ups and withdrawals only.
    int64_t cash_in_fen = 0;
    int64_t cash_out_fen = 0;
    bool operator==(const CustomerMovementRow&) const = default;
  };
  struct MovementReport {
    std::vector<CustomerMovementRow> rows;
    bool truncated = false;
  };
  virtual Status AggregateCustomerMovements(const MovementQuery& query, MovementReport* report) = 0;

  // The distinct customers a campaign rewarded: those of the payments its budget account
  // `budget_account_id` paid more discount or cashback for (kCampaignDiscount, kCashback, user_data
  // the payment) than refunds took back (kDiscountReversal, kCashbackReversal). Held cashback
  // counts once released.
  virtual Status CountRewardedCustomers(uint64_t budget_account_id, int64_t* customers) = 0;

  // --- Offer pushes and the message inbox ---
  // A customer's messages, newest first, below seq `before` when given; `unread` counts all.
  virtual Status ListInbox(uint64_t customer_id, std::optional<uint64_t> before, size_t limit,
                           InboxPage* page) = 0;
  // Whether the customer has message `push_id`.
  virtual Status HasInboxMessage(uint64_t customer_id, uint64_t push_id, bool* found) = 0;
  // A campaign's pushes, newest first, with their delivered and read counts.
  virtual Status ListOfferPushes(uint64_t campaign_id, std::vector<OfferPushRow>* pushes) = 0;
  // The customers holding a message of the campaign, ascending.
  virtual Status ListOfferRecipients(uint64_t campaign_id, std::vector<uint64_t>* customers) = 0;
  // Visits each customer with a payment in `state` in [from_ns, to_ns) whose net amount is
  // positive, by ascending id, with their payments summed into cells (SpendingCellRow).
  struct SpendingProfileQuery {
    int64_t from_ns = 0;
    int64_t to_ns = 0;
    uint8_t state = 1;  // payments::PaymentState counted.
  };
  virtual Status ForEachSpendingProfile(
      const SpendingProfileQuery& query,
      const std::function<void(uint64_t customer_id, std::span<const SpendingCellRow> cells)>&
          visit) = 0;

  // Visits every projected account (for verification against the engine).
  virtual Status ForEachProjectedAccount(
      const std::function<void(const ledger::Account&)>& visit) = 0;

  // --- The webhook outbox (see WebhookDeliveryRow) ---
  // A merchant's deliveries, newest first.
  virtual Status ListWebhookDeliveries(uint64_t merchant_id, size_t limit,
                                       std::vector<WebhookDeliveryRow>* deliveries) = 0;
  virtual Status ReadWebhookDelivery(std::string_view event_id,
                                     std::optional<WebhookDeliveryRow>* delivery) = 0;
  // Pending deliveries, the earliest due first.
  virtual Status ListPendingWebhookDeliveries(size_t limit,
                                              std::vector<WebhookDeliveryRow>* deliveries) = 0;
  // Fixes a pending delivery's body, if not fixed yet; `*body` becomes the one that counts.
  virtual Status FixWebhookBody(std::string_view event_id, std::string* body) = 0;
  // Records one attempt and moves the delivery to the state its outcome implies.
  virtual Status RecordWebhookAttempt(const WebhookAttemptRow& attempt) = 0;
  // Ends a pending delivery as failed without an attempt (too old to send unasked).
  virtual Status AbandonWebhookDelivery(std::string_view event_id, std::string_view reason) = 0;
  // A delivery's attempts, oldest first.
  virtual Status ListWebhookAttempts(std::string_view event_id,
                                     std::vector<WebhookAttemptRow>* attempts) = 0;

  // --- The audit log (rows as the engine chained them; `qianbao audit verify` checks them) ---
  // Entries matching `filter` with seq below `before_seq` (cursor), newest first.
  virtual Status ListAuditEntries(const AuditFilter& filter, std::optional<uint64_t> before_seq,
                                  size_t limit, AuditPage* page) = 0;
  // The rows with from_seq <= seq, ascending, at most `limit`: whatever the table holds,
  // gaps included, for verification.
  virtual Status ReadAuditEntries(uint64_t from_seq, size_t limit,
                                  std::vector<audit::AuditEntry>* entries) = 0;
};

}  // namespace qb
