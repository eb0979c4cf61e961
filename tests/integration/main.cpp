// End-to-end tests: the real tracetrack binary (TT_BINARY) over HTTP on loopback, on the backend
// named by TT_BACKEND. A missing prerequisite fails the run at once, saying which: a skipped
// backend must never look like a passed one.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "support/server_process.hpp"

int main(int argc, char** argv) {
  const char* binary = std::getenv("TT_BINARY");
  if (binary == nullptr || *binary == '\0') {
    std::cerr << "TT_BINARY must name the tracetrack binary under test\n";
    return 1;
  }
  const char* backend_env = std::getenv("TT_BACKEND");
  const std::string backend = backend_env && *backend_env ? backend_env : "sqlite";
  if (backend == "postgres") {
    const char* url = std::getenv("TRACETRACK_TEST_PG_URL");
    if (url == nullptr || *url == '\0') {
      std::cerr << "TT_BACKEND=postgres: set TRACETRACK_TEST_PG_URL to a PostgreSQL server where the tests may "
                   "create databases (scripts/pg-throwaway start prints one)\n";
      return 1;
    }
  } else if (backend != "sqlite") {
    std::cerr << "TT_BACKEND must be sqlite or postgres, not \"" << backend << "\"\n";
    return 1;
  }
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (const int reports = tt::test::sanitizer_reports(); reports > 0) {
    std::cerr << reports << " sanitizer report(s) from the server or commands: see above\n";
    return 1;
  }
  return result;
}
