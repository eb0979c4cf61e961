// `tracetrack site add NAME --area AREA [--area AREA]... | list | rotate-token ID | revoke-token ID`
// (SPEC §8), run on the head-office box: registers the depots that will push to it. The sync token
// is printed once, on its own line, for the depot's --sync-token-file; only its hash is kept.
#include <iomanip>
#include <iostream>

#include "accounts/credentials.hpp"
#include "app/commands.hpp"
#include "app/config.hpp"
#include "app/io_threads.hpp"
#include "domain/errors.hpp"
#include "domain/identity.hpp"
#include "services/sites.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "util/time.hpp"

namespace tt::app {

namespace {

constexpr const char* kUsage =
    "usage: tracetrack site add NAME --area AREA [--area AREA]...\n"
    "       tracetrack site list\n"
    "       tracetrack site rotate-token ID\n"
    "       tracetrack site revoke-token ID";

struct SiteCommand {
  enum class Action { add, list, rotate, revoke } action = Action::list;
  std::string word;  // NAME or ID
  std::vector<std::string> areas;
};

SiteCommand parse(const std::vector<std::string>& args) {
  if (args.empty()) throw ConfigError(std::string("site needs an action\n") + kUsage);
  SiteCommand cmd;
  const std::string& action = args[0];
  if (action == "add") cmd.action = SiteCommand::Action::add;
  else if (action == "list") cmd.action = SiteCommand::Action::list;
  else if (action == "rotate-token") cmd.action = SiteCommand::Action::rotate;
  else if (action == "revoke-token") cmd.action = SiteCommand::Action::revoke;
  else throw ConfigError("unknown site action \"" + action + "\"\n" + kUsage);
  std::vector<std::string> words;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (cmd.action == SiteCommand::Action::add && a == "--area") {
      if (i + 1 >= args.size()) throw ConfigError(std::string("--area needs a value\n") + kUsage);
      cmd.areas.push_back(args[++i]);
    } else if (cmd.action == SiteCommand::Action::add && a.starts_with("--area=")) {
      cmd.areas.push_back(a.substr(7));
    } else if (a.starts_with("-")) {
      throw ConfigError("unknown option " + a + " for site " + action + "\n" + kUsage);
    } else {
      words.push_back(a);
    }
  }
  if (cmd.action == SiteCommand::Action::list) {
    if (!words.empty()) throw ConfigError("site list takes no arguments");
    return cmd;
  }
  if (words.size() != 1) throw ConfigError("site " + action + " needs exactly one " +
                                           (cmd.action == SiteCommand::Action::add ? "NAME\n" : "ID\n") + kUsage);
  cmd.word = words[0];
  if (cmd.action == SiteCommand::Action::add && cmd.areas.empty()) {
    throw ConfigError(std::string("site add needs at least one --area\n") + kUsage);
  }
  return cmd;
}

// The console acts as no user, as `tracetrack user` does.
services::Actor console() { return domain::system_identity("console"); }

void print_token(const services::Site& site, const std::string& token) {
  std::cout << "Site \"" << site.name << "\" (id " << site.uid << ")\n"
            << "Its sync token, shown this once: put it in the depot's --sync-token-file.\n"
            << token << '\n';
}

asio::awaitable<int> run(storage::Database& db, SiteCommand cmd) {
  co_await storage::migrate(db);
  switch (cmd.action) {
    case SiteCommand::Action::add: {
      const std::string token = accounts::new_site_token();
      auto job = storage::job(services::register_site, console(), cmd.word, cmd.areas, accounts::token_hash(token));
      const services::Site site = co_await db.write(std::move(job));
      print_token(site, token);
      co_return 0;
    }
    case SiteCommand::Action::rotate: {
      const std::string token = accounts::new_site_token();
      auto job = storage::job(services::rotate_site_token, console(), cmd.word, accounts::token_hash(token));
      const auto changed = co_await db.write(std::move(job));
      print_token(changed.value, token);
      co_return 0;
    }
    case SiteCommand::Action::revoke: {
      auto job = storage::job(services::revoke_site_token, console(), cmd.word);
      const auto changed = co_await db.write(std::move(job));
      std::cout << "The token of site \"" << changed.value.name << "\" is revoked: it can no longer push.\n";
      co_return 0;
    }
    case SiteCommand::Action::list: break;
  }
  const auto sites = co_await db.read(storage::job(services::list_sites));
  std::cout << std::left << std::setw(38) << "ID" << std::setw(24) << "NAME" << std::setw(9) << "TOKEN"
            << std::setw(10) << "CURSOR" << "AREAS\n";
  for (const auto& s : sites) {
    std::string areas;
    for (const auto& a : s.areas) areas += (areas.empty() ? "" : ", ") + a;
    std::cout << std::setw(38) << s.uid << std::setw(24) << s.name << std::setw(9)
              << (s.token_active ? "active" : "revoked") << std::setw(10) << s.acked_seq << areas << '\n';
  }
  co_return 0;
}

}  // namespace

std::string site_usage() {
  return std::string(kUsage) +
         "\n"
         "Sites: the depots that push to this head office (SPEC §8).\n"
         "  add NAME --area AREA...   registers a depot writing in those dispatch areas and prints its\n"
         "                            sync token, once\n"
         "  list                      every site with its id, token state, cursor and areas\n"
         "  rotate-token ID           prints a new token for the site; the old one stops working at once\n"
         "  revoke-token ID           the site's token stops working; it can push again after rotate-token\n";
}

int site_command(const Config& config) {
  SiteCommand cmd;
  try {
    cmd = parse(config.args);
  } catch (const ConfigError& e) {
    std::cerr << "tracetrack: " << e.what() << '\n';
    return 2;
  }
  auto db = open_for_command(config);
  asio::io_context ioc(1);
  IoThreads threads(ioc, 1);
  int code = 1;
  try {
    code = run_blocking(ioc, run(*db, std::move(cmd)));
  } catch (const domain::Failure& e) {
    std::cerr << "tracetrack: " << e.what() << '\n';
    code = 1;
  }
  threads.stop();
  db->close();
  return code;
}

}  // namespace tt::app
