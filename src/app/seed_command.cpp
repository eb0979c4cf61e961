#include "app/seed_command.hpp"

#include <atomic>
#include <charconv>
#include <chrono>
#include <future>
#include <iostream>
#include <memory>
#include <mutex>

#include "app/commands.hpp"
#include "app/config.hpp"
#include "app/io_threads.hpp"
#include "accounts/credentials.hpp"
#include "accounts/initial_admin.hpp"
#include "accounts/password_hasher.hpp"
#include "seed/seed_writer.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/postgres/pg_connection.hpp"
#include "util/time.hpp"

namespace tt::app {

namespace {

constexpr const char* kUsage =
    "usage: tracetrack seed [--parents N] [--children N] [--areas N] [--users-per-area N] [--bills N]\n"
    "                       [--parents-per-bill N] [--days N] [--db URL]";

// Parents written per transaction: large enough that a commit is rare, small enough that a
// slice's rows and ids stay a few megabytes.
constexpr int kParentsPerSlice = 250;
constexpr int kBillsPerSlice = 100;
// Slices written at once: PostgreSQL uses a connection (and a core) for each; SQLite's single
// writer commits them together.
constexpr unsigned kWorkers = 2;

int parse_int(const std::string& option, const std::string& text) {
  int v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end) throw ConfigError(option + " needs a whole number, not \"" + text + "\"");
  return v;
}

// Runs `count` slices of work on kWorkers coroutines and reports progress on stderr.
template <class Slice>
void run_slices(asio::io_context& ioc, const char* what, int total, int per_slice, Slice slice) {
  std::atomic<int> next{0};
  std::atomic<int> done{0};
  std::mutex print_mutex;
  int last_percent = -1;
  const auto started = std::chrono::steady_clock::now();
  auto worker = [&]() -> asio::awaitable<void> {
    for (;;) {
      const int first = next.fetch_add(per_slice);
      if (first >= total) co_return;
      const int end = std::min(total, first + per_slice);
      co_await slice(first, end);
      const int finished = done.fetch_add(end - first) + (end - first);
      const int percent = static_cast<int>(100LL * finished / total);
      std::lock_guard lock(print_mutex);
      if (percent / 5 != last_percent / 5 || finished == total) {
        last_percent = percent;
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::cerr << "seed: " << what << ' ' << finished << " of " << total << " (" << percent << "%), " << static_cast<int>(s)
                  << " s\n";
      }
    }
  };
  std::vector<std::future<void>> running;
  for (unsigned i = 0; i < kWorkers; ++i) running.push_back(asio::co_spawn(ioc, worker(), asio::use_future));
  // Every worker is waited for before an error is rethrown: they use this frame's variables.
  std::exception_ptr error;
  for (auto& f : running) {
    try {
      f.get();
    } catch (...) {
      if (!error) error = std::current_exception();
      next = total;  // the others stop after their current slice
    }
  }
  if (error) std::rethrow_exception(error);
}

asio::awaitable<void> vacuum_analyse(std::string url) {
  storage::pg::ConnectionOptions options;
  options.conninfo = std::move(url);
  options.prepared_statements = false;
  auto conn = co_await storage::pg::Connection::open(std::move(options));
  co_await conn->execute_script("VACUUM ANALYZE");
}

}  // namespace

std::string seed_usage() {
  return std::string(kUsage) +
         "\n"
         "Fills an EMPTY database (it refuses one that holds bags) with a generated data set, as live\n"
         "scanning would have left it, for demonstrations and benchmarks. Prints one password for every\n"
         "seeded user, and creates the admin user a first start would have created.\n"
         "\n"
         "options:\n"
         "  --parents N           parent bags, SB and M444- codes alternately (default 60000, even, at most 200000)\n"
         "  --children N          children in each parent (default 30)\n"
         "  --areas N             dispatch areas \"Depot 1\" ... (default 5)\n"
         "  --users-per-area N    dispatchers per area; each area also gets a biller (default 4)\n"
         "  --bills N             bills (default one for every 30 parents: 2000)\n"
         "  --parents-per-bill N  capacity of each bill (default 20)\n"
         "  --days N              the history ends now and reaches back this many days (default 30)\n"
         "  --db URL              sqlite:PATH or postgresql://... [TRACETRACK_DB], default sqlite:tracetrack.db\n";
}

