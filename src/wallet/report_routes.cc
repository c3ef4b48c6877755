// Where the money goes: the customer's spending analysis (by category and month, top merchants,
// month-over-month change) and the merchant's sales report (by day or week: payments, gross,
// refunds, fees, net, average ticket, unique and repeat customers, by channel) as JSON, CSV or
// XLSX. Days and months are China time (UTC+8).
//
// The store sums and counts (Store::AggregateMerchantSales, AggregateCustomerSpending), so the
// figures are exact for any number of payments; here they are only arranged and formatted.
// "truncated" is always false now: it stays in the JSON for the clients that read it.
#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <utility>

#include "base/assert.h"
#include "merchant/merchant_category.h"
#include "report/table_export.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

constexpr int64_t kReadWaitNs = int64_t{2} * kNsPerSecond;
constexpr int64_t kMaxReportDays = 366;
constexpr size_t kTopMerchants = 5;
constexpr uint8_t kCompleted = static_cast<uint8_t>(payments::PaymentState::kCompleted);

// --- The customer's spending ---

struct Totals {
  int64_t amount = 0;
  int64_t count = 0;
};

void Spending(WalletContext& context, const Principal& principal, const HttpRequest& request,
              Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  int64_t months = 6;
  if (std::string_view text = query->GetOr("months"); !text.empty()) {
    std::optional<uint64_t> parsed = ParseId(text);
    if (!parsed || *parsed > 24) {
      return respond(ErrorResponse(ErrorCode::kFieldInvalid, "months: 1 to 24"));
    }
    months = static_cast<int64_t>(*parsed);
  }
  const uint64_t durable = Services(context).engine->stats().durable_seq;
  RunOnWorker(
      context,
      [&context, customer_id = principal.id, months, durable, respond]() {
        WaitForProjection(context, durable, kReadWaitNs);
        // The window: the first day of the month `months - 1` months ago, to the end of this
        // month; one period per month.
        int64_t y = 0, m = 0, d = 0;
        CivilFromDays(ChinaDay(Services(context).clock->NowNs()), &y, &m, &d);
        const int64_t first_month = y * 12 + (m - 1) - (months - 1);
        Store::SpendingQuery spending_query;
        spending_query.customer_id = customer_id;
        spending_query.state = kCompleted;
        spending_query.unknown_category = "other";
        spending_query.top_merchant_limit = kTopMerchants;
        for (int64_t i = 0; i <= months; i++) {
          const int64_t month = first_month + i;
          const int64_t start_ns = DayStartNs(DaysFromCivil(month / 12, month % 12 + 1, 1));
          if (i < months) spending_query.period_starts_ns.push_back(start_ns);
          spending_query.to_ns = start_ns;
        }
        Store::SpendingReport report;
        if (!Services(context).store->AggregateCustomerSpending(spending_query, &report).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read payments now"));
        }
        std::vector<Totals> by_month(static_cast<size_t>(months));
        std::vector<std::map<std::string, int64_t>> categories_by_month(
            static_cast<size_t>(months));
        std::map<std::string, int64_t> categories;
        for (const Store::SpendingCategoryRow& row : report.categories) {
          QB_ASSERT(row.period < by_month.size());
          by_month[row.period].amount += row.net_fen;
          by_month[row.period].count += row.payment_count;
          categories_by_month[row.period][row.category] += row.net_fen;
          categories[row.category] += row.net_fen;
        }
        auto category_list = [](const std::map<std::string, int64_t>& totals) {
          std::vector<std::pair<std::string, int64_t>> sorted(totals.begin(), totals.end());
          std::stable_sort(sorted.begin(), sorted.end(),
                           [](const auto& a, const auto& b) { return a.second > b.second; });
          api::JsonArrayWriter list;
          for (const auto& [id, amount] : sorted) {
            const merchant::MerchantCategory* category = merchant::FindMerchantCategoryById(id);
            api::JsonObjectWriter json;
            json.String("category", id)
                .String("category_name", category == nullptr ? id : category->name_zh)
                .String("category_name_en", category == nullptr ? id : category->name_en)
                .Amount("amount", amount);
            list.Object(std::move(json));
          }
          return list;
        };
        api::JsonArrayWriter month_list;
        for (int64_t i = 0; i < months; i++) {
          const int64_t month = first_month + i;
          char text[48];
          std::snprintf(text, sizeof text, "%04lld-%02lld", static_cast<long long>(month / 12),
                        static_cast<long long>(month % 12 + 1));
          api::JsonObjectWriter json;
          json.String("month", text)
              .Amount("amount", by_month[i].amount)
              .Int("count", by_month[i].count)
              .Array("by_category", category_list(categories_by_month[i]));
          month_list.Object(std::move(json));
        }
        api::JsonArrayWriter top_list;
        for (const Store::SpendingMerchantRow& merchant : report.top_merchants) {
          api::JsonObjectWriter json;
          json.String("merchant_id", std::to_string(merchant.merchant_id))
              .String("name", merchant.legal_name)
              .Amount("amount", merchant.net_fen)
              .Int("count", merchant.payment_count);
          top_list.Object(std::move(json));
        }
        const int64_t current = by_month[months - 1].amount;
        const int64_t previous = months >= 2 ? by_month[months - 2].amount : 0;
        api::JsonObjectWriter change;
        change.Amount("current", current).Amount("previous", previous);
        if (previous == 0) {
          change.Null("change_bp");
        } else {
          // Basis points, rounded toward zero; integers only.
          const __int128 delta = static_cast<__int128>(current - previous) * 10'000;
          change.Int("change_bp", static_cast<int64_t>(delta / previous));
        }
        api::JsonObjectWriter body;
        body.Array("months", std::move(month_list))
            .Array("by_category", category_list(categories))
            .Array("top_merchants", std::move(top_list))
            .Object("month_over_month", std::move(change))
            .String("currency", "CNY")
            .Bool("truncated", false);
        respond(api::JsonResponse(200, body));
      },
      respond);
}

