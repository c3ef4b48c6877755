// The webhook outbox: rows created by the projection in the transaction that marks an order
// paid, the dispatcher's progress recorded on them, and their survival of a read-model reset.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "store/store_test_util.h"

namespace qb::testing {
namespace {

constexpr int64_t kPaidNs = 1'790'000'000'000'000'000;

OrderRow Order(uint64_t id, uint64_t merchant_id, std::string notify_url) {
  OrderRow o;
  o.id = id;
  o.merchant_id = merchant_id;
  o.merchant_order_no = "NO-" + std::to_string(id);
  o.amount_fen = 2'500;
  o.description = "订单";
  o.notify_url = std::move(notify_url);
  o.created_ns = kPaidNs - 1'000;
  o.expires_ns = kPaidNs + 1'000'000;
  return o;
}

PaymentRow Payment(uint64_t id, const OrderRow& order, uint8_t state, int64_t created_ns) {
  PaymentRow p;
  p.id = id;
  p.merchant_id = order.merchant_id;
  p.customer_id = 9;
  p.order_id = order.id;
  p.channel = 3;
  p.state = state;
  p.amount_fen = order.amount_fen;
  p.created_ns = created_ns;
  return p;
}

class WebhookOutboxTest : public StoreTest {
 protected:
  // Projects `order` created, then paid by `payment` (the order state carries the payment).
  void Pay(const OrderRow& order, const PaymentRow& payment, uint64_t seq) {
    Projection p;
    p.last_seq = seq;
    p.orders.push_back(order);
    p.payments.push_back(payment);
    p.order_states.push_back({order.id, 2, payment.id});
    Status s = store_->ApplyProjection(p);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::optional<WebhookDeliveryRow> Read(const std::string& event_id) {
    std::optional<WebhookDeliveryRow> row;
    Status s = store_->ReadWebhookDelivery(event_id, &row);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return row;
  }

  std::vector<WebhookDeliveryRow> Pending() {
    std::vector<WebhookDeliveryRow> rows;
    Status s = store_->ListPendingWebhookDeliveries(100, &rows);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return rows;
  }
};

TEST_F(WebhookOutboxTest, APaidOrderWithANotifyUrlOwesOneNotice) {
  const OrderRow order = Order(501, 3, "https://m.example/notify");
  Pay(order, Payment(77, order, 1, kPaidNs), 1);
  std::optional<WebhookDeliveryRow> row = Read("evt_77");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->merchant_id, 3u);
  EXPECT_EQ(row->order_id, 501u);
  EXPECT_EQ(row->payment_id, 77u);
  EXPECT_EQ(row->url, "https://m.example/notify");
  EXPECT_EQ(row->body, "");
  EXPECT_EQ(row->state, 0);
  EXPECT_EQ(row->attempts, 0u);
  EXPECT_EQ(row->created_ns, kPaidNs);
  EXPECT_EQ(Pending().size(), 1u);

  // The payment projected again (a refund, say) owes no second notice and keeps the progress.
  std::string body = R"({"id":"evt_77"})";
  ASSERT_TRUE(store_->FixWebhookBody("evt_77", &body).ok());
  WebhookAttemptRow attempt{"evt_77", 1, kPaidNs, 5'000'000, 500, "HTTP 500", 1, kPaidNs + 5};
  ASSERT_TRUE(store_->RecordWebhookAttempt(attempt).ok());
  Pay(order, Payment(77, order, 1, kPaidNs), 2);
  row = Read("evt_77");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->body, R"({"id":"evt_77"})");
  EXPECT_EQ(row->attempts, 1u);
  EXPECT_EQ(row->next_attempt_ns, kPaidNs + 5);

  // Ids use all 64 bits: the event id spells the unsigned one.
  const OrderRow big = Order(502, 3, "https://m.example/notify");
  Pay(big, Payment(18'446'744'073'709'551'000u, big, 1, kPaidNs), 3);
  row = Read("evt_18446744073709551000");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->payment_id, 18'446'744'073'709'551'000u);
}

TEST_F(WebhookOutboxTest, NoNoticeWithoutAUrlOrBeforeThePaymentCompletes) {
  const OrderRow silent = Order(601, 3, "");
  Pay(silent, Payment(61, silent, 1, kPaidNs), 1);
  EXPECT_FALSE(Read("evt_61").has_value());

  // Awaiting the customer's confirmation: nothing yet; confirmed: the notice.
  const OrderRow held = Order(602, 3, "https://m.example/notify");
  Pay(held, Payment(62, held, 2, kPaidNs), 2);
  EXPECT_FALSE(Read("evt_62").has_value());
  Pay(held, Payment(62, held, 1, kPaidNs), 3);
  EXPECT_TRUE(Read("evt_62").has_value());

  // A state change without a payment (an order closed) owes nothing.
  const OrderRow closed = Order(603, 3, "https://m.example/notify");
  Projection p;
  p.last_seq = 4;
  p.orders.push_back(closed);
  p.order_states.push_back({closed.id, 3, 0});
  ASSERT_TRUE(store_->ApplyProjection(p).ok());
  EXPECT_EQ(Pending().size(), 1u);
}

