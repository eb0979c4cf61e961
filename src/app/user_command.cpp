#include "app/user_command.hpp"

#include <termios.h>
#include <unistd.h>

#include <iomanip>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/config.hpp"
#include "app/io_threads.hpp"
#include "accounts/credentials.hpp"
#include "accounts/password_hasher.hpp"
#include "accounts/second_factor.hpp"
#include "domain/audit_actions.hpp"
#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "services/users.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace tt::app {

namespace {

constexpr const char* kUsage =
    "usage: tracetrack user add USERNAME --role dispatcher|biller|admin [--area AREA] [--email EMAIL] "
    "[--password-stdin]\n"
    "       tracetrack user passwd USERNAME [--password-stdin]\n"
    "       tracetrack user reset-second-factor USERNAME\n"
    "       tracetrack user list";

}  // namespace

std::string user_usage() {
  return std::string(kUsage) +
         "\n"
         "User accounts, from the console (for instance when every administrator has forgotten their password).\n"
         "  add USERNAME       creates a user; --area is required for dispatchers and billers\n"
         "  passwd USERNAME    sets a new password and ends the user's sessions\n"
         "  reset-second-factor USERNAME\n"
         "                     turns the user's two-factor sign-in off (a lost phone): they sign in with the\n"
         "                     password alone and set up the new phone on their account page\n"
         "  list               every user with role, area, whether active and whether two-factor sign-in is on\n"
         "The password is read from the first line of stdin with --password-stdin; otherwise it is asked at a\n"
         "terminal (empty: generate one), or generated and printed once.\n"
         "  --db URL           sqlite:PATH or postgresql://... [TRACETRACK_DB], default sqlite:tracetrack.db\n";
}

