// The customer's history route, GET /me/history, with its date and type filters
// (api_contract.md, "Customer: wallet"). Registered by AddMoneyRoutes (money_routes.cc)
// through AddHistoryRoutes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/cursor.h"
#include "api/query.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

// Store pages read for one history page when a type mix needs filtering after the query.
constexpr int kMaxHistoryScans = 10;

// --- History ---

// Reads `count` digits at `*at` into `*value`; false when they are not all digits.
bool ReadDigits(std::string_view text, size_t* at, size_t count, int64_t* value) {
  if (*at + count > text.size()) return false;
  *value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[*at + i];
    if (c < '0' || c > '9') return false;
    *value = *value * 10 + (c - '0');
  }
  *at += count;
  return true;
}

bool Expect(std::string_view text, size_t* at, char c) {
  if (*at >= text.size() || text[*at] != c) return false;
  ++*at;
  return true;
}

// "2026-11-23" (a China-time day: its start, or with `end_of_day` the next day's start) or
// RFC 3339 "2026-11-23T01:02:03Z" / "...T09:02:03.5+08:00". Nanoseconds since the epoch.
std::optional<int64_t> ParseTimeBound(std::string_view text, bool end_of_day) {
  size_t at = 0;
  int64_t year = 0, month = 0, day = 0;
  if (!ReadDigits(text, &at, 4, &year) || !Expect(text, &at, '-') ||
      !ReadDigits(text, &at, 2, &month) || !Expect(text, &at, '-') ||
      !ReadDigits(text, &at, 2, &day)) {
    return std::nullopt;
  }
  const identity::CalendarDate date{static_cast<int32_t>(year), static_cast<int32_t>(month),
                                    static_cast<int32_t>(day)};
  if (!identity::IsValidCalendarDate(date) || year < 1970) return std::nullopt;
  const int64_t day_seconds = DaysFromCivil(year, month, day) * 86'400;
  if (at == text.size()) {
    return (day_seconds - kChinaOffsetSeconds + (end_of_day ? 86'400 : 0)) * kNsPerSecond;
  }
  int64_t hour = 0, minute = 0, second = 0, fraction_ns = 0;
  if (!(Expect(text, &at, 'T') || Expect(text, &at, 't')) || !ReadDigits(text, &at, 2, &hour) ||
      !Expect(text, &at, ':') || !ReadDigits(text, &at, 2, &minute) || !Expect(text, &at, ':') ||
      !ReadDigits(text, &at, 2, &second) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  if (Expect(text, &at, '.')) {
    int64_t scale = 100'000'000;
    size_t digits = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      fraction_ns += (text[at] - '0') * scale;
      scale /= 10;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (!(Expect(text, &at, 'Z') || Expect(text, &at, 'z'))) {
    if (at >= text.size() || (text[at] != '+' && text[at] != '-')) return std::nullopt;
    const int64_t sign = text[at++] == '+' ? 1 : -1;
    int64_t offset_hours = 0, offset_minutes = 0;
    if (!ReadDigits(text, &at, 2, &offset_hours) || !Expect(text, &at, ':') ||
        !ReadDigits(text, &at, 2, &offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
  }
  if (at != text.size()) return std::nullopt;
  const int64_t seconds = day_seconds + hour * 3600 + minute * 60 + second - offset_seconds;
  if (seconds < 0) return std::nullopt;
  return seconds * kNsPerSecond + fraction_ns;
}

struct HistoryQuery {
  uint64_t account_id = 0;
  HistoryFilter filter;
  std::vector<std::string_view> types;  // Static names; empty means every type.
  std::optional<int64_t> before_ns;
  size_t limit = 0;
};

bool Wanted(const HistoryQuery& query, const HistoryEntry& entry) {
  if (query.types.empty()) return true;
  const ledger::Transfer& transfer = entry.transfer;
  const bool in = transfer.credit_account_id == query.account_id;
  std::string_view type = "other";
  if (transfer.code == engine::kTransferCodeP2P) type = in ? "p2p_in" : "p2p_out";
  if (transfer.code == engine::kTransferCodeTopUp) type = "top_up";
  if (transfer.code == engine::kTransferCodeWithdrawal) type = "withdrawal";
  if (transfer.code == ledger::transfer_codes::kPayment) type = "payment";
  if (transfer.code == ledger::transfer_codes::kRefund) type = "refund";
  for (std::string_view wanted : query.types) {
    if (wanted == type) return true;
  }
  return false;
}

// Parses "top_up,p2p_in" into the store filter: codes, and a direction when every wanted type
// agrees on one (a mix like p2p_in + withdrawal is filtered after the query instead).
std::optional<api::ApiError> ParseTypes(std::string_view text, HistoryQuery* query) {
  static constexpr std::string_view kTypes[] = {"top_up",  "withdrawal", "p2p_in",
                                                "p2p_out", "payment",    "refund"};
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    bool known = false;
    for (std::string_view type : kTypes) {
      if (type != name) continue;
      known = true;
      bool seen = false;
      for (std::string_view have : query->types) seen = seen || have == type;
      if (!seen) query->types.push_back(type);
    }
    if (!known) {
      return api::MakeError(ErrorCode::kFieldInvalid,
                            "query parameter \"type\" must list top_up, withdrawal, p2p_in, "
                            "p2p_out, payment, refund");
    }
  }
  bool in = false, out = false, top_up = false, withdrawal = false, payment = false, refund = false;
  for (std::string_view type : query->types) {
    in = in || type == "p2p_in";
    out = out || type == "p2p_out";
    top_up = top_up || type == "top_up";
    withdrawal = withdrawal || type == "withdrawal";
    payment = payment || type == "payment";
    refund = refund || type == "refund";
  }
  if (in || out) query->filter.codes.push_back(engine::kTransferCodeP2P);
  if (top_up) query->filter.codes.push_back(engine::kTransferCodeTopUp);
  if (withdrawal) query->filter.codes.push_back(engine::kTransferCodeWithdrawal);
  if (payment) query->filter.codes.push_back(ledger::transfer_codes::kPayment);
  if (refund) query->filter.codes.push_back(ledger::transfer_codes::kRefund);
  // Money in: p2p_in, top-ups, refunds; out: p2p_out, withdrawals, payments.
  query->filter.only_in = in && !out && !withdrawal && !payment;
  query->filter.only_out = out && !in && !top_up && !refund;
  return std::nullopt;
}

std::optional<api::ApiError> ParseHistoryQuery(const HttpRequest& request, HistoryQuery* query) {
  api::ApiResult<api::QueryParams> params = api::ParseQuery(request.target);
  if (!params.ok()) return params.error();
  api::ApiResult<int64_t> limit = api::ParseLimit(params.value().GetOr("limit"));
  if (!limit.ok()) return limit.error();
  query->limit = static_cast<size_t>(limit.value());
  const std::string_view cursor = params.value().GetOr("cursor");
  if (!cursor.empty()) {
    api::ApiResult<int64_t> position = api::DecodeCursor(cursor);
    if (!position.ok()) return position.error();
    query->before_ns = position.value();
  }
  if (std::optional<api::ApiError> error = ParseTypes(params.value().GetOr("type"), query)) {
    return error;
  }
  for (const bool is_to : {false, true}) {
    const std::string_view name = is_to ? "to" : "from";
    const std::optional<std::string_view> text = params.value().Get(name);
    if (!text) continue;
    std::optional<int64_t> bound = ParseTimeBound(*text, is_to);
    if (!bound) {
      return api::MakeError(ErrorCode::kFieldInvalid,
                            "query parameter \"" + std::string(name) +
                                "\" must be an RFC 3339 time or a date (YYYY-MM-DD)");
    }
    (is_to ? query->filter.to_ns : query->filter.from_ns) = *bound;
  }
  return std::nullopt;
}

// On a worker: pages through the read model until `limit` wanted entries are found, the list
// ends, or kMaxHistoryScans pages were read (the cursor then continues where the scan stopped).
HttpResponse ReadHistory(Store& store, const HistoryQuery& query) {
  api::JsonArrayWriter entries;
  std::optional<int64_t> before = query.before_ns;
  // Plain values rather than an optional: GCC 12 misreads one here as maybe uninitialized.
  bool more = false;
  int64_t next_ns = 0;
  for (int scan = 0; scan < kMaxHistoryScans; ++scan) {
    HistoryPage page;
    const Status status =
        store.ListHistory(query.account_id, query.filter, before, query.limit, &page);
    if (!status.ok()) {
      LogError("history read failed", {{"error", status.ToString()}});
      return Error(ErrorCode::kStoreUnavailable, "the history is unavailable; retry shortly");
    }
    more = false;
    for (size_t i = 0; i < page.entries.size(); ++i) {
      const HistoryEntry& entry = page.entries[i];
      if (!Wanted(query, entry)) continue;
      entries.Object(HistoryEntryJson(entry, query.account_id));
      if (entries.size() == query.limit) {
        more = i + 1 < page.entries.size() || page.next_cursor.has_value();
        next_ns = entry.transfer.timestamp_ns;
        break;
      }
    }
    if (entries.size() == query.limit || !page.next_cursor) break;
    before = page.next_cursor;
    more = true;
    next_ns = *page.next_cursor;
  }
  api::JsonObjectWriter body;
  body.Array("entries", std::move(entries));
  if (more) {
    body.String("next_cursor", api::EncodeCursor(next_ns));
  } else {
    body.Null("next_cursor");
  }
  return api::JsonResponse(200, body);
}

void GetHistory(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  HistoryQuery query;
  // The engine gives customer n the wallet account at the base plus n (command.h).
  query.account_id = engine::kCustomerWalletAccountBase + principal->id;
  if (std::optional<api::ApiError> error = ParseHistoryQuery(request, &query)) {
    return respond(ErrorResponse(*error));
  }
  RunOnWorker(
      context,
      [&context, query = std::move(query), respond] {
        respond(ReadHistory(*Services(context).store, query));
      },
      respond);
}

}  // namespace

void AddHistoryRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  auto route = [shared](void (*handler)(WalletContext&, HttpRequest&&, Responder)) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      handler(*shared, std::move(request), std::move(respond));
    };
  };
  router.Add("GET", "/api/v1/me/history", route(GetHistory));
}

}  // namespace qb::wallet
