// Thread-safe logging to stderr (diagnostics) and stdout (access log), as text lines for a person
// or as one JSON object per line for a log collector (--log-format json):
//   text   2026-11-30T04:19:15.123456Z info listening on http://127.0.0.1:8080
//          GET /api/v1/bags 200 1234                        (access: method path status microseconds)
//   json   {"time":"2026-11-30T04:19:15.123456Z","level":"info","message":"listening on ..."}
//          {"time":"...","method":"GET","path":"/api/v1/bags","status":200,"duration_us":1234}
#pragma once

#include <optional>
#include <string_view>

namespace tt::util {

enum class Level { debug, info, warn, error };
enum class LogFormat { text, json };

// Process-wide; set once at start-up (tracetrack serve), before other threads log.
void set_log_format(LogFormat format) noexcept;
void set_log_level(Level minimum) noexcept;  // diagnostics below it are dropped (default info)
std::optional<Level> parse_log_level(std::string_view name) noexcept;      // debug|info|warn|error
std::optional<LogFormat> parse_log_format(std::string_view name) noexcept;  // text|json

void log(Level level, std::string_view message);
inline void log_debug(std::string_view m) { log(Level::debug, m); }
inline void log_info(std::string_view m) { log(Level::info, m); }
inline void log_warn(std::string_view m) { log(Level::warn, m); }
inline void log_error(std::string_view m) { log(Level::error, m); }

// A line for whoever started the server, on stdout (the address it listens on, a first-start
// password): plain text, or a JSON object with level "info" in the json format.
void announce(std::string_view message);

// One access-log line: method path status microseconds. Buffered, flushed at least every 200 ms.
void access_log(std::string_view method, std::string_view path, int status, long long micros);
void flush_logs();

}  // namespace tt::util
