#include "storage/sqlite/errors.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <string>

#include "storage/value.hpp"

namespace tt::storage::sqlite {

std::exception_ptr translate(int result_code, std::string_view message) {
  std::string text = "sqlite: ";
  text += message;
  switch (result_code & 0xff) {  // the primary code; extended codes only add detail
    case SQLITE_CONSTRAINT:
      return std::make_exception_ptr(ConstraintViolation(text));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      // Another process held the database for longer than the busy timeout: worth a retry.
      return std::make_exception_ptr(Unavailable(text));
    default:
      return std::make_exception_ptr(DbError(text));
  }
}

void rethrow_translated(std::string_view context) {
  try {
    throw;
  } catch (const SQLite::Exception& e) {
    std::string message;
    if (!context.empty()) {
      message += context;
      message += ": ";
    }
    message += e.what();
    // SQLiteCpp reports its own usage errors with code -1: those are plain DbErrors.
    const int code = e.getErrorCode() == -1 ? SQLITE_ERROR : e.getErrorCode();
    std::rethrow_exception(translate(code, message));
  }
}

}  // namespace tt::storage::sqlite
