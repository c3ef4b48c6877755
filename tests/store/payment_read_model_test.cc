// The merchant and payment read models: merchants, orders and payments are upserted to their
// latest state, refunds inserted once; payments page newest first by merchant, by customer and
// by time; a wallet's history names the merchant of its payments and refunds.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "store_test_util.h"

namespace qb {
namespace {

using testing::MakeAccount;
using testing::MakeTransfer;
using testing::StoreTest;

constexpr int64_t kStartNs = 1'000'000;
constexpr std::nullopt_t kAny = std::nullopt;

PaymentFilter Filter(std::optional<uint64_t> merchant_id, std::optional<uint64_t> customer_id,
                     std::optional<int64_t> from_ns = kAny, std::optional<int64_t> to_ns = kAny) {
  PaymentFilter filter;
  filter.merchant_id = merchant_id;
  filter.customer_id = customer_id;
  filter.from_ns = from_ns;
  filter.to_ns = to_ns;
  return filter;
}

MerchantRow MakeMerchant(uint64_t id, uint8_t status = 1) {
  MerchantRow m;
  m.id = id;
  m.account_id = 900 + id;
  m.legal_name = "商户 " + std::to_string(id);
  m.credit_code = "91310000" + std::to_string(id);
  m.category = "5812";
  m.fee_bps = 60;
  m.status = status;
  m.settlement_bank_code = "ICBC";
  m.settlement_account_last4 = "1234";
  m.contact_phone = "1380000" + std::to_string(1000 + id);
  m.onboarded_by_staff_id = 7;
  m.created_ns = static_cast<int64_t>(id) * 100;
  m.status_changed_ns = m.created_ns;
  return m;
}

OrderRow MakeOrder(uint64_t id, uint64_t merchant_id) {
  OrderRow o;
  o.id = id;
  o.merchant_id = merchant_id;
  o.merchant_order_no = "NO-" + std::to_string(id);
  o.amount_fen = 1000 + static_cast<int64_t>(id);
  o.description = "订单 " + std::to_string(id);
  o.notify_url = "https://m.example/notify";
  o.return_url = "https://m.example/return";
  o.created_ns = static_cast<int64_t>(id) * 10;
  o.expires_ns = o.created_ns + 900'000'000'000;
  return o;
}

// Payment number i (1-based) of the generated stream: three merchants, four customers, ten
// nanoseconds apart, with ids that fall as time rises so that no order can come from the ids.
PaymentRow MakePayment(uint64_t i) {
  PaymentRow p;
  p.id = 100'000 - i;
  p.merchant_id = i % 3 + 1;
  p.customer_id = i % 4 + 11;
  p.order_id = i % 5 == 0 ? 500 + i : 0;
  p.channel = static_cast<uint8_t>(i % 4 + 1);
  p.amount_fen = 100 * static_cast<int64_t>(i);
  p.fee_fen = static_cast<int64_t>(i);
  p.created_ns = kStartNs + static_cast<int64_t>(i) * 10;
  return p;
}

RefundRow MakeRefund(uint64_t id, const PaymentRow& payment, int64_t created_ns) {
  RefundRow r;
  r.id = id;
  r.payment_id = payment.id;
  r.merchant_id = payment.merchant_id;
  r.customer_id = payment.customer_id;
  r.amount_fen = 10;
  r.fee_fen = 1;
  r.created_ns = created_ns;
  return r;
}

class PaymentReadModelTest : public StoreTest {
 protected:
  void Apply(const Projection& projection) {
    Status s = store_->ApplyProjection(projection);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Projects payments 1..count in time order, `per_batch` to a projection.
  void ApplyPayments(uint64_t count, uint64_t per_batch) {
    for (uint64_t first = 1; first <= count; first += per_batch) {
      Projection p;
      p.last_seq = first;
      for (uint64_t i = first; i < first + per_batch && i <= count; i++) {
        p.payments.push_back(MakePayment(i));
      }
      Apply(p);
    }
  }

  // Pages through the payments matching `filter`, checking each page's shape.
  std::vector<PaymentRow> AllPayments(const PaymentFilter& filter, size_t limit) {
    std::vector<PaymentRow> all;
    std::optional<uint64_t> cursor;
    for (int pages = 0; pages < 1000; pages++) {
      PaymentPage page;
      Status s = store_->ListPayments(filter, cursor, limit, &page);
      EXPECT_TRUE(s.ok()) << s.ToString();
      EXPECT_LE(page.payments.size(), limit);
      all.insert(all.end(), page.payments.begin(), page.payments.end());
      if (!page.next_cursor) return all;
      EXPECT_EQ(page.payments.size(), limit) << "a short page that says there are more";
      cursor = page.next_cursor;
    }
    ADD_FAILURE() << "pagination does not end";
    return all;
  }

  // What ListPayments must serve: the generated payments matching `filter`, newest first.
  static std::vector<PaymentRow> Expected(const PaymentFilter& filter, uint64_t count) {
    std::vector<PaymentRow> expected;
    for (uint64_t i = count; i >= 1; i--) {
      const PaymentRow p = MakePayment(i);
      if (filter.merchant_id && p.merchant_id != *filter.merchant_id) continue;
      if (filter.customer_id && p.customer_id != *filter.customer_id) continue;
      if (filter.from_ns && p.created_ns < *filter.from_ns) continue;
      if (filter.to_ns && p.created_ns >= *filter.to_ns) continue;
      expected.push_back(p);
    }
    return expected;
  }

  std::optional<MerchantRow> Merchant(uint64_t id) {
    std::optional<MerchantRow> merchant;
    EXPECT_TRUE(store_->ReadMerchant(id, &merchant).ok());
    return merchant;
  }
  std::optional<OrderRow> Order(uint64_t id) {
    std::optional<OrderRow> order;
    EXPECT_TRUE(store_->ReadOrder(id, &order).ok());
    return order;
  }
  std::optional<PaymentRow> Payment(uint64_t id) {
    std::optional<PaymentRow> payment;
    EXPECT_TRUE(store_->ReadPayment(id, &payment).ok());
    return payment;
  }
  std::vector<RefundRow> Refunds(uint64_t payment_id) {
    std::vector<RefundRow> refunds;
    EXPECT_TRUE(store_->ListRefunds(payment_id, &refunds).ok());
    return refunds;
  }
};

TEST_F(PaymentReadModelTest, NewStoreHasNoMerchantsOrPayments) {
  EXPECT_FALSE(Merchant(1).has_value());
  EXPECT_FALSE(Order(1).has_value());
  EXPECT_FALSE(Payment(1).has_value());
  EXPECT_TRUE(Refunds(1).empty());
  PaymentPage page;
  ASSERT_TRUE(store_->ListPayments({}, std::nullopt, 10, &page).ok());
  EXPECT_TRUE(page.payments.empty());
  EXPECT_FALSE(page.next_cursor.has_value());
}

TEST_F(PaymentReadModelTest, UpsertsKeepTheLatestState) {
  Projection first;
  first.last_seq = 1;
  first.merchants = {MakeMerchant(1), MakeMerchant(2)};
  first.orders = {MakeOrder(10, 1)};
  first.payments = {MakePayment(1), MakePayment(2)};
  Apply(first);

  MerchantRow suspended = MakeMerchant(1, 2);
  suspended.status_changed_ns = 5000;
  suspended.contact_phone = "13900000000";
  OrderRow paid = MakeOrder(10, 1);
  paid.status = 2;
  paid.payment_id = MakePayment(1).id;
  PaymentRow refunded = MakePayment(1);
  refunded.state = 3;
  refunded.refunded_fen = 40;
  refunded.fee_refunded_fen = 1;
  PaymentRow half_refunded = refunded;
  half_refunded.refunded_fen = 20;
  Projection second;
  second.last_seq = 2;
  second.merchants = {suspended};
  second.orders = {paid};
  // Within one projection too, the last state listed wins.
  second.payments = {half_refunded, MakePayment(3), refunded};
  Apply(second);

  EXPECT_EQ(Merchant(1), suspended);
  EXPECT_EQ(Merchant(2), MakeMerchant(2));
  EXPECT_EQ(Order(10), paid);
  EXPECT_EQ(Payment(MakePayment(1).id), refunded);
  EXPECT_EQ(Payment(MakePayment(2).id), MakePayment(2));
  Reopen();
  EXPECT_EQ(Payment(MakePayment(1).id), refunded);

  // An update keeps the payment's place: it is still the oldest.
  const std::vector<PaymentRow> all = AllPayments({}, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0], MakePayment(3));
  EXPECT_EQ(all[1], MakePayment(2));
  EXPECT_EQ(all[2], refunded);
}

TEST_F(PaymentReadModelTest, RowFieldsSurviveIncludingExtremes) {
  MerchantRow m = MakeMerchant(UINT64_MAX - 1);
  m.account_id = UINT64_MAX;
  m.fee_bps = UINT32_MAX;
  m.status = UINT8_MAX;
  m.onboarded_by_staff_id = UINT64_MAX;
  m.created_ns = INT64_MIN;
  m.status_changed_ns = INT64_MAX;
  PaymentRow p = MakePayment(1);
  p.amount_fen = INT64_MAX;
  p.fee_fen = INT64_MIN;
  p.order_id = UINT64_MAX;
  Projection projection;
  projection.merchants = {m};
  projection.payments = {p};
  Apply(projection);
  Reopen();
  EXPECT_EQ(Merchant(m.id), m);
  EXPECT_EQ(Payment(p.id), p);
}

TEST_F(PaymentReadModelTest, PaymentsPageNewestFirstByMerchantCustomerAndTime) {
  constexpr uint64_t kCount = 60;
  ApplyPayments(kCount, 7);
  const int64_t from_ns = kStartNs + 105;  // Payments 11..50.
  const int64_t to_ns = kStartNs + 501;
  std::vector<PaymentFilter> filters = {
      {},
      Filter(2, kAny),
      Filter(kAny, 13),
      Filter(1, 12),
      Filter(kAny, kAny, from_ns, to_ns),
      Filter(kAny, kAny, from_ns),
      Filter(kAny, kAny, kAny, to_ns),
      Filter(3, kAny, from_ns, to_ns),
      Filter(kAny, 14, from_ns),
  };
  for (size_t f = 0; f < filters.size(); f++) {
    const std::vector<PaymentRow> expected = Expected(filters[f], kCount);
    ASSERT_GT(expected.size(), 3u) << "filter " << f;
    for (size_t limit : {size_t{1}, size_t{4}, size_t{5}, expected.size(), size_t{1000}}) {
      EXPECT_EQ(AllPayments(filters[f], limit), expected) << "filter " << f << " limit " << limit;
    }
  }
}

// The projection may list the payments it carries in any order: their places come from their
// times.
TEST_F(PaymentReadModelTest, PaymentsListedOutOfOrderInOneProjectionStillPageByTime) {
  constexpr uint64_t kCount = 12;
  Projection p;
  for (uint64_t i = 1; i <= kCount; i++) p.payments.push_back(MakePayment((i * 5) % kCount + 1));
  Apply(p);
  Projection later;
  for (uint64_t i = kCount + 8; i > kCount; i--) later.payments.push_back(MakePayment(i));
  Apply(later);
  EXPECT_EQ(AllPayments({}, 5), Expected({}, kCount + 8));
  const int64_t from_ns = MakePayment(4).created_ns;
  const int64_t to_ns = MakePayment(15).created_ns;
  EXPECT_EQ(AllPayments(Filter(kAny, kAny, from_ns, to_ns), 3),
            Expected(Filter(kAny, kAny, from_ns, to_ns), kCount + 8));
}

TEST_F(PaymentReadModelTest, PaymentPagesHoldTheLimitAndAnEmptyRangeHasNone) {
  ApplyPayments(20, 20);
  PaymentPage page;
  ASSERT_TRUE(store_->ListPayments(Filter(1, kAny), std::nullopt, 3, &page).ok());
  EXPECT_EQ(page.payments.size(), 3u);
  ASSERT_TRUE(page.next_cursor.has_value());
  // A zero limit serves nothing and resumes where the caller was.
  const std::optional<uint64_t> cursor = page.next_cursor;
  ASSERT_TRUE(store_->ListPayments(Filter(1, kAny), cursor, 0, &page).ok());
  EXPECT_TRUE(page.payments.empty());
  EXPECT_EQ(page.next_cursor, cursor);
  for (const PaymentFilter& empty :
       {Filter(42, kAny), Filter(kAny, 42), Filter(kAny, kAny, kStartNs + 1000),
        Filter(kAny, kAny, kAny, kStartNs), Filter(kAny, kAny, kStartNs + 101, kStartNs + 109)}) {
    ASSERT_TRUE(store_->ListPayments(empty, std::nullopt, 10, &page).ok());
    EXPECT_TRUE(page.payments.empty());
    EXPECT_FALSE(page.next_cursor.has_value());
  }
}

TEST_F(PaymentReadModelTest, MerchantsListNewestFirstFilteredByStatus) {
  Projection p;
  for (uint64_t id = 1; id <= 11; id++)
    p.merchants.push_back(MakeMerchant(id, id % 3 == 0 ? 2 : 1));
  Apply(p);
  auto all_pages = [&](uint8_t status, size_t limit) {
    std::vector<uint64_t> ids;
    std::optional<uint64_t> cursor;
    for (int pages = 0; pages < 100; pages++) {
      std::vector<MerchantRow> merchants;
      std::optional<uint64_t> next;
      EXPECT_TRUE(store_->ListMerchants(status, cursor, limit, &merchants, &next).ok());
      EXPECT_LE(merchants.size(), limit);
      for (const MerchantRow& m : merchants) {
        EXPECT_EQ(m, MakeMerchant(m.id, m.status));
        if (status != 0) {
          EXPECT_EQ(m.status, status);
        }
        ids.push_back(m.id);
      }
      if (!next) break;
      cursor = next;
    }
    return ids;
  };
  EXPECT_EQ(all_pages(0, 4), (std::vector<uint64_t>{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(all_pages(0, 11), (std::vector<uint64_t>{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(all_pages(2, 2), (std::vector<uint64_t>{9, 6, 3}));
  EXPECT_EQ(all_pages(1, 3), (std::vector<uint64_t>{11, 10, 8, 7, 5, 4, 2, 1}));
  EXPECT_TRUE(all_pages(4, 3).empty());
}

TEST_F(PaymentReadModelTest, OrdersListPerMerchantNewestFirst) {
  Projection p;
  for (uint64_t id = 1; id <= 10; id++) p.orders.push_back(MakeOrder(id, id % 2 + 1));
  Apply(p);
  std::vector<uint64_t> ids;
  std::optional<uint64_t> cursor;
  std::vector<size_t> sizes;
  for (int pages = 0; pages < 100; pages++) {
    std::vector<OrderRow> orders;
    std::optional<uint64_t> next;
    ASSERT_TRUE(store_->ListOrders(2, cursor, 2, &orders, &next).ok());
    sizes.push_back(orders.size());
    for (const OrderRow& o : orders) {
      EXPECT_EQ(o, MakeOrder(o.id, 2));
      ids.push_back(o.id);
    }
    if (!next) break;
    cursor = next;
  }
  EXPECT_EQ(ids, (std::vector<uint64_t>{9, 7, 5, 3, 1}));
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1}));
  std::vector<OrderRow> orders;
  std::optional<uint64_t> next;
  ASSERT_TRUE(store_->ListOrders(42, std::nullopt, 10, &orders, &next).ok());
  EXPECT_TRUE(orders.empty());
  EXPECT_FALSE(next.has_value());
}

TEST_F(PaymentReadModelTest, RefundsListPerPaymentOldestFirstAndAreInsertedOnce) {
  const PaymentRow a = MakePayment(1);
  const PaymentRow b = MakePayment(2);
  Projection first;
  first.payments = {a, b};
  first.refunds = {MakeRefund(70, a, 5000), MakeRefund(71, b, 5100)};
  Apply(first);
  Projection second;
  RefundRow replayed = MakeRefund(70, a, 5000);
  replayed.amount_fen = 99;  // A replay never rewrites a refund.
  // Listed out of time order: the order must come from the timestamps.
  second.refunds = {MakeRefund(73, a, 5300), replayed, MakeRefund(72, a, 5200)};
  Apply(second);
  EXPECT_EQ(Refunds(a.id), (std::vector<RefundRow>{MakeRefund(70, a, 5000), MakeRefund(72, a, 5200),
                                                   MakeRefund(73, a, 5300)}));
  EXPECT_EQ(Refunds(b.id), (std::vector<RefundRow>{MakeRefund(71, b, 5100)}));
  EXPECT_TRUE(Refunds(42).empty());
}

TEST_F(PaymentReadModelTest, ResetEmptiesMerchantsOrdersPaymentsAndRefunds) {
  Projection p;
  p.merchants = {MakeMerchant(1)};
  p.orders = {MakeOrder(10, 1)};
  p.payments = {MakePayment(1), MakePayment(2)};
  p.refunds = {MakeRefund(70, MakePayment(1), 5000)};
  Apply(p);
  ASSERT_TRUE(store_->ResetReadModels().ok());
  EXPECT_FALSE(Merchant(1).has_value());
  EXPECT_FALSE(Order(10).has_value());
  EXPECT_FALSE(Payment(MakePayment(1).id).has_value());
  EXPECT_TRUE(Refunds(MakePayment(1).id).empty());
  EXPECT_TRUE(AllPayments({}, 10).empty());
  std::vector<MerchantRow> merchants;
  std::optional<uint64_t> next;
  ASSERT_TRUE(store_->ListMerchants(0, std::nullopt, 10, &merchants, &next).ok());
  EXPECT_TRUE(merchants.empty());
  // Projecting again after a reset rebuilds the same lists.
  ApplyPayments(9, 4);
  EXPECT_EQ(AllPayments({}, 4), Expected({}, 9));
}

InvoiceRow MakeInvoice(const PaymentRow& payment, const std::string& number, int64_t issued_ns) {
  InvoiceRow r;
  r.number = number;
  r.payment_id = payment.id;
  r.merchant_id = payment.merchant_id;
  r.customer_id = payment.customer_id;
  r.buyer_title = "张三";
  r.seller_name = "商户";
  r.seller_tax_id = "91350100M000100Y43";
  r.item_name = "*餐饮服务*餐费";
  r.amount_fen = payment.amount_fen;
  r.tax_rate_bp = 600;
  r.issued_ns = issued_ns;
  return r;
}

CreditInvoiceRow MakeCreditInvoice(const RefundRow& refund, const std::string& number,
                                   const std::string& original_number) {
  return CreditInvoiceRow{number,
                          refund.id,
                          refund.payment_id,
                          original_number,
                          refund.merchant_id,
                          refund.customer_id,
                          refund.amount_fen,
                          1,
                          600,
                          refund.created_ns,
                          true};
}

// Red-letter invoices: listed per payment oldest first, found by number, inserted once, and
// gone after a reset; the refunds still owing one are those of invoiced payments beyond what
// the blue invoice already left out (payment - blue), that have none yet.
TEST_F(PaymentReadModelTest, CreditInvoicesAndTheRefundsStillOwingOne) {
  const PaymentRow a = MakePayment(1);
  const PaymentRow b = MakePayment(2);
  const RefundRow before = MakeRefund(70, a, 4000);  // Before a's invoice: owes nothing.
  const RefundRow r1 = MakeRefund(71, a, 5000);
  const RefundRow r2 = MakeRefund(72, a, 5100);
  const RefundRow r3 = MakeRefund(73, b, 5200);  // b has no invoice: owes nothing.
  Projection p;
  p.payments = {a, b};
  p.refunds = {before, r1, r2, r3};
  InvoiceRow blue = MakeInvoice(a, "26310000000000000001", 5000);
  blue.amount_fen = a.amount_fen - before.amount_fen;  // The refund before it is left out.
  p.invoices = {blue};
  Apply(p);
  std::vector<RefundRow> owed;
  ASSERT_TRUE(store_->ListRefundsOwingCreditInvoice(10, &owed).ok());
  EXPECT_EQ(owed, (std::vector<RefundRow>{r1, r2}));
  ASSERT_TRUE(store_->ListRefundsOwingCreditInvoice(1, &owed).ok());
  EXPECT_EQ(owed, (std::vector<RefundRow>{r1}));

  const CreditInvoiceRow red2 =
      MakeCreditInvoice(r2, "26310000000000000003", "26310000000000000001");
  const CreditInvoiceRow red1 =
      MakeCreditInvoice(r1, "26310000000000000002", "26310000000000000001");
  Projection second;
  second.credit_invoices = {red2, red1};
  Apply(second);
  CreditInvoiceRow replayed = red1;
  replayed.amount_fen = 99;  // A replay never rewrites one.
  Projection third;
  third.credit_invoices = {replayed};
  Apply(third);

  std::vector<CreditInvoiceRow> reds;
  ASSERT_TRUE(store_->ListCreditInvoices(a.id, &reds).ok());
  EXPECT_EQ(reds, (std::vector<CreditInvoiceRow>{red1, red2}));
  ASSERT_TRUE(store_->ListCreditInvoices(b.id, &reds).ok());
  EXPECT_TRUE(reds.empty());
  std::optional<CreditInvoiceRow> found;
  ASSERT_TRUE(store_->ReadCreditInvoice("26310000000000000003", &found).ok());
  EXPECT_EQ(found, red2);
  ASSERT_TRUE(store_->ReadCreditInvoice("26310000000000000001", &found).ok());
  EXPECT_FALSE(found.has_value());  // The blue one is not a red one.
  ASSERT_TRUE(store_->ListRefundsOwingCreditInvoice(10, &owed).ok());
  EXPECT_TRUE(owed.empty());

  ASSERT_TRUE(store_->ResetReadModels().ok());
  ASSERT_TRUE(store_->ListCreditInvoices(a.id, &reds).ok());
  EXPECT_TRUE(reds.empty());
  ASSERT_TRUE(store_->ReadCreditInvoice("26310000000000000003", &found).ok());
  EXPECT_FALSE(found.has_value());
}

// A customer's wallet (account 1) pays merchant 5 (settlement account 905), gets part of it
// refunded, and sends money to a friend (account 2, customer 12).
TEST_F(PaymentReadModelTest, HistoryOfPaymentsAndRefundsCarriesTheMerchant) {
  const MerchantRow merchant = MakeMerchant(5);
  PaymentRow payment = MakePayment(1);
  payment.merchant_id = merchant.id;
  const RefundRow refund = MakeRefund(300, payment, kStartNs + 50);
  Projection p;
  p.last_seq = 1;
  p.accounts = {MakeAccount(1), MakeAccount(2), MakeAccount(merchant.account_id)};
  ledger::Transfer pay = MakeTransfer(payment.id, 1, merchant.account_id, payment.created_ns);
  pay.code = ledger::transfer_codes::kPayment;
  ledger::Transfer give_back = MakeTransfer(refund.id, merchant.account_id, 1, refund.created_ns);
  give_back.code = ledger::transfer_codes::kRefund;
  ledger::Transfer p2p = MakeTransfer(400, 1, 2, kStartNs + 60);
  p2p.code = ledger::transfer_codes::kP2P;
  // A transfer whose id is also a payment's, but whose code is not a payment's, names no
  // merchant.
  ledger::Transfer other = MakeTransfer(payment.id + 1, 2, 1, kStartNs + 70);
  p.transfers = {pay, give_back, p2p, other};
  CustomerRow friend_customer;
  friend_customer.id = 12;
  friend_customer.wallet_account_id = 2;
  friend_customer.phone = "13800000012";
  p.customers = {friend_customer};
  p.merchants = {merchant};
  p.payments = {payment, MakePayment(2)};
  p.payments.back().id = other.id;  // A payment row whose id matches a non-payment transfer.
  p.refunds = {refund};
  Apply(p);

  HistoryPage page;
  ASSERT_TRUE(store_->ListHistory(1, {}, std::nullopt, 10, &page).ok());
  ASSERT_EQ(page.entries.size(), 4u);
  EXPECT_EQ(page.entries[0].transfer, other);
  EXPECT_FALSE(page.entries[0].merchant.has_value());
  EXPECT_EQ(page.entries[1].transfer, p2p);
  EXPECT_FALSE(page.entries[1].merchant.has_value());
  EXPECT_EQ(page.entries[1].counterparty_customer, friend_customer);
  EXPECT_EQ(page.entries[2].transfer, give_back);
  EXPECT_EQ(page.entries[2].merchant, merchant);
  EXPECT_FALSE(page.entries[2].counterparty_customer.has_value());
  EXPECT_EQ(page.entries[3].transfer, pay);
  EXPECT_EQ(page.entries[3].merchant, merchant);
  EXPECT_FALSE(page.entries[3].card.has_value());

  // Filtered to payments only, and a merchant the read model does not know yet.
  HistoryFilter payments_only;
  payments_only.codes = {ledger::transfer_codes::kPayment};
  ASSERT_TRUE(store_->ListHistory(1, payments_only, std::nullopt, 10, &page).ok());
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].merchant, merchant);
  ASSERT_TRUE(store_->ResetReadModels().ok());
  p.merchants.clear();
  Apply(p);
  ASSERT_TRUE(store_->ListHistory(1, {}, std::nullopt, 10, &page).ok());
  ASSERT_EQ(page.entries.size(), 4u);
  for (const HistoryEntry& entry : page.entries) EXPECT_FALSE(entry.merchant.has_value());
}

}  // namespace
}  // namespace qb
