// Command line of tt_loadgen. Parsing is a pure function so the tests can check its rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "codes.hpp"
#include "workflow.hpp"

namespace tt::bench {

struct Account {
  std::string username;
  std::string password;
};

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::uint32_t connections = 20;
  std::uint32_t threads = 1;
  double duration_s = 10;
  double warmup_s = 0;
  double rate = 0;        // requests/s over all connections; 0: closed loop
  double timeout_s = 10;  // per request
  double drain_s = 5;     // open loop: how long past the window a late connection may go on

  std::vector<Account> accounts;  // from --user/--password or --users-file
  std::string token;              // --token: bearer token instead of a login

  ParentRange parents;
  Mix mix;
  std::string run_id;  // empty: made up at start
  std::uint64_t seed = 1;

  bool json = false;   // print the final machine-readable line
  bool timeline = false;  // add a per-second timeline to the JSON line
  bool check = false;  // exit 3 on unexpected errors or no successful child scan
};

struct ParseError {
  std::string message;
};
struct HelpRequested {};

// argv without the program name. Reads --users-file and the TT_LOADGEN_PASSWORD environment
// variable (a password kept out of the process list) through the given callbacks' results.
std::variant<Options, ParseError, HelpRequested> parse_options(const std::vector<std::string_view>& args,
                                                               std::optional<std::string> password_env);

// "user:password" lines; blank lines and lines starting with # are skipped.
std::variant<std::vector<Account>, ParseError> parse_users_file(std::string_view text);

std::string_view usage();

}  // namespace tt::bench
