#include "storage/postgres/pg_errors.hpp"

namespace tt::storage::pg {

bool is_unavailable_state(std::string_view code) noexcept {
  if (code.size() != 5) return false;
  return code.starts_with("08") || code.starts_with("53") || code == "57P01" || code == "57P02" ||
         code == "57P03";
}

std::string trimmed_message(const char* message) {
  std::string out = message ? message : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

void throw_result_error(PGconn* conn, const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  std::string message = trimmed_message(result ? PQresultErrorMessage(result) : nullptr);
  if (message.empty()) message = trimmed_message(PQerrorMessage(conn));
  if (message.empty()) message = "unknown PostgreSQL error";

  // A broken connection wins over whatever the last result said: the request can be retried on
  // another connection, which is what Unavailable (503) tells the client.
  if (PQstatus(conn) != CONNECTION_OK || is_unavailable_state(code)) {
    throw Unavailable("database unavailable: " + message);
  }
  if (code.starts_with("23")) throw ConstraintViolation(message);
  if (code == "40001" || code == "40P01") throw RetryableConflict(message);
  if (!code.empty()) message += " (SQLSTATE " + code + ")";
  throw DbError(message);
}

}  // namespace tt::storage::pg
