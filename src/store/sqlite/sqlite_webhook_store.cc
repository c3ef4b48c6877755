// The SQLite store's webhook outbox (see WebhookDeliveryRow in store.h). The rows are created by
// the projection (sqlite_payment_store.cc); the methods here read them and record the
// dispatcher's progress.
#include <string>

#include "store/sqlite/sqlite_store_internal.h"

namespace qb::sqlite {
namespace {

constexpr char kDeliveryColumns[] =
    "event_id, merchant_id, order_id, payment_id, url, body, state, attempts, last_http_status, "
    "last_error, next_attempt_ns, created_ns";

constexpr uint8_t kPending = 0;
constexpr uint8_t kDelivered = 1;
constexpr uint8_t kFailed = 2;
constexpr uint8_t kOutcomeDelivered = 0;
constexpr uint8_t kOutcomeRetryScheduled = 1;

WebhookDeliveryRow ReadDeliveryRow(const Statement& s) {
  WebhookDeliveryRow row;
  row.event_id = std::string(s.ColumnText(0));
  row.merchant_id = s.ColumnU64(1);
  row.order_id = s.ColumnU64(2);
  row.payment_id = s.ColumnU64(3);
  row.url = std::string(s.ColumnText(4));
  row.body = std::string(s.ColumnText(5));
  row.state = static_cast<uint8_t>(s.ColumnInt64(6));
  row.attempts = static_cast<uint32_t>(s.ColumnInt64(7));
  row.last_http_status = static_cast<int32_t>(s.ColumnInt64(8));
  row.last_error = std::string(s.ColumnText(9));
  row.next_attempt_ns = s.ColumnInt64(10);
  row.created_ns = s.ColumnInt64(11);
  return row;
}

Status ReadDeliveries(Statement& select, std::vector<WebhookDeliveryRow>* deliveries) {
  deliveries->clear();
  Status s;
  while (select.Step(&s)) deliveries->push_back(ReadDeliveryRow(select));
  return s;
}

}  // namespace

Status SqliteStore::ListWebhookDeliveries(uint64_t merchant_id, size_t limit,
                                          std::vector<WebhookDeliveryRow>* deliveries) {
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            std::string("SELECT ") + kDeliveryColumns +
                                " FROM webhook_deliveries WHERE merchant_id = ?1 ORDER BY "
                                "created_ns DESC, event_id DESC LIMIT ?2");
  if (!s.ok()) return s;
  select.BindU64(1, merchant_id);
  select.BindInt64(2, static_cast<int64_t>(limit));
  return ReadDeliveries(select, deliveries);
}

Status SqliteStore::ReadWebhookDelivery(std::string_view event_id,
                                        std::optional<WebhookDeliveryRow>* delivery) {
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + kDeliveryColumns +
                                                   " FROM webhook_deliveries WHERE event_id = ?1");
  if (!s.ok()) return s;
  select.BindText(1, event_id);
  delivery->reset();
  if (select.Step(&s)) *delivery = ReadDeliveryRow(select);
  return s;
}

Status SqliteStore::ListPendingWebhookDeliveries(size_t limit,
                                                 std::vector<WebhookDeliveryRow>* deliveries) {
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s =
      select.Prepare(read_db_.handle(), std::string("SELECT ") + kDeliveryColumns +
                                            " FROM webhook_deliveries WHERE state = 0 ORDER BY "
                                            "next_attempt_ns, created_ns, event_id LIMIT ?1");
  if (!s.ok()) return s;
  select.BindInt64(1, static_cast<int64_t>(limit));
  return ReadDeliveries(select, deliveries);
}

