// AML reports (issue 7, PBoC large-value and suspicious transaction reporting) for risk analysts,
// admins and auditors, as JSON, CSV or XLSX (docs/RISK.md, "AML reports"):
//
//   GET /api/v1/staff/aml/large-value?date=YYYY-MM-DD[&format=][&transfer_threshold=]
//       [&cash_threshold=]
//     For one China-time (UTC+8) day, as the merchant reports count days: every customer (a
//     natural person) whose movements in and out (P2P, posted top-ups and withdrawals, refunds,
//     completed payments; Store::AggregateCustomerMovements) total at least the transfer
//     threshold (default ¥500,000), and, in a separate "cash" section, whose top-ups and
//     withdrawals (the wallet's cash-equivalent channel: money between a bank card and the
//     wallet) total at least the cash threshold (default ¥50,000). Thresholds are query
//     parameters in fen, at least kMinThresholdFen so that the report never turns into a list
//     of everyone's movements. Names and phones only masked.
//   GET /api/v1/staff/aml/cases?from=&to=[&format=]
//     Suspicious-transaction cases from the risk review queue (engine state): payments the
//     rules held that are still open, were rejected, or were labelled fraud, opened in the
//     China-time days from..to (default: the last 30 days). Closed reviews keep only their
//     score in the engine, so their fired rules are empty.
//
// Every CSV or XLSX export is recorded in the audit chain ("aml.export") before its file is
// sent; a JSON view is not (it is what the console shows).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/risk_state.h"
#include "engine/state_machine.h"
#include "identity/phone.h"
#include "report/table_export.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/staff_access.h"
#include "wallet/step_up.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

constexpr int64_t kReadWaitNs = int64_t{2} * kNsPerSecond;
constexpr int64_t kDefaultTransferThresholdFen = 50'000'000;  // ¥500,000
constexpr int64_t kDefaultCashThresholdFen = 5'000'000;       // ¥50,000
constexpr int64_t kMinThresholdFen = 100'000;                 // ¥1,000
constexpr int64_t kMaxThresholdFen = int64_t{1} << 50;
// Customers in one large-value report; beyond, "truncated" (never met at the thresholds'
// minimum by a real day's traffic, but every list has a limit).
constexpr size_t kMaxLargeValueCustomers = 100'000;
constexpr int64_t kMaxCaseDays = 366;
constexpr int64_t kDefaultCaseDays = 30;
constexpr uint8_t kCompleted = static_cast<uint8_t>(payments::PaymentState::kCompleted);

std::optional<std::string> FormatOf(const api::QueryParams& query, const Responder& respond) {
  std::string format(query.GetOr("format", "json"));
  if (format != "json" && format != "csv" && format != "xlsx") {
    respond(FieldInvalid("format", "json, csv or xlsx"));
    return std::nullopt;
  }
  return format;
}

// A threshold in fen from the query, its default when absent; nullopt after answering 400.
std::optional<int64_t> ThresholdOf(const api::QueryParams& query, std::string_view name,
                                   int64_t default_fen, const Responder& respond) {
  const std::string_view text = query.GetOr(name);
  if (text.empty()) return default_fen;
  const std::optional<uint64_t> value = ParseId(text);
  if (!value || *value < static_cast<uint64_t>(kMinThresholdFen) ||
      *value > static_cast<uint64_t>(kMaxThresholdFen)) {
    respond(FieldInvalid(name, "an amount in fen, at least 100000 (¥1,000)"));
    return std::nullopt;
  }
  return static_cast<int64_t>(*value);
}

