// A thin RAII layer over the SQLite C API: a connection and prepared statements that report
// failures as Status.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/sql_dialect.h"

namespace qb::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  Status Prepare(sqlite3* db, std::string_view sql);
  void BindInt64(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void BindU64(int index, uint64_t value) { BindInt64(index, static_cast<int64_t>(value)); }
  void BindBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  }
  // SQLITE_ROW → true with *ok; SQLITE_DONE → false with *ok; anything else → false, !*ok.
  // Copies the text: the caller's buffer need not outlive the call.
  void BindText(int index, std::string_view text) {
    sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  bool Step(Status* status);
  Status Run();  // Steps to completion of a statement that returns no rows, then resets.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }
  uint64_t ColumnU64(int index) const { return static_cast<uint64_t>(ColumnInt64(index)); }
  bool ColumnIsNull(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }
  std::string_view ColumnText(int index) const {
    const unsigned char* data = sqlite3_column_text(stmt_, index);
    const int size = sqlite3_column_bytes(stmt_, index);
    return data == nullptr ? std::string_view()
                           : std::string_view(reinterpret_cast<const char*>(data), size);
  }
  std::string_view ColumnBlob(int index) const {
    const void* data = sqlite3_column_blob(stmt_, index);
    const int size = sqlite3_column_bytes(stmt_, index);
    return data == nullptr ? std::string_view()
                           : std::string_view(static_cast<const char*>(data), size);
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() { sqlite3_close_v2(db_); }

  // Opens the file in WAL mode with the given synchronous level ("FULL" or "NORMAL") and
  // applies the migrations newer than the recorded schema version.
  Status Open(const std::string& path, std::string_view synchronous,
              const std::vector<sql::Migration>& migrations);
  Status Exec(std::string_view sql);
  sqlite3* handle() { return db_; }

 private:
  Status Migrate(const std::vector<sql::Migration>& migrations);

  sqlite3* db_ = nullptr;
};

}  // namespace qb::sqlite
