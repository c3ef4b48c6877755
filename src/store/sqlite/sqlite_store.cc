#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "store/sqlite/payment_rows.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace qb {
namespace {

// Checkpoints are stored in chunks: SQLite caps one blob at about 1 GB, and chunks keep the
// memory of a single statement small.
constexpr size_t kCheckpointChunkBytes = 8 << 20;
constexpr size_t kCheckpointsKept = 3;

ledger::Account ReadAccountRow(const sqlite::Statement& s) {
  ledger::Account a;
  a.id = s.ColumnU64(0);
  a.ledger = static_cast<uint32_t>(s.ColumnInt64(1));
  a.kind = static_cast<uint16_t>(s.ColumnInt64(2));
  a.flags = static_cast<uint16_t>(s.ColumnInt64(3));
  a.user_data = s.ColumnU64(4);
  a.debits_pending = s.ColumnInt64(5);
  a.debits_posted = s.ColumnInt64(6);
  a.credits_pending = s.ColumnInt64(7);
  a.credits_posted = s.ColumnInt64(8);
  a.timestamp_ns = s.ColumnInt64(9);
  return a;
}

ledger::Transfer ReadTransferRow(const sqlite::Statement& s) {
  ledger::Transfer t;
  t.id = s.ColumnU64(0);
  t.debit_account_id = s.ColumnU64(1);
  t.credit_account_id = s.ColumnU64(2);
  t.amount = s.ColumnInt64(3);
  t.pending_id = s.ColumnU64(4);
  t.user_data = s.ColumnU64(5);
  t.timeout_s = static_cast<uint32_t>(s.ColumnInt64(6));
  t.ledger = static_cast<uint32_t>(s.ColumnInt64(7));
  t.code = static_cast<uint16_t>(s.ColumnInt64(8));
  t.flags = static_cast<uint16_t>(s.ColumnInt64(9));
  t.timestamp_ns = s.ColumnInt64(10);
  return t;
}

constexpr char kAccountColumns[] =
    "id, ledger, kind, flags, user_data, debits_pending, debits_posted, credits_pending, "
    "credits_posted, created_ns";
constexpr char kCustomerColumns[] =
    "id, wallet_account_id, phone, real_name_masked, resident_id_masked, tier, channel, "
    "invite_code, registered_ns, closed_ns";

// Reads the nine customer columns starting at `at`.
CustomerRow ReadCustomerRow(const sqlite::Statement& s, int at) {
  CustomerRow c;
  c.id = s.ColumnU64(at);
  c.wallet_account_id = s.ColumnU64(at + 1);
  c.phone = std::string(s.ColumnText(at + 2));
  c.real_name_masked = std::string(s.ColumnText(at + 3));
  c.resident_id_masked = std::string(s.ColumnText(at + 4));
  c.tier = static_cast<uint8_t>(s.ColumnInt64(at + 5));
  c.channel = std::string(s.ColumnText(at + 6));
  c.invite_code = std::string(s.ColumnText(at + 7));
  c.registered_ns = s.ColumnInt64(at + 8);
  c.closed_ns = s.ColumnInt64(at + 9);
  return c;
}

// kMerchantColumns, each prefixed with `table`.
std::string MerchantColumnsOf(std::string_view table) {
  std::string columns;
  std::string_view rest = sqlite::kMerchantColumns;
  while (!rest.empty()) {
    const size_t comma = rest.find(", ");
    if (!columns.empty()) columns += ", ";
    columns += table;
    columns += '.';
    columns += rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  return columns;
}

constexpr char kTransferColumns[] =
    "id, debit_account_id, credit_account_id, amount, pending_id, user_data, timeout_s, ledger, "
    "code, flags, timestamp_ns";

}  // namespace

namespace sqlite {

Status SqliteStore::Open(const std::string& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) return Status::IoError("create " + data_dir + ": " + error.message());
  Status s = journal_db_.Open(data_dir + "/journal.db", "FULL",
                              sql::JournalMigrations(sql::Dialect::kSqlite));
  if (s.ok()) {
    s = insert_record_.Prepare(journal_db_.handle(),
                               "INSERT INTO journal (seq, bytes) VALUES (?1, ?2)");
  }
  if (s.ok()) {
    s = read_db_.Open(data_dir + "/readmodel.db", "NORMAL",
                      sql::ReadModelMigrations(sql::Dialect::kSqlite));
  }
  // The read models are written in large transactions touching random index pages: a big
  // page cache keeps those pages in memory.
  if (s.ok()) s = read_db_.Exec("PRAGMA cache_size=-262144");
  if (s.ok()) {
    s = upsert_account_.Prepare(
        read_db_.handle(),
        std::string("INSERT INTO accounts (") + kAccountColumns +
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO UPDATE SET "
            "flags = excluded.flags, debits_pending = excluded.debits_pending, debits_posted = "
            "excluded.debits_posted, credits_pending = excluded.credits_pending, credits_posted "
            "= excluded.credits_posted");
  }
  if (s.ok()) {
    s = insert_transfer_.Prepare(
        read_db_.handle(), std::string("INSERT OR IGNORE INTO transfers (") + kTransferColumns +
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  }
  if (s.ok()) {
    s = upsert_customer_.Prepare(
        read_db_.handle(),
        std::string("INSERT INTO customers (") + kCustomerColumns +
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO UPDATE SET "
            "phone = excluded.phone, real_name_masked = excluded.real_name_masked, "
            "resident_id_masked = excluded.resident_id_masked, tier = excluded.tier, "
            "closed_ns = excluded.closed_ns");
  }
  if (s.ok()) {
    s = insert_card_.Prepare(read_db_.handle(),
                             "INSERT OR IGNORE INTO cards (id, customer_id, bank_code, first6, "
                             "last4) VALUES (?1, ?2, ?3, ?4, ?5)");
  }
  if (s.ok()) {
    s = insert_memo_.Prepare(
        read_db_.handle(),
        "INSERT OR IGNORE INTO transfer_memos (transfer_id, memo) VALUES (?1, ?2)");
  }
  if (s.ok()) {
    s = set_projected_seq_.Prepare(read_db_.handle(),
                                   "UPDATE projector_state SET seq = ?1 WHERE id = 1");
  }
  if (s.ok()) s = PreparePaymentStatements();
  return s;
}

// Merchants, orders and payments are upserts that overwrite every column but the key: the
// projection carries each row's latest state. A payment keeps the seq of its first insert, so
// its place in the lists never moves. Refunds, like transfers, are written once.
Status SqliteStore::AppendJournal(std::span<const JournalRecord> records) {
  std::lock_guard lock(journal_mutex_);
  Transaction txn(&journal_db_);
  if (!txn.status().ok()) return txn.status();
  for (const JournalRecord& record : records) {
    insert_record_.BindU64(1, record.seq);
    insert_record_.BindBlob(2, record.bytes);
    if (Status s = insert_record_.Run(); !s.ok()) return s;
  }
  return txn.Commit();
}

Status SqliteStore::ReadJournal(uint64_t from_seq,
                                const std::function<bool(uint64_t, std::string_view)>& visit) {
  std::lock_guard lock(journal_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(journal_db_.handle(),
                            "SELECT seq, bytes FROM journal WHERE seq >= ?1 ORDER BY seq");
  if (!s.ok()) return s;
  select.BindU64(1, from_seq);
  while (select.Step(&s)) {
    if (!visit(select.ColumnU64(0), select.ColumnBlob(1))) break;
  }
  return s;
}

Status SqliteStore::TruncateJournal(uint64_t from_seq) {
  std::lock_guard lock(journal_mutex_);
  sqlite::Statement erase;
  Status s = erase.Prepare(journal_db_.handle(), "DELETE FROM journal WHERE seq >= ?1");
  if (!s.ok()) return s;
  erase.BindU64(1, from_seq);
  return erase.Run();
}

Status SqliteStore::LastJournalSeq(uint64_t* seq) {
  std::lock_guard lock(journal_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(journal_db_.handle(), "SELECT COALESCE(MAX(seq), 0) FROM journal");
  if (!s.ok()) return s;
  *seq = select.Step(&s) ? select.ColumnU64(0) : 0;
  return s;
}

Status SqliteStore::WriteCheckpoint(uint64_t seq, std::string_view state_bytes) {
  std::lock_guard lock(journal_mutex_);
  Transaction txn(&journal_db_);
  if (!txn.status().ok()) return txn.status();
  sqlite::Statement clear_chunks, chunk, header;
  // A checkpoint rewritten at the same seq may need fewer chunks than the one it replaces: the
  // old chunks go first, or the surplus would be read back as part of the new state.
  Status s =
      clear_chunks.Prepare(journal_db_.handle(), "DELETE FROM checkpoint_chunks WHERE seq = ?1");
  if (s.ok()) {
    s = chunk.Prepare(journal_db_.handle(),
                      "INSERT OR REPLACE INTO checkpoint_chunks (seq, chunk, bytes) "
                      "VALUES (?1, ?2, ?3)");
  }
  if (s.ok()) {
    s = header.Prepare(journal_db_.handle(),
                       "INSERT OR REPLACE INTO checkpoints (seq, size_bytes, chunk_count) "
                       "VALUES (?1, ?2, ?3)");
  }
  if (!s.ok()) return s;
  clear_chunks.BindU64(1, seq);
  if (s = clear_chunks.Run(); !s.ok()) return s;
  size_t chunks = 0;
  for (size_t offset = 0; offset < state_bytes.size() || chunks == 0;
       offset += kCheckpointChunkBytes) {
    chunk.BindU64(1, seq);
    chunk.BindU64(2, chunks++);
    chunk.BindBlob(3, state_bytes.substr(offset, kCheckpointChunkBytes));
    if (s = chunk.Run(); !s.ok()) return s;
  }
  header.BindU64(1, seq);
  header.BindU64(2, state_bytes.size());
  header.BindU64(3, chunks);
  if (s = header.Run(); !s.ok()) return s;
  // Keep only the newest few checkpoints; the journal itself is kept whole.
  const std::string keep = "(SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT " +
                           std::to_string(kCheckpointsKept) + ")";
  if (s = journal_db_.Exec("DELETE FROM checkpoint_chunks WHERE seq NOT IN " + keep); !s.ok()) {
    return s;
  }
  if (s = journal_db_.Exec("DELETE FROM checkpoints WHERE seq NOT IN " + keep); !s.ok()) return s;
  return txn.Commit();
}

Status SqliteStore::ListCheckpoints(size_t limit, std::vector<uint64_t>* seqs) {
  std::lock_guard lock(journal_mutex_);
  seqs->clear();
  sqlite::Statement select;
  Status s = select.Prepare(journal_db_.handle(),
                            "SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT ?1");
  if (!s.ok()) return s;
  select.BindU64(1, limit);
  while (select.Step(&s)) seqs->push_back(select.ColumnU64(0));
  return s;
}

Status SqliteStore::ReadCheckpoint(uint64_t seq, CheckpointInfo* checkpoint) {
  std::lock_guard lock(journal_mutex_);
  sqlite::Statement header, chunks;
  Status s = header.Prepare(journal_db_.handle(),
                            "SELECT size_bytes, chunk_count FROM checkpoints WHERE seq = ?1");
  if (!s.ok()) return s;
  header.BindU64(1, seq);
  if (!header.Step(&s)) return s.ok() ? Status::NotFound("checkpoint") : s;
  const uint64_t size_bytes = header.ColumnU64(0);
  const uint64_t chunk_count = header.ColumnU64(1);
  checkpoint->seq = seq;
  checkpoint->state_bytes.clear();
  checkpoint->state_bytes.reserve(size_bytes);
  s = chunks.Prepare(journal_db_.handle(),
                     "SELECT chunk, bytes FROM checkpoint_chunks WHERE seq = ?1 ORDER BY chunk");
  if (!s.ok()) return s;
  chunks.BindU64(1, seq);
  uint64_t expected_chunk = 0;
  while (chunks.Step(&s)) {
    if (chunks.ColumnU64(0) != expected_chunk++) return Status::Corruption("checkpoint chunk gap");
    checkpoint->state_bytes.append(chunks.ColumnBlob(1));
  }
  if (!s.ok()) return s;
  if (expected_chunk != chunk_count || checkpoint->state_bytes.size() != size_bytes) {
    return Status::Corruption("checkpoint " + std::to_string(seq) + " is incomplete");
  }
  return Status::Ok();
}

Status SqliteStore::ApplyProjection(const Projection& p) {
  std::lock_guard lock(read_mutex_);
  Transaction txn(&read_db_);
  if (!txn.status().ok()) return txn.status();
  for (const ledger::Account& a : p.accounts) {
    upsert_account_.BindU64(1, a.id);
    upsert_account_.BindInt64(2, a.ledger);
    upsert_account_.BindInt64(3, a.kind);
    upsert_account_.BindInt64(4, a.flags);
    upsert_account_.BindU64(5, a.user_data);
    upsert_account_.BindInt64(6, a.debits_pending);
    upsert_account_.BindInt64(7, a.debits_posted);
    upsert_account_.BindInt64(8, a.credits_pending);
    upsert_account_.BindInt64(9, a.credits_posted);
    upsert_account_.BindInt64(10, a.timestamp_ns);
    if (Status s = upsert_account_.Run(); !s.ok()) return s;
  }
  for (const ledger::Transfer& t : p.transfers) {
    insert_transfer_.BindU64(1, t.id);
    insert_transfer_.BindU64(2, t.debit_account_id);
    insert_transfer_.BindU64(3, t.credit_account_id);
    insert_transfer_.BindInt64(4, t.amount);
    insert_transfer_.BindU64(5, t.pending_id);
    insert_transfer_.BindU64(6, t.user_data);
    insert_transfer_.BindInt64(7, t.timeout_s);
    insert_transfer_.BindInt64(8, t.ledger);
    insert_transfer_.BindInt64(9, t.code);
    insert_transfer_.BindInt64(10, t.flags);
    insert_transfer_.BindInt64(11, t.timestamp_ns);
    if (Status s = insert_transfer_.Run(); !s.ok()) return s;
  }
  for (const CustomerRow& c : p.customers) {
    upsert_customer_.BindU64(1, c.id);
    upsert_customer_.BindU64(2, c.wallet_account_id);
    upsert_customer_.BindText(3, c.phone);
    upsert_customer_.BindText(4, c.real_name_masked);
    upsert_customer_.BindText(5, c.resident_id_masked);
    upsert_customer_.BindInt64(6, c.tier);
    upsert_customer_.BindText(7, c.channel);
    upsert_customer_.BindText(8, c.invite_code);
    upsert_customer_.BindInt64(9, c.registered_ns);
    upsert_customer_.BindInt64(10, c.closed_ns);
    if (Status s = upsert_customer_.Run(); !s.ok()) return s;
  }
  for (const CardRow& c : p.cards) {
    insert_card_.BindU64(1, c.id);
    insert_card_.BindU64(2, c.customer_id);
    insert_card_.BindText(3, c.bank_code);
    insert_card_.BindText(4, c.first6);
    insert_card_.BindText(5, c.last4);
    if (Status s = insert_card_.Run(); !s.ok()) return s;
  }
  for (const auto& [transfer_id, memo] : p.memos) {
    insert_memo_.BindU64(1, transfer_id);
    insert_memo_.BindText(2, memo);
    if (Status s = insert_memo_.Run(); !s.ok()) return s;
  }
  if (Status s = ApplyPaymentRows(p); !s.ok()) return s;
  if (Status s = ApplyAuditRows(p); !s.ok()) return s;
  if (Status s = ApplyInboxRows(p); !s.ok()) return s;
  set_projected_seq_.BindU64(1, p.last_seq);
  if (Status s = set_projected_seq_.Run(); !s.ok()) return s;
  return txn.Commit();
}

Status SqliteStore::ProjectedSeq(uint64_t* seq) {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), "SELECT seq FROM projector_state WHERE id = 1");
  if (!s.ok()) return s;
  *seq = select.Step(&s) ? select.ColumnU64(0) : 0;
  return s;
}

Status SqliteStore::ResetReadModels() {
  std::lock_guard lock(read_mutex_);
  Transaction txn(&read_db_);
  if (!txn.status().ok()) return txn.status();
  for (const char* sql :
       {"DELETE FROM accounts", "DELETE FROM transfers", "DELETE FROM customers",
        "DELETE FROM cards", "DELETE FROM transfer_memos", "DELETE FROM merchants",
        "DELETE FROM orders", "DELETE FROM payments", "DELETE FROM refunds", "DELETE FROM invoices",
        "DELETE FROM credit_invoices", "DELETE FROM settlements", "DELETE FROM audit_log",
        "DELETE FROM offer_pushes", "DELETE FROM inbox_messages",
        "UPDATE projector_state SET seq = 0 WHERE id = 1"}) {
    if (Status s = read_db_.Exec(sql); !s.ok()) return s;
  }
  return txn.Commit();
}

Status SqliteStore::ReadAccount(uint64_t id, std::optional<ledger::Account>* account) {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(
      read_db_.handle(), std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE id = ?1");
  if (!s.ok()) return s;
  select.BindU64(1, id);
  account->reset();
  if (select.Step(&s)) *account = ReadAccountRow(select);
  return s;
}

Status SqliteStore::ListAccountTransfers(uint64_t account_id, std::optional<int64_t> before_ns,
                                         size_t limit, TransferPage* page) {
  std::lock_guard lock(read_mutex_);
  page->transfers.clear();
  page->next_cursor.reset();
  sqlite::Statement select;
  const std::string columns = kTransferColumns;
  Status s = select.Prepare(
      read_db_.handle(),
      "SELECT * FROM (SELECT " + columns +
          " FROM transfers WHERE debit_account_id = ?1 AND timestamp_ns < ?2 UNION ALL SELECT " +
          columns +
          " FROM transfers WHERE credit_account_id = ?1 AND timestamp_ns < ?2) "
          "ORDER BY timestamp_ns DESC LIMIT ?3");
  if (!s.ok()) return s;
  select.BindU64(1, account_id);
  select.BindInt64(2, before_ns.value_or(INT64_MAX));
  select.BindU64(3, limit + 1);
  while (select.Step(&s)) page->transfers.push_back(ReadTransferRow(select));
  if (page->transfers.size() > limit) {
    page->transfers.pop_back();
    // With a zero limit the page is empty: the caller resumes from where it was.
    page->next_cursor = page->transfers.empty() ? before_ns.value_or(INT64_MAX)
                                                : page->transfers.back().timestamp_ns;
  }
  return s;
}

Status SqliteStore::CountReadModel(uint64_t* accounts, uint64_t* transfers) {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            "SELECT (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM "
                            "transfers)");
  if (!s.ok()) return s;
  if (select.Step(&s)) {
    *accounts = select.ColumnU64(0);
    *transfers = select.ColumnU64(1);
  }
  return s;
}

Status SqliteStore::ForEachProjectedAccount(
    const std::function<void(const ledger::Account&)>& visit) {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            std::string("SELECT ") + kAccountColumns + " FROM accounts");
  if (!s.ok()) return s;
  while (select.Step(&s)) visit(ReadAccountRow(select));
  return s;
}

Status SqliteStore::ListHistory(uint64_t account_id, const HistoryFilter& filter,
                                std::optional<int64_t> before_ns, size_t limit, HistoryPage* page) {
  page->entries.clear();
  page->next_cursor.reset();
  int64_t upper = before_ns.value_or(INT64_MAX);
  if (filter.to_ns && *filter.to_ns < upper) upper = *filter.to_ns;
  // Only numbers are spliced into the text; values are bound.
  std::string where =
      " AND timestamp_ns < ?2 AND timestamp_ns >= ?3 AND (flags & " +
      std::to_string(ledger::transfer_flags::kPostPending | ledger::transfer_flags::kVoidPending) +
      ") = 0";
  if (!filter.codes.empty()) {
    where += " AND code IN (";
    for (size_t i = 0; i < filter.codes.size(); i++) {
      if (i > 0) where += ", ";
      where += std::to_string(filter.codes[i]);
    }
    where += ")";
  }
  static const std::string kHistoryMerchantColumns = MerchantColumnsOf("mc");
  const std::string columns = kTransferColumns;
  std::string halves;
  const bool both = filter.only_in == filter.only_out;
  if (both || filter.only_out) {
    halves += "SELECT " + columns + " FROM transfers WHERE debit_account_id = ?1" + where;
  }
  if (both) halves += " UNION ALL ";
  if (both || filter.only_in) {
    halves += "SELECT " + columns + " FROM transfers WHERE credit_account_id = ?1" + where;
  }
  std::string t_columns;
  for (std::string_view column :
       {"id", "debit_account_id", "credit_account_id", "amount", "pending_id", "user_data",
        "timeout_s", "ledger", "code", "flags", "timestamp_ns"}) {
    t_columns += "t.";
    t_columns += column;
    t_columns += ", ";
  }
  const std::string sql =
      "SELECT " + t_columns +
      "(SELECT r.flags FROM transfers r WHERE r.pending_id = t.id LIMIT 1), m.memo, "
      "c.id, c.wallet_account_id, c.phone, c.real_name_masked, c.resident_id_masked, c.tier, "
      "c.channel, c.invite_code, c.registered_ns, c.closed_ns, k.id, k.customer_id, k.bank_code, "
      "k.first6, "
      "k.last4, " +
      kHistoryMerchantColumns + " FROM (" + halves +
      ") t LEFT JOIN transfer_memos m ON m.transfer_id = t.id "
      "LEFT JOIN customers c ON c.wallet_account_id = (CASE WHEN t.debit_account_id = ?1 THEN "
      "t.credit_account_id ELSE t.debit_account_id END) "
      "LEFT JOIN cards k ON k.id = t.user_data AND t.code IN (" +
      std::to_string(ledger::transfer_codes::kTopUp) + ", " +
      std::to_string(ledger::transfer_codes::kWithdrawal) +
      ") "
      // A payment's transfer id is the payment's id, a refund's the refund's: each finds its
      // merchant by two primary-key look-ups.
      "LEFT JOIN payments py ON py.id = t.id AND t.code = " +
      std::to_string(ledger::transfer_codes::kPayment) +
      " LEFT JOIN refunds rf ON rf.id = t.id AND t.code = " +
      std::to_string(ledger::transfer_codes::kRefund) +
      " LEFT JOIN merchants mc ON mc.id = COALESCE(py.merchant_id, rf.merchant_id) "
      "ORDER BY t.timestamp_ns DESC LIMIT ?4";
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), sql);
  if (!s.ok()) return s;
  select.BindU64(1, account_id);
  select.BindInt64(2, upper);
  select.BindInt64(3, filter.from_ns.value_or(INT64_MIN));
  select.BindU64(4, limit + 1);
  while (select.Step(&s)) {
    HistoryEntry entry;
    entry.transfer = ReadTransferRow(select);
    if (entry.transfer.flags & ledger::transfer_flags::kPending) {
      entry.status = HistoryStatus::kPending;
      if (!select.ColumnIsNull(11)) {
        const int64_t resolution = select.ColumnInt64(11);
        entry.status = (resolution & ledger::transfer_flags::kPostPending) ? HistoryStatus::kPosted
                                                                           : HistoryStatus::kVoided;
      }
    }
    if (!select.ColumnIsNull(12)) entry.memo = std::string(select.ColumnText(12));
    if (!select.ColumnIsNull(13)) entry.counterparty_customer = ReadCustomerRow(select, 13);
    if (!select.ColumnIsNull(23)) {
      entry.card =
          CardRow{select.ColumnU64(23), select.ColumnU64(24), std::string(select.ColumnText(25)),
                  std::string(select.ColumnText(26)), std::string(select.ColumnText(27))};
    }
    if (!select.ColumnIsNull(28)) entry.merchant = sqlite::ReadMerchantRow(select, 28);
    page->entries.push_back(std::move(entry));
  }
  if (page->entries.size() > limit) {
    page->entries.pop_back();
    page->next_cursor = page->entries.empty() ? upper : page->entries.back().transfer.timestamp_ns;
  }
  return s;
}

