// Minimal thread-safe logging to stderr (diagnostics) and stdout (access log).
#pragma once

#include <string_view>

namespace tt::util {

enum class Level { info, warn, error };

void log(Level level, std::string_view message);
inline void log_info(std::string_view m) { log(Level::info, m); }
inline void log_warn(std::string_view m) { log(Level::warn, m); }
inline void log_error(std::string_view m) { log(Level::error, m); }

// One access-log line: method path status microseconds. Buffered, flushed at least every 200 ms.
void access_log(std::string_view method, std::string_view path, int status, long long micros);
void flush_logs();

}  // namespace tt::util
