// `tracetrack sync status` (SPEC §8), on either box, from the database alone (the server need not
// run): a depot says whether it pushes, what waits and since when, the last success and the last
// error, and what to do when pushing stopped; head office lists its sites with their cursor, lag
// and last push, and the open conflicts. Exit status 0, or 3 when the depot is blocked or
// diverged (an operator must act), so that a monitoring script can ask it.
#include <iomanip>
#include <iostream>

#include "app/commands.hpp"
#include "app/config.hpp"
#include "app/io_threads.hpp"
#include "domain/errors.hpp"
#include "services/sites.hpp"
#include "services/sync_depot.hpp"
#include "storage/database.hpp"
#include "sync/pusher.hpp"
#include "util/time.hpp"

namespace tt::app {

namespace {

constexpr const char* kUsage = "usage: tracetrack sync status";
constexpr int kOperatorMustAct = 3;

// "2026-12-07 18:02:11 UTC (4 min ago)": the time, and how long ago for a reader in a hurry.
std::string when(std::int64_t us, std::int64_t now) {
  std::string iso = util::format_iso8601(us);
  std::string out = iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC";
  const std::int64_t ago = (now - us) / 1'000'000;
  if (ago < 0) return out;
  if (ago < 120) return out + " (" + std::to_string(ago) + " s ago)";
  if (ago < 7200) return out + " (" + std::to_string(ago / 60) + " min ago)";
  if (ago < 172800) return out + " (" + std::to_string(ago / 3600) + " h ago)";
  return out + " (" + std::to_string(ago / 86400) + " days ago)";
}

struct Overview {
  services::SyncFigures figures;
  std::vector<services::Site> sites;
};

asio::awaitable<Overview> read_overview(storage::Tx& tx) {
  Overview out;
  out.figures = co_await services::sync_figures(tx);
  out.sites = co_await services::list_sites(tx);
  co_return out;
}

// The depot's half; returns the exit status.
int print_depot(const services::DepotSyncStatus& s, std::int64_t now) {
  const storage::SyncDepotRow& d = *s.depot;
  std::cout << "This database is a depot: it pushes to head office as site " << d.site_uid << ", since "
            << when(d.enabled_at, now) << ".\n";
  int code = 0;
  if (d.blocked) {
    code = kOperatorMustAct;
    std::cout << "State: " << *d.blocked << " - nothing is pushed until an administrator acts.\n";
    if (*d.blocked == "diverged") {
      std::cout << "  " << sync::kDivergedAdvice << '\n';
    } else {
      std::cout << "  Fix the cause below (a renewed token in --sync-token-file, head office upgraded), then press\n"
                   "  \"Try again now\" on the dashboard's Head office card, or restart the server.\n";
    }
  } else if (d.last_error) {
    std::cout << "State: retrying - the last push failed; the server tries again by itself.\n";
  } else if (d.last_success_at) {
    std::cout << "State: ok.\n";
  } else {
    std::cout << "State: not pushed yet (is the server running with --upstream?).\n";
  }
  // Outbox rows: a child scan is one, its link inside it.
  std::cout << "Waiting: " << s.backlog.ops << " operation" << (s.backlog.ops == 1 ? "" : "s");
  if (s.backlog.oldest_at) std::cout << ", the oldest from " << when(*s.backlog.oldest_at, now);
  std::cout << ".\nHead office has applied " << d.acked_seq << " of the " << s.backlog.last_seq
            << " operations this database wrote.\n";
  std::cout << "Last success: " << (d.last_success_at ? when(*d.last_success_at, now) : std::string("never")) << ".\n";
  std::cout << "Last received from head office (areas, users, settings): "
            << (s.feed.last_pull_at ? when(*s.feed.last_pull_at, now) : std::string("never")) << ".\n";
  if (d.last_error) {
    std::cout << "Last error: " << *d.last_error;
    if (d.last_error_at) std::cout << " (" << when(*d.last_error_at, now) << ")";
    std::cout << ".\n";
  }
  return code;
}

void print_head_office(const Overview& o, std::int64_t now) {
  std::cout << "This database is head office: " << o.sites.size() << " site" << (o.sites.size() == 1 ? "" : "s")
            << " registered, " << o.figures.conflicts_open << " open conflict"
            << (o.figures.conflicts_open == 1 ? "" : "s") << ".\n";
  std::cout << std::left << std::setw(24) << "SITE" << std::setw(9) << "TOKEN" << std::setw(10) << "CURSOR"
            << std::setw(8) << "LAG" << "LAST PUSH\n";
  for (const auto& s : o.sites) {
    std::cout << std::setw(24) << s.name << std::setw(9) << (s.token_active ? "active" : "revoked") << std::setw(10)
              << s.acked_seq << std::setw(8) << (s.reported_seq - s.acked_seq)
              << (s.last_push_at ? when(*s.last_push_at, now) : std::string("never")) << '\n';
  }
}

asio::awaitable<int> run(storage::Database& db) {
  const Overview o = co_await db.read(storage::job(read_overview));
  const std::int64_t now = util::now_us();
  int code = 0;
  if (o.figures.depot.depot) code = print_depot(o.figures.depot, now);
  if (!o.sites.empty()) {
    if (o.figures.depot.depot) std::cout << '\n';
    print_head_office(o, now);
  }
  if (!o.figures.depot.depot && o.sites.empty()) {
    std::cout << "Synchronisation is off on this database: it does not push to head office (a depot starts with\n"
                 "--upstream, --site-id and --sync-token-file) and no site pushes to it (tracetrack site add).\n";
  }
  co_return code;
}

}  // namespace

std::string sync_usage() {
  return std::string(kUsage) +
         "\n"
         "Synchronisation between depots and head office (SPEC §8), read from the database (the server\n"
         "need not run):\n"
         "  status   on a depot: its state, the operations waiting and since when, the last success and\n"
         "           the last error, and what to do when pushing stopped; on head office: every site\n"
         "           with its cursor, lag and last push, and the open conflicts. Exits with 3 when the\n"
         "           depot is blocked or diverged (an operator must act), else 0.\n";
}

int sync_command(const Config& config) {
  std::string problem;
  if (config.args.empty()) problem = "sync needs an action";
  else if (config.args[0] != "status") problem = "unknown sync action \"" + config.args[0] + "\"";
  else if (config.args.size() > 1) problem = "sync status takes no arguments";
  if (!problem.empty()) {
    std::cerr << "tracetrack: " << problem << '\n' << kUsage << '\n';
    return 2;
  }
  auto db = open_existing_for_command(config);
  if (!db) return 1;
  asio::io_context ioc(1);
  IoThreads threads(ioc, 1);
  int code = 1;
  try {
    code = run_blocking(ioc, run(*db));
  } catch (const std::exception& e) {
    std::cerr << "tracetrack: " << e.what() << '\n';
    code = 1;
  }
  threads.stop();
  db->close();
  return code;
}

}  // namespace tt::app
