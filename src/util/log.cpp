#include "util/log.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "util/time.hpp"

namespace tt::util {

namespace {

constexpr auto kFlushInterval = std::chrono::milliseconds(200);
// Past this size the buffer is written at once instead of waiting for the flusher.
constexpr std::size_t kFlushBytes = 64 * 1024;

std::string_view level_name(Level level) {
  switch (level) {
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

void log(Level level, std::string_view message) {
  std::string line = format_iso8601(now_us());
  line.append(" ").append(level_name(level)).append(" ").append(message).append("\n");
  std::lock_guard lock(stderr_mutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void access_log(std::string_view method, std::string_view path, int status, long long micros) {
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
