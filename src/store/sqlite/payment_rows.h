// How the merchant, order, payment and refund rows map to the SQLite read-model columns: the
// column lists, in the order the statements bind and read them, and the binders and readers
// that follow that order. Private to the SQLite store.
#pragma once

#include <string>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace qb::sqlite {

inline constexpr char kMerchantColumns[] =
    "id, account_id, legal_name, credit_code, category, fee_bps, status, settlement_bank_code, "
    "settlement_account_last4, contact_phone, onboarded_by_staff_id, created_ns, "
    "status_changed_ns";
inline constexpr int kMerchantColumnCount = 13;

inline constexpr char kOrderColumns[] =
    "id, merchant_id, merchant_order_no, amount_fen, description, notify_url, return_url, "
    "created_ns, expires_ns, status, payment_id";

// Without seq: the payment's position is the store's, not part of the row.
inline constexpr char kPaymentColumns[] =
    "id, merchant_id, customer_id, order_id, channel, state, amount_fen, fee_fen, refunded_fen, "
    "fee_refunded_fen, created_ns";

inline constexpr char kRefundColumns[] =
    "id, payment_id, merchant_id, customer_id, amount_fen, fee_fen, created_ns";

inline constexpr char kCreditInvoiceColumns[] =
    "number, refund_id, payment_id, original_number, merchant_id, customer_id, amount_fen, "
    "tax_fen, tax_rate_bp, issued_ns, issued_locally";
inline constexpr char kInvoiceColumns[] =
    "number, payment_id, merchant_id, customer_id, buyer_title, buyer_tax_id, seller_name, "
    "seller_tax_id, item_name, amount_fen, tax_fen, tax_rate_bp, issued_ns, issued_locally";

// Binds a merchant as parameters ?1..?13 in kMerchantColumns order.
inline void BindMerchant(Statement* s, const MerchantRow& m) {
  s->BindU64(1, m.id);
  s->BindU64(2, m.account_id);
  s->BindText(3, m.legal_name);
  s->BindText(4, m.credit_code);
  s->BindText(5, m.category);
  s->BindInt64(6, m.fee_bps);
  s->BindInt64(7, m.status);
  s->BindText(8, m.settlement_bank_code);
  s->BindText(9, m.settlement_account_last4);
  s->BindText(10, m.contact_phone);
  s->BindU64(11, m.onboarded_by_staff_id);
  s->BindInt64(12, m.created_ns);
  s->BindInt64(13, m.status_changed_ns);
}

// Reads the kMerchantColumnCount merchant columns starting at `at`.
inline MerchantRow ReadMerchantRow(const Statement& s, int at) {
  MerchantRow m;
  m.id = s.ColumnU64(at);
  m.account_id = s.ColumnU64(at + 1);
  m.legal_name = std::string(s.ColumnText(at + 2));
  m.credit_code = std::string(s.ColumnText(at + 3));
  m.category = std::string(s.ColumnText(at + 4));
  m.fee_bps = static_cast<uint32_t>(s.ColumnInt64(at + 5));
  m.status = static_cast<uint8_t>(s.ColumnInt64(at + 6));
  m.settlement_bank_code = std::string(s.ColumnText(at + 7));
  m.settlement_account_last4 = std::string(s.ColumnText(at + 8));
  m.contact_phone = std::string(s.ColumnText(at + 9));
  m.onboarded_by_staff_id = s.ColumnU64(at + 10);
  m.created_ns = s.ColumnInt64(at + 11);
  m.status_changed_ns = s.ColumnInt64(at + 12);
  return m;
}

inline void BindOrder(Statement* s, const OrderRow& o) {
  s->BindU64(1, o.id);
  s->BindU64(2, o.merchant_id);
  s->BindText(3, o.merchant_order_no);
  s->BindInt64(4, o.amount_fen);
  s->BindText(5, o.description);
  s->BindText(6, o.notify_url);
  s->BindText(7, o.return_url);
  s->BindInt64(8, o.created_ns);
  s->BindInt64(9, o.expires_ns);
  s->BindInt64(10, o.status);
  s->BindU64(11, o.payment_id);
}

inline OrderRow ReadOrderRow(const Statement& s) {
  OrderRow o;
  o.id = s.ColumnU64(0);
  o.merchant_id = s.ColumnU64(1);
  o.merchant_order_no = std::string(s.ColumnText(2));
  o.amount_fen = s.ColumnInt64(3);
  o.description = std::string(s.ColumnText(4));
  o.notify_url = std::string(s.ColumnText(5));
  o.return_url = std::string(s.ColumnText(6));
  o.created_ns = s.ColumnInt64(7);
  o.expires_ns = s.ColumnInt64(8);
  o.status = static_cast<uint8_t>(s.ColumnInt64(9));
  o.payment_id = s.ColumnU64(10);
  return o;
}

inline void BindPayment(Statement* s, const PaymentRow& p) {
  s->BindU64(1, p.id);
  s->BindU64(2, p.merchant_id);
  s->BindU64(3, p.customer_id);
  s->BindU64(4, p.order_id);
  s->BindInt64(5, p.channel);
  s->BindInt64(6, p.state);
  s->BindInt64(7, p.amount_fen);
  s->BindInt64(8, p.fee_fen);
  s->BindInt64(9, p.refunded_fen);
  s->BindInt64(10, p.fee_refunded_fen);
  s->BindInt64(11, p.created_ns);
}