// --- The merchant's sales ---

constexpr payments::PaymentChannel kChannels[] = {
    payments::PaymentChannel::kStaticQr, payments::PaymentChannel::kDynamicQr,
    payments::PaymentChannel::kPaymentCode, payments::PaymentChannel::kOnline,
    payments::PaymentChannel::kNfc};

struct SalesBucket {
  int64_t start_day = 0;
  int64_t count = 0;
  int64_t gross = 0;
  int64_t refunds = 0;
  int64_t fees = 0;
  int64_t customers = 0;
  int64_t repeat_customers = 0;
  std::array<Totals, std::size(kChannels)> channels{};  // In kChannels order.
};

// Adds one of the store's bucket × channel rows; a channel the report does not list still
// counts in the bucket's totals.
void AddChannelRow(const Store::SalesChannelRow& row, SalesBucket* b) {
  b->count += row.payment_count;
  b->gross += row.gross_fen;
  b->refunds += row.refunded_fen;
  b->fees += row.fee_fen;
  for (size_t i = 0; i < std::size(kChannels); i++) {
    if (static_cast<uint8_t>(kChannels[i]) != row.channel) continue;
    b->channels[i].count += row.payment_count;
    b->channels[i].amount += row.gross_fen;
  }
}

report::ReportTable SalesTable(const std::vector<SalesBucket>& buckets, bool weekly) {
  using report::ColumnKind;
  report::ReportTable table;
  table.title = weekly ? "Weekly sales" : "Daily sales";
  table.columns = {{"日期 Date", ColumnKind::kDate},
                   {"笔数 Payments", ColumnKind::kInteger},
                   {"交易额 Gross", ColumnKind::kMoneyFen},
                   {"退款 Refunds", ColumnKind::kMoneyFen},
                   {"手续费 Fees", ColumnKind::kMoneyFen},
                   {"净收入 Net", ColumnKind::kMoneyFen},
                   {"客单价 Average ticket", ColumnKind::kMoneyFen},
                   {"顾客 Customers", ColumnKind::kInteger},
                   {"回头客 Repeat customers", ColumnKind::kInteger}};
  for (payments::PaymentChannel channel : kChannels) {
    table.columns.push_back(
        {std::string(payments::PaymentChannelName(channel)) + " count", ColumnKind::kInteger});
    table.columns.push_back(
        {std::string(payments::PaymentChannelName(channel)) + " amount", ColumnKind::kMoneyFen});
  }
  for (const SalesBucket& b : buckets) {
    std::vector<report::ReportCell> row = {DateText(b.start_day),
                                           b.count,
                                           b.gross,
                                           b.refunds,
                                           b.fees,
                                           b.gross - b.refunds - b.fees,
                                           b.count == 0 ? int64_t{0} : b.gross / b.count,
                                           b.customers,
                                           b.repeat_customers};
    for (const Totals& channel : b.channels) {
      row.push_back(channel.count);
      row.push_back(channel.amount);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

void Sales(WalletContext& context, const MerchantCaller& caller, const HttpRequest& request,
           Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  const int64_t today = ChinaDay(Services(context).clock->NowNs());
  std::optional<int64_t> from = today - 29;
  std::optional<int64_t> to = today;
  if (std::string_view text = query->GetOr("from"); !text.empty()) from = ParseDate(text);
  if (std::string_view text = query->GetOr("to"); !text.empty()) to = ParseDate(text);
  if (!from || !to || *from > *to || *to - *from >= kMaxReportDays) {
    return respond(ErrorResponse(ErrorCode::kFieldInvalid,
                                 "from, to: dates YYYY-MM-DD, from <= to, at most 366 days"));
  }
  const std::string period(query->GetOr("period", "day"));
  const std::string format(query->GetOr("format", "json"));
  if (period != "day" && period != "week") {
    return respond(ErrorResponse(ErrorCode::kFieldInvalid, "period: day or week"));
  }
  if (format != "json" && format != "csv" && format != "xlsx") {
    return respond(ErrorResponse(ErrorCode::kFieldInvalid, "format: json, csv or xlsx"));
  }
  const uint64_t durable = Services(context).engine->stats().durable_seq;
  RunOnWorker(
      context,
      [&context, merchant_id = caller.merchant_id, from = *from, to = *to,
       weekly = period == "week", format, durable, respond]() {
        WaitForProjection(context, durable, kReadWaitNs);
        // Weeks start on Monday (1970-01-01 was a Thursday: day 0 is 3 days after a Monday).
        const int64_t shifted = from + 3;
        const int64_t first_day = weekly ? from - (shifted % 7 + 7) % 7 : from;
        const int64_t step_days = weekly ? 7 : 1;
        Store::SalesQuery sales_query;
        sales_query.merchant_id = merchant_id;
        sales_query.state = kCompleted;
        sales_query.from_ns = DayStartNs(from);
        sales_query.to_ns = DayStartNs(to + 1);
        sales_query.origin_ns = DayStartNs(first_day);
        sales_query.bucket_ns = step_days * kNsPerDay;
        Store::SalesReport report;
        if (!Services(context).store->AggregateMerchantSales(sales_query, &report).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read payments now"));
        }
        std::vector<SalesBucket> buckets;
        for (int64_t day = first_day; day <= to; day += step_days) {
          buckets.emplace_back().start_day = day;
        }
        SalesBucket total;
        total.start_day = from;
        for (const Store::SalesChannelRow& row : report.channels) {
          QB_ASSERT(row.bucket >= 0 && row.bucket < static_cast<int64_t>(buckets.size()));
          AddChannelRow(row, &buckets[row.bucket]);
          AddChannelRow(row, &total);
        }
        for (const Store::SalesCustomerRow& row : report.customers) {
          QB_ASSERT(row.bucket >= 0 && row.bucket < static_cast<int64_t>(buckets.size()));
          buckets[row.bucket].customers = row.unique_customers;
          buckets[row.bucket].repeat_customers = row.repeat_customers;
        }
        total.customers = report.unique_customers;
        total.repeat_customers = report.repeat_customers;
        if (format != "json") {
          report::ReportTable table = SalesTable(buckets, weekly);
          HttpResponse response;
          Status s = format == "csv" ? report::WriteCsv(table, &response.body)
                                     : report::WriteXlsx(table, &response.body);
          if (!s.ok()) {
            LogError("sales report export failed", {{"error", s.ToString()}});
            return respond(ErrorResponse(ErrorCode::kInternal, "the report could not be written"));
          }
          response.content_type =
              format == "csv" ? "text/csv; charset=utf-8"
                              : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
          response.headers.emplace_back("Content-Disposition",
                                        "attachment; filename=\"sales-" + DateText(from) + "-" +
                                            DateText(to) + "." + format + "\"");
          response.headers.emplace_back("Cache-Control", "private, no-store");
          return respond(std::move(response));
        }
        auto bucket_json = [](const SalesBucket& b) {
          api::JsonObjectWriter channels;
          for (size_t i = 0; i < std::size(kChannels); i++) {
            api::JsonObjectWriter c;
            c.Int("count", b.channels[i].count).Amount("amount", b.channels[i].amount);
            channels.Object(payments::PaymentChannelName(kChannels[i]), std::move(c));
          }
          api::JsonObjectWriter json;
          json.String("period_start", DateText(b.start_day))
              .Int("payment_count", b.count)
              .Amount("gross", b.gross)
              .Amount("refunds", b.refunds)
              .Amount("fees", b.fees)
              .Amount("net", b.gross - b.refunds - b.fees)
              .Amount("average_ticket", b.count == 0 ? 0 : b.gross / b.count)
              .Int("unique_customers", b.customers)
              .Int("repeat_customers", b.repeat_customers)
              .Object("by_channel", std::move(channels));
          return json;
        };
        api::JsonArrayWriter list;
        for (const SalesBucket& b : buckets) list.Object(bucket_json(b));
        api::JsonObjectWriter body;
        body.String("from", DateText(from))
            .String("to", DateText(to))
            .String("period", weekly ? "week" : "day")
            .Array("rows", std::move(list))
            .Object("totals", bucket_json(total))
            .String("currency", "CNY")
            .Bool("truncated", false);
        respond(api::JsonResponse(200, body));
      },
      respond);
}

}  // namespace

void AddReportRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  router.Add("GET", "/api/v1/me/spending", [shared](HttpRequest&& request, Responder respond) {
    std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
    if (principal) Spending(*shared, *principal, request, std::move(respond));
  });
  router.Add("GET", "/api/v1/merchant/reports/sales",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<MerchantCaller> caller =
                   RequireMerchant(*shared, request, respond, false, true);
               if (caller) Sales(*shared, *caller, request, std::move(respond));
             });
}

}  // namespace qb::wallet
