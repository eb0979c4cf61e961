#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>

#include "support/test_db.hpp"

int main(int argc, char** argv) {
  if (tt::test::testing_postgres()) {
    const char* url = std::getenv("TRACETRACK_TEST_PG_URL");
    if (!url || !*url) {
      std::cerr << "TT_BACKEND=postgres: set TRACETRACK_TEST_PG_URL to a PostgreSQL server where the tests may "
                   "create databases (scripts/pg-throwaway start prints one)\n";
      return 1;
    }
  } else if (!tt::test::testing_sqlite()) {
    std::cerr << "TT_BACKEND must be sqlite or postgres, not \"" << tt::test::backend_name() << "\"\n";
    return 1;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