inline PaymentRow ReadPaymentRow(const Statement& s) {
  PaymentRow p;
  p.id = s.ColumnU64(0);
  p.merchant_id = s.ColumnU64(1);
  p.customer_id = s.ColumnU64(2);
  p.order_id = s.ColumnU64(3);
  p.channel = static_cast<uint8_t>(s.ColumnInt64(4));
  p.state = static_cast<uint8_t>(s.ColumnInt64(5));
  p.amount_fen = s.ColumnInt64(6);
  p.fee_fen = s.ColumnInt64(7);
  p.refunded_fen = s.ColumnInt64(8);
  p.fee_refunded_fen = s.ColumnInt64(9);
  p.created_ns = s.ColumnInt64(10);
  return p;
}

inline void BindRefund(Statement* s, const RefundRow& r) {
  s->BindU64(1, r.id);
  s->BindU64(2, r.payment_id);
  s->BindU64(3, r.merchant_id);
  s->BindU64(4, r.customer_id);
  s->BindInt64(5, r.amount_fen);
  s->BindInt64(6, r.fee_fen);
  s->BindInt64(7, r.created_ns);
}

inline RefundRow ReadRefundRow(const Statement& s) {
  RefundRow r;
  r.id = s.ColumnU64(0);
  r.payment_id = s.ColumnU64(1);
  r.merchant_id = s.ColumnU64(2);
  r.customer_id = s.ColumnU64(3);
  r.amount_fen = s.ColumnInt64(4);
  r.fee_fen = s.ColumnInt64(5);
  r.created_ns = s.ColumnInt64(6);
  return r;
}

// Binds an invoice as parameters ?1..?14 in kInvoiceColumns order.
inline void BindInvoice(Statement* s, const InvoiceRow& r) {
  s->BindText(1, r.number);
  s->BindU64(2, r.payment_id);
  s->BindU64(3, r.merchant_id);
  s->BindU64(4, r.customer_id);
  s->BindText(5, r.buyer_title);
  s->BindText(6, r.buyer_tax_id);
  s->BindText(7, r.seller_name);
  s->BindText(8, r.seller_tax_id);
  s->BindText(9, r.item_name);
  s->BindInt64(10, r.amount_fen);
  s->BindInt64(11, r.tax_fen);
  s->BindInt64(12, r.tax_rate_bp);
  s->BindInt64(13, r.issued_ns);
  s->BindInt64(14, r.issued_locally ? 1 : 0);
}

inline InvoiceRow ReadInvoiceRow(const Statement& s) {
  InvoiceRow r;
  r.number = std::string(s.ColumnText(0));
  r.payment_id = s.ColumnU64(1);
  r.merchant_id = s.ColumnU64(2);
  r.customer_id = s.ColumnU64(3);
  r.buyer_title = std::string(s.ColumnText(4));
  r.buyer_tax_id = std::string(s.ColumnText(5));
  r.seller_name = std::string(s.ColumnText(6));
  r.seller_tax_id = std::string(s.ColumnText(7));
  r.item_name = std::string(s.ColumnText(8));
  r.amount_fen = s.ColumnInt64(9);
  r.tax_fen = s.ColumnInt64(10);
  r.tax_rate_bp = static_cast<uint32_t>(s.ColumnInt64(11));
  r.issued_ns = s.ColumnInt64(12);
  r.issued_locally = s.ColumnInt64(13) != 0;
  return r;
}

// Binds a red-letter invoice as parameters ?1..?11 in kCreditInvoiceColumns order.
inline void BindCreditInvoice(Statement* s, const CreditInvoiceRow& r) {
  s->BindText(1, r.number);
  s->BindU64(2, r.refund_id);
  s->BindU64(3, r.payment_id);
  s->BindText(4, r.original_number);
  s->BindU64(5, r.merchant_id);
  s->BindU64(6, r.customer_id);
  s->BindInt64(7, r.amount_fen);
  s->BindInt64(8, r.tax_fen);
  s->BindInt64(9, r.tax_rate_bp);
  s->BindInt64(10, r.issued_ns);
  s->BindInt64(11, r.issued_locally ? 1 : 0);
}

inline CreditInvoiceRow ReadCreditInvoiceRow(const Statement& s) {
  CreditInvoiceRow r;
  r.number = std::string(s.ColumnText(0));
  r.refund_id = s.ColumnU64(1);
  r.payment_id = s.ColumnU64(2);
  r.original_number = std::string(s.ColumnText(3));
  r.merchant_id = s.ColumnU64(4);
  r.customer_id = s.ColumnU64(5);
  r.amount_fen = s.ColumnInt64(6);
  r.tax_fen = s.ColumnInt64(7);
  r.tax_rate_bp = static_cast<uint32_t>(s.ColumnInt64(8));
  r.issued_ns = s.ColumnInt64(9);
  r.issued_locally = s.ColumnInt64(10) != 0;
  return r;
}

}  // namespace qb::sqlite
