// The subcommands of the tracetrack binary. Each is one row of the table in commands.cpp, so adding
// an operator command (user, seed, backup, ...) is adding one line there and its usage text.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "app/config.hpp"
#include "storage/database.hpp"

namespace tt::app {

struct Command {
  std::string_view name;
  std::string_view summary;     // one line for `tracetrack help`
  std::string (*usage)();       // what `tracetrack NAME --help` prints: the command's own options
  int (*run)(const Config& config);  // returns the process exit code
};

std::span<const Command> commands();
const Command* find_command(std::string_view name);

// The database of an operator command (migrate, user, backup, export): config.db_url with one
// connection and one thread, as a command does one thing at a time.
std::unique_ptr<storage::Database> open_for_command(const Config& config);
// The same for a command that works on an existing database (export, import): nothing, and a
// message on stderr, when a SQLite path names no file (opening would create an empty one there).
std::unique_ptr<storage::Database> open_existing_for_command(const Config& config);

// Runs config.command; with config.help, prints that command's usage instead. An unknown command
// prints the general usage on stderr and returns 2.
int run_command(const Config& config);

// The commands defined by this folder, each with its usage text.
int serve_command(const Config& config);     // serve.cpp; usage: serve_usage_text() in config.cpp
int migrate_command(const Config& config);   // migrate_command.cpp
std::string migrate_usage();
int version_command(const Config& config);
int help_command(const Config& config);      // help [COMMAND]
int user_command(const Config& config);      // user_command.cpp
std::string user_usage();
int site_command(const Config& config);      // site_command.cpp
std::string site_usage();
int sync_command(const Config& config);      // sync_command.cpp
std::string sync_usage();
int routes_command(const Config& config);    // routes_command.cpp
std::string routes_usage();
int backup_command(const Config& config);    // backup_command.cpp
std::string backup_usage();
int export_command(const Config& config);    // export_command.cpp
std::string export_usage();
int import_command(const Config& config);    // import_command.cpp
std::string import_usage();
int seed_command(const Config& config);      // seed_command.cpp
std::string seed_usage();

}  // namespace tt::app
