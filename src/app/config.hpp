// Command line and environment of the tracetrack binary (SPEC §6).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tt::app {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Config {
  std::string command = "serve";       // serve | migrate | version | user | seed | backup | help ...
  std::vector<std::string> args;       // what follows the subcommand and is not an option
  bool help = false;                   // -h or --help: print the command's usage instead of running it
  std::string db_url = "sqlite:tracetrack.db";   // --db, TRACETRACK_DB
  std::string listen_host = "127.0.0.1";         // --listen HOST:PORT, TRACETRACK_LISTEN
  std::uint16_t listen_port = 8080;
  unsigned threads = 0;                // --threads, TRACETRACK_THREADS; 0 = number of cores
  unsigned pool_size = 0;              // --pool-size, TRACETRACK_POOL_SIZE; 0 = derived
  unsigned pg_writers = 0;             // --pg-writers, TRACETRACK_PG_WRITERS; 0 = 1
  bool access_log = true;              // --no-access-log, TRACETRACK_ACCESS_LOG=0
  std::string log_format = "text";     // --log-format text|json, TRACETRACK_LOG_FORMAT
  std::string log_level = "info";      // --log-level debug|info|warn|error, TRACETRACK_LOG_LEVEL
  bool sqlite_sync_full = true;        // --sqlite-sync normal|full, TRACETRACK_SQLITE_SYNC
  bool cookie_secure = false;          // --cookie-secure, TRACETRACK_COOKIE_SECURE=1 (behind TLS)
  // --trusted-proxy ADDR[,ADDR...], TRACETRACK_TRUSTED_PROXY: whose X-Forwarded-For names the client
  std::vector<std::string> trusted_proxies;
  std::size_t max_body_bytes = 1 << 20;        // --max-body, TRACETRACK_MAX_BODY
  std::size_t max_import_bytes = 32 << 20;     // --max-import, TRACETRACK_MAX_IMPORT (POST /import/links)
  std::size_t max_header_bytes = 16 << 10;
  std::chrono::seconds read_timeout{30};       // --read-timeout, TRACETRACK_READ_TIMEOUT
  std::chrono::seconds shutdown_grace{10};
  // How long a server trusts a session or token it has looked up (TRACETRACK_AUTH_CACHE_MS, 0-2000).
  std::chrono::milliseconds auth_cache_ttl{1000};
  // A depot that pushes to head office (SPEC §8): --upstream URL, --site-id UID and
  // --sync-token-file FILE (TRACETRACK_UPSTREAM, TRACETRACK_SITE_ID, TRACETRACK_SYNC_TOKEN_FILE),
  // all three or none.
  std::string upstream;
  std::string site_id;
  std::string sync_token_file;
  // How often a depot pulls what head office changed, and pushes even with nothing waiting
  // (--sync-interval, TRACETRACK_SYNC_INTERVAL, 1-3600 s).
  std::chrono::seconds sync_interval{30};
  // TRACETRACK_CLOCK_OFFSET_SECONDS: this server's clock moved by so much (util::now_us).
  long long clock_offset_seconds = 0;

  unsigned effective_threads() const;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Parses argv (argv[0] excluded) over defaults taken from the environment; command-line options
// win over environment variables. Throws ConfigError with a message for a person.
Config parse_config(const std::vector<std::string>& argv, const EnvLookup& env);

EnvLookup process_env();
// The list of commands (tracetrack help), and the options of `serve` (tracetrack serve --help).
std::string usage_text();
std::string serve_usage_text();

}  // namespace tt::app
