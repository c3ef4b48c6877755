// Where the money goes: the customer's spending analysis (by category and month, top merchants,
// month-over-month change) and the merchant's sales report (by day or week: payments, gross,
// refunds, fees, net, average ticket, unique and repeat customers, by channel) as JSON, CSV or
// XLSX. Both fold the payment read model on a worker; days and months are China time (UTC+8).
//
// A report reads at most kMaxReportPayments payments and says so ("truncated") beyond: enough
// for a customer's year or a small shop's quarter; a large merchant's long ranges belong in SQL
// aggregates (not yet).
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

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

constexpr size_t kMaxReportPayments = 200'000;
constexpr size_t kPageSize = 1'000;
constexpr int64_t kReadWaitNs = int64_t{2} * kNsPerSecond;
constexpr int64_t kMaxReportDays = 366;

// Every completed payment matching `filter`, newest first, up to kMaxReportPayments.
Status ReadPayments(Store& store, const PaymentFilter& filter, std::vector<PaymentRow>* out,
                    bool* truncated) {
  std::optional<uint64_t> cursor;
  *truncated = false;
  for (;;) {
    PaymentPage page;
    if (Status s = store.ListPayments(filter, cursor, kPageSize, &page); !s.ok()) return s;
    for (PaymentRow& row : page.payments) {
      if (row.state != static_cast<uint8_t>(payments::PaymentState::kCompleted)) continue;
      if (out->size() == kMaxReportPayments) {
        *truncated = true;
        return Status::Ok();
      }
      out->push_back(std::move(row));
    }
    if (!page.next_cursor) return Status::Ok();
    cursor = page.next_cursor;
  }
}

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
        // The window: the first day of the month `months - 1` months ago, to now.
        int64_t y = 0, m = 0, d = 0;
        CivilFromDays(ChinaDay(Services(context).clock->NowNs()), &y, &m, &d);
        int64_t first_month = y * 12 + (m - 1) - (months - 1);
        const int64_t from_day = DaysFromCivil(first_month / 12, first_month % 12 + 1, 1);
        PaymentFilter filter;
        filter.customer_id = customer_id;
        filter.from_ns = DayStartNs(from_day);
        Store& store = *Services(context).store;
        std::vector<PaymentRow> rows;
        bool truncated = false;
        if (!ReadPayments(store, filter, &rows, &truncated).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read payments now"));
        }
        // Merchants' names and categories, once each.
        std::map<uint64_t, MerchantRow> merchants;
        for (const PaymentRow& row : rows) {
          if (merchants.contains(row.merchant_id)) continue;
          std::optional<MerchantRow> merchant;
          if (store.ReadMerchant(row.merchant_id, &merchant).ok() && merchant) {
            merchants[row.merchant_id] = *merchant;
          }
        }
        std::vector<Totals> by_month(static_cast<size_t>(months));
        std::vector<std::map<std::string, int64_t>> categories_by_month(
            static_cast<size_t>(months));
        std::map<std::string, int64_t> categories;
        std::map<uint64_t, Totals> by_merchant;
        for (const PaymentRow& row : rows) {
          const int64_t net = row.amount_fen - row.refunded_fen;
          if (net <= 0) continue;
          CivilFromDays(ChinaDay(row.created_ns), &y, &m, &d);
          const int64_t index = y * 12 + (m - 1) - first_month;
          if (index < 0 || index >= months) continue;
          auto it = merchants.find(row.merchant_id);
          const std::string category = it == merchants.end() ? "other" : it->second.category;
          by_month[index].amount += net;
          by_month[index].count++;
          categories_by_month[index][category] += net;
          categories[category] += net;
          by_merchant[row.merchant_id].amount += net;
          by_merchant[row.merchant_id].count++;
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
        std::vector<std::pair<uint64_t, Totals>> top(by_merchant.begin(), by_merchant.end());
        std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
          return a.second.amount > b.second.amount;
        });
        if (top.size() > 5) top.resize(5);
        api::JsonArrayWriter top_list;
        for (const auto& [id, totals] : top) {
          auto it = merchants.find(id);
          api::JsonObjectWriter json;
          json.String("merchant_id", std::to_string(id))
              .String("name", it == merchants.end() ? "" : it->second.legal_name)
              .Amount("amount", totals.amount)
              .Int("count", totals.count);
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
            .Bool("truncated", truncated);
        respond(api::JsonResponse(200, body));
      },
      respond);
}

