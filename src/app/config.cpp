#include "app/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <set>
#include <string_view>
#include <thread>

#include "app/commands.hpp"
#include "http/client_address.hpp"
#include "util/log.hpp"

namespace tt::app {

namespace {

// Commands whose whole command line Config describes: anything else on their line is a mistake.
// Other commands (user, seed, backup, ...) receive their own options and words in Config::args.
bool takes_no_arguments(std::string_view command) {
  return command == "serve" || command == "migrate" || command == "version";
}

std::uint64_t parse_unsigned(std::string_view what, std::string_view text, std::uint64_t max) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > max) {
    throw ConfigError(std::string(what) + " must be a whole number from 0 to " + std::to_string(max) + ", not \"" +
                      std::string(text) + "\"");
  }
  return value;
}

unsigned parse_count(std::string_view what, std::string_view text) {
  return static_cast<unsigned>(parse_unsigned(what, text, 1024));
}

// 1048576, 1024k or 1m (binary multiples).
std::size_t parse_bytes(std::string_view what, std::string_view text) {
  std::uint64_t multiplier = 1;
  std::string_view digits = text;
  if (!digits.empty()) {
    const char last = digits.back();
    if (last == 'k' || last == 'K') multiplier = 1024;
    if (last == 'm' || last == 'M') multiplier = 1024 * 1024;
    if (multiplier != 1) digits.remove_suffix(1);
  }
  constexpr std::uint64_t kMax = 1024ULL * 1024 * 1024;  // 1 GiB: a request body is never larger
  std::uint64_t value = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (digits.empty() || ec != std::errc() || ptr != end || value == 0 || value > kMax / multiplier) {
    throw ConfigError(std::string(what) + " must be a size in bytes from 1 to 1 GiB (e.g. 1048576, 512k, 4m), not \"" +
                      std::string(text) + "\"");
  }
  return static_cast<std::size_t>(value * multiplier);
}

std::chrono::seconds parse_seconds(std::string_view what, std::string_view text) {
  const std::uint64_t v = parse_unsigned(what, text, 86400);
  if (v == 0) throw ConfigError(std::string(what) + " must be at least 1 second");
  return std::chrono::seconds(static_cast<long>(v));
}

bool parse_flag(std::string_view what, std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "1" || lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "0" || lower == "false" || lower == "no" || lower == "off") return false;
  throw ConfigError(std::string(what) + " must be 1 or 0 (true or false), not \"" + std::string(text) + "\"");
}

bool parse_sync(std::string_view what, std::string_view text) {
  if (text == "full") return true;
  if (text == "normal") return false;
  throw ConfigError(std::string(what) + " must be \"full\" or \"normal\", not \"" + std::string(text) + "\"");
}

// HOST:PORT, or [IPv6]:PORT. Port 0 asks the system for a free port.
void parse_listen(std::string_view what, std::string_view text, Config& c) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      throw ConfigError(std::string(what) + " must be HOST:PORT or [IPv6]:PORT, not \"" + std::string(text) + "\"");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) {
      throw ConfigError(std::string(what) + " must be HOST:PORT (e.g. 127.0.0.1:8080), not \"" + std::string(text) +
                        "\"");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) {
    throw ConfigError(std::string(what) + " needs a host (0.0.0.0 for every interface), not \"" + std::string(text) +
                      "\"");
  }
  c.listen_host = std::string(host);
  c.listen_port = static_cast<std::uint16_t>(parse_unsigned(std::string(what) + " port", port, 65535));
}

struct Setting {
  std::string_view option;  // --db
  std::string_view env;     // TRACETRACK_DB
  void (*apply)(std::string_view what, std::string_view value, Config& c);
};

