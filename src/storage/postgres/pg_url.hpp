// Reading a PostgreSQL database URL: what goes to libpq, our own options, and a description
// without secrets for logs.
#pragma once

#include <string>

namespace tt::storage::pg {

struct Target {
  std::string conninfo;     // for libpq, our own parameters removed
  bool prepared_statements = true;
  std::string description;  // "postgresql://user@host:port/dbname", never the password
};

// Throws DbError when libpq cannot parse the URL or our parameter has an unknown value.
Target parse_target(const std::string& url);

}  // namespace tt::storage::pg