// --- The merchant's sales ---

struct SalesBucket {
  int64_t start_day = 0;
  int64_t count = 0;
  int64_t gross = 0;
  int64_t refunds = 0;
  int64_t fees = 0;
  std::map<uint64_t, int64_t> customers;  // customer → payments in the bucket
  std::map<uint8_t, Totals> channels;
};

constexpr payments::PaymentChannel kChannels[] = {
    payments::PaymentChannel::kStaticQr, payments::PaymentChannel::kDynamicQr,
    payments::PaymentChannel::kPaymentCode, payments::PaymentChannel::kOnline,
    payments::PaymentChannel::kNfc};

int64_t RepeatCustomers(const SalesBucket& bucket) {
  int64_t repeat = 0;
  for (const auto& [customer, count] : bucket.customers) repeat += count >= 2 ? 1 : 0;
  return repeat;
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
                                           static_cast<int64_t>(b.customers.size()),
                                           RepeatCustomers(b)};
    for (payments::PaymentChannel channel : kChannels) {
      auto it = b.channels.find(static_cast<uint8_t>(channel));
      row.push_back(it == b.channels.end() ? int64_t{0} : it->second.count);
      row.push_back(it == b.channels.end() ? int64_t{0} : it->second.amount);
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
        PaymentFilter filter;
        filter.merchant_id = merchant_id;
        filter.from_ns = DayStartNs(from);
        filter.to_ns = DayStartNs(to + 1);
        std::vector<PaymentRow> rows;
        bool truncated = false;
        if (!ReadPayments(*Services(context).store, filter, &rows, &truncated).ok()) {
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read payments now"));
        }
        // Weeks start on Monday (1970-01-01 was a Thursday: day 0 is 3 days after a Monday).
        auto bucket_start = [weekly](int64_t day) {
          if (!weekly) return day;
          const int64_t shifted = day + 3;
          return day - (shifted >= 0 ? shifted % 7 : (shifted % 7 + 7) % 7);
        };
        std::vector<SalesBucket> buckets;
        for (int64_t day = bucket_start(from); day <= to; day += weekly ? 7 : 1) {
          SalesBucket bucket;
          bucket.start_day = day;
          buckets.push_back(std::move(bucket));
        }
        SalesBucket total;
        total.start_day = from;
        for (const PaymentRow& row : rows) {
          const int64_t start = bucket_start(ChinaDay(row.created_ns));
          const int64_t index = (start - buckets.front().start_day) / (weekly ? 7 : 1);
          if (index < 0 || index >= static_cast<int64_t>(buckets.size())) continue;
          for (SalesBucket* b : {&buckets[index], &total}) {
            b->count++;
            b->gross += row.amount_fen;
            b->refunds += row.refunded_fen;
            b->fees += row.fee_fen - row.fee_refunded_fen;
            b->customers[row.customer_id]++;
            b->channels[row.channel].count++;
            b->channels[row.channel].amount += row.amount_fen;
          }
        }
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
          for (payments::PaymentChannel channel : kChannels) {
            auto it = b.channels.find(static_cast<uint8_t>(channel));
            api::JsonObjectWriter c;
            c.Int("count", it == b.channels.end() ? 0 : it->second.count)
                .Amount("amount", it == b.channels.end() ? 0 : it->second.amount);
            channels.Object(payments::PaymentChannelName(channel), std::move(c));
          }
          api::JsonObjectWriter json;
          json.String("period_start", DateText(b.start_day))
              .Int("payment_count", b.count)
              .Amount("gross", b.gross)
              .Amount("refunds", b.refunds)
              .Amount("fees", b.fees)
              .Amount("net", b.gross - b.refunds - b.fees)
              .Amount("average_ticket", b.count == 0 ? 0 : b.gross / b.count)
              .Int("unique_customers", static_cast<int64_t>(b.customers.size()))
              .Int("repeat_customers", RepeatCustomers(b))
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
            .Bool("truncated", truncated);
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
