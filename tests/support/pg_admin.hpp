// Administrative statements on the PostgreSQL server of the tests (CREATE/DROP DATABASE, which
// cannot run inside a transaction), shared by the storage fixtures and the server-process ones.
#pragma once

#include <string>

namespace tt::test {

// Runs one statement on the server of `url` over a blocking connection of its own. Throws
// std::runtime_error with libpq's message.
void pg_admin_exec(const std::string& url, const std::string& sql);

}  // namespace tt::test