// Every setting that takes a value, once, with its command-line option and environment variable.
constexpr Setting kSettings[] = {
    {"--db", "TRACETRACK_DB",
     [](std::string_view what, std::string_view v, Config& c) {
       if (v.empty()) throw ConfigError(std::string(what) + " must not be empty");
       c.db_url = std::string(v);
     }},
    {"--listen", "TRACETRACK_LISTEN", parse_listen},
    {"--threads", "TRACETRACK_THREADS",
     [](std::string_view what, std::string_view v, Config& c) { c.threads = parse_count(what, v); }},
    {"--pool-size", "TRACETRACK_POOL_SIZE",
     [](std::string_view what, std::string_view v, Config& c) { c.pool_size = parse_count(what, v); }},
    {"--pg-writers", "TRACETRACK_PG_WRITERS",
     [](std::string_view what, std::string_view v, Config& c) { c.pg_writers = parse_count(what, v); }},
    {"--sqlite-sync", "TRACETRACK_SQLITE_SYNC",
     [](std::string_view what, std::string_view v, Config& c) { c.sqlite_sync_full = parse_sync(what, v); }},
    {"--max-body", "TRACETRACK_MAX_BODY",
     [](std::string_view what, std::string_view v, Config& c) { c.max_body_bytes = parse_bytes(what, v); }},
    {"--max-import", "TRACETRACK_MAX_IMPORT",
     [](std::string_view what, std::string_view v, Config& c) { c.max_import_bytes = parse_bytes(what, v); }},
    {"--read-timeout", "TRACETRACK_READ_TIMEOUT",
     [](std::string_view what, std::string_view v, Config& c) { c.read_timeout = parse_seconds(what, v); }},
    {"--log-format", "TRACETRACK_LOG_FORMAT",
     [](std::string_view what, std::string_view v, Config& c) {
       if (!util::parse_log_format(v)) throw ConfigError(std::string(what) + " must be text or json");
       c.log_format = std::string(v);
     }},
    {"--log-level", "TRACETRACK_LOG_LEVEL",
     [](std::string_view what, std::string_view v, Config& c) {
       if (!util::parse_log_level(v)) throw ConfigError(std::string(what) + " must be debug, info, warn or error");
       c.log_level = std::string(v);
     }},
    {"--trusted-proxy", "TRACETRACK_TRUSTED_PROXY",
     [](std::string_view what, std::string_view v, Config& c) {
       c.trusted_proxies.clear();
       std::size_t start = 0;
       while (start <= v.size()) {
         const auto comma = v.find(',', start);
         std::string_view item = v.substr(start, comma == std::string_view::npos ? v.npos : comma - start);
         while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
         while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
         const auto address = http::canonical_ip(item);
         if (!address) throw ConfigError(std::string(what) + ": \"" + std::string(item) + "\" is not an IP address");
         c.trusted_proxies.push_back(*address);
         if (comma == std::string_view::npos) break;
         start = comma + 1;
       }
     }},
    {"--upstream", "TRACETRACK_UPSTREAM",
     [](std::string_view what, std::string_view v, Config& c) {
       if (!v.starts_with("https://") && !v.starts_with("http://")) {
         throw ConfigError(std::string(what) + " is head office's address, https://HOST[:PORT]");
       }
       c.upstream = std::string(v);
     }},
    {"--site-id", "TRACETRACK_SITE_ID",
     [](std::string_view what, std::string_view v, Config& c) {
       if (v.size() != 36) throw ConfigError(std::string(what) + " is the site's id as head office shows it (36 characters)");
       c.site_id = std::string(v);
     }},
    {"--sync-token-file", "TRACETRACK_SYNC_TOKEN_FILE",
     [](std::string_view what, std::string_view v, Config& c) {
       if (v.empty()) throw ConfigError(std::string(what) + " must not be empty");
       c.sync_token_file = std::string(v);
     }},
    {"--sync-interval", "TRACETRACK_SYNC_INTERVAL",
     [](std::string_view what, std::string_view v, Config& c) {
       unsigned seconds = 0;
       const char* end = v.data() + v.size();
       auto [ptr, ec] = std::from_chars(v.data(), end, seconds);
       if (v.empty() || ec != std::errc() || ptr != end || seconds < 1 || seconds > 3600) {
         throw ConfigError(std::string(what) + " must be a whole number of seconds, 1 to 3600");
       }
       c.sync_interval = std::chrono::seconds(seconds);
     }},
    {"", "TRACETRACK_CLOCK_OFFSET_SECONDS",
     [](std::string_view what, std::string_view v, Config& c) {
       long long seconds = 0;
       const char* end = v.data() + v.size();
       auto [ptr, ec] = std::from_chars(v.data(), end, seconds);
       if (v.empty() || ec != std::errc() || ptr != end || seconds < -315360000 || seconds > 315360000) {
         throw ConfigError(std::string(what) + " must be a whole number of seconds (within ten years)");
       }
       c.clock_offset_seconds = seconds;
     }},
    {"", "TRACETRACK_ACCESS_LOG",
     [](std::string_view what, std::string_view v, Config& c) { c.access_log = parse_flag(what, v); }},
    {"", "TRACETRACK_COOKIE_SECURE",
     [](std::string_view what, std::string_view v, Config& c) { c.cookie_secure = parse_flag(what, v); }},
    // Longer than 2 s would let a revoked credential work too long: larger values are cut to 2000.
    {"", "TRACETRACK_AUTH_CACHE_MS",
     [](std::string_view what, std::string_view v, Config& c) {
       std::uint64_t ms = 0;
       const char* end = v.data() + v.size();
       auto [ptr, ec] = std::from_chars(v.data(), end, ms);
       if (v.empty() || ec != std::errc() || ptr != end) {
         throw ConfigError(std::string(what) + " must be a whole number of milliseconds (0 to 2000)");
       }
       c.auth_cache_ttl = std::chrono::milliseconds(std::min<std::uint64_t>(ms, 2000));
     }},
};

