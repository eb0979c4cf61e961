// The real `tracetrack serve` binary (path in TT_BINARY) as a child process on a free loopback
// port, for end-to-end tests. The destructor always kills the child, so a failing test never
// leaves a server behind.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/http_client.hpp"

namespace tt::test {

// A database of the backend under test (TT_BACKEND) that only this fixture uses: a SQLite file in
// a fresh temporary folder, or a freshly created database on the server of TRACETRACK_TEST_PG_URL.
// Removed when destroyed. Throws when the backend cannot be reached (for PostgreSQL, when
// TRACETRACK_TEST_PG_URL is not set).
class ScratchDatabase {
 public:
  // `backend`: "sqlite" or "postgres"; empty: the backend under test. (A depot of the
  // synchronisation tests runs on SQLite whatever head office runs on.)
  explicit ScratchDatabase(std::string backend = {});
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }  // for --db

 private:
  std::string url_;
  std::string dir_;       // SQLite: the temporary folder
  std::string pg_admin_;  // PostgreSQL: the server URL, to drop the database
  std::string pg_name_;
};

// The password of the `admin` account a ServerProcess creates on its empty database (passed as
// TRACETRACK_ADMIN_PASSWORD unless Options::env sets it).
inline constexpr const char* kTestAdminPassword = "integration-admin-pass";

struct ServeOptions {
  std::vector<std::string> args;                         // extra options for `serve`
  std::vector<std::pair<std::string, std::string>> env;  // extra environment variables
  std::chrono::seconds start_timeout = std::chrono::seconds(60);
};

class ServerProcess {
 public:
  using Options = ServeOptions;

  // Starts `tracetrack serve --db <db_url> --listen 127.0.0.1:0 ...` and waits for its
  // "listening on" line. Throws (with what the child printed) when it does not start.
  explicit ServerProcess(std::string db_url, Options options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  HttpClient client() const { return HttpClient(host(), port_); }

  void signal(int sig) const;
  // The exit code once the child has ended (128 + signal when killed by one); nothing when it is
  // still running after `timeout`.
  std::optional<int> wait_exit(std::chrono::seconds timeout);
  // SIGTERM, then the exit code (SIGKILL and a thrown error if it does not end in `timeout`).
  int stop(std::chrono::seconds timeout = std::chrono::seconds(30));

  // Everything the child wrote on stdout and stderr so far (access log, start-up and diagnostic lines).
  std::string output();

 private:
  void read_available(std::chrono::milliseconds wait);

  int pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string output_;
  std::optional<int> exit_code_;
};

// A server process on a scratch database of its own, for the tests of the HTTP layer itself.
struct ScratchServer {
  explicit ScratchServer(ServerProcess::Options options = {}) : process(db.url(), std::move(options)) {}
  ScratchDatabase db;  // declared first: created before the process, dropped after it
  ServerProcess process;
};

// How many sanitizer reports (AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer) the
// servers and commands of this run wrote; each is printed on stderr when seen. A test program
// fails when this is not zero at its end.
int sanitizer_reports();

// The tracetrack binary under test, from TT_BINARY.
std::string binary_path();

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `tracetrack <args...>` to completion (killed after `timeout`, which throws).
CommandResult run_tracetrack(const std::vector<std::string>& args,
                             std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace tt::test