seed::SeedOptions parse_seed_options(const std::vector<std::string>& args) {
  seed::SeedOptions o;
  const std::pair<const char*, int seed::SeedOptions::*> fields[] = {
      {"--parents", &seed::SeedOptions::parents},
      {"--children", &seed::SeedOptions::children},
      {"--areas", &seed::SeedOptions::areas},
      {"--users-per-area", &seed::SeedOptions::users_per_area},
      {"--bills", &seed::SeedOptions::bills},
      {"--parents-per-bill", &seed::SeedOptions::parents_per_bill},
      {"--days", &seed::SeedOptions::days},
  };
  bool bills_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i], value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      throw ConfigError(name + " needs a value\n" + kUsage);
    }
    bool known = false;
    for (const auto& [option, field] : fields) {
      if (name == option) {
        o.*field = parse_int(name, value);
        known = true;
        if (name == "--bills") bills_given = true;
      }
    }
    if (!known) throw ConfigError("unknown option " + name + " for seed\n" + kUsage);
  }
  // One bill for every 30 parents unless told otherwise (2,000 for the default 60,000), so that a
  // smaller data set needs no more than --parents.
  if (!bills_given) o.bills = o.parents / 30;
  if (auto err = seed::validate(o)) throw ConfigError(*err);
  return o;
}

int seed_command(const Config& config) {
  seed::SeedOptions o;
  try {
    o = parse_seed_options(config.args);
  } catch (const ConfigError& e) {
    std::cerr << "tracetrack: " << e.what() << '\n';
    return 2;
  }
  storage::DbOptions options;
  options.pool_size = kWorkers;
  options.threads = kWorkers;
  options.sqlite_sync_full = config.sqlite_sync_full;
  std::unique_ptr<storage::Database> db = storage::open_database(config.db_url, options);
  asio::io_context ioc(static_cast<int>(kWorkers));
  IoThreads threads(ioc, kWorkers);
  const auto started = std::chrono::steady_clock::now();

  run_blocking(ioc, storage::migrate(*db));
  auto counting = storage::job(seed::count_bags);
  if (const std::int64_t existing = run_blocking(ioc, db->read(std::move(counting))); existing > 0) {
    std::cerr << "tracetrack: seed fills an empty database only, and " << db->describe() << " holds " << existing
              << " bags already\n";
    return 1;
  }

  // The administrator a first start would have created (TRACETRACK_ADMIN_PASSWORD or generated),
  // so the seeded database can be managed like any other.
  accounts::PasswordHasher hasher(1);
  std::optional<std::string> supplied = process_env()("TRACETRACK_ADMIN_PASSWORD");
  const accounts::InitialAdmin admin = run_blocking(ioc, accounts::ensure_initial_admin(*db, hasher, std::move(supplied)));

  // One password for every generated account, chosen at random and shown once.
  const std::string password = accounts::generate_password();
  const std::string hash = hasher.hash_blocking(password);
  const std::int64_t end_us = util::now_us();
  const std::int64_t accounts_at = end_us - static_cast<std::int64_t>(o.days) * 86400 * 1000000 - 1000000;
  auto accounts_job = storage::job(seed::write_accounts, o, hash, accounts_at);
  const seed::SeedAccounts accounts = run_blocking(ioc, db->write(std::move(accounts_job)));

  storage::Database& database = *db;
  run_slices(ioc, "parents", o.parents, kParentsPerSlice, [&](int first, int end) {
    auto job = storage::job(seed::write_parents, o, accounts, first, end, end_us);
    return database.write(std::move(job), storage::write_alone());
  });
  run_slices(ioc, "bills", o.bills, kBillsPerSlice, [&](int first, int end) {
    auto job = storage::job(seed::write_bills, o, accounts, first, end, end_us);
    return database.write(std::move(job), storage::write_alone());
  });
  // Fresh planner statistics, so the first queries on the new data choose their indexes well.
  // PostgreSQL also gets its visibility map (VACUUM, which cannot run inside a transaction, so on
  // a connection of its own): counts then read indexes alone, and autovacuum has nothing left to
  // do to millions of new rows in the middle of the first hours of service.
  if (db->dialect() == storage::Dialect::postgres) {
    std::cerr << "seed: VACUUM ANALYZE\n";
    run_blocking(ioc, vacuum_analyse(config.db_url));
  } else {
    run_blocking(ioc, db->write(storage::job(storage::run_script, std::string("ANALYZE"))));
  }
  threads.stop();
  db->close();

  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const long long children = static_cast<long long>(o.parents) * o.children;
  std::cout << db->describe() << ": seeded " << o.parents << " parents, " << children << " children, " << o.bills
            << " bills, " << o.areas << " areas and " << o.areas * (o.users_per_area + 1) << " users in "
            << static_cast<int>(s) << " s\n";
  for (int a = 0; a < o.areas; ++a) {
    const auto [lo, hi] = seed::parent_numbers_of_area(o, a);
    std::cout << "  " << seed::area_name(a) << ": parents SB/M444- " << lo << "-" << hi << ", users "
              << seed::dispatcher_name(a, 0) << ".." << o.users_per_area << ", " << seed::biller_name(a) << '\n';
  }
  if (admin.generated_password) {
    std::cout << "Created the user \"admin\" with the one-time password: " << *admin.generated_password << '\n';
  } else if (admin.created) {
    std::cout << "Created the user \"admin\" with the password from TRACETRACK_ADMIN_PASSWORD\n";
  }
  std::cout << "Password of every seeded user (shown once): " << password << '\n';
  return 0;
}

}  // namespace tt::app
