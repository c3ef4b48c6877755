// The report aggregates (Store::AggregateMerchantSales, AggregateCustomerSpending) against a
// plain loop over the same payment rows: a generated stream of payments over three weeks, with
// payments at 23:59:59.999999999 and 00:00 China time, every channel and one the reports do not
// know, partial and full refunds, payments that never completed, customers who came once and
// customers who came back. Each aggregate is recomputed here, row by row, from the rows as last
// projected, and must match exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store_test_util.h"

namespace qb {
namespace {

using testing::StoreTest;

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kChinaOffsetSeconds = 8 * 3'600;
constexpr int64_t kNsPerDay = kSecondsPerDay * kNsPerSecond;
constexpr uint8_t kCompleted = 1;
constexpr uint8_t kAwaitingConfirmation = 2;
constexpr uint8_t kCancelled = 3;
// 2025-12-31, a Wednesday (China days since 1970-01-01; day 0 was a Thursday).
constexpr int64_t kFirstDay = 20'453;
constexpr int64_t kDays = 21;

// A China day, as the reports define it: floor((seconds + 8 h) / 1 day). Times here are after
// 1970, so integer division is the floor.
int64_t ChinaDayOf(int64_t created_ns) {
  return (created_ns / kNsPerSecond + kChinaOffsetSeconds) / kSecondsPerDay;
}
int64_t DayStartNs(int64_t day) {
  return (day * kSecondsPerDay - kChinaOffsetSeconds) * kNsPerSecond;
}
int64_t MondayOnOrBefore(int64_t day) { return day - (day + 3) % 7; }

MerchantRow MakeMerchant(uint64_t id, std::string category) {
  MerchantRow m;
  m.id = id;
  m.account_id = 900 + id;
  m.legal_name = "商户 " + std::to_string(id);
  m.category = std::move(category);
  return m;
}

// A small deterministic generator, so the stream is the same on every run.
class Lcg {
 public:
  uint64_t Next(uint64_t bound) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state_ >> 33) % bound;
  }

 private:
  uint64_t state_ = 20260301;
};

