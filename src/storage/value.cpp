#include "storage/value.hpp"

namespace tt::storage {

const Value& Row::at(std::size_t i) const {
  if (i >= cols_.size()) throw DbError("column index " + std::to_string(i) + " out of range");
  return cols_[i];
}

std::int64_t Row::i64(std::size_t i) const {
  const Value& v = at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (auto s = std::get_if<std::string>(&v)) return std::stoll(*s);
  throw DbError("column " + std::to_string(i) + " is NULL, expected an integer");
}

double Row::f64(std::size_t i) const {
  const Value& v = at(i);
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto s = std::get_if<std::string>(&v)) return std::stod(*s);
  throw DbError("column " + std::to_string(i) + " is NULL, expected a number");
}

const std::string& Row::text(std::size_t i) const {
  const Value& v = at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  throw DbError("column " + std::to_string(i) + " is not text");
}

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

std::optional<double> Row::opt_f64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return f64(i);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  const Value& v = at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  return std::to_string(std::get<double>(v));
}

}  // namespace tt::storage