Status SqliteStore::SearchCustomers(std::string_view phone_prefix,
                                    std::optional<uint64_t> before_id, size_t limit,
                                    CustomerPage* page) {
  page->customers.clear();
  page->next_cursor.reset();
  // A prefix of digits is the range [prefix, prefix + "~"): '~' sorts after every digit.
  std::string upper(phone_prefix);
  upper.push_back('~');
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(),
                            std::string("SELECT ") + kCustomerColumns +
                                " FROM customers WHERE phone >= ?1 AND phone < ?2 AND id < ?3 "
                                "ORDER BY id DESC LIMIT ?4");
  if (!s.ok()) return s;
  select.BindText(1, phone_prefix);
  select.BindText(2, upper);
  select.BindInt64(3, before_id ? static_cast<int64_t>(*before_id) : INT64_MAX);
  select.BindU64(4, limit + 1);
  while (select.Step(&s)) page->customers.push_back(ReadCustomerRow(select, 0));
  if (page->customers.size() > limit) {
    page->customers.pop_back();
    page->next_cursor = page->customers.empty() ? before_id.value_or(0) : page->customers.back().id;
  }
  return s;
}

Status SqliteStore::ReadCustomer(uint64_t id, std::optional<CustomerRow>* customer) {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement select;
  Status s = select.Prepare(read_db_.handle(), std::string("SELECT ") + kCustomerColumns +
                                                   " FROM customers WHERE id = ?1");
  if (!s.ok()) return s;
  select.BindU64(1, id);
  customer->reset();
  if (select.Step(&s)) *customer = ReadCustomerRow(select, 0);
  return s;
}

}  // namespace sqlite

Status OpenSqliteStore(const std::string& data_dir, std::unique_ptr<Store>* store) {
  auto sqlite_store = std::make_unique<sqlite::SqliteStore>();
  Status s = sqlite_store->Open(data_dir);
  if (s.ok()) *store = std::move(sqlite_store);
  return s;
}

}  // namespace qb
