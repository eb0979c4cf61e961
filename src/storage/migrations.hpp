// Schema migrations: numbered SQL files compiled into the binary (migrations/<dialect>/NNNN_name.sql),
// applied in order at start-up and by `tracetrack migrate`, each in one transaction, and recorded
// in schema_migrations(version, name, applied_at).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage {

// The migration files are inconsistent, or the database cannot be brought to this binary's
// schema (for instance it was written by a newer release). The message is for an operator.
struct MigrationError : DbError {
  using DbError::DbError;
};

struct MigrationReport {
  int from_version = 0;      // schema version found (0: empty database)
  int to_version = 0;        // schema version now
  std::vector<int> applied;  // versions applied by this call, in order
};

struct MigrationName {
  int version = 0;
  std::string file_name;  // "0001_initial.sql"
};

// Checks the file names of one dialect folder: each is NNNN_words.sql (digits, an underscore,
// lower-case letters, digits or underscores, ".sql"); the versions are 1, 2, … N, each once.
// Returns them ordered by version. Throws MigrationError naming the offending file.
std::vector<MigrationName> parse_migration_names(const std::vector<std::string>& file_names);

// Brings the database to the newest embedded schema version of its dialect and makes sure the
// `site` row (this installation's identity) exists. Safe to run concurrently from several
// processes on one database: each version is applied once. Refuses a database whose version is
// newer than the newest embedded file. `up_to` (7 or more: the site row needs its table) stops
// after that version: a test of one migration fills the schema before it. Throws MigrationError or DbError.
asio::awaitable<MigrationReport> migrate(Database& db, int up_to = 0);

}  // namespace tt::storage
