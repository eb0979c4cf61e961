#include "util/log.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "util/time.hpp"

namespace tt::util {

namespace {

constexpr auto kFlushInterval = std::chrono::milliseconds(200);
// Past this size the buffer is written at once instead of waiting for the flusher.
constexpr std::size_t kFlushBytes = 64 * 1024;

std::atomic<LogFormat> g_format{LogFormat::text};
std::atomic<Level> g_minimum{Level::info};

std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "?";
}

// Access-log lines are collected in memory and written by one thread at most every 200 ms: one
// write(2) per interval instead of one per request keeps the log off the request path.
class AccessLog {
 public:
  ~AccessLog() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (flusher_.joinable()) flusher_.join();
    flush();
  }

  void append(std::string_view line) {
    bool write_now = false;
    {
      std::lock_guard lock(mutex_);
      if (!flusher_.joinable() && !stopping_) flusher_ = std::thread([this] { run(); });
      buffer_.append(line);
      write_now = buffer_.size() >= kFlushBytes;
    }
    if (write_now) flush();
  }

  void flush() {
    std::string out;
    {
      std::lock_guard lock(mutex_);
      out.swap(buffer_);
    }
    // Written under a second lock so lines of consecutive flushes keep their order.
    std::lock_guard lock(write_mutex_);
    if (!out.empty()) std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, kFlushInterval);
      lock.unlock();
      flush();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::mutex write_mutex_;
  std::condition_variable wake_;
  std::string buffer_;
  bool stopping_ = false;
  std::thread flusher_;
};

// A path is written as received but a space, control character or non-ASCII byte is escaped, so one
// request is always one line of four fields whatever a client sends.
void append_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    } else {
      out.push_back(ch);
    }
  }
}

AccessLog& access_log_instance() {
  static AccessLog instance;
  return instance;
}

std::mutex& stderr_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

void set_log_format(LogFormat format) noexcept { g_format = format; }
void set_log_level(Level minimum) noexcept { g_minimum = minimum; }

std::optional<Level> parse_log_level(std::string_view name) noexcept {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (name == level_name(l)) return l;
  }
  return std::nullopt;
}

std::optional<LogFormat> parse_log_format(std::string_view name) noexcept {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

void log(Level level, std::string_view message) {
  if (level < g_minimum.load(std::memory_order_relaxed)) return;
  std::string line;
  if (g_format.load(std::memory_order_relaxed) == LogFormat::json) {
    // dump() escapes control characters and replaces invalid UTF-8: one object per line, always.
    const nlohmann::ordered_json entry{{"time", format_iso8601(now_us())}, {"level", level_name(level)}, {"message", message}};
    line = entry.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  } else {
    line = format_iso8601(now_us());
    line.append(" ").append(level_name(level)).append(" ").append(message);
  }
  line.append("\n");
  std::lock_guard lock(stderr_mutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void announce(std::string_view message) {
  std::string line;
  if (g_format.load(std::memory_order_relaxed) == LogFormat::json) {
    const nlohmann::ordered_json entry{{"time", format_iso8601(now_us())}, {"level", "info"}, {"message", message}};
    line = entry.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  } else {
    line = std::string(message);
  }
  line.append("\n");
  access_log_instance().flush();  // earlier access lines first
  std::lock_guard lock(stderr_mutex());
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

void access_log(std::string_view method, std::string_view path, int status, long long micros) {
  if (g_format.load(std::memory_order_relaxed) == LogFormat::json) {
    const nlohmann::ordered_json entry{{"time", format_iso8601(now_us())},
                               {"method", method},
                               {"path", path},
                               {"status", status},
                               {"duration_us", micros}};
    access_log_instance().append(entry.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    return;
  }
  std::string line;
  line.reserve(method.size() + path.size() + 32);
  append_escaped(line, method);
  line.append(" ");
  append_escaped(line, path);
  line.append(" ").append(std::to_string(status)).append(" ")
      .append(std::to_string(micros)).append("\n");
  access_log_instance().append(line);
}

void flush_logs() {
  access_log_instance().flush();
  std::lock_guard lock(stderr_mutex());
  std::fflush(stderr);
}

}  // namespace tt::util