Status SqliteStore::FixWebhookBody(std::string_view event_id, std::string* body) {
  std::lock_guard lock(read_mutex_);
  Statement update;
  Status s = update.Prepare(read_db_.handle(),
                            "UPDATE webhook_deliveries SET body = ?2 WHERE event_id = ?1 AND "
                            "body = ''");
  if (!s.ok()) return s;
  update.BindText(1, event_id);
  update.BindText(2, *body);
  if (s = update.Run(); !s.ok()) return s;
  Statement select;
  s = select.Prepare(read_db_.handle(), "SELECT body FROM webhook_deliveries WHERE event_id = ?1");
  if (!s.ok()) return s;
  select.BindText(1, event_id);
  if (!select.Step(&s)) return s.ok() ? Status::NotFound("no such webhook delivery") : s;
  *body = std::string(select.ColumnText(0));
  return s;
}

Status SqliteStore::RecordWebhookAttempt(const WebhookAttemptRow& a) {
  std::lock_guard lock(read_mutex_);
  Transaction txn(&read_db_);
  if (!txn.status().ok()) return txn.status();
  Statement insert;
  Status s = insert.Prepare(read_db_.handle(),
                            "INSERT OR REPLACE INTO webhook_attempts (event_id, attempt, "
                            "started_ns, duration_ns, http_status, error, outcome, "
                            "next_attempt_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!s.ok()) return s;
  insert.BindText(1, a.event_id);
  insert.BindInt64(2, a.attempt);
  insert.BindInt64(3, a.started_ns);
  insert.BindInt64(4, a.duration_ns);
  insert.BindInt64(5, a.http_status);
  insert.BindText(6, a.error);
  insert.BindInt64(7, a.outcome);
  insert.BindInt64(8, a.next_attempt_ns);
  if (s = insert.Run(); !s.ok()) return s;
  const uint8_t state = a.outcome == kOutcomeDelivered        ? kDelivered
                        : a.outcome == kOutcomeRetryScheduled ? kPending
                                                              : kFailed;
  Statement update;
  s = update.Prepare(read_db_.handle(),
                     "UPDATE webhook_deliveries SET state = ?2, attempts = MAX(attempts, ?3), "
                     "last_http_status = ?4, last_error = ?5, next_attempt_ns = ?6 WHERE "
                     "event_id = ?1");
  if (!s.ok()) return s;
  update.BindText(1, a.event_id);
  update.BindInt64(2, state);
  update.BindInt64(3, a.attempt);
  update.BindInt64(4, a.http_status);
  update.BindText(5, a.error);
  update.BindInt64(6, a.next_attempt_ns);
  if (s = update.Run(); !s.ok()) return s;
  return txn.Commit();
}

Status SqliteStore::AbandonWebhookDelivery(std::string_view event_id, std::string_view reason) {
  std::lock_guard lock(read_mutex_);
  Statement update;
  Status s = update.Prepare(read_db_.handle(),
                            "UPDATE webhook_deliveries SET state = ?2, last_error = ?3, "
                            "next_attempt_ns = 0 WHERE event_id = ?1 AND state = ?4");
  if (!s.ok()) return s;
  update.BindText(1, event_id);
  update.BindInt64(2, kFailed);
  update.BindText(3, reason);
  update.BindInt64(4, kPending);
  return update.Run();
}

Status SqliteStore::ListWebhookAttempts(std::string_view event_id,
                                        std::vector<WebhookAttemptRow>* attempts) {
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            "SELECT event_id, attempt, started_ns, duration_ns, http_status, "
                            "error, outcome, next_attempt_ns FROM webhook_attempts WHERE "
                            "event_id = ?1 ORDER BY attempt");
  if (!s.ok()) return s;
  select.BindText(1, event_id);
  attempts->clear();
  while (select.Step(&s)) {
    WebhookAttemptRow row;
    row.event_id = std::string(select.ColumnText(0));
    row.attempt = static_cast<uint32_t>(select.ColumnInt64(1));
    row.started_ns = select.ColumnInt64(2);
    row.duration_ns = select.ColumnInt64(3);
    row.http_status = static_cast<int32_t>(select.ColumnInt64(4));
    row.error = std::string(select.ColumnText(5));
    row.outcome = static_cast<uint8_t>(select.ColumnInt64(6));
    row.next_attempt_ns = select.ColumnInt64(7);
    attempts->push_back(std::move(row));
  }
  return s;
}

}  // namespace qb::sqlite
