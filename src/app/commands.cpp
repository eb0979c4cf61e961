#include "app/commands.hpp"

#include <iostream>

#include "app/version.hpp"

namespace tt::app {

namespace {

// One row per subcommand; `serve` is what a bare `tracetrack` runs.
constexpr Command kCommands[] = {
    {"serve", "run the server (the default)", serve_command},
    {"migrate", "apply schema migrations to the database and exit", migrate_command},
    {"user", "user accounts: add USERNAME --role R [--area A], passwd USERNAME, list", user_command},
    {"routes", "print every HTTP route with who may call it", routes_command},
    {"seed", "fill an empty database with a generated data set: seed --help", seed_command},
    {"backup", "copy a SQLite database, while in use, to a new FILE", backup_command},
    {"version", "print the version", version_command},
    {"help", "print this text", help_command},
};

}  // namespace

std::span<const Command> commands() { return kCommands; }

int run_command(const Config& config) {
  for (const Command& cmd : commands()) {
    if (cmd.name == config.command) return cmd.run(config);
  }
  std::cerr << "tracetrack: unknown command \"" << config.command << "\"\n\n" << usage_text();
  return 2;
}

int version_command(const Config&) {
  std::cout << "tracetrack " << TRACETRACK_VERSION << '\n';
  return 0;
}

int help_command(const Config&) {
  std::cout << usage_text();
  return 0;
}

}  // namespace tt::app
