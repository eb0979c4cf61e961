#include "storage/migrations.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include "util/embedded.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::storage {

namespace {

struct Migration {
  int version;
  std::string name;
  std::string_view sql;
};

bool valid_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// Version of "0001_initial.sql", or 0 when the name does not follow the pattern.
int version_of(std::string_view name) {
  constexpr std::string_view suffix = ".sql";
  if (!name.ends_with(suffix)) return 0;
  name.remove_suffix(suffix.size());
  const std::size_t underscore = name.find('_');
  if (underscore == 0 || underscore == std::string_view::npos || underscore > 6) return 0;
  const std::string_view digits = name.substr(0, underscore);
  const std::string_view words = name.substr(underscore + 1);
  if (words.empty() || !std::all_of(words.begin(), words.end(), valid_word_char)) return 0;
  int version = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    version = version * 10 + (c - '0');
  }
  return version;
}

std::string_view folder_of(Dialect dialect) { return dialect == Dialect::sqlite ? "sqlite" : "postgres"; }

std::vector<Migration> embedded_migrations(Dialect dialect) {
  const std::string prefix = std::string(folder_of(dialect)) + "/";
  std::vector<std::string> names;
  std::map<std::string, std::string_view, std::less<>> sql_by_name;
  for (const auto& file : embedded::migration_files()) {
    if (!file.name.starts_with(prefix)) continue;
    std::string name(file.name.substr(prefix.size()));
    sql_by_name.emplace(name, file.data);
    names.push_back(std::move(name));
  }
  if (names.empty()) throw MigrationError("this tracetrack has no " + prefix + " migrations built in");
  std::vector<Migration> out;
  for (auto& m : parse_migration_names(names)) out.push_back({m.version, m.file_name, sql_by_name.at(m.file_name)});
  return out;
}

// Arbitrary but fixed: every tracetrack process uses this key for its migration lock.
constexpr std::string_view pg_migration_lock = "SELECT pg_advisory_xact_lock(7265746372617765)";

// Serialises migrations between processes for the rest of the transaction. On SQLite the
// transaction itself already holds the only write lock (BEGIN IMMEDIATE). On PostgreSQL the write
// transaction must be READ COMMITTED so that what the previous holder committed is visible to
// the statements that follow the lock.
asio::awaitable<void> lock_migrations(Tx& tx) {
  if (tx.dialect() == Dialect::postgres) co_await tx.exec(pg_migration_lock);
}

asio::awaitable<void> ensure_migrations_table(Tx& tx) {
  if (tx.dialect() == Dialect::postgres) {
    co_await tx.exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  } else {
    co_await tx.exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  }
}

asio::awaitable<int> recorded_version(Tx& tx) {
  auto row = co_await tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  co_return static_cast<int>(row ? row->i64(0) : 0);
}

// Takes the lock, creates the bookkeeping table when missing, and returns the recorded version.
asio::awaitable<int> begin_migration_tx(Tx& tx) {
  co_await lock_migrations(tx);
  co_await ensure_migrations_table(tx);
  co_return co_await recorded_version(tx);
}

// One migration in its transaction, unless another process did it first; true when applied here.
asio::awaitable<bool> apply_in(Tx& tx, Migration m) {
  const int current = co_await begin_migration_tx(tx);
  if (current >= m.version) co_return false;
  if (current != m.version - 1) {
    throw MigrationError("database schema version " + std::to_string(current) + " cannot take migration " + m.name +
                         " (expected version " + std::to_string(m.version - 1) + ")");
  }
  co_await tx.exec_script(m.sql);
  co_await tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                   params(m.version, m.name, util::now_us()));
  co_return true;
}

// Migrations run alone, never in a group of other writes: they change the schema those use.
asio::awaitable<bool> apply(Database& db, Migration m) {
  co_return co_await db.write(storage::job(apply_in, std::move(m)), write_alone());
}

asio::awaitable<void> ensure_site_row(Database& db) {
  co_await db.write(storage::job(run_statement,
                                 std::string("INSERT INTO site (id, uid, created_at) VALUES (1, $1, $2)"
                                             " ON CONFLICT (id) DO NOTHING"),
                                 params(util::uuid_v7(), util::now_us())));
}

}  // namespace

std::vector<MigrationName> parse_migration_names(const std::vector<std::string>& file_names) {
  std::vector<MigrationName> out;
  for (const auto& name : file_names) {
    const int version = version_of(name);
    if (version <= 0) {
      throw MigrationError("migration file name \"" + name +
                           "\" does not follow NNNN_description.sql (lower-case, version from 1)");
    }
    out.push_back({version, name});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (out[i].version == expected) continue;
    if (i > 0 && out[i].version == out[i - 1].version) {
      throw MigrationError("migrations " + out[i - 1].file_name + " and " + out[i].file_name +
                           " have the same version");
    }
    throw MigrationError("migration version " + std::to_string(expected) + " is missing (next is " +
                         out[i].file_name + ")");
  }
  return out;
}

asio::awaitable<MigrationReport> migrate(Database& db, int up_to) {
  const std::vector<Migration> migrations = embedded_migrations(db.dialect());
  const int newest = migrations.back().version;

  MigrationReport report;
  report.from_version = co_await db.write(storage::job(begin_migration_tx), write_alone());
  if (report.from_version > newest) {
    throw MigrationError("database schema version " + std::to_string(report.from_version) +
                         " is newer than this tracetrack (knows up to " + std::to_string(newest) +
                         "): upgrade tracetrack");
  }
  for (const auto& m : migrations) {
    if (m.version <= report.from_version) continue;
    if (up_to > 0 && m.version > up_to) break;
    if (co_await apply(db, m)) report.applied.push_back(m.version);
  }
  co_await ensure_site_row(db);
  report.to_version = co_await db.read(storage::job(recorded_version));
  co_return report;
}

}  // namespace tt::storage
