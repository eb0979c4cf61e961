// `tracetrack backup FILE`: a consistent copy of a SQLite database, taken while the server keeps
// running (SPEC §6). The copy is a complete database: `--db sqlite:FILE` opens it as it is.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.hpp"
#include "app/io_threads.hpp"
#include "storage/database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace tt::app {

namespace {

constexpr const char* kUsage = "usage: tracetrack backup FILE [--db sqlite:PATH]   (FILE must not exist)";

}  // namespace

std::string backup_usage() {
  return std::string(kUsage) +
         "\n"
         "Copies a SQLite database to FILE while the server keeps running: a consistent snapshot that\n"
         "--db sqlite:FILE opens as it is. PostgreSQL databases are backed up with pg_dump.\n";
}

int backup_command(const Config& config) {
  if (config.args.size() != 1 || config.args.front().starts_with('-')) {
    std::cerr << kUsage << '\n';
    return 2;
  }
  const std::string& dest = config.args.front();
  const std::optional<std::string> source = storage::sqlite::sqlite_path_of(config.db_url);
  if (!source) {
    std::cerr << "tracetrack: backup copies SQLite databases; back up PostgreSQL with its own tools (pg_dump)\n";
    return 2;
  }
  // Opening would create an empty database where a mistyped path points: refuse instead.
  if (!std::filesystem::exists(*source)) {
    std::cerr << "tracetrack: no database at " << *source << '\n';
    return 1;
  }

  std::unique_ptr<storage::Database> db = open_for_command(config);
  auto& sqlite = dynamic_cast<storage::sqlite::SqliteDatabase&>(*db);

  asio::io_context ioc(1);
  IoThreads threads(ioc, 1);
  run_blocking(ioc, sqlite.backup(dest));
  threads.stop();
  db->close();
  std::cout << db->describe() << ": copied to " << dest << '\n';
  return 0;
}

}  // namespace tt::app
