// Rows appended to log tables (Tx::append_row) that wait for the commit of a transaction on one
// pooled connection, and then go in as a few multi-row INSERTs per table instead of one statement
// per row: a head-office batch of 500 synchronised operations appends about 1,000 rows (scan
// events, audit entries, applied operations), which PostgreSQL executes as a dozen statements.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "storage/postgres/pg_connection.hpp"

namespace tt::storage::pg {

// "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)" for `rows` rows of `columns` values.
std::string multi_row_insert(std::string_view insert_columns, std::size_t rows, std::size_t columns);

class AppendedRows {
 public:
  // `insert_columns`: "INSERT INTO table (column, ...)"; `values`: one per column. Throws DbError
  // when a table gets rows of different widths (a programming error).
  void add(std::string_view insert_columns, Params values);
  bool empty() const noexcept { return tables_.empty(); }

  // The INSERTs for every row added, table by table in the order of each table's first row and
  // rows in the order added, each of a power-of-two number of rows (at most 256, and 65,535
  // parameters), sent unprepared. Leaves this empty.
  std::vector<Statement> take();

 private:
  struct Table {
    std::string insert_columns;
    std::size_t columns = 0;
    std::vector<Params> rows;
  };
  std::vector<Table> tables_;
};

}  // namespace tt::storage::pg
