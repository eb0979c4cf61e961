// Translation of SQLite failures into the storage error types that callers handle.
#pragma once

#include <exception>
#include <string_view>

namespace tt::storage::sqlite {

// Rethrows the current exception as DbError / Unavailable / ConstraintViolation when it is a
// SQLite one; any other exception passes through unchanged. Call only inside a catch block.
[[noreturn]] void rethrow_translated(std::string_view context = {});

// A SQLite result code as the storage error it stands for.
std::exception_ptr translate(int result_code, std::string_view message);

}  // namespace tt::storage::sqlite
