#include "support/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/pg_admin.hpp"

namespace tt::test {

namespace fs = std::filesystem;

namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string random_suffix() {
  std::mt19937_64 rng(std::random_device{}());
  return std::to_string(rng() % 1000000000000ULL);
}


// postgresql://user@host:port/olddb?x=y with the database name replaced.
std::string pg_url_with_database(const std::string& url, const std::string& name) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) throw std::runtime_error("TRACETRACK_TEST_PG_URL is not a postgresql:// URL");
  const auto path = url.find('/', scheme + 3);
  const auto query = url.find('?', scheme + 3);
  const std::string authority = url.substr(0, std::min(path, query));
  const std::string rest = query == std::string::npos ? "" : url.substr(query);
  return authority + "/" + name + rest;
}

std::atomic<int> sanitizer_report_count{0};

// A server or command built with the sanitizers reports a fault on its output and, with
// halt_on_error, stops there; the report is printed here, where the test log keeps it, and
// counted so that the run fails even when no request noticed.
void check_sanitizer_output(const std::string& what, const std::string& output) {
  static constexpr std::string_view kMarkers[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", ": runtime error: "};
  for (std::string_view m : kMarkers) {
    if (output.find(m) == std::string::npos) continue;
    ++sanitizer_report_count;
    std::cerr << "=== sanitizer report from " << what << " ===\n" << output << "\n=== end of report ===\n";
    return;
  }
}

}  // namespace

int sanitizer_reports() { return sanitizer_report_count.load(); }

std::string binary_path() {
  const std::string path = env_or_empty("TT_BINARY");
  if (path.empty()) throw std::runtime_error("TT_BINARY must name the tracetrack binary under test");
  return path;
}

