// `tracetrack backup FILE`: a consistent copy of a SQLite database, taken while the server keeps
// running (SPEC §6). The copy is a complete database: `--db sqlite:FILE` opens it as it is.
// `tracetrack backup --into DIR [--keep N]`: the nightly form (packaging/tracetrack-backup.timer):
// a copy named by its UTC time in DIR, written under a temporary name and renamed when complete
// (a crash or a full disk never leaves a partial copy that looks like a backup), then all but the
// newest N copies are deleted.
#include <algorithm>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <vector>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.hpp"
#include "app/io_threads.hpp"
#include "storage/database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace tt::app {

namespace {

constexpr const char* kUsage =
    "usage: tracetrack backup FILE [--db sqlite:PATH]   (FILE must not exist)\n"
    "       tracetrack backup --into DIR [--keep N] [--db sqlite:PATH]";
constexpr int kDefaultKeep = 14;
constexpr std::string_view kCopyPrefix = "tracetrack-";
constexpr std::string_view kCopySuffix = ".db";

struct BackupRequest {
  std::string file;                // FILE form
  std::optional<std::string> into;  // --into DIR form
  int keep = kDefaultKeep;
};

// Nothing when the words are not a valid request (the usage is printed).
std::optional<BackupRequest> parse_backup(const std::vector<std::string>& args) {
  BackupRequest r;
  std::optional<std::string> keep;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--into" || a == "--keep") && i + 1 < args.size()) {
      (a == "--into" ? r.into : keep) = args[++i];
    } else if (a.starts_with("--into=")) {
      r.into = a.substr(7);
    } else if (a.starts_with("--keep=")) {
      keep = a.substr(7);
    } else if (!a.starts_with('-') && r.file.empty()) {
      r.file = a;
    } else {
      return std::nullopt;
    }
  }
  if (r.into.has_value() == !r.file.empty() || (keep && !r.into)) return std::nullopt;
  if (keep) {
    const auto [end, ec] = std::from_chars(keep->data(), keep->data() + keep->size(), r.keep);
    if (ec != std::errc() || end != keep->data() + keep->size() || r.keep < 1) return std::nullopt;
  }
  return r;
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// The copies in `dir` made by --into, oldest first (their names sort by time).
std::vector<std::filesystem::path> copies_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.starts_with(kCopyPrefix) && name.ends_with(kCopySuffix)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string backup_usage() {
  return std::string(kUsage) +
         "\n"
         "Copies a SQLite database to FILE while the server keeps running: a consistent snapshot that\n"
         "--db sqlite:FILE opens as it is. PostgreSQL databases are backed up with pg_dump.\n"
         "  --into DIR   writes DIR/tracetrack-YYYYMMDDTHHMMSSZ.db (UTC) instead, created whole or not at all\n"
         "  --keep N     with --into: then deletes all but the newest N copies there (default 14)\n"
         "Restore: stop the server, copy a backup over the database file (and delete its -wal and -shm\n"
         "files), start the server.\n";
}

int backup_command(const Config& config) {
  const auto request = parse_backup(config.args);
  if (!request) {
    std::cerr << kUsage << '\n';
    return 2;
  }
  std::string dest = request->file;
  std::filesystem::path final_path;
  if (request->into) {
    std::error_code ec;
    std::filesystem::create_directories(*request->into, ec);
    if (ec) {
      std::cerr << "tracetrack: cannot create " << *request->into << ": " << ec.message() << '\n';
      return 1;
    }
    const std::string name = std::string(kCopyPrefix) + utc_stamp() + std::string(kCopySuffix);
    final_path = std::filesystem::path(*request->into) / name;
    if (std::filesystem::exists(final_path)) {
      std::cerr << "tracetrack: " << final_path.string() << " exists already (two backups in one second)\n";
      return 1;
    }
    dest = (std::filesystem::path(*request->into) / ("." + name + ".partial")).string();
    std::filesystem::remove(dest, ec);  // left by a crash: never a backup
  }
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
  if (!request->into) {
    std::cout << db->describe() << ": copied to " << dest << '\n';
    return 0;
  }
  std::filesystem::rename(dest, final_path);
  std::cout << db->describe() << ": copied to " << final_path.string() << '\n';
  auto copies = copies_in(*request->into);
  const auto extra = copies.size() > static_cast<std::size_t>(request->keep)
                         ? copies.size() - static_cast<std::size_t>(request->keep)
                         : 0;
  for (std::size_t i = 0; i < extra; ++i) {
    std::filesystem::remove(copies[i]);
    std::cout << "removed the older copy " << copies[i].filename().string() << '\n';
  }
  return 0;
}

}  // namespace tt::app
