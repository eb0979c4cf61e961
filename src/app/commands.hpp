// The subcommands of the tracetrack binary. Each is one row of the table in commands.cpp, so adding
// an operator command (user, seed, backup, ...) is adding one line there.
#pragma once

#include <span>
#include <string_view>

#include "app/config.hpp"

namespace tt::app {

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `tracetrack help`
  int (*run)(const Config& config);  // returns the process exit code
};

std::span<const Command> commands();

// Runs config.command. An unknown command prints the usage on stderr and returns 2.
int run_command(const Config& config);

// The commands defined by this folder.
int serve_command(const Config& config);
int migrate_command(const Config& config);
int version_command(const Config& config);
int help_command(const Config& config);
int user_command(const Config& config);    // user_command.cpp
int routes_command(const Config& config);  // routes_command.cpp
int backup_command(const Config& config);  // backup_command.cpp
int seed_command(const Config& config);    // seed_command.cpp

}  // namespace tt::app
