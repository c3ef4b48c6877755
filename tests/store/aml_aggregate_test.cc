// Store::AggregateCustomerMovements (the AML large-value report's sums) on projected rows: what
// counts (P2P both ways, posted top-ups and withdrawals at the post's time, refunds, completed
// payments) and what does not (holds, voids, payments not completed, marketing transfers,
// movements outside the range), the inclusive thresholds, the limit, and bad queries.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "store_test_util.h"

namespace qb {
namespace {

using testing::StoreTest;

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kDayStartNs = int64_t{1'795'363'200} * kNsPerSecond;  // 2026-11-23 00:00 +08
constexpr int64_t kDayEndNs = kDayStartNs + int64_t{86'400} * kNsPerSecond;
constexpr uint64_t kWalletBase = uint64_t{1} << 48;
constexpr uint64_t kClearing = 1;
constexpr uint64_t kMerchantAccount = (uint64_t{1} << 40) + 1;
constexpr uint8_t kCompleted = 1;
constexpr uint8_t kCancelled = 3;

CustomerRow Customer(uint64_t id) {
  CustomerRow c;
  c.id = id;
  c.wallet_account_id = kWalletBase + id;
  c.phone = "1380013800" + std::to_string(id);
  c.real_name_masked = "张*";
  return c;
}

ledger::Transfer Move(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount, uint16_t code,
                      int64_t at_ns, uint16_t flags = 0, uint64_t pending_id = 0) {
  ledger::Transfer t;
  t.id = id;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount = amount;
  t.ledger = 1;
  t.code = code;
  t.flags = flags;
  t.pending_id = pending_id;
  t.timestamp_ns = at_ns;
  return t;
}

PaymentRow Payment(uint64_t id, uint64_t customer_id, int64_t amount, uint8_t state,
                   int64_t at_ns) {
  PaymentRow p;
  p.id = id;
  p.merchant_id = 1;
  p.customer_id = customer_id;
  p.state = state;
  p.amount_fen = amount;
  p.created_ns = at_ns;
  return p;
}

class AmlAggregateTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    namespace codes = ledger::transfer_codes;
    namespace flags = ledger::transfer_flags;
    const uint64_t a = kWalletBase + 1, b = kWalletBase + 2;
    const int64_t noon = kDayStartNs + int64_t{4 * 3600} * kNsPerSecond;
    Projection p;
    p.last_seq = 1;
    p.customers = {Customer(1), Customer(2), Customer(3)};
    p.transfers = {
        // A top-up held the day before and posted on the day: counts on the day, once.
        Move(10, kClearing, a, 300'000, codes::kTopUp, kDayStartNs - 1, flags::kPending),
        Move(11, kClearing, a, 300'000, codes::kTopUp, kDayStartNs, flags::kPostPending, 10),
        // A withdrawal held and voided: never counts.
        Move(12, a, kClearing, 50'000, codes::kWithdrawal, noon, flags::kPending),
        Move(13, a, kClearing, 0, codes::kWithdrawal, noon + 1, flags::kVoidPending, 12),
        // A posted withdrawal.
        Move(14, a, kClearing, 20'000, codes::kWithdrawal, noon + 2, flags::kPending),
        Move(15, a, kClearing, 20'000, codes::kWithdrawal, noon + 3, flags::kPostPending, 14),
        // P2P from 1 to 2: out for 1, in for 2.
        Move(16, a, b, 70'000, codes::kP2P, noon + 4),
        // A refund to 2.
        Move(17, kMerchantAccount, b, 5'000, codes::kRefund, noon + 5),
        // Cashback is marketing, not a movement; the payment's transfer counts through the
        // payments table, not here.
        Move(18, kMerchantAccount, b, 9'000, codes::kCashback, noon + 6),
        Move(19, b, kMerchantAccount, 40'000, codes::kPayment, noon + 7),
        // The last nanosecond of the day counts; the next day's first does not.
        Move(20, a, b, 1, codes::kP2P, kDayEndNs - 1),
        Move(21, a, b, 1'000'000, codes::kP2P, kDayEndNs),
        // Customer 3: only out of range.
        Move(22, kClearing, kWalletBase + 3, 1'000'000, codes::kTopUp, kDayStartNs - 1),
    };
    p.payments = {Payment(19, 2, 40'000, kCompleted, noon + 7),
                  Payment(23, 2, 800'000, kCancelled, noon + 8),
                  Payment(24, 3, 800'000, kCompleted, kDayEndNs)};
    Status s = store_->ApplyProjection(p);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Store::MovementReport Report(int64_t transfer_threshold, int64_t cash_threshold,
                               size_t limit = 10) {
    Store::MovementQuery query;
    query.from_ns = kDayStartNs;
    query.to_ns = kDayEndNs;
    query.payment_state = kCompleted;
    query.transfer_threshold_fen = transfer_threshold;
    query.cash_threshold_fen = cash_threshold;
    query.limit = limit;
    Store::MovementReport report;
    Status s = store_->AggregateCustomerMovements(query, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return report;
  }
};

TEST_F(AmlAggregateTest, CountsPostedMovementsOfTheDayOnly) {
  const Store::MovementReport report = Report(1, 1);
  ASSERT_EQ(report.rows.size(), 2u);
  EXPECT_FALSE(report.truncated);
  Store::CustomerMovementRow one;
  one.customer_id = 1;
  one.phone = "13800138001";
  one.real_name_masked = "张*";
  one.count = 4;  // Top-up post, withdrawal post, two P2P out.
  one.in_fen = 300'000;
  one.out_fen = 20'000 + 70'000 + 1;
  one.cash_count = 2;
  one.cash_in_fen = 300'000;
  one.cash_out_fen = 20'000;
  EXPECT_EQ(report.rows[0], one);
  Store::CustomerMovementRow two;
  two.customer_id = 2;
  two.phone = "13800138002";
  two.real_name_masked = "张*";
  two.count = 4;  // P2P in twice, the refund, the completed payment.
  two.in_fen = 70'000 + 1 + 5'000;
  two.out_fen = 40'000;
  EXPECT_EQ(report.rows[1], two);
}

TEST_F(AmlAggregateTest, ThresholdsAreInclusiveAndEitherQualifies) {
  // Customer 1 moves 390,001 in all, 320,000 of it cash; customer 2 moves 115,001, no cash.
  std::vector<uint64_t> ids;
  for (const auto& row : Report(390'001, 320'001).rows) ids.push_back(row.customer_id);
  EXPECT_EQ(ids, (std::vector<uint64_t>{1}));
  ids.clear();
  for (const auto& row : Report(390'002, 320'000).rows) ids.push_back(row.customer_id);
  EXPECT_EQ(ids, (std::vector<uint64_t>{1}));
  EXPECT_TRUE(Report(390'002, 320'001).rows.empty());
  ids.clear();
  for (const auto& row : Report(115'001, 1'000'000).rows) ids.push_back(row.customer_id);
  EXPECT_EQ(ids, (std::vector<uint64_t>{1, 2}));
}

TEST_F(AmlAggregateTest, StopsAtTheLimit) {
  const Store::MovementReport report = Report(1, 1, 1);
  ASSERT_EQ(report.rows.size(), 1u);
  EXPECT_EQ(report.rows[0].customer_id, 1u);
  EXPECT_TRUE(report.truncated);
}

TEST_F(AmlAggregateTest, RefusesBadQueries) {
  Store::MovementReport report;
  Store::MovementQuery query;
  query.from_ns = kDayEndNs;
  query.to_ns = kDayStartNs;
  query.transfer_threshold_fen = 1;
  query.cash_threshold_fen = 1;
  query.limit = 1;
  EXPECT_EQ(store_->AggregateCustomerMovements(query, &report).code(),
            Status::Code::kInvalidArgument);
  query.from_ns = kDayStartNs;
  query.to_ns = kDayEndNs;
  query.transfer_threshold_fen = 0;
  EXPECT_EQ(store_->AggregateCustomerMovements(query, &report).code(),
            Status::Code::kInvalidArgument);
  query.transfer_threshold_fen = 1;
  query.limit = 0;
  EXPECT_EQ(store_->AggregateCustomerMovements(query, &report).code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace qb
