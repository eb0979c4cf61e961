// `tracetrack serve`: opens and migrates the database, wires the application, listens, and runs
// until SIGINT or SIGTERM, then stops gracefully (SPEC §6).
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cctype>
#include <csignal>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "api/error_status.hpp"
#include "api/routes.hpp"
#include "app/commands.hpp"
#include "app/io_threads.hpp"
#include "accounts/db_authenticator.hpp"
#include "accounts/initial_admin.hpp"
#include "accounts/password_hasher.hpp"
#include "events/hub.hpp"
#include "events/pg_relay.hpp"
#include "http/dispatcher.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"
#include "services/sync_depot.hpp"
#include "storage/migrations.hpp"
#include "sync/http_post.hpp"
#include "sync/pusher.hpp"
#include "util/log.hpp"

namespace tt::app {

namespace {

storage::DbOptions db_options(const Config& config) {
  storage::DbOptions o;
  o.pool_size = config.pool_size;
  o.pg_writers = config.pg_writers;
  o.threads = config.effective_threads();
  o.sqlite_sync_full = config.sqlite_sync_full;
  o.capture_changes = !config.upstream.empty();
  return o;
}

// The first line of the sync token file, without trailing blanks. Throws ConfigError.
std::string read_sync_token(const std::string& file) {
  std::ifstream in(file);
  std::string token;
  if (!in || !std::getline(in, token)) {
    throw ConfigError("cannot read the sync token from " + file +
                      " (--sync-token-file): head office shows it once when the site is registered or its token renewed");
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) throw ConfigError(file + " holds no sync token");
  return token;
}

// The pusher's settings of a depot with an upstream (SPEC §8), checked before anything opens: the
// database must be SQLite (a depot's; its single writer gives the outbox its order), the URL
// https or loopback, and the token file readable and not empty. The token is read from a file,
// never from the command line, which `ps` shows to everyone.
std::optional<sync::PusherOptions> pusher_options(const Config& config) {
  if (config.upstream.empty()) return std::nullopt;
  if (config.db_url.starts_with("postgres")) {
    throw ConfigError("--upstream is for a depot, which runs on SQLite: head office's PostgreSQL receives pushes, it does not send them");
  }
  if (const std::string refusal = sync::upstream_refusal(config.upstream); !refusal.empty()) throw ConfigError(refusal);
  sync::PusherOptions o;
  o.upstream = config.upstream;
  o.site_uid = config.site_id;
  o.interval = config.sync_interval;
  o.read_token = [file = config.sync_token_file] { return read_sync_token(file); };
  o.token = o.read_token();
  return o;
}

asio::awaitable<void> enable_sync(storage::Database& db, std::string site_uid) {
  const services::SyncEnabled on = co_await db.write(storage::job(services::enable_sync, site_uid), storage::write_alone());
  if (on.first_time) {
    util::log_info("synchronisation enabled as site " + site_uid + ": " + std::to_string(on.snapshot_ops) +
                   " operations queued for what the database already held");
  }
}

http::ServerOptions server_options(const Config& config) {
  http::ServerOptions o;
  o.host = config.listen_host;
  o.port = config.listen_port;
  o.max_header_bytes = config.max_header_bytes;
  o.max_body_bytes = config.max_body_bytes;
  o.large_bodies.push_back({"POST", "/api/v1/import/links", std::max(config.max_import_bytes, config.max_body_bytes)});
  o.read_timeout = config.read_timeout;
  o.access_log = config.access_log;
  o.trusted_proxies = config.trusted_proxies;
  return o;
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string versions_text(const std::vector<int>& versions) {
  std::string out;
  for (const int v : versions) out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

void report_migrations(const storage::MigrationReport& report) {
  if (report.applied.empty()) {
    util::log_info("database schema at version " + std::to_string(report.to_version));
  } else {
    util::log_info("database schema migrated from version " + std::to_string(report.from_version) + " to " +
                   std::to_string(report.to_version) + " (applied " + versions_text(report.applied) + ")");
  }
}

asio::awaitable<void> start_up(storage::Database& db, accounts::PasswordHasher& hasher) {
  report_migrations(co_await storage::migrate(db));
  std::optional<std::string> supplied;
  if (auto v = process_env()("TRACETRACK_ADMIN_PASSWORD")) supplied = std::move(*v);
  const accounts::InitialAdmin admin = co_await accounts::ensure_initial_admin(db, hasher, std::move(supplied));
  if (admin.created && admin.generated_password) {
    util::announce("Created the user \"admin\" with the one-time password: " + *admin.generated_password +
                   "\nSign in and change it; it is not shown again.");
  } else if (admin.created) {
    util::log_info("created the user \"admin\" with the password from TRACETRACK_ADMIN_PASSWORD");
  }
}

// Waits for SIGINT or SIGTERM, then stops the server gracefully and reports through `stopped`.
asio::awaitable<void> stop_on_signal(asio::signal_set& signals, http::Server& server, events::Hub& hub,
                                     std::chrono::seconds grace, std::promise<void>& stopped) {
  auto [ec, signal] = co_await signals.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!ec) util::log_info("signal " + std::to_string(signal) + " received: finishing requests in progress");
  // Event streams wait on the hub: closing it ends them, so their connections can close too.
  hub.close();
  const bool clean = co_await server.shutdown(std::chrono::duration_cast<std::chrono::milliseconds>(grace));
  if (!clean) util::log_warn("shutdown grace period over: remaining connections were closed");
  stopped.set_value();
}

}  // namespace

int serve_command(const Config& config) {
  // Checked when parsed: both names are known.
  util::set_log_format(util::parse_log_format(config.log_format).value_or(util::LogFormat::text));
  util::set_log_level(util::parse_log_level(config.log_level).value_or(util::Level::info));
  const std::optional<sync::PusherOptions> pushing = pusher_options(config);
  // Opened before the io threads start: a bad --db fails at once with its message.
  std::unique_ptr<storage::Database> db = storage::open_database(config.db_url, db_options(config));
  util::log_info("database " + db->describe());

  asio::io_context ioc(static_cast<int>(config.effective_threads()));
  IoThreads threads(ioc, config.effective_threads());
  accounts::PasswordHasher hasher;
  run_blocking(ioc, start_up(*db, hasher));
  std::unique_ptr<sync::Pusher> pusher;
  if (pushing) {
    run_blocking(ioc, enable_sync(*db, pushing->site_uid));
    pusher = std::make_unique<sync::Pusher>(*db, ioc, *pushing);
  }

  events::Hub hub;
  // Instances sharing a PostgreSQL database pass their live events to each other.
  std::unique_ptr<events::PgRelay> relay;
  if (auto* pg = dynamic_cast<storage::pg::PgDatabase*>(db.get())) {
    relay = std::make_unique<events::PgRelay>(*pg, hub);
    relay->start(ioc);
  }
  // What the endpoints reach, bound to them here; it outlives the server. Its credential cache
  // serves the authenticator too.
  api::Deps deps(*db, hub, hasher, config.auth_cache_ttl, config.cookie_secure);
  accounts::DbAuthenticator authenticator(*db, deps.credentials);
  if (pusher) {
    deps.pusher = pusher.get();
    deps.upstream = pushing->upstream;
  }

  http::Router router;
  api::register_all_routes(router, deps);
  const http::Dispatcher dispatcher(router, &authenticator, api::http_status);
  http::Server server(ioc, dispatcher, server_options(config));

  // Signals are caught before the address is announced, so a supervisor (or a test) that sends
  // SIGTERM right after reading the line always gets a graceful stop.
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  std::promise<void> stopped;
  asio::co_spawn(ioc, stop_on_signal(signals, server, hub, config.shutdown_grace, stopped), asio::detached);

  std::uint16_t port = 0;
  try {
    port = server.listen();
  } catch (...) {
    // The signal coroutine refers to the server: the threads stop before anything is destroyed.
    threads.stop();
    throw;
  }
  server.start();
  util::announce("TraceTrack listening on http://" + url_host(config.listen_host) + ":" + std::to_string(port));
  if (pusher) {
    pusher->start();
    util::log_info("pushing to head office at " + pushing->upstream + " as site " + pushing->site_uid);
  }

  stopped.get_future().wait();
  if (pusher) pusher->stop();
  threads.stop();
  db->close();
  util::log_info("stopped");
  util::flush_logs();
  return 0;
}

}  // namespace tt::app
