// Values, parameters and rows exchanged with a database, independent of the backend.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
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
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
Value opt(const std::optional<T>& v) {
  if (!v) return std::monostate{};
  return Value(*v);
}

// One parameter from a C++ value: any integer (and bool, as 0/1) becomes int64, an empty optional
// NULL, character strings text.
template <class T>
Value to_value(T&& v) {
  using D = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<D, Value> || std::is_same_v<D, std::monostate>) {
    return Value(std::forward<T>(v));
  } else if constexpr (std::is_same_v<D, bool>) {
    return Value(std::int64_t{v ? 1 : 0});
  } else if constexpr (std::is_integral_v<D>) {
    return Value(static_cast<std::int64_t>(v));
  } else if constexpr (std::is_floating_point_v<D>) {
    return Value(static_cast<double>(v));
  } else if constexpr (is_optional<D>::value) {
    if (!v) return std::monostate{};
    return to_value(*std::forward<T>(v));
  } else {
    return Value(std::string(std::forward<T>(v)));
  }
}

// Parameters for one statement: `co_await tx.exec(sql, params(code, user_id, now))`.
// Prefer it to a braced list inside co_await (the coroutine rule: storage/job.hpp).
template <class... A>
Params params(A&&... values) {
  Params out;
  out.reserve(sizeof...(A));
  (out.push_back(to_value(std::forward<A>(values))), ...);
  return out;
}

class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}

  std::size_t size() const noexcept { return cols_.size(); }
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(at(i)); }
  std::int64_t i64(std::size_t i) const;
  double f64(std::size_t i) const;
  std::optional<double> opt_f64(std::size_t i) const;
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
