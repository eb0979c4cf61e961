#include "storage/postgres/pg_codec.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tt::storage::pg {

namespace {

// Type OIDs from PostgreSQL's pg_type.dat; stable across server versions.
constexpr Oid kBool = 16;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kNumeric = 1700;

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

Value decode_value(const char* text, Oid type) {
  switch (type) {
    case kInt2:
    case kInt4:
    case kInt8:
      return static_cast<std::int64_t>(std::strtoll(text, nullptr, 10));
    case kFloat4:
    case kFloat8:
    case kNumeric:
      return std::strtod(text, nullptr);
    case kBool:
      return static_cast<std::int64_t>(text[0] == 't' ? 1 : 0);
    default:
      return std::string(text);
  }
}

}  // namespace

EncodedParams::EncodedParams(const Params& params) {
  text_.reserve(params.size());
  types_.reserve(params.size());
  signature_.reserve(params.size());
  for (const Value& v : params) {
    if (auto i = std::get_if<std::int64_t>(&v)) {
      text_.push_back(std::to_string(*i));
      types_.push_back(kInt8);
      signature_.push_back('i');
    } else if (auto d = std::get_if<double>(&v)) {
      text_.push_back(format_double(*d));
      types_.push_back(kFloat8);
      signature_.push_back('d');
    } else if (auto s = std::get_if<std::string>(&v)) {
      text_.push_back(*s);
      types_.push_back(0);
      signature_.push_back('t');
    } else {
      text_.emplace_back();
      types_.push_back(0);
      signature_.push_back('n');
    }
  }
  // Pointers are taken only once text_ no longer reallocates.
  values_.reserve(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    values_.push_back(signature_[i] == 'n' ? nullptr : text_[i].c_str());
  }
}

Rows decode_rows(const PGresult* result) {
  const int n_rows = PQntuples(result);
  const int n_cols = PQnfields(result);
  std::vector<Oid> types(static_cast<std::size_t>(n_cols));
  for (int c = 0; c < n_cols; ++c) types[static_cast<std::size_t>(c)] = PQftype(result, c);

  Rows rows;
  rows.reserve(static_cast<std::size_t>(n_rows));
  for (int r = 0; r < n_rows; ++r) {
    std::vector<Value> cols;
    cols.reserve(static_cast<std::size_t>(n_cols));
    for (int c = 0; c < n_cols; ++c) {
      if (PQgetisnull(result, r, c)) {
        cols.emplace_back(std::monostate{});
      } else {
        cols.push_back(decode_value(PQgetvalue(result, r, c), types[static_cast<std::size_t>(c)]));
      }
    }
    rows.emplace_back(std::move(cols));
  }
  return rows;
}

std::int64_t affected_rows(const PGresult* result) {
  const char* n = PQcmdTuples(const_cast<PGresult*>(result));
  if (!n || !*n) return 0;
  return std::strtoll(n, nullptr, 10);
}

}  // namespace tt::storage::pg
