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
#include <vector>

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

// What the projector writes for one or more journal batches.
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
    uint64_t payment_id = 0;
  };
  std::vector<OrderState> order_states;
  std::vector<PaymentRow> payments;        // Upserts.
  std::vector<RefundRow> refunds;          // Inserts.
  std::vector<InvoiceRow> invoices;        // Inserts (an invoice never changes).
  std::vector<SettlementRow> settlements;  // Upserts.
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
  // Settlements, newest business day first; of one merchant, or of all when merchant_id is 0.
  virtual Status ListSettlements(uint64_t merchant_id, size_t limit,
                                 std::vector<SettlementRow>* settlements) = 0;

  // Visits every projected account (for verification against the engine).
  virtual Status ForEachProjectedAccount(
      const std::function<void(const ledger::Account&)>& visit) = 0;
};

}  // namespace qb
