// Values, parameters and rows exchanged with a database, independent of the backend.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace tt::storage {

// NULL, integer, real or text: the only column types the schema uses, so that one SQL text and one
// decoding path serve both SQLite and PostgreSQL. Booleans are 0/1 integers, times are microseconds
// since the Unix epoch (UTC) in 64-bit integers.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

inline Value null() { return std::monostate{}; }

template <class T>
Value opt(const std::optional<T>& v) {
  if (!v) return std::monostate{};
  return Value(*v);
}

class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}

  std::size_t size() const noexcept { return cols_.size(); }
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(at(i)); }
  std::int64_t i64(std::size_t i) const;
  double f64(std::size_t i) const;
  const std::string& text(std::size_t i) const;
  std::optional<std::int64_t> opt_i64(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;
  const Value& at(std::size_t i) const;
  std::vector<Value>& values() noexcept { return cols_; }

 private:
  std::vector<Value> cols_;
};

using Rows = std::vector<Row>;

enum class Dialect { sqlite, postgres };

// Infrastructure failure (disk, connection, corrupt database): the request fails with 500.
struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The database cannot take the request now (pool exhausted, connection lost, server restarting):
// the request fails with 503 and Retry-After; the client may try again.
struct Unavailable : DbError {
  using DbError::DbError;
};

// A constraint of the schema refused a write (unique, foreign key, check). Services prefer
// ON CONFLICT clauses; this surfaces only when a rule was not handled explicitly.
struct ConstraintViolation : DbError {
  using DbError::DbError;
};

}  // namespace tt::storage
