// Turns libpq failures into the storage error types the rest of the server understands.
#pragma once

#include <libpq-fe.h>

#include <string>
#include <string_view>

#include "storage/value.hpp"

namespace tt::storage::pg {

// A transaction lost a race it may win on a second try (serialization failure 40001, deadlock
// 40P01); PgDatabase retries the whole transaction. Callers only see it once retries run out.
struct RetryableConflict : DbError {
  using DbError::DbError;
};

// True when SQLSTATE `code` means the connection or the server is gone or not accepting work:
// class 08 (connection exception), 57P01-57P03 (shutdown, crash, starting up), class 53
// (insufficient resources, e.g. too many connections).
bool is_unavailable_state(std::string_view code) noexcept;

// Throws the error that `result` (may be null: then the connection's last error) describes:
// Unavailable when the connection is unusable, ConstraintViolation for SQLSTATE class 23,
// RetryableConflict for 40001/40P01, DbError otherwise.
[[noreturn]] void throw_result_error(PGconn* conn, const PGresult* result);

// libpq's message without its trailing newline.
std::string trimmed_message(const char* message);

}  // namespace tt::storage::pg
