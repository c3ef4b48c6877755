// The SQL that differs between backends lives here, so the schema is written once and each
// backend picks its spelling. Every migration is versioned; a database records the highest
// version applied and applies only newer ones.
#pragma once

#include <string>
#include <vector>

namespace qb::sql {

enum class Dialect { kSqlite, kPostgres };

struct Migration {
  int version;
  std::string statements;  // Separated by ';'.
};

// Migrations for the journal database (journal + checkpoints) and for the read-model database.
std::vector<Migration> JournalMigrations(Dialect dialect);
std::vector<Migration> ReadModelMigrations(Dialect dialect);

}  // namespace qb::sql