// Records the export in the audit chain, then answers with the file; a failure to record
// answers 500 and sends nothing.
void SendAuditedFile(WalletContext& context, uint64_t staff_id, std::string target,
                     std::string detail, report::ReportTable table, std::string format,
                     std::string filename, Responder respond) {
  HttpResponse response;
  Status s = format == "csv" ? report::WriteCsv(table, &response.body)
                             : report::WriteXlsx(table, &response.body);
  if (!s.ok()) {
    LogError("aml report export failed", {{"error", s.ToString()}});
    return respond(ErrorResponse(ErrorCode::kInternal, "the report could not be written"));
  }
  response.content_type = format == "csv"
                              ? "text/csv; charset=utf-8"
                              : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"" + filename + "." + format + "\"");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  engine::RecordAudit record;
  record.event.actor_kind = audit::ActorKind::kStaff;
  record.event.actor_id = staff_id;
  record.event.action = "aml.export";
  record.event.target = std::move(target);
  record.event.detail = std::move(detail);
  Services(context).engine->Submit(
      std::move(record), [response = std::move(response),
                          respond = std::move(respond)](engine::Reply&& reply) mutable {
        if (reply.status != engine::ReplyStatus::kOk) return respond(EngineFailureResponse(reply));
        if (reply.results.empty() ||
            reply.results[0] != static_cast<uint8_t>(engine::AuditResult::kOk)) {
          return respond(ErrorResponse(ErrorCode::kInternal, "the export could not be recorded"));
        }
        respond(std::move(response));
      });
}

// `ip_tag`: AuditIpTag of the staff member's address, "" when unknown.
std::string ExportDetail(std::string_view report, std::string_view format, size_t rows,
                         std::string_view ip_tag) {
  api::JsonObjectWriter detail;
  detail.String("report", report).String("format", format).Int("rows", static_cast<int64_t>(rows));
  if (!ip_tag.empty()) detail.String("ip", ip_tag);
  return detail.Serialize();
}

// --- Large-value report ---

struct LargeValueRow {
  std::string kind;  // "transfer" or "cash"
  uint64_t customer_id = 0;
  std::string name_masked;
  std::string phone_masked;
  int64_t count = 0;
  int64_t in_fen = 0;
  int64_t out_fen = 0;
  int64_t total_fen = 0;
};

