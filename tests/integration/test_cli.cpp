// The command line of the binary: subcommands, usage, exit codes (SPEC §6).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/server_process.hpp"

using namespace tt::test;

TEST_CASE("version prints the version and exits 0") {
  const auto r = run_tracetrack({"version"});
  CHECK(r.exit_code == 0);
  CHECK(r.output.starts_with("tracetrack "));
}

TEST_CASE("help prints the usage and exits 0") {
  const auto r = run_tracetrack({"help"});
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("usage: tracetrack") != std::string::npos);
  CHECK(r.output.find("migrate") != std::string::npos);
}

TEST_CASE("every command's --help prints that command's own options and exits 0") {
  struct Case {
    std::vector<std::string> argv;
    std::vector<std::string> mentions;
  };
  const Case cases[] = {
      {{"--help"}, {"commands:", "seed", "backup", "COMMAND --help"}},
      {{"serve", "--help"}, {"usage: tracetrack [serve]", "--listen", "--pool-size", "TRACETRACK_ADMIN_PASSWORD"}},
      {{"seed", "--help"}, {"usage: tracetrack seed", "--parents", "--children", "--days", "--users-per-area"}},
      {{"user", "--help"}, {"usage: tracetrack user add", "passwd", "--password-stdin"}},
      {{"user", "add", "-h"}, {"usage: tracetrack user add", "--role"}},
      {{"migrate", "--help"}, {"usage: tracetrack migrate", "--db"}},
      {{"backup", "--help"}, {"usage: tracetrack backup FILE", "pg_dump"}},
      {{"routes", "--help"}, {"usage: tracetrack routes"}},
      {{"version", "--help"}, {"usage: tracetrack version"}},
      {{"help", "seed"}, {"usage: tracetrack seed", "--parents"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.argv);
    const auto r = run_tracetrack(c.argv);
    CHECK(r.exit_code == 0);
    for (const std::string& word : c.mentions) {
      CAPTURE(word);
      CHECK(r.output.find(word) != std::string::npos);
    }
  }
  // A command's help is its own: seed's does not list the server's options, serve's not seed's.
  CHECK(run_tracetrack({"seed", "--help"}).output.find("--pool-size") == std::string::npos);
  CHECK(run_tracetrack({"serve", "--help"}).output.find("--parents") == std::string::npos);
  const auto unknown = run_tracetrack({"help", "frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("no command \"frobnicate\"") != std::string::npos);
}

TEST_CASE("an unknown subcommand prints the usage and exits 2") {
  const auto r = run_tracetrack({"frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("unknown command \"frobnicate\"") != std::string::npos);
  CHECK(r.output.find("usage: tracetrack") != std::string::npos);
}

TEST_CASE("a bad option exits 2 with a message") {
  const auto r = run_tracetrack({"serve", "--threads", "lots"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--threads") != std::string::npos);
}

TEST_CASE("migrate brings a new database to the current schema, then finds nothing to do") {
  ScratchDatabase db;
  const auto first = run_tracetrack({"migrate", "--db", db.url()});
  CHECK(first.exit_code == 0);
  CHECK(first.output.find("migrated from version 0") != std::string::npos);
  const auto second = run_tracetrack({"migrate", "--db", db.url()});
  CHECK(second.exit_code == 0);
  CHECK(second.output.find("already at version") != std::string::npos);
}

TEST_CASE("serve on a database that cannot be opened exits non-zero with a message") {
  const auto r = run_tracetrack({"serve", "--db", "sqlite:/nonexistent-folder/sub/tt.db", "--listen", "127.0.0.1:0"});
  CHECK(r.exit_code != 0);
  CHECK(r.output.find("tracetrack:") != std::string::npos);
}
