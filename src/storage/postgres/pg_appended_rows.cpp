#include "storage/postgres/pg_appended_rows.hpp"

#include <algorithm>

#include "storage/value.hpp"

namespace tt::storage::pg {

namespace {

constexpr std::size_t kMaxChunkRows = 256;
constexpr std::size_t kMaxParams = 65535;

}  // namespace

std::string multi_row_insert(std::string_view insert_columns, std::size_t rows, std::size_t columns) {
  std::string sql(insert_columns);
  sql.reserve(sql.size() + 8 + rows * columns * 6);
  sql += " VALUES ";
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < columns; ++c) {
      if (c > 0) sql += ", ";
      sql += '$';
      sql += std::to_string(++n);
    }
    sql += ')';
  }
  return sql;
}

void AppendedRows::add(std::string_view insert_columns, Params values) {
  auto it = std::find_if(tables_.begin(), tables_.end(),
                         [&](const Table& t) { return t.insert_columns == insert_columns; });
  if (it == tables_.end()) {
    tables_.push_back(Table{std::string(insert_columns), values.size(), {}});
    it = tables_.end() - 1;
  }
  if (values.size() != it->columns || values.empty()) {
    throw DbError("rows appended to one table with different numbers of values");
  }
  it->rows.push_back(std::move(values));
}

std::vector<Statement> AppendedRows::take() {
  std::vector<Statement> out;
  for (Table& t : tables_) {
    std::size_t chunk = 1;
    while (chunk * 2 <= kMaxChunkRows && chunk * 2 * t.columns <= kMaxParams) chunk *= 2;
    std::size_t done = 0;
    while (done < t.rows.size()) {
      // The largest power of two that fits what is left: 300 rows go as 256 + 32 + 8 + 4.
      std::size_t rows = chunk;
      while (rows > t.rows.size() - done) rows /= 2;
      Params all;
      all.reserve(rows * t.columns);
      for (std::size_t r = done; r < done + rows; ++r) {
        for (Value& v : t.rows[r]) all.push_back(std::move(v));
      }
      // Not prepared: the types of a statement's parameters (NULL or not) are part of what a
      // connection prepares, and many rows of optional values rarely repeat a pattern.
      out.push_back(Statement{multi_row_insert(t.insert_columns, rows, t.columns), std::move(all), false});
      done += rows;
    }
  }
  tables_.clear();
  return out;
}

}  // namespace tt::storage::pg
