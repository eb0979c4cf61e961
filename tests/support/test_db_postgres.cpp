// PostgreSQL test databases: one database per fixture on the server named by
// TRACETRACK_TEST_PG_URL, created empty and dropped afterwards, so that tests never see each
// other's rows and may run in parallel.
#include <libpq-fe.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "storage/postgres/pg_database.hpp"
#include "support/pg_admin.hpp"
#include "support/test_db.hpp"

namespace tt::test {

namespace {

std::string server_url() {
  const char* v = std::getenv("TRACETRACK_TEST_PG_URL");
  if (!v || !*v) {
    throw std::runtime_error(
        "TT_BACKEND=postgres needs TRACETRACK_TEST_PG_URL (a server where the tests may create databases), "
        "e.g. from scripts/pg-throwaway start");
  }
  return v;
}


// libpq key=value connection string for the same server with another database.
std::string conninfo_for(const std::string& url, const std::string& dbname) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    std::string message = error ? error : "unreadable";
    PQfreemem(error);
    throw std::runtime_error("TRACETRACK_TEST_PG_URL: " + message);
  }
  std::string out;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val || std::string_view(o->keyword) == "dbname") continue;
    out += o->keyword;
    out += "='";
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\'' || *c == '\\') out += '\\';
      out += *c;
    }
    out += "' ";
  }
  PQconninfoFree(options);
  return out + "dbname='" + dbname + "'";
}

}  // namespace

std::unique_ptr<storage::Database> open_postgres_test_database(const storage::DbOptions& options) {
  const std::string url = server_url();
  std::mt19937_64 rng(std::random_device{}());
  const std::string name = "tt_test_" + std::to_string(rng() % 1000000000000ULL);
  pg_admin_exec(url, "CREATE DATABASE " + name);
  auto drop = [url, name] {
    try {
      pg_admin_exec(url, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (const std::exception& e) {
      std::cerr << "test database " << name << " left behind: " << e.what() << "\n";
    }
  };
  try {
    return with_cleanup(storage::open_postgres(conninfo_for(url, name), options), drop);
  } catch (...) {
    drop();
    throw;
  }
}

}  // namespace tt::test