// The stream, in time order: `count` payments over kDays + 2 days (one day either side of the
// reports' range), plus pairs at each China midnight: one a nanosecond before, one at it.
std::vector<PaymentRow> MakePayments(size_t count) {
  Lcg random;
  std::vector<PaymentRow> rows;
  auto add = [&](int64_t created_ns) {
    PaymentRow p;
    p.id = 50'000 + rows.size();
    p.merchant_id = 1 + random.Next(3);                    // Merchant 3 is not in the read model.
    p.customer_id = 11 + random.Next(12);                  // Few customers: many come back.
    p.channel = static_cast<uint8_t>(1 + random.Next(6));  // 6: no channel the reports list.
    const uint64_t state = random.Next(10);
    p.state = state == 0 ? kAwaitingConfirmation : state == 1 ? kCancelled : kCompleted;
    p.amount_fen = 100 + static_cast<int64_t>(random.Next(50'000));
    p.fee_fen = p.amount_fen * 6 / 1000;
    const uint64_t refund = random.Next(6);
    if (refund == 0) {  // In full.
      p.refunded_fen = p.amount_fen;
      p.fee_refunded_fen = p.fee_fen;
    } else if (refund == 1) {  // In part.
      p.refunded_fen = p.amount_fen / 3;
      p.fee_refunded_fen = p.fee_fen / 3;
    }
    p.created_ns = created_ns;
    rows.push_back(p);
  };
  const int64_t start_ns = DayStartNs(kFirstDay - 1);
  const uint64_t span_seconds = (kDays + 2) * kSecondsPerDay;
  std::vector<int64_t> times;
  for (size_t i = 0; i < count; i++) {
    times.push_back(start_ns + static_cast<int64_t>(random.Next(span_seconds)) * kNsPerSecond +
                    static_cast<int64_t>(random.Next(kNsPerSecond)));
  }
  for (int64_t day = kFirstDay - 1; day <= kFirstDay + kDays + 1; day++) {
    times.push_back(DayStartNs(day) - 1);  // 23:59:59.999999999 the day before.
    times.push_back(DayStartNs(day));      // 00:00 China time.
  }
  std::sort(times.begin(), times.end());
  for (int64_t t : times) add(t);
  return rows;
}

class ReportAggregateTest : public StoreTest {
 protected:
  // Projects the merchants and the payments, first as made and, for those refunded, then again
  // with their refunds: the aggregates must read each payment's latest state.
  void Project(const std::vector<PaymentRow>& rows) {
    Projection first;
    first.last_seq = 1;
    first.merchants = {MakeMerchant(1, "catering"), MakeMerchant(2, "retail")};
    for (PaymentRow p : rows) {
      p.refunded_fen = 0;
      p.fee_refunded_fen = 0;
      first.payments.push_back(p);
    }
    Apply(first);
    Projection refunds;
    refunds.last_seq = 2;
    for (const PaymentRow& p : rows) {
      if (p.refunded_fen != 0) refunds.payments.push_back(p);
    }
    Apply(refunds);
  }
  void Apply(const Projection& projection) {
    Status s = store_->ApplyProjection(projection);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Store::SalesReport Sales(const Store::SalesQuery& query) {
    Store::SalesReport report;
    Status s = store_->AggregateMerchantSales(query, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return report;
  }
  Store::SpendingReport Spending(const Store::SpendingQuery& query) {
    Store::SpendingReport report;
    Status s = store_->AggregateCustomerSpending(query, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return report;
  }
};

Store::SalesQuery SalesQueryOf(uint64_t merchant_id, int64_t from_day, int64_t to_day,
                               bool weekly) {
  Store::SalesQuery q;
  q.merchant_id = merchant_id;
  q.state = kCompleted;
  q.from_ns = DayStartNs(from_day);
  q.to_ns = DayStartNs(to_day + 1);
  q.origin_ns = DayStartNs(weekly ? MondayOnOrBefore(from_day) : from_day);
  q.bucket_ns = (weekly ? 7 : 1) * kNsPerDay;
  return q;
}

// The sales report, by a loop over the rows: buckets counted in China days from the first
// bucket's day.
Store::SalesReport ExpectedSales(const std::vector<PaymentRow>& rows, uint64_t merchant_id,
                                 int64_t from_day, int64_t to_day, bool weekly) {
  const int64_t first_day = weekly ? MondayOnOrBefore(from_day) : from_day;
  const int64_t days_per_bucket = weekly ? 7 : 1;
  std::map<std::pair<int64_t, uint8_t>, Store::SalesChannelRow> channels;
  std::map<int64_t, std::map<uint64_t, int64_t>> customers_by_bucket;
  std::map<uint64_t, int64_t> customers;
  for (const PaymentRow& p : rows) {
    const int64_t day = ChinaDayOf(p.created_ns);
    if (p.merchant_id != merchant_id || p.state != kCompleted) continue;
    if (day < from_day || day > to_day) continue;
    const int64_t bucket = (day - first_day) / days_per_bucket;
    Store::SalesChannelRow& row = channels[{bucket, p.channel}];
    row.bucket = bucket;
    row.channel = p.channel;
    row.payment_count++;
    row.gross_fen += p.amount_fen;
    row.refunded_fen += p.refunded_fen;
    row.fee_fen += p.fee_fen - p.fee_refunded_fen;
    customers_by_bucket[bucket][p.customer_id]++;
    customers[p.customer_id]++;
  }
  auto repeat = [](const std::map<uint64_t, int64_t>& counts) {
    int64_t n = 0;
    for (const auto& [customer, payments] : counts) n += payments >= 2 ? 1 : 0;
    return n;
  };
  Store::SalesReport report;
  for (const auto& [key, row] : channels) report.channels.push_back(row);
  for (const auto& [bucket, counts] : customers_by_bucket) {
    report.customers.push_back(
        Store::SalesCustomerRow{bucket, static_cast<int64_t>(counts.size()), repeat(counts)});
  }
  report.unique_customers = static_cast<int64_t>(customers.size());
  report.repeat_customers = repeat(customers);
  return report;
}

void ExpectSameSales(const Store::SalesReport& actual, const Store::SalesReport& expected) {
  EXPECT_EQ(actual.channels, expected.channels);
  EXPECT_EQ(actual.customers, expected.customers);
  EXPECT_EQ(actual.unique_customers, expected.unique_customers);
  EXPECT_EQ(actual.repeat_customers, expected.repeat_customers);
}

// The spending report, by a loop over the rows.
Store::SpendingReport ExpectedSpending(const std::vector<PaymentRow>& rows,
                                       const Store::SpendingQuery& q,
                                       const std::map<uint64_t, MerchantRow>& merchants) {
  std::map<std::pair<size_t, std::string>, Store::SpendingCategoryRow> categories;
  std::map<uint64_t, Store::SpendingMerchantRow> by_merchant;
  for (const PaymentRow& p : rows) {
    const int64_t net = p.amount_fen - p.refunded_fen;
    if (p.customer_id != q.customer_id || p.state != kCompleted || net <= 0) continue;
    if (p.created_ns < q.period_starts_ns.front() || p.created_ns >= q.to_ns) continue;
    size_t period = 0;
    while (period + 1 < q.period_starts_ns.size() &&
           p.created_ns >= q.period_starts_ns[period + 1]) {
      period++;
    }
    auto merchant = merchants.find(p.merchant_id);
    const std::string category =
        merchant == merchants.end() ? q.unknown_category : merchant->second.category;
    Store::SpendingCategoryRow& row = categories[{period, category}];
    row.period = period;
    row.category = category;
    row.net_fen += net;
    row.payment_count++;
    Store::SpendingMerchantRow& m = by_merchant[p.merchant_id];
    m.merchant_id = p.merchant_id;
    m.legal_name = merchant == merchants.end() ? "" : merchant->second.legal_name;
    m.net_fen += net;
    m.payment_count++;
  }
  Store::SpendingReport report;
  for (const auto& [key, row] : categories) report.categories.push_back(row);
  for (const auto& [id, row] : by_merchant) report.top_merchants.push_back(row);
  std::stable_sort(report.top_merchants.begin(), report.top_merchants.end(),
                   [](const auto& a, const auto& b) { return a.net_fen > b.net_fen; });
  if (report.top_merchants.size() > q.top_merchant_limit) {
    report.top_merchants.resize(q.top_merchant_limit);
  }
  return report;
}

TEST_F(ReportAggregateTest, AnEmptyStoreHasNoSalesAndNoSpending) {
  ExpectSameSales(Sales(SalesQueryOf(1, kFirstDay, kFirstDay + 6, false)), Store::SalesReport());
  Store::SpendingQuery q;
  q.customer_id = 11;
  q.period_starts_ns = {DayStartNs(kFirstDay)};
  q.to_ns = DayStartNs(kFirstDay + 1);
  q.top_merchant_limit = 5;
  Store::SpendingReport report = Spending(q);
  EXPECT_TRUE(report.categories.empty());
  EXPECT_TRUE(report.top_merchants.empty());
}

TEST_F(ReportAggregateTest, MidnightChinaTimeSplitsTheDays) {
  // 23:59:59.999999999 and 00:00 China time (15:59:59.999999999 and 16:00 UTC) of day d, and a
  // payment that never completed, at noon.
  const int64_t d = kFirstDay + 3;
  PaymentRow late;
  late.id = 1;
  late.merchant_id = 1;
  late.customer_id = 11;
  late.channel = 1;
  late.amount_fen = 1000;
  late.fee_fen = 6;
  late.created_ns = DayStartNs(d + 1) - 1;
  PaymentRow early = late;
  early.id = 2;
  early.channel = 3;
  early.amount_fen = 500;
  early.refunded_fen = 200;
  early.fee_fen = 3;
  early.fee_refunded_fen = 1;
  early.created_ns = DayStartNs(d + 1);
  PaymentRow cancelled = late;
  cancelled.id = 3;
  cancelled.state = kCancelled;
  cancelled.created_ns = DayStartNs(d) + kNsPerDay / 2;
  std::vector<PaymentRow> rows = {cancelled, late, early};
  Project(rows);
  ASSERT_EQ(ChinaDayOf(late.created_ns), d);
  ASSERT_EQ(ChinaDayOf(early.created_ns), d + 1);

  Store::SalesReport daily = Sales(SalesQueryOf(1, d, d + 1, false));
  ASSERT_EQ(daily.channels.size(), 2u);
  EXPECT_EQ(daily.channels[0], (Store::SalesChannelRow{0, 1, 1, 1000, 0, 6}));
  EXPECT_EQ(daily.channels[1], (Store::SalesChannelRow{1, 3, 1, 500, 200, 2}));
  EXPECT_EQ(daily.customers, (std::vector<Store::SalesCustomerRow>{{0, 1, 0}, {1, 1, 0}}));
  EXPECT_EQ(daily.unique_customers, 1);
  EXPECT_EQ(daily.repeat_customers, 1);  // Twice in the range, once a day.
  ExpectSameSales(daily, ExpectedSales(rows, 1, d, d + 1, false));
  // A range of day d alone stops a nanosecond before the second payment.
  Store::SalesReport one_day = Sales(SalesQueryOf(1, d, d, false));
  EXPECT_EQ(one_day.channels, (std::vector<Store::SalesChannelRow>{{0, 1, 1, 1000, 0, 6}}));
  EXPECT_EQ(one_day.repeat_customers, 0);
}

TEST_F(ReportAggregateTest, DailySalesMatchALoopOverThePayments) {
  const std::vector<PaymentRow> rows = MakePayments(3'000);
  // Reports read on a connection of their own: one opened before the payments came sees them.
  EXPECT_TRUE(Sales(SalesQueryOf(1, kFirstDay, kFirstDay + kDays - 1, false)).channels.empty());
  Project(rows);
  for (uint64_t merchant_id : {1, 2, 3, 4}) {
    SCOPED_TRACE(merchant_id);
    const Store::SalesReport expected =
        ExpectedSales(rows, merchant_id, kFirstDay, kFirstDay + kDays - 1, false);
    ExpectSameSales(Sales(SalesQueryOf(merchant_id, kFirstDay, kFirstDay + kDays - 1, false)),
                    expected);
    if (merchant_id == 4) {
      EXPECT_TRUE(expected.channels.empty());
    } else {
      // The stream exercises what it should: every bucket, an unlisted channel, repeats.
      EXPECT_EQ(expected.customers.size(), static_cast<size_t>(kDays));
      EXPECT_TRUE(std::any_of(expected.channels.begin(), expected.channels.end(),
                              [](const auto& row) { return row.channel == 6; }));
      EXPECT_GT(expected.repeat_customers, 0);
      EXPECT_LT(expected.repeat_customers, expected.unique_customers + 1);
    }
  }
  // A single day, mid-range.
  ExpectSameSales(Sales(SalesQueryOf(2, kFirstDay + 5, kFirstDay + 5, false)),
                  ExpectedSales(rows, 2, kFirstDay + 5, kFirstDay + 5, false));
}

TEST_F(ReportAggregateTest, WeeklySalesMatchALoopOverThePayments) {
  const std::vector<PaymentRow> rows = MakePayments(3'000);
  Project(rows);
  // From a Wednesday: the first week starts on the Monday before, but counts from Wednesday.
  ASSERT_NE(MondayOnOrBefore(kFirstDay), kFirstDay);
  for (uint64_t merchant_id : {1, 2, 3}) {
    SCOPED_TRACE(merchant_id);
    const Store::SalesReport expected =
        ExpectedSales(rows, merchant_id, kFirstDay, kFirstDay + kDays - 1, true);
    ExpectSameSales(Sales(SalesQueryOf(merchant_id, kFirstDay, kFirstDay + kDays - 1, true)),
                    expected);
    // Wednesday to Sunday, two whole weeks, then Monday and Tuesday.
    EXPECT_EQ(expected.customers.size(), 4u);
  }
}

TEST_F(ReportAggregateTest, SpendingMatchesALoopOverThePayments) {
  const std::vector<PaymentRow> rows = MakePayments(3'000);
  Project(rows);
  const std::map<uint64_t, MerchantRow> merchants = {{1, MakeMerchant(1, "catering")},
                                                     {2, MakeMerchant(2, "retail")}};
  Store::SpendingQuery q;
  q.state = kCompleted;
  // Periods of uneven length, starting at China midnights; the range leaves a day out at each
  // end.
  q.period_starts_ns = {DayStartNs(kFirstDay), DayStartNs(kFirstDay + 4), DayStartNs(kFirstDay + 5),
                        DayStartNs(kFirstDay + 12)};
  q.to_ns = DayStartNs(kFirstDay + kDays);
  q.unknown_category = "other";
  for (size_t limit : {0, 2, 5}) {
    q.top_merchant_limit = limit;
    for (uint64_t customer_id = 10; customer_id <= 23; customer_id++) {
      SCOPED_TRACE(customer_id);
      q.customer_id = customer_id;
      const Store::SpendingReport expected = ExpectedSpending(rows, q, merchants);
      const Store::SpendingReport actual = Spending(q);
      EXPECT_EQ(actual.categories, expected.categories);
      EXPECT_EQ(actual.top_merchants, expected.top_merchants);
    }
  }
  // The stream exercises what it should: the unknown merchant's category, and refunds in full
  // that drop a payment from the counts.
  q.customer_id = 11;
  const Store::SpendingReport report = Spending(q);
  EXPECT_TRUE(std::any_of(report.categories.begin(), report.categories.end(),
                          [](const auto& row) { return row.category == "other"; }));
  EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [](const PaymentRow& p) {
    return p.customer_id == 11 && p.state == kCompleted && p.refunded_fen == p.amount_fen;
  }));
}

TEST_F(ReportAggregateTest, TopMerchantsBreakTiesByTheLowerId) {
  std::vector<PaymentRow> rows;
  for (uint64_t merchant_id : {3, 2, 1}) {
    PaymentRow p;
    p.id = merchant_id;
    p.merchant_id = merchant_id;
    p.customer_id = 11;
    p.amount_fen = 700;
    p.created_ns = DayStartNs(kFirstDay) + static_cast<int64_t>(merchant_id);
    rows.push_back(p);
  }
  Project(rows);
  Store::SpendingQuery q;
  q.customer_id = 11;
  q.period_starts_ns = {DayStartNs(kFirstDay)};
  q.to_ns = DayStartNs(kFirstDay + 1);
  q.top_merchant_limit = 2;
  const Store::SpendingReport report = Spending(q);
  ASSERT_EQ(report.top_merchants.size(), 2u);
  EXPECT_EQ(report.top_merchants[0].merchant_id, 1u);
  EXPECT_EQ(report.top_merchants[0].legal_name, "商户 1");
  EXPECT_EQ(report.top_merchants[1].merchant_id, 2u);
}

TEST_F(ReportAggregateTest, MalformedQueriesAreRefused) {
  Store::SalesReport sales;
  Store::SalesQuery no_buckets = SalesQueryOf(1, kFirstDay, kFirstDay, false);
  no_buckets.bucket_ns = 0;
  EXPECT_EQ(store_->AggregateMerchantSales(no_buckets, &sales).code(),
            Status::Code::kInvalidArgument);
  Store::SalesQuery late_origin = SalesQueryOf(1, kFirstDay, kFirstDay, false);
  late_origin.origin_ns = late_origin.from_ns + 1;
  EXPECT_EQ(store_->AggregateMerchantSales(late_origin, &sales).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(
      store_->AggregateMerchantSales(SalesQueryOf(1, kFirstDay, kFirstDay + 1'000, false), &sales)
          .code(),
      Status::Code::kInvalidArgument);
  EXPECT_TRUE(
      store_->AggregateMerchantSales(SalesQueryOf(1, kFirstDay, kFirstDay + 998, false), &sales)
          .ok());
  Store::SpendingReport spending;
  Store::SpendingQuery no_periods;
  EXPECT_EQ(store_->AggregateCustomerSpending(no_periods, &spending).code(),
            Status::Code::kInvalidArgument);
  Store::SpendingQuery unsorted;
  unsorted.period_starts_ns = {2, 1};
  unsorted.to_ns = 3;
  EXPECT_EQ(store_->AggregateCustomerSpending(unsorted, &spending).code(),
            Status::Code::kInvalidArgument);
}

// The offer audience's input (ForEachSpendingProfile): each customer once, in id order, with
// their completed payments of the window summed by category ("" for merchant 3, missing from
// the read model), China hour and merchant, net of refunds and only when positive.
TEST_F(ReportAggregateTest, SpendingProfilesMatchALoopOverThePayments) {
  const std::vector<PaymentRow> rows = MakePayments(3'000);
  Project(rows);
  const int64_t from_ns = DayStartNs(kFirstDay + 3) + 5 * kNsPerSecond;
  const int64_t to_ns = DayStartNs(kFirstDay + 10) - 1;
  using Key = std::tuple<uint64_t, std::string, int32_t, uint64_t>;
  std::map<Key, std::pair<int64_t, int64_t>> expected;
  for (const PaymentRow& p : rows) {
    const int64_t net = p.amount_fen - p.refunded_fen;
    if (p.state != kCompleted || p.created_ns < from_ns || p.created_ns >= to_ns || net <= 0) {
      continue;
    }
    const std::string category = p.merchant_id == 1   ? "catering"
                                 : p.merchant_id == 2 ? "retail"
                                                      : "";
    const auto hour =
        static_cast<int32_t>((p.created_ns / kNsPerSecond + kChinaOffsetSeconds) / 3'600 % 24);
    auto& [sum, count] = expected[Key{p.customer_id, category, hour, p.merchant_id}];
    sum += net;
    count++;
  }
  ASSERT_GT(expected.size(), 100u);
  std::map<Key, std::pair<int64_t, int64_t>> got;
  std::vector<uint64_t> customers;
  const Store::SpendingProfileQuery query{from_ns, to_ns, kCompleted};
  Status s = store_->ForEachSpendingProfile(
      query, [&](uint64_t customer, std::span<const SpendingCellRow> cells) {
        customers.push_back(customer);
        for (const SpendingCellRow& c : cells) {
          EXPECT_TRUE(got.emplace(Key{customer, c.category, c.china_hour, c.merchant_id},
                                  std::pair{c.net_fen, c.count})
                          .second);
        }
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(std::is_sorted(customers.begin(), customers.end()));
  EXPECT_EQ(std::adjacent_find(customers.begin(), customers.end()), customers.end());
}

}  // namespace
}  // namespace qb
