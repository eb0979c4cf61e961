// The command line of the binary: subcommands, usage, exit codes (SPEC §6).
#include <doctest/doctest.h>

#include <string>

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