CommandResult run_tracetrack(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  std::vector<std::string> all = {binary_path()};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string out_path = (fs::temp_directory_path() / "tt-command-XXXXXX").string();
  const int fd = mkstemp(out_path.data());
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for the command output");
  unlink(out_path.c_str());

  const pid_t pid = fork();
  if (pid < 0) {
    close(fd);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      close(fd);
      throw std::runtime_error("tracetrack " + (args.empty() ? std::string() : args.front()) + " did not finish in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  char buf[8192];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = pread(fd, buf, sizeof buf, offset);
    if (n <= 0) break;
    result.output.append(buf, static_cast<std::size_t>(n));
    offset += n;
  }
  close(fd);
  check_sanitizer_output("tracetrack " + (args.empty() ? std::string() : args.front()), result.output);
  return result;
}

ScratchDatabase::ScratchDatabase(std::string backend) {
  if (backend.empty()) backend = env_or_empty("TT_BACKEND").empty() ? "sqlite" : env_or_empty("TT_BACKEND");
  if (backend == "sqlite") {
    dir_ = (fs::temp_directory_path() / ("tt-test-" + random_suffix())).string();
    fs::create_directories(dir_);
    url_ = "sqlite:" + dir_ + "/tracetrack.db";
  } else if (backend == "postgres") {
    pg_admin_ = env_or_empty("TRACETRACK_TEST_PG_URL");
    if (pg_admin_.empty()) {
      throw std::runtime_error(
          "TT_BACKEND=postgres needs TRACETRACK_TEST_PG_URL (a server where the tests may create databases), "
          "e.g. from scripts/pg-throwaway start");
    }
    pg_name_ = "tt_it_" + random_suffix();
    pg_admin_exec(pg_admin_, "CREATE DATABASE " + pg_name_);
    url_ = pg_url_with_database(pg_admin_, pg_name_);
  } else {
    throw std::runtime_error("TT_BACKEND must be sqlite or postgres, not \"" + backend + "\"");
  }
}

ScratchDatabase::~ScratchDatabase() {
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  if (!pg_name_.empty()) {
    try {
      pg_admin_exec(pg_admin_, "DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      std::cerr << "test database " << pg_name_ << " left behind: " << e.what() << '\n';
    }
  }
}

ServerProcess::ServerProcess(std::string db_url, Options options) {
  const std::string binary = binary_path();
  // stdout goes to a file, not a pipe: a pipe nobody drains would stall the server's access log.
  std::string log_path = (fs::temp_directory_path() / "tt-server-XXXXXX").string();
  stdout_fd_ = mkstemp(log_path.data());
  if (stdout_fd_ < 0) throw std::runtime_error("cannot create a temporary file for the server output");
  unlink(log_path.c_str());  // the open descriptors keep it readable

  std::vector<std::string> args = {binary, "serve", "--db", db_url, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), options.args.begin(), options.args.end());
  // The test's own variables win over the defaults (e.g. an empty TRACETRACK_ADMIN_PASSWORD).
  std::vector<std::pair<std::string, std::string>> env = options.env;
  bool admin_password_set = false;
  for (const auto& [n, v] : env) admin_password_set = admin_password_set || n == "TRACETRACK_ADMIN_PASSWORD";
  if (!admin_password_set) env.emplace_back("TRACETRACK_ADMIN_PASSWORD", kTestAdminPassword);

  // Everything the child needs is built before fork(): between fork and exec only
  // async-signal-safe calls are allowed.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& [n, v] : env) overridden = overridden || n == name;
    if (!overridden) env_strings.emplace_back(entry);
  }
  for (const auto& [n, v] : env) env_strings.push_back(n + "=" + v);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  static constexpr char kExecFailed[] = "tracetrack serve: exec of TT_BINARY failed\n";

  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // The server must not outlive a test program that crashed.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    // Diagnostics (stderr) land in the same file, so tests can check every line the server wrote.
    dup2(stdout_fd_, STDOUT_FILENO);
    dup2(stdout_fd_, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    (void)!write(STDERR_FILENO, kExecFailed, sizeof kExecFailed - 1);
    _exit(127);
  }

  const auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
  const std::string marker = "listening on http://";
  while (std::chrono::steady_clock::now() < deadline) {
    read_available(std::chrono::milliseconds(20));
    const auto at = output_.find(marker);
    const auto eol = at == std::string::npos ? std::string::npos : output_.find('\n', at);
    if (eol != std::string::npos) {
      const std::string address = output_.substr(at + marker.size(), eol - at - marker.size());
      port_ = static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
      return;
    }
    if (wait_exit(std::chrono::seconds(0))) {
      throw std::runtime_error("tracetrack serve exited with code " + std::to_string(*exit_code_) +
                               " before listening; its output:\n" + output_);
    }
  }
  kill(pid_, SIGKILL);
  throw std::runtime_error("tracetrack serve did not report listening in time; its output:\n" + output_);
}

ServerProcess::~ServerProcess() {
  if (stdout_fd_ >= 0) check_sanitizer_output("tracetrack serve", output());
  if (pid_ > 0 && !exit_code_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

void ServerProcess::read_available(std::chrono::milliseconds wait) {
  std::this_thread::sleep_for(wait);
  char buf[8192];
  for (;;) {
    const ssize_t n = pread(stdout_fd_, buf, sizeof buf, static_cast<off_t>(output_.size()));
    if (n <= 0) break;
    output_.append(buf, static_cast<std::size_t>(n));
  }
}

std::string ServerProcess::output() {
  read_available(std::chrono::milliseconds(0));
  return output_;
}

void ServerProcess::signal(int sig) const {
  if (pid_ > 0 && !exit_code_) kill(pid_, sig);
}

std::optional<int> ServerProcess::wait_exit(std::chrono::seconds timeout) {
  if (exit_code_) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int ServerProcess::stop(std::chrono::seconds timeout) {
  signal(SIGTERM);
  if (auto code = wait_exit(timeout)) return *code;
  kill(pid_, SIGKILL);
  wait_exit(std::chrono::seconds(10));
  throw std::runtime_error("tracetrack serve did not stop within " + std::to_string(timeout.count()) +
                           " s of SIGTERM");
}

}  // namespace tt::test