TEST_F(WebhookOutboxTest, AttemptsMoveTheDeliveryThroughItsStates) {
  const OrderRow order = Order(701, 4, "https://m.example/notify");
  Pay(order, Payment(71, order, 1, kPaidNs), 1);

  // The first body fixed is the one every later attempt sends.
  std::string first = "first";
  ASSERT_TRUE(store_->FixWebhookBody("evt_71", &first).ok());
  std::string second = "second";
  ASSERT_TRUE(store_->FixWebhookBody("evt_71", &second).ok());
  EXPECT_EQ(second, "first");
  std::string unknown = "x";
  EXPECT_EQ(store_->FixWebhookBody("evt_nope", &unknown).code(), Status::Code::kNotFound);

  ASSERT_TRUE(
      store_->RecordWebhookAttempt({"evt_71", 1, kPaidNs, 7, 0, "refused", 1, kPaidNs + 9}).ok());
  ASSERT_TRUE(
      store_->RecordWebhookAttempt({"evt_71", 2, kPaidNs + 9, 7, 503, "HTTP 503", 2, 0}).ok());
  std::optional<WebhookDeliveryRow> row = Read("evt_71");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, 2);  // failed
  EXPECT_EQ(row->attempts, 2u);
  EXPECT_EQ(row->last_http_status, 503);
  EXPECT_EQ(row->last_error, "HTTP 503");
  EXPECT_TRUE(Pending().empty());

  // A manual re-send that is acknowledged.
  ASSERT_TRUE(store_->RecordWebhookAttempt({"evt_71", 3, kPaidNs + 99, 7, 200, "", 0, 0}).ok());
  row = Read("evt_71");
  EXPECT_EQ(row->state, 1);
  EXPECT_EQ(row->attempts, 3u);

  std::vector<WebhookAttemptRow> attempts;
  ASSERT_TRUE(store_->ListWebhookAttempts("evt_71", &attempts).ok());
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].error, "refused");
  EXPECT_EQ(attempts[1].outcome, 2);
  EXPECT_EQ(attempts[2].http_status, 200);

  std::vector<WebhookDeliveryRow> mine, theirs;
  ASSERT_TRUE(store_->ListWebhookDeliveries(4, 10, &mine).ok());
  ASSERT_TRUE(store_->ListWebhookDeliveries(5, 10, &theirs).ok());
  EXPECT_EQ(mine.size(), 1u);
  EXPECT_TRUE(theirs.empty());
}

TEST_F(WebhookOutboxTest, PendingComesDueFirstAndAbandonEndsOnlyPendingOnes) {
  for (uint64_t i = 1; i <= 3; i++) {
    const OrderRow order = Order(800 + i, 4, "https://m.example/notify");
    Pay(order, Payment(80 + i, order, 1, kPaidNs + static_cast<int64_t>(i)), i);
  }
  // evt_81 waits for a retry later than the other two, which are due at once.
  ASSERT_TRUE(
      store_->RecordWebhookAttempt({"evt_81", 1, kPaidNs, 7, 500, "", 1, kPaidNs + 50}).ok());
  std::vector<WebhookDeliveryRow> pending = Pending();
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0].event_id, "evt_82");
  EXPECT_EQ(pending[1].event_id, "evt_83");
  EXPECT_EQ(pending[2].event_id, "evt_81");

  ASSERT_TRUE(store_->AbandonWebhookDelivery("evt_82", "too old to send unasked").ok());
  EXPECT_EQ(Read("evt_82")->state, 2);
  EXPECT_EQ(Read("evt_82")->last_error, "too old to send unasked");
  ASSERT_TRUE(store_->RecordWebhookAttempt({"evt_83", 1, kPaidNs, 7, 200, "", 0, 0}).ok());
  ASSERT_TRUE(store_->AbandonWebhookDelivery("evt_83", "late").ok());
  EXPECT_EQ(Read("evt_83")->state, 1);  // delivered stays delivered
  EXPECT_EQ(Pending().size(), 1u);
}

TEST_F(WebhookOutboxTest, TheOutboxOutlivesAReadModelResetAndAReopen) {
  const OrderRow order = Order(901, 5, "https://m.example/notify");
  Pay(order, Payment(91, order, 1, kPaidNs), 1);
  ASSERT_TRUE(store_->RecordWebhookAttempt({"evt_91", 1, kPaidNs, 7, 200, "", 0, 0}).ok());
  ASSERT_TRUE(store_->ResetReadModels().ok());
  Reopen();
  std::optional<WebhookDeliveryRow> row = Read("evt_91");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, 1);
  // Rebuilding the read models projects the payment again: the delivered notice stays so.
  Pay(order, Payment(91, order, 1, kPaidNs), 1);
  EXPECT_EQ(Read("evt_91")->state, 1);
  EXPECT_TRUE(Pending().empty());
}

}  // namespace
}  // namespace qb::testing
