// The SQLite store's offer pushes and message inbox (tables offer_pushes and inbox_messages,
// migration 11). Both are derived from the journal alone: the projection inserts a push's row
// with its first part and one message per customer given it, and marks messages read.
#include <string>

#include "store/sqlite/sqlite_store_internal.h"

namespace qb::sqlite {
namespace {

constexpr char kMessageColumns[] =
    "i.seq, i.push_id, i.campaign_id, o.title, o.body, i.created_ns, i.read_ns";

InboxMessageRow ReadMessageRow(const Statement& s) {
  return InboxMessageRow{s.ColumnU64(0),
                         s.ColumnU64(1),
                         s.ColumnU64(2),
                         std::string(s.ColumnText(3)),
                         std::string(s.ColumnText(4)),
                         s.ColumnInt64(5),
                         s.ColumnInt64(6)};
}

}  // namespace

Status SqliteStore::ApplyInboxRows(const Projection& p) {
  if (p.inbox_changes.empty()) return Status::Ok();
  // OR IGNORE: the first part inserts the push; a batch projected twice writes nothing more.
  Statement push;
  Status s = push.Prepare(read_db_.handle(),
                          "INSERT OR IGNORE INTO offer_pushes (id, campaign_id, staff_id, title, "
                          "body, audience, created_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!s.ok()) return s;
  // A customer holding the push's or the campaign's message already is skipped (the two
  // UNIQUE constraints). Seqs follow projection order.
  Statement message;
  s = message.Prepare(read_db_.handle(),
                      "INSERT OR IGNORE INTO inbox_messages (seq, customer_id, push_id, "
                      "campaign_id, created_ns) VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM "
                      "inbox_messages), ?1, ?2, ?3, ?4)");
  if (!s.ok()) return s;
  // ?2 = 0 marks every message delivered so far; one read before keeps its first read time.
  Statement read;
  s = read.Prepare(read_db_.handle(),
                   "UPDATE inbox_messages SET read_ns = ?3 WHERE customer_id = ?1 AND (?2 = 0 OR "
                   "push_id = ?2) AND read_ns = 0");
  if (!s.ok()) return s;
  for (const auto& change : p.inbox_changes) {
    if (const auto* d = std::get_if<OfferDelivery>(&change)) {
      push.BindU64(1, d->push.id);
      push.BindU64(2, d->push.campaign_id);
      push.BindU64(3, d->push.staff_id);
      push.BindText(4, d->push.title);
      push.BindText(5, d->push.body);
      push.BindText(6, d->push.audience);
      push.BindInt64(7, d->push.created_ns);
      if (s = push.Run(); !s.ok()) return s;
      for (const uint64_t customer : d->customers) {
        message.BindU64(1, customer);
        message.BindU64(2, d->push.id);
        message.BindU64(3, d->push.campaign_id);
        message.BindInt64(4, d->push.created_ns);
        if (s = message.Run(); !s.ok()) return s;
      }
    } else {
      const InboxRead& r = std::get<InboxRead>(change);
      read.BindU64(1, r.customer_id);
      read.BindU64(2, r.push_id);
      read.BindInt64(3, r.read_ns);
      if (s = read.Run(); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Status SqliteStore::ListInbox(uint64_t customer_id, std::optional<uint64_t> before, size_t limit,
                              InboxPage* page) {
  *page = InboxPage();
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            std::string("SELECT ") + kMessageColumns +
                                " FROM inbox_messages i JOIN offer_pushes o ON o.id = i.push_id "
                                "WHERE i.customer_id = ?1 AND i.seq < ?2 ORDER BY i.seq DESC "
                                "LIMIT ?3");
  if (!s.ok()) return s;
  select.BindU64(1, customer_id);
  select.BindU64(2, before.value_or(static_cast<uint64_t>(INT64_MAX)));
  select.BindU64(3, limit + 1);
  while (select.Step(&s)) page->messages.push_back(ReadMessageRow(select));
  if (!s.ok()) return s;
  if (page->messages.size() > limit) {
    page->messages.pop_back();
    if (!page->messages.empty()) page->next_cursor = page->messages.back().seq;
  }
  Statement unread;
  s = unread.Prepare(read_db_.handle(),
                     "SELECT COUNT(*) FROM inbox_messages WHERE customer_id = ?1 AND read_ns = 0");
  if (!s.ok()) return s;
  unread.BindU64(1, customer_id);
  if (unread.Step(&s)) page->unread = unread.ColumnInt64(0);
  return s;
}

Status SqliteStore::HasInboxMessage(uint64_t customer_id, uint64_t push_id, bool* found) {
  *found = false;
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            "SELECT 1 FROM inbox_messages WHERE customer_id = ?1 AND push_id = ?2");
  if (!s.ok()) return s;
  select.BindU64(1, customer_id);
  select.BindU64(2, push_id);
  *found = select.Step(&s);
  return s;
}

Status SqliteStore::ListOfferPushes(uint64_t campaign_id, std::vector<OfferPushRow>* pushes) {
  pushes->clear();
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(
      read_db_.handle(),
      "SELECT o.id, o.campaign_id, o.staff_id, o.title, o.body, o.audience, o.created_ns, (SELECT "
      "COUNT(*) FROM inbox_messages i WHERE i.push_id = o.id), (SELECT COUNT(*) FROM "
      "inbox_messages i WHERE i.push_id = o.id AND i.read_ns > 0) FROM offer_pushes o WHERE "
      "o.campaign_id = ?1 ORDER BY o.created_ns DESC, o.id DESC");
  if (!s.ok()) return s;
  select.BindU64(1, campaign_id);
  while (select.Step(&s)) {
    pushes->push_back(OfferPushRow{select.ColumnU64(0), select.ColumnU64(1), select.ColumnU64(2),
                                   std::string(select.ColumnText(3)),
                                   std::string(select.ColumnText(4)),
                                   std::string(select.ColumnText(5)), select.ColumnInt64(6),
                                   select.ColumnInt64(7), select.ColumnInt64(8)});
  }
  return s;
}

Status SqliteStore::ListOfferRecipients(uint64_t campaign_id, std::vector<uint64_t>* customers) {
  customers->clear();
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            "SELECT i.customer_id FROM offer_pushes o JOIN inbox_messages i ON "
                            "i.push_id = o.id WHERE o.campaign_id = ?1 ORDER BY i.customer_id");
  if (!s.ok()) return s;
  select.BindU64(1, campaign_id);
  while (select.Step(&s)) customers->push_back(select.ColumnU64(0));
  return s;
}

}  // namespace qb::sqlite