const Setting* find_option(std::string_view name) {
  for (const auto& s : kSettings) {
    if (!s.option.empty() && s.option == name) return &s;
  }
  return nullptr;
}

}  // namespace

unsigned Config::effective_threads() const {
  if (threads != 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

Config parse_config(const std::vector<std::string>& argv, const EnvLookup& env) {
  Config c;
  for (const auto& s : kSettings) {
    if (auto value = env(std::string(s.env))) s.apply(s.env, *value, c);
  }

  bool have_command = false;
  std::vector<std::string> extra;  // words and options that Config does not know, in order
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      extra.insert(extra.end(), argv.begin() + static_cast<std::ptrdiff_t>(i) + 1, argv.end());
      break;
    }
    if (arg == "-h" || arg == "--help") {
      c.help = true;  // the command's own usage (run_command), whatever else is on the line
      continue;
    }
    if (arg == "--version") {
      c.command = "version";
      have_command = true;
      continue;
    }
    if (arg == "--no-access-log") {
      c.access_log = false;
      continue;
    }
    if (arg == "--cookie-secure") {
      c.cookie_secure = true;
      continue;
    }
    if (arg.starts_with("--")) {
      const auto eq = arg.find('=');
      const std::string_view name = arg.substr(0, eq);
      if (const Setting* s = find_option(name)) {
        std::string_view value;
        if (eq != std::string_view::npos) {
          value = arg.substr(eq + 1);
        } else if (i + 1 < argv.size()) {
          value = argv[++i];
        } else {
          throw ConfigError(std::string(name) + " needs a value");
        }
        s->apply(name, value, c);
        continue;
      }
      extra.emplace_back(arg);
      continue;
    }
    if (!have_command && !arg.starts_with('-')) {
      c.command = std::string(arg);
      have_command = true;
      continue;
    }
    extra.emplace_back(arg);
  }

  if (c.help && !have_command) c.command = "help";
  const int sync_options = !c.upstream.empty() + !c.site_id.empty() + !c.sync_token_file.empty();
  if (sync_options != 0 && sync_options != 3) {
    throw ConfigError("a depot that pushes to head office needs --upstream, --site-id and --sync-token-file together");
  }
  if (!c.help && takes_no_arguments(c.command) && !extra.empty()) {
    const std::string& first = extra.front();
    if (first.starts_with('-')) throw ConfigError("unknown option " + first);
    throw ConfigError("unexpected argument \"" + first + "\" for " + c.command);
  }
  c.args = std::move(extra);
  return c;
}

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    return std::nullopt;
  };
}

