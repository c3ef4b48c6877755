// The SQLite store's audit log (table audit_log, migration 8): rows inserted by the projection in
// seq order, never updated; searched by the console and read in seq order by
// `qianbao audit verify`. The rows are only as trustworthy as the chain check says: a row edited
// in the database still reads back, and the verifier finds it.
#include <string>

#include "store/sqlite/sqlite_store_internal.h"

namespace qb::sqlite {
namespace {

constexpr char kAuditColumns[] =
    "seq, time_ns, actor_kind, actor_id, action, target, detail, prev_hash, hash";

// A hash column back to bytes. Anything but 64 hex digits gives zeros plus a flipped last byte,
// which matches no real hash: the verifier then reports the row.
Digest ParseHashColumn(std::string_view hex) {
  Digest digest{};
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  bool ok = hex.size() == digest.size() * 2;
  for (size_t i = 0; ok && i < digest.size(); i++) {
    const int high = nibble(hex[2 * i]);
    const int low = nibble(hex[2 * i + 1]);
    ok = high >= 0 && low >= 0;
    if (ok) digest[i] = static_cast<uint8_t>(high << 4 | low);
  }
  if (!ok) {
    digest = Digest{};
    digest.back() = 1;
  }
  return digest;
}

audit::AuditEntry ReadAuditRow(const Statement& s) {
  audit::AuditEntry entry;
  entry.seq = s.ColumnU64(0);
  entry.event.time_ns = s.ColumnInt64(1);
  // An out-of-range kind is kept as read (the verifier rejects it as an invalid event).
  entry.event.actor_kind = static_cast<audit::ActorKind>(s.ColumnInt64(2));
  entry.event.actor_id = s.ColumnU64(3);
  entry.event.action = std::string(s.ColumnText(4));
  entry.event.target = std::string(s.ColumnText(5));
  entry.event.detail = std::string(s.ColumnText(6));
  entry.prev_hash = ParseHashColumn(s.ColumnText(7));
  entry.hash = ParseHashColumn(s.ColumnText(8));
  return entry;
}

}  // namespace

Status SqliteStore::ApplyAuditRows(const Projection& p) {
  if (p.audit_entries.empty()) return Status::Ok();
  Statement insert;
  // OR IGNORE, like transfers: a batch projected twice writes nothing the second time, and an
  // existing row is never overwritten.
  Status s = insert.Prepare(read_db_.handle(), std::string("INSERT OR IGNORE INTO audit_log (") +
                                                   kAuditColumns +
                                                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!s.ok()) return s;
  for (const audit::AuditEntry& e : p.audit_entries) {
    insert.BindU64(1, e.seq);
    insert.BindInt64(2, e.event.time_ns);
    insert.BindInt64(3, static_cast<int64_t>(e.event.actor_kind));
    insert.BindU64(4, e.event.actor_id);
    insert.BindText(5, e.event.action);
    insert.BindText(6, e.event.target);
    insert.BindText(7, e.event.detail);
    insert.BindText(8, DigestHex(e.prev_hash));
    insert.BindText(9, DigestHex(e.hash));
    if (s = insert.Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

Status SqliteStore::ListAuditEntries(const AuditFilter& filter, std::optional<uint64_t> before_seq,
                                     size_t limit, AuditPage* page) {
  page->entries.clear();
  page->next_cursor.reset();
  // Only parameter numbers are spliced into the text; values are bound.
  std::string where = "seq < ?1 AND time_ns >= ?2 AND time_ns < ?3";
  if (!filter.action_prefix.empty()) where += " AND action >= ?4 AND action < ?5";
  if (filter.actor_kind) where += " AND actor_kind = ?6";
  if (filter.actor_kind && filter.actor_id) where += " AND actor_id = ?7";
  if (!filter.target.empty()) where += " AND target = ?8";
  if (!filter.detail_contains.empty()) where += " AND instr(detail, ?10) > 0";
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + kAuditColumns +
                                                   " FROM audit_log WHERE " + where +
                                                   " ORDER BY seq DESC LIMIT ?9");
  if (!s.ok()) return s;
  const uint64_t upper = before_seq.value_or(static_cast<uint64_t>(INT64_MAX));
  select.BindU64(1, upper);
  select.BindInt64(2, filter.from_ns.value_or(INT64_MIN));
  select.BindInt64(3, filter.to_ns.value_or(INT64_MAX));
  if (!filter.action_prefix.empty()) {
    // Actions are [a-z0-9_.]: every action with the prefix sorts below prefix + '~'.
    select.BindText(4, filter.action_prefix);
    select.BindText(5, filter.action_prefix + "~");
  }
  if (filter.actor_kind) select.BindInt64(6, static_cast<int64_t>(*filter.actor_kind));
  if (filter.actor_kind && filter.actor_id) select.BindU64(7, *filter.actor_id);
  if (!filter.target.empty()) select.BindText(8, filter.target);
  if (!filter.detail_contains.empty()) select.BindText(10, filter.detail_contains);
  select.BindU64(9, limit + 1);
  while (select.Step(&s)) page->entries.push_back(ReadAuditRow(select));
  if (page->entries.size() > limit) {
    page->entries.pop_back();
    page->next_cursor = page->entries.empty() ? upper : page->entries.back().seq;
  }
  return s;
}

Status SqliteStore::ReadAuditEntries(uint64_t from_seq, size_t limit,
                                     std::vector<audit::AuditEntry>* entries) {
  entries->clear();
  std::lock_guard lock(read_mutex_);
  Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + kAuditColumns +
                                                   " FROM audit_log WHERE seq >= ?1 ORDER BY "
                                                   "seq LIMIT ?2");
  if (!s.ok()) return s;
  select.BindU64(1, from_seq);
  select.BindU64(2, limit);
  while (select.Step(&s)) entries->push_back(ReadAuditRow(select));
  return s;
}

}  // namespace qb::sqlite