namespace {

// "--role biller" or "--role=biller".
bool take_option(const std::vector<std::string>& args, std::size_t& i, std::string_view name,
                 std::optional<std::string>& out) {
  const std::string& a = args[i];
  if (a == name) {
    if (i + 1 >= args.size()) throw ConfigError(std::string(name) + " needs a value\n" + kUsage);
    out = args[++i];
    return true;
  }
  if (a.size() > name.size() && a.starts_with(name) && a[name.size()] == '=') {
    out = a.substr(name.size() + 1);
    return true;
  }
  return false;
}

// Reads a line from the terminal without echoing it.
std::string read_hidden(const char* prompt) {
  std::cerr << prompt << std::flush;
  termios old_mode{};
  const bool tty = tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (tty) {
    termios quiet = old_mode;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
  std::cerr << '\n';
  return line;
}

struct ChosenPassword {
  std::string password;
  bool generated = false;
};

// From stdin when asked; typed twice at a terminal (empty: generate one); generated otherwise.
ChosenPassword choose_password(bool from_stdin) {
  if (from_stdin) {
    std::string line;
    if (!std::getline(std::cin, line)) throw ConfigError("--password-stdin: nothing to read on stdin");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return {line, false};
  }
  if (isatty(STDIN_FILENO)) {
    std::string first = read_hidden("New password (empty to generate one): ");
    if (!first.empty()) {
      if (read_hidden("Repeat it: ") != first) throw ConfigError("the two passwords differ");
      return {first, false};
    }
  }
  return {accounts::generate_password(), true};
}

const services::Actor kConsole = domain::system_identity("console");

asio::awaitable<int> add_user(storage::Database& db, accounts::PasswordHasher& hasher, UserCommand cmd) {
  services::NewUser u{cmd.username, cmd.role, cmd.area, cmd.email};
  services::check_new_user(u);
  auto chosen = choose_password(cmd.password_stdin);
  if (auto err = domain::validate_password(chosen.password)) throw ConfigError(*err);
  auto hash = co_await hasher.hash(chosen.password);
  auto insert = storage::job(services::create_user, kConsole, u, hash);
  auto user = co_await db.write(std::move(insert));
  std::cout << "Created " << domain::to_string(user.role) << " \"" << user.username << "\"";
  if (user.area) std::cout << " in " << *user.area;
  std::cout << ".\n";
  if (chosen.generated) std::cout << "Password (shown once): " << chosen.password << '\n';
  co_return 0;
}

asio::awaitable<int> set_password(storage::Database& db, accounts::PasswordHasher& hasher, UserCommand cmd) {
  auto name = cmd.username;
  auto lookup = storage::job(services::find_user, name);
  auto existing = co_await db.read(std::move(lookup));
  if (!existing) throw domain::Failure(domain::Error::user_not_found, "There is no user named '" + name + "'.");
  auto chosen = choose_password(cmd.password_stdin);
  if (auto err = domain::validate_password(chosen.password)) throw ConfigError(*err);
  services::UserPatch patch;
  patch.password_hash = co_await hasher.hash(chosen.password);
  auto store = storage::job(services::update_user, kConsole, name, patch);
  co_await db.write(std::move(store));
  std::cout << "Password of \"" << existing->username << "\" changed; their sessions were ended.\n";
  if (chosen.generated) std::cout << "Password (shown once): " << chosen.password << '\n';
  co_return 0;
}

asio::awaitable<int> reset_second_factor(storage::Database& db, UserCommand cmd) {
  auto name = cmd.username;
  const domain::AuditAction action = domain::AuditAction::second_factor_reset;
  auto reset = storage::job(accounts::remove_second_factor, kConsole, name, action);
  // Another process than the server: a running server sees the change within its credential
  // cache's time to live (accounts/credential_cache.hpp).
  auto changed = co_await db.write(std::move(reset));
  const services::User& user = changed.value;
  std::cout << "Two-factor sign-in of \"" << user.username
            << "\" is off: they sign in with their password and may set up a new phone on their account page.\n";
  co_return 0;
}

asio::awaitable<int> list_users(storage::Database& db) {
  auto users = co_await db.read(storage::job(services::list_users));
  std::cout << std::left << std::setw(34) << "USERNAME" << std::setw(12) << "ROLE" << std::setw(24) << "AREA"
            << std::setw(8) << "ACTIVE" << "TWO-FACTOR\n";
  for (const auto& u : users) {
    std::cout << std::setw(34) << u.username << std::setw(12) << domain::to_string(u.role) << std::setw(24)
              << u.area.value_or("-") << std::setw(8) << (u.active ? "yes" : "no")
              << (u.second_factor_since ? "on" : "off") << '\n';
  }
  co_return 0;
}

asio::awaitable<int> run_user_command(storage::Database& db, accounts::PasswordHasher& hasher, UserCommand cmd) {
  co_await storage::migrate(db);
  switch (cmd.action) {
    case UserCommand::Action::add: co_return co_await add_user(db, hasher, std::move(cmd));
    case UserCommand::Action::passwd: co_return co_await set_password(db, hasher, std::move(cmd));
    case UserCommand::Action::reset_second_factor: co_return co_await reset_second_factor(db, std::move(cmd));
    case UserCommand::Action::list: break;
  }
  co_return co_await list_users(db);
}

}  // namespace

UserCommand parse_user_command(const std::vector<std::string>& args) {
  if (args.empty()) throw ConfigError(std::string("user needs an action\n") + kUsage);
  UserCommand cmd;
  const std::string& action = args[0];
  if (action == "add") cmd.action = UserCommand::Action::add;
  else if (action == "passwd") cmd.action = UserCommand::Action::passwd;
  else if (action == "reset-second-factor") cmd.action = UserCommand::Action::reset_second_factor;
  else if (action == "list") cmd.action = UserCommand::Action::list;
  else throw ConfigError("unknown user action \"" + action + "\"\n" + kUsage);

  std::optional<std::string> role, area, email;
  std::vector<std::string> words;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (cmd.action == UserCommand::Action::add &&
        (take_option(args, i, "--role", role) || take_option(args, i, "--area", area) ||
         take_option(args, i, "--email", email))) {
      continue;
    }
    const bool takes_password = cmd.action == UserCommand::Action::add || cmd.action == UserCommand::Action::passwd;
    if (takes_password && a == "--password-stdin") {
      cmd.password_stdin = true;
      continue;
    }
    if (a.starts_with("-")) throw ConfigError("unknown option " + a + " for user " + action + "\n" + kUsage);
    words.push_back(a);
  }
  if (cmd.action == UserCommand::Action::list) {
    if (!words.empty()) throw ConfigError("user list takes no arguments");
    return cmd;
  }
  if (words.size() != 1) throw ConfigError("user " + action + " needs exactly one USERNAME\n" + kUsage);
  cmd.username = words[0];
  if (cmd.action == UserCommand::Action::add) {
    if (!role) throw ConfigError(std::string("user add needs --role\n") + kUsage);
    cmd.role = *role;
    cmd.area = area;
    cmd.email = email;
  }
  return cmd;
}

int user_command(const Config& config) {
  UserCommand cmd;
  try {
    cmd = parse_user_command(config.args);
  } catch (const ConfigError& e) {
    // A mistake on the command line, like any other command's: exit code 2.
    std::cerr << "tracetrack: " << e.what() << '\n';
    return 2;
  }
  auto db = open_for_command(config);
  asio::io_context ioc(1);
  IoThreads threads(ioc, 1);
  accounts::PasswordHasher hasher(1);
  int code = 1;
  try {
    code = run_blocking(ioc, run_user_command(*db, hasher, std::move(cmd)));
  } catch (const domain::Failure& e) {
    // A refused request (name taken, unknown area, ...) is the operator's to fix, not a crash.
    std::cerr << "tracetrack: " << e.what() << '\n';
    code = 1;
  } catch (const ConfigError& e) {
    std::cerr << "tracetrack: " << e.what() << '\n';
    code = 2;
  }
  threads.stop();
  db->close();
  return code;
}

}  // namespace tt::app