std::string usage_text() {
  std::string text = "usage: tracetrack [COMMAND] [OPTIONS]\n\ncommands:\n";
  for (const Command& cmd : commands()) {
    std::string name(cmd.name);
    name.resize(std::max<std::size_t>(name.size() + 2, 17), ' ');
    text.append("  ").append(name).append(cmd.summary).append("\n");
  }
  text +=
      "\n"
      "Every command that opens a database takes --db URL (sqlite:PATH or postgresql://user:pass@host:port/db,\n"
      "environment TRACETRACK_DB, default sqlite:tracetrack.db).\n"
      "tracetrack COMMAND --help (or tracetrack help COMMAND) prints the options of COMMAND.\n";
  return text;
}

std::string serve_usage_text() {
  return "usage: tracetrack [serve] [OPTIONS]\n"
         "Runs the server: applies schema migrations, creates the admin user on an empty database, and\n"
         "serves the API and the web interface.\n"
         "\n"
         "options (environment variable in brackets):\n"
         "  --db URL               sqlite:PATH or postgresql://user:pass@host:port/db [TRACETRACK_DB]\n"
         "                         default sqlite:tracetrack.db\n"
         "  --listen HOST:PORT     address to listen on, port 0 picks a free one [TRACETRACK_LISTEN]\n"
         "                         default 127.0.0.1:8080\n"
         "  --threads N            request threads, 0 = one per core [TRACETRACK_THREADS]\n"
         "  --pool-size N          database connections, 0 = derived from threads [TRACETRACK_POOL_SIZE]\n"
         "  --pg-writers N         PostgreSQL: connections that commit writes in groups, 0 = 1\n"
         "                         [TRACETRACK_PG_WRITERS]\n"
         "  --sqlite-sync MODE     full (an acknowledged write survives power loss) or normal\n"
         "                         [TRACETRACK_SQLITE_SYNC], default full\n"
         "  --max-body BYTES       largest request body, e.g. 1048576, 512k, 4m [TRACETRACK_MAX_BODY]\n"
         "  --max-import BYTES     largest CSV file an admin may import, default 32m [TRACETRACK_MAX_IMPORT]\n"
         "  --read-timeout SECONDS time a client has to send a request [TRACETRACK_READ_TIMEOUT], default 30\n"
         "  --no-access-log        no line per request on stdout [TRACETRACK_ACCESS_LOG=0]\n"
         "  --trusted-proxy ADDRS  reverse proxies (comma-separated IP addresses) whose X-Forwarded-For names\n"
         "                         the client, for the audit log and sign-in limits [TRACETRACK_TRUSTED_PROXY]\n"
         "  --log-format FORMAT    text (default) or json: one JSON object per line [TRACETRACK_LOG_FORMAT]\n"
         "  --log-level LEVEL      debug, info (default), warn or error [TRACETRACK_LOG_LEVEL]\n"
         "  --cookie-secure        mark session cookies Secure, behind TLS [TRACETRACK_COOKIE_SECURE=1]\n"
         "\n"
         "a depot that pushes everything it records to head office (SQLite only; all three together):\n"
         "  --upstream URL         head office, https:// (http:// on a loopback address) [TRACETRACK_UPSTREAM]\n"
         "  --site-id UID          this depot's id, from head office's Sites page [TRACETRACK_SITE_ID]\n"
         "  --sync-token-file FILE the file holding the site's sync token [TRACETRACK_SYNC_TOKEN_FILE]\n"
         "  --sync-interval SECONDS how often it asks head office for what changed there, and pushes even\n"
         "                         when nothing waits, 1-3600 (default 30) [TRACETRACK_SYNC_INTERVAL]\n"
         "\n"
         "environment only:\n"
         "  TRACETRACK_ADMIN_PASSWORD  password of the admin created on an empty database (default: generated,\n"
         "                             printed once)\n"
         "  TRACETRACK_AUTH_CACHE_MS   how long a looked-up session or token is trusted, 0-2000 (default 1000)\n"
         "  TRACETRACK_CLOCK_OFFSET_SECONDS  moves this server's clock, to try what a depot with a wrong clock\n"
         "                             does (default 0; never in production)\n";
}

}  // namespace tt::app
