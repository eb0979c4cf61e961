#include "app/commands.hpp"

#include <filesystem>
#include <iostream>

#include "util/version.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace tt::app {

namespace {

std::string version_usage() { return "usage: tracetrack version\nPrints the version of this binary.\n"; }
std::string help_usage() {
  return "usage: tracetrack help [COMMAND]\n"
         "Prints the list of commands, or the options of COMMAND (the same as tracetrack COMMAND --help).\n";
}

// One row per subcommand; `serve` is what a bare `tracetrack` runs.
const Command kCommands[] = {
    {"serve", "run the server (the default)", serve_usage_text, serve_command},
    {"migrate", "apply schema migrations to the database and exit", migrate_usage, migrate_command},
    {"user", "user accounts: add USERNAME --role R [--area A], passwd USERNAME, list", user_usage, user_command},
    {"site", "sites that push to this head office: add NAME --area A..., list, rotate-token ID", site_usage,
     site_command},
    {"sync", "synchronisation with head office: status (on a depot or on head office)", sync_usage, sync_command},
    {"routes", "print every HTTP route with who may call it", routes_usage, routes_command},
    {"seed", "fill an empty database with a generated data set", seed_usage, seed_command},
    {"backup", "copy a SQLite database, while in use, to a new FILE", backup_usage, backup_command},
    {"export", "write bags, bills, scans, links or the audit log as CSV on standard output", export_usage, export_command},
    {"import", "check and apply a CSV file of parent,child pairs", import_usage, import_command},
    {"version", "print the version", version_usage, version_command},
    {"help", "print this text, or a command's options: help COMMAND", help_usage, help_command},
};

}  // namespace

std::span<const Command> commands() { return kCommands; }

const Command* find_command(std::string_view name) {
  for (const Command& cmd : commands()) {
    if (cmd.name == name) return &cmd;
  }
  return nullptr;
}

std::unique_ptr<storage::Database> open_for_command(const Config& config) {
  storage::DbOptions options;
  options.pool_size = 1;
  options.threads = 1;
  options.sqlite_sync_full = config.sqlite_sync_full;
  return storage::open_database(config.db_url, options);
}

std::unique_ptr<storage::Database> open_existing_for_command(const Config& config) {
  if (auto path = storage::sqlite::sqlite_path_of(config.db_url); path && !std::filesystem::exists(*path)) {
    std::cerr << "tracetrack: no database at " << *path << '\n';
    return nullptr;
  }
  return open_for_command(config);
}

int run_command(const Config& config) {
  const Command* cmd = find_command(config.command);
  if (!cmd) {
    std::cerr << "tracetrack: unknown command \"" << config.command << "\"\n\n" << usage_text();
    return 2;
  }
  if (config.help) {
    std::cout << (cmd->name == "help" ? usage_text() : cmd->usage());
    return 0;
  }
  return cmd->run(config);
}

int version_command(const Config&) {
  std::cout << "tracetrack " << TRACETRACK_VERSION << '\n';
  return 0;
}

int help_command(const Config& config) {
  if (config.args.empty()) {
    std::cout << usage_text();
    return 0;
  }
  const Command* cmd = config.args.size() == 1 ? find_command(config.args.front()) : nullptr;
  if (!cmd) {
    std::cerr << "tracetrack: no command \"" << config.args.front() << "\"\n\n" << usage_text();
    return 2;
  }
  std::cout << cmd->usage();
  return 0;
}

}  // namespace tt::app
