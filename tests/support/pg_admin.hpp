// Administrative statements on the PostgreSQL server of the tests (CREATE/DROP DATABASE, which
// cannot run inside a transaction), shared by the storage fixtures and the server-process ones.
#pragma once

#include <cstdint>
#include <string>

struct pg_conn;

namespace tt::test {

// Runs one statement on the server of `url` over a blocking connection of its own. Throws
// std::runtime_error with libpq's message.
void pg_admin_exec(const std::string& url, const std::string& sql);

// A blocking connection of its own that stays open between test steps: a transaction held while
// a server process works (a row locked under it), and looks at what the server is doing.
class PgSession {
 public:
  explicit PgSession(const std::string& url);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  // Runs one statement; throws std::runtime_error with libpq's message.
  void exec(const std::string& sql);
  // The first column of the first row as an integer (0 when there is no row).
  std::int64_t scalar(const std::string& sql);

 private:
  pg_conn* conn_;
};

}  // namespace tt::test
