// `tracetrack user add|passwd|reset-second-factor|list` (SPEC §6): user accounts for operators at
// the console, for instance to let someone in again when every administrator has forgotten their
// password or lost the phone of their second factor.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tt::app {

struct UserCommand {
  enum class Action { add, passwd, reset_second_factor, list } action = Action::list;
  std::string username;
  std::string role;
  std::optional<std::string> area;
  std::optional<std::string> email;
  bool password_stdin = false;  // read the password from the first line of stdin
};

// Parses the words after `user`. Throws ConfigError with a message for a person.
UserCommand parse_user_command(const std::vector<std::string>& args);

}  // namespace tt::app
