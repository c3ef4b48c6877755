#include "store/sqlite/sqlite_db.h"

#include <string>

namespace qb::sqlite {

Status Statement::Prepare(sqlite3* db, std::string_view sql) {
  db_ = db;
  sqlite3_finalize(stmt_);
  stmt_ = nullptr;
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK) {
    return Status::IoError(std::string("prepare: ") + sqlite3_errmsg(db));
  }
  return Status::Ok();
}

bool Statement::Step(Status* status) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) *status = Status::IoError(std::string("step: ") + sqlite3_errmsg(db_));
  return false;
}

Status Statement::Run() {
  Status status;
  while (Step(&status)) {
  }
  Reset();
  return status;
}

Status Database::Open(const std::string& path, std::string_view synchronous,
                      const std::vector<sql::Migration>& migrations) {
  // Each connection is used under the store's own mutex, so SQLite's per-call locking would
  // only add cost.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    return Status::IoError("open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
  }
  sqlite3_busy_timeout(db_, 5000);
  Status status = Exec("PRAGMA journal_mode=WAL");
  if (status.ok()) status = Exec("PRAGMA synchronous=" + std::string(synchronous));
  if (status.ok()) status = Exec("PRAGMA foreign_keys=ON");
  if (status.ok()) status = Migrate(migrations);
  return status;
}

Status Database::Exec(std::string_view sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown";
    sqlite3_free(error);
    return Status::IoError("exec: " + message);
  }
  return Status::Ok();
}

Status Database::Migrate(const std::vector<sql::Migration>& migrations) {
  Status status = Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  if (!status.ok()) return status;
  Statement select;
  if (status = select.Prepare(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      !status.ok()) {
    return status;
  }
  int64_t current = 0;
  if (select.Step(&status)) current = select.ColumnInt64(0);
  if (!status.ok()) return status;
  for (const sql::Migration& migration : migrations) {
    if (migration.version <= current) continue;
    status = Exec("BEGIN IMMEDIATE");
    if (status.ok()) status = Exec(migration.statements);
    if (status.ok()) {
      status = Exec("INSERT INTO schema_version (version) VALUES (" +
                    std::to_string(migration.version) + ")");
    }
    if (status.ok()) status = Exec("COMMIT");
    if (!status.ok()) {
      Exec("ROLLBACK");
      return Status::IoError("migration " + std::to_string(migration.version) + ": " +
                             status.message());
    }
  }
  return Status::Ok();
}

}  // namespace qb::sqlite