// Transfer rows (all movements) first, then cash rows (top-ups and withdrawals), each by
// customer id. The store returned customers over either threshold; a sum past int64 is
// impossible here, since the store's SUM over the same values did not overflow.
std::vector<LargeValueRow> LargeValueRows(const Store::MovementReport& report,
                                          int64_t transfer_threshold_fen,
                                          int64_t cash_threshold_fen) {
  std::vector<LargeValueRow> rows;
  for (const bool cash : {false, true}) {
    for (const Store::CustomerMovementRow& m : report.rows) {
      const int64_t in = cash ? m.cash_in_fen : m.in_fen;
      const int64_t out = cash ? m.cash_out_fen : m.out_fen;
      if (in + out < (cash ? cash_threshold_fen : transfer_threshold_fen)) continue;
      LargeValueRow row;
      row.kind = cash ? "cash" : "transfer";
      row.customer_id = m.customer_id;
      row.name_masked = m.real_name_masked;
      row.phone_masked = m.phone.empty() ? "" : identity::MaskPhone(m.phone);
      row.count = cash ? m.cash_count : m.count;
      row.in_fen = in;
      row.out_fen = out;
      row.total_fen = in + out;
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

report::ReportTable LargeValueTable(int64_t day, const std::vector<LargeValueRow>& rows) {
  using report::ColumnKind;
  report::ReportTable table;
  table.title = "AML large-value " + DateText(day);
  table.columns = {
      {"日期 Date", ColumnKind::kDate},          {"客户号 Customer ID", ColumnKind::kText},
      {"姓名 Name", ColumnKind::kText},          {"手机号 Phone", ColumnKind::kText},
      {"笔数 Count", ColumnKind::kInteger},      {"转入 Total in", ColumnKind::kMoneyFen},
      {"转出 Total out", ColumnKind::kMoneyFen}, {"合计 Total", ColumnKind::kMoneyFen},
      {"类别 Kind", ColumnKind::kText}};
  for (const LargeValueRow& r : rows) {
    table.rows.push_back({DateText(day), std::to_string(r.customer_id), r.name_masked,
                          r.phone_masked, r.count, r.in_fen, r.out_fen, r.total_fen, r.kind});
  }
  return table;
}

void LargeValue(WalletContext& context, const Principal& staff, const HttpRequest& request,
                Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  std::optional<int64_t> day = ChinaDay(Services(context).clock->NowNs()) - 1;
  if (std::string_view text = query->GetOr("date"); !text.empty()) day = ParseDate(text);
  if (!day) return respond(FieldInvalid("date", "a date YYYY-MM-DD"));
  std::optional<std::string> format = FormatOf(*query, respond);
  if (!format) return;
  std::optional<int64_t> transfer_threshold =
      ThresholdOf(*query, "transfer_threshold", kDefaultTransferThresholdFen, respond);
  if (!transfer_threshold) return;
  std::optional<int64_t> cash_threshold =
      ThresholdOf(*query, "cash_threshold", kDefaultCashThresholdFen, respond);
  if (!cash_threshold) return;
  const uint64_t durable = Services(context).engine->stats().durable_seq;
  RunOnWorker(
      context,
      [&context, staff_id = staff.id, ip_tag = AuditIpTag(context, request.remote_address),
       day = *day, format = *format, transfer_threshold = *transfer_threshold,
       cash_threshold = *cash_threshold, durable, respond]() {
        WaitForProjection(context, durable, kReadWaitNs);
        Store::MovementQuery movement_query;
        movement_query.from_ns = DayStartNs(day);
        movement_query.to_ns = DayStartNs(day + 1);
        movement_query.payment_state = kCompleted;
        movement_query.transfer_threshold_fen = transfer_threshold;
        movement_query.cash_threshold_fen = cash_threshold;
        movement_query.limit = kMaxLargeValueCustomers;
        Store::MovementReport report;
        if (Status s = Services(context).store->AggregateCustomerMovements(movement_query, &report);
            !s.ok()) {
          LogError("aml large-value report failed", {{"error", s.ToString()}});
          return respond(ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read movements now"));
        }
        const std::vector<LargeValueRow> rows =
            LargeValueRows(report, transfer_threshold, cash_threshold);
        if (format != "json") {
          return SendAuditedFile(context, staff_id, "aml:large-value:" + DateText(day),
                                 ExportDetail("large_value", format, rows.size(), ip_tag),
                                 LargeValueTable(day, rows), format,
                                 "aml-large-value-" + DateText(day), respond);
        }
        api::JsonArrayWriter transfers;
        api::JsonArrayWriter cash;
        for (const LargeValueRow& r : rows) {
          api::JsonObjectWriter json;
          json.String("date", DateText(day))
              .String("customer_id", std::to_string(r.customer_id))
              .String("name", r.name_masked)
              .String("phone", r.phone_masked)
              .Int("count", r.count)
              .Amount("total_in", r.in_fen)
              .Amount("total_out", r.out_fen)
              .Amount("total", r.total_fen)
              .String("kind", r.kind);
          (r.kind == "cash" ? cash : transfers).Object(std::move(json));
        }
        api::JsonObjectWriter body;
        body.String("date", DateText(day))
            .Amount("transfer_threshold", transfer_threshold)
            .Amount("cash_threshold", cash_threshold)
            .String("currency", "CNY")
            .Array("transfers", std::move(transfers))
            .Array("cash", std::move(cash))
            .Bool("truncated", report.truncated);
        respond(api::JsonResponse(200, body));
      },
      respond);
}

// --- Suspicious-transaction cases ---

struct CaseRow {
  uint64_t payment_id = 0;
  uint64_t customer_id = 0;
  std::string phone_masked;
  uint64_t merchant_id = 0;
  int64_t amount_fen = 0;
  std::vector<std::string> rules;  // The fired rules' names; none for a closed review.
  int64_t score = 0;
  engine::ReviewState state = engine::ReviewState::kOpen;
  std::optional<engine::ReviewLabel> label;  // nullopt while open.
  int64_t opened_ns = 0;                     // The payment's creation.
  std::optional<int64_t> closed_s;
};

bool IsCase(const engine::RiskReviewOutcome& outcome) {
  return outcome.state == engine::ReviewState::kRejected ||
         outcome.label == engine::ReviewLabel::kFraud;
}

// On the engine thread: the cases opened in [from_s, to_s), oldest first (ties by payment id).
std::vector<CaseRow> ReadCases(const engine::StateMachine& s, int64_t from_s, int64_t to_s) {
  std::vector<CaseRow> rows;
  auto phone_of = [&s](uint64_t customer_id) -> std::string {
    const identity::Customer* c = s.customers().FindById(customer_id);
    return c == nullptr || c->phone.empty() ? "" : identity::MaskPhone(c->phone);
  };
  for (const auto& [id, review] : s.risk().reviews()) {
    if (review.created_s < from_s || review.created_s >= to_s) continue;
    CaseRow row;
    row.payment_id = id;
    row.customer_id = review.customer_id;
    row.phone_masked = phone_of(review.customer_id);
    row.merchant_id = review.merchant_id;
    row.amount_fen = review.amount_fen;
    for (const engine::RiskReviewRule& rule : review.rules) row.rules.push_back(rule.name);
    row.score = review.score;
    const payments::Payment* payment = s.payments().FindPayment(id);
    row.opened_ns = payment != nullptr ? payment->created_ns : review.created_s * kNsPerSecond;
    rows.push_back(std::move(row));
  }
  for (const engine::RiskReviewOutcome& outcome : s.risk().outcomes()) {
    if (!IsCase(outcome)) continue;
    const payments::Payment* payment = s.payments().FindPayment(outcome.payment_id);
    if (payment == nullptr) continue;
    if (payment->created_ns / kNsPerSecond < from_s || payment->created_ns / kNsPerSecond >= to_s) {
      continue;
    }
    CaseRow row;
    row.payment_id = outcome.payment_id;
    row.customer_id = payment->customer_id;
    row.phone_masked = phone_of(payment->customer_id);
    row.merchant_id = payment->merchant_id;
    row.amount_fen = payment->amount_fen;
    row.score = outcome.score;
    row.state = outcome.state;
    row.label = outcome.label;
    row.opened_ns = payment->created_ns;
    row.closed_s = outcome.at_s;
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const CaseRow& a, const CaseRow& b) {
    return a.opened_ns != b.opened_ns ? a.opened_ns < b.opened_ns : a.payment_id < b.payment_id;
  });
  return rows;
}

std::string LabelText(const CaseRow& row) {
  return row.label ? std::string(engine::ReviewLabelName(*row.label)) : "";
}

std::string TimeText(int64_t unix_s) { return Rfc3339(unix_s * kNsPerSecond); }

std::string JoinedRules(const CaseRow& row) {
  std::string text;
  for (const std::string& name : row.rules) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

report::ReportTable CaseTable(const std::vector<CaseRow>& rows) {
  using report::ColumnKind;
  report::ReportTable table;
  table.title = "AML suspicious cases";
  table.columns = {
      {"案件号 Case ID", ColumnKind::kText},  {"客户号 Customer ID", ColumnKind::kText},
      {"手机号 Phone", ColumnKind::kText},    {"商户号 Merchant ID", ColumnKind::kText},
      {"金额 Amount", ColumnKind::kMoneyFen}, {"规则 Rules", ColumnKind::kText},
      {"评分 Score", ColumnKind::kInteger},   {"状态 State", ColumnKind::kText},
      {"标签 Label", ColumnKind::kText},      {"开立 Opened", ColumnKind::kText},
      {"关闭 Closed", ColumnKind::kText}};
  for (const CaseRow& r : rows) {
    table.rows.push_back({std::to_string(r.payment_id), std::to_string(r.customer_id),
                          r.phone_masked, std::to_string(r.merchant_id), r.amount_fen,
                          JoinedRules(r), r.score, std::string(engine::ReviewStateName(r.state)),
                          LabelText(r), Rfc3339(r.opened_ns),
                          r.closed_s ? TimeText(*r.closed_s) : ""});
  }
  return table;
}

api::JsonObjectWriter CaseJson(const CaseRow& r) {
  api::JsonObjectWriter json;
  json.String("case_id", std::to_string(r.payment_id))
      .String("payment_id", std::to_string(r.payment_id))
      .String("customer_id", std::to_string(r.customer_id))
      .String("customer_phone", r.phone_masked)
      .String("merchant_id", std::to_string(r.merchant_id))
      .Amount("amount", r.amount_fen)
      .String("currency", "CNY");
  api::JsonArrayWriter rules;
  for (const std::string& name : r.rules) rules.String(name);
  json.Array("rules", std::move(rules))
      .Int("score", r.score)
      .String("state", engine::ReviewStateName(r.state));
  if (r.label) {
    json.String("label", engine::ReviewLabelName(*r.label));
  } else {
    json.Null("label");
  }
  json.String("opened_at", Rfc3339(r.opened_ns));
  if (r.closed_s) {
    json.String("closed_at", TimeText(*r.closed_s));
  } else {
    json.Null("closed_at");
  }
  return json;
}

void Cases(WalletContext& context, const Principal& staff, const HttpRequest& request,
           Responder respond) {
  std::optional<api::QueryParams> query = QueryOf(request, respond);
  if (!query) return;
  const int64_t today = ChinaDay(Services(context).clock->NowNs());
  std::optional<int64_t> from = today - (kDefaultCaseDays - 1);
  std::optional<int64_t> to = today;
  if (std::string_view text = query->GetOr("from"); !text.empty()) from = ParseDate(text);
  if (std::string_view text = query->GetOr("to"); !text.empty()) to = ParseDate(text);
  if (!from || !to || *from > *to || *to - *from >= kMaxCaseDays) {
    return respond(FieldInvalid("from, to", "dates YYYY-MM-DD, from <= to, at most 366 days"));
  }
  std::optional<std::string> format = FormatOf(*query, respond);
  if (!format) return;
  const int64_t from_s = DayStartNs(*from) / kNsPerSecond;
  const int64_t to_s = DayStartNs(*to + 1) / kNsPerSecond;
  ReadEngine<std::vector<CaseRow>>(
      context, respond,
      [from_s, to_s](const engine::StateMachine& s) { return ReadCases(s, from_s, to_s); },
      [&context, staff_id = staff.id, ip_tag = AuditIpTag(context, request.remote_address),
       from = *from, to = *to, format = *format, respond](std::vector<CaseRow> rows) {
        const std::string range = DateText(from) + ".." + DateText(to);
        if (format != "json") {
          // Off the engine's reply thread: writing a workbook takes a while.
          RunOnWorker(
              context,
              [&context, staff_id, ip_tag, range, format, rows = std::move(rows), from, to,
               respond] {
                SendAuditedFile(context, staff_id, "aml:cases:" + range,
                                ExportDetail("cases", format, rows.size(), ip_tag), CaseTable(rows),
                                format, "aml-cases-" + DateText(from) + "-" + DateText(to),
                                respond);
              },
              respond);
          return;
        }
        api::JsonArrayWriter items;
        for (const CaseRow& row : rows) items.Object(CaseJson(row));
        api::JsonObjectWriter body;
        body.String("from", DateText(from))
            .String("to", DateText(to))
            .Array("items", std::move(items));
        respond(api::JsonResponse(200, body));
      });
}

}  // namespace

void AddAmlRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "GET", "/api/v1/staff/aml/large-value",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  LargeValue(*shared, staff, request, std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/aml/cases",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  Cases(*shared, staff, request, std::move(respond));
                });
}

}  // namespace qb::wallet
